/**
 * A cause stated at one mention of a finding is the cause of its other mentions: "Hand films: calcinosis in the
 * fingertips. Assessment: Calcinosis cutis in CREST syndrome." A coder codes the condition with its documented
 * cause wherever in the note the cause is stated, so the earlier mention is coded with it and not queried for it,
 * and a later mention ("recheck the calcinosis cutis at the left elbow") likewise.
 *
 * Two mentions are the same condition when a restatement would take one for the other (the same concept, or
 * the same head word: reportStructure.ts's keys) and they do not name different places: where both give a site
 * (or a side), it is the same one. A cause is carried only when the receiving mention's own coding names it.
 * Only causes its mention states (its words or its sentence link them) are carried, never causes found elsewhere
 * in the note, and never to or from an absent, hypothetical or someone else's finding.
 */
import type { Evidence, Finding } from './findings';
import type { RestatementKeys } from './reportStructure';

/** An affirmed mention whose own words or sentence state its cause. */
export interface CauseDonor {
  finding: Finding;
  keys: RestatementKeys;
}

/** A mention whose coding asks for its cause, with how it would be coded with the causes of another mention. */
export interface CauseReceiver {
  finding: Finding;
  keys: RestatementKeys;
  /** Does the receiving mention's coding name this cause? */
  names: (cause: string) => boolean;
  /** Codes the mention with `carried` (via "mention") added to the causes it had; sets its coding and causes. */
  recode: (carried: Evidence<string>[]) => void;
}

/** Does the mention state its cause itself (not only a condition named elsewhere in the note)? */
export function statesCause(f: Finding): boolean {
  return f.etiologies.some((e) => e.via === 'concept' || e.via === 'sentence');
}

/** Gives each receiver the stated causes of the nearest mention of the same condition, in either direction. */
export function carryCauses(receivers: readonly CauseReceiver[], donors: readonly CauseDonor[]): void {
  if (receivers.length === 0 || donors.length === 0) return;
  // Each donor's stated causes, worked out once; the donors by concept and by head word, so a receiver looks only
  // at those that may be the same condition (the earlier of two as near wins).
  const stated = donors.map((d) => d.finding.etiologies.filter((e) => e.via === 'concept' || e.via === 'sentence'));
  const byConcept = new Map<string, number[]>();
  const byWord = new Map<string, number[]>();
  donors.forEach((d, k) => {
    listed(byConcept, d.keys.concept, k);
    for (const w of d.keys.words) listed(byWord, w, k);
  });
  // Per donor, the last receiver that looked at it (a donor listed under two of its keys is looked at once).
  const seen = new Int32Array(donors.length).fill(-1);
  receivers.forEach((r, i) => {
    let best: Evidence<string>[] | undefined;
    let bestDistance = Infinity;
    let bestIndex = Infinity;
    const lists = [byConcept.get(r.keys.concept)];
    for (const w of r.keys.words) lists.push(byWord.get(w));
    for (const list of lists) {
      for (const k of list ?? []) {
        if (seen[k] === i) continue;
        seen[k] = i;
        const d = donors[k]!;
        const distance = Math.abs(d.finding.start - r.finding.start);
        if (distance > bestDistance || (distance === bestDistance && k > bestIndex) || !sameCondition(r, d)) continue;
        const carried = stated[k]!.filter((e) => r.names(e.value));
        if (carried.length === 0) continue;
        best = carried.map((e) => ({ value: e.value, start: e.start, end: e.end, via: 'mention' }));
        [bestDistance, bestIndex] = [distance, k];
      }
    }
    if (best) r.recode(best);
  });
}

/** Adds donor `k` to the list under `key` (once). */
function listed(map: Map<string, number[]>, key: string, k: number): void {
  const list = map.get(key);
  if (!list) map.set(key, [k]);
  else if (list[list.length - 1] !== k) list.push(k);
}

/** Two mentions of the same condition: the same concept or head word, not at different places (site, side). */
export function sameCondition(r: { finding: Finding; keys: RestatementKeys }, d: { finding: Finding; keys: RestatementKeys }): boolean {
  const [a, b] = [r.finding, d.finding];
  if (a.site && b.site && a.site.value !== b.site.value) return false;
  if (a.laterality && b.laterality && a.laterality.value !== b.laterality.value) return false;
  return r.keys.concept === d.keys.concept || r.keys.words.some((w) => d.keys.words.includes(w));
}
