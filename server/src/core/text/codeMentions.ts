/**
 * Finds ICD-10-CM and CPT codes written in a note. Offsets are UTF-16 code units into the original text
 * (the regexes run on the text itself, never on a case-folded copy, so offsets stay exact).
 */
import { normalizeCode } from '../codes/codeIndex';
import { stemOf } from '../codes/titleStems';
import { isWhiteSpace, LineBreakCursor, lineStartAt } from './lines';
import { headerOfLine, type Header, type SectionKind } from './sections';

export interface CodeMention {
  system: 'icd10cm' | 'cpt';
  /** The code as the code set spells it ("M75.31"; CPT as written). */
  code: string;
  /** The text as written in the note ("m7531"). */
  text: string;
  /** Start offset (UTF-16) of the code. */
  start: number;
  /** End offset (exclusive). */
  end: number;
  /** CPT modifiers written after the code ("20551-50" -> ["50"]), with their offsets. */
  modifiers: Array<{ code: string; start: number; end: number }>;
  /**
   * True for a family reference with the index's trailing dash ("M75.3-": "a code from M75.3"), which
   * names a header on purpose and is not a reported code.
   */
  family: boolean;
}

/** What the scanner needs to know to tell codes from look-alikes (part numbers, phone digits, "H2O"). */
export interface CodeVocabulary {
  /** ICD-10-CM code exists in the current code set or in its deletion history. */
  isIcdKnown(code: string): boolean;
  /** CPT code is in the curated set or the user's licensed file. */
  isCptKnown(code: string): boolean;
  /** Source of a regular expression of an ICD-10-CM code as written, read from the code set (`CodeShapes.pattern`). */
  icdPattern: string;
  /** Telling stems of the official titles of a code and its ancestors (`TitleStems.of`). */
  titleStems(code: string): ReadonlySet<string>;
  /**
   * The phrases that replace one code by another ("changed to", "instead of"; data/context/code-set-aside.json,
   * reason "replacement"): between two codes they join them as a list does.
   */
  replacements: readonly string[];
}

// Five characters (four digits and a digit or F/T/U), optionally followed by modifiers "-22", "-RT".
const CPT_CANDIDATE = /(?<![\p{L}\p{N}.\-])(\d{4}[0-9FTU])((?:-(?:[0-9]{2}|[A-Z]{2}|[A-Z][0-9]))*)(?![\p{L}\p{N}])/gu;
// "CPT 20551, 76942" / "CPT codes: 23000-LT and 23412": the label governs the list right after it only, on its line.
const CPT_LABEL = /\bCPT\s*(?:codes?)?\s*[:#]?\s*/gi;
const CPT_LIST_ITEM = /\d{4}[0-9FTU](?:-[0-9A-Z]{2})*\s*(?:,|;|\/|and|&)?\s*/iy;
// LF or CR: a line break as text/lines.ts counts them (CRLF holds both).
const LINE_BREAK = /[\r\n]/;

/** The ICD-10-CM candidate regex of a code pattern, compiled once per pattern. */
const CANDIDATES = new Map<string, RegExp>();

function icdCandidates(pattern: string): RegExp {
  let re = CANDIDATES.get(pattern);
  if (!re) {
    // Not inside a longer word or number; a code followed by "-" and another code is a range ("M70-M79").
    re = new RegExp(`(?<![\\p{L}\\p{N}.\\-])(${pattern})(?![\\p{L}\\p{N}]|\\.[\\p{L}\\p{N}]|-(?:${pattern})(?![\\p{L}\\p{N}]))`, 'giu');
    CANDIDATES.set(pattern, re);
  }
  return re;
}

/**
 * ICD-10-CM: a token of a code's shape is a code only when it is written as one (see `CodeEvidence`); an
 * undotted or lower-case one only when the code set knows it. CPT: a known code, or any five-character code in
 * a list right after the label "CPT".
 */
/**
 * `listing`: the text starts inside a paragraph whose last header so far lists codes (`listsCodes`), as a scan
 * unit cut after a line of a paragraph may (noteScan.ts).
 */
export function findCodeMentions(text: string, vocabulary: CodeVocabulary, listing = false): CodeMention[] {
  const mentions: CodeMention[] = [];
  const cptMentions: CodeMention[] = [];
  const evidence = new CodeEvidence(text, vocabulary, listing);
  // Dotted upper-case codes without evidence of their own, each listed right before the next ("M75.3 and
  // T52.8X1A"): a code found right after the last of them vouches for the whole list.
  let waiting: Array<{ mention: CodeMention; next: number }> = [];
  // exec loops on the shared expressions, not matchAll (which copies its expression on every call: a note is
  // searched a unit at a time, hundreds of calls per note). Nothing called in the loops uses these two.
  const icd = icdCandidates(vocabulary.icdPattern);
  icd.lastIndex = 0;
  for (let m = icd.exec(text); m; m = icd.exec(text)) {
    const written = m[1]!;
    const code = normalizeCode(written);
    if (!code) continue;
    const dottedUpper = written.includes('.') && written === written.toUpperCase();
    if (!dottedUpper && !vocabulary.isIcdKnown(code)) continue;
    const end = m.index + written.length;
    const family = text[end] === '-' && !/[\p{L}\p{N}]/u.test(text[end + 1] ?? '');
    const mention: CodeMention = { system: 'icd10cm', code, text: written, start: m.index, end, modifiers: [], family };
    const verdict = evidence.judge(m.index, end, written, code, family);
    if (verdict === 'code') {
      if (waiting.at(-1)?.next === m.index) for (const w of waiting) mentions.push(w.mention);
      mentions.push(mention);
      waiting = [];
    } else if (verdict === 'unproven' && dottedUpper) {
      if (waiting.at(-1)?.next !== m.index) waiting = [];
      waiting.push({ mention, next: evidence.listItemAfter(end) });
    } else {
      waiting = [];
    }
  }
  let listed: ReadonlySet<number> | undefined;
  CPT_CANDIDATE.lastIndex = 0;
  for (let m = CPT_CANDIDATE.exec(text); m; m = CPT_CANDIDATE.exec(text)) {
    const code = m[1]!;
    if (!vocabulary.isCptKnown(code) && !(listed ??= labelledListStarts(text)).has(m.index)) continue;
    const modifiers: CodeMention['modifiers'] = [];
    let at = m.index + code.length;
    for (const mod of (m[2] ?? '').split('-').slice(1)) {
      modifiers.push({ code: mod, start: at + 1, end: at + 1 + mod.length });
      at += 1 + mod.length;
    }
    cptMentions.push({ system: 'cpt', code, text: code, start: m.index, end: m.index + code.length, modifiers, family: false });
  }
  return cptMentions.length === 0 ? mentions : mergeByStart(mentions, cptMentions);
}

/**
 * Where an item of a list after a "CPT" label may start: the end of each label ("CPT", "CPT code", "CPT codes:",
 * "cpt #", then blanks), and after it the end of each item and its separator ("23000-LT, ", "20551 and "), for as
 * long as items follow one another on the label's line. Each list is walked once, so a note pasted as one line
 * with thousands of codes costs its length, not its length times its codes (it was searched back to the line's
 * start for every code). Only the greedy end of a label or an item can be followed by a digit, which is what a
 * code starts with, so this set holds the same code starts as matching
 * /\bCPT\s*(?:codes?)?\s*[:#]?\s*(?:\d{4}[0-9FTU](?:-[0-9A-Z]{2})*\s*(?:,|;|\/|and|&)?\s*)*$/i on the line up
 * to each (a property test compares the two).
 */
export function labelledListStarts(text: string): Set<number> {
  const starts = new Set<number>();
  for (const label of text.matchAll(CPT_LABEL)) {
    // A line break inside the label or an item: what follows is on another line than the label.
    if (LINE_BREAK.test(label[0])) continue;
    let at = label.index + label[0].length;
    while (!starts.has(at)) {
      starts.add(at);
      CPT_LIST_ITEM.lastIndex = at;
      const item = CPT_LIST_ITEM.exec(text);
      if (!item || LINE_BREAK.test(item[0])) break;
      at += item[0].length;
    }
  }
  return starts;
}

/** Two lists in text order (ICD-10-CM and CPT mentions never overlap) merged into one in text order. */
function mergeByStart(a: CodeMention[], b: CodeMention[]): CodeMention[] {
  if (a.length === 0) return b;
  const out = new Array<CodeMention>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i]!.start <= b[j]!.start ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

/** Sections under whose header a line that starts with a code lists codes (a problem list, a diagnosis list). */
const LISTING_SECTIONS: ReadonlySet<SectionKind> = new Set<SectionKind>([
  'diagnosis',
  'preoperative-diagnosis',
  'postoperative-diagnosis',
  'assessment-plan',
  'impression',
  'past-medical-history',
]);
// Words that make the codes of their line written as codes: "ICD-10-CM:", "ICD10", "Dx", "Diagnoses", "Codes",
// "coded", "Code:", "Billing" ("code" alone is not one: "full code", "code status").
// A coder's worksheet labels its result "Final:" as well ("Final: R31.9, Z72.0").
const CODE_LABEL = /(?<![\p{L}\p{N}])(?:ICD(?:[- ]?(?:10|9))?(?:[- ]?CM)?|DDx|Dx|Diagnos[ie]s|Codes|Coded|Code[ \t]*[:#]|Final[ \t]*:|Billing|Billed)(?![\p{L}\p{N}])/iu;
// A list marker at the start of a line: "1.", "2)", "#3", "-", "*", "•".
const LIST_MARKER = /(?:\d{1,3}[.)]|#\d*|[-*•])[ \t]*/y;
const BLANKS = /[ \t]*/y;
/** Arrows from a code to the one that replaces it ("M75.30 -> M75.31"); codes/setAside.ts reads the same. */
export const CODE_ARROW = '->|→|=>|⇒';
/**
 * What separates the items of a code list: "M75.31, E83.52", "I25.10; I25.84", "M75.31/M75.32", "M7531 and E8352";
 * and a coder's edit from one code to another, which names both as codes: "E78.5 changed to E78.00", "Z72.0
 * replaced by F17.210", "F17.210 instead of Z87.891", "M75.30 -> M75.31": the set-aside data's replacement
 * phrases (`CodeVocabulary.replacements`), the words codes/setAside.ts reads. Compiled once per phrase list.
 */
const SEPARATORS = new WeakMap<readonly string[], RegExp>();
function separatorOf(replacements: readonly string[]): RegExp {
  let re = SEPARATORS.get(replacements);
  if (!re) {
    // Longest first, so "replaced with" is tried before a shorter phrase it starts with; blanks between words as written.
    const phrases = [...replacements]
      .sort((a, b) => b.length - a.length)
      .map((p) => `${p.trim().split(/\s+/).map(escapeRegExp).join('[ \\t]+')}(?![\\p{L}\\p{N}])`);
    re = new RegExp(`[ \\t]*(?:[,;/&]|(?:and|or)(?![\\p{L}\\p{N}])|${CODE_ARROW}${phrases.map((p) => `|${p}`).join('')})?[ \\t]*`, 'iuy');
    SEPARATORS.set(replacements, re);
  }
  return re;
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// A measurement next to the token: a number ("27", "10.8", "120/80", "97%", "0930") or a unit.
const NUMBER = /^[+-]?\d+(?:[.,/:]\d+)*%?$/;
const UNIT_RATIO = /^[a-zµ]+\/[a-z]+(?:\/[a-z]+)?$/i;
const UNITS = new Set(
  ('mm cm m km ft mg mcg ug µg g kg lb lbs oz ml l dl cc meq mmol umol mol unit units u iu mci uci bq mbq gy cgy ' +
    'mmhg hg atm bpm hz khz mhz ms sec min hr hrs fr french gauge ga x × mos wk wks yr yrs').split(' '),
);
// Title words are looked for this many words on each side of a token, on its line.
const TITLE_WINDOW = 6;
const TITLE_WORD = /[\p{L}][\p{L}\p{N}]{3,}/gu;

/** Lines that start with a code under this header list codes (a diagnosis list, a problem list, "Codes:"). */
export function listsCodes(header: Header): boolean {
  return LISTING_SECTIONS.has(header.kind) || CODE_LABEL.test(header.title);
}

/**
 * Does the line that ends right before `end` (its line break, if any, before `end`) introduce a code list: a
 * line ending with a colon that names codes ("Coder review of the provider's codes:", "Dx:")? The lines after
 * it in its paragraph that start with a code list codes, as under a diagnosis header ("3. R31.9 not supported").
 */
export function introducesCodeList(text: string, end: number): boolean {
  let k = end - 1;
  if (k >= 0 && text.charCodeAt(k) === 10) k--;
  if (k >= 0 && text.charCodeAt(k) === 13) k--;
  while (k >= 0 && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) k--;
  if (k < 0 || text.charCodeAt(k) !== 58) return false; // ':'
  return CODE_LABEL.test(text.slice(lineStartAt(text, k), k + 1));
}

/**
 * Whether a token of a code's shape is written as a code, line by line through one text (the tokens are asked
 * in text order, so each line is looked at once). Evidence, any of:
 * - a code label on its line ("ICD-10-CM:", "Dx", "Diagnoses:", "Codes:", "Billing"; "... corrected codes to follow");
 * - a code list it belongs to: right after "(", at the start of a line (after a list marker) under a diagnosis,
 *   assessment, impression or problem-list header of the same paragraph (or after that header on its line),
 *   or next to a code found, separated by a comma, semicolon, slash or "and" (after a labelled or listed code
 *   any code; otherwise a dotted upper-case one, before or after it);
 * - the telling words of its official title (or its ancestors') within six words on its line: one word for a
 *   dotted upper-case code, two for an undotted or lower-case one;
 * - its own form: a dotted upper-case code the code set knows with two or more characters after the dot
 *   ("E83.52", "S06.0X0A"), or a family reference ("M75.3-").
 * Counter-evidence, which overrides it: a measurement next to it (a number or a unit before or after it with
 * only blanks between, "%", "°", a time or a ratio right after), a hyphenated compound ("F18-FDG"), or a
 * lower-case "x" first ("x14", "x16": times). Nothing here crosses a blank line, so a paragraph alone gives
 * what the whole note gives there.
 */
class CodeEvidence {
  private lineStart = 0;
  private lineEnd = -1;
  /** The current line has a code label (undefined: not looked for yet). */
  private labelled: boolean | undefined;
  /** Where a code list governed by a header starts on the current line (-1: none). */
  private headedListStart = -1;
  /** The last header of the paragraph so far lists codes. */
  private listing: boolean;
  /** Where the next item of the list of the last code found may start, and whether a label or header governs it. */
  private chainAt = -1;
  private chainGoverned = false;
  /** A code's shape at a position (sticky), made on first use. */
  private codeAt: RegExp | undefined;
  /** The line breaks of the text, found as the line cursor moves on. */
  private readonly breaks: LineBreakCursor;
  /** What separates two items of a code list (separatorOf). */
  private readonly separator: RegExp;

  constructor(
    private readonly text: string,
    private readonly vocabulary: CodeVocabulary,
    listing: boolean,
  ) {
    this.listing = listing;
    this.breaks = new LineBreakCursor(text);
    this.separator = separatorOf(vocabulary.replacements);
  }

  /**
   * "code" when the token is written as one; "measured" when counter-evidence rules it out; "unproven"
   * when neither (a code right after it in a list may still vouch for it).
   */
  judge(start: number, end: number, written: string, code: string, family: boolean): 'code' | 'measured' | 'unproven' {
    this.advanceTo(start);
    if (this.measured(start, end, written)) return 'measured';
    const upper = written === written.toUpperCase();
    const dottedUpper = upper && written.includes('.');
    const labelled = this.labelled!;
    const listed = this.parenthesised(start) || start === this.headedListStart || (start === this.chainAt && this.chainGoverned);
    const evident =
      labelled ||
      listed ||
      (family && upper) ||
      (dottedUpper && (start === this.chainAt || (code.length - 4 >= 2 && this.vocabulary.isIcdKnown(code)))) ||
      this.titled(start, end, code, dottedUpper ? 1 : 2);
    if (!evident) return 'unproven';
    this.chainAt = this.listItemAfter(end);
    this.chainGoverned = labelled || listed;
    return 'code';
  }

  /** Where the next item of a code list may start after an item that ends at `end`. */
  listItemAfter(end: number): number {
    this.separator.lastIndex = end;
    return end + this.separator.exec(this.text)![0].length;
  }

  /** Moves the line cursor to the line holding `pos`, noting the headers of the lines passed. */
  private advanceTo(pos: number): void {
    const text = this.text;
    while (this.lineEnd < pos) {
      // The next line starts after the break that ends this one (LF, CR or CRLF, as text/lines.ts counts them).
      let next = this.lineEnd + 1;
      if (this.lineEnd >= 0 && text.charCodeAt(this.lineEnd) === 13 && text.charCodeAt(next) === 10) next++;
      this.lineStart = next;
      const lineEnd = this.breaks.at(next);
      this.lineEnd = lineEnd;
      BLANKS.lastIndex = this.lineStart;
      const bodyStart = this.lineStart + BLANKS.exec(text)![0].length;
      const bodyEnd = lineEnd;
      this.labelled = undefined;
      this.headedListStart = -1;
      if (bodyEnd <= bodyStart) {
        this.listing = false; // a blank line ends the paragraph
        continue;
      }
      const header = headerOfLine(text.slice(bodyStart, bodyEnd), bodyStart);
      if (header) this.listing = listsCodes(header);
      if (this.listing) {
        let at = header ? header.contentStart : bodyStart;
        BLANKS.lastIndex = at;
        at += BLANKS.exec(text)![0].length;
        LIST_MARKER.lastIndex = at;
        this.headedListStart = at + (LIST_MARKER.exec(text)?.[0].length ?? 0);
      }
      // A line that introduces a code list ("Coder review of the provider's codes:") governs the lines after it.
      if (!this.listing && introducesCodeList(text, bodyEnd)) this.listing = true;
    }
    this.labelled ??= CODE_LABEL.test(this.text.slice(this.lineStart, this.lineEnd));
  }

  /** Right after "(" (blanks between): the first item of a code list in parentheses. */
  private parenthesised(start: number): boolean {
    let k = start - 1;
    while (k >= this.lineStart && (this.text[k] === ' ' || this.text[k] === '\t')) k--;
    return k >= this.lineStart && this.text[k] === '(';
  }

  /** A measurement, a compound or "times" next to the token. */
  private measured(start: number, end: number, written: string): boolean {
    const text = this.text;
    if (written[0] === 'x' || text[start - 1] === '×') return true;
    const next = text[end];
    if (next === '%' || next === '°') return true;
    if ((next === '-' || next === ':' || next === '/') && /[\p{L}\p{N}]/u.test(text[end + 1] ?? '')) {
      // "F18-FDG", "T12:30", "T37/38"; a range or a pair of codes ("M75.31/M75.32") is not a measurement.
      const codeAt = (this.codeAt ??= new RegExp(this.vocabulary.icdPattern, 'iuy'));
      codeAt.lastIndex = end + 1;
      if (!codeAt.test(text)) return true;
    }
    return isMeasure(this.tokenBefore(start)) || isMeasure(this.tokenAfter(end));
  }

  /** The blank-separated token before `start` on its line, if only blanks stand between. */
  private tokenBefore(start: number): string | undefined {
    let k = start;
    while (k > this.lineStart && (this.text[k - 1] === ' ' || this.text[k - 1] === '\t')) k--;
    if (k === start || k === this.lineStart) return undefined;
    const to = k;
    while (k > this.lineStart && to - k < 32 && !isWhiteSpace(this.text.charCodeAt(k - 1))) k--;
    return this.text.slice(k, to);
  }

  /** The blank-separated token after `end` on its line (without closing punctuation), if only blanks stand between. */
  private tokenAfter(end: number): string | undefined {
    let k = end;
    while (k < this.lineEnd && (this.text[k] === ' ' || this.text[k] === '\t')) k++;
    if (k === end || k >= this.lineEnd) return undefined;
    const from = k;
    while (k < this.lineEnd && k - from < 32 && !isWhiteSpace(this.text.charCodeAt(k))) k++;
    return this.text.slice(from, k).replace(/[,;:.)\]]+$/, '');
  }

  /** At least `needed` telling words of the code's title within the window on each side, on its line. */
  private titled(start: number, end: number, code: string, needed: number): boolean {
    const stems = this.vocabulary.titleStems(code);
    if (stems.size === 0) return false;
    const reach = TITLE_WINDOW * 16;
    const before = titleWords(this.text.slice(Math.max(this.lineStart, start - reach), start)).slice(-TITLE_WINDOW);
    const after = titleWords(this.text.slice(end, Math.min(this.lineEnd, end + reach)), TITLE_WINDOW);
    const found = new Set<string>();
    for (const w of [...before, ...after]) {
      const stem = stemOf(w);
      if (stems.has(stem)) found.add(stem);
      if (found.size >= needed) return true;
    }
    return false;
  }
}

/** The first `limit` words of `s` that TITLE_WORD matches (an exec loop: matchAll would copy the expression). */
function titleWords(s: string, limit = Infinity): string[] {
  const words: string[] = [];
  TITLE_WORD.lastIndex = 0;
  for (let m = TITLE_WORD.exec(s); m && words.length < limit; m = TITLE_WORD.exec(s)) words.push(m[0]);
  return words;
}

function isMeasure(token: string | undefined): boolean {
  return token !== undefined && (NUMBER.test(token) || UNITS.has(token.toLowerCase()) || isUnitRatio(token));
}

/**
 * "mg/dL", "mL/min", "g/L": a unit per unit. A letter over a letter is one only when the first is a unit ("g/L",
 * "U/L", "m/s"): "r/o", "s/p", "h/o", "w/o" and "N/A" are clinical abbreviations, and a code next to them is
 * written as a code ("r/o N20.1", "Z87.891 N/A").
 */
function isUnitRatio(token: string): boolean {
  if (!UNIT_RATIO.test(token)) return false;
  return token.length !== 3 || UNITS.has(token[0]!.toLowerCase());
}
