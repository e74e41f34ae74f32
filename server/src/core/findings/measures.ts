/**
 * Findings that are names of a measurement or of a study, not findings: a calcium score is a finding only by
 * its value ("Agatston score 0" documents no calcification, "calcium score of 412" documents it), and a
 * concept that names a study ("CORONARY CALCIUM SCAN", "calcium score CT", "stone protocol") documents no
 * finding at all. Read from the words around the match, by rules of how reports write them.
 */
import type { PhraseMatch } from '../text/phraseMatcher';
import type { Tokens } from '../text/tokens';
import { registerWords, wordSet } from '../text/vocabulary';

/** What the words after a concept make of it. */
export type MeasureReading =
  /** It names a study or an order, not a finding. */
  | { kind: 'study' }
  /** A score with its value; `value` 0 documents absence. Offsets of the value as written. */
  | { kind: 'score'; value: number; start: number; end: number; scoreStart: number };

/** Nouns that make a concept before them the name of a study: "calcium scan", "stone protocol CT". */
const STUDY_NOUNS = wordSet(['scan', 'scans', 'ct', 'cta', 'ccta', 'study', 'studies', 'protocol', 'screening', 'exam', 'examination', 'imaging', 'test', 'testing', 'series']);
/** Words of a score that measure what the concept names. */
const SCORE_WORDS = wordSet(['score', 'scores', 'scoring']);
/** Words that may stand between a score and its value: "score: 0", "score of 412", "score was 0 (zero percentile)". */
const VALUE_LINKS = wordSet([':', '=', '-', 'of', 'is', 'was', 'total', 'measured', 'measures', 'calculated', 'at', '(', 'equals']);
const NUMBER_WORDS: ReadonlyMap<string, number> = new Map([['zero', 0], ['none', 0]]);
registerWords(NUMBER_WORDS.keys());
/** Tokens looked at after a score for its value. */
const VALUE_WINDOW = 4;

/**
 * The reading of concept `match` from the tokens after it, or undefined for an ordinary finding. A score with
 * no value nearby names the test ("calcium score CT was ordered"), as does a concept followed by a study noun.
 */
export function readMeasure(tokens: Tokens, match: PhraseMatch<string>, sentenceEnd: number): MeasureReading | undefined {
  const last = match.tokenEnd - 1;
  const next = match.tokenEnd < sentenceEnd ? tokens.norm(match.tokenEnd) : undefined;
  let scoreEnd = -1;
  // "CAC = 0": an equals sign makes the concept itself the measured quantity.
  if (SCORE_WORDS.has(tokens.norm(last)) || next === '=') scoreEnd = match.tokenEnd;
  else if (next !== undefined && SCORE_WORDS.has(next)) scoreEnd = match.tokenEnd + 1;
  else if (next !== undefined && STUDY_NOUNS.has(next)) return { kind: 'study' };
  if (scoreEnd < 0) return undefined;
  const scoreStart = tokens.start(scoreEnd - 1);
  for (let i = scoreEnd, seen = 0; i < sentenceEnd && seen < VALUE_WINDOW; i++, seen++) {
    const word = tokens.norm(i);
    const value = tokens.kind(i) === 'number' ? Number(word.replace(/,/g, '')) : NUMBER_WORDS.get(word);
    if (value !== undefined && Number.isFinite(value)) return { kind: 'score', value, start: tokens.start(i), end: tokens.end(i), scoreStart };
    if (!VALUE_LINKS.has(word)) break;
  }
  return { kind: 'study' };
}
