/**
 * Reads and validates data/context/triggers.json once and builds the trigger lexicon. Kept apart from
 * ContextLexicon so tests can build a lexicon from literals.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataFileError } from '../codes/loadCodeData';
import { describeZodError } from '../codes/schema';
import { ContextLexicon } from './contextDetector';
import { triggersFileSchema } from './schema';

/** Loads the context triggers from a data/context folder. Throws DataFileError when the file is missing or invalid. */
export function loadContextLexicon(contextDir: string): ContextLexicon {
  const name = 'triggers.json';
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(join(contextDir, name), 'utf8'));
  } catch (e) {
    throw new DataFileError(`cannot read ${name} in ${contextDir}: ${(e as Error).message}`);
  }
  const parsed = triggersFileSchema.safeParse(json);
  if (!parsed.success) throw new DataFileError(`invalid ${name}:\n${describeZodError(parsed.error, name)}`);
  try {
    return new ContextLexicon(parsed.data.triggers);
  } catch (e) {
    throw new DataFileError(`invalid ${name}: ${(e as Error).message}`);
  }
}
