import { dotted } from './codeFormat';

/**
 * The full CMS order file (icd10cm_order_YYYY.txt): order number (5), code (7), header flag
 * (0 header, 1 billable), short title (60), long title. Used instead of codes file + addenda when a
 * release ships it, so a new fiscal year rebuilds from its own complete list.
 */
export function parseOrderFile(text: string): { billable: Map<string, string>; headers: Map<string, string> } {
  const billable = new Map<string, string>();
  const headers = new Map<string, string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/\s+$/, '');
    if (line === '') return;
    const m = /^(\d{5}) ([A-Z][0-9A-Z]{2,6})\s*([01]) /.exec(line);
    if (!m || line[14] !== m[3]) throw new Error(`order file line ${i + 1}: not in the fixed-width layout`);
    const code = dotted(m[2]!);
    const target = m[3] === '1' ? billable : headers;
    if (billable.has(code) || headers.has(code)) throw new Error(`order file line ${i + 1}: duplicate code ${code}`);
    target.set(code, line.slice(77).trim());
  });
  return { billable, headers };
}
