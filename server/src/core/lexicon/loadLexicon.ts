/**
 * Reads and validates lexicon files (the shipped calcification lexicon and users' custom term files) once, at
 * load. Parsing is kept apart from disk access so tests and callers with JSON in hand can validate directly.
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { describeJsonError, parseJsonText } from '../jsonText';
import { formatIssues } from '../zodIssues';
import { createLexiconFileSchema, lexiconFileSchema } from './schema';
import type { LexiconFile, LexiconSchemaOptions } from './schema';

export { normalizePhrase } from './schema';

/** How many issues an error message lists before summarising the rest. */
const MAX_LISTED_ISSUES = 25;

/**
 * Validates parsed JSON as a lexicon and returns it deeply frozen. Throws an Error whose message names the source
 * and lists each issue as `JSON path: message` (e.g. `concepts[3].variants[2]: "CAC" is already claimed by ...`).
 * `options` widens the ids a custom file may reference (the shipped lexicon's etiologies, another anatomy list).
 */
export function parseLexicon(json: unknown, sourceName: string, options?: LexiconSchemaOptions): LexiconFile {
  const schema = options ? createLexiconFileSchema(options) : lexiconFileSchema;
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const count = parsed.error.issues.length;
    throw new Error(`${sourceName}: invalid lexicon (${count} issue${count === 1 ? '' : 's'}):\n${formatLexiconIssues(parsed.error.issues)}`);
  }
  return parsed.data;
}

/**
 * Reads a lexicon file from disk and validates it (see `parseLexiconText`). Throws with the path in the message
 * when the file is missing, is not JSON, or is invalid: the caller decides whether that is fatal (shipped data)
 * or reported and skipped (a user's custom file).
 */
export function loadLexiconFile(path: string, options?: LexiconSchemaOptions): LexiconFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new Error(`Cannot read lexicon file ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  return parseLexiconText(text, path, options);
}

/**
 * Parses and validates the text of a lexicon file. A JSON syntax error is told by line, column and kind, never
 * with the text around it (the file may be a note chosen by mistake; see jsonText.ts).
 */
export function parseLexiconText(text: string, sourceName: string, options?: LexiconSchemaOptions): LexiconFile {
  const { value, error } = parseJsonText(text);
  if (error) throw new Error(`${sourceName}: not valid JSON (${describeJsonError(error)})`);
  return parseLexicon(value, sourceName, options);
}

/** One line per issue, `  path: message`, capped so that a badly broken file still gives a readable error. */
export function formatLexiconIssues(issues: ReadonlyArray<z.core.$ZodIssue>): string {
  return formatIssues(issues, { prefix: '  ', max: MAX_LISTED_ISSUES });
}
