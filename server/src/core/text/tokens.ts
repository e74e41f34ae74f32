/**
 * Tokens with UTF-16 offsets into the original text. The normalised form is computed from each token's own
 * text (lower case, accents folded) and used only for matching, never for positions.
 */
import { asciiIdHashed, HASH_SEED, hashStep, idOf, registerWords, WORDS_BY_ID } from './vocabulary';

export type TokenKind = 'word' | 'number' | 'punct';

export interface Token {
  /** Offset (UTF-16) of the first character. */
  start: number;
  /** Offset just after the last character. */
  end: number;
  kind: TokenKind;
  /** Lower case, accents folded ("Mönckeberg" -> "monckeberg"); for punctuation, the character itself. */
  norm: string;
  /** True when whitespace (or the start of the text) separates this token from the previous one. */
  spaceBefore: boolean;
  /** True when a line break lies between this token and the previous one. */
  newlineBefore: boolean;
}

// A word: letters and digits with inner apostrophes ("patient's", "Crohn's"), combining marks kept inside.
// A number: digits with an inner decimal point or comma ("6.1", "1,200"). Anything else visible: one
// punctuation token per character (surrogate pairs kept whole by the `u` flag).
const TOKEN = /(\p{L}[\p{L}\p{M}\p{N}]*(?:['’][\p{L}\p{M}]+)*)|(\p{N}+(?:[.,]\p{N}+)*[\p{L}]*)|([^\s])/gu;

const NON_ASCII = /[^\x00-\x7f]/;

export function foldCase(s: string): string {
  // Most clinical words are ASCII: nothing to decompose or strip, lower case is all folding does.
  if (!NON_ASCII.test(s)) return s.toLowerCase();
  return s.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().replace(/’/g, "'");
}

/** Token kinds as stored in `Tokens` (the low two bits of a token's flags). */
const KINDS: readonly TokenKind[] = ['word', 'number', 'punct'];
const WORD = 0;
const NUMBER = 1;
const PUNCT = 2;
const SPACE_BEFORE = 4;
const NEWLINE_BEFORE = 8;
/** The bits of a token's flags above these hold the id of its form when that is a registered word (vocabulary.ts). */
const ID_SHIFT = 4;

// Every ASCII punctuation character is its own normalised form and always known (see `Tokens.known`).
registerWords(Array.from({ length: 95 }, (_, k) => String.fromCharCode(33 + k)).filter((c) => !/[A-Za-z0-9]/.test(c)));

/**
 * The tokens of a text, stored column-wise: a 50 KB note has about 11 000 tokens, and an object per token
 * (with a string for its normalised form) was most of what an analysis kept alive, and so most of what each
 * young-generation collection had to copy. `at(i)` gives one token as a `Token` object when that is handier.
 * A token whose form is a registered word has that word's id in its flags, which gives the form; only the few
 * others that have a form (beyond ASCII, folded to no registered word) keep it, by token index, in `forms`. So
 * no array of forms is made per unit nor per note (a note's was a large object of its own).
 */
export class Tokens {
  /** How many tokens there are (kept, not divided out of the store's length at each loop test). */
  readonly length: number;

  /**
   * @param data start, end and flags of each token, three numbers per token.
   * @param forms the normalised form of each token that has no id but a form, by index (undefined: none
   *   has). Any other token without an id is an ASCII token that is no word of the vocabulary (vocabulary.ts):
   *   its form is made from `text` when asked for.
   * @param text the text the tokens were cut from, starting at offset `base`.
   * @param moved how far the tokens moved since `data` was written: added to its offsets (`shift` is one addition).
   */
  constructor(
    private readonly data: Int32Array,
    private readonly forms: ReadonlyMap<number, string> | undefined,
    private text: string,
    private base: number,
    private moved = 0,
  ) {
    this.length = data.length / 3;
  }

  /**
   * Takes `text` (the same characters as the text the tokens were cut from, e.g. the paragraph as the newest
   * version of the note has it) to make forms from, so that no older version of a note stays alive for them.
   */
  rebind(text: string): void {
    this.text = text;
  }

  /** Offset (UTF-16) of token `i`'s first character. */
  start(i: number): number {
    return this.data[3 * i]! + this.moved;
  }

  /** Offset just after token `i`'s last character. */
  end(i: number): number {
    return this.data[3 * i + 1]! + this.moved;
  }

  kind(i: number): TokenKind {
    return KINDS[this.data[3 * i + 2]! & 3]!;
  }

  isWord(i: number): boolean {
    return (this.data[3 * i + 2]! & 3) === WORD;
  }

  isPunct(i: number): boolean {
    return (this.data[3 * i + 2]! & 3) === PUNCT;
  }

  /** Lower case, accents folded; for punctuation, the character itself. */
  norm(i: number): string {
    const norm = this.known(i);
    if (norm !== undefined) return norm;
    // An ASCII token: folding it is lower-casing it.
    const written = this.text.slice(this.start(i) - this.base, this.end(i) - this.base);
    return this.isPunct(i) ? written : written.toLowerCase();
  }

  /** The length of `norm(i)`, without making the form (a token with none is ASCII: folding keeps its length). */
  normLength(i: number): number {
    const norm = this.known(i);
    return norm !== undefined ? norm.length : this.end(i) - this.start(i);
  }

  /**
   * The normalised form when it may be a word of some vocabulary; undefined when the token is certainly none
   * (so no set of registered words holds it), at no cost. The hot loops of matching ask this.
   */
  known(i: number): string | undefined {
    const id = this.data[3 * i + 2]! >>> ID_SHIFT;
    return id !== 0 ? WORDS_BY_ID[id] : this.forms?.get(i);
  }

  /**
   * The id (vocabulary.ts) of the token's form when it was a registered word as the token was cut, else 0.
   * A token with id 0 whose `known` form is defined (beyond ASCII, folded to no word registered then) is asked
   * by its form: `known` decides, the id only saves looking the form up.
   */
  knownId(i: number): number {
    return this.data[3 * i + 2]! >>> ID_SHIFT;
  }

  /** The index of the first token that ends after `offset` (binary search; `length` when none does). */
  firstEndingAfter(offset: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.end(mid) <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** True when whitespace (or the start of the text) separates token `i` from the one before. */
  spaceBefore(i: number): boolean {
    return (this.data[3 * i + 2]! & SPACE_BEFORE) !== 0;
  }

  /** True when a line break lies between token `i` and the one before. */
  newlineBefore(i: number): boolean {
    return (this.data[3 * i + 2]! & NEWLINE_BEFORE) !== 0;
  }

  /** Token `i` as an object (undefined past the end). */
  at(i: number): Token | undefined {
    if (!(i >= 0 && i < this.length)) return undefined;
    return { start: this.start(i), end: this.end(i), kind: this.kind(i), norm: this.norm(i), spaceBefore: this.spaceBefore(i), newlineBefore: this.newlineBefore(i) };
  }

  /** Every token as an object. */
  toArray(): Token[] {
    const out = new Array<Token>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.at(i)!;
    return out;
  }

  /** Moves every token by `d` characters, in place (a unit after an edit moves at no cost per token). */
  shift(d: number): void {
    this.base += d;
    this.moved += d;
  }

  copy(): Tokens {
    return new Tokens(this.data.slice(), this.forms && new Map(this.forms), this.text, this.base, this.moved);
  }

  /**
   * `joined` (the tokens of an earlier version of `text`, as one list) with its tokens [from, to) replaced by
   * `inserted`'s and the tokens after them moved: `after` gives, run by run, how many tokens move by how much.
   * `joined`'s store is reused in place when the edit left the number of tokens as it was (`joined` is out of
   * date afterwards): an edit changes a few tokens of a note of tens of thousands.
   */
  static patch(joined: Tokens, from: number, to: number, inserted: readonly Tokens[], after: ReadonlyArray<readonly [count: number, by: number]>, text: string): Tokens {
    let count = 0;
    for (const p of inserted) count += p.length;
    const total = from + count + (joined.length - to);
    // The same number of tokens (a letter typed into a word): `joined`'s own store is written in place, not copied.
    const inPlace = count === to - from && joined.moved === 0 && joined.base === 0;
    const data = inPlace ? joined.data : new Int32Array(3 * total);
    if (!inPlace) data.set(joined.data.subarray(0, 3 * from), 0);
    let forms: Map<number, string> | undefined;
    if (joined.forms) {
      for (const [i, form] of joined.forms) {
        if (i < from) (forms ??= new Map()).set(i, form);
        else if (i >= to) (forms ??= new Map()).set(i - to + from + count, form);
      }
    }
    let k = from;
    for (const p of inserted) {
      data.set(p.data.subarray(0, 3 * p.length), 3 * k);
      moveOffsets(data, k, p.length, p.moved);
      if (p.forms) for (const [i, form] of p.forms) (forms ??= new Map()).set(k + i, form);
      k += p.length;
    }
    if (!inPlace) data.set(joined.data.subarray(3 * to, 3 * joined.length), 3 * k);
    for (const [run, by] of after) {
      moveOffsets(data, k, run, by);
      k += run;
    }
    return new Tokens(data, forms, text, 0);
  }

  /** The tokens of consecutive parts of `text` as one list (their offsets must be `text`'s). */
  static join(parts: readonly Tokens[], text: string): Tokens {
    let total = 0;
    for (const p of parts) total += p.length;
    const data = new Int32Array(3 * total);
    let forms: Map<number, string> | undefined;
    let k = 0;
    for (const p of parts) {
      data.set(p.data, 3 * k);
      moveOffsets(data, k, p.length, p.moved);
      if (p.forms) for (const [i, form] of p.forms) (forms ??= new Map()).set(k + i, form);
      k += p.length;
    }
    return new Tokens(data, forms, text, 0);
  }
}

/** Adds `by` to the start and end of tokens [from, from + count) of a token list's data. */
function moveOffsets(data: Int32Array, from: number, count: number, by: number): void {
  if (by === 0) return;
  for (let j = 3 * from; j < 3 * (from + count); j += 3) {
    data[j]! += by;
    data[j + 1]! += by;
  }
}

/**
 * Tokens from token objects cut from `text`, every normalised form given (tests build references with it).
 * `ids` false: no token has its form's word id, so every look-up goes by form (as for a token beyond ASCII cut
 * before its folded form was registered).
 */
export function tokensOf(list: readonly Token[], text: string, ids = true): Tokens {
  const data = new Int32Array(3 * list.length);
  list.forEach((t, i) => {
    data[3 * i] = t.start;
    data[3 * i + 1] = t.end;
    data[3 * i + 2] = KINDS.indexOf(t.kind) | (t.spaceBefore ? SPACE_BEFORE : 0) | (t.newlineBefore ? NEWLINE_BEFORE : 0) | (ids ? idOf(t.norm) << ID_SHIFT : 0);
  });
  const forms = new Map<number, string>();
  list.forEach((t, i) => {
    if (!(ids && idOf(t.norm) !== 0)) forms.set(i, t.norm);
  });
  return new Tokens(data, forms, text, 0);
}

/** Where `tokenize` writes start, end and flags before copying them out at their final length. */
let scratch = new Int32Array(3 * 1024);

/** The form of each ASCII punctuation character (all registered, see above), by character code, and its id. */
const PUNCT_FORMS: Array<string | undefined> = Array.from({ length: 128 }, (_, c) =>
  c >= 33 && c <= 127 && !isLetter(c) && !isDigit(c) ? String.fromCharCode(c) : undefined,
);
const PUNCT_IDS = Int32Array.from(PUNCT_FORMS, (form) => (form === undefined ? 0 : idOf(form)));

/**
 * `offset`: where `text` starts in the note (a paragraph's tokens get the note's offsets).
 * Tokens made of ASCII characters (most of a clinical note) are cut by a hand-written scanner, which hashes a
 * word's characters for the vocabulary look-up as it reads them; a token that touches any other character is
 * cut by the TOKEN regular expression from its first character, so the result is the regular expression's in
 * every case (a property test compares the two on random text).
 */
export function tokenize(text: string, offset = 0): Tokens {
  let forms: Map<number, string> | undefined;
  let data = scratch;
  let sticky: RegExp | undefined;
  let previousEnd = 0;
  let i = 0;
  let n = 0;
  // A line break among the white space skipped since the last token (the first token counts as after one).
  let newline = true;
  const length = text.length;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c === 32 || (c >= 9 && c <= 13)) {
      if (c === 10 || c === 13) newline = true; // LF, CRLF or a lone CR (text/lines.ts)
      i++;
      continue;
    }
    let end = -1;
    let kind = PUNCT;
    let id = 0;
    if (c < 128) {
      // Past the end a character reads as -1, which no test below accepts: the token ends there, as at a space.
      // (Not charCodeAt's NaN: a NaN among the character codes made the whole loop compute in floating point.)
      // Each branch leaves `end` at -1 when a character beyond ASCII is involved (TOKEN then cuts the token).
      if (isLetter(c)) {
        // \p{L}[\p{L}\p{M}\p{N}]*(?:['’][\p{L}\p{M}]+)*
        kind = WORD;
        let h = hashStep(HASH_SEED, c);
        let j = i + 1;
        let next = charAt(text, j);
        while (isLetter(next) || isDigit(next)) {
          h = hashStep(h, next);
          next = charAt(text, ++j);
        }
        for (;;) {
          if (next >= 128) break;
          if (next !== 39) {
            end = j; // not '
            break;
          }
          const first = charAt(text, j + 1);
          if (first >= 128) break;
          if (!isLetter(first)) {
            end = j;
            break;
          }
          h = hashStep(hashStep(h, next), first);
          j += 2;
          next = charAt(text, j);
          while (isLetter(next)) {
            h = hashStep(h, next);
            next = charAt(text, ++j);
          }
        }
        if (end >= 0) {
          id = asciiIdHashed(text, i, end, h);
        }
      } else if (isDigit(c)) {
        // \p{N}+(?:[.,]\p{N}+)*[\p{L}]*
        kind = NUMBER;
        let h = hashStep(HASH_SEED, c);
        let j = i + 1;
        let next = charAt(text, j);
        while (isDigit(next)) {
          h = hashStep(h, next);
          next = charAt(text, ++j);
        }
        let beyond = false;
        for (;;) {
          if (next >= 128) {
            beyond = true;
            break;
          }
          if (next !== 46 && next !== 44) break; // . ,
          const digit = charAt(text, j + 1);
          if (digit >= 128) {
            beyond = true;
            break;
          }
          if (!isDigit(digit)) break;
          h = hashStep(hashStep(h, next), digit);
          j += 2;
          next = charAt(text, j);
          while (isDigit(next)) {
            h = hashStep(h, next);
            next = charAt(text, ++j);
          }
        }
        if (!beyond) {
          while (isLetter(next)) {
            h = hashStep(h, next);
            next = charAt(text, ++j);
          }
          if (!(next >= 128)) {
            end = j;
            id = asciiIdHashed(text, i, end, h);
          }
        }
      } else {
        // One punctuation character.
        end = i + 1;
        // Every ASCII punctuation character is registered (above); a control character has no form.
        id = PUNCT_IDS[c]!;
      }
    }
    if (end < 0) {
      sticky ??= new RegExp(TOKEN.source, 'uy');
      sticky.lastIndex = i;
      const m = sticky.exec(text);
      if (!m) {
        i++; // white space beyond ASCII (no-break space, line separator ...)
        continue;
      }
      end = i + m[0].length;
      kind = m[1] !== undefined ? WORD : m[2] !== undefined ? NUMBER : PUNCT;
      const written = text.slice(i, end);
      const norm = kind === PUNCT ? written : foldCase(written);
      id = idOf(norm);
      if (id === 0) (forms ??= new Map()).set(n, norm);
    }
    if (3 * n + 3 > data.length) {
      const grown = new Int32Array(2 * data.length);
      grown.set(data);
      data = grown;
    }
    data[3 * n] = offset + i;
    data[3 * n + 1] = offset + end;
    data[3 * n + 2] = kind | (n === 0 || i > previousEnd ? SPACE_BEFORE : 0) | (newline ? NEWLINE_BEFORE : 0) | (id << ID_SHIFT);
    n++;
    newline = false;
    previousEnd = end;
    i = end;
  }
  // A scratch grown by a very large text is not kept.
  if (data.length <= 3 * 65536) scratch = data;
  return new Tokens(data.slice(0, 3 * n), forms, text, offset);
}

/** The character code at `k`, or -1 past the end (not charCodeAt's NaN: see `tokenize`). */
function charAt(text: string, k: number): number {
  return k < text.length ? text.charCodeAt(k) : -1;
}

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
