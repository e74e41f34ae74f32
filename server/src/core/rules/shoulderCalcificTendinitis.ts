import type { CodeIndex } from '../codes/codeIndex';
import type { Finding } from '../findings/findings';
import { reportedMentions } from '../codes/setAside';
import type { Rule, RuleFinding } from './types';

const isShoulderTendinitis = (f: Finding) =>
  (f.conceptId === 'calcific-tendinitis' || f.conceptId === 'calcific-tendinitis-of-shoulder') &&
  f.site?.value === 'shoulder' &&
  !f.context.negated && !f.context.hypothetical && !f.context.experiencer;

/**
 * Whether an M65.2 code can stand for a shoulder: the header, or a code whose title names no site of its own
 * (unspecified site, other site, multiple sites, or a site code that does not exist such as M65.211). A code
 * that documents another site (M65.221 right upper arm) is that site's.
 */
function namesNoOtherSite(codes: CodeIndex, code: string): boolean {
  const info = codes.get(code);
  if (!info || !info.billable) return true;
  return /\b(?:unspecified|other|multiple) sites?\b/i.test(info.title);
}

/**
 * Seed coding note: calcific tendinitis of the shoulder is M75.3- (M75.31/M75.32), never M65.2- (Excludes1 at
 * M65.2; M65.21x does not exist, and M65.28 "other site" or M65.20 is a shoulder miscoded). Reported for an
 * M65.2 code written as a code (not "M65.2-" named as a family, not "not M65.2" in a coding note) that names
 * no other site, in a note documenting calcific tendinitis of the shoulder.
 */
export const shoulderCalcificTendinitis: Rule = {
  id: 'shoulder-calcific-tendinitis',
  description: 'An M65.2- calcific tendinitis code written where the note documents calcific tendinitis of the shoulder (M75.3-).',
  defaultSeverity: 'error',
  check(ctx) {
    const { codes, findings: noteFindings } = ctx;
    const shoulder = noteFindings.find(isShoulderTendinitis);
    if (!shoulder) return [];
    const target = shoulder.coding.suggested.length ? shoulder.coding.suggested : ['M75.30', 'M75.31', 'M75.32'];
    const out: RuleFinding[] = [];
    // A code the note sets aside is none it codes: "M75.31 (not M65.28)", "avoid M65.2-" (codes/setAside.ts).
    for (const m of reportedMentions(ctx)) {
      if (m.system !== 'icd10cm' || m.family || !m.code.startsWith('M65.2') || !namesNoOtherSite(codes, m.code)) continue;
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
