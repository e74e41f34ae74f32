// Issue 17, item 3: the hover of an ICD-10-CM code shows every note of the code and of each level above it
// (subcategory, category, block, chapter). Measured on 300 codes sampled over all chapters: billable codes and
// headers, 7th-character codes, codes under Excludes1, code-first, use-additional, code-also and instructional
// notes written at the code, its category, its block or its chapter.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeNote } from '../../server/src/core/analyze';
import type { CodeIndex } from '../../server/src/core/codes/codeIndex';
import type { NoteSet } from '../../server/src/core/codes/schema';
import { codeEntryMarkdown, hoverAt, markdownText, type HoverOptions } from '../../server/src/core/hover';
import { codeEntryCommandUri } from '../../server/src/lsp/protocol';
import { REPO_ROOT, services } from '../support/services';

/** Notes that change the code choice: always in the hover itself, never folded. */
const CODE_CHOICE: ReadonlySet<keyof NoteSet> = new Set(['excludes1', 'codeFirst', 'useAdditionalCode', 'codeAlso', 'sevenChrNote', 'sevenChrDef']);

interface Expected {
  from: string;
  kind: keyof NoteSet;
  text: string;
}

/** Every note text the code's hover must show: its own and those of each level above it. */
export function notesOf(codes: CodeIndex, code: string): Expected[] {
  return codes.notesInScope(code).flatMap(({ from, notes }) =>
    (Object.keys(notes) as Array<keyof NoteSet>).flatMap((kind) =>
      (notes[kind] ?? []).map((n) => ({ from, kind, text: typeof n === 'string' ? n : n.text })),
    ),
  );
}

/** 300 codes, the same every run: evenly spaced picks from each stratum, then from all codes. */
export function sampleCodes(codes: CodeIndex): string[] {
  const all = readFileSync(join(REPO_ROOT, 'data', 'icd10cm', 'codes.tsv'), 'utf8')
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((row) => row.slice(0, row.indexOf('\t')));
  // Each code's notes in scope, looked up once.
  const scopes = new Map(all.map((code) => [code, codes.notesInScope(code)]));
  const hasAt = (code: string, kind: keyof NoteSet, where: (from: string) => boolean) =>
    scopes.get(code)!.some(({ from, notes }) => where(from) && notes[kind] !== undefined);
  const notCode = (from: string) => !/^[A-Z][0-9A-Z]{2}(\.|$)/.test(from);
  const category = (code: string) => (from: string) => from === code.slice(0, 3);
  const strata: Array<[number, (code: string) => boolean]> = [
    [40, (c) => c.length === 8 && hasAt(c, 'sevenChrDef', () => true)],
    [30, (c) => !codes.isBillable(c)],
    [25, (c) => hasAt(c, 'codeFirst', () => true)],
    [25, (c) => hasAt(c, 'useAdditionalCode', () => true)],
    [25, (c) => hasAt(c, 'codeAlso', () => true)],
    [20, (c) => hasAt(c, 'notes', () => true)],
    [20, (c) => hasAt(c, 'excludes1', notCode)],
    [15, (c) => hasAt(c, 'excludes1', category(c))],
    [10, (c) => hasAt(c, 'codeFirst', notCode) || hasAt(c, 'useAdditionalCode', notCode) || hasAt(c, 'codeAlso', notCode)],
  ];
  const picked = new Set<string>();
  const spread = (list: readonly string[], n: number) => {
    for (let i = 0; i < n && list.length > 0; i++) picked.add(list[Math.floor(((i + 0.5) * list.length) / n)]!);
  };
  for (const [n, test] of strata) spread(all.filter(test), n);
  // Two codes of every chapter, then the rest evenly over all codes.
  const chapterOf = new Map(all.map((c) => [c, codes.breadcrumb(c)!.chapter.id]));
  for (const chapter of codes.chapters) spread(all.filter((c) => chapterOf.get(c) === chapter.id), 2);
  for (let n = 300 - picked.size, step = 0; picked.size < 300; step++) spread(all.filter((_, i) => i % 7 === step % 7), n);
  return [...picked].sort();
}

/** The hover of a code written in a note, as the server answers it. */
function hoverOf(code: string, options?: HoverOptions): string {
  const text = `Dx: ${code}`;
  const analysis = analyzeNote(text, services());
  return hoverAt(analysis, text.indexOf(code) + 1, services(), options)!.markdown;
}

const LINK = '[Show all notes](command:calx.showCodeEntry';

/** The notes of the code that its hover (and, for folded groups, its full entry) leave out. */
function missingNotes(code: string, options: HoverOptions): string[] {
  const codes = services().codes;
  const hover = hoverOf(code, options);
  const entry = codeEntryMarkdown(code, codes) ?? '';
  return notesOf(codes, code)
    .filter(({ kind, text }) => {
      const shown = markdownText(text);
      if (hover.includes(shown)) return false;
      if (CODE_CHOICE.has(kind)) return true;
      return !(hover.includes(LINK) && entry.includes(shown));
    })
    .map(({ from, kind, text }) => `${code}: ${kind} at ${from}: ${text}`);
}

describe('hover notes of 300 sampled ICD-10-CM codes (issue 17, item 3)', function () {
  this.timeout(120_000); // the sample looks at the notes of all 98,000 codes once
  let sampled: string[] | undefined;
  const sample = () => (sampled ??= sampleCodes(services().codes));

  it('samples 300 distinct codes over every chapter, with 7th-character codes, headers and each kind of note', () => {
    const codes = services().codes;
    const list = sample();
    assert.equal(new Set(list).size, 300);
    const chapters = new Set(list.map((c) => codes.breadcrumb(c)!.chapter.id));
    assert.deepEqual([...chapters].sort((a, b) => Number(a) - Number(b)), codes.chapters.map((c) => c.id));
    const kinds = new Set(list.flatMap((c) => notesOf(codes, c).map((n) => `${n.kind}@${/^chapter/.test(n.from) ? 'chapter' : codes.has(n.from) ? 'code' : 'block'}`)));
    for (const kind of ['excludes1@chapter', 'excludes1@block', 'codeFirst@block', 'notes@chapter', 'sevenChrDef@code', 'useAdditionalCode@chapter']) {
      assert.ok(kinds.has(kind), kind);
    }
  });

  for (const [name, options] of [
    ['in a client that opens the full entry (long groups fold behind "Show all notes")', { entryLink: codeEntryCommandUri }],
    ['in a client without the command (nothing folds)', {}],
  ] as Array<[string, HoverOptions]>) {
    it(`shows every note of the code and its ancestors ${name}`, () => {
      const list = sample();
      const missing = list.flatMap((code) => missingNotes(code, options));
      const codesShowingAll = list.filter((code) => !missing.some((m) => m.startsWith(`${code}:`))).length;
      assert.deepEqual(missing.slice(0, 10), [], `${codesShowingAll}/300 codes show all their notes`);
      assert.equal(codesShowingAll, 300);
    });
  }
});

describe('hover of an ICD-10-CM code: notes by level and kind', () => {
  const link = (code: string) => `[Show all notes](${codeEntryCommandUri(code)})`;
  /** The hover's sections (blank-line separated) between the breadcrumb and the siblings. */
  const noteSections = (code: string, options: HoverOptions = { entryLink: codeEntryCommandUri }) => {
    const sections = hoverOf(code, options).split('\n\n');
    const from = sections.findIndex((s) => s.startsWith('**At '));
    return sections.slice(from, sections.findIndex((s, i) => i > from && !s.startsWith('**At ') && !s.startsWith('_')));
  };

  it('M75.31: the inclusion term of its subcategory, the Excludes2 of its category, the note and folded Excludes2 of its chapter', () => {
    assert.equal(
      hoverOf('M75.31', { entryLink: codeEntryCommandUri }),
      [
        '**M75.31** Calcific tendinitis of right shoulder',
        'Billable · ICD-10-CM FY2027 (effective 2026-10-01)',
        'Chapter 13 Diseases of the musculoskeletal system and connective tissue › M70-M79 Other soft tissue disorders › M75 Shoulder lesions › M75.3 Calcific tendinitis of shoulder',
        '**At M75.3** Calcific tendinitis of shoulder',
        '_Inclusion terms_\n- Calcified bursa of shoulder',
        '**At M75** Shoulder lesions',
        '_Excludes2 (not included here)_\n- shoulder-hand syndrome (M89.0-)',
        '**At chapter 13** Diseases of the musculoskeletal system and connective tissue',
        '_Note_\n- Use an external cause code following the code for the musculoskeletal condition, if applicable, to identify the cause of the musculoskeletal condition',
        [
          '_Excludes2 (not included here)_',
          '- arthropathic psoriasis (L40.5-)',
          '- certain conditions originating in the perinatal period (P04-P96)',
          '- certain infectious and parasitic diseases (A00-B99)',
          '- compartment syndrome (traumatic) (T79.A-)',
          '- complications of pregnancy, childbirth and the puerperium (O00-O9A)',
          `- … 5 more: ${link('M75.31')}`,
        ].join('\n'),
        '**Siblings**\n- M75.30 Calcific tendinitis of unspecified shoulder\n- M75.32 Calcific tendinitis of left shoulder',
      ].join('\n\n'),
    );
  });

  it('I25.84: its own code-first note, the use-additional list of its category indented under its lead, the code-also of its block', () => {
    assert.deepEqual(noteSections('I25.84').slice(0, 8), [
      '**At I25.84** (this code)',
      '_Inclusion terms_\n- Coronary atherosclerosis due to severely calcified coronary lesion',
      '_Code first_\n- coronary atherosclerosis (I25.1-, I25.7-, I25.81-)',
      '**At I25** Chronic ischemic heart disease',
      '_Excludes2 (not included here)_\n- non-ischemic myocardial injury (I5A)',
      [
        '_Use additional code_',
        '- code to identify:',
        '    - chronic total occlusion of coronary artery (I25.82)',
        '    - exposure to environmental tobacco smoke (Z77.22)',
        '    - history of tobacco dependence (Z87.891)',
        '    - occupational exposure to environmental tobacco smoke (Z57.31)',
        '    - tobacco dependence (F17.-)',
        '    - tobacco use (Z72.0)',
      ].join('\n'),
      '**At block I20-I25** Ischemic heart diseases',
      '_Code also_\n- the presence of hypertension (I10-I1A)',
    ]);
  });

  it('S72.001A: the 7th characters of its category (its own marked), and the chapter 19 instruction to use a Chapter 20 code', () => {
    const sections = noteSections('S72.001A');
    const seventh = sections.find((s) => s.startsWith('_7th characters_'))!.split('\n');
    assert.deepEqual(seventh.slice(0, 3), [
      '_7th characters_: The appropriate 7th character is to be added to all codes from category S72',
      '- A initial encounter for closed fracture **(this code)**',
      '- B initial encounter for open fracture type I or II',
    ]);
    assert.equal(seventh.length, 17);
    assert.equal(seventh.at(-1), '- S sequela');
    assert.deepEqual(sections.slice(sections.indexOf('**At chapter 19** Injury, poisoning and certain other consequences of external causes')), [
      '**At chapter 19** Injury, poisoning and certain other consequences of external causes',
      [
        '_Note_',
        '- Use secondary code(s) from Chapter 20, External causes of morbidity, to indicate cause of injury. Codes within the T section that include the external cause do not require an additional external cause code',
        '- The chapter uses the S-section for coding different types of injuries related to single body regions and the T-section to cover injuries to unspecified body regions as well as poisoning and certain other consequences of external causes.',
      ].join('\n'),
      '_Excludes2 (not included here)_\n- birth trauma (P10-P15)\n- obstetric trauma (O70-O71)',
      '_Use additional code_\n- code to identify any retained foreign body, if applicable (Z18.-)',
    ]);
    // Inherited inclusion terms of a subcategory two levels up.
    assert.ok(sections.includes('_Inclusion terms_\n- Fracture of hip NOS\n- Fracture of neck of femur NOS'));
  });

  it('escapes Markdown in note text', () => {
    assert.equal(markdownText('Moans/grunts to pain; restless (<2 years old) *x* _y_ `z`'), 'Moans/grunts to pain; restless (\\<2 years old) \\*x\\* \\_y\\_ \\`z\\`');
  });
});
