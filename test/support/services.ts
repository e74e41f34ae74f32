import { join } from 'node:path';
import { loadServices } from '../../server/src/core/loadServices';
import type { CalxServices } from '../../server/src/core/rules/types';

export const REPO_ROOT = join(__dirname, '..', '..');
let cached: CalxServices | undefined;

/** The real committed data, loaded once for the whole test run. */
export function services(): CalxServices {
  cached ??= loadServices(join(REPO_ROOT, 'data'));
  return cached;
}
