/**
 * Reads and validates data/icd10cm/ once. Kept apart from CodeIndex so the index itself stays a pure
 * data structure that tests can build from literals.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { AlphabeticIndex } from './alphabeticIndex';
import { CodeIndex } from './codeIndex';
import { changesFileSchema, codesFileSchema, describeZodError, indexFileSchema, notesFileSchema } from './schema';

/** A data file that is missing, not JSON, or not of the expected shape. */
export class DataFileError extends Error {
  override name = 'DataFileError';
}

function readValidated<T extends z.ZodType>(dir: string, name: string, schema: T): z.infer<T> {
  const path = join(dir, name);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new DataFileError(`cannot read ${name} in ${dir}: ${(e as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new DataFileError(`invalid ${name}:\n${describeZodError(parsed.error, name)}`);
  return parsed.data;
}

/** Loads the code set (codes, notes, changes) from a data/icd10cm folder. */
export function loadCodeIndex(icd10cmDir: string): CodeIndex {
  const codes = readValidated(icd10cmDir, 'codes.json', codesFileSchema);
  const notes = readValidated(icd10cmDir, 'notes.json', notesFileSchema);
  const changes = readValidated(icd10cmDir, 'changes.json', changesFileSchema);
  try {
    return new CodeIndex(codes, notes, changes);
  } catch (e) {
    throw new DataFileError((e as Error).message);
  }
}

/** Loads the alphabetic index (larger, and needed only for index look-ups and word completion). */
export function loadAlphabeticIndex(icd10cmDir: string): AlphabeticIndex {
  return new AlphabeticIndex(readValidated(icd10cmDir, 'index.json', indexFileSchema));
}
