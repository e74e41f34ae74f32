import type { CodeIndex } from './codeIndex';

/**
 * Manifestation codes (Guidelines I.A.13): the codes the tabular prints in italics, whose titles say "in
 * diseases classified elsewhere" (or "in other diseases", "in conditions", "in infectious and parasitic
 * diseases ... classified elsewhere"), at the code or at a header above it. Such a code is never sequenced first
 * nor reported alone: its underlying condition is coded before it. "B95.6 ... as the cause of diseases
 * classified elsewhere" names an organism, not a manifestation, and is not one.
 */
const MANIFESTATION_TITLE = /\bin (?:[\w-]+,? ){0,5}classified elsewhere\b/i;

const byIndex = new WeakMap<CodeIndex, Map<string, boolean>>();

/** Whether `code` is a manifestation code: its title or a header's above it says "in ... classified elsewhere". */
export function isManifestation(codes: CodeIndex, code: string): boolean {
  let known = byIndex.get(codes);
  if (!known) byIndex.set(codes, (known = new Map()));
  let answer = known.get(code);
  if (answer === undefined) {
    const info = codes.get(code);
    answer = info !== undefined && [info, ...codes.ancestors(code)].some((c) => MANIFESTATION_TITLE.test(c.title));
    known.set(code, answer);
  }
  return answer;
}
