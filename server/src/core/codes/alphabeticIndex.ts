import type { IndexFile, IndexTerm } from './schema';
import { Sliced } from '../sliced';
import { intersectSorted, tokenizeWords, WordPostings } from './words';

/** A term found in the index, with the chain of terms that leads to it ("Calcification" > "pineal gland"). */
export interface IndexMatch {
  /** Which index: "diseases" or "external-causes". */
  index: string;
  /** Main term first, the matched term last. */
  path: IndexTerm[];
  term: IndexTerm;
}

/** A flattened entry for word search: "Calcification, pineal gland" -> E34.8. */
export interface IndexEntry {
  index: string;
  /** Titles from the main term down, joined by ", " as coders write index paths. */
  label: string;
  term: IndexTerm;
}

const key = (s: string) => tokenizeWords(s).join(' ');

/**
 * The keys a reference may name a term by, besides its exact title. The index writes a word's forms as one title
 * ("Calculus, calculi, calculous", "Gout, gouty") and references name one form ("see Calculus, kidney"); it
 * writes alternatives with "or" ("sedative, hypnotic or anxiolytic", "lymph gland or node") and references name
 * one ("see Dependence, drug, sedative"); a title without its parenthesized words; a plural by a nonessential "(s)" ("Complication (s)" is "see
 * Complications"); and "NEC" / "NOS" qualify a title that references leave out ("drug NEC" is "see Abuse, drug").
 */
export function termForms(term: IndexTerm): string[] {
  const forms = new Set<string>();
  const plain = (s: string) => s.replace(/\s+(NEC|NOS)$/, '');
  const parts = term.t.split(',').map((p) => plain(p.trim()));
  if (parts.length > 1 && parts.slice(1).every((p) => isFormOf(p, parts[0]!))) for (const p of parts) forms.add(key(p));
  if (/\sor\s/.test(term.t)) for (const alternative of expandAlternatives(plain(term.t))) forms.add(key(alternative));
  const whole = plain(term.t);
  if (whole !== term.t) forms.add(key(whole));
  // References are read without their parenthesized words ("see Phlebitis, intracranial sinus").
  forms.add(key(`${whole} ${term.nemod ?? ''}`.replace(/\s*\([^)]*\)/g, '')));
  const plural = /^\((e?s)\)/.exec(term.nemod ?? '');
  if (plural) for (const f of [...forms, key(whole)]) forms.add(`${f}${plural[1]}`);
  forms.delete(key(term.t));
  return [...forms];
}

/**
 * The last key a reference may name a term by: the part before its first comma, a qualifier left out ("see
 * Injury, intracranial, subdural hemorrhage" is "subdural hemorrhage, traumatic"; "see Gout" may be "Gout,
 * chronic" when no form of it fits). Undefined for a title without a comma.
 */
export function termHead(term: IndexTerm): string | undefined {
  const comma = term.t.indexOf(',');
  return comma > 0 ? key(term.t.slice(0, comma).replace(/\s+(NEC|NOS)$/, '')) : undefined;
}

/** "parotid duct or gland" -> parotid duct, parotid gland; "sedative, hypnotic or anxiolytic" -> each word. */
export function expandAlternatives(words: string): string[] {
  const alternatives = words.split(/,\s*|\s+or\s+/).map((s) => s.trim()).filter((s) => s.length > 0);
  const first = alternatives[0]!.split(/\s+/);
  const modifier = first.length > 1 ? first.slice(0, -1).join(' ') : '';
  return [...new Set(alternatives.map((a, k) => (k > 0 && modifier && !a.includes(' ') ? `${modifier} ${a}` : a)))];
}

/** Words that begin a group of subterms ("with" > "intoxication"); a reference writes them as one part. */
const CONNECTIVE = /^(with|without|in|due to|following|complicating|during|of|from|by)\s+(.+)$/i;

/** A reference part that tells the coder how to go on ("by site", "by type"), not a term: the walk stops there. */
const INSTRUCTION = /^by\s+(site|type|drug|substance|body region)\b/i;

const childrenKept = new WeakMap<IndexTerm, Map<string, IndexTerm[]>>();

/**
 * A term's subterms by every key a reference may name them by (worked out once per term): exact titles
 * (with or without the nonessential modifiers) first, then the other forms (termForms), then the head (termHead).
 */
function childrenByKey(term: IndexTerm): Map<string, IndexTerm[]> {
  let byKey = childrenKept.get(term);
  if (byKey) return byKey;
  byKey = new Map();
  const subs = term.terms ?? [];
  const tiers: Array<(t: IndexTerm) => Array<string | undefined>> = [
    (t) => [key(t.t), key(`${t.t} ${t.nemod ?? ''}`)],
    termForms,
    (t) => [termHead(t)],
  ];
  for (const keysOf of tiers) {
    for (const sub of subs) {
      for (const k of keysOf(sub)) {
        if (k === undefined) continue;
        const list = byKey.get(k);
        if (!list) byKey.set(k, [sub]);
        else if (!list.includes(sub)) list.push(sub);
      }
    }
  }
  childrenKept.set(term, byKey);
  return byKey;
}

/** "calculi" is a form of "calculus", "gouty" of "gout": one word that begins as the first one does. */
function isFormOf(part: string, first: string): boolean {
  if (!/^[\p{L}'-]+$/u.test(part)) return false;
  const stem = Math.min(3, first.length);
  return part.slice(0, stem).toLowerCase() === first.slice(0, stem).toLowerCase();
}

/** Index terms listed between two pauses of a sliced build. */
const TERMS_PER_SLICE = 512;

/**
 * The ICD-10-CM alphabetic index (diseases and external causes): main terms -> subterms -> codes, with
 * see / see also cross-references. Looks up paths the way a coder reads them: "Calcification, pineal gland".
 */
export class AlphabeticIndex {
  readonly indexes: IndexFile['indexes'];
  private readonly mainTerms = new Map<string, Array<{ index: string; term: IndexTerm }>>();
  /** Main terms by their other keys (termForms): "calculus" -> "Calculus, calculi, calculous". */
  private readonly mainTermForms = new Map<string, Array<{ index: string; term: IndexTerm }>>();
  /** Main terms by the part of their title before the first comma (termHead): tried last. */
  private readonly mainTermHeads = new Map<string, Array<{ index: string; term: IndexTerm }>>();
  /**
   * Every term (main terms and subterms, depth first) for search, listed on first search or warm-up: the term,
   * its parent's entry id (-1 for a main term), its index and the length of its label. Labels ("Calcification,
   * pineal gland") are not stored: they are rebuilt from the parents for the few entries a search returns.
   */
  private entries: { terms: IndexTerm[]; parents: Int32Array; indexes: Uint8Array; labelLengths: Int32Array } | undefined;
  /**
   * Words of each entry's label -> entry ids, built after the entries (the same build lists them): on first
   * search, or a slice at a time by a warm-up.
   */
  private entryWords: Sliced<WordPostings> | undefined;
  /** The names of the indexes, by the number `entries.indexes` gives. */
  private indexNames: string[] = [];

  constructor(file: IndexFile) {
    this.indexes = file.indexes;
    for (const term of file.terms) this.addMainTerm(term);
  }

  /** One more main term of the file, for a loader that reads them a few at a time (before any search). */
  addMainTerm({ index, ...term }: IndexFile['terms'][number]): void {
    const add = (map: Map<string, Array<{ index: string; term: IndexTerm }>>, k: string) => {
      const list = map.get(k);
      if (list) list.push({ index, term });
      else map.set(k, [{ index, term }]);
    };
    add(this.mainTerms, key(term.t));
    for (const form of termForms(term)) add(this.mainTermForms, form);
    const head = termHead(term);
    if (head) add(this.mainTermHeads, head);
  }

  get mainTermCount(): number {
    let n = 0;
    for (const list of this.mainTerms.values()) n += list.length;
    return n;
  }

  /** The main term itself ("Calcification"), from the diseases index unless another is named. */
  mainTerm(title: string, index = 'diseases'): IndexTerm | undefined {
    return this.mainTerms.get(key(title))?.find((m) => m.index === index)?.term;
  }

  /**
   * Follows a comma-separated path: "Calcification, pineal gland", "Deposit, calcareous, calcium".
   * A subterm's own title may contain commas, so at each level the longest run of parts that names a
   * subterm wins. Nonessential modifiers may be written or left out ("Calcification, brain (cortex)").
   * A term is also found by its other keys (termForms), as references name it: "Calculus, kidney" is
   * "Calculus, calculi, calculous" > "kidney"; the exact title is tried first.
   */
  lookup(path: string, index = 'diseases'): IndexMatch | undefined {
    const parts = path.split(',').map((p) => p.trim()).filter((p) => p.length > 0);
    const stop = parts.findIndex((p) => INSTRUCTION.test(p));
    if (stop >= 0) parts.length = stop;
    if (parts.length === 0) return undefined;
    for (let take = parts.length; take >= 1; take--) {
      const k = key(parts.slice(0, take).join(', '));
      const mains = [this.mainTerms, this.mainTermForms, this.mainTermHeads].flatMap((m) => m.get(k) ?? []);
      for (const { index: at, term: main } of mains) {
        if (at !== index) continue;
        const rest = this.descend(main, parts.slice(take));
        if (rest) return { index, path: [main, ...rest], term: rest[rest.length - 1] ?? main };
      }
    }
    return undefined;
  }

  /** Index entries whose path contains all the words (last one as a prefix), shortest paths first. */
  search(query: string, limit = 50): IndexEntry[] {
    const words = tokenizeWords(query);
    if (words.length === 0 || limit <= 0) return [];
    const index = this.ensureEntryWords();
    const { labelLengths } = this.entries!;
    const last = words[words.length - 1]!;
    // Entries with every word but the last, then those with a word starting with the last one.
    let matched: ArrayLike<number> | undefined;
    for (const w of words.slice(0, -1)) {
      matched = matched ? intersectSorted(matched, index.exact(w)) : index.exact(w);
      if (matched.length === 0) return [];
    }
    const prefixed = index.withPrefix(last);
    const ids = matched ? intersectSorted(matched, prefixed) : prefixed;
    // Shortest labels first: only labels up to the limit-th shortest length need the (costly) sort.
    const byLength: number[] = [];
    for (const id of ids) {
      const n = labelLengths[id]!;
      byLength[n] = (byLength[n] ?? 0) + 1;
    }
    let longest = 0;
    for (let n = 0, count = 0; n < byLength.length && count < limit; n++) {
      count += byLength[n] ?? 0;
      longest = n;
    }
    const hits = ids.filter((id) => labelLengths[id]! <= longest).map((id) => this.entry(id));
    hits.sort((a, b) => a.label.length - b.label.length || a.label.localeCompare(b.label));
    return hits.slice(0, limit);
  }

  /** The words of every entry's label, in ASCII order (the vocabulary a coder's words are matched with). */
  words(): readonly string[] {
    return this.ensureEntryWords().words;
  }

  /** Ids of the entries whose label has any of the words, ascending, each once. */
  entriesWithAny(words: readonly string[]): number[] {
    const index = this.ensureEntryWords();
    if (words.length === 1) return Array.from(index.exact(words[0]!));
    const seen = new Set<number>();
    for (const w of words) for (const id of index.exact(w)) seen.add(id);
    return [...seen].sort((a, b) => a - b);
  }

  /** The terms from the main term down to entry `id` (after a search or warm-up built the entries). */
  entryPath(id: number): IndexTerm[] {
    const { terms, parents } = this.entries!;
    const path: IndexTerm[] = [];
    for (let k = id; k >= 0; k = parents[k]!) path.push(terms[k]!);
    return path.reverse();
  }

  /** The length of entry `id`'s label ("Calcification, pineal gland"). */
  entryLabelLength(id: number): number {
    return this.entries!.labelLengths[id]!;
  }

  /** Which index entry `id` belongs to ("diseases", "external-causes", ...). */
  entryIndex(id: number): string {
    return this.indexNames[this.entries!.indexes[id]!]!;
  }

  /**
   * Builds the word index of search() now rather than on the first search (e.g. while the editor is idle),
   * until `performance.now()` passes `deadline`: call again to go on. True once it is built.
   */
  warmSearch(deadline = Infinity): boolean {
    return this.entryWordsBuild().step(deadline);
  }

  /** The word index of search(), built now (from where a warm-up left it) when not yet. */
  private ensureEntryWords(): WordPostings {
    return this.entryWordsBuild().finish();
  }

  /** The build of search()'s entries and their word index, begun on first use. */
  private entryWordsBuild(): Sliced<WordPostings> {
    return (this.entryWords ??= new Sliced(this.buildEntryWords()));
  }

  private *buildEntryWords(): Generator<void, WordPostings, void> {
    // Every term, depth first (an explicit stack, pausable every 512 terms).
    const terms: IndexTerm[] = [];
    const parentList: number[] = [];
    const indexList: number[] = [];
    const indexIds = new Map(this.indexes.map((x, k) => [x.id, k]));
    for (const [, list] of this.mainTerms) {
      for (const { index, term } of list) {
        if (!indexIds.has(index)) indexIds.set(index, indexIds.size);
        const stack: Array<{ term: IndexTerm; parent: number }> = [{ term, parent: -1 }];
        for (let item; (item = stack.pop()); ) {
          const id = terms.length;
          terms.push(item.term);
          parentList.push(item.parent);
          indexList.push(indexIds.get(index)!);
          const subs = item.term.terms ?? [];
          for (let k = subs.length - 1; k >= 0; k--) stack.push({ term: subs[k]!, parent: id });
          if (terms.length % TERMS_PER_SLICE === 0) yield;
        }
      }
    }
    this.indexNames = [...indexIds.keys()];
    const n = terms.length;
    const parents = Int32Array.from(parentList);
    const labelLengths = new Int32Array(n);
    for (let id = 0; id < n; id++) {
      const p = parents[id]!;
      labelLengths[id] = p < 0 ? terms[id]!.t.length : labelLengths[p]! + 2 + terms[id]!.t.length;
    }
    this.entries = { terms, parents, indexes: Uint8Array.from(indexList), labelLengths };
    yield;
    // A label's words are its own and its parents' (", " splits words like any punctuation). Tokenizing the
    // parents again costs less than keeping every entry's words until the end: that garbage would be promoted.
    return yield* WordPostings.slices(n, (id, add) => {
      for (let k = id; k >= 0; k = parents[k]!) for (const w of tokenizeWords(terms[k]!.t)) add(w);
    });
  }

  private entry(id: number): IndexEntry {
    const { terms, parents, indexes } = this.entries!;
    let label = terms[id]!.t;
    for (let p = parents[id]!; p >= 0; p = parents[p]!) label = `${terms[p]!.t}, ${label}`;
    return { index: this.indexNames[indexes[id]!]!, label, term: terms[id]! };
  }

  private descend(from: IndexTerm, parts: string[]): IndexTerm[] | undefined {
    if (parts.length === 0) return [];
    for (let take = parts.length; take >= 1; take--) {
      // Exact titles first, then the other keys ("see Abuse, drug" is "drug NEC").
      for (const sub of childrenByKey(from).get(key(parts.slice(0, take).join(', '))) ?? []) {
        const rest = this.descend(sub, parts.slice(take));
        if (rest) return [sub, ...rest];
      }
    }
    // "with intoxication" is the subterm "intoxication" of the subterm "with".
    const connective = CONNECTIVE.exec(parts[0]!);
    if (connective) {
      const group = childrenByKey(from).get(key(connective[1]!))?.[0];
      const rest = group && this.descend(group, [connective[2]!, ...parts.slice(1)]);
      if (rest) return [group, ...rest];
    }
    return undefined;
  }
}
