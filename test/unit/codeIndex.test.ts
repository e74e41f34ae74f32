import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodeIndex, normalizeCode } from '../../server/src/core/codes/codeIndex';
import type { ChangesFile, CodesFile, NotesFile } from '../../server/src/core/codes/schema';
import { AlphabeticIndex } from '../../server/src/core/codes/alphabeticIndex';
import {
  alphabeticIndexSlices,
  CodeDataReader,
  DataFileError,
  GENERATED_FILES,
  loadAlphabeticIndex,
  loadCodeIndex,
  sha256,
} from '../../server/src/core/codes/loadCodeData';
import { tellingStems, TitleStems } from '../../server/src/core/codes/titleStems';
import { REPO_ROOT, services } from '../support/services';

const codes = () => services().codes;

describe('CodeIndex on the committed FY2027 data', () => {
  it('looks up a code with its title, billable flag, level and parent', () => {
    assert.deepEqual(codes().get('M75.31'), {
      code: 'M75.31',
      title: 'Calcific tendinitis of right shoulder',
      billable: true,
      level: 'code',
      parent: 'M75.3',
      tabularYear: 2026,
    });
    assert.equal(codes().get('M75.3')?.level, 'subcategory');
    assert.equal(codes().get('M75')?.level, 'category');
    assert.equal(codes().get('M75.33'), undefined);
  });

  it('lists children and ancestors', () => {
    assert.deepEqual(codes().children('M75.3').map((c) => c.code), ['M75.30', 'M75.31', 'M75.32']);
    assert.deepEqual(codes().ancestors('M61.451').map((c) => c.code), ['M61.45', 'M61.4', 'M61']);
    assert.deepEqual(codes().ancestors('S06.0X0A').map((c) => c.code), ['S06.0X0', 'S06.0X', 'S06.0', 'S06']);
    assert.deepEqual(codes().ancestors('T07.XXXA').map((c) => c.code), ['T07']);
  });

  it('gives the breadcrumb chapter > block > category > code', () => {
    const crumb = codes().breadcrumb('M75.31')!;
    assert.equal(crumb.chapter.id, '13');
    assert.equal(crumb.chapter.title, 'Diseases of the musculoskeletal system and connective tissue');
    assert.equal(crumb.block.id, 'M70-M79');
    assert.deepEqual(crumb.codes.map((c) => c.code), ['M75', 'M75.3', 'M75.31']);
    // C4A sits in C43-C44 although ASCII order puts it after C44.
    assert.equal(codes().breadcrumb('C4A.0')!.block.id, 'C43-C44');
  });

  it('lists billable descendants of a header', () => {
    const below = codes().billableDescendants('M61.4').map((c) => c.code);
    assert.equal(below.length, 24);
    assert.deepEqual(below.slice(0, 3), ['M61.40', 'M61.411', 'M61.412']);
    assert.deepEqual(codes().billableDescendants('R92.1').map((c) => c.code), ['R92.1']);
  });

  it('gives own and inherited notes, nearest first', () => {
    assert.deepEqual(codes().ownNotes('M75.3'), { inclusionTerm: ['Calcified bursa of shoulder'] });
    const scope = codes().notesInScope('M75.31');
    assert.deepEqual(scope.map((s) => s.from), ['M75.3', 'M75', 'chapter 13']);
    assert.deepEqual(scope[1]!.notes.excludes2, ['shoulder-hand syndrome (M89.0-)']);
    assert.ok(scope[2]!.notes.excludes2?.includes('neoplasms (C00-D49)'));
  });

  it('has no notes for a code named like an Object property', () => {
    for (const code of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      assert.deepEqual(codes().ownNotes(code), {}, code);
      assert.deepEqual(codes().notesInScope(code), [], code);
    }
  });

  it('finds the 7th characters that apply', () => {
    const seventh = codes().seventhCharacters('S06.0X0A')!;
    assert.equal(seventh.from, 'S06');
    assert.deepEqual(seventh.values.map((v) => v.char), ['A', 'D', 'S']);
    assert.equal(codes().seventhCharacters('M75.31'), undefined);
  });

  it('knows deletions with their successors, additions and revisions', () => {
    assert.deepEqual(codes().deletions('T52.8X1A'), [
      {
        code: 'T52.8X1A',
        title: 'Toxic effect of other organic solvents, accidental (unintentional), initial encounter',
        billable: true,
        fiscalYear: 2027,
        effective: '2026-10-01',
        replacedBy: ['T52.891A'],
        nowHeader: false,
      },
    ]);
    assert.deepEqual(codes().deletions('D69.1')[0]?.replacedBy, ['D69.11', 'D69.19']);
    assert.equal(codes().addedInYear('D69.11'), 2027);
    assert.equal(codes().get('D69.11')?.tabularYear, 0);
    assert.deepEqual(codes().revision('L03.322'), { from: 'Acute lymphangitis of back [any part except buttock]', fiscalYear: 2027 });
  });

  it('searches by prefix, accepting any spelling of a code start', () => {
    assert.deepEqual(codes().prefixSearch('m75.3', 10).map((c) => c.code), ['M75.3', 'M75.30', 'M75.31', 'M75.32']);
    assert.deepEqual(codes().prefixSearch('M753', 10).map((c) => c.code), ['M75.3', 'M75.30', 'M75.31', 'M75.32']);
    assert.deepEqual(codes().prefixSearch('M75.', 3).map((c) => c.code), ['M75.0', 'M75.00', 'M75.01']);
    assert.equal(codes().prefixCount('M61.4'), 32);
    assert.deepEqual(codes().prefixSearch('not a code'), []);
  });

  it('searches words in titles and inclusion terms, last word as a prefix', () => {
    const shoulder = codes().wordSearch('calcific tendinitis right shoulder', 5).map((h) => h.code);
    assert.equal(shoulder[0], 'M75.31');
    const bursa = codes().wordSearch('calcified bursa', 10).map((h) => h.code);
    assert.ok(bursa.includes('M75.3'), 'inclusion term "Calcified bursa of shoulder" finds M75.3');
    const pineal = codes().wordSearch('mammographic calc', 3).map((h) => h.code);
    assert.equal(pineal[0], 'R92.1');
    assert.deepEqual(codes().wordSearch('   '), []);
  });
});

describe('normalizeCode', () => {
  it('spells codes as the code set does', () => {
    assert.equal(normalizeCode('m7531'), 'M75.31');
    assert.equal(normalizeCode(' M75.31 '), 'M75.31');
    assert.equal(normalizeCode('t07xxxa'), 'T07.XXXA');
    assert.equal(normalizeCode('I10'), 'I10');
    assert.equal(normalizeCode('M75..3'), undefined);
    assert.equal(normalizeCode('calcification'), undefined);
  });
});

describe('CodeIndex cross-record checks', () => {
  const codesFile: CodesFile = {
    schemaVersion: 2,
    fiscalYear: 2027,
    effective: '2026-10-01',
    chapters: [{ id: '13', title: 'Musculoskeletal', range: 'M00-M99' }],
    blocks: [{ id: 'M70-M79', title: 'Other soft tissue disorders', chapter: '13', first: 'M70', last: 'M79' }],
  };
  const notes: NotesFile = { schemaVersion: 2, fiscalYear: 2026, chapters: {}, blocks: {}, codes: {} };
  const changes: ChangesFile = { schemaVersion: 2, years: [], deleted: [], added: [], revised: [] };
  const build = (rows: string[] | string) => new CodeIndex(codesFile, rows, notes, changes);

  it('builds from literal rows', () => {
    const index = build(['M75\tShoulder lesions\t0\tM70-M79\t2026', 'M75.3\tCalcific tendinitis of shoulder\t0\tM75\t2026', 'M75.31\tRight\t1\tM75.3\t2026']);
    assert.equal(index.size, 3);
    assert.deepEqual(index.children('M75').map((c) => c.code), ['M75.3']);
    assert.deepEqual(index.get('M75.31'), { code: 'M75.31', title: 'Right', billable: true, level: 'code', parent: 'M75.3', tabularYear: 2026 });
    assert.deepEqual(index.wordSearch('calcific').map((h) => h.code), ['M75.3']);
  });

  it('reads rows with CRLF line endings and a final newline the same way', () => {
    const index = build('M75\tShoulder lesions\t0\tM70-M79\t2026\r\nM75.3\tCalcific tendinitis of shoulder\t0\tM75\t0\r\n');
    assert.deepEqual(index.get('M75.3'), { code: 'M75.3', title: 'Calcific tendinitis of shoulder', billable: false, level: 'subcategory', parent: 'M75', tabularYear: 0 });
  });

  it('rejects a dangling parent with the line', () => {
    assert.throws(
      () => build(['M75\tShoulder lesions\t0\tM70-M79\t2026', 'M75.31\tRight\t1\tM75.3\t2026']),
      /codes\.tsv: line 3: M75\.31 names parent M75\.3, which is not an ancestor in the code set/,
    );
  });

  it('rejects repeated or unordered codes, unknown blocks and malformed rows', () => {
    assert.throws(() => build(['M75\tA\t0\tM70-M79\t2026', 'M75\tB\t0\tM70-M79\t2026']), /codes\.tsv: line 3: M75 is out of order or repeated/);
    assert.throws(() => build(['M75\tA\t0\tM80-M85\t2026']), /unknown block M80-M85/);
    assert.throws(() => build(['M75\tA\t2\tM70-M79\t2026']), /codes\.tsv: line 2: not "code<TAB>title<TAB>0\|1<TAB>parent<TAB>year"/);
    assert.throws(() => build(['M75 A 0 M70-M79 2026']), /line 2: not "code/);
  });
});

describe('loading data/icd10cm', () => {
  const committed = join(REPO_ROOT, 'data', 'icd10cm');
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'calx-icd10cm-'));
    cpSync(committed, dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const edit = (name: string, change: (text: string) => string) => writeFileSync(join(dir, name), change(readFileSync(join(dir, name), 'utf8')));

  it('records the size and sha256 of every generated file in provenance.json', () => {
    const { files } = JSON.parse(readFileSync(join(committed, 'provenance.json'), 'utf8'));
    assert.deepEqual(Object.keys(files), [...GENERATED_FILES]);
    for (const name of GENERATED_FILES) {
      const bytes = readFileSync(join(committed, name));
      assert.deepEqual(files[name], { bytes: bytes.length, sha256: sha256(bytes) }, name);
    }
  });

  it('validates in full a file that no longer matches its record, and loads it when it is valid', () => {
    edit('codes.tsv', (text) => text.replace('\nM75.31\tCalcific tendinitis of right shoulder\t', '\nM75.31\tCalcific tendinitis of the right shoulder\t'));
    assert.equal(loadCodeIndex(dir).get('M75.31')?.title, 'Calcific tendinitis of the right shoulder');
    // Line endings changed by a checkout: no longer the recorded bytes, still the same data.
    edit('codes.tsv', (text) => text.replaceAll('\n', '\r\n'));
    edit('notes.json', (text) => text.replaceAll('\n', '\r\n'));
    assert.equal(loadCodeIndex(dir).size, services().codes.size);
  });

  it('fails with a DataFileError naming the file and the JSON path or line of a malformed file', () => {
    edit('notes.json', (text) => text.replace('"inclusionTerm":["Calcified bursa of shoulder"]', '"inclusionTerm":"Calcified bursa of shoulder"'));
    assert.throws(() => loadCodeIndex(dir), (e: Error) => e instanceof DataFileError && /invalid notes\.json:\n {2}notes\.json: codes\.M75\.3\.inclusionTerm: /.test(e.message));
    cpSync(join(committed, 'notes.json'), join(dir, 'notes.json'));
    edit('codes.tsv', (text) => text.slice(0, text.indexOf('\nM75.31\t') + 20));
    assert.throws(() => loadCodeIndex(dir), (e: Error) => e instanceof DataFileError && /codes\.tsv: line \d+: not "code<TAB>title/.test(e.message));
    edit('codes.tsv', () => 'code,title\n');
    assert.throws(() => loadCodeIndex(dir), (e: Error) => e instanceof DataFileError && /codes\.tsv: line 1 is not the header/.test(e.message));
    edit('index.json', (text) => text.slice(0, 1000));
    assert.throws(() => loadAlphabeticIndex(dir), (e: Error) => e instanceof DataFileError && /cannot read index\.json: /.test(e.message));
    rmSync(join(dir, 'changes.json'));
    assert.throws(() => loadCodeIndex(dir), (e: Error) => e instanceof DataFileError && /cannot read changes\.json in /.test(e.message));
  });

  it('derived.json: the code shapes and telling title stems build-data worked out, used with the files they came from (no code or title scanned for them at start)', () => {
    const loaded = loadCodeIndex(dir);
    let scans = 0;
    const scan = loaded.forEachTitle.bind(loaded);
    loaded.forEachTitle = (visit) => (scans++, scan(visit));
    assert.ok(loaded.derived);
    assert.equal(loaded.shapes, loaded.derived.codeShapes);
    assert.deepEqual([...new TitleStems(loaded).of('M75.31')], ['calcif', 'tendin', 'lesion']);
    assert.equal(scans, 0);
    // The committed file is what the codes and titles give.
    assert.deepEqual(loaded.derived.titleStems, tellingStems(loaded));
    assert.equal(scans, 1);
    // Any other codes.tsv (here: line endings changed by a checkout): both are worked out from its codes, the same.
    edit('codes.tsv', (text) => text.replaceAll('\n', '\r\n'));
    const other = loadCodeIndex(dir);
    assert.equal(other.derived, undefined);
    assert.deepEqual(other.shapes, loaded.shapes);
    assert.deepEqual([...new TitleStems(other).of('M75.31')], ['calcif', 'tendin', 'lesion']);
    // So is an edited changes.json (the deleted codes' shapes count) or derived.json.
    cpSync(join(committed, 'codes.tsv'), join(dir, 'codes.tsv'));
    edit('changes.json', (text) => text.replaceAll('\n', '\r\n'));
    assert.equal(loadCodeIndex(dir).derived, undefined);
    cpSync(join(committed, 'changes.json'), join(dir, 'changes.json'));
    edit('derived.json', (text) => text.replace('"Q","0123456789A"', '"Q","0123456789"'));
    assert.equal(loadCodeIndex(dir).derived, undefined);
    // A derived.json that is not the one built is validated in full.
    edit('derived.json', (text) => text.replace('"abando",\n"abcc6"', '"abcc6",\n"abando"'));
    assert.throws(
      () => loadCodeIndex(dir),
      (e: Error) => e instanceof DataFileError && e.message === 'invalid derived.json:\n  derived.json: titleStems[1]: "abando" is out of order or repeated',
    );
  });

  it('parses a verified index.json a main term per line, and any other layout whole, to the same index', () => {
    const text = readFileSync(join(committed, 'index.json'), 'utf8');
    const whole = new AlphabeticIndex(JSON.parse(text));
    const sameIndex = (index: AlphabeticIndex) => {
      assert.deepEqual(index.indexes, whole.indexes);
      assert.equal(index.mainTermCount, whole.mainTermCount);
      for (const { index: name, t } of JSON.parse(text).terms as Array<{ index: string; t: string }>) {
        assert.deepEqual(index.mainTerm(t, name), whole.mainTerm(t, name), t);
      }
    };
    const yieldsOf = () => {
      const work = alphabeticIndexSlices(new CodeDataReader(dir));
      let yields = 0;
      for (let next = work.next(); !next.done; next = work.next()) yields++;
      return yields;
    };
    // The committed file: read in 256 KB pieces (about 20), then 256 main terms a slice (about 53).
    assert.ok(yieldsOf() > 70);
    sameIndex(loadAlphabeticIndex(dir));
    // The same data in another layout, recorded as verified: parsed whole (only the pieces of the read yield).
    const provenance = JSON.parse(readFileSync(join(dir, 'provenance.json'), 'utf8'));
    const pretty = JSON.stringify(JSON.parse(text), null, 1);
    writeFileSync(join(dir, 'index.json'), pretty);
    provenance.files['index.json'] = { bytes: Buffer.byteLength(pretty), sha256: sha256(Buffer.from(pretty)) };
    writeFileSync(join(dir, 'provenance.json'), JSON.stringify(provenance));
    assert.ok(yieldsOf() < 40);
    sameIndex(loadAlphabeticIndex(dir));
    // A broken line in a file that claims to be verified still fails with a DataFileError.
    const broken = text.replace('{"index":"diseases","t":"Abandonment"', '{"index":"diseases","t":"Abandonment"}}');
    writeFileSync(join(dir, 'index.json'), broken);
    provenance.files['index.json'] = { bytes: Buffer.byteLength(broken), sha256: sha256(Buffer.from(broken)) };
    writeFileSync(join(dir, 'provenance.json'), JSON.stringify(provenance));
    assert.throws(() => loadAlphabeticIndex(dir), (e: Error) => e instanceof DataFileError && /cannot read index\.json: /.test(e.message));
  });

  it('validates everything when provenance.json is missing or of another schema version', () => {
    edit('provenance.json', (text) => text.replace('"schemaVersion": 2', '"schemaVersion": 1'));
    edit('changes.json', (text) => text.replace('"schemaVersion": 2', '"schemaVersion": 1'));
    assert.throws(() => loadCodeIndex(dir), (e: Error) => e instanceof DataFileError && /changes\.json: schemaVersion: /.test(e.message));
    rmSync(join(dir, 'provenance.json'));
    cpSync(join(committed, 'changes.json'), join(dir, 'changes.json'));
    assert.equal(loadCodeIndex(dir).size, services().codes.size);
  });
});
