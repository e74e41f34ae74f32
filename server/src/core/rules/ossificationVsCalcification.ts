import { reportedMentions } from '../codes/setAside';
import type { Finding } from '../findings/findings';
import type { Rule, RuleFinding } from './types';

const current = (f: Finding) => !f.context.negated && !f.context.hypothetical && !f.context.experiencer;
const OSSIFICATION = new Set(['heterotopic-ossification', 'myositis-ossificans']);
const CALCIFICATION = new Set(['calcification-of-muscle']);
/** Codes of calcification of muscle (M61.4-) and of ossification of muscle (M61.0-, M61.1-, M61.5-). */
const isCalcificationCode = (code: string) => code.startsWith('M61.4');
const isOssificationCode = (code: string) => /^M61\.[015]/.test(code);

/**
 * Seed coding note: heterotopic ossification (true bone in soft tissue) is not calcification: do not code
 * M61.4- for documented HO, and do not code M61.0-/M61.1-/M61.5- where only calcification is documented.
 */
export const ossificationVsCalcification: Rule = {
  id: 'ossification-vs-calcification',
  description: 'A calcification code written where ossification is documented (heterotopic ossification), or the reverse.',
  defaultSeverity: 'error',
  check(ctx) {
    const noteFindings = ctx.findings;
    const ossification = noteFindings.find((f) => current(f) && OSSIFICATION.has(f.conceptId));
    const calcification = noteFindings.find((f) => current(f) && CALCIFICATION.has(f.conceptId));
    const out: RuleFinding[] = [];
    // A code the note sets aside ("M61.40 changed to M61.551") is already corrected.
    for (const m of reportedMentions(ctx)) {
      if (m.system !== 'icd10cm') continue;
      if (isCalcificationCode(m.code) && ossification && !calcification) {
        const use = ossification.coding.suggested.length ? ossification.coding.suggested.join(' + ') : `${ossification.coding.family ?? 'M61.5'}-`;
        out.push({
          start: m.start,
          end: m.end,
          message: `${m.code} is a calcification code but the note documents ${ossification.preferred.toLowerCase()}: use ${use} (do not code heterotopic ossification as calcification).`,
          data: { code: m.code, replacements: ossification.coding.suggested },
        });
      } else if (isOssificationCode(m.code) && calcification && !ossification) {
        const use = calcification.coding.suggested.length ? calcification.coding.suggested.join(' + ') : 'a calcification code (M61.4-)';
        out.push({
          start: m.start,
          end: m.end,
          message: `${m.code} is an ossification code but the note documents ${calcification.preferred.toLowerCase()}, not bone formation: use ${use}.`,
          data: { code: m.code, replacements: calcification.coding.suggested },
        });
      }
    }
    return out;
  },
};
