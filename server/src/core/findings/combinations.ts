/**
 * The alphabetic index's combinations under a site's "with" ("Calculus, gallbladder, with, cholecystitis,
 * acute" K80.00; "bile duct, with, cholangitis, acute, with, obstruction" K80.33): a finding takes one when its
 * sentence documents every condition of it near the finding, for this patient, now. "Acute calculous
 * cholecystitis" is K80.00, not the K80.20 of a gallstone "without cholecystitis"; "no cholecystitis",
 * "rule out cholangitis" or a "small bowel obstruction" name no condition of the stone.
 */
import type { IndexCoverageEntry } from '../attributes/indexCoverage';
import type { ContextAnnotations } from '../context/contextDetector';
import type { PhraseMatch } from '../text/phraseMatcher';
import type { Tokens } from '../text/tokens';
import type { TokenSpan } from './nearest';
import { wordSet } from '../text/vocabulary';

/** How far from the finding a condition's word may be: "acute cholecystitis with cholelithiasis" (2 words). */
export const CONDITION_REACH = 8;
/** How far before its condition word a qualifier may be: "acute on chronic calculous cholecystitis" (3). */
const QUALIFIER_REACH = 3;

/** A word's stem for matching the index's nouns to a note's forms: obstruction, obstructing, obstructive. */
export function conditionStem(word: string): string {
  return word.replace(/(?:ions?|ing|ive|ed|s)$/, '');
}

/**
 * The combination with the most conditions that the sentence documents, or none. A condition's word counts
 * when it is within CONDITION_REACH tokens of the finding, affirmed (not negated, uncertain, hypothetical,
 * historical or someone else's), not the word of another organ's condition (a site right before it that is
 * not the finding's: "bowel obstruction"), with each qualifier at most QUALIFIER_REACH tokens before it.
 */
export function documentedCombination(
  tokens: Tokens,
  finding: TokenSpan,
  sentence: TokenSpan,
  combinations: readonly IndexCoverageEntry[],
  context: ContextAnnotations,
  sentenceSites: readonly PhraseMatch<string>[],
  site: string,
): IndexCoverageEntry | undefined {
  if (combinations.length === 0) return undefined;
  const from = Math.max(sentence.tokenStart, finding.tokenStart - CONDITION_REACH);
  const to = Math.min(sentence.tokenEnd, finding.tokenEnd + CONDITION_REACH);
  // The affirmed condition words near the finding, by stem (most sentences have none: nothing else is built).
  let words: Map<string, number[]> | undefined;
  const { heads, qualifiers } = wordsOf(combinations);
  for (let t = from; t < to; t++) {
    if (tokens.isPunct(t)) continue;
    const stem = conditionStem(tokens.norm(t));
    if (!heads.has(stem) || !affirmed(context, t) || otherOrgan(sentenceSites, tokens, t, site) || ofAnotherNoun(tokens, t, finding, qualifiers)) continue;
    words ??= new Map();
    const list = words.get(stem);
    if (list) list.push(t);
    else words.set(stem, [t]);
  }
  if (!words) return undefined;
  let best: IndexCoverageEntry | undefined;
  for (const combination of combinations) {
    const conditions = combination.with!;
    if (best && weight(combination) <= weight(best)) continue;
    const met = conditions.every((c) =>
      (words!.get(conditionStem(c.head)) ?? []).some((t) => c.qualifiers.every((q) => qualifiedBy(tokens, t, q, from))),
    );
    if (met) best = combination;
  }
  return best;
}

/** The condition words' stems and the qualifiers of a list of combinations, made once per list (IndexCoverage keeps its lists). */
const WORDS = new WeakMap<readonly IndexCoverageEntry[], { heads: ReadonlySet<string>; qualifiers: ReadonlySet<string> }>();
function wordsOf(combinations: readonly IndexCoverageEntry[]): { heads: ReadonlySet<string>; qualifiers: ReadonlySet<string> } {
  let words = WORDS.get(combinations);
  if (!words) {
    words = {
      heads: new Set(combinations.flatMap((c) => c.with!.map((w) => conditionStem(w.head)))),
      qualifiers: new Set(combinations.flatMap((c) => c.with!.flatMap((w) => w.qualifiers))),
    };
    WORDS.set(combinations, words);
  }
  return words;
}

/** How much a combination documents: its conditions and their qualifiers ("acute cholecystitis" over "cholecystitis"). */
const weight = (entry: IndexCoverageEntry) => entry.with!.reduce((n, c) => n + 1 + c.qualifiers.length, 0);

/** Words that may stand right before a condition of the finding: links, articles, units ("5 mm obstructing stone"). */
const BEFORE_CONDITION = wordSet(['with', 'and', 'or', 'of', 'by', 'on', 'the', 'a', 'an', 'mm', 'cm', 'causing', 'complicated', 'and/or']);

/**
 * The condition's word is the head of another noun's phrase ("small bowel obstruction", "biliary pancreatitis"
 * is no condition of the stone): the word right before it is none of a link, an article, a unit, a number, a
 * qualifier or the finding's own words.
 */
function ofAnotherNoun(tokens: Tokens, t: number, finding: TokenSpan, qualifiers: ReadonlySet<string>): boolean {
  const before = t - 1;
  if (before < 0 || tokens.isPunct(before) || tokens.kind(before) === 'number') return false;
  if (before >= finding.tokenStart && before < finding.tokenEnd) return false;
  const word = tokens.norm(before);
  return !BEFORE_CONDITION.has(word) && !qualifiers.has(word);
}

function affirmed(context: ContextAnnotations, t: number): boolean {
  const c = context.contextOf(t, t + 1);
  return !c.negated && !c.uncertain && !c.hypothetical && !c.historical && !c.experiencer;
}

function qualifiedBy(tokens: Tokens, head: number, qualifier: string, from: number): boolean {
  for (let t = head - 1; t >= Math.max(from, head - QUALIFIER_REACH); t--) if (tokens.norm(t) === qualifier) return true;
  return false;
}

/** A site other than the finding's ends right before the word ("small bowel obstruction", "ureteral obstruction"). */
function otherOrgan(sentenceSites: readonly PhraseMatch<string>[], tokens: Tokens, t: number, site: string): boolean {
  return sentenceSites.some((s) => s.value !== site && s.tokenEnd <= t && s.tokenEnd >= t - 1 && !tokens.isPunct(s.tokenEnd - 1));
}
