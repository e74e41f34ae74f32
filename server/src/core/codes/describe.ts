import type { CodeIndex } from './codeIndex';

/** "A", "A or B", "A, B or C" (and "A, B, C and 12 more" past `max`). */
export function orList(items: readonly string[], max = 6): string {
  if (items.length > max) return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** The billable codes at or below a header, as "M75.30, M75.31 or M75.32". */
export function billableList(codes: CodeIndex, header: string, max = 6): string {
  return orList(codes.billableDescendants(header).map((c) => c.code), max);
}

/** The nearest code in the code set that the text starts with ("M75.33" -> "M75.3"), if any. */
export function nearestExistingAncestor(codes: CodeIndex, code: string): string | undefined {
  for (let candidate = code.slice(0, -1); candidate.length >= 3; candidate = candidate.slice(0, -1)) {
    const trimmed = candidate.replace(/\.$/, '');
    if (codes.has(trimmed)) return trimmed;
  }
  return undefined;
}
