/**
 * Disk access for CPT data, kept apart from `CptCatalog` and the descriptor parser so those stay pure.
 */
import { readFileSync } from 'node:fs';
import { CptCatalog } from './cptCatalog';
import { parseCptDescriptorFile } from './descriptorFile';
import type { CptDescriptorFileResult } from './descriptorFile';

/**
 * Reads and validates the curated CPT JSON (normally `data/cpt/curated.json`). Throws with the file path in the
 * message when the file is missing, is not JSON, or fails validation: shipped data must be fixed, not skipped.
 */
export function loadCuratedCptFile(path: string): CptCatalog {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new Error(`Cannot read curated CPT file ${path}: ${describe(cause)}`, { cause });
  }
  try {
    return CptCatalog.fromJson(json);
  } catch (cause) {
    throw new Error(`${path}: ${describe(cause)}`, { cause });
  }
}

/**
 * Reads a user's licensed descriptor file. Decodes as UTF-8 (a UTF-16 file shows up as NUL bytes and is reported
 * by the parser). Read failures throw, since the caller must tell the user the setting points nowhere.
 */
export function readCptDescriptorFile(path: string): CptDescriptorFileResult {
  return parseCptDescriptorFile(readFileSync(path, 'utf8'));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
