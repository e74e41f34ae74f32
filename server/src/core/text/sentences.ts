/**
 * Sentence units over tokens. Clinical text breaks the usual rules, so a boundary is:
 * - a section header (the header line is a unit of its own);
 * - a blank line;
 * - a new list item at the start of a line ("1.", "2)", "-", "•");
 * - ".", "?" or "!" followed by white space, unless it ends an abbreviation ("Dr.", "b.i.d.", "e.g.",
 *   "vs.") or a list number;
 * - a line break after a line that ended with terminal punctuation or a colon.
 * A line break alone is not a boundary: dictated sentences wrap.
 */
import type { Section } from './sections';
import type { Token } from './tokens';

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

export function splitSentences(text: string, tokens: readonly Token[], sections: readonly Section[]): Sentence[] {
  const sentences: Sentence[] = [];
  let sectionIndex = 0;
  let start = 0; // token index where the current sentence starts
  const close = (end: number, header = false) => {
    if (end > start) {
      sentences.push({
        start: tokens[start]!.start,
        end: tokens[end - 1]!.end,
        tokenStart: start,
        tokenEnd: end,
        section: sectionIndex,
        header,
      });
    }
    start = end;
  };

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    // Entering a new section: close what came before, then make the header line a unit of its own.
    while (sectionIndex + 1 < sections.length && token.start >= sections[sectionIndex + 1]!.start) {
      close(i);
      sectionIndex++;
    }
    const section = sections[sectionIndex]!;
    if (i === start && section.title && token.start < section.contentStart) {
      let j = i;
      while (j < tokens.length && tokens[j]!.start < section.contentStart) j++;
      close(j, true);
      i = j - 1;
      continue;
    }
    if (i > start && token.newlineBefore && (blankLineBefore(text, token) || startsListItem(tokens, i) || endsLine(tokens[i - 1]!))) {
      close(i);
    }
    if (TERMINAL.has(token.norm) && !isAbbreviationPeriod(tokens, i) && !isListNumberPeriod(tokens, i)) {
      const next = tokens[i + 1];
      if (!next || next.spaceBefore) close(i + 1);
    }
  }
  close(tokens.length);
  return sentences;
}

/** The line before the token's line is blank (white space only). Read in place: no slices. */
function blankLineBefore(text: string, token: Token): boolean {
  const lineStart = text.lastIndexOf('\n', token.start - 1);
  if (lineStart < 0) return false;
  if (lineStart === 0) return true; // the note starts with an empty line
  for (let i = lineStart - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 10) return true;
    if (!isWhiteSpace(c)) return false;
  }
  return false;
}

/** What String.prototype.trim removes (ECMAScript WhiteSpace and LineTerminator). */
function isWhiteSpace(c: number): boolean {
  return (
    c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/** "1." / "2)" / "a." / "-" / "•" at the start of a line. */
function startsListItem(tokens: readonly Token[], i: number): boolean {
  const t = tokens[i]!;
  if (BULLETS.has(t.norm)) return true;
  const next = tokens[i + 1];
  const marker = t.kind === 'number' || (t.kind === 'word' && t.norm.length === 1);
  return marker && next !== undefined && !next.spaceBefore && (next.norm === '.' || next.norm === ')');
}

/** The previous line ended a statement: with terminal punctuation or a colon. */
function endsLine(previous: Token): boolean {
  return TERMINAL.has(previous.norm) || previous.norm === ':';
}

/** "Dr.", "b.i.d.", "e.g.", "J." (an initial), "approx." */
function isAbbreviationPeriod(tokens: readonly Token[], i: number): boolean {
  if (tokens[i]!.norm !== '.') return false;
  const previous = tokens[i - 1];
  if (!previous || tokens[i]!.spaceBefore || previous.kind !== 'word') return false;
  if (ABBREVIATIONS.has(previous.norm)) return true;
  // Dotted abbreviation: single letters separated by dots with no spaces ("b.i.d.", "e.g.").
  const beforePrevious = tokens[i - 2];
  // Initials are not treated as abbreviations: "vitamin D." ends a sentence far more often in notes.
  return previous.norm.length === 1 && beforePrevious?.norm === '.' && !previous.spaceBefore;
}

/** The period of a list number at the start of a line ("1." in "1. Calcific tendinitis"). */
function isListNumberPeriod(tokens: readonly Token[], i: number): boolean {
  const previous = tokens[i - 1];
  return tokens[i]!.norm === '.' && previous !== undefined && previous.newlineBefore && startsListItem(tokens, i - 1);
}
