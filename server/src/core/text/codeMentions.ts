/**
 * Finds ICD-10-CM and CPT codes written in a note. Offsets are UTF-16 code units into the original text
 * (the regexes run on the text itself, never on a case-folded copy, so offsets stay exact).
 */
import { normalizeCode } from '../codes/codeIndex';

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
}

// Letter, digit, letter-or-digit, then optionally a dot and 1-4 more: not inside a longer word or number.
// A code followed by "-" and another code is a range ("M70-M79"), not a mention.
const ICD_CANDIDATE =
  /(?<![\p{L}\p{N}.\-])([A-Za-z][0-9][0-9A-Za-z](?:\.[0-9A-Za-z]{1,4}|[0-9A-Za-z]{1,4})?)(?![\p{L}\p{N}]|\.[\p{L}\p{N}]|-[A-Za-z][0-9])/gu;
// Five characters (four digits and a digit or F/T/U), optionally followed by modifiers "-22", "-RT".
const CPT_CANDIDATE = /(?<![\p{L}\p{N}.\-])(\d{4}[0-9FTU])((?:-(?:[0-9]{2}|[A-Z]{2}|[A-Z][0-9]))*)(?![\p{L}\p{N}])/gu;
// "CPT 20551, 76942" / "CPT codes: 23000-LT and 23412": the label governs the list right after it only, on its line.
const CPT_LABEL = /\bCPT\s*(?:codes?)?\s*[:#]?\s*/gi;
const CPT_LIST_ITEM = /\d{4}[0-9FTU](?:-[0-9A-Z]{2})*\s*(?:,|;|\/|and|&)?\s*/iy;
// LF or CR: a line break as text/lines.ts counts them (CRLF holds both).
const LINE_BREAK = /[\r\n]/;

/**
 * ICD-10-CM: a dotted candidate in upper case is always a mention (so a wrong code is reported, not
 * ignored); a candidate without a dot or in lower case only when the code set knows it, because
 * "T12", "h2o" or a part number should not light up as invalid codes.
 * CPT: a known code, or any five-character code in a list right after the label "CPT".
 */
export function findCodeMentions(text: string, vocabulary: CodeVocabulary): CodeMention[] {
  const mentions: CodeMention[] = [];
  const cptMentions: CodeMention[] = [];
  for (const m of text.matchAll(ICD_CANDIDATE)) {
    const written = m[1]!;
    const code = normalizeCode(written);
    if (!code) continue;
    const dottedUpper = written.includes('.') && written === written.toUpperCase();
    if (!dottedUpper && !vocabulary.isIcdKnown(code)) continue;
    const end = m.index + written.length;
    const family = text[end] === '-' && !/[\p{L}\p{N}]/u.test(text[end + 1] ?? '');
    mentions.push({ system: 'icd10cm', code, text: written, start: m.index, end, modifiers: [], family });
  }
  let listed: ReadonlySet<number> | undefined;
  for (const m of text.matchAll(CPT_CANDIDATE)) {
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
