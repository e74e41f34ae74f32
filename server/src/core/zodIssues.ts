/**
 * One way to word zod validation errors everywhere data or settings are validated: the JSON path of each
 * issue ("codes[12].title", "(root)") and its message.
 */
import type { z } from 'zod';

export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

/** "path: message" lines, each after `prefix`, at most `max` of them, then "... and N more". */
export function formatIssues(issues: ReadonlyArray<z.core.$ZodIssue>, { prefix = '', max = Infinity } = {}): string {
  const lines = issues.slice(0, max).map((issue) => `${prefix}${formatIssuePath(issue.path)}: ${issue.message}`);
  if (issues.length > max) lines.push(`${prefix}... and ${issues.length - max} more`);
  return lines.join('\n');
}
