/**
 * Completion of ICD-10-CM and CPT codes at an offset: on a code prefix ("M75.", "m61.4", "I25", "2300") the
 * children and matching codes; on words ("calcific tend", "pineal calc") the codes whose titles, inclusion
 * terms or index entries match, ranked so that the site and side documented in the sentence and the note
 * come first ("right shoulder calcific tendinitis" -> M75.31 first). Pure: offsets in, items out.
 */
import type { NoteAnalysis } from './analyze';
import type { CodeInfo } from './codes/codeIndex';
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
const CODE_PREFIX = /[A-Za-z][0-9][0-9A-Za-z]?(?:\.[0-9A-Za-z]{0,4}|[0-9A-Za-z]{0,4})$/;
const CPT_PREFIX = /(?<![\w.])\d{3,4}[0-9FTU]?$/;
const WORDS = /(?:[\p{L}][\p{L}\p{M}'-]*\s+){0,3}[\p{L}][\p{L}\p{M}'-]{2,}$/u;

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
  const lineStart = lineStartAt(text, offset);
  const before = text.slice(lineStart, offset);
  const code = CODE_PREFIX.exec(before);
  if (code && isWordStart(before, code.index)) return codeCompletion(code[0], offset, analysis, services);
  const cpt = CPT_PREFIX.exec(before);
  if (cpt) return cptCompletion(cpt[0], offset, services);
  if (!options.explicit) return undefined;
  const words = WORDS.exec(before);
  if (words) return wordCompletion(words[0], offset, analysis, services);
  return undefined;
}

function isWordStart(line: string, index: number): boolean {
  return index === 0 || !/[\p{L}\p{N}]/u.test(line[index - 1]!);
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

function entry(info: CodeInfo, rank: number, services: CalxServices): CompletionEntry {
  return {
    code: info.code,
    system: 'icd10cm',
    title: info.title,
    billable: info.billable,
    documentation: documentation(info, services),
    insertText: info.code,
    reopen: !info.billable,
    rank,
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
      const rank = (direct ? 0 : 1000) + (c.billable ? 0 : 500) + c.code.length * 10 - fitBonus(c.title, boost);
      return entry(c, rank, services);
    });
  return page(typed, offset, ranked);
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
 * The query is the shortest run of the last words that still finds codes well: "Right shoulder calcific
 * tend" searches "calcific tend" (the side and site are used for ranking, and stay in the note).
 */
function wordCompletion(words: string, offset: number, analysis: NoteAnalysis, services: CalxServices): CompletionResult | undefined {
  const { codes } = services;
  const parts = [...words.matchAll(/[\p{L}][\p{L}\p{M}'-]*/gu)];
  let typed = '';
  let hits: ReturnType<typeof searchCodes> = [];
  for (let k = Math.min(2, parts.length); k <= parts.length; k++) {
    const from = parts[parts.length - k]!.index!;
    const candidate = words.slice(from);
    const found = searchCodes(codes, services.alphabeticIndex(), candidate, 400);
    if (found.length === 0) break;
    typed = candidate;
    hits = found;
    if (found.length < 400) break;
  }
  if (hits.length === 0) {
    typed = parts[parts.length - 1]![0];
    hits = searchCodes(codes, services.alphabeticIndex(), typed, 400);
  }
  if (hits.length === 0) return undefined;
  const documented = documentedWords(analysis, offset, services);
  const query = tokenizeWords(typed);
  const ranked = hits.map((h, i) => {
    const info = codes.get(h.code)!;
    const titleWords = tokenizeWords(info.title);
    const exact = titleWords.join(' ') === query.join(' ');
    const startsWith = query.every((w, k) => (k === query.length - 1 ? titleWords[k]?.startsWith(w) : titleWords[k] === w));
    const rank = i + (exact ? -3000 : 0) + (startsWith ? -1000 : 0) + (info.billable ? 0 : 600) - fitBonus(info.title, documented);
    return entry(info, rank, services);
  });
  return page(typed, offset, ranked);
}

/** The best PAGE entries (by rank, then code), replacing what was typed; incomplete when more matched. */
function page(typed: string, offset: number, entries: CompletionEntry[]): CompletionResult {
  const ranked = [...entries].sort((a, b) => a.rank - b.rank || (a.code < b.code ? -1 : 1));
  return {
    replaceStart: offset - typed.length,
    replaceEnd: offset,
    typed,
    items: ranked.slice(0, PAGE),
    isIncomplete: ranked.length > PAGE,
  };
}
