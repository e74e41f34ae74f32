import type { CodeIndex } from '../codes/codeIndex';
import { codeRefs, refCovers, RefIndex, type CodeRef } from '../codes/noteRefs';
import { deepFreeze } from '../freeze';
import type { Rule, RuleFinding } from './types';

/** An Excludes1 note in scope of a code: where it is, its text and the codes it names. */
interface Excludes1 {
  from: string;
  note: string;
  refs: readonly CodeRef[];
}

/**
 * The Excludes1 notes in scope of each code (its own and its category's), by code set: a pure function of the
 * data, asked again for every code of every analysis, so worked out once per code (a table that somehow grows
 * past its cap starts over).
 */
const EXCLUDES1 = new WeakMap<CodeIndex, Map<string, readonly Excludes1[]>>();
const MAX_CODES = 20_000;

export function excludes1Of(codes: CodeIndex, code: string): readonly Excludes1[] {
  let byCode = EXCLUDES1.get(codes);
  if (!byCode || byCode.size >= MAX_CODES) EXCLUDES1.set(codes, (byCode = new Map()));
  let found = byCode.get(code);
  if (!found) {
    const list: Excludes1[] = [];
    for (const { from, notes } of codes.notesInScope(code)) {
      if (!codes.has(from)) continue;
      for (const note of notes.excludes1 ?? []) list.push({ from, note, refs: codeRefs(note) });
    }
    found = deepFreeze(list);
    byCode.set(code, found);
  }
  return found;
}

/**
 * Two codes written in the same note where one's Excludes1 note (its own or inherited from its category)
 * names the other: "NOT CODED HERE", the two are not reported together. Block and chapter notes are left
 * out: they name broad groups ("myopathy in scleroderma (M34.-)") and would flag unrelated pairs.
 */
export const excludes1Conflict: Rule = {
  id: 'excludes1-conflict',
  description: 'Two ICD-10-CM codes in the note where an Excludes1 note of one names the other (they are not reported together).',
  defaultSeverity: 'error',
  check({ mentions, codes }) {
    // Each code once, at its first mention: a repeated code finds the same pairs, which are reported once.
    const first = new Map<string, (typeof mentions)[number]>();
    for (const m of mentions) if (m.system === 'icd10cm' && !m.family && !first.has(m.code) && codes.has(m.code)) first.set(m.code, m);
    const icd = [...first.values()];
    const byRef = new RefIndex(icd);
    const findings: RuleFinding[] = [];
    const reported = new Set<string>();
    for (const a of icd) {
      for (const { from, note, refs } of excludes1Of(codes, a.code)) {
        for (const ref of refs) {
          const b = refCovers(ref, a.code) ? undefined : byRef.first(ref);
          if (!b) continue;
          const key = [a.code, b.code].sort().join('|');
          if (reported.has(key)) continue;
          reported.add(key);
          findings.push({
            start: a.start,
            end: a.end,
            message: `${a.code} and ${b.code} are not reported together: Excludes1 at ${from} ("${note}").`,
            data: { code: a.code, conflictsWith: b.code, note, notedAt: from },
          });
        }
      }
    }
    return findings;
  },
};
