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

/** `offset`: where `text` starts in the note (a paragraph's tokens get the note's offsets). */
export function tokenize(text: string, offset = 0): Token[] {
  const tokens: Token[] = [];
  let previousEnd = 0;
  for (const m of text.matchAll(TOKEN)) {
    const start = m.index;
    let newline = false;
    for (let i = previousEnd; i < start && !newline; i++) newline = text.charCodeAt(i) === 10;
    const kind: TokenKind = m[1] !== undefined ? 'word' : m[2] !== undefined ? 'number' : 'punct';
    tokens.push({
      start: offset + start,
      end: offset + start + m[0].length,
      kind,
      norm: kind === 'punct' ? m[0] : foldCase(m[0]),
      spaceBefore: tokens.length === 0 || start > previousEnd,
      newlineBefore: tokens.length === 0 || newline,
    });
    previousEnd = start + m[0].length;
  }
  return tokens;
}
