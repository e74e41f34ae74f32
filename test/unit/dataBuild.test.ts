import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildData } from '../../scripts/build-data';
import { parseCodesFile } from '../../scripts/data/codesFile';
import { composeCodeSet, describeChanges } from '../../scripts/data/compose';
import { stringifyLines } from '../../scripts/data/jsonLines';
import { parseOrderAddenda } from '../../scripts/data/orderAddenda';
import { parseOrderFile } from '../../scripts/data/orderFile';
import type { Tabular } from '../../scripts/data/tabular';
import { loadAlphabeticIndex } from '../../server/src/core/codes/loadCodeData';
import { REPO_ROOT, services } from '../support/services';

/** One addenda row in the CMS fixed-width layout (flag at 13, code at 15, short title at 23, long at 84). */
function addendaRow(action: string, flag: 0 | 1, code: string, short: string, long = short): string {
  return `${action.padEnd(13)}${flag} ${code.padEnd(8)}${short.padEnd(60)} ${long}`;
}

describe('order addenda parser', () => {
  it('reads rows by fixed columns and the summary counts', () => {
    const text = [
      addendaRow('Delete:', 1, 'D691', 'Qualitative platelet defects'),
      addendaRow('Add:', 0, 'D691', 'Qualitative platelet defects'),
      addendaRow('Revise from:', 1, 'L03322', 'Acute lymphangitis of back [any part except buttock]'),
      addendaRow('Revise to:', 1, 'L03322', 'Acute lymphangitis of back', 'Acute lymphangitis of back [any part except buttock and flank]'),
      '',
      'Headers',
      '  23467 headers in icd10cm_order_2026.txt',
      '  23524 headers in icd10cm_order_2027.txt',
      'Codes',
      '  74719 codes in icd10cm_order_2026.txt',
      '  74879 codes in icd10cm_order_2027.txt',
    ].join('\r\n');
    const parsed = parseOrderAddenda(text);
    assert.deepEqual(parsed.summary, { codes: { 2026: 74719, 2027: 74879 }, headers: { 2026: 23467, 2027: 23524 } });
    assert.deepEqual(parsed.rows[3], {
      action: 'revise-to',
      billable: true,
      code: 'L03.322',
      shortTitle: 'Acute lymphangitis of back',
      longTitle: 'Acute lymphangitis of back [any part except buttock and flank]',
    });
    assert.equal(parsed.rows[1]!.billable, false);
  });

  it('rejects a row that is not in the fixed-width layout', () => {
    assert.throws(() => parseOrderAddenda('Add:   1 D691   Qualitative'), /not in the fixed-width layout/);
  });
});

describe('codes and order files', () => {
  it('parses the codes file into dotted codes', () => {
    const codes = parseCodesFile('A000    Cholera due to Vibrio cholerae 01, biovar cholerae\r\nM7531   Calcific tendinitis of right shoulder\r\n');
    assert.deepEqual([...codes], [
      ['A00.0', 'Cholera due to Vibrio cholerae 01, biovar cholerae'],
      ['M75.31', 'Calcific tendinitis of right shoulder'],
    ]);
    assert.throws(() => parseCodesFile('M7531 A\nM7531 B\n'), /line 2: duplicate code M75.31/);
  });

  it('parses a full order file (used when a release ships one)', () => {
    const line = (n: number, code: string, flag: 0 | 1, title: string) =>
      `${String(n).padStart(5, '0')} ${code.padEnd(7)} ${flag} ${title.slice(0, 60).padEnd(60)} ${title}`;
    const { billable, headers } = parseOrderFile(
      [line(1, 'M753', 0, 'Calcific tendinitis of shoulder'), line(2, 'M7531', 1, 'Calcific tendinitis of right shoulder')].join('\n'),
    );
    assert.deepEqual([...headers], [['M75.3', 'Calcific tendinitis of shoulder']]);
    assert.deepEqual([...billable], [['M75.31', 'Calcific tendinitis of right shoulder']]);
  });
});

describe('composing a fiscal year', () => {
  const tabular: Tabular = {
    version: '2026',
    chapters: [{ id: '3', title: 'Blood', range: 'D50-D89', notes: {} }],
    blocks: [{ id: 'D65-D69', title: 'Coagulation defects', chapter: '3', first: 'D65', last: 'D69', notes: {} }],
    diags: [
      { code: 'D69', title: 'Purpura', parent: 'D65-D69', notes: {} },
      { code: 'D69.1', title: 'Qualitative platelet defects', parent: 'D69', notes: {} },
    ],
  };
  const addenda = (codes2027: number, headers2027: number) =>
    parseOrderAddenda(
      [
        addendaRow('Delete:', 1, 'D691', 'Qualitative platelet defects'),
        addendaRow('Add:', 0, 'D691', 'Qualitative platelet defects'),
        addendaRow('Add:', 1, 'D6911', 'Glanzmann thrombasthenia'),
        addendaRow('Add:', 1, 'D6919', 'Other qualitative platelet defects'),
        'Headers',
        '  1 headers in icd10cm_order_2026.txt',
        `  ${headers2027} headers in icd10cm_order_2027.txt`,
        'Codes',
        '  1 codes in icd10cm_order_2026.txt',
        `  ${codes2027} codes in icd10cm_order_2027.txt`,
      ].join('\n'),
    );
  const base = () => ({
    targetYear: 2027,
    billable: new Map([['D69.1', 'Qualitative platelet defects']]),
    headers: new Map([['D69', 'Purpura']]),
    tabular,
    tabularYear: 2026,
  });

  it('applies the addenda and records which codes have no tabular entry', () => {
    const set = composeCodeSet({ ...base(), addenda: addenda(2, 2) });
    assert.deepEqual(
      set.codes.map((c) => [c.code, c.billable, c.parent, c.tabularYear]),
      [
        ['D69', false, 'D65-D69', 2026],
        ['D69.1', false, 'D69', 2026],
        ['D69.11', true, 'D69.1', 0],
        ['D69.19', true, 'D69.1', 0],
      ],
    );
    assert.deepEqual(set.withoutTabularEntry, ['D69.11', 'D69.19']);
  });

  it('fails when the counts disagree with the addenda summary', () => {
    assert.throws(() => composeCodeSet({ ...base(), addenda: addenda(3, 2) }), /FY2027 billable codes: built 2, the addenda summary says 3/);
  });

  it('names successors of deleted codes: subdivision, same title, 7th character kept', () => {
    const changes = describeChanges(
      2027,
      parseOrderAddenda(
        [
          addendaRow('Delete:', 1, 'D691', 'Qualitative platelet defects'),
          addendaRow('Add:', 0, 'D691', 'Qualitative platelet defects'),
          addendaRow('Add:', 1, 'D6911', 'Glanzmann thrombasthenia'),
          addendaRow('Delete:', 1, 'T528X1A', 'Toxic, init', 'Toxic effect of other organic solvents, accidental (unintentional), initial encounter'),
          addendaRow('Add:', 1, 'T52891A', 'Toxic, init', 'Toxic effect of other organic solvents, accidental (unintentional), initial encounter'),
          addendaRow('Add:', 1, 'T52891D', 'Toxic, subs', 'Toxic effect of other organic solvents, accidental (unintentional), subsequent encounter'),
          addendaRow('Delete:', 1, 'Z5986', 'Financial insecurity'),
        ].join('\n'),
      ),
    );
    assert.deepEqual(
      changes.deleted.map((d) => [d.code, d.replacedBy, d.nowHeader, d.effective]),
      [
        ['D69.1', ['D69.11'], true, '2026-10-01'],
        ['T52.8X1A', ['T52.891A'], false, '2026-10-01'],
        ['Z59.86', [], false, '2026-10-01'],
      ],
    );
  });

  it('writes one record per line, deterministically', () => {
    const text = stringifyLines({ a: 1, rows: ['x', 'y'], map: { k: [1] } }, ['rows', 'map']);
    assert.equal(text, '{\n"a": 1,\n"rows": [\n"x",\n"y"\n],\n"map": {\n"k": [1]\n}\n}\n');
  });
});

describe('committed ICD-10-CM data (FY2027)', () => {
  const provenance = JSON.parse(readFileSync(join(REPO_ROOT, 'data', 'icd10cm', 'provenance.json'), 'utf8'));

  it('has the counts the FY2027 addenda summary gives', () => {
    assert.equal(services().codes.fiscalYear, 2027);
    assert.equal(services().codes.billableCount, 74879);
    assert.equal(services().codes.size - services().codes.billableCount, 23524);
    assert.equal(provenance.counts.billable, 74879);
    assert.equal(provenance.counts.headers, 23524);
  });

  it('has the exact official titles of the spot-check codes', () => {
    const expected: Record<string, string> = {
      'M61.20': 'Paralytic calcification and ossification of muscle, unspecified site',
      'M61.451': 'Other calcification of muscle, right thigh',
      'M75.31': 'Calcific tendinitis of right shoulder',
      'M75.32': 'Calcific tendinitis of left shoulder',
      'L94.2': 'Calcinosis cutis',
      'E83.52': 'Hypercalcemia',
      'E83.59': 'Other disorders of calcium metabolism',
      'I70.0': 'Atherosclerosis of aorta',
      'I25.84': 'Coronary atherosclerosis due to calcified coronary lesion',
      'I34.81': 'Nonrheumatic mitral (valve) annulus calcification',
      'R92.1': 'Mammographic calcification found on diagnostic imaging of breast',
      'G93.89': 'Other specified disorders of brain',
      'N28.89': 'Other specified disorders of kidney and ureter',
    };
    for (const [code, title] of Object.entries(expected)) {
      const info = services().codes.get(code);
      assert.equal(info?.title, title, code);
      assert.equal(info?.billable, true, `${code} is billable`);
    }
    assert.deepEqual(services().codes.children('R92.1'), [], 'R92.1 has no children');
  });

  it('records the sources with sha256 and relative paths', () => {
    const paths = provenance.sources.map((s: { path: string }) => s.path);
    assert.ok(paths.includes('fy2027/icd10cm_order_addenda_2027.txt'));
    assert.ok(paths.includes('fy2026/icd10c-tabular-April-1-2026.xml'));
    assert.ok(paths.includes('icd10cm-neoplasm-April-1-2026-XML.xml'));
    assert.ok(paths.includes('icd10cm-drug-April-1-2026-XML.xml'));
    for (const s of provenance.sources) {
      assert.match(s.sha256, /^[0-9a-f]{64}$/);
      assert.ok(!s.path.startsWith('/'), 'no absolute paths in committed data');
    }
    assert.ok(provenance.codesWithoutTabularEntry.includes('D69.11'));
  });

  it('has the alphabetic index entry "Calcification" with its subterms', () => {
    const index = loadAlphabeticIndex(join(REPO_ROOT, 'data', 'icd10cm'));
    const main = index.mainTerm('Calcification')!;
    assert.ok(main.terms!.length >= 40);
    assert.deepEqual(index.lookup('Calcification, pineal gland')?.term, { t: 'pineal gland', code: 'E34.8' });
    assert.deepEqual(index.lookup('Calcification, aorta')?.term, { t: 'aorta', code: 'I70.0' });
    assert.equal(index.lookup('Calcification, bursa, shoulder')?.term.code, 'M75.3-');
    assert.equal(index.lookup('Calcification, brain (cortex)')?.term.see, 'Calcification, cerebral');
    assert.equal(index.lookup('Calcification, cerebral')?.term.code, 'G93.89');
    assert.equal(index.lookup('Deposit, calcareous, calcium')?.term.see, 'Calcification');
    assert.equal(index.lookup('Calcification, no such site'), undefined);
    assert.deepEqual(
      index.search('pineal calc', 3).map((e) => `${e.label} ${e.term.code}`),
      ['Calcification, pineal gland E34.8'],
    );
  });

  it('has the Table of Neoplasms and the Table of Drugs and Chemicals, one code per column', () => {
    const index = loadAlphabeticIndex(join(REPO_ROOT, 'data', 'icd10cm'));
    const neoplasms = index.indexes.find((i) => i.id === 'neoplasms')!;
    assert.deepEqual(neoplasms.columns, ['Malignant Primary', 'Malignant Secondary', 'Ca in situ', 'Benign', 'Uncertain Behavior', 'Unspecified Behavior']);
    assert.deepEqual(index.lookup('Neoplasm, neoplastic, abdomen, abdominal, cavity', 'neoplasms')?.term.cells, ['C76.2', 'C79.8-', 'D09.8', 'D36.7', 'D48.7', 'D49.89']);
    const drugs = index.indexes.find((i) => i.id === 'drugs')!;
    assert.equal(drugs.columns?.length, 6);
    // "--" in the table: no code for that column.
    assert.deepEqual(index.lookup('1-propanol', 'drugs')?.term.cells, ['T51.3X1', 'T51.3X2', 'T51.3X3', 'T51.3X4', '', '']);
    // The April 2026 drug table still names T52.8X1-T52.8X4, deleted in FY2027: the build reports them.
    assert.deepEqual(provenance.indexCodesNotInCodeSet.drugs, ['T52.8X1', 'T52.8X2', 'T52.8X3', 'T52.8X4']);
  });
});

describe('npm run data:build', () => {
  const source = join(REPO_ROOT, '..', 'shared', 'data', 'icd10cm');

  it('reproduces the committed data byte for byte from the official files', function () {
    if (!existsSync(source)) this.skip(); // the official files sit beside the repo in CI, not in every clone
    this.timeout(120000);
    const out = mkdtempSync(join(tmpdir(), 'calx-data-'));
    try {
      buildData({ source, out });
      const committed = join(REPO_ROOT, 'data', 'icd10cm');
      assert.deepEqual(readdirSync(out).sort(), readdirSync(committed).filter((f) => f.endsWith('.json') || f.endsWith('.tsv')).sort());
      for (const file of readdirSync(out)) {
        assert.ok(readFileSync(join(out, file)).equals(readFileSync(join(committed, file))), `${file} differs from the committed copy`);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
