/**
 * Sentence units over tokens. Clinical text breaks the usual rules, so a boundary is:
 * - a section header (the header line is a unit of its own);
 * - a blank line;
 * - a new list item at the start of a line ("1.", "2)", "-", "•");
 * - ".", "?" or "!" followed by white space, unless it ends an abbreviation ("Dr.", "b.i.d.", "e.g.",
 *   "vs.") or a list number;
 * - a line break after a line that ended with terminal punctuation or a colon;
 * - a line break before a line that starts with a written ICD-10-CM code and its capitalised title, perhaps after
 *   a short label ("N20.0 Calculus of kidney", "Dx 3: M61.40 Other calcification of muscle" on a coder's list:
 *   each line is an entry of its own);
 * - a line break before or after a row of a table (a line with a column gap, a tab or two spaces or more
 *   between words, next to another such line), so one row's "resolved" or side does not reach the next line.
 * A line break alone is not a boundary: dictated sentences wrap.
 */
import { isLineBreak, isWhiteSpace, lineEndAt, lineStartAt, nextLineStart } from './lines';
import type { Section } from './sections';
import type { Tokens } from './tokens';
import { registerWords, wordSet } from './vocabulary';

export interface Sentence {
  /** Offset of the first token. */
  start: number;
  /** Offset just after the last token. */
  end: number;
  /** Index of the first token in the model's token array. */
  tokenStart: number;
  /** Index just after the last token. */
  tokenEnd: number;
  /** Index of the section the sentence lies in. */
  section: number;
  /** True for a section's header line. */
  header: boolean;
}

const ABBREVIATIONS = new Set([
  'dr', 'mr', 'mrs', 'ms', 'prof', 'st', 'vs', 'approx', 'appt', 'dept', 'fig', 'no', 'nos', 'pt', 'pts',
  'hx', 'dx', 'tx', 'rx', 'sx', 'fx', 'etc', 'eg', 'ie', 'cf', 'al', 'inc', 'jr', 'sr', 'mg', 'mcg', 'ml',
  'cm', 'mm', 'kg', 'lb', 'lbs', 'oz', 'hr', 'hrs', 'min', 'mins', 'sec', 'wk', 'wks', 'mo', 'mos', 'yr',
  'yrs', 'y/o', 'yo', 'bid', 'tid', 'qid', 'qd', 'qhs', 'prn', 'po', 'iv', 'im', 'sq', 'subq', 'ca',
]);
const TERMINAL = new Set(['.', '?', '!']);
const BULLETS = new Set(['-', '•', '*', '·', '–']);
// Looked up with `Tokens.known` (punctuation and ASCII abbreviations).
registerWords([...ABBREVIATIONS, ...TERMINAL, ...BULLETS]);

export function splitSentences(text: string, tokens: Tokens, sections: readonly Section[]): Sentence[] {
  const sentences: Sentence[] = [];
  let sectionIndex = 0;
  let start = 0; // token index where the current sentence starts
  const close = (end: number, header = false) => {
    if (end > start) {
      sentences.push({
        start: tokens.start(start),
        end: tokens.end(end - 1),
        tokenStart: start,
        tokenEnd: end,
        section: sectionIndex,
        header,
      });
    }
    start = end;
  };

  // Where the next section starts (Infinity after the last): most tokens are not there yet.
  let nextSectionStart = sections.length > 1 ? sections[1]!.start : Infinity;
  let section = sections[0]!;
  for (let i = 0; i < tokens.length; i++) {
    const tokenStart = tokens.start(i);
    // Entering a new section: close what came before, then make the header line a unit of its own.
    if (tokenStart >= nextSectionStart) {
      while (sectionIndex + 1 < sections.length && tokenStart >= sections[sectionIndex + 1]!.start) {
        close(i);
        sectionIndex++;
      }
      section = sections[sectionIndex]!;
      nextSectionStart = sectionIndex + 1 < sections.length ? sections[sectionIndex + 1]!.start : Infinity;
    }
    if (i === start && section.title && tokenStart < section.contentStart) {
      let j = i;
      while (j < tokens.length && tokens.start(j) < section.contentStart) j++;
      close(j, true);
      i = j - 1;
      continue;
    }
    if (i > start && tokens.newlineBefore(i) && (blankLineBefore(text, tokenStart) || startsListItem(tokens, i) || endsLine(tokens.known(i - 1)) || startsCodeEntry(text, tokenStart) || betweenTableRows(text, tokenStart))) {
      close(i);
    }
    if (tokens.isPunct(i) && isTerminal(tokens.known(i)) && !isAbbreviationPeriod(text, tokens, i) && !isListNumberPeriod(tokens, i)) {
      if (i + 1 >= tokens.length || tokens.spaceBefore(i + 1)) close(i + 1);
    }
  }
  close(tokens.length);
  return sentences;
}

/**
 * The line before the line of the token at `start` is blank (white space only; lines as text/lines.ts counts
 * them). Read in place: no slices.
 */
function blankLineBefore(text: string, start: number): boolean {
  const lineStart = lineStartAt(text, start);
  if (lineStart === 0) return false;
  // The break that ends the line before: CRLF, LF or a lone CR.
  const lineBreak = lineStart >= 2 && text.charCodeAt(lineStart - 1) === 10 && text.charCodeAt(lineStart - 2) === 13 ? lineStart - 2 : lineStart - 1;
  if (lineBreak === 0) return true; // the note starts with an empty line
  for (let i = lineBreak - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (isLineBreak(c)) return true;
    if (!isWhiteSpace(c)) return false;
  }
  return false;
}

// A written ICD-10-CM code (letter, digit, digit or letter, then an optional dot and up to four more) with its
// title after white space or a dash, starting with a capital: "N20.0 Calculus of kidney", "M75.31 - Calcific
// tendinitis". A vertebral level that wraps onto a line ("T12 through L1", "L4-5") does not start one.
// The code may follow a short label of the entry ("Dx 3: M61.40 Other calcification of muscle", "ICD-10: N20.0 ...").
const CODE_ENTRY = /(?:[A-Za-z][A-Za-z0-9-]{0,11}[ \t]?#?[0-9]{0,2}[ \t]*[:)][ \t]*)?[A-TV-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?(?:[ \t]+[-–:]?[ \t]*)[A-Z][a-z]/y;

/** The line whose first token starts at `start` begins with a written code and its title. */
function startsCodeEntry(text: string, start: number): boolean {
  CODE_ENTRY.lastIndex = start;
  return CODE_ENTRY.test(text);
}

/** A line break before the line of `start` ends a table row: that line or the line before it is a row (`isTableRow`). */
function betweenTableRows(text: string, start: number): boolean {
  const lineStart = lineStartAt(text, start);
  if (lineStart === 0) return false;
  return isTableRow(text, lineStart) || isTableRow(text, lineStartAt(text, lineStart - 1));
}

/**
 * The line starting at `lineStart` is a row of a table: it has a column gap (`hasColumnGap`), and so does the line
 * before or after it, with no statement ending between them (`endsStatement`: so a row's neighbours are in its scan
 * unit, see noteScan.ts unitBounds).
 */
function isTableRow(text: string, lineStart: number): boolean {
  const lineEnd = lineEndAt(text, lineStart);
  if (!hasColumnGap(text, lineStart, lineEnd)) return false;
  if (lineStart > 0) {
    const previousStart = lineStartAt(text, lineStart - 1);
    const previousEnd = lineEndAt(text, previousStart);
    if (!endsStatement(text, previousStart, previousEnd) && hasColumnGap(text, previousStart, previousEnd)) return true;
  }
  if (lineEnd >= text.length || endsStatement(text, lineStart, lineEnd)) return false;
  const nextStart = nextLineStart(text, lineEnd);
  return nextStart < text.length && hasColumnGap(text, nextStart, lineEndAt(text, nextStart));
}

/** The line text[from, to) ends with terminal punctuation or a colon (white space aside). */
function endsStatement(text: string, from: number, to: number): boolean {
  let i = to - 1;
  while (i >= from && isWhiteSpace(text.charCodeAt(i))) i--;
  if (i < from) return false;
  const c = text.charCodeAt(i);
  return c === 46 || c === 63 || c === 33 || c === 58;
}

/**
 * text[from, to) (one line) has a column gap between two of its words: a tab, or two spaces or more, after the
 * line's first word and before its last (indentation and trailing spaces are not gaps).
 */
function hasColumnGap(text: string, from: number, to: number): boolean {
  let i = from;
  while (i < to && isWhiteSpace(text.charCodeAt(i))) i++;
  let spaces = 0;
  let tab = false;
  for (; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 32) spaces++;
    else if (c === 9) tab = true;
    else {
      if (tab || spaces >= 2) return true;
      spaces = 0;
      tab = false;
    }
  }
  return false;
}

/** "1." / "2)" / "a." / "-" / "•" at the start of a line. */
function startsListItem(tokens: Tokens, i: number): boolean {
  const kind = tokens.kind(i);
  if (kind === 'punct') return BULLETS.has(tokens.known(i)!);
  const marker = kind === 'number' || tokens.normLength(i) === 1;
  if (!marker || i + 1 >= tokens.length || tokens.spaceBefore(i + 1)) return false;
  const next = tokens.known(i + 1);
  return next === '.' || next === ')';
}

/** ".", "?" or "!" (TERMINAL, compared in place: this is asked of every punctuation token). */
function isTerminal(norm: string | undefined): boolean {
  return norm === '.' || norm === '?' || norm === '!';
}

/** The previous line ended a statement: with terminal punctuation or a colon. */
function endsLine(previous: string | undefined): boolean {
  return isTerminal(previous) || previous === ':';
}

/** "Dr.", "b.i.d.", "e.g.", "J." (an initial), "approx." */
function isAbbreviationPeriod(text: string, tokens: Tokens, i: number): boolean {
  if (tokens.known(i) !== '.') return false;
  if (i < 1 || tokens.spaceBefore(i) || !tokens.isWord(i - 1)) return false;
  const previous = tokens.known(i - 1);
  // A unit after a number ends the sentence when a capital follows ("a 6 mm stone. Stones were ..."), as
  // notes write units without periods; a title does not ("Dr. Stone").
  if (previous !== undefined && ABBREVIATIONS.has(previous)) return !(UNITS.has(previous) && i >= 2 && tokens.kind(i - 2) === 'number' && capitalFollows(text, tokens, i));
  // Dotted abbreviation: single letters separated by dots with no spaces ("b.i.d.", "e.g.").
  // Initials are not treated as abbreviations: "vitamin D." ends a sentence far more often in notes.
  return tokens.normLength(i - 1) === 1 && i >= 2 && tokens.known(i - 2) === '.' && !tokens.spaceBefore(i - 1);
}

/** Units of measure among the abbreviations. */
const UNITS = wordSet(['cm', 'mm', 'kg', 'lb', 'lbs', 'oz', 'mg', 'mcg', 'ml', 'hr', 'hrs', 'min', 'mins', 'sec', 'wk', 'wks', 'mo', 'mos', 'yr', 'yrs']);

/** The token after `i` is a word written with a capital. */
function capitalFollows(text: string, tokens: Tokens, i: number): boolean {
  if (i + 1 >= tokens.length || !tokens.isWord(i + 1)) return false;
  const c = text.charAt(tokens.start(i + 1));
  return c !== c.toLowerCase() && c === c.toUpperCase();
}

/** The period of a list number at the start of a line ("1." in "1. Calcific tendinitis"). */
function isListNumberPeriod(tokens: Tokens, i: number): boolean {
  return tokens.known(i) === '.' && i >= 1 && tokens.newlineBefore(i - 1) && startsListItem(tokens, i - 1);
}
