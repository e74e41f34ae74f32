import { reportedMentions } from '../codes/setAside';
import type { Rule, RuleFinding } from './types';

/**
 * Seed coding note: 20551 (injection of one tendon origin or insertion) is not reported with modifier 50
 * (CMS article A52863); a second side is a separate line with RT/LT.
 */
export const cptModifier: Rule = {
  id: 'cpt-modifier',
  description: 'A CPT modifier that does not apply to its code (20551 with modifier 50).',
  defaultSeverity: 'error',
  check(ctx) {
    const out: RuleFinding[] = [];
    // A line the note sets aside ("20551-50 changed to 20551-RT, 20551-LT") is not reported.
    for (const m of reportedMentions(ctx)) {
      if (m.system !== 'cpt' || m.code !== '20551') continue;
      for (const mod of m.modifiers.filter((x) => x.code === '50')) {
        out.push({
          start: mod.start,
          end: mod.end,
          message: '20551 is not reported with modifier 50 (CMS A52863): report each side on its own line with RT and LT.',
          data: { code: m.code, modifier: '50' },
        });
      }
    }
    return out;
  },
};
