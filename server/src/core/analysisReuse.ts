/**
 * An edit the analysis cannot see: the last analysis of the document, moved, is the new one.
 *
 * Most keystrokes in a dictated report land in prose that names nothing Calx looks for ("The patient tolerated
 * the procedure well"). Findings and diagnostics depend on the sentences that hold vocabulary matches or codes,
 * and on a few things any sentence shows to the sentences around it. When the sentences an edit changed hold no
 * match and no code, before and after, and show their neighbours the same things (`outwardSignature`), every
 * finding and diagnostic of the last analysis is still right once its offsets are moved by the edit's change in
 * length. That is what an edit then costs: the scan of the unit it touched and the move, not the whole note's
 * findings and rules again.
 *
 * What a sentence without matches shows to others, and so what the check compares (each read elsewhere in the
 * core; context triggers govern only their own sentence, so a negation in such a sentence negates nothing):
 * - whether its first word is a referring word, and which (a sentence that "goes on about" the one before starts
 *   with one: findings.ts, REFERRING);
 * - an inline header ("Impression: ...", "LEFT BREAST: ...") and its words (reportStructure.ts);
 * - the words a match in the sentence before or after it reads past its own sentence (FORWARD_REACH,
 *   BACKWARD_REACH: a lesion word after it, an index type or "Dr." before it): when they changed, the findings
 *   of those neighbours are found again (below);
 * - its line: no line break may be added or removed (line numbers appear in messages, "on the same line"
 *   decides references), the line may not be an upper-case title line before or after (a title's side
 *   governs the findings under it), and the rest of a header's line keeps or lacks lower case as before (an
 *   upper-case rest is part of the header's title);
 * - near a written code on its line, the words the decision whether the note sets the code aside reads
 *   (`codesReadTheSame`), and no strikethrough on the line.
 * A header sentence is compared whole; the findings of a header whose value ("CALCIFICATIONS: None.") changed are
 * found again.
 *
 * Most other keystrokes land in a sentence with findings without changing what it names (a typo in "tolerated",
 * a word added to a long finding sentence). When the changed sentences keep their vocabulary matches in order,
 * and their outward signature and codes, only their findings (and those of the neighbours that read their words)
 * are found again, by a partial run of findings.ts after the earlier findings' restatements and anaphors
 * (`refindsTheSame`); when they come out the same, the last analysis is moved as above.
 *
 * A keystroke that changes what a sentence names ("calcification" typed into "calcifixcation"), or what it shows
 * the sentences after it, or whose sentences' findings come out otherwise, changes the findings from there on:
 * those before it are kept and the rest found again by one partial run to the end of the note (`findsFromEdit`),
 * then the rules run. Anything else falls back to a full analysis; a property test compares the reused analysis
 * with a fresh one after random edits.
 */
import { isCurrent, newRecord, REFERRING, titleHead, type Finding, type FindingsRecord, type PartialRun, type RestatementTrail } from './findings/findings';
import type { RestatementKeys } from './findings/reportStructure';
import { sameCondition, statesCause } from './findings/restatedCauses';
import type { ContextFlags } from './context/contextDetector';
import type { ScanCache, UnitScan } from './noteScan';
import type { Diagnostic } from './rules/types';
import type { PhraseMatch } from './text/phraseMatcher';
import type { Sentence } from './text/sentences';
import type { Tokens } from './text/tokens';
import { firstNotBefore } from './findings/nearest';
import { firstStartingAt } from './text/byStart';
import { isLineBreak } from './text/lines';

/** What the last analysis of a document left for the next: its findings and its diagnostics before suppressions. */
export interface KeptAnalysis {
  /** The scan it was made from (`ScanCache.generation` after that scan). */
  generation: number;
  /** The services and severities it was made with: others need a new analysis. */
  services: object;
  severities: string;
  findings: Finding[];
  /** What its findings recorded (findings.ts: restatement keys, organs asked about, cause takers), for a partial run after it. */
  record: FindingsRecord;
  diagnostics: Diagnostic[];
  /** Its findings' and diagnostics' words no longer share storage with the text they were cut from (`detach`). */
  findingsDetached: boolean;
  diagnosticsDetached: boolean;
}

/** A partial run of findings.ts on the new text, filling `record` (findings.ts, FindingsOptions). */
type FindAgain = (only: PartialRun, record: FindingsRecord) => Finding[];

/** The new text's sentences and tokens (the model's: made when first asked for). */
interface NewText {
  sentences: readonly Sentence[];
  tokens: Tokens;
}

/** The edit between two versions: text [start, end) of the old one became [start, end + delta) of the new. */
interface Edit {
  start: number;
  end: number;
  delta: number;
  /** The line the edit is on, in the new text ([start, end), its break excluded). */
  lineStart: number;
  lineEnd: number;
  /**
   * The whole sentences the edit changed whose findings must be found again (they hold vocabulary matches or
   * codes, or a finding next to them reads their words), [start, end) in the new text (none: -1).
   */
  seenStart: number;
  seenEnd: number;
  /**
   * Tokens [reachFrom, reachTo) of the new text whose sentences' findings must be found again too: a finding in
   * them reads words of a changed sentence (past its own sentence's end, or a header's value after it).
   */
  reachFrom: number;
  reachTo: number;
  /** The written codes, or the words next to them, changed: the rules must run again. */
  codesChanged: boolean;
  /**
   * A changed sentence names something else than before (its vocabulary matches differ) or shows the sentences
   * after it something else (`outwardSignature`): the findings from the changed sentences on are found again
   * (`findsFromEdit`), those before them kept.
   */
  fromEdit: boolean;
  /** The places (site ids) a changed sentence named before and not after, or after and not before. */
  places: Set<string>;
  /** The causes (etiology ids) a changed sentence names, before or after, when its matches or words changed. */
  causes: Set<string>;
}

/** The most units an edit may have touched for its analysis to be reused (one keystroke touches one or two). */
const MAX_UNITS = 4;
/** Tokens of a sentence's start that an inline header may span (reportStructure.ts: INLINE_HEADER_WORDS + its colon). */
const INLINE_HEADER_TOKENS = 6;
/**
 * How many tokens past its sentence's end a finding may read forwards (findings.ts: a lesion word up to 4 words
 * after it, the noun phrase after its "of"; anaphora.ts: the two tokens after a bare "stone"), and backwards past
 * its sentence's start (an index type of up to 3 words before it, "Dr." before a bare "stone", a qualifier).
 */
const FORWARD_REACH = 5;
const BACKWARD_REACH = 3;
/**
 * How many tokens from a code its set-aside words may stand (codes/setAside.ts: a phrase of at most 8 tokens,
 * after up to three fillers of as many; a list of codes under a label is walked code to code).
 */
const CODE_REACH = 40;

/**
 * The last analysis moved to the new text, or undefined when the edit may have changed what it found. `text` is
 * the new text; its scan was made with `cache` right after the scan `kept` was made from.
 */
export function reuseAnalysis(
  kept: KeptAnalysis,
  cache: ScanCache,
  text: string,
  model: () => NewText,
  find: FindAgain,
): { findings: Finding[]; diagnostics?: Diagnostic[]; refound: boolean; record?: FindingsRecord; fromEdit?: true; keptFindings?: number } | undefined {
  const before = cache.previousLayout;
  const after = cache.layout;
  if (!before || !after || kept.generation !== cache.generation - 1) return undefined;
  const edit = changedStretch(before.parts, before.units, after.parts, after.units, text, 'sentences');
  if (!edit) return undefined;
  if (edit.fromEdit) return findsFromEdit(kept, after.parts, edit, model(), find);
  const refound = edit.seenStart >= 0;
  // Found again, the changed sentences' findings differ: the findings from them on are found again.
  if (refound && !refindsTheSame(kept, edit, model(), find)) return findsFromEdit(kept, after.parts, edit, model(), find);
  const moved = moveAll(kept, edit, !edit.codesChanged);
  return moved && { ...moved, refound };
}

/**
 * The findings of the last analysis before the changed sentences (and before the neighbours that read their
 * words), and those from there to the end of the note found again by a partial run after them; undefined when a
 * finding before them read them. The findings before a sentence read nothing of it or after it but:
 * - the removals of organs the note names anywhere: a sentence with one must keep every known word where it was
 *   (`sameUnit`);
 * - the causes the note names anywhere, where it first affirms each: each cause a changed sentence names, before
 *   or after the edit, must be evidence of a finding before the run, before it (then the note first affirms it
 *   there);
 * - evidence ranges (a cause the note names later): none may lie in the changed sentences; those after them are
 *   moved by the edit;
 * - the organs the note names anywhere (an imaging finding named by its appearance, an abbreviation): a place the
 *   changed sentences named or name now that a finding asked about must be named elsewhere too;
 * - a cause stated with a later mention of their condition (restatedCauses.ts): the mentions from the run on that
 *   state one must be as they were (`sameDonors`), or be of no condition a finding before could take it for.
 * The rules run again on the result (analyze.ts), unless the findings came out as they were.
 */
function findsFromEdit(
  kept: KeptAnalysis,
  parts: readonly UnitScan[],
  edit: Edit,
  { sentences, tokens }: NewText,
  find: FindAgain,
): { findings: Finding[]; record: FindingsRecord; refound: false; fromEdit: true; keptFindings: number } | undefined {
  if (edit.seenStart < 0) return undefined;
  let start = edit.seenStart;
  if (edit.reachFrom !== Infinity && tokens.length > 0) {
    const t = Math.min(Math.max(0, edit.reachFrom), tokens.length - 1);
    const sentence = sentences[firstEndingAfterToken(sentences, t)];
    start = Math.min(start, tokens.start(t), sentence && sentence.tokenStart <= t ? sentence.start : Infinity);
  }
  // Before the edit, old and new offsets are the same.
  if (start > edit.start) return undefined;
  // A place the changed sentences named or name now, that a finding asked whether the note names, and that the
  // rest of the note does not name: the answer may have changed.
  for (const place of edit.places) if (kept.record.organsAsked.has(place) && !namedElsewhere(parts, place, edit.seenStart, edit.seenEnd)) return undefined;
  const { findings } = kept;
  const from = firstStartingAt(findings, start);
  // A cause the changed sentences name, before or after: the findings before read the first place the note affirms
  // it (findings.ts, etiologyEvidence); when one of them has it as evidence before the run, that place is before.
  if (edit.causes.size > 0) {
    const affirmedBefore = new Set<string>();
    for (let k = 0; k < from; k++) for (const e of findings[k]!.etiologies) if (e.via !== 'mention' && e.end <= start) affirmedBefore.add(e.value);
    for (const cause of edit.causes) if (!affirmedBefore.has(cause)) return undefined;
  }
  // The findings before keep their evidence after the changed sentences (a cause the note names later), moved by
  // the edit once the run is done; evidence in the changed sentences may be gone.
  const [changedStart, changedEnd] = [edit.seenStart, edit.seenEnd - edit.delta];
  const after = new Set<{ start: number; end: number }>();
  for (let k = 0; k < from; k++) if (hasEvidenceWithin(findings[k]!, changedStart, changedEnd) || !collect(findings[k]!, after, edit)) return undefined;
  const { trail, causeTakers } = kept.record;
  // Moved before the run: its findings may copy them (a restated site).
  moveRanges(after, edit.delta);
  // The organs asked before, and those the run asks: more than the findings asked, never fewer.
  const run: FindingsRecord = { trail: [], organsAsked: new Set(kept.record.organsAsked), causeTakers: new Map() };
  const found = find({ start, end: Infinity, earlier: findings, earlierTrail: trail }, run);
  // A mention from the run on that stated or states a cause is its condition's donor for the mentions before too
  // (restatedCauses.ts): one of the same condition before the run that may take a cause may have taken it or take it now.
  // When those mentions state what they stated, where they stated it, nothing carried back changes.
  const before = { findings, keys: trail, count: from, takers: causeTakers };
  const [wereDonors, areDonors] = [{ findings, keys: trail, from }, { findings: found, keys: run.trail, from: 0 }];
  if (!sameDonors(wereDonors, areDonors, edit) && (donorsReachBack(wereDonors, before) || donorsReachBack(areDonors, before))) {
    // As they were: a full analysis may still move the last diagnostics, comparing the last findings with its own.
    moveRanges(after, -edit.delta);
    return undefined;
  }
  const earlier = findings.slice(0, from);
  if (!kept.findingsDetached) detachFindings(earlier);
  for (const f of earlier) {
    const names = causeTakers.get(f);
    if (names) run.causeTakers.set(f, names);
  }
  return { findings: earlier.concat(found), record: { ...run, trail: trail.slice(0, from).concat(run.trail) }, refound: false, fromEdit: true, keptFindings: from };
}

/**
 * Do the sentences with findings that the edit changed, and those whose findings read their words, find what
 * they found, moved? They are found again (`find`, a partial run of findings.ts) after the findings before
 * them as the last analysis recorded them.
 *
 * `changedStretch` let such sentences through only when they show the rest of the note what they showed before:
 * their vocabulary matches in the same order; for a sentence with a cause, every word a vocabulary knows where
 * it was (so every context trigger and what it governs); the same outward signature and codes. The other
 * sentences' findings read nothing else of them but their findings, through the restatements and anaphors
 * recorded in text order: those are compared here, the findings and the keys they were recorded under. Then the
 * rules would find what they found: they read findings, codes, lines and the words next to codes.
 */
function refindsTheSame(kept: KeptAnalysis, edit: Edit, { sentences, tokens }: NewText, find: FindAgain): boolean {
  const { findings } = kept;
  // A finding elsewhere with evidence in the changed sentences (a site or side an earlier sentence documents, a
  // cause named anywhere) read them: it is not found again here, so the whole note is.
  const [changedStart, changedEnd] = [edit.seenStart, edit.seenEnd - edit.delta];
  const [first, last] = [firstStartingAt(findings, changedStart), firstStartingAt(findings, changedEnd)];
  for (let k = 0; k < findings.length; k++) if ((k < first || k >= last) && hasEvidenceWithin(findings[k]!, changedStart, changedEnd)) return false;
  // With the tokens around them whose findings read their words (`Edit.reachFrom`, `reachTo`), and the whole
  // sentences those tokens are in (a token outside every sentence, a header's, counts by itself).
  let [start, end] = [edit.seenStart, edit.seenEnd];
  if (edit.reachFrom !== Infinity && tokens.length > 0) {
    const t = Math.min(Math.max(0, edit.reachFrom), tokens.length - 1);
    const sentence = sentences[firstEndingAfterToken(sentences, t)];
    start = Math.min(start, tokens.start(t), sentence && sentence.tokenStart <= t ? sentence.start : Infinity);
  }
  if (edit.reachTo >= 0 && tokens.length > 0) {
    const t = Math.min(Math.max(0, edit.reachTo - 1), tokens.length - 1);
    const sentence = sentences[firstEndingAfterToken(sentences, t)];
    end = Math.max(end, tokens.end(t), sentence && sentence.tokenStart <= t ? sentence.end : -1);
  }
  const from = firstStartingAt(findings, start);
  const to = firstStartingAt(findings, end - edit.delta);
  const record = newRecord();
  const found = find({ start, end, earlier: findings, earlierTrail: kept.record.trail }, record);
  if (found.length !== to - from) return false;
  for (let k = 0; k < found.length; k++) {
    if (!sameFinding(findings[from + k]!, found[k]!, edit) || !sameKeys(kept.record.trail[from + k], record.trail[k])) return false;
  }
  return true;
}

/** Index of the first sentence that ends after token `t` (binary search). */
const firstEndingAfterToken = (sentences: readonly Sentence[], t: number): number => firstNotBefore(sentences, { tokenStart: t, tokenEnd: t + 1 });

/** Does a range of the finding's evidence (not its own words) lie in text [start, end)? */
function hasEvidenceWithin(f: Finding, start: number, end: number): boolean {
  const within = (r: { start: number; end: number } | undefined) => r !== undefined && r.start < end && r.end > start;
  if (within(f.site) || within(f.laterality) || within(f.measure) || f.etiologies.some(within)) return true;
  for (const key of CONTEXT_KEYS) if (within(f.context[key])) return true;
  return false;
}

/**
 * Is a mention of `donors` (from index `from` on) that states a cause (restatedCauses.ts) the same condition as a
 * mention among the first `count` of `before` whose coding names that cause (`takers`: those that may take one)?
 * Each list comes with its restatement keys.
 */
function donorsReachBack(
  donors: { findings: readonly Finding[]; keys: RestatementTrail; from: number },
  before: { findings: readonly Finding[]; keys: RestatementTrail; count: number; takers: ReadonlyMap<Finding, (cause: string) => boolean> },
): boolean {
  if (before.takers.size === 0) return false;
  for (let j = donors.from; j < donors.findings.length; j++) {
    const [finding, keys] = [donors.findings[j]!, donors.keys[j]];
    if (!keys || !isCurrent(finding) || !statesCause(finding)) continue;
    const stated = finding.etiologies.filter((e) => e.via === 'concept' || e.via === 'sentence').map((e) => e.value);
    for (let k = 0; k < before.count; k++) {
      const [other, names] = [before.keys[k], before.takers.get(before.findings[k]!)];
      if (other && names && stated.some(names) && sameCondition({ finding: before.findings[k]!, keys: other }, { finding, keys })) return true;
    }
  }
  return false;
}

/**
 * The same mentions stating causes (restatedCauses.ts) among the old findings from `from` on and the new ones: the
 * same restatement keys, site and side, and the same stated causes, their ranges moved by the edit.
 */
function sameDonors(
  old: { findings: readonly Finding[]; keys: RestatementTrail; from: number },
  now: { findings: readonly Finding[]; keys: RestatementTrail; from: number },
  edit: Edit,
): boolean {
  const donors = (list: typeof old) => {
    const out: Array<[Finding, RestatementKeys]> = [];
    for (let j = list.from; j < list.findings.length; j++) {
      const [f, keys] = [list.findings[j]!, list.keys[j]];
      if (keys && isCurrent(f) && statesCause(f)) out.push([f, keys]);
    }
    return out;
  };
  const [a, b] = [donors(old), donors(now)];
  const stated = (f: Finding) => f.etiologies.filter((e) => e.via === 'concept' || e.via === 'sentence');
  return (
    a.length === b.length &&
    a.every(([x, keys], k) => {
      const [y, yKeys] = b[k]!;
      const [xs, ys] = [stated(x), stated(y)];
      return (
        sameRange(x, y, edit) &&
        sameKeys(keys, yKeys) &&
        x.site?.value === y.site?.value &&
        x.laterality?.value === y.laterality?.value &&
        xs.length === ys.length &&
        xs.every((e, i) => e.value === ys[i]!.value && sameRange(e, ys[i]!, edit))
      );
    })
  );
}

/** The places (site ids) sentence `s` of a unit names. */
function placesIn(part: UnitScan, s: Sentence): Set<string> {
  const out = new Set<string>();
  for (const m of part.sites) if (m.start >= s.start && m.start < s.end && !inCause(part, m)) out.add(m.value);
  return out;
}

/** Is the site inside the words of a cause ("chronic kidney disease")? findings.ts counts no such place. */
const inCause = (part: UnitScan, m: { tokenStart: number; tokenEnd: number }) => part.etiologies.some((e) => e.tokenStart < m.tokenEnd && e.tokenEnd > m.tokenStart);

/**
 * Does the note name `place` outside text [start, end) (the new text's)? As findings.ts counts the organs a note
 * names: not inside the words of a cause ("chronic kidney disease").
 */
function namedElsewhere(parts: readonly UnitScan[], place: string, start: number, end: number): boolean {
  for (const part of parts) {
    for (const m of part.sites) {
      if (m.value !== place || (m.start >= start && m.start < end)) continue;
      if (!inCause(part, m)) return true;
    }
  }
  return false;
}

/** The same restatement keys (or none). */
function sameKeys(a: RestatementTrail[number], b: RestatementTrail[number]): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.concept === b.concept && a.words.length === b.words.length && a.words.every((w, k) => w === b.words[k]);
}

/**
 * The last findings moved by the edit, and its diagnostics unless the rules must run again (`withDiagnostics`
 * false); undefined when one of their ranges touches the edit.
 */
function moveAll(kept: KeptAnalysis, edit: Edit, withDiagnostics: boolean): { findings: Finding[]; diagnostics?: Diagnostic[] } | undefined {
  // Moved in place (the last analysis made with a cache is good only until the next one: analyze.ts), each
  // range once: findings of one sentence share their context triggers, a restated site is the same object.
  const ranges = new Set<{ start: number; end: number }>();
  for (const f of kept.findings) {
    if (!collect(f, ranges, edit)) return undefined;
  }
  if (withDiagnostics) {
    for (const d of kept.diagnostics) {
      if (touches(d, edit)) return undefined;
      if (d.start >= edit.end) ranges.add(d);
    }
  }
  moveRanges(ranges, edit.delta);
  const { findings, diagnostics } = kept;
  if (!kept.findingsDetached) detachFindings(findings);
  if (!withDiagnostics) return { findings };
  if (!kept.diagnosticsDetached) detachDiagnostics(diagnostics);
  return { findings, diagnostics };
}

/**
 * A string of its own: V8 keeps a slice of 13 characters or more (and a message built from one) as a view into
 * the text it was cut from, and a finding or message kept across edits would keep that version of the note
 * alive with it (text/detached.ts). A string built anew and cut is flat and its own.
 */
const own = (s: string): string => (s.length < 13 ? s : ` ${s}`.slice(1));

/** The findings' words made their own, once they outlive the text they were cut from. */
function detachFindings(findings: readonly Finding[]): void {
  for (const f of findings) {
    f.text = own(f.text);
    for (const key of CONTEXT_KEYS) {
      const trigger = f.context[key];
      if (trigger) trigger.phrase = own(trigger.phrase);
    }
  }
}

/** The diagnostics' messages made their own, once they outlive the text they were written about. */
function detachDiagnostics(diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) d.message = own(d.message);
}

/**
 * The last diagnostics moved, when the new findings are the last analysis's moved and the edit left the codes
 * and lines as they were, and the words next to the codes near the edit: the rules would find the same again
 * (they read findings, codes, line numbers and the words next to a code on its line). For an edit in a
 * sentence with findings that did not change them (a word added to a long finding sentence, a typo in a
 * word no vocabulary knows), only the rules are spared.
 */
export function reuseDiagnostics(kept: KeptAnalysis, cache: ScanCache, text: string, findings: readonly Finding[], keptFindings = 0): Diagnostic[] | undefined {
  const before = cache.previousLayout;
  const after = cache.layout;
  if (!before || !after || kept.generation !== cache.generation - 1 || findings.length !== kept.findings.length) return undefined;
  const edit = changedStretch(before.parts, before.units, after.parts, after.units, text, 'codes');
  if (!edit) return undefined;
  // The first `keptFindings` are the last analysis's own, already moved (findsFromEdit).
  for (let i = 0; i < keptFindings; i++) if (kept.findings[i] !== findings[i]) return undefined;
  for (let i = keptFindings; i < findings.length; i++) if (!sameFinding(kept.findings[i]!, findings[i]!, edit)) return undefined;
  for (const d of kept.diagnostics) if (touches(d, edit)) return undefined;
  for (const d of kept.diagnostics) {
    if (d.start < edit.end) continue;
    d.start += edit.delta;
    d.end += edit.delta;
  }
  if (!kept.diagnosticsDetached) detachDiagnostics(kept.diagnostics);
  return kept.diagnostics;
}

/**
 * Do the codes near the edit read the same words around them? Whether the note sets a code aside is read from
 * the words next to it on its line (codes/setAside.ts: "Z87.891 not applicable", "Deleted codes: ...",
 * "~~Z87.891~~"): for a code within CODE_REACH tokens of the edit on its line, the run of known words and
 * numbers on each side of it (`wordsAround`) must stand as before, and what separates it from the codes next to
 * it (`between`); and no strikethrough on the line.
 */
function codesReadTheSame(
  oldParts: readonly UnitScan[],
  oldUnits: readonly string[],
  newParts: readonly UnitScan[],
  newUnits: readonly string[],
  [first, last]: readonly [number, number],
  edit: Edit,
  lines: readonly string[],
): boolean {
  if (lines.some((line) => line.includes('~~'))) return false;
  for (let k = first; k < last; k++) {
    const [a, b] = [oldParts[k]!, newParts[k]!];
    for (let i = 0; i < b.mentions.length; i++) {
      const m = b.mentions[i]!;
      if (m.end < edit.lineStart || m.start > edit.lineEnd) continue;
      const [from, to] = m.start < edit.start ? [m.end, edit.start] : [edit.end + edit.delta, m.start];
      if (b.tokens.firstEndingAfter(to) - b.tokens.firstEndingAfter(from) > CODE_REACH) continue;
      if (wordsAround(a, oldUnits[k]!, a.mentions[i]!) !== wordsAround(b, newUnits[k]!, m)) return false;
      const next = b.mentions[i + 1];
      if (next && between(a, oldUnits[k]!, a.mentions[i]!, a.mentions[i + 1]!) !== between(b, newUnits[k]!, m, next)) return false;
      const previous = b.mentions[i - 1];
      if (previous && between(a, oldUnits[k]!, a.mentions[i - 1]!, a.mentions[i]!) !== between(b, newUnits[k]!, previous, m)) return false;
    }
  }
  return true;
}

/**
 * The words next to a code as the set-aside decision reads them (codes/setAside.ts): on each side, on its line,
 * the run of tokens a vocabulary knows (punctuation, set-aside phrases, negation triggers) and of numbers (a
 * CPT modifier), up to CODE_REACH tokens. Its phrases are all of known words, each next to the code or to the
 * phrase before: the first token no vocabulary knows ends what it reads.
 */
function wordsAround(part: UnitScan, unit: string, m: { start: number; end: number }): string {
  const { tokens } = part;
  const readable = (t: number) => tokens.known(t) !== undefined || tokens.kind(t) === 'number' || /\d/.test(unit.slice(tokens.start(t) - part.offset, tokens.end(t) - part.offset));
  const first = tokens.firstEndingAfter(m.start);
  const last = tokens.firstEndingAfter(m.end - 1);
  let from = first;
  while (from > 0 && first - from < CODE_REACH && !tokens.newlineBefore(from) && readable(from - 1)) from--;
  let to = last + 1;
  while (to < tokens.length && to - last < CODE_REACH && !tokens.newlineBefore(to) && readable(to)) to++;
  return asSeen(part, unit, part.tokenOffset + from, part.tokenOffset + Math.min(to, tokens.length));
}

/**
 * Tokens [from, to) of the note (in a unit) as the vocabularies see them: every word one knows, every token
 * with a digit, and where a space stands before one; a word none knows only as a word.
 */
function asSeen(part: UnitScan, unit: string, from: number, to: number): string {
  const { tokens } = part;
  const out: string[] = [];
  for (let t = from - part.tokenOffset; t < to - part.tokenOffset; t++) {
    const known = tokens.known(t);
    const raw = known === undefined ? unit.slice(tokens.start(t) - part.offset, tokens.end(t) - part.offset) : '';
    out.push(`${tokens.spaceBefore(t) ? ' ' : ''}${known ?? (/\d/.test(raw) ? raw : '?')}`);
  }
  return out.join('\u0000');
}

/**
 * The text between two codes of a unit as the set-aside decision reads it (codes/setAside.ts): a list separator
 * ("Z87.891, Z72.0", "M65.20 and M75.30") or an arrow after a code and its modifiers ("20551-50 -> 20551-LT"),
 * each a few characters between spaces. Longer text is neither, whatever its words: it is read as nothing.
 */
function between(part: UnitScan, unit: string, a: { end: number }, b: { start: number }): string {
  const text = unit.slice(a.end - part.offset, b.start - part.offset);
  return text.replace(/[ \t]+/g, '').length > SEPARATOR_CHARACTERS ? '\u0000' : text;
}

/** More characters than a list separator or an arrow with a code's modifiers before it can have, spaces aside. */
const SEPARATOR_CHARACTERS = 32;

/**
 * The edit between the two layouts; undefined when it may have changed more than `check` allows: 'sentences',
 * only what `sameUnit` lets through (its seen sentences, and whether the codes changed, recorded in the edit);
 * 'codes', nothing about the written codes (their text, their sentence).
 * Both: no line added or removed, no unit added or removed. Units the new scan reused are the same objects:
 * the edit lies between the common run at the start and the one at the end.
 */
function changedStretch(
  oldParts: readonly UnitScan[],
  oldUnits: readonly string[],
  newParts: readonly UnitScan[],
  newUnits: readonly string[],
  text: string,
  check: 'sentences' | 'codes',
): Edit | undefined {
  let first = 0;
  while (first < oldParts.length && first < newParts.length && oldParts[first] === newParts[first]) first++;
  let oldLast = oldParts.length;
  let newLast = newParts.length;
  while (oldLast > first && newLast > first && oldParts[oldLast - 1] === newParts[newLast - 1]) {
    oldLast--;
    newLast--;
  }
  const count = oldLast - first;
  if (count === 0 || count !== newLast - first || count > MAX_UNITS) return undefined;
  // The changed stretch of text, old and new, and the edit within it (common start and end cut off).
  const oldText = oldUnits.slice(first, oldLast).join('');
  const newText = newUnits.slice(first, newLast).join('');
  const offset = newParts[first]!.offset;
  let p = 0;
  const shorter = Math.min(oldText.length, newText.length);
  while (p < shorter && oldText.charCodeAt(p) === newText.charCodeAt(p)) p++;
  let q = 0;
  while (q < shorter - p && oldText.charCodeAt(oldText.length - 1 - q) === newText.charCodeAt(newText.length - 1 - q)) q++;
  if (hasBreak(oldText, p, oldText.length - q) || hasBreak(newText, p, newText.length - q)) return undefined;
  const [lineStart, lineEnd] = lineAround(newText, p, newText.length - q);
  const edit: Edit = {
    start: offset + p,
    end: offset + oldText.length - q,
    delta: newText.length - oldText.length,
    lineStart: offset + lineStart,
    lineEnd: offset + lineEnd,
    seenStart: -1,
    seenEnd: -1,
    reachFrom: Infinity,
    reachTo: -1,
    codesChanged: false,
    fromEdit: false,
    places: new Set(),
    causes: new Set(),
  };
  const oldLine = lineAround(oldText, p, oldText.length - q);
  const codesAsBefore = () =>
    codesReadTheSame(oldParts, oldUnits, newParts, newUnits, [first, oldLast], edit, [newText.slice(lineStart, lineEnd), oldText.slice(oldLine[0], oldLine[1])]);
  let codesSame = true;
  for (let k = first; k < oldLast && codesSame; k++) codesSame = sameCodes(oldParts[k]!, newParts[k]!);
  if (check === 'codes') return codesSame && codesAsBefore() ? edit : undefined;
  if (mayBeTitle(oldLine, oldText) || mayBeTitle([lineStart, lineEnd], newText)) return undefined;
  // The rest of a header's line is part of its title when it has no lower-case letter ("OPERATIVE REPORT: LEFT
  // CAROTID ENDARTERECTOMY"; findings.ts, TitleSides): the edit may not change that.
  for (let k = first; k < oldLast; k++) {
    for (const h of newParts[k]!.headers) {
      const at = h.contentStart - offset;
      if (at < lineStart || at > lineEnd) continue;
      const oldEnd = lineEnd - newText.length + oldText.length;
      if (LOWER.test(newText.slice(at, lineEnd)) !== LOWER.test(oldText.slice(at, oldEnd))) return undefined;
    }
  }
  for (let k = first; k < oldLast; k++) {
    const a = oldParts[k]!;
    const b = newParts[k]!;
    if (!sameUnit(a, oldUnits[k]!, b, newUnits[k]!, text, edit)) return undefined;
  }
  // Findings read no code: a code typed, or the words that set one aside, leave them to be found as before.
  edit.codesChanged = !codesSame || !codesAsBefore();
  return edit;
}

/**
 * Two scans of a unit the edit changed: the same sentences and headers; a changed sentence shows the sentences
 * after it the same things (`outwardSignature`), and holds no match, or the same matches in order (then it is
 * added to `edit`'s seen sentences, with the neighbours that read its first or last words).
 */
function sameUnit(a: UnitScan, aText: string, b: UnitScan, bText: string, text: string, edit: Edit): boolean {
  if (a.sentences.length !== b.sentences.length || !sameHeaders(a, b)) return false;
  for (let s = 0; s < a.sentences.length; s++) {
    const x = a.sentences[s]!;
    const y = b.sentences[s]!;
    if (x.header !== y.header || x.section - a.sectionBase !== y.section - b.sectionBase) return false;
    const xText = aText.slice(x.start - a.offset, x.end - a.offset);
    if (xText === text.slice(y.start, y.end)) continue;
    // A header sentence is read whole; the header before a changed sentence may read it as its value
    // ("CALCIFICATIONS: coarse, in the left breast."): the header's findings are found again.
    if (x.header) return false;
    const value = s > 0 && a.sentences[s - 1]!.header;
    let seen = false;
    if (holdsAnything(a, x) || holdsAnything(b, y)) {
      // Found again, so only what the other sentences read of it must stay: its matches, in order; and, for a
      // cause or a removal, whose context a finding elsewhere reads (findings.ts: affirmed, markRemovedOrgans),
      // every word a vocabulary knows where it was.
      const removal = holdsRemovals(a, x) || holdsRemovals(b, y);
      const read = removal || holdsCauses(a, x) || holdsCauses(b, y);
      const asBefore = read ? sameMatches(a, x, b, y, true) && asSeen(a, aText, x.tokenStart, x.tokenEnd) === asSeen(b, bText, y.tokenStart, y.tokenEnd) : sameMatches(a, x, b, y, false);
      // A removal holds for findings anywhere: its sentence keeps every known word where it was.
      if (!asBefore && removal) return false;
      // Other matches than before, or for a cause, other words: the findings from here on are found again (the
      // findings before read only the causes, checked by findsFromEdit, and the places the note names).
      if (!asBefore) {
        edit.fromEdit = true;
        const [was, is] = [placesIn(a, x), placesIn(b, y)];
        for (const p of was) if (!is.has(p)) edit.places.add(p);
        for (const p of is) if (!was.has(p)) edit.places.add(p);
        for (const cause of [...causesIn(a, x), ...causesIn(b, y)]) edit.causes.add(cause);
      }
      seen = true;
    }
    const [was, is] = [outwardSignature(a, aText, x), outwardSignature(b, bText, y)];
    // What it shows the sentences after it changed: their findings are found again.
    if (was.shown !== is.shown) {
      edit.fromEdit = true;
      seen = true;
    }
    // The findings that read its first or last words from the sentences around it are found again.
    if (was.first !== is.first || value) edit.reachFrom = Math.min(edit.reachFrom, value ? b.sentences[s - 1]!.tokenStart : y.tokenStart - FORWARD_REACH);
    if (was.last !== is.last) edit.reachTo = Math.max(edit.reachTo, y.tokenEnd + BACKWARD_REACH);
    if (seen || was.first !== is.first || was.last !== is.last || value) {
      if (edit.seenStart < 0 || y.start < edit.seenStart) edit.seenStart = y.start;
      if (y.end > edit.seenEnd) edit.seenEnd = y.end;
    }
  }
  return true;
}

/** Does the sentence name a cause? */
function holdsCauses(part: UnitScan, s: Sentence): boolean {
  return part.etiologies.some((m) => m.start >= s.start && m.start < s.end);
}

/** The causes (etiology ids) sentence `s` of a unit names. */
function causesIn(part: UnitScan, s: Sentence): string[] {
  return part.etiologies.filter((m) => m.start >= s.start && m.start < s.end).map((m) => m.value);
}

/** Does the sentence name the removal of an organ? */
function holdsRemovals(part: UnitScan, s: Sentence): boolean {
  return part.removals.some((m) => m.start >= s.start && m.start < s.end);
}

/** The same vocabulary matches in two versions of a sentence, in the same order (`placed`: at the same tokens of it). */
function sameMatches(a: UnitScan, x: Sentence, b: UnitScan, y: Sentence, placed: boolean): boolean {
  const same = <T>(p: readonly PhraseMatch<T>[], q: readonly PhraseMatch<T>[]): boolean => {
    let i = firstStartingAt(p, x.start);
    let j = firstStartingAt(q, y.start);
    for (; i < p.length && p[i]!.start < x.end; i++, j++) {
      const m = p[i]!;
      const n = q[j];
      if (!n || n.start >= y.end || n.value !== m.value || n.phrase !== m.phrase || n.tokenEnd - n.tokenStart !== m.tokenEnd - m.tokenStart) return false;
      if (placed && n.tokenStart - y.tokenStart !== m.tokenStart - x.tokenStart) return false;
    }
    return j >= q.length || q[j]!.start >= y.end;
  };
  return same(a.concepts, b.concepts) && same(a.etiologies, b.etiologies) && same(a.sites, b.sites) && same(a.sides, b.sides) && same(a.removals, b.removals);
}

/** The same section headers, at the same places in the unit. */
function sameHeaders(a: UnitScan, b: UnitScan): boolean {
  if (a.headers.length !== b.headers.length) return false;
  for (let h = 0; h < a.headers.length; h++) {
    const x = a.headers[h]!;
    const y = b.headers[h]!;
    if (x.kind !== y.kind || x.title !== y.title || x.start - a.offset !== y.start - b.offset) return false;
  }
  return true;
}

/** Two scans of a unit with the same codes, each in the same sentence, under the same code-listing header. */
function sameCodes(a: UnitScan, b: UnitScan): boolean {
  if (a.listing !== b.listing || a.sentences.length !== b.sentences.length || a.mentions.length !== b.mentions.length || !sameHeaders(a, b)) return false;
  let s = 0;
  for (let m = 0; m < a.mentions.length; m++) {
    const x = a.mentions[m]!;
    const y = b.mentions[m]!;
    if (x.text !== y.text || x.modifiers.length !== y.modifiers.length || x.modifiers.some((mod, k) => mod.code !== y.modifiers[k]!.code)) return false;
    while (s < a.sentences.length && a.sentences[s]!.end <= x.start) s++;
    const t = b.sentences[s];
    if (!t || y.start < t.start || y.start >= t.end) return false;
  }
  return true;
}

/** Does the sentence hold a vocabulary match or a written code? */
function holdsAnything(part: UnitScan, s: Sentence): boolean {
  const inside = (m: { start: number }) => m.start >= s.start && m.start < s.end;
  return part.concepts.some(inside) || part.etiologies.some(inside) || part.sites.some(inside) || part.sides.some(inside) || part.removals.some(inside) || part.mentions.some(inside);
}

/**
 * What a sentence shows the sentences around it (see the top of this file): `shown`, to any sentence after it
 * (whether its first word is a referring word, its inline header); `first` and `last`, its first and last words
 * where a match in the sentence before or after it is near enough to read them (else empty).
 */
function outwardSignature(part: UnitScan, unit: string, s: Sentence): { shown: string; first: string; last: string } {
  const { tokens } = part;
  const first = s.tokenStart - part.tokenOffset;
  const last = s.tokenEnd - part.tokenOffset;
  // Whether its first word is a referring word, and which (a sentence that starts with one goes on about the one before).
  const firstWord = tokens.norm(first);
  let shown = REFERRING.has(firstWord) ? firstWord : '?';
  // An inline header: a capital letter, at most five words and a colon ("LEFT BREAST:", "Impression:").
  const capital = unit.charCodeAt(tokens.start(first) - part.offset);
  if (capital >= 65 && capital <= 90) {
    for (let t = first; t < last && t < first + INLINE_HEADER_TOKENS; t++) {
      if (tokens.norm(t) !== ':') continue;
      shown += `\u0000${unit.slice(tokens.start(first) - part.offset, tokens.end(t) - part.offset)}`;
      break;
    }
  }
  // The words a finding nearby reads past its own sentence's ends (a lesion after it, a type before it).
  const near = (from: number, to: number) => from < part.tokenOffset || to > part.tokenOffset + tokens.length || matchesWithin(part, from, to);
  const words = (from: number, to: number) => {
    const out: string[] = [];
    for (let t = from; t < to; t++) out.push(tokens.norm(t));
    return out.join('\u0000');
  };
  return {
    shown,
    first: near(s.tokenStart - FORWARD_REACH, s.tokenStart) ? words(first, Math.min(last, first + FORWARD_REACH)) : '',
    last: near(s.tokenEnd, s.tokenEnd + BACKWARD_REACH) ? words(Math.max(first, last - BACKWARD_REACH), last) : '',
  };
}

/** Does a vocabulary match of the unit overlap tokens [from, to) (the note's token indexes)? */
function matchesWithin(part: UnitScan, from: number, to: number): boolean {
  const overlaps = (m: { tokenStart: number; tokenEnd: number }) => m.tokenStart < to && m.tokenEnd > from;
  return part.concepts.some(overlaps) || part.etiologies.some(overlaps) || part.sites.some(overlaps) || part.sides.some(overlaps) || part.removals.some(overlaps);
}

function hasBreak(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (isLineBreak(text.charCodeAt(i))) return true;
  return false;
}

const LOWER = /\p{Ll}/u;

/** [start, end) of the line around text[from, to) (which holds no line break). */
function lineAround(text: string, from: number, to: number): [number, number] {
  let start = from;
  while (start > 0 && !isLineBreak(text.charCodeAt(start - 1))) start--;
  let end = to;
  while (end < text.length && !isLineBreak(text.charCodeAt(end))) end++;
  return [start, end];
}

/** May the line be a title line (findings.ts, TitleSides: an upper-case line, whose side governs the findings under it)? */
function mayBeTitle([start, end]: [number, number], text: string): boolean {
  let from = start;
  while (from < end && (text.charCodeAt(from) === 32 || text.charCodeAt(from) === 9)) from++;
  return titleHead(text.slice(from, end)) !== undefined;
}

/** Does a range touch the edit (overlap it or end where it starts)? */
const touches = (r: { start: number; end: number }, edit: Edit) => r.start <= edit.end && r.end >= edit.start;

/** The keys a finding may have (findings.ts, Finding): one it does not know makes no two findings the same. */
const FINDING_KEYS: ReadonlySet<string> = new Set(['conceptId', 'preferred', 'category', 'start', 'end', 'text', 'section', 'sentence', 'context', 'site', 'laterality', 'etiologies', 'measure', 'coding']);

/** Is `b` the finding `a` moved by the edit (every range moved, nothing else changed; no range touching the edit)? */
function sameFinding(a: Finding, b: Finding, edit: Edit): boolean {
  if (!knownKeys(a, FINDING_KEYS) || !knownKeys(b, FINDING_KEYS)) return false;
  if (a.conceptId !== b.conceptId || a.preferred !== b.preferred || a.category !== b.category || a.text !== b.text || a.section !== b.section || a.sentence !== b.sentence) return false;
  if (!sameRange(a, b, edit) || !sameEvidence(a.site, b.site, edit) || !sameEvidence(a.laterality, b.laterality, edit)) return false;
  if ((a.measure === undefined) !== (b.measure === undefined) || (a.measure && (a.measure.value !== b.measure!.value || !sameRange(a.measure, b.measure!, edit)))) return false;
  if (a.etiologies.length !== b.etiologies.length || a.etiologies.some((e, k) => !sameEvidence(e, b.etiologies[k], edit))) return false;
  for (const key of CONTEXT_KEYS) {
    const x = a.context[key];
    const y = b.context[key];
    if ((x === undefined) !== (y === undefined) || (x && (x.phrase !== y!.phrase || x.via !== y!.via || !sameRange(x, y!, edit)))) return false;
  }
  if (!knownKeys(a.context, CONTEXT_KEY_SET) || !knownKeys(b.context, CONTEXT_KEY_SET)) return false;
  return a.coding === b.coding || JSON.stringify(a.coding) === JSON.stringify(b.coding);
}

/** Does the object have only keys of `keys` (the fields compared above, all optional ones included)? */
function knownKeys(o: object, keys: ReadonlySet<string>): boolean {
  for (const k in o) if (!keys.has(k)) return false;
  return true;
}

function sameEvidence(a: { value: unknown; via: string; start: number; end: number } | undefined, b: typeof a, edit: Edit): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.value === b.value && a.via === b.via && sameRange(a, b, edit);
}

/** `b` is range `a` moved by the edit, and `a` does not touch it. */
function sameRange(a: { start: number; end: number }, b: { start: number; end: number }, edit: Edit): boolean {
  if (touches(a, edit)) return false;
  const d = a.start >= edit.end ? edit.delta : 0;
  return b.start === a.start + d && b.end === a.end + d;
}

const CONTEXT_KEYS = ['negated', 'uncertain', 'hypothetical', 'historical', 'experiencer'] as const satisfies ReadonlyArray<keyof ContextFlags>;
const CONTEXT_KEY_SET: ReadonlySet<string> = new Set(CONTEXT_KEYS);

/** Moves each range by `delta`, in place. */
function moveRanges(ranges: Iterable<{ start: number; end: number }>, delta: number): void {
  for (const r of ranges) {
    r.start += delta;
    r.end += delta;
  }
}

/** Adds the finding's ranges after the edit to `after`; false when one of them touches the edit. */
function collect(f: Finding, after: Set<{ start: number; end: number }>, edit: Edit): boolean {
  const add = (r: { start: number; end: number } | undefined): boolean => {
    if (!r) return true;
    if (touches(r, edit) || Object.isFrozen(r)) return false;
    if (r.start >= edit.end) after.add(r);
    return true;
  };
  if (!add(f) || !add(f.site) || !add(f.laterality) || !add(f.measure)) return false;
  for (const e of f.etiologies) if (!add(e)) return false;
  for (const key of CONTEXT_KEYS) if (!add(f.context[key])) return false;
  return true;
}
