import { dotted } from './codeFormat';

/** The CMS/CDC billable-codes file: code padded to 8 columns, then the long title. */
export function parseCodesFile(text: string): Map<string, string> {
  const codes = new Map<string, string>();
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const m = /^([A-Z][0-9A-Z]{2,6})\s+(\S.*?)\s*$/.exec(line);
    if (!m) throw new Error(`codes file line ${i + 1}: not "CODE title"`);
    const code = dotted(m[1]!);
    if (codes.has(code)) throw new Error(`codes file line ${i + 1}: duplicate code ${code}`);
    codes.set(code, m[2]!);
  });
  return codes;
}
