import type { Finding } from '../findings/findings';
import type { Rule, RuleFinding } from './types';

const isShoulderTendinitis = (f: Finding) =>
  (f.conceptId === 'calcific-tendinitis' || f.conceptId === 'calcific-tendinitis-of-shoulder') &&
  f.site?.value === 'shoulder' &&
  !f.context.negated && !f.context.hypothetical && !f.context.experiencer;

/**
 * Seed coding note: calcific tendinitis of the shoulder is M75.3- (M75.31/M75.32), never M65.2- (Excludes1 at
 * M65.2; M65.21x does not exist, and M65.28 "other site" or M65.20 is a shoulder miscoded).
 */
export const shoulderCalcificTendinitis: Rule = {
  id: 'shoulder-calcific-tendinitis',
  description: 'An M65.2- calcific tendinitis code written where the note documents calcific tendinitis of the shoulder (M75.3-).',
  defaultSeverity: 'error',
  check({ mentions, findings: noteFindings }) {
    const shoulder = noteFindings.find(isShoulderTendinitis);
    if (!shoulder) return [];
    const target = shoulder.coding.suggested.length ? shoulder.coding.suggested : ['M75.30', 'M75.31', 'M75.32'];
    const out: RuleFinding[] = [];
    for (const m of mentions) {
      if (m.system !== 'icd10cm' || !m.code.startsWith('M65.2')) continue;
      out.push({
        start: m.start,
        end: m.end,
        message: `Calcific tendinitis of the shoulder is coded M75.3- (Excludes1 at M65.2), not ${m.code}: use ${target.join(' + ')}.`,
        data: { code: m.code, replacements: target },
      });
    }
    return out;
  },
};
