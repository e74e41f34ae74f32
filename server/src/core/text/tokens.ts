/**
 * Tokens with UTF-16 offsets into the original text. The normalised form is computed from each token's own
 * text (lower case, accents folded) and used only for matching, never for positions.
 */

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

/**
 * `offset`: where `text` starts in the note (a paragraph's tokens get the note's offsets).
 * Tokens made of ASCII characters (most of a clinical note) are cut by a hand-written scanner; a token that
 * touches any other character is cut by the TOKEN regular expression from its first character, so the result
 * is the regular expression's in every case (a property test compares the two on random text).
 */
export function tokenize(text: string, offset = 0): Token[] {
  const tokens: Token[] = [];
  const sticky = new RegExp(TOKEN.source, 'uy');
  let previousEnd = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || (c >= 9 && c <= 13)) {
      i++;
      continue;
    }
    let end = c < 128 ? asciiTokenEnd(text, i, c) : -1;
    const ascii = end >= 0;
    let kind: TokenKind;
    if (ascii) kind = isLetter(c) ? 'word' : isDigit(c) ? 'number' : 'punct';
    else {
      sticky.lastIndex = i;
      const m = sticky.exec(text);
      if (!m) {
        i++; // white space beyond ASCII (no-break space, line separator ...)
        continue;
      }
      end = i + m[0].length;
      kind = m[1] !== undefined ? 'word' : m[2] !== undefined ? 'number' : 'punct';
    }
    let newline = false;
    for (let k = previousEnd; k < i && !newline; k++) newline = text.charCodeAt(k) === 10;
    const written = text.slice(i, end);
    tokens.push({
      start: offset + i,
      end: offset + end,
      kind,
      // Folding an ASCII token is lower-casing it.
      norm: kind === 'punct' ? written : ascii ? written.toLowerCase() : foldCase(written),
      spaceBefore: tokens.length === 0 || i > previousEnd,
      newlineBefore: tokens.length === 0 || newline,
    });
    previousEnd = end;
    i = end;
  }
  return tokens;
}

const isLetter = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * The end of the token starting at `i` (an ASCII character `c`, not white space) when the token and the
 * character after it are ASCII, as TOKEN would cut it; -1 when a character beyond ASCII is involved (the
 * caller then asks TOKEN itself).
 */
function asciiTokenEnd(text: string, i: number, c: number): number {
  // Past the end charCodeAt gives NaN, which no test below accepts: the token ends there, as at a space.
  if (isLetter(c)) {
    // \p{L}[\p{L}\p{M}\p{N}]*(?:['’][\p{L}\p{M}]+)*
    let j = i + 1;
    let next = text.charCodeAt(j);
    while (isLetter(next) || isDigit(next)) next = text.charCodeAt(++j);
    for (;;) {
      if (next >= 128) return -1;
      if (next !== 39) return j; // '
      const first = text.charCodeAt(j + 1);
      if (first >= 128) return -1;
      if (!isLetter(first)) return j;
      j += 2;
      next = text.charCodeAt(j);
      while (isLetter(next)) next = text.charCodeAt(++j);
    }
  }
  if (isDigit(c)) {
    // \p{N}+(?:[.,]\p{N}+)*[\p{L}]*
    let j = i + 1;
    let next = text.charCodeAt(j);
    while (isDigit(next)) next = text.charCodeAt(++j);
    for (;;) {
      if (next >= 128) return -1;
      if (next !== 46 && next !== 44) break; // . ,
      const digit = text.charCodeAt(j + 1);
      if (digit >= 128) return -1;
      if (!isDigit(digit)) break;
      j += 2;
      next = text.charCodeAt(j);
      while (isDigit(next)) next = text.charCodeAt(++j);
    }
    while (isLetter(next)) next = text.charCodeAt(++j);
    return next >= 128 ? -1 : j;
  }
  // One punctuation character.
  return i + 1;
}
