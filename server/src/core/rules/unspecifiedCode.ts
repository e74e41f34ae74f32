import { reportedMentions } from '../codes/setAside';
import type { CodeIndex } from '../codes/codeIndex';
import { PerCode } from '../codes/perCode';
import { tokenizeWords } from '../codes/words';
import type { Finding } from '../findings/findings';
import type { Rule, RuleFinding } from './types';

/**
 * An unspecified code (M75.30, M61.40, M61.9, ...) written while the note documents what makes a specific
 * code: a current finding in the same family reaches a billable code. Using the unspecified code then is a
 * coding error, not a documentation gap.
 */
export const unspecifiedCode: Rule = {
  id: 'unspecified-code',
  description: 'An unspecified ICD-10-CM code written while the note documents the site or side for a specific one.',
  defaultSeverity: 'warning',
  check(ctx) {
    const { codes, findings: noteFindings, text, model } = ctx;
    // What a code's mentions are told depends on the code only: worked out once per code, not per mention.
    const byCode = new Map<string, { message: string; replacements: string[] } | null>();
    // The current findings that suggest a code, the first of each coding only, in note order: findings with the
    // same coding share one suggestion object and answer the question below alike, so a note listing thousands
    // of distinct codes asks each of them the few codings the note has, not every finding.
    let firstByCoding: Finding[] | undefined;
    const candidates = (): Finding[] => {
      if (!firstByCoding) {
        const seen = new Set<Finding['coding']>();
        firstByCoding = noteFindings.filter((f) => {
          if (f.context.negated || f.context.hypothetical || f.context.experiencer || f.coding.suggested.length === 0) return false;
          if (seen.has(f.coding)) return false;
          seen.add(f.coding);
          return true;
        });
      }
      return firstByCoding;
    };
    const problem = (code: string): { message: string; replacements: string[] } | null => {
      const family = unspecifiedFamily(codes, code);
      if (family === null) return null;
      const specific = candidates().find((f) => f.coding.suggested.every((c) => c !== code) && f.coding.suggested.some((c) => c.startsWith(family)));
      if (!specific) return null;
      const evidence = [specific.site, specific.laterality].filter((e) => e !== undefined).map((e) => `"${text.slice(e!.start, e!.end)}"`);
      const replacements = specific.coding.suggested.filter((c) => c.startsWith(family));
      return {
        message: `${code} is unspecified but the note documents ${evidence.join(' and ') || 'the detail'} for ${specific.preferred.toLowerCase()} (line ${model.lineOf(specific.start)}): use ${replacements.join(' + ')}.`,
        replacements,
      };
    };
    const findings: RuleFinding[] = [];
    // An unspecified code the note sets aside ("M75.30 -> M75.31") already has its specific code.
    for (const m of reportedMentions(ctx)) {
      if (m.system !== 'icd10cm' || m.family) continue;
      let found = byCode.get(m.code);
      if (found === undefined) byCode.set(m.code, (found = problem(m.code)));
      if (found) findings.push({ start: m.start, end: m.end, message: found.message, data: { code: m.code, replacements: [...found.replacements] } });
    }
    return findings;
  },
};

/** Per code set and code: the family of a billable code whose title says "unspecified", or null for any other code. */
const families = new PerCode<string | null>();

/**
 * The family in which a specific code replaces the unspecified `code` (M75.30 -> M75.3-, M61.9 -> M61-), or
 * null when `code` is no billable unspecified code. Depends on the code set only: worked out once per code.
 */
function unspecifiedFamily(codes: CodeIndex, code: string): string | null {
  return families.get(
    code,
    () => {
      const info = codes.get(code);
      return !info?.billable || !tokenizeWords(info.title).includes('unspecified') ? null : (info.parent ?? code.slice(0, 3));
    },
    codes,
  );
}
