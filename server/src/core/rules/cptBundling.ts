import { reportedMentions } from '../codes/setAside';
import type { Rule, RuleFinding } from './types';

/** Tendon repair codes at the shoulder that 23000 includes (seed coding note). */
const INCLUDED_IN_23000 = new Map([
  ['23410', 'rotator cuff repair'],
  ['23412', 'rotator cuff repair'],
  ['23420', 'rotator cuff reconstruction'],
]);

/**
 * Seed coding note: CPT 23000 (open removal of subdeltoid calcium deposits) includes the curettage and the
 * tendon repair: do not report 23412 or another tendon repair with it.
 */
export const cptBundling: Rule = {
  id: 'cpt-bundling',
  description: 'A CPT code reported with 23000 although 23000 includes it (curettage and tendon repair).',
  defaultSeverity: 'error',
  check(ctx) {
    // A CPT code the note sets aside ("23412 not billed") is reported with nothing.
    const cpt = reportedMentions(ctx).filter((m) => m.system === 'cpt');
    if (!cpt.some((m) => m.code === '23000')) return [];
    const out: RuleFinding[] = [];
    for (const m of cpt) {
      const what = INCLUDED_IN_23000.get(m.code);
      if (!what) continue;
      out.push({
        start: m.start,
        end: m.end,
        message: `${m.code} (${what}) is included in 23000 (curettage and tendon repair are part of the deposit removal): do not report it separately; modifier 22 only when the operative note documents substantially greater work.`,
        data: { code: m.code, bundledInto: '23000' },
      });
    }
    return out;
  },
};
