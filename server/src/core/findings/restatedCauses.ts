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
  // Each donor's stated causes, worked out once; the donors by concept and by head word (in text order).
  const stated = donors.map((d) => d.finding.etiologies.filter((e) => e.via === 'concept' || e.via === 'sentence'));
  const byConcept = new Map<string, number[]>();
  const byWord = new Map<string, number[]>();
  donors.forEach((d, k) => {
    listed(byConcept, d.keys.concept, k);
    for (const w of d.keys.words) listed(byWord, w, k);
  });
  // Which donors of a list can give a receiver a cause depends on the receiver's concept (the causes its coding
  // names), site and side only: worked out once per list and such receivers, not per receiver (a long note has
  // thousands of mentions of one condition).
  const givers = new Map<string, number[]>();
  const giversOf = (r: CauseReceiver, key: string, list: readonly number[]): number[] => {
    const id = `${key}\u0000${r.finding.conceptId}\u0000${r.finding.site?.value ?? ''}\u0000${r.finding.laterality?.value ?? ''}`;
    let out = givers.get(id);
    if (!out) givers.set(id, (out = list.filter((k) => sameCondition(r, donors[k]!) && stated[k]!.some((e) => r.names(e.value)))));
    return out;
  };
  for (const r of receivers) {
    const at = r.finding.start;
    // The nearest donor that is the same condition and states a cause the receiver's coding names; of two as
    // near, the earlier.
    let best = -1;
    let bestDistance = Infinity;
    const consider = (key: string, list: readonly number[] | undefined) => {
      if (!list) return;
      const can = giversOf(r, key, list);
      const after = firstAfter(can, donors, at);
      for (const k of [can[after - 1], can[after]]) {
        if (k === undefined) continue;
        const distance = Math.abs(donors[k]!.finding.start - at);
        if (distance < bestDistance || (distance === bestDistance && k < best)) [best, bestDistance] = [k, distance];
      }
    };
    consider(`c:${r.keys.concept}`, byConcept.get(r.keys.concept));
    for (const w of r.keys.words) consider(`w:${w}`, byWord.get(w));
    if (best >= 0) r.recode(stated[best]!.filter((e) => r.names(e.value)).map((e) => ({ value: e.value, start: e.start, end: e.end, via: 'mention' })));
  }
}

/** Index in `list` (donor indexes in text order) of the first donor that starts after `offset`. */
function firstAfter(list: readonly number[], donors: readonly CauseDonor[], offset: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (donors[list[mid]!]!.finding.start <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
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
