import { billableList, nearestExistingAncestor, orList } from '../codes/describe';
import { PerCode } from '../codes/perCode';
import type { Anatomy } from '../attributes/anatomy';
import type { CodeIndex } from '../codes/codeIndex';
import { resolveFamily } from '../codes/resolveFamily';
import { setAsideClause, setAsideOf } from '../codes/setAside';
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
  check(ctx) {
    const { mentions, codes, anatomy } = ctx;
    const findings: RuleFinding[] = [];
    for (const m of mentions) {
      if (m.system !== 'icd10cm' || codes.has(m.code)) continue;
      const problem = problems.get(m.code, () => workOut(codes, anatomy, m.code), codes, anatomy);
      if (!problem) continue;
      // A code the note sets aside is still written, and a code that does not exist may be a typo of the one
      // meant; but nothing reports it, so it is information, not an error (codes/setAside.ts).
      const aside = setAsideOf(ctx, m);
      findings.push({
        start: m.start,
        end: m.end,
        message: `${problem.head}${aside ? setAsideClause(ctx.text, aside) : ''}${problem.tail}`,
        data: { ...problem.data, replacements: [...problem.data.replacements] },
        ...(aside && { severity: 'information' as const }),
      });
    }
    return findings;
  },
};

/**
 * What the rule says of a code absent from the code set: its message in two parts (a set-aside clause goes
 * between them) and its data; null when it says nothing (a 7th-character problem has its own rule).
 */
interface Problem {
  head: string;
  tail: string;
  data: { code: string; deletedIn?: number; replacements: readonly string[] };
}

/**
 * The problem of a code depends on the code and the data only: worked out once per code and data set (a note
 * that writes the same invalid code on every line, edited and analysed again and again, asks it each time).
 */
const problems = new PerCode<Problem | null>();

function workOut(codes: CodeIndex, anatomy: Anatomy, code: string): Problem | null {
  if (codes.deletions(code).length === 0 && seventhCharacterProblem(codes, code)) return null; // its own rule
  const deletion = codes.deletions(code).at(-1);
  if (deletion) {
    const successors = deletion.replacedBy.filter((c) => codes.has(c));
    const ancestor = nearestExistingAncestor(codes, code);
    const instead = successors.length
      ? `use ${orList(successors.map((c) => `${c} (${codes.get(c)!.title})`), 4)}`
      : ancestor
        ? `no direct successor; see ${ancestor} ${codes.get(ancestor)!.title}: ${billableList(codes, ancestor)}`
        : 'no direct successor in the code set';
    return {
      head: `${code} (${deletion.title}) was deleted from ICD-10-CM on ${deletion.effective} (FY${deletion.fiscalYear})`,
      tail: `: ${instead}.`,
      data: { code, deletedIn: deletion.fiscalYear, replacements: successors },
    };
  }
  const ancestor = nearestExistingAncestor(codes, code);
  const hint = ancestor ? `; ${ancestor} ${codes.get(ancestor)!.title} has ${billableList(codes, ancestor)}` : '';
  return {
    head: `${code} is not an ICD-10-CM code in FY${codes.fiscalYear}`,
    tail: `${hint}.`,
    data: { code, replacements: ancestor ? replacementsOf(codes, anatomy, code, ancestor).slice(0, 20) : [] },
  };
}

/**
 * The codes a fix may offer for an invalid code below `ancestor`: those on the branch its next character chose
 * ("M61.458" -> M61.451, M61.452, M61.459), or, when that branch does not exist, the family's codes only if its
 * branches differ by something other than the site: a code that named a site (M65.211, a shoulder) is never
 * replaced by another site's (M65.221, upper arm). The message still lists the family.
 */
function replacementsOf(codes: CodeIndex, anatomy: Anatomy, code: string, ancestor: string): string[] {
  const all = codes.billableDescendants(ancestor).map((c) => c.code);
  const branch = code.slice(0, ancestor.length === 3 ? 5 : ancestor.length + 1);
  const same = all.filter((c) => c.startsWith(branch));
  if (same.length) return same;
  return resolveFamily(codes, anatomy, ancestor, {}).missing[0]?.axis === 'site' ? [] : all;
}
