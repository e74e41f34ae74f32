/**
 * A detail a code family turns on, documented as absent next to the finding: "Cholelithiasis without
 * obstruction", "gallstones without cholecystitis or obstruction", "cholelithiasis, no obstruction". The family's
 * child "without <detail>" (K80.20) is then the code as documented, not a default taken for want of
 * documentation, and a query asking whether there is obstruction would ask what the note already says.
 *
 * Only the question goes, never the code: this applies when the code already suggested is that "without" child
 * (the index's default when nothing is said), so a note that says less gets the same code with the question.
 * The detail's word counts where the context detector reads it as negated ("without", "no", "negative for"),
 * in the finding's sentence, within CONDITION_REACH tokens of it, like the conditions of combinations.ts.
 */
import type { CodeIndex } from '../codes/codeIndex';
import type { ContextAnnotations } from '../context/contextDetector';
import type { Tokens } from '../text/tokens';
import { CONDITION_REACH, conditionStem } from './combinations';
import type { CodeSuggestion } from './findings';
import type { TokenSpan } from './nearest';

/**
 * `coding` without its detail question when the sentence documents the detail's absence and the suggested code is
 * the family's child without it; else `coding` itself.
 */
export function withAbsentDetail(
  coding: CodeSuggestion,
  tokens: Tokens,
  finding: TokenSpan,
  sentence: TokenSpan,
  context: ContextAnnotations,
  codes: CodeIndex,
): CodeSuggestion {
  const k = coding.missing.findIndex((m) => m.attribute === 'detail');
  const name = k >= 0 ? coding.missing[k]!.name : undefined;
  if (!name || coding.suggested.length !== 1) return coding;
  // The detail's own word: the last of its name ("obstruction"; "acute ... cholecystitis" would be its noun).
  const words = name.toLowerCase().split(/\s+/);
  const word = words[words.length - 1]!;
  const title = codes.get(coding.suggested[0]!)?.title.toLowerCase() ?? '';
  if (!saysWithout(title, name.toLowerCase())) return coding;
  if (!negatedNear(tokens, finding, sentence, context, conditionStem(word))) return coding;
  return { ...coding, missing: coding.missing.filter((_, j) => j !== k) };
}

/** Is a word of this stem negated in the sentence, within reach of the finding (not inside its own words)? */
function negatedNear(tokens: Tokens, finding: TokenSpan, sentence: TokenSpan, context: ContextAnnotations, stem: string): boolean {
  const from = Math.max(sentence.tokenStart, finding.tokenStart - CONDITION_REACH);
  const to = Math.min(sentence.tokenEnd, finding.tokenEnd + CONDITION_REACH);
  for (let t = from; t < to; t++) {
    if ((t >= finding.tokenStart && t < finding.tokenEnd) || !tokens.isWord(t)) continue;
    if (conditionStem(tokens.norm(t)) === stem && context.contextOf(t, t + 1).negated) return true;
  }
  return false;
}

/** Does the (lower-case) title say "without <name>" as whole words ("... without obstruction")? */
function saysWithout(title: string, name: string): boolean {
  const phrase = `without ${name}`;
  for (let at = title.indexOf(phrase); at >= 0; at = title.indexOf(phrase, at + 1)) {
    const before = at === 0 ? ' ' : title[at - 1]!;
    const after = title[at + phrase.length] ?? ' ';
    if (!/[a-z0-9]/.test(before) && !/[a-z0-9]/.test(after)) return true;
  }
  return false;
}
