/**
 * Lines of a note as the editor counts them. The LSP specification (`EOL = ['\n', '\r\n', '\r']`) and
 * vscode-languageserver-textdocument's line table break a line at "\r\n", "\n" and a lone "\r", and at
 * nothing else (U+2028, U+2029 and NEL are not line breaks there). Every line number, line start and line end
 * in the core comes from here, so a suppression, a provider query or a quoted line number lands on the line
 * the editor shows (a test compares lineFinder with TextDocument.positionAt).
 */

/** A line break character: LF or CR (a CR followed by LF is one break, CRLF). */
export function isLineBreak(c: number): boolean {
  return c === 10 || c === 13;
}

/** What String.prototype.trim removes (ECMAScript WhiteSpace and LineTerminator): what /\s/ matches. */
export function isWhiteSpace(c: number): boolean {
  return (
    c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/** Offset of the first character of the line holding `offset`. */
/** Is there a line break in text[from, to)? */
export function hasLineBreak(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (isLineBreak(text.charCodeAt(i))) return true;
  return false;
}

export function lineStartAt(text: string, offset: number): number {
  let i = Math.min(Math.max(offset, 0), text.length);
  // An offset between the CR and the LF of a CRLF is still on the line the CRLF ends.
  if (text.charCodeAt(i) === 10 && text.charCodeAt(i - 1) === 13) i--;
  while (i > 0 && !isLineBreak(text.charCodeAt(i - 1))) i--;
  return i;
}

/** A line break character, for lineBreakAt (its lastIndex is set before each search: shared safely). */
const LINE_BREAK_CHAR = /[\r\n]/g;

/** The last text asked about and whether it holds a CR: one note is asked about line after line. */
let crText = '';
let crHeld = false;

/**
 * Does `text` hold a carriage return? Most notes do not, and then every line break is an LF, which
 * String.prototype.indexOf finds a dozen times faster than a regular expression. Remembered for the last text
 * asked about (a string equal to it gets the same answer, so nothing goes stale), found again for another.
 */
function holdsCR(text: string): boolean {
  if (text !== crText) crHeld = text.includes('\r');
  crText = text; // the same string object from now on: the next check is a pointer comparison
  return crHeld;
}

/**
 * Offset of the first line break character (CR or LF) at or after `from`, or the text's length. Native either
 * way (indexOf for a note without CR, else a regular expression), several times faster than a loop over the
 * characters of a long line.
 */
export function lineBreakAt(text: string, from: number): number {
  if (!holdsCR(text)) {
    const lf = text.indexOf('\n', from);
    return lf < 0 ? text.length : lf;
  }
  LINE_BREAK_CHAR.lastIndex = from;
  return LINE_BREAK_CHAR.exec(text)?.index ?? text.length;
}

/**
 * `lineBreakAt` for a walk through one text from line to line (each `from` at least the one before): CR and LF
 * are each searched for with indexOf, natively and far faster than the regular expression's loop over each
 * character, and again only once `from` has passed the one found, so the walk reads the text once.
 */
export class LineBreakCursor {
  private lf = -1;
  private cr = -1;

  constructor(private readonly text: string) {}

  /** `lineBreakAt(text, from)`; `from` must not be less than at the call before. */
  at(from: number): number {
    const text = this.text;
    if (this.lf < from) {
      const k = text.indexOf('\n', from);
      this.lf = k < 0 ? text.length : k;
    }
    if (this.cr < from) {
      const k = text.indexOf('\r', from);
      this.cr = k < 0 ? text.length : k;
    }
    return this.lf < this.cr ? this.lf : this.cr;
  }
}

/** Offset of the end of the line holding `offset`, before its line break (or the note's end). */
export function lineEndAt(text: string, offset: number): number {
  const i = lineBreakAt(text, Math.min(Math.max(offset, 0), text.length));
  // From between the CR and the LF of a CRLF: the line ends before the CR.
  return text.charCodeAt(i) === 10 && text.charCodeAt(i - 1) === 13 ? i - 1 : i;
}

/** Offset of the line after the line break at `lineEnd` (a CRLF is one break). */
export function nextLineStart(text: string, lineEnd: number): number {
  return lineEnd + (text.charCodeAt(lineEnd) === 13 && text.charCodeAt(lineEnd + 1) === 10 ? 2 : 1);
}

/** The note's own line break (its first one), so inserted lines match it; "\n" for a note of one line. */
export function lineBreakOf(text: string): '\r\n' | '\n' | '\r' {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) return '\n';
    if (c === 13) return text.charCodeAt(i + 1) === 10 ? '\r\n' : '\r';
  }
  return '\n';
}

/** Every line break: CRLF, LF or a lone CR (for matchAll, which copies it: shared safely). */
export const LINE_BREAKS = /\r\n?|\n/g;

/** 1-based line of an offset: the line starts are found once per note, then each look-up is a binary search. */
export function lineFinder(text: string): (offset: number) => number {
  // Where each line after the first starts (after its break), as TextDocument's line table has them.
  // The breaks found natively (this runs once per analysis that quotes a line number): by indexOf in a note
  // without CR, every break an LF (a dozen times faster than the regular expression), else by the expression.
  const starts: number[] = [];
  if (!holdsCR(text)) for (let lf = text.indexOf('\n'); lf >= 0; lf = text.indexOf('\n', lf + 1)) starts.push(lf + 1);
  else for (const m of text.matchAll(LINE_BREAKS)) starts.push(m.index + m[0].length);
  return (offset) => {
    // The number of line starts at or before the offset.
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]! <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
}
