import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CptCatalog } from '../../server/src/core/cpt/cptCatalog';
import { parseCptDescriptorFile } from '../../server/src/core/cpt/descriptorFile';
import { loadCuratedCptFile } from '../../server/src/core/cpt/loadCpt';
import { curatedCptFileSchema, formatIssues } from '../../server/src/core/cpt/schema';

const CURATED_PATH = fileURLToPath(new URL('../../data/cpt/curated.json', import.meta.url));

const REQUIRED_CODES = [
  '23000', '29822', '29823', '29826', '29828', '20680', '27301', '75571', '75572',
  '76881', '76882', '76942', '20550', '20551', '97014', '97110', '73030', '23412',
];
const REQUIRED_MODIFIERS = ['22', '50', 'RT', 'LT'];

/**
 * Fragments in the style of official descriptors (they open the seed's descriptor column). None may appear in
 * text Calx ships: our summaries must be our own words, not the licensed wording.
 */
const OFFICIAL_LOOKING_PHRASES = [
  'Removal of subdeltoid calcareous deposits',
  'subdeltoid calcareous',
  'Arthroscopy, shoulder, surgical',
  'debridement, limited',
  'debridement, extensive',
  'decompression of subacromial space',
  'partial acromioplasty',
  'Removal of implant; deep',
  'buried wire, pin, screw',
  'Incision and drainage, deep abscess',
  'CT, heart',
  'quantitative evaluation of coronary calcium',
  'evaluation of cardiac structure and morphology',
  'non-vascular, real time',
  'real time with image documentation',
  'anatomic specific structure',
  'Ultrasonic guidance for needle placement',
  'imaging supervision and interpretation',
  'Injection(s)',
  'single tendon origin/insertion',
  'single tendon sheath',
  'Application of a modality',
  'Therapeutic exercises',
  'Therapeutic procedure',
  'Radiologic examination',
  'minimum of 2 views',
];

function loadCuratedJson(): unknown {
  return JSON.parse(readFileSync(CURATED_PATH, 'utf8'));
}

/** A deep, mutable copy of the curated data for tests that break it on purpose. */
function curatedCopy(): { codes: Array<Record<string, unknown>>; modifiers: Array<Record<string, unknown>> } {
  return structuredClone(loadCuratedJson()) as { codes: Array<Record<string, unknown>>; modifiers: Array<Record<string, unknown>> };
}

function licensed(...rows: Array<[string, string]>): ReadonlyMap<string, string> {
  return new Map(rows);
}

describe('CPT curated data', () => {
  const catalog = loadCuratedCptFile(CURATED_PATH);
  const data = curatedCptFileSchema.parse(loadCuratedJson());

  it('has every required code, with its own summary', () => {
    for (const code of REQUIRED_CODES) {
      const lookup = catalog.get(code);
      assert.ok(lookup, `missing ${code}`);
      assert.equal(lookup.textSource, 'calx-summary');
      assert.equal(lookup.text, lookup.curated?.summary);
    }
  });

  it('has every required modifier', () => {
    for (const code of REQUIRED_MODIFIERS) assert.equal(catalog.modifier(code)?.code, code);
    assert.equal(catalog.modifier('rt')?.code, 'RT');
    assert.equal(catalog.modifier('59'), undefined);
  });

  it('lists codes sorted and knows nothing else', () => {
    assert.deepEqual(catalog.codes(), [...REQUIRED_CODES].sort());
    assert.equal(catalog.isKnown('99999'), false);
    assert.equal(catalog.get('99999'), undefined);
    assert.equal(catalog.get(' 23000 ')?.code, '23000');
  });

  it('carries the seed bundling notes', () => {
    const notes23000 = catalog.get('23000')?.curated?.notes?.map((note) => note.text).join(' ') ?? '';
    assert.match(notes23000, /23412/);
    assert.match(notes23000, /modifier 22/);
    const notes20551 = catalog.get('20551')?.curated?.notes?.map((note) => note.text).join(' ') ?? '';
    assert.match(notes20551, /modifier 50/);
    assert.match(notes20551, /A52863/);
    assert.match(catalog.get('76942')?.curated?.notes?.[0]?.text ?? '', /permanent record/);
  });

  it('ships no official-looking descriptor wording in any text', () => {
    const texts = [
      ...data.codes.flatMap((entry) => [entry.summary, entry.relevance, ...(entry.notes ?? []).map((n) => n.text)]),
      ...data.modifiers.flatMap((entry) => [entry.summary, ...(entry.notes ?? []).map((n) => n.text)]),
    ];
    for (const text of texts) {
      for (const phrase of OFFICIAL_LOOKING_PHRASES) {
        assert.ok(!text.toLowerCase().includes(phrase.toLowerCase()), `"${text}" contains "${phrase}"`);
      }
    }
  });

  it('states in meta that no AMA descriptor text is included', () => {
    assert.match(catalog.meta.licenceNote, /no AMA descriptor text/);
  });

  it('freezes the validated data', () => {
    assert.ok(Object.isFrozen(catalog.get('23000')?.curated));
    assert.ok(Object.isFrozen(catalog.codes()));
  });
});

describe('CPT curated data validation', () => {
  it('rejects a duplicate code, naming both JSON paths', () => {
    const broken = curatedCopy();
    broken.codes.push({ ...broken.codes[0] });
    const index = broken.codes.length - 1;
    assert.throws(
      () => CptCatalog.fromJson(broken),
      { message: `Invalid curated CPT data:\ncodes[${index}].code: duplicate code 23000 (first defined at codes[0].code)` },
    );
  });

  it('rejects a duplicate modifier', () => {
    const broken = curatedCopy();
    broken.modifiers.push({ code: 'RT', summary: 'Again.' });
    assert.throws(() => CptCatalog.fromJson(broken), /modifiers\[4\]\.code: duplicate code RT \(first defined at modifiers\[2\]\.code\)/);
  });

  it('rejects malformed codes and modifiers with their paths', () => {
    const broken = curatedCopy();
    broken.codes[1] = { ...broken.codes[1], code: '2982' };
    broken.modifiers[0] = { ...broken.modifiers[0], code: 'r' };
    const result = curatedCptFileSchema.safeParse(broken);
    assert.equal(result.success, false);
    assert.equal(
      formatIssues(result.error?.issues ?? []),
      'codes[1].code: must be 4 digits followed by a digit, F, T or U\nmodifiers[0].code: must be 2 digits or capital letters',
    );
  });

  it('accepts Category II, III and PLA code shapes', () => {
    const data = curatedCopy();
    for (const [i, code] of ['0001F', '0042T', '0001U'].entries()) {
      data.codes.push({ ...data.codes[0], code, notes: [] });
      assert.ok(curatedCptFileSchema.safeParse(data).success, `code #${i} ${code}`);
    }
  });

  it('rejects unknown fields and an unknown category', () => {
    const broken = curatedCopy();
    broken.codes[0] = { ...broken.codes[0], descriptor: 'x', category: 'surgery!' };
    assert.throws(() => CptCatalog.fromJson(broken), /codes\[0\]\.category: /);
    assert.throws(() => CptCatalog.fromJson(broken), /codes\[0\]: Unrecognized key: "descriptor"/);
  });

  it('reports the root when the input is not an object', () => {
    assert.throws(() => CptCatalog.fromJson(null), /^Error: Invalid curated CPT data:\n\(root\): /);
  });

  it('names the file when loading from disk fails', () => {
    assert.throws(() => loadCuratedCptFile('/nonexistent/curated.json'), /Cannot read curated CPT file \/nonexistent\/curated\.json/);
  });
});

describe('parseCptDescriptorFile', () => {
  it('reads CSV with BOM, CRLF, header and RFC 4180 quotes', () => {
    const text =
      '\uFEFFCode,Descriptor,Extra\r\n' +
      '23000,SYNTHETIC DESCRIPTOR FOR TEST A,ignored\r\n' +
      '29822,"SYNTHETIC, WITH ""QUOTES"" AND COMMA"\r\n' +
      '29823,"SYNTHETIC\r\nTWO LINES"\r\n' +
      '\r\n' +
      '75571,  SYNTHETIC PADDED  \r\n';
    const { entries, errors } = parseCptDescriptorFile(text);
    assert.deepEqual(errors, []);
    assert.deepEqual([...entries], [
      ['23000', 'SYNTHETIC DESCRIPTOR FOR TEST A'],
      ['29822', 'SYNTHETIC, WITH "QUOTES" AND COMMA'],
      ['29823', 'SYNTHETIC\nTWO LINES'],
      ['75571', 'SYNTHETIC PADDED'],
    ]);
  });

  it('reads CSV without a header or final newline', () => {
    const { entries, errors } = parseCptDescriptorFile('23000,SYNTHETIC A\n0042T,SYNTHETIC B');
    assert.deepEqual(errors, []);
    assert.deepEqual([...entries], [['23000', 'SYNTHETIC A'], ['0042T', 'SYNTHETIC B']]);
  });

  it('reads TSV, keeping quotes and commas literally', () => {
    const text = '\n"CPT code"\tLong descriptor\n23000\tSYNTHETIC, "QUOTED" DESCRIPTOR\textra\n20551\tSYNTHETIC B\n';
    const { entries, errors } = parseCptDescriptorFile(text);
    assert.deepEqual(errors, []);
    assert.deepEqual([...entries], [['23000', 'SYNTHETIC, "QUOTED" DESCRIPTOR'], ['20551', 'SYNTHETIC B']]);
  });

  it('reports bad rows with exact lines, keeps the first of duplicates, never echoes descriptors', () => {
    const text = [
      'code,descriptor', //                      1 header
      '23000,SYNTHETIC FIRST', //                2 ok
      '2300,SYNTHETIC SECRET SHORT CODE', //     3 bad code
      'SYNTHETIC SECRET SWAPPED,29822', //       4 bad code (columns swapped)
      '29823,', //                               5 empty descriptor
      '29826', //                                6 missing descriptor
      '23000,SYNTHETIC SECRET DUPLICATE', //     7 duplicate
      '"29828","SYNTHETIC MULTI', //             8 quoted across lines
      'LINE"', //                                9
      ',', //                                   10 blank cells: skipped
      'x2300,', //                              11 bad code and empty descriptor
      '20680,SYNTHETIC LAST',
    ].join('\n');
    const { entries, errors } = parseCptDescriptorFile(text);
    const badCode = 'first column is not a CPT code (4 digits followed by a digit, F, T or U)';
    assert.deepEqual(errors, [
      { line: 3, message: badCode },
      { line: 4, message: badCode },
      { line: 5, message: 'code 29823: descriptor is empty' },
      { line: 6, message: 'code 29826: descriptor is empty' },
      { line: 7, message: 'code 23000: duplicate of line 2; this row is ignored' },
      { line: 11, message: `${badCode}; descriptor is empty` },
    ]);
    assert.deepEqual([...entries], [
      ['23000', 'SYNTHETIC FIRST'],
      ['29828', 'SYNTHETIC MULTI\nLINE'],
      ['20680', 'SYNTHETIC LAST'],
    ]);
    for (const error of errors) assert.doesNotMatch(error.message, /SYNTHETIC/);
  });

  it('treats a header-less file whose first code is mistyped as data', () => {
    const { entries, errors } = parseCptDescriptorFile('2300,SYNTHETIC A\r\n23000,SYNTHETIC B\r\n');
    assert.deepEqual(errors, [{ line: 1, message: 'first column is not a CPT code (4 digits followed by a digit, F, T or U)' }]);
    assert.deepEqual([...entries], [['23000', 'SYNTHETIC B']]);
  });

  it('reports an unclosed quote at the line where its record starts', () => {
    const { entries, errors } = parseCptDescriptorFile('23000,SYNTHETIC A\r\n29822,"SYNTHETIC OPEN\r\n29823,SYNTHETIC C\r\n');
    assert.deepEqual(errors, [{ line: 2, message: 'quoted field is never closed; the rest of the file was ignored' }]);
    assert.deepEqual([...entries], [['23000', 'SYNTHETIC A']]);
  });

  it('rejects binary input with one error and no entries', () => {
    const { entries, errors } = parseCptDescriptorFile('23000,SYNTHETIC A\nPK\u0003\u0004\u0000\u0000garbage');
    assert.equal(entries.size, 0);
    assert.deepEqual(errors, [{ line: 2, message: 'file contains NUL bytes; it looks binary, not CSV or TSV text' }]);
  });

  it('returns nothing for empty input', () => {
    for (const text of ['', '\uFEFF', '\r\n\r\n']) {
      const { entries, errors } = parseCptDescriptorFile(text);
      assert.equal(entries.size, 0);
      assert.deepEqual(errors, []);
    }
  });
});

describe('CptCatalog with licensed descriptors', () => {
  const base = loadCuratedCptFile(CURATED_PATH);

  it('prefers the licensed text and keeps the curated record', () => {
    const catalog = base.withLicensedDescriptors(licensed(['23000', 'SYNTHETIC DESCRIPTOR FOR TEST']));
    const lookup = catalog.get('23000');
    assert.equal(lookup?.text, 'SYNTHETIC DESCRIPTOR FOR TEST');
    assert.equal(lookup?.textSource, 'licensed-file');
    assert.equal(lookup?.curated?.category, 'shoulder surgery');
    assert.equal(catalog.get('29822')?.textSource, 'calx-summary');
    assert.ok(catalog.hasLicensedDescriptors);
  });

  it('returns codes known only from the licensed file', () => {
    const catalog = base.withLicensedDescriptors(licensed(['99213', 'SYNTHETIC OFFICE VISIT']));
    assert.deepEqual(catalog.get('99213'), { code: '99213', text: 'SYNTHETIC OFFICE VISIT', textSource: 'licensed-file' });
    assert.ok(catalog.isKnown('99213'));
    assert.ok(catalog.codes().includes('99213'));
  });

  it('leaves the original catalog untouched and replaces earlier licensed text', () => {
    const first = base.withLicensedDescriptors(licensed(['23000', 'SYNTHETIC ONE'], ['99213', 'SYNTHETIC VISIT']));
    const second = first.withLicensedDescriptors(licensed(['23000', 'SYNTHETIC TWO']));
    assert.equal(base.get('23000')?.textSource, 'calx-summary');
    assert.equal(base.hasLicensedDescriptors, false);
    assert.equal(first.get('23000')?.text, 'SYNTHETIC ONE');
    assert.equal(second.get('23000')?.text, 'SYNTHETIC TWO');
    assert.equal(second.isKnown('99213'), false);
  });

  it('works end to end with the parser', () => {
    const { entries } = parseCptDescriptorFile('Code\tDescriptor\n20551\tSYNTHETIC DESCRIPTOR FOR TEST\n');
    assert.equal(base.withLicensedDescriptors(entries).get('20551')?.text, 'SYNTHETIC DESCRIPTOR FOR TEST');
  });
});
