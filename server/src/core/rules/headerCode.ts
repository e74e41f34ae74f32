import { billableList } from '../codes/describe';
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
  check({ mentions, codes }) {
    const findings: RuleFinding[] = [];
    for (const m of mentions) {
      if (m.system !== 'icd10cm' || m.family) continue;
      const info = codes.get(m.code);
      if (!info || info.billable) continue;
      const subdivided = codes.deletions(m.code).find((d) => d.nowHeader);
      const history = subdivided ? ` (billable until FY${subdivided.fiscalYear - 1}; subdivided on ${subdivided.effective})` : '';
      // Children that are all 7th-character forms ("S06.0X0A", "T07.XXXA") of a category with a
      // sevenChrDef: the code is complete but for that character. (M86.8X11 is 7 characters long
      // without being a 7th-character form: M86 has no sevenChrDef.)
      const children = codes.children(m.code);
      const onlySeventh =
        codes.seventhCharacters(m.code) !== undefined &&
        children.length > 0 &&
        children.every((c) => c.code.length === 8 && c.billable);
      const needs = onlySeventh ? 'needs a 7th character' : 'is a header, not billable';
      findings.push({
        start: m.start,
        end: m.end,
        message: `${m.code} ${info.title} ${needs} in FY${codes.fiscalYear}${history}: report ${billableList(codes, m.code)}.`,
        data: { code: m.code, replacements: codes.billableDescendants(m.code).slice(0, 20).map((c) => c.code) },
      });
    }
    return findings;
  },
};
