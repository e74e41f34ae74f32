/**
 * Code search for people, the way a coder searches: a code prefix ("M75.", "m61.4") lists codes; words
 * ("coronary artery calcification", "kidney stone left", "calcific tend") go to the alphabetic index first
 * (main term, subterms, nonessential modifiers, following "see" references), then to the tabular (titles and
 * inclusion terms). An index code that needs more characters ("M75.3-") is completed from the tabular with the
 * side or site the query gives, the unspecified child when it gives none.
 *
 * Words match by stem ("calcified" = "calcification", "stones" = "stone"), the last word also as a prefix (it
 * may be half typed), a word the index does not know by its spelling within one or two edits, a site by the
 * words the tabular uses for it (anatomy data: "hip" -> "thigh", "pelvic region"), and a phrase or
 * abbreviation of the lexicon (CPPD, MAC, kidney stone) by the index terms the lexicon gives for it.
 * Every hit says which query words it accounts for, so that an editor can replace exactly those.
 */
import type { Anatomy } from '../attributes/anatomy';
import type { Lexicon } from '../lexicon/lexicon';
import type { AlphabeticIndex } from './alphabeticIndex';
import { normalizeCode, type CodeIndex } from './codeIndex';
import type { IndexTerm } from './schema';
import { lowerBound, stem, STOP_WORDS, tokenizeWords, withinEdits } from './words';

export interface SearchHit {
  code: string;
  title: string;
  billable: boolean;
  matchedBy: 'code' | 'title' | 'index';
  indexPath?: string;
  /** Positions, among tokenizeWords(query), of the query words the code accounts for. */
  consumed: number[];
  /** How well a word hit fits the query (about 10 a word matched, less 2 a word not asked for). */
  score?: number;
}

/** Vocabulary beyond the index and the tabular: lay terms and abbreviations, and the words titles use for sites. */
export interface SearchVocabulary {
  lexicon?: Lexicon;
  anatomy?: Anatomy;
}

const CODE_START = /^[A-Za-z][0-9][0-9A-Za-z]?\.?[0-9A-Za-z]{0,4}$/;

export function searchCodes(
  codes: CodeIndex,
  index: AlphabeticIndex | undefined,
  query: string,
  limit = 50,
  vocabulary: SearchVocabulary = {},
): SearchHit[] {
  const q = query.trim();
  if (!q || limit <= 0) return [];
  const hits: SearchHit[] = [];
  const seen = new Set<string>();
  const push = (code: string, matchedBy: SearchHit['matchedBy'], consumed: number[], indexPath?: string, score?: number) => {
    const info = codes.get(code);
    if (!info || seen.has(code) || hits.length >= limit) return;
    seen.add(code);
    const extra = { ...(indexPath ? { indexPath } : {}), ...(score !== undefined ? { score } : {}) };
    hits.push({ code, title: info.title, billable: info.billable, matchedBy, ...extra, consumed });
  };
  if (CODE_START.test(q)) {
    const exact = normalizeCode(q);
    if (exact) push(exact, 'code', [0]);
    for (const info of codes.prefixSearch(q, limit)) push(info.code, 'code', [0]);
  }
  for (const c of rankWords(codes, index, q, vocabulary)) {
    push(c.code, c.matchedBy, [...c.consumed].sort((a, b) => a - b), c.label, c.score);
  }
  return hits;
}

/** One word of the query and the stems it matches, with how much a match is worth. */
interface QueryWord {
  pos: number;
  word: string;
  /** Stem -> weight: its own stem 10, a spelling within edits 9, a site's title word 7. */
  stems: Map<string, number>;
  /** The last word may be half typed: any word starting with it matches (weight 8). */
  prefix: boolean;
  /** The word as the index spells it, when the query misspells it. */
  respelt?: string;
}

interface Candidate {
  code: string;
  score: number;
  consumed: Set<number>;
  matchedBy: 'title' | 'index';
  label?: string;
}

const FULL = 10;
const SPELLING = 9;
const PREFIX = 8;
const SITE = 7;
/** A nonessential modifier counts for less than a subterm. */
const NONESSENTIAL = 0.6;
/** Each word of an index path or title that the query does not ask for. */
const EXTRA = 2;
/** Following a "see" reference (a coder's second look-up). */
const SEE = 1;
/** Index nodes visited below a term a reference or a lexicon phrase leads to. */
const SUBTREE_LIMIT = 4000;
/** Index entries scored closely for one query (the ones with the most query words). */
const CANDIDATE_LIMIT = 300;
/** "See" references followed for one query. */
const REFERENCE_LIMIT = 12;
const SIDES = ['right', 'left', 'bilateral'];

function rankWords(codes: CodeIndex, index: AlphabeticIndex | undefined, query: string, vocabulary: SearchVocabulary): Candidate[] {
  const all = tokenizeWords(query);
  const words = queryWords(all, index, vocabulary);
  if (words.length === 0) return [];
  const found = new Map<string, Candidate>();
  const sideAsked = words.some((w) => SIDES.includes(w.word));
  const add = (code: string, score: number, consumed: Set<number>, matchedBy: Candidate['matchedBy'], label?: string) => {
    for (const c of completeCode(codes, code, score, consumed, words, sideAsked)) {
      const old = found.get(c.code);
      if (!old || c.score > old.score) found.set(c.code, { ...c, matchedBy, ...(label ? { label } : {}) });
    }
  };
  if (index) indexCandidates(index, words, vocabulary.lexicon, add);
  titleCandidates(codes, words, add);
  // A code must account for most of the query: never the last word of several alone.
  const needed = words.length - Math.floor(words.length / 3);
  const ranked = [...found.values()].sort((a, b) => b.score - a.score || a.code.length - b.code.length || (a.code < b.code ? -1 : 1));
  const enough = ranked.filter((c) => c.consumed.size >= needed);
  if (enough.length > 0) return enough;
  const most = Math.max(0, ...ranked.map((c) => c.consumed.size));
  return most >= Math.min(2, words.length) ? ranked.filter((c) => c.consumed.size === most) : [];
}

function queryWords(all: string[], index: AlphabeticIndex | undefined, vocabulary: SearchVocabulary): QueryWord[] {
  const vocab = index?.words() ?? [];
  const sites = siteTitleWords(vocabulary.anatomy);
  const out: QueryWord[] = [];
  all.forEach((word, pos) => {
    const last = pos === all.length - 1;
    if (STOP_WORDS.has(word) && !last) return;
    const own = stem(word);
    const stems = new Map([[own, FULL]]);
    let respelt: string | undefined;
    if (vocab.length > 0 && !knows(vocab, own, last ? word : undefined)) {
      for (const w of misspelt(vocab, word)) {
        respelt ??= w;
        if (!stems.has(stem(w))) stems.set(stem(w), SPELLING);
      }
    }
    for (const w of sites.get(word) ?? []) if (!stems.has(stem(w))) stems.set(stem(w), SITE);
    out.push({ pos, word, stems, prefix: last && word.length >= 2 && !respelt, ...(respelt ? { respelt } : {}) });
  });
  return out;
}

/** Whether some word of the sorted vocabulary has the stem (or starts with the prefix). */
function knows(vocab: readonly string[], s: string, prefix: string | undefined): boolean {
  for (let k = lowerBound(vocab, s); k < vocab.length && vocab[k]!.startsWith(s); k++) if (stem(vocab[k]!) === s) return true;
  if (prefix === undefined) return false;
  const k = lowerBound(vocab, prefix);
  return k < vocab.length && vocab[k]!.startsWith(prefix);
}

/** Words of the vocabulary within one edit (two for long words) of a word it does not know, same first letter. */
function misspelt(vocab: readonly string[], word: string): string[] {
  if (word.length < 5) return [];
  const max = word.length >= 9 ? 2 : 1;
  const first = word[0]!;
  const out: string[] = [];
  for (let k = lowerBound(vocab, first); k < vocab.length && vocab[k]!.startsWith(first); k++) {
    if (withinEdits(word, vocab[k]!, max)) out.push(vocab[k]!);
  }
  return out;
}

const siteWordsMemo = new WeakMap<Anatomy, Map<string, string[]>>();

/** A one-word site variant ("hip", "hips") -> the words the tabular uses for the site ("hip", "thigh"). */
function siteTitleWords(anatomy: Anatomy | undefined): Map<string, string[]> {
  if (!anatomy) return new Map();
  let map = siteWordsMemo.get(anatomy);
  if (!map) {
    map = new Map();
    for (const site of anatomy.sites.values()) {
      const titleWords = site.titleTerms.flatMap((t) => tokenizeWords(t));
      for (const v of site.variants) {
        const vw = tokenizeWords(v);
        if (vw.length === 1) map.set(vw[0]!, [...(map.get(vw[0]!) ?? []), ...titleWords]);
      }
    }
    siteWordsMemo.set(anatomy, map);
  }
  return map;
}

/** Stems of index and title words, kept across queries (their number is bounded by the vocabulary's). */
const stems = new Map<string, string>();
function stemOf(word: string): string {
  let s = stems.get(word);
  if (s === undefined) {
    if (stems.size > 200_000) stems.clear();
    stems.set(word, (s = stem(word)));
  }
  return s;
}

function weight(q: QueryWord, textWord: string): number {
  let w = q.stems.get(stemOf(textWord)) ?? 0;
  if (q.prefix && w < PREFIX && textWord.startsWith(q.word)) w = PREFIX;
  return w;
}

type Add = (code: string, score: number, consumed: Set<number>, matchedBy: Candidate['matchedBy'], label?: string) => void;

/** What the words of some index or title text give the query: gain, query words consumed, words not asked for. */
function fit(essential: string[][], nonessential: string[][], words: QueryWord[], skip: Set<number>) {
  // Each query word takes its best text word, and each text word answers one query word: when two want the
  // same one, the strongest pairs go first, so "coronary" (a site whose title words hold "artery") does not
  // take the "artery" that "artery" names.
  const pairs: Array<{ pos: number; slot: number; x: number; word: string | undefined }> = [];
  const best = new Map<number, number>();
  let shared = false;
  for (const q of words) {
    if (skip.has(q.pos)) continue;
    let slot = 0;
    let top: (typeof pairs)[number] | undefined;
    const take = (x: number, word: string | undefined) => {
      if (x > 0) {
        const pair = { pos: q.pos, slot, x, word };
        pairs.push(pair);
        if (!top || x > top.x) top = pair;
      }
      slot++;
    };
    for (const list of essential) for (const w of list) take(weight(q, w), w);
    for (const list of nonessential) for (const w of list) take(weight(q, w) * NONESSENTIAL, undefined);
    if (!top) continue;
    if (best.has(top.slot)) shared = true;
    best.set(top.slot, q.pos);
  }
  if (shared) pairs.sort((a, b) => b.x - a.x);
  let gain = 0;
  const consumed = new Set<number>();
  const taken = new Set<number>();
  const used = new Set<string>();
  for (const { pos, slot, x, word } of pairs) {
    if (consumed.has(pos) || taken.has(slot) || (!shared && best.get(slot) !== pos)) continue;
    gain += x;
    consumed.add(pos);
    taken.add(slot);
    if (word) used.add(word);
  }
  let extra = 0;
  for (const list of essential) for (const w of list) if (!used.has(w) && !STOP_WORDS.has(w)) extra++;
  return { gain, consumed, extra };
}

const termWords = new WeakMap<IndexTerm, { essential: string[]; nonessential: string[] }>();
const wordsOfTerm = (t: IndexTerm) => {
  let w = termWords.get(t);
  if (!w) termWords.set(t, (w = { essential: tokenizeWords(t.t), nonessential: t.nemod ? tokenizeWords(t.nemod) : [] }));
  return w;
};
const essentialWords = (t: IndexTerm) => wordsOfTerm(t).essential;
const nonessentialWords = (t: IndexTerm) => wordsOfTerm(t).nonessential;
const labelOf = (path: readonly IndexTerm[]) => path.map((t) => t.t).join(', ');

function indexCandidates(index: AlphabeticIndex, words: QueryWord[], lexicon: Lexicon | undefined, add: Add): void {
  const vocab = index.words();
  // Entries with the most query words: counted from the word index, then scored closely.
  const counts = new Map<number, number>();
  for (const q of words) {
    for (const id of index.entriesWithAny(vocabularyMatches(vocab, q))) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  let most = 0;
  for (const n of counts.values()) most = Math.max(most, n);
  // The entries with the most query words, shortest labels first (a coder reads the main term's first lines).
  const ids = [...counts]
    .filter(([, n]) => n >= most - 1)
    .sort((a, b) => b[1] - a[1] || index.entryLabelLength(a[0]) - index.entryLabelLength(b[0]))
    .slice(0, CANDIDATE_LIMIT)
    .map(([id]) => id);
  const references: Array<{ reference: string; score: number; consumed: Set<number>; label: string; within: string }> = [];
  for (const id of ids) {
    if (index.entryIndex(id) !== 'diseases' && index.entryIndex(id) !== 'external-causes') continue;
    const path = index.entryPath(id);
    const term = path[path.length - 1]!;
    const { gain, consumed, extra } = fit(path.map(essentialWords), path.map(nonessentialWords), words, new Set());
    const score = gain - EXTRA * extra;
    if (term.code) add(term.code, score, consumed, 'index', labelOf(path));
    const reference = term.see ?? (term.code ? undefined : term.seeAlso);
    // A reference names a term of the index it is written in ("see Accident, transport" is an external cause).
    if (reference) references.push({ reference, score, consumed, label: labelOf(path), within: index.entryIndex(id) });
  }
  // The best few references are followed (each once for the same query words): a coder's second look-up.
  references.sort((a, b) => b.score - a.score);
  const followed = new Set<string>();
  for (const r of references) {
    const key = `${r.within}|${r.reference}|${[...r.consumed].join(',')}`;
    if (followed.has(key)) continue;
    followed.add(key);
    follow(index, r.reference, r.score, r.consumed, words, add, r.label, SEE, r.within);
    if (followed.size >= REFERENCE_LIMIT) break;
  }
  if (lexicon) {
    for (const { consumed, indexTerms } of lexiconPhrases(lexicon, words)) {
      for (const path of indexTerms) follow(index, path, FULL * consumed.size, consumed, words, add, path, 0);
    }
  }
}

/** Words of the vocabulary a query word matches (by stem, spelling, site title word, or as a typed prefix). */
function vocabularyMatches(vocab: readonly string[], q: QueryWord): string[] {
  const out: string[] = [];
  for (const s of q.stems.keys()) {
    for (let k = lowerBound(vocab, s); k < vocab.length && vocab[k]!.startsWith(s); k++) {
      if (stemOf(vocab[k]!) === s) out.push(vocab[k]!);
    }
  }
  if (q.prefix) for (let k = lowerBound(vocab, q.word); k < vocab.length && vocab[k]!.startsWith(q.word); k++) out.push(vocab[k]!);
  return out;
}

/** What a search did, for tests of its caches: index nodes walked below followed terms, families listed. */
export const searchWork = { nodesWalked: 0, familiesListed: 0 };

/** A followed term's subtree, walked once: each coded node with its words and label (see walkBelow). */
interface Walk {
  target: IndexTerm;
  nodes: Array<{ code: string; essential: string[][]; nonessential: string[][]; label: string }>;
}

/**
 * Walks kept per index: a reference or lexicon term is followed again by every query that reaches it (the same
 * few dozen for a query typed on, a word at a time). The least recently used go first once the walks kept hold
 * more than NODES_KEPT nodes.
 */
let walks = new WeakMap<AlphabeticIndex, { byReference: Map<string, Walk | null>; nodes: number }>();
const NODES_KEPT = 10_000;

/** Forgets the walks and code families kept across queries (for tests comparing with a fresh search). */
export function clearSearchCaches(): void {
  walks = new WeakMap();
  families = new WeakMap();
}

/**
 * The term a reference names and its subtree below it (up to SUBTREE_LIMIT nodes, depth first): every node
 * with a code, with the words of the path below the term and the index path shown for it. It does not depend
 * on the query, so it is walked once and kept.
 */
function walkBelow(index: AlphabeticIndex, reference: string, within: string): Walk | undefined {
  let kept = walks.get(index);
  if (!kept) walks.set(index, (kept = { byReference: new Map(), nodes: 0 }));
  const { byReference } = kept;
  const id = `${within}|${reference}`;
  const cached = byReference.get(id);
  if (cached !== undefined) {
    byReference.delete(id);
    byReference.set(id, cached);
    return cached ?? undefined;
  }
  const target = index.lookup(reference.replace(/\s*\(.*?\)/g, ''), within);
  let walk: Walk | null = null;
  if (target) {
    walk = { target: target.term, nodes: [] };
    const stack: IndexTerm[][] = [[target.term]];
    for (let visited = 0; stack.length > 0 && visited < SUBTREE_LIMIT; visited++) {
      searchWork.nodesWalked++;
      const path = stack.pop()!;
      const term = path[path.length - 1]!;
      for (const sub of term.terms ?? []) stack.push([...path, sub]);
      if (!term.code) continue;
      const below = path.slice(1);
      walk.nodes.push({
        code: term.code,
        essential: below.map(essentialWords),
        nonessential: below.map(nonessentialWords),
        label: labelOf([...target.path.slice(0, -1), ...path]),
      });
    }
  }
  const size = (w: Walk | null) => 1 + (w?.nodes.length ?? 0);
  for (const [oldest, old] of byReference) {
    if (kept.nodes + size(walk) <= NODES_KEPT) break;
    byReference.delete(oldest);
    kept.nodes -= size(old);
  }
  byReference.set(id, walk);
  kept.nodes += size(walk);
  return walk ?? undefined;
}

/**
 * A coder's next look-up: the term a "see" reference (or a lexicon phrase) names, and below it the subterms
 * that fit the query words not yet accounted for. The target's own words are not counted as unasked for.
 */
function follow(
  index: AlphabeticIndex,
  reference: string,
  score: number,
  consumed: Set<number>,
  words: QueryWord[],
  add: Add,
  from: string,
  cost = SEE,
  within = 'diseases',
): void {
  if (/^(condition|also )/i.test(reference)) return;
  const walk = walkBelow(index, reference, within);
  if (!walk) return;
  const own = fit([essentialWords(walk.target)], [nonessentialWords(walk.target)], words, consumed);
  const before = new Set([...consumed, ...own.consumed]);
  for (const node of walk.nodes) {
    const sub = fit(node.essential, node.nonessential, words, before);
    add(node.code, score + own.gain + sub.gain - EXTRA * sub.extra - cost, new Set([...before, ...sub.consumed]), 'index', via(from, node.label));
  }
}

/** The index path shown for a hit: the term looked up, then where its reference led ("Cholelithiasis > Calculus, gallbladder"); once when they are the same. */
function via(from: string, to: string): string {
  return to === from || to.startsWith(`${from}, `) ? to : `${from} > ${to}`;
}

const phraseMemo = new WeakMap<Lexicon, Map<string, string[]>>();

/** Runs of query words that are a phrase or abbreviation of the lexicon, with the concept's index terms. */
function lexiconPhrases(lexicon: Lexicon, words: QueryWord[]): Array<{ consumed: Set<number>; indexTerms: readonly string[] }> {
  let phrases = phraseMemo.get(lexicon);
  if (!phrases) {
    phrases = new Map();
    for (const c of lexicon.concepts.values()) {
      if (c.indexTerms.length === 0) continue;
      for (const v of [...c.variants, ...c.abbreviations]) {
        const key = tokenizeWords(v).filter((w) => !STOP_WORDS.has(w)).map(stem).join(' ');
        if (key) phrases.set(key, [...(phrases.get(key) ?? []), c.id]);
      }
    }
    phraseMemo.set(lexicon, phrases);
  }
  const out: Array<{ consumed: Set<number>; indexTerms: readonly string[] }> = [];
  for (let i = 0; i < words.length; i++) {
    for (let j = i + 1; j <= Math.min(words.length, i + 6); j++) {
      const run = words.slice(i, j);
      const ids = phrases.get(run.map((w) => stem(w.word)).join(' '));
      for (const id of ids ?? []) out.push({ consumed: new Set(run.map((w) => w.pos)), indexTerms: lexicon.concepts.get(id)!.indexTerms });
    }
  }
  return out;
}

/** Codes whose title or inclusion terms hold the query words (spelt as the vocabulary spells them). */
function titleCandidates(codes: CodeIndex, words: QueryWord[], add: Add): void {
  const query = words.map((q) => q.respelt ?? q.word).join(' ');
  for (const hit of codes.wordSearch(query, 200)) {
    const info = codes.get(hit.code)!;
    const { gain, consumed, extra } = fit([tokenizeWords(info.title)], [], words, new Set());
    add(hit.code, gain * 0.9 - extra - (info.billable ? 0 : 3), consumed, 'title');
  }
}

/** Families kept per code set: the same headers come back query after query (the least recently used go first). */
let families = new WeakMap<CodeIndex, Map<string, Family>>();
type Family = Array<{ code: string; words: string[] }>;
const FAMILIES_KEPT = 256;

/** The billable codes below a header, with the words of their titles. */
function familyOf(codes: CodeIndex, header: string): Family {
  let kept = families.get(codes);
  if (!kept) families.set(codes, (kept = new Map()));
  let family = kept.get(header);
  if (family) {
    kept.delete(header);
  } else {
    searchWork.familiesListed++;
    family = codes.billableDescendants(header).map((d) => ({ code: d.code, words: tokenizeWords(d.title) }));
    if (kept.size >= FAMILIES_KEPT) kept.delete(kept.keys().next().value!);
  }
  kept.set(header, family);
  return family;
}

/**
 * An index code ("M75.3-", "M61.40") as the billable codes it leads to, the best fit with the query's side
 * and site first; the unspecified child when the query gives no side.
 */
function completeCode(
  codes: CodeIndex,
  code: string,
  score: number,
  consumed: Set<number>,
  words: QueryWord[],
  sideAsked: boolean,
): Candidate[] {
  const info = codes.get(code.replace(/[-.]+$/, ''));
  if (!info) return [];
  if (info.billable) return [{ code: info.code, score, consumed, matchedBy: 'index' }];
  return familyOf(codes, info.code).map(({ code: child, words: titleWords }) => {
    const more = fit([titleWords], [], words, consumed);
    let s = score + more.gain;
    for (const side of SIDES) if (titleWords.includes(side) && !words.some((q) => q.word === side)) s -= 4;
    if (!sideAsked && titleWords.includes('unspecified')) s += 2;
    return { code: child, score: s - child.length * 0.01, consumed: new Set([...consumed, ...more.consumed]), matchedBy: 'index' as const };
  });
}
