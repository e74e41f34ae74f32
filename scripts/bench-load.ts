/**
 * One cold load of the data in a fresh process (bundled and spawned by scripts/bench.ts): prints one JSON
 * line. Run with --expose-gc so heap figures are after a collection.
 */
import { join } from 'node:path';
import { loadAnatomy } from '../server/src/core/attributes/anatomy';
import { loadAlphabeticIndex, loadCodeIndex } from '../server/src/core/codes/loadCodeData';
import { loadContextLexicon } from '../server/src/core/context/loadContext';
import { loadCuratedCptFile } from '../server/src/core/cpt/loadCpt';
import { Lexicon } from '../server/src/core/lexicon/lexicon';
import { findDataDir, loadShippedLexiconFile, SHIPPED_LEXICON } from '../server/src/core/loadServices';

const gc = (globalThis as { gc?: () => void }).gc;
const heapMb = () => {
  gc?.();
  return process.memoryUsage().heapUsed / 1e6;
};
const dataDir = findDataDir(__dirname);
const heapBefore = heapMb();
let t = performance.now();
const codes = loadCodeIndex(join(dataDir, 'icd10cm'));
loadCuratedCptFile(join(dataDir, 'cpt', 'curated.json'));
const codeLoadMs = performance.now() - t;
t = performance.now();
new Lexicon([{ name: SHIPPED_LEXICON, file: loadShippedLexiconFile(dataDir) }]);
loadAnatomy(join(dataDir, 'lexicon', 'anatomy.json'));
loadContextLexicon(join(dataDir, 'context'));
const lexiconLoadMs = performance.now() - t;
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
    lexiconLoadMs,
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
