/**
 * The words Calx's vocabularies can match (phrase matchers, context triggers, the sentence splitter's
 * abbreviations and punctuation), in normalised form, interned. `tokenize` looks each ASCII token up here
 * straight from the note's characters: a token that is one of these words gets the interned string as its
 * normalised form with no string made for it, and a token that is none of them is known to match nothing, so
 * no set is ever asked about it (see `Tokens.known`).
 *
 * Every set or map of normalised words that is looked up with `Tokens.known` must have its words registered
 * here first (`registerWords`); a unit test checks the vocabularies Calx builds. The table only grows: words
 * come from the bundled data and from custom term files, a few thousand at most.
 */

let mask = 1023;
/**
 * Open addressing, two numbers per slot: the word's hash and its id (0: an empty slot). A word's id is its rank
 * in registration, from 1: ids never change (slots do when the table grows). A probe reads one typed array and
 * looks at a word only when the hashes are equal.
 */
let table = new Int32Array(2 * (mask + 1));
let count = 0;
/** Each registered word by its id (index 0: none). Only grows. */
export const WORDS_BY_ID: readonly string[] = [''];

/**
 * FNV-1a step over one UTF-16 code unit, upper-case ASCII letters lowered (as `toLowerCase` would). A scanner
 * that reads a token's characters anyway (tokenize) hashes them as it goes, from `HASH_SEED`, and looks the
 * hash up with `asciiIdHashed`.
 */
export function hashStep(h: number, c: number): number {
  return Math.imul(h ^ (c >= 65 && c <= 90 ? c + 32 : c), 0x01000193);
}

export const HASH_SEED = 0x811c9dc5 | 0;

function hashOf(s: string): number {
  let h = HASH_SEED;
  for (let i = 0; i < s.length; i++) h = hashStep(h, s.charCodeAt(i));
  return h;
}

/**
 * A set of normalised words the analysis reads from a note's tokens, registered: a token none of the registered
 * words equals is then read by nothing but as a word (analysis reuse relies on it: analysisReuse.ts, `asSeen`).
 */
export function wordSet(normalised: readonly string[]): ReadonlySet<string> {
  registerWords(normalised);
  return new Set(normalised);
}

/** Adds normalised words (lower case, accents folded, as `Tokens.norm` gives them). */
export function registerWords(normalised: Iterable<string>): void {
  for (const w of normalised) {
    if (lookupNormalised(w) !== undefined) continue;
    if (2 * (count + 1) > mask + 1) grow();
    count++;
    (WORDS_BY_ID as string[]).push(w);
    insert(hashOf(w), count);
  }
}

function insert(h: number, id: number): void {
  let k = h & mask;
  while (table[2 * k + 1] !== 0) k = (k + 1) & mask;
  table[2 * k] = h;
  table[2 * k + 1] = id;
}

function grow(): void {
  mask = 2 * mask + 1;
  table = new Int32Array(2 * (mask + 1));
  for (let id = 1; id <= count; id++) insert(hashOf(WORDS_BY_ID[id]!), id);
}

/**
 * The id of registered word `s` (already normalised): a number from 1 that stays the word's, or 0 when `s` is
 * no registered word. Tables indexed by id (`wordTable`) answer what a set or map of words would.
 */
export function idOf(s: string): number {
  const h = hashOf(s);
  for (let k = h & mask; ; k = (k + 1) & mask) {
    const id = table[2 * k + 1]!;
    if (id === 0) return 0;
    if (table[2 * k] === h && WORDS_BY_ID[id] === s) return id;
  }
}

/** How many words are registered: every id is at most this. */
export function registeredCount(): number {
  return count;
}

/** The registered word equal to `s` (already normalised), or undefined. */
export function lookupNormalised(s: string): string | undefined {
  const id = idOf(s);
  return id === 0 ? undefined : WORDS_BY_ID[id];
}

/**
 * The registered word equal to `text[start, end)` lower-cased, for ASCII text only (where lower-casing is all
 * normalising does), or undefined. Reads the characters in place.
 */
export function lookupAscii(text: string, start: number, end: number): string | undefined {
  let h = HASH_SEED;
  for (let i = start; i < end; i++) h = hashStep(h, text.charCodeAt(i));
  const id = asciiIdHashed(text, start, end, h);
  return id === 0 ? undefined : WORDS_BY_ID[id];
}

/**
 * The id of the registered word equal to `text[start, end)` lower-cased (ASCII text only), or 0; `h` is the hash
 * of those characters (`hashStep` over them from `HASH_SEED`).
 */
export function asciiIdHashed(text: string, start: number, end: number, h: number): number {
  for (let k = h & mask; ; k = (k + 1) & mask) {
    const id = table[2 * k + 1]!;
    if (id === 0) return 0;
    if (table[2 * k] === h) {
      const w = WORDS_BY_ID[id]!;
      if (w.length === end - start && equalsLowered(w, text, start)) return id;
    }
  }
}

/**
 * A table of numbers by word id, for the words of `entries` (registered here if they are not): what a
 * `Map<string, number>` of them answers for a token's form, asked by the token's id (`Tokens.knownId`) with
 * `table[id]` (0 for any other word, and for ids past the table's end: words registered since).
 */
export function wordTable(entries: Iterable<readonly [word: string, value: number]>): Int32Array {
  const list = [...entries];
  registerWords(list.map(([w]) => w));
  const table = new Int32Array(count + 1);
  for (const [w, v] of list) table[idOf(w)] = v;
  return table;
}

function equalsLowered(w: string, text: string, start: number): boolean {
  for (let i = 0; i < w.length; i++) {
    const c = text.charCodeAt(start + i);
    if (w.charCodeAt(i) !== (c >= 65 && c <= 90 ? c + 32 : c)) return false;
  }
  return true;
}

/** Is `s` a registered word (tests). */
export function isRegistered(s: string): boolean {
  return lookupNormalised(s) !== undefined;
}
