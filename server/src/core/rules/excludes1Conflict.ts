import { codeRefs, refCovers } from '../codes/noteRefs';
import type { Rule, RuleFinding } from './types';

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
    const findings: RuleFinding[] = [];
    const reported = new Set<string>();
    for (const a of icd) {
      for (const { from, notes } of codes.notesInScope(a.code).filter((n) => codes.has(n.from))) {
        for (const note of notes.excludes1 ?? []) {
          for (const ref of codeRefs(note)) {
            const b = icd.find((m) => m.code !== a.code && refCovers(ref, m.code) && !refCovers(ref, a.code));
            if (!b) continue;
            const key = [a.code, b.code].sort().join('|');
            if (reported.has(key)) continue;
            reported.add(key);
            findings.push({
              start: a.start,
              end: a.end,
              message: `${a.code} and ${b.code} are not reported together: Excludes1 at ${from} ("${note}").`,
              data: { code: a.code, conflictsWith: b.code, note, notedAt: from, otherStart: b.start, otherEnd: b.end },
            });
          }
        }
      }
    }
    return findings;
  },
};
