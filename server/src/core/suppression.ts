/**
 * Suppressions written in the note, so a decision leaves a trail:
 *   [calx-ignore missing-laterality: bilateral documented in imaging report]
 * It silences that rule on its own line and on the next line (lines as the editor counts them: text/lines.ts). A suppression needs a reason; one without
 * is reported (information) and silences nothing.
 */
import type { Diagnostic } from './rules/types';
import { lineFinder } from './text/lines';

export interface Suppression {
  ruleId: string;
  reason: string;
  /** 0-based line of the comment. */
  line: number;
  start: number;
  end: number;
}

const SUPPRESSION = /calx-ignore[ \t]+([a-z0-9-]+)[ \t]*(?::[ \t]*([^\]\r\n]*))?/g;

export function findSuppressions(text: string, lineNumber = lineFinder(text)): { valid: Suppression[]; withoutReason: Suppression[] } {
  const valid: Suppression[] = [];
  const withoutReason: Suppression[] = [];
  for (const m of text.matchAll(SUPPRESSION)) {
    const reason = (m[2] ?? '').trim();
    const entry = { ruleId: m[1]!, reason, line: lineNumber(m.index) - 1, start: m.index, end: m.index + m[0].length };
    (reason ? valid : withoutReason).push(entry);
  }
  return { valid, withoutReason };
}

/** Diagnostics that no suppression silences, plus one for each suppression without a reason. */
/** The word every suppression starts with. */
export const SUPPRESSION_WORD = 'calx-ignore';

/** `mayHold`: whether the text holds SUPPRESSION_WORD at all (a scan knows it per unit: noteScan.ts). */
export function applySuppressions(text: string, diagnostics: Diagnostic[], mayHold = text.includes(SUPPRESSION_WORD)): Diagnostic[] {
  if (!mayHold) return diagnostics;
  const lineNumber = lineFinder(text);
  const { valid, withoutReason } = findSuppressions(text, lineNumber);
  if (valid.length === 0 && withoutReason.length === 0) return diagnostics;
  const silenced = silencedBy(valid, lineNumber);
  const kept = diagnostics.filter((d) => !silenced(d.start, d.ruleId));
  for (const s of withoutReason) {
    kept.push({
      ruleId: 'suppression',
      severity: 'information',
      start: s.start,
      end: s.end,
      message: `calx-ignore ${s.ruleId} needs a reason after a colon ("calx-ignore ${s.ruleId}: why"); until then it silences nothing.`,
    });
  }
  return kept.sort(byPosition);
}

/** Diagnostics in text order; at the same range, by rule id (code-point order: ids are ASCII). */
export function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.start - b.start || a.end - b.end || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}

/**
 * Whether a diagnostic of a rule at an offset would be silenced by the note's suppressions (undefined: the note
 * has none). Rules that fold several mentions into one diagnostic ask it, so that a silenced mention does not
 * take the others' diagnostic with it (rules/specificity.ts).
 */
export function silencer(text: string): ((offset: number, ruleId: string) => boolean) | undefined {
  if (!text.includes(SUPPRESSION_WORD)) return undefined;
  const lineNumber = lineFinder(text);
  const { valid } = findSuppressions(text, lineNumber);
  return valid.length > 0 ? silencedBy(valid, lineNumber) : undefined;
}

/** Rule ids silenced per line (a suppression's own line and the next): one look-up per diagnostic. */
function silencedBy(valid: readonly Suppression[], lineNumber: (offset: number) => number): (offset: number, ruleId: string) => boolean {
  const silenced = new Map<number, Set<string>>();
  for (const s of valid) {
    for (const line of [s.line, s.line + 1]) {
      let ids = silenced.get(line);
      if (!ids) silenced.set(line, (ids = new Set()));
      ids.add(s.ruleId);
    }
  }
  // 0-based, like Suppression.line.
  return (offset, ruleId) => silenced.get(lineNumber(offset) - 1)?.has(ruleId) === true;
}
