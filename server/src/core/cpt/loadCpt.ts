/**
 * Disk access for CPT data, kept apart from `CptCatalog` and the descriptor parser so those stay pure. A user's
 * licensed descriptor file is read by the server through core/userFile.ts (a regular file under a size cap).
 */
import { readFileSync } from 'node:fs';
import { CptCatalog } from './cptCatalog';

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

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
