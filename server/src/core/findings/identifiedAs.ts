/**
 * A finding its own sentence goes on to identify as a more specific one: "Calcification at the insertion of
 * the medial rectus bilaterally, consistent with senile scleral plaques" is the scleral plaque (H15.89), not
 * a calcified tendon; "calcifications in the right upper quadrant, compatible with gallstones" are the
 * gallstones. The reader takes the named condition for what the words before it describe.
 */
import { firstStartingAt } from '../text/byStart';
import type { PhraseMatch } from '../text/phraseMatcher';
import type { Tokens } from '../text/tokens';
import { registerWords, wordSet } from '../text/vocabulary';

/** The words that identify what comes before them with what follows, last word first ("consistent with"). */
const LINKS: readonly (readonly string[])[] = [
  ['with', 'consistent'],
  ['with', 'compatible'],
  ['with', 'keeping', 'in'],
  ['representing'],
  ['represents'],
  ['represent'],
];
registerWords(LINKS.flat());
/** Words that may stand between the link and the condition it names: "consistent with a calcified granuloma". */
const ARTICLES = wordSet(['a', 'an', 'the']);
/** Words before the link that deny it: "not consistent with". */
const DENIALS = wordSet(['not', 'no', 'nor']);

/**
 * The next concept match after `finding` in its sentence (up to token `sentenceEnd`), when the words right
 * before it identify the finding with it ("..., consistent with <it>"), `specific` says its code needs no
 * place, and the finding's own words up to the link name no place that would code it already
 * (`namesPlace(from, to)`, token range: "calcifications in the pelvis, consistent with phleboliths" stay in
 * the pelvis, and so does a vessel; a tissue such as "insertion" or "muscles" is no such place); else undefined. `concepts`: every
 * concept match of the note, in text order.
 */
export function identifiedAs<M extends PhraseMatch<string>>(
  finding: M,
  concepts: readonly M[],
  tokens: Tokens,
  sentenceEnd: number,
  specific: (m: M) => boolean,
  namesPlace: (from: number, to: number) => boolean,
): M | undefined {
  const next = concepts[firstStartingAt(concepts, finding.end)];
  if (!next || next.tokenEnd > sentenceEnd || !specific(next)) return undefined;
  let t = next.tokenStart - 1;
  if (t >= finding.tokenEnd && ARTICLES.has(tokens.norm(t))) t--;
  for (const link of LINKS) {
    const first = t - link.length + 1;
    if (first < finding.tokenEnd || !link.every((word, k) => tokens.norm(t - k) === word)) continue;
    if (first - 1 >= finding.tokenEnd && DENIALS.has(tokens.norm(first - 1))) return undefined;
    return namesPlace(finding.tokenStart, first) ? undefined : next;
  }
  return undefined;
}
