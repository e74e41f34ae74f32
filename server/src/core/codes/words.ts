import { Sliced } from '../sliced';

/**
 * Word normalisation for searching titles and index terms: lower case, accents folded
 * ("Mönckeberg" -> "monckeberg"), split on anything that is not a letter or digit.
 * Used only for search keys, never for positions in a note (folding changes lengths).
 */
export function tokenizeWords(text: string): string[] {
  // Most titles are ASCII: for them folding is only lower-casing, and letters and digits are [a-z0-9].
  if (!NON_ASCII.test(text)) return text.toLowerCase().split(NOT_ASCII_WORD).filter((w) => w.length > 0);
  const folded = text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
  return folded.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
}
const NON_ASCII = /[^\x00-\x7f]/;
const NOT_ASCII_WORD = /[^a-z0-9]+/;

const STOP = new Set(['of', 'and', 'the', 'with', 'without', 'in', 'to', 'or', 'for', 'a', 'an', 'by', 'on', 'due']);

/** Query words without the stop words that every second title contains (the last word is always kept). */
export function normalizeWords(query: string): string[] {
  const words = tokenizeWords(query);
  return words.filter((w, i) => i === words.length - 1 || !STOP.has(w));
}

/** Index of the first item not less than `key` in an ASCII-sorted array (or in its first `end` items). */
export function lowerBound(sorted: readonly string[], key: string, end = sorted.length): number {
  let lo = 0;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The items of an ASCII-sorted array that start with `prefix` (a contiguous run). */
export function withPrefix(sorted: readonly string[], prefix: string): string[] {
  const out: string[] = [];
  for (let k = lowerBound(sorted, prefix); k < sorted.length && sorted[k]!.startsWith(prefix); k++) out.push(sorted[k]!);
  return out;
}

/** Ids present in both ascending lists. */
export function intersectSorted(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else {
      out.push(a[i]!);
      i++;
      j++;
    }
  }
  return out;
}

const EMPTY = new Int32Array(0);

/** Calls `add(word)` for each word of item `id`. */
export type WordsOf = (id: number, add: (word: string) => void) => void;

/** Items indexed between two pauses of a sliced build. */
const ITEMS_PER_SLICE = 128;

/**
 * A word index (word -> ascending item ids) in three flat arrays: the words in ASCII order, where each
 * word's ids start, and all ids. About a million postings take 4 bytes each, with no object per word or per
 * list, so the index costs a few MB and the garbage collector has almost nothing to trace.
 */
export class WordPostings {
  private constructor(
    /** Every word, in ASCII order. */
    readonly words: readonly string[],
    /** Ids of words[k] are ids[starts[k]] .. ids[starts[k + 1] - 1]. */
    private readonly starts: Int32Array,
    private readonly ids: Int32Array,
  ) {}

  /**
   * Indexes `count` items: `wordsOf(id, add)` calls `add(word)` for each word of item `id` (repeats are
   * ignored). Items are visited in id order, so each word's ids come out ascending.
   */
  static build(count: number, wordsOf: WordsOf): WordPostings {
    return new Sliced(WordPostings.slices(count, wordsOf)).finish();
  }

  /**
   * The same build, pausable (see Sliced): it yields every 128 items and twice while packing, so that a server
   * can build an index between requests instead of blocking them for a quarter of a second.
   */
  static *slices(count: number, wordsOf: WordsOf): Generator<void, WordPostings, void> {
    const wordIds = new Map<string, number>();
    const lastItem: number[] = [];
    // (word, item) pairs in plain arrays: temporary, so better in the collected heap than in malloc'ed
    // typed arrays, whose freed space the C heap keeps.
    const pairWord: number[] = [];
    const pairItem: number[] = [];
    let item = 0;
    const add = (word: string) => {
      let w = wordIds.get(word);
      if (w === undefined) {
        w = wordIds.size;
        wordIds.set(word, w);
        lastItem.push(-1);
      }
      if (lastItem[w] === item) return;
      lastItem[w] = item;
      pairWord.push(w);
      pairItem.push(item);
    };
    while (item < count) {
      for (const end = Math.min(count, item + ITEMS_PER_SLICE); item < end; item++) wordsOf(item, add);
      yield;
    }
    const pairs = pairWord.length;

    // Packing: sorting the words, counting each one's items, placing them (a slice each).
    const words = [...wordIds.keys()].sort();
    yield;
    const rank = new Int32Array(words.length);
    words.forEach((word, r) => (rank[wordIds.get(word)!] = r));
    const starts = new Int32Array(words.length + 1);
    for (let p = 0; p < pairs; p++) starts[rank[pairWord[p]!]! + 1]!++;
    for (let k = 0; k < words.length; k++) starts[k + 1]! += starts[k]!;
    yield;
    const fill = starts.slice(0, words.length);
    const ids = new Int32Array(pairs);
    for (let p = 0; p < pairs; p++) ids[fill[rank[pairWord[p]!]!]!++] = pairItem[p]!;
    return new WordPostings(words, starts, ids);
  }

  /** How many (word, item) pairs the index holds. */
  get size(): number {
    return this.ids.length;
  }

  /** Ids of the items that have the word, ascending (empty when none). */
  exact(word: string): Int32Array {
    const k = lowerBound(this.words, word);
    return k < this.words.length && this.words[k] === word ? this.idsOf(k) : EMPTY;
  }

  /** Ids of the items that have a word starting with `prefix`, ascending, each once. */
  withPrefix(prefix: string): number[] {
    const from = lowerBound(this.words, prefix);
    let to = from;
    while (to < this.words.length && this.words[to]!.startsWith(prefix)) to++;
    if (to === from + 1) return Array.from(this.idsOf(from));
    const seen = new Set<number>();
    for (let k = from; k < to; k++) for (const id of this.idsOf(k)) seen.add(id);
    return [...seen].sort((a, b) => a - b);
  }

  private idsOf(k: number): Int32Array {
    return this.ids.subarray(this.starts[k]!, this.starts[k + 1]!);
  }
}

/**
 * A light stem for matching a coder's words with the index's: inflections of one word meet
 * ("calcified", "calcific", "calcification" -> "calcif"; "stones" -> "ston"; "calculi", "calculus" -> "calcul";
 * "aortic", "aorta" -> "aort"). Only for comparing words, never shown.
 */
export function stem(word: string): string {
  // Suffixes come off one after the other ("kidneys" -> "kidney" -> "kidne", like "kidney"), leaving 3 letters.
  for (let pass = 0; pass < 3; pass++) {
    const rule = STEM_RULES.find(([suffix]) => word.length - suffix.length >= 3 && word.endsWith(suffix));
    if (!rule) break;
    word = word.slice(0, word.length - rule[0].length) + rule[1];
  }
  return word;
}
const STEM_RULES: ReadonlyArray<readonly [string, string]> = [
  ['ifications', 'if'], ['ification', 'if'], ['ifying', 'if'], ['ified', 'if'], ['ific', 'if'], ['ify', 'if'],
  ['ations', ''], ['ation', ''], ['ies', ''], ['ied', ''], ['ous', ''], ['ing', ''], ['es', ''], ['ed', ''], ['us', ''],
  ['ic', ''], ['al', ''], ['s', ''], ['a', ''], ['e', ''], ['i', ''], ['y', ''],
];

/** Whether two words are within `max` edits (insertion, deletion, substitution, transposition of neighbours). */
export function withinEdits(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  // Optimal string alignment distance, rows of the full table; stops once a row is over the bound.
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > max) return false;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length]! <= max;
}

export { STOP as STOP_WORDS };
