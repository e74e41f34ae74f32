/**
 * Words that name a calcification finding only once the note has said which organ: a bare "stone" ("the stone
 * was basketed", "no residual stones"), "fragments" of a stone just broken, "the deposit" or "no further
 * calcium" after a calcific deposit was named. The lexicon marks such concepts with `anaphor` (lexicon/schema.ts).
 *
 * A match of one is a finding only when
 * - its own sentence names an organ the index lists a calculus at ("stone in the left lower pole of the
 *   kidney"), for concepts whose `sentenceSite` allows it, or
 * - an earlier affirmed finding of one of its antecedent categories, with a site, stands before it in the note
 *   (within `reach` sentences when given): the nearest one is what it refers to;
 * and its phrase reads as the clinical noun: not a name ("Dr. Stone", "Stone, MD", "Rolling Stone"), not a weight
 * ("14 stone"), not part of a hyphenated word ("stone-cold", "fluid-calcium"); a `strict` one also only after a
 * determiner, quantifier or size word and before a verb, preposition or punctuation (after "was", only what is
 * seen or removed: "was visible", "was debrided"), so "fracture fragments", "fatty deposit", "amyloid deposits",
 * "calcium 10.2", "the calcium was elevated", "calcium carbonate" and "calcium channel blocker" are not it.
 * It then becomes the organ's own concept of the first antecedent category (a stone at the kidney is
 * "renal-calculus", by the concept's name), else the `generic` concept at that organ (index: Calculus, urethra).
 * Antecedents come only from before the word: a later stone says nothing of "works as a stone mason" above it.
 */
import type { Anatomy, Side } from '../attributes/anatomy';
import type { Lexicon } from '../lexicon/lexicon';
import type { LexiconConcept } from '../lexicon/schema';
import type { PhraseMatch } from '../text/phraseMatcher';
import type { Tokens } from '../text/tokens';
import type { Evidence, Finding } from './findings';
import { distance, nearestBy } from './nearest';
import { wordSet } from '../text/vocabulary';

/** What an anaphor match stands for: the concept, and the site and side it takes from what it refers to. */
export interface Reference {
  concept: LexiconConcept;
  site: Evidence<string>;
  side?: Evidence<Side>;
}

type Category = LexiconConcept['category'];

/** Words before a name ("Dr. Stone", "Mrs Stone"). */
const TITLES = wordSet(['dr', 'doctor', 'mr', 'mrs', 'ms', 'miss', 'prof', 'professor', 'attending', 'surgeon']);
/** Words after a name ("Stone, MD"). */
const CREDENTIALS = wordSet(['md', 'do', 'pa', 'pa-c', 'np', 'rn', 'phd', 'mbbs', 'frcs']);
/** What may come right before a strict anaphor: determiners, quantifiers, negation, size and look. */
const MODIFIERS = wordSet([
  'a', 'an', 'the', 'this', 'that', 'these', 'those', 'its', 'their', 'no', 'any', 'some', 'further', 'more', 'residual',
  'remaining', 'retained', 'small', 'smaller', 'tiny', 'large', 'larger', 'few', 'several', 'multiple', 'dense', 'hard',
  'soft', 'chalky', 'shadowing', 'echogenic', 'punctate',
]);
/** What may come right after a strict anaphor when it is a word: verbs and prepositions, not a noun it modifies. */
const FOLLOWERS = wordSet([
  'was', 'were', 'is', 'are', 'has', 'had', 'remained', 'remain', 'remains', 'seen', 'visible', 'noted', 'identified',
  'present', 'evident', 'within', 'in', 'at', 'on', 'with', 'without', 'from', 'into', 'and', 'or', 'larger', 'smaller',
  'measuring', 'measures', 'removed', 'extracted', 'evacuated', 'retrieved', 'that', 'which',
]);
/** After a copula, what a deposit is said to be ("was visible", "was debrided"), unlike a lab value ("was 10.2", "was elevated"). */
const COPULAS = wordSet(['was', 'were', 'is', 'are']);
const PARTICIPLES = wordSet([
  'visible', 'seen', 'noted', 'identified', 'present', 'evident', 'removed', 'extracted', 'evacuated', 'debrided',
  'retrieved', 'localized', 'localised', 'located', 'found', 'fragmented', 'excised', 'aspirated', 'lavaged', 'basketed',
]);
/** Tokens after which a capitalised word starts a phrase of its own (a header's value, a list item). */
const OPENERS = wordSet([':', '(', '-', '*', '•', ';']);

export class Anaphora {
  /** The last affirmed finding with a site of each category, as the findings are made in text order. */
  private readonly last = new Map<Category, Finding>();
  /** The side of the last affirmed finding at each paired organ that has one ("Left ureteroscopy ... the stone"). */
  private readonly lastSide = new Map<string, Evidence<Side>>();
  /** Per category and organ: the concept that names a finding of that category there ("renal-calculus"). */
  private readonly organConcepts = new Map<string, LexiconConcept | null>();

  constructor(
    private readonly lexicon: Lexicon,
    private readonly anatomy: Anatomy,
    private readonly tokens: Tokens,
    private readonly text: string,
    /** The organ a concept's own name fixes (findings.ts). */
    private readonly impliedSite: (concept: LexiconConcept) => string | undefined,
  ) {}

  /** Records a finding just made (in text order) as what later anaphors may refer to. */
  saw(f: Finding): void {
    if (!f.site || f.context.negated || f.context.hypothetical || f.context.experiencer) return;
    this.last.set(f.category, f);
    if (f.laterality && f.laterality.value !== 'bilateral') this.lastSide.set(f.site.value, f.laterality);
  }

  /**
   * What the match of an anaphor concept stands for, or undefined when it is no finding. `sentenceSites`: the
   * site matches of its sentence, in text order; `sentence`: its sentence's number.
   */
  resolve(match: PhraseMatch<string>, concept: LexiconConcept, sentenceSites: readonly PhraseMatch<string>[], sentence: number, sentenceStart: number): Reference | undefined {
    const rule = concept.anaphor!;
    if (!this.readsAsNoun(match, rule.strict, sentenceStart)) return undefined;
    const generic = this.lexicon.concepts.get(rule.generic);
    if (!generic) return undefined;
    const category = rule.antecedents[0]!;
    if (rule.sentenceSite) {
      const near = nearestBy(sentenceSites, match, (m) => distance(match, m), (m) => this.placeFor(category, generic, m.value) !== undefined);
      if (near) return this.reference(this.placeFor(category, generic, near.value)!, { value: near.value, start: near.start, end: near.end, via: 'sentence' });
    }
    let antecedent: Finding | undefined;
    for (const c of rule.antecedents) {
      const f = this.last.get(c);
      if (f && (!antecedent || f.start > antecedent.start)) antecedent = f;
    }
    if (!antecedent || (rule.reach !== undefined && sentence - antecedent.sentence > rule.reach)) return undefined;
    const organ = antecedent.site!.value;
    const named = this.placeFor(category, generic, organ);
    // A deposit refers to whatever calcification was named, at its site; a stone only to an organ stones form in.
    const resolved = named ?? (rule.sentenceSite ? undefined : generic);
    if (!resolved) return undefined;
    return this.reference(resolved, { ...antecedent.site!, via: 'note' }, antecedent.laterality);
  }

  /** With the side the organ had last, for a paired organ: what the finding's own phrase and section do not say. */
  private reference(concept: LexiconConcept, site: Evidence<string>, side?: Evidence<Side>): Reference {
    const reference: Reference = { concept, site };
    const last = side ?? (this.anatomy.site(site.value)?.lateral ? this.lastSide.get(site.value) : undefined);
    if (last) reference.side = { ...last, via: 'note' };
    return reference;
  }

  /** The concept a finding of `category` at `organ` is: the organ's own one, or `generic` where the index lists the organ under it. */
  private placeFor(category: Category, generic: LexiconConcept, organ: string): LexiconConcept | undefined {
    const key = `${category}\u0000${organ}`;
    let concept = this.organConcepts.get(key);
    if (concept === undefined) {
      concept = null;
      for (const c of this.lexicon.concepts.values()) {
        if (!c.anaphor && c.category === category && this.impliedSite(c) === organ) {
          concept = c;
          break;
        }
      }
      if (!concept && this.anatomy.indexCoverage.forSite(generic, organ)) concept = generic;
      this.organConcepts.set(key, concept);
    }
    return concept ?? undefined;
  }

  /** Whether the words around the match read as the clinical noun (see the top of this file). */
  private readsAsNoun(match: PhraseMatch<string>, strict: boolean, sentenceStart: number): boolean {
    const t = this.tokens;
    const first = match.tokenStart;
    const after = match.tokenEnd;
    const word = this.text.slice(t.start(first), t.end(first));
    const before = first > 0 ? t.norm(first - 1) : undefined;
    // A name: a title before it ("Dr. Stone"), a credential after it ("Stone, MD"), or capitalised inside a sentence.
    if (before !== undefined && (TITLES.has(before) || (before === '.' && first > 1 && TITLES.has(t.norm(first - 2))))) return false;
    const next = after < t.length ? t.norm(after) : undefined;
    const nextWord = next === ',' && after + 1 < t.length ? t.norm(after + 1) : next;
    if (nextWord !== undefined && CREDENTIALS.has(nextWord)) return false;
    const capitalised = word[0] !== word[0]!.toLowerCase() && word !== word.toUpperCase();
    if (capitalised && first > sentenceStart && !t.newlineBefore(first) && !(before !== undefined && OPENERS.has(before))) return false;
    // A weight ("14 stone 2 lb"): a bare number before the singular word.
    if (before !== undefined && t.kind(first - 1) === 'number' && !match.phrase.endsWith('s')) return false;
    // Part of a hyphenated word ("stone-cold", "fluid-calcium").
    if (before === '-' && !t.spaceBefore(first)) return false;
    if (next === '-' && !t.spaceBefore(after)) return false;
    if (!strict) return true;
    if (before === undefined || first === sentenceStart || !MODIFIERS.has(before)) return false;
    if (next !== undefined && COPULAS.has(next)) return after + 1 < t.length && PARTICIPLES.has(t.norm(after + 1));
    return next === undefined || (t.kind(after) === 'punct' && next !== '-') || FOLLOWERS.has(next);
  }
}
