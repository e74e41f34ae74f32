/**
 * Loads everything an analysis needs from the data folder, once per process.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadAnatomy } from './attributes/anatomy';
import type { AlphabeticIndex } from './codes/alphabeticIndex';
import { alphabeticIndexSlices, CodeDataReader, loadCodeIndex } from './codes/loadCodeData';
import { loadContextLexicon } from './context/loadContext';
import { loadCuratedCptFile } from './cpt/loadCpt';
import { Lexicon } from './lexicon/lexicon';
import { loadLexiconFile } from './lexicon/loadLexicon';
import type { LexiconFile } from './lexicon/schema';
import type { CalxServices } from './rules/types';
import { Sliced } from './sliced';

/**
 * The folder holding icd10cm/, cpt/, lexicon/ and context/: $CALX_DATA_DIR, else the first `data/` found
 * walking up from `from` (dist/ in the bundle, the source folder under tests).
 */
export function findDataDir(from: string): string {
  const fromEnv = process.env.CALX_DATA_DIR;
  if (fromEnv) return fromEnv;
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'data');
    if (existsSync(join(candidate, 'icd10cm', 'codes.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`no data/icd10cm/codes.json above ${from}; set CALX_DATA_DIR`);
  }
}

/** The shipped lexicon's file name inside data/lexicon/. */
export const SHIPPED_LEXICON = 'calcification.json';

export function loadShippedLexiconFile(dataDir: string): LexiconFile {
  return loadLexiconFile(join(dataDir, 'lexicon', SHIPPED_LEXICON));
}

export function loadServices(dataDir: string): CalxServices {
  let index: Sliced<AlphabeticIndex> | undefined;
  const indexLoad = () => (index ??= new Sliced(alphabeticIndexSlices(new CodeDataReader(join(dataDir, 'icd10cm')))));
  const anatomy = loadAnatomy(join(dataDir, 'lexicon', 'anatomy.json'));
  return {
    alphabeticIndex: () => indexLoad().finish(),
    warmAlphabeticIndex: (deadline) => indexLoad().step(deadline),
    codes: loadCodeIndex(join(dataDir, 'icd10cm')),
    cpt: loadCuratedCptFile(join(dataDir, 'cpt', 'curated.json')),
    lexicon: new Lexicon([{ name: SHIPPED_LEXICON, file: loadShippedLexiconFile(dataDir) }], anatomy),
    anatomy,
    context: loadContextLexicon(join(dataDir, 'context')),
  };
}
