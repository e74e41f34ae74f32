import { billableList, nearestExistingAncestor, orList } from '../codes/describe';
import { seventhCharacterProblem } from './seventhCharacter';
import type { Rule, RuleFinding } from './types';

/**
 * An ICD-10-CM code that does not exist in the current fiscal year. A deleted code says when it went
 * and what took its place, because "invalid" alone sends the coder to a code book.
 */
export const invalidCode: Rule = {
  id: 'invalid-code',
  description: 'ICD-10-CM code that does not exist in the current fiscal year (deleted codes name their replacement).',
  defaultSeverity: 'error',
  check({ mentions, codes }) {
    const findings: RuleFinding[] = [];
    for (const m of mentions) {
      if (m.system !== 'icd10cm' || codes.has(m.code)) continue;
      if (codes.deletions(m.code).length === 0 && seventhCharacterProblem(codes, m.code)) continue; // its own rule
      const deletion = codes.deletions(m.code).at(-1);
      if (deletion) {
        const successors = deletion.replacedBy.filter((c) => codes.has(c));
        const ancestor = nearestExistingAncestor(codes, m.code);
        const instead = successors.length
          ? `use ${orList(successors.map((c) => `${c} (${codes.get(c)!.title})`), 4)}`
          : ancestor
            ? `no direct successor; see ${ancestor} ${codes.get(ancestor)!.title}: ${billableList(codes, ancestor)}`
            : 'no direct successor in the code set';
        findings.push({
          start: m.start,
          end: m.end,
          message: `${m.code} (${deletion.title}) was deleted from ICD-10-CM on ${deletion.effective} (FY${deletion.fiscalYear}): ${instead}.`,
          data: { code: m.code, deletedIn: deletion.fiscalYear, replacements: successors },
        });
        continue;
      }
      const ancestor = nearestExistingAncestor(codes, m.code);
      const hint = ancestor ? `; ${ancestor} ${codes.get(ancestor)!.title} has ${billableList(codes, ancestor)}` : '';
      findings.push({
        start: m.start,
        end: m.end,
        message: `${m.code} is not an ICD-10-CM code in FY${codes.fiscalYear}${hint}.`,
        data: { code: m.code, replacements: ancestor ? codes.billableDescendants(ancestor).slice(0, 20).map((c) => c.code) : [] },
      });
    }
    return findings;
  },
};
