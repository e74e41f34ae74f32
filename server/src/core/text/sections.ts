/**
 * Section headers of clinic notes, radiology reports and operative reports ("PAST MEDICAL HISTORY:",
 * "Impression:", "PREOPERATIVE DIAGNOSIS: ...", "ASSESSMENT/PLAN"). A section runs from its header to the
 * next header. The kind matters downstream: FAMILY HISTORY makes findings someone else's, PAST MEDICAL
 * HISTORY makes them historical, a diagnosis header's laterality may govern the section.
 */
import { detached } from './detached';
import { LineBreakCursor } from './lines';
import { foldCase } from './tokens';

export type SectionKind =
  | 'preamble'
  | 'chief-complaint'
  | 'history-of-present-illness'
  | 'past-medical-history'
  | 'past-surgical-history'
  | 'family-history'
  | 'social-history'
  | 'medications'
  | 'allergies'
  | 'review-of-systems'
  | 'physical-exam'
  | 'results'
  | 'indication'
  | 'technique'
  | 'findings'
  | 'operative-findings'
  | 'impression'
  | 'assessment-plan'
  | 'diagnosis'
  | 'preoperative-diagnosis'
  | 'postoperative-diagnosis'
  | 'procedure'
  | 'procedure-details'
  | 'other';

export interface Section {
  kind: SectionKind;
  /** The header as written, without the colon ("PAST MEDICAL HISTORY"); empty for the preamble. */
  title: string;
  /** Offset of the header's first character (the section's start). */
  start: number;
  /** Offset just after the header (and its colon): where the section's content begins. */
  contentStart: number;
  /** Offset where the next section starts, or the text's end. */
  end: number;
}

/** Header names by key. A Map, not an object: a header written "Constructor:" must not find Object's own. */
const HEADERS = new Map<string, SectionKind>();
const add = (kind: SectionKind, ...names: string[]) => names.forEach((n) => HEADERS.set(n, kind));
add('chief-complaint', 'chief complaint', 'cc', 'reason for visit', 'presenting complaint');
add('history-of-present-illness', 'history of present illness', 'hpi', 'history', 'interval history', 'subjective', 'clinical history');
add('past-medical-history', 'past medical history', 'pmh', 'medical history', 'past history', 'pmhx', 'problem list', 'past medical and surgical history');
add('past-surgical-history', 'past surgical history', 'psh', 'surgical history', 'pshx', 'prior surgeries');
add('family-history', 'family history', 'fh', 'family hx', 'fhx', 'family medical history');
add('social-history', 'social history', 'sh', 'social hx');
add('medications', 'medications', 'meds', 'current medications', 'home medications', 'medications on admission');
add('allergies', 'allergies', 'allergy', 'drug allergies');
add('review-of-systems', 'review of systems', 'ros');
add('physical-exam', 'physical exam', 'physical examination', 'exam', 'examination', 'objective', 'vital signs', 'vitals');
add('results', 'imaging', 'radiology', 'studies', 'labs', 'laboratory', 'laboratory data', 'data', 'results', 'diagnostic studies');
add('indication', 'indication', 'indications', 'clinical indication', 'reason for exam', 'reason for study', 'indications for procedure', 'clinical information');
add('technique', 'technique', 'comparison', 'procedure technique', 'protocol');
add('findings', 'findings', 'result', 'report');
add('operative-findings', 'operative findings', 'intraoperative findings', 'op findings');
add('impression', 'impression', 'impressions', 'conclusion', 'conclusions', 'summary', 'opinion');
add('assessment-plan', 'assessment', 'plan', 'assessment and plan', 'assessment plan', 'a p', 'ap', 'a and p', 'recommendations', 'disposition');
add('diagnosis', 'diagnosis', 'diagnoses', 'diagnosis codes', 'discharge diagnosis', 'discharge diagnoses', 'final diagnosis', 'icd 10 codes', 'codes');
add('preoperative-diagnosis', 'preoperative diagnosis', 'pre operative diagnosis', 'preop diagnosis', 'pre op diagnosis', 'preoperative diagnoses');
add('postoperative-diagnosis', 'postoperative diagnosis', 'post operative diagnosis', 'postop diagnosis', 'post op diagnosis', 'postoperative diagnoses');
add('procedure', 'procedure', 'procedures', 'procedure performed', 'procedures performed', 'operation', 'operations', 'operation performed', 'name of procedure');
add('procedure-details', 'description of procedure', 'description of the procedure', 'description', 'description of operation', 'description of the operation', 'operative description', 'procedure description', 'procedure in detail', 'details of procedure', 'details of the procedure', 'anesthesia', 'estimated blood loss', 'complications', 'specimens', 'drains', 'implants');

const MAX_HEADER_WORDS = 6;
/** Key of a header text: folded, punctuation as spaces ("ASSESSMENT/PLAN" -> "assessment plan"). */
const headerKey = (s: string) => foldCase(s).replace(/[^a-z0-9]+/g, ' ').trim();
/** The most letters and digits a known name has ("postoperative diagnoses": 21). */
const MAX_KNOWN_ALNUM = Math.max(...[...HEADERS.keys()].map((k) => k.replace(/[^a-z0-9]/g, '').length));

/**
 * The kind of a known name ("Assessment/Plan", "PMH"), looked up only when `title` may fold to one. Folding
 * keeps every ASCII letter and digit (lower case) and may add more from other characters ("É" -> "e"), so a
 * title with more ASCII letters and digits than the longest known name has is none. Most text before a colon in
 * a dictated paragraph is a long sentence: it is then not folded at all.
 */
export function knownHeaderKind(title: string): SectionKind | undefined {
  return mayBeKnownName(title) ? HEADERS.get(headerKey(title)) : undefined;
}

/** Every known name (as headerKey spells it) and its kind: for a test comparing knownHeaderKind with the plain look-up. */
export const KNOWN_HEADERS: ReadonlyMap<string, SectionKind> = HEADERS;
export { headerKey };

function mayBeKnownName(s: string): boolean {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122)) {
      if (++n > MAX_KNOWN_ALNUM) return false;
    }
  }
  return true;
}

/**
 * A header is, at the start of a line, a known name or an upper-case name of at most six words, followed by
 * a colon (content may follow on the same line); or a line that is only a known name in upper case.
 */
export function findSections(text: string): Section[] {
  return sectionsOf(findHeaders(text), text.length);
}

/** A section header: a section without its end (which the next header decides). */
export type Header = Omit<Section, 'end'>;

/**
 * The headers in `text`, offsets moved by `offset`. Headers are found line by line, so a stretch of a note
 * that starts at a line start has the headers the whole note has there.
 */
export function findHeaders(text: string, offset = 0): Header[] {
  const headers: Header[] = [];
  const n = text.length;
  const breaks = new LineBreakCursor(text);
  // Line by line, as /^[ \t]*([^\r\n]*)$/gm would cut them: a line ends at CR or LF, its leading spaces and
  // tabs are not part of it, and a line with nothing else is skipped.
  for (let i = 0; i <= n; ) {
    let from = i;
    while (from < n && (text.charCodeAt(from) === 32 || text.charCodeAt(from) === 9)) from++;
    const to = breaks.at(from);
    i = to + 1;
    if (to === from) continue;
    const header = headerOfLine(text.slice(from, to), offset + from);
    if (header) headers.push(header);
  }
  return headers;
}

/**
 * The header a line makes, if any: `body` is the line without its leading blanks or line break, found at
 * `start`.
 */
export function headerOfLine(body: string, start: number): Header | undefined {
  const colon = body.indexOf(':');
  if (colon > 0) {
    const title = body.slice(0, colon).trim();
    const kind = knownHeaderKind(title);
    if (kind || (isUpperCaseName(title) && title.split(/\s+/).length <= MAX_HEADER_WORDS)) {
      return { kind: kind ?? 'other', title: detached(title), start, contentStart: start + colon + 1 };
    }
  }
  // Without a colon only a known name counts: an upper-case line such as "NO ACUTE FINDINGS" is content.
  const bare = body.trim();
  // The upper-case test first: it rejects most lines at their first lower-case letter, before any folding.
  const kind = isUpperCaseName(bare) ? HEADERS.get(headerKey(bare)) : undefined;
  return kind ? { kind, title: detached(bare), start, contentStart: start + body.length } : undefined;
}

/** The sections the headers of a note of `length` characters make: each runs to the next (a preamble first). */
export function sectionsOf(headers: readonly Header[], length: number): Section[] {
  const sections: Section[] = [];
  const firstStart = headers[0]?.start ?? length;
  if (firstStart > 0 || headers.length === 0) {
    sections.push({ kind: 'preamble', title: '', start: 0, contentStart: 0, end: firstStart });
  }
  headers.forEach((h, i) =>
    sections.push({ kind: h.kind, title: h.title, start: h.start, contentStart: h.contentStart, end: headers[i + 1]?.start ?? length }),
  );
  return sections;
}

/** "PAST MEDICAL HISTORY", "ASSESSMENT/PLAN": letters all upper case, at least one word of 2+ letters. */
function isUpperCaseName(s: string): boolean {
  // An ASCII first character that is not an upper-case letter fails at once (most lines of prose).
  const first = s.charCodeAt(0);
  if (first < 128 && !(first >= 65 && first <= 90)) return false;
  if (!/^[\p{Lu}][\p{Lu}\p{N} /&(),'-]*$/u.test(s)) return false;
  return /\p{Lu}{2,}/u.test(s);
}
