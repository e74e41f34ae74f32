import type { CodeIndex } from '../codes/codeIndex';
import { billableList } from '../codes/describe';
import { PerCode } from '../codes/perCode';
import { reportedMentions } from '../codes/setAside';
import { seventhCharacterProblem } from './seventhCharacter';
import type { Rule, RuleFinding } from './types';

/**
 * A header (category or subcategory) written as if it were a reportable code. Reporting a header is a
 * claim error; the message names the billable codes below it. A family reference with the index's
 * trailing dash ("M75.3-") is left alone: it names the header on purpose.
 */
export const headerCode: Rule = {
  id: 'header-code',
  description: 'ICD-10-CM header (category or subcategory) that is not billable; names its billable codes.',
  defaultSeverity: 'error',
  check(ctx) {
    const { codes } = ctx;
    const findings: RuleFinding[] = [];
    // A header the note sets aside ("M75.3 changed to M75.31") is not reported: nothing to correct.
    for (const m of reportedMentions(ctx)) {
      if (m.system !== 'icd10cm' || m.family) continue;
      const problem = problems.get(m.code, () => workOut(codes, m.code), codes);
      if (problem) findings.push({ start: m.start, end: m.end, message: problem.message, data: { code: m.code, replacements: [...problem.replacements] } });
    }
    return findings;
  },
};

/**
 * What the rule says of a code, or null: it depends on the code and the code set only, so it is worked out
 * once per code and code set, not for every mention of every analysis.
 */
const problems = new PerCode<{ message: string; replacements: readonly string[] } | null>();

function workOut(codes: CodeIndex, code: string): { message: string; replacements: readonly string[] } | null {
  const info = codes.get(code);
  if (!info || info.billable || seventhCharacterProblem(codes, code)) return null; // 7th character: its own rule
  const subdivided = codes.deletions(code).find((d) => d.nowHeader);
  const history = subdivided ? ` (billable until FY${subdivided.fiscalYear - 1}; subdivided on ${subdivided.effective})` : '';
  return {
    message: `${code} ${info.title} is a header, not billable in FY${codes.fiscalYear}${history}: report ${billableList(codes, code)}.`,
    replacements: codes.billableDescendants(code).slice(0, 20).map((c) => c.code),
  };
}
