/**
 * Reads and validates data/context/triggers.json once and builds the trigger lexicon. Kept apart from
 * ContextLexicon so tests can build a lexicon from literals.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { DataFileError } from '../codes/loadCodeData';
import { describeZodError } from '../codes/schema';
import { ContextLexicon } from './contextDetector';
import { codeSetAsideFileSchema, triggersFileSchema } from './schema';

/**
 * Loads the context triggers (triggers.json) and the words that set a code aside (code-set-aside.json) from a
 * data/context folder. Throws DataFileError when a file is missing or invalid.
 */
export function loadContextLexicon(contextDir: string): ContextLexicon {
  const triggers = readValid(contextDir, 'triggers.json', triggersFileSchema).triggers;
  const setAside = readValid(contextDir, 'code-set-aside.json', codeSetAsideFileSchema).phrases;
  try {
    return new ContextLexicon(triggers, setAside);
  } catch (e) {
    throw new DataFileError(`invalid triggers.json or code-set-aside.json: ${(e as Error).message}`);
  }
}

function readValid<T>(dir: string, name: string, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(join(dir, name), 'utf8'));
  } catch (e) {
    throw new DataFileError(`cannot read ${name} in ${dir}: ${(e as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new DataFileError(`invalid ${name}:\n${describeZodError(parsed.error, name)}`);
  return parsed.data;
}
