/**
 * Completion of ICD-10-CM and CPT codes at an offset: on a code prefix ("M75.", "m61.4", "I25", "2300") the
 * children and matching codes; on words ("calcific tend", "pineal calc") the codes whose titles, inclusion
 * terms or index entries match, ranked so that the site and side documented in the sentence and the note
 * come first ("right shoulder calcific tendinitis" -> M75.31 first). Pure: offsets in, items out.
 */
import type { NoteAnalysis } from './analyze';
import type { CodeInfo } from './codes/codeIndex';
import type { CodeShapes } from './codes/codeShapes';
import { orList } from './codes/describe';
import { searchCodes } from './codes/search';
import { tokenizeWords } from './codes/words';
import type { CalxServices } from './rules/types';
import { sentenceAt } from './text/textModel';
import { lineStartAt } from './text/lines';

export interface CompletionEntry {
  /** The code shown and, for billable codes, inserted. */
  code: string;
  system: 'icd10cm' | 'cpt';
  title: string;
  billable: boolean;
  /** Markdown: billable status and the key notes. */
  documentation: string;
  /** Text to insert: the code, or for a header the header itself so that its children can be listed next. */
  insertText: string;
  /** A header: inserting it should re-open completion to choose among its children. */
  reopen: boolean;
  /** Sort key: lower first. */
  rank: number;
  /**
   * Where this item's replacement starts, when it is not the result's `replaceStart`: a word query's item
   * replaces every query word it accounts for ("calcific tendinitis right shoulder" -> M75.31).
   */
  replaceStart?: number;
}

export interface CompletionResult {
  /** UTF-16 range of the typed prefix that the chosen item replaces. */
  replaceStart: number;
  replaceEnd: number;
  /** What the user typed (the client filters on it). */
  typed: string;
  items: CompletionEntry[];
  /** More matches exist than returned: the client must ask again as the user types. */
  isIncomplete: boolean;
}

const PAGE = 60;
const CPT_PREFIX = /(?<![\w.])\d{3,4}[0-9FTU]?$/;
/** How far back from the cursor a query is read: every handler costs the same on a line of any length. */
export const QUERY_WINDOW = 160;
/** Words of a word query, at most (the last ones of the clause). */
const QUERY_WORDS = 8;
const WORD = /[\p{L}][\p{L}\p{M}\p{N}'-]*/gu;
/** Where a clause ends: the query is read after it. */
const CLAUSE_END = /[.;:!?,()[\]{}<>|"\t]/g;

export interface CompletionOptions {
  /** Word queries run only when the user asked for completion (Ctrl+Space), not on every keystroke in prose. */
  explicit: boolean;
}

export function completeAt(
  analysis: NoteAnalysis,
  offset: number,
  services: CalxServices,
  options: CompletionOptions = { explicit: true },
): CompletionResult | undefined {
  const text = analysis.model.text;
  // Only the end of the line before the cursor is read (a line of 200,000 characters costs what a short one does).
  const lineStart = lineStartAt(text, offset);
  const windowStart = Math.max(lineStart, offset - QUERY_WINDOW);
  const before = text.slice(windowStart, offset);
  const code = codePrefix(before, services.codes.shapes);
  if (code && isWordStart(text, windowStart + code.index)) return codeCompletion(code[0], offset, analysis, services);
  const cpt = CPT_PREFIX.exec(before);
  if (cpt) return cptCompletion(cpt[0], offset, services);
  if (!options.explicit) return undefined;
  return wordCompletion(queryWords(text, windowStart > lineStart ? windowStart : -1, offset), offset, analysis, services);
}

const PREFIXES = new WeakMap<CodeShapes, RegExp>();

/**
 * The code being typed at the end of `before`, in the shapes of the loaded code set ("M7", "m75.3", "QA1."):
 * with a digit in it, so that a word such as "QA" is not taken for one.
 */
function codePrefix(before: string, shapes: CodeShapes): RegExpExecArray | undefined {
  let re = PREFIXES.get(shapes);
  if (!re) PREFIXES.set(shapes, (re = new RegExp(`(?:${shapes.prefixPattern})$`, 'i')));
  const m = re.exec(before);
  return m && /\d/.test(m[0]) ? m : undefined;
}

function isWordStart(text: string, at: number): boolean {
  return at === 0 || !/[\p{L}\p{N}]/u.test(text[at - 1]!);
}

/** A word of a word query: where it stands in the note and the search words it gives. */
interface QueryWord {
  start: number;
  /** Positions of its words among the query's words (tokenizeWords of the query). */
  first: number;
  count: number;
}

/**
 * The words of the clause that ends at the cursor, at most QUERY_WORDS, read from `from` (the window's start,
 * within the cursor's line, a word cut by it left out; -1 when the window holds the whole line).
 */
export function queryWords(text: string, from: number, offset: number): { query: string; words: QueryWord[] } | undefined {
  // `from` is never before the line's start (the caller cut the window within the line).
  const start = from >= 0 ? from : lineStartAt(text, offset);
  const window = text.slice(start, offset);
  let clause = 0;
  for (const m of window.matchAll(CLAUSE_END)) clause = m.index + 1;
  const spans = [...window.slice(clause).matchAll(WORD)].map((m) => ({ start: start + clause + m.index, text: m[0] }));
  if (from >= 0 && clause === 0 && spans[0]?.start === start) spans.shift();
  const last = spans[spans.length - 1];
  if (!last || last.start + last.text.length !== offset || last.text.length < 3) return undefined;
  const words: QueryWord[] = [];
  const parts: string[] = [];
  let position = 0;
  for (const span of spans.slice(-QUERY_WORDS)) {
    const count = tokenizeWords(span.text).length;
    words.push({ start: span.start, first: position, count });
    parts.push(span.text);
    position += count;
  }
  return { query: parts.join(' '), words };
}

function documentation(info: CodeInfo, services: CalxServices): string {
  const { codes } = services;
  const parts = [info.billable ? `Billable · ICD-10-CM FY${codes.fiscalYear}` : `Header, not billable · report ${orList(codes.billableDescendants(info.code).map((c) => c.code), 6)}`];
  for (const { from, notes } of codes.notesInScope(info.code).slice(0, 3)) {
    const key = [
      ...(notes.excludes1 ?? []).slice(0, 3).map((n) => `Excludes1 (${from}): ${n}`),
      ...(notes.codeFirst ?? []).slice(0, 2).map((n) => `Code first (${from}): ${n}`),
      ...(notes.useAdditionalCode ?? []).slice(0, 2).map((n) => `Use additional code (${from}): ${n}`),
    ];
    if (key.length) parts.push(key.map((k) => `- ${k}`).join('\n'));
  }
  return parts.join('\n\n');
}

/** A code ranked for a page, its entry (and its documentation, the costly part) built only when it makes the page. */
interface Ranked {
  info: CodeInfo;
  rank: number;
  replaceStart?: number;
}

function entry({ info, rank, replaceStart }: Ranked, services: CalxServices): CompletionEntry {
  return {
    code: info.code,
    system: 'icd10cm',
    title: info.title,
    billable: info.billable,
    documentation: documentation(info, services),
    insertText: info.code,
    reopen: !info.billable,
    rank,
    ...(replaceStart !== undefined ? { replaceStart } : {}),
  };
}

/** "M75." lists M75's children then their billable descendants; "M75.3" its billable codes first. */
function codeCompletion(typed: string, offset: number, analysis: NoteAnalysis, services: CalxServices): CompletionResult {
  const { codes } = services;
  const candidates = codes.prefixSearch(typed, 2000);
  const parent = typed.replace(/\.$/, '').toUpperCase();
  const boost = documentedWords(analysis, offset, services);
  const ranked = candidates
    .filter((c) => c.code !== parent || c.billable)
    .map((c) => {
      const direct = c.parent === parent || (parent.length === 3 && c.code.length === 5 && c.code.startsWith(parent));
      return { info: c, rank: (direct ? 0 : 1000) + (c.billable ? 0 : 500) + c.code.length * 10 - fitBonus(c.title, boost) };
    });
  return page(typed, offset, ranked, services);
}

function cptCompletion(typed: string, offset: number, services: CalxServices): CompletionResult {
  const items = services.cpt
    .codes()
    .filter((c) => c.startsWith(typed))
    .map((c, i): CompletionEntry => {
      const found = services.cpt.get(c)!;
      return {
        code: c,
        system: 'cpt',
        title: found.text,
        billable: true,
        documentation: `CPT · ${found.textSource === 'licensed-file' ? 'licensed descriptor' : "Calx's plain-language summary"}${found.curated?.notes?.length ? `\n\n${found.curated.notes.map((n) => `- ${n.text}`).join('\n')}` : ''}`,
        insertText: c,
        reopen: false,
        rank: i,
      };
    });
  return { replaceStart: offset - typed.length, replaceEnd: offset, typed, items, isIncomplete: false };
}

/** Words of the site and side documented around the cursor (sentence first, then the note's findings). */
function documentedWords(analysis: NoteAnalysis, offset: number, services: CalxServices): Set<string> {
  const { model } = analysis;
  const words = new Set<string>();
  let s = sentenceAt(model, Math.max(0, offset - 1));
  if (s < 0) s = model.sentences.findIndex((x) => x.start >= offset) - 1;
  const sentence = model.sentences[s];
  if (sentence) {
    const tokens = model.tokens;
    for (const m of services.anatomy.siteMatcher.match(model.text, tokens, sentence.tokenStart, sentence.tokenEnd)) {
      for (const t of services.anatomy.site(m.value)?.titleTerms ?? []) tokenizeWords(t).forEach((w) => words.add(w));
    }
    for (const m of services.anatomy.sideMatcher.match(model.text, tokens, sentence.tokenStart, sentence.tokenEnd)) words.add(m.value);
  }
  return words;
}

/** How well a title fits what is documented: the side counts most, then the site's words. */
function fitBonus(title: string, documented: Set<string>): number {
  if (documented.size === 0) return 0;
  const words = new Set(tokenizeWords(title));
  let bonus = 0;
  for (const side of ['right', 'left', 'bilateral']) {
    if (words.has(side)) bonus += documented.has(side) ? 400 : -200;
  }
  if (words.has('unspecified') && (documented.has('right') || documented.has('left'))) bonus -= 300;
  for (const w of documented) if (!['right', 'left', 'bilateral'].includes(w) && words.has(w)) bonus += 150;
  return bonus;
}

/**
 * Codes for the words of the clause before the cursor, in the search's order (index path, then titles), the
 * site and side documented in the sentence breaking near ties. Each item replaces the query words it accounts
 * for: "calcific tendinitis right shoulder" -> M75.31, "Patient has chondrocalcinosis knee" -> "Patient has M11.269".
 */
function wordCompletion(
  query: ReturnType<typeof queryWords>,
  offset: number,
  analysis: NoteAnalysis,
  services: CalxServices,
): CompletionResult | undefined {
  if (!query) return undefined;
  const { codes } = services;
  const hits = searchCodes(codes, services.alphabeticIndex(), query.query, 400, services);
  if (hits.length === 0) return undefined;
  const documented = documentedWords(analysis, offset, services);
  const firstWord = query.words[0]!.start;
  const ranked = hits.map((h, i): Ranked => {
    const info = codes.get(h.code)!;
    // The first query word (in the note) that the code accounts for.
    const from = query.words.find((w) => h.consumed.some((p) => p >= w.first && p < w.first + w.count))?.start ?? firstWord;
    return { info, rank: i - (h.score ?? 0) * 100 - fitBonus(info.title, documented) / 10, replaceStart: from };
  });
  return page(offset - firstWord > 0 ? analysis.model.text.slice(firstWord, offset) : '', offset, ranked, services);
}

/** The best PAGE entries (by rank, then code), replacing what was typed; incomplete when more matched. */
function page(typed: string, offset: number, entries: Ranked[], services: CalxServices): CompletionResult {
  const ranked = [...entries].sort((a, b) => a.rank - b.rank || (a.info.code < b.info.code ? -1 : 1));
  return {
    replaceStart: offset - typed.length,
    replaceEnd: offset,
    typed,
    items: ranked.slice(0, PAGE).map((r) => entry(r, services)),
    isIncomplete: ranked.length > PAGE,
  };
}
