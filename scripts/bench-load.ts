/**
 * One cold load of the data in a fresh process (spawned by scripts/bench.ts): prints one JSON line.
 * Run with --expose-gc so heap figures are after a collection.
 */
import { join } from 'node:path';
import { loadAlphabeticIndex, loadCodeIndex } from '../server/src/core/codes/loadCodeData';
import { loadCuratedCptFile } from '../server/src/core/cpt/loadCpt';

const gc = (globalThis as { gc?: () => void }).gc;
const heapMb = () => {
  gc?.();
  return process.memoryUsage().heapUsed / 1e6;
};
const dataDir = join(__dirname, '..', 'data');
const heapBefore = heapMb();
let t = performance.now();
const codes = loadCodeIndex(join(dataDir, 'icd10cm'));
loadCuratedCptFile(join(dataDir, 'cpt', 'curated.json'));
const codeLoadMs = performance.now() - t;
const heapCodes = heapMb() - heapBefore;
t = performance.now();
const index = loadAlphabeticIndex(join(dataDir, 'icd10cm'));
const indexLoadMs = performance.now() - t;
const heapAll = heapMb() - heapBefore;
t = performance.now();
codes.warmWordIndex();
const wordIndexMs = performance.now() - t;
const heapWords = heapMb() - heapBefore;
process.stdout.write(
  `${JSON.stringify({
    codeLoadMs,
    indexLoadMs,
    wordIndexMs,
    heapCodesMb: heapCodes,
    heapWithIndexMb: heapAll,
    heapWithWordIndexMb: heapWords,
    rssMb: process.memoryUsage().rss / 1e6,
    codes: codes.size,
    mainTerms: index.mainTermCount,
  })}\n`,
);
