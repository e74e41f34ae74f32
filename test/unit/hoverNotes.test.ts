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
  const scoped = (code: string) => codes.notesInScope(code);
  const hasAt = (code: string, kind: keyof NoteSet, where: (from: string) => boolean) =>
    scoped(code).some(({ from, notes }) => where(from) && notes[kind] !== undefined);
  const notCode = (from: string) => !/^[A-Z][0-9A-Z]{2}(\.|$)/.test(from);
  const category = (code: string) => (from: string) => from === code.slice(0, 3);
  const strata: Array<[number, (code: string) => boolean]> = [
    [40, (c) => c.length === 8 && codes.seventhCharacters(c) !== undefined],
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
  for (const chapter of codes.chapters) spread(all.filter((c) => codes.breadcrumb(c)!.chapter.id === chapter.id), 2);
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

describe('hover notes of 300 sampled ICD-10-CM codes (issue 17, item 3)', () => {
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
