/**
 * The concepts and etiologies Calx recognises (the shipped calcification lexicon plus any custom term
 * files), compiled into phrase matchers once.
 */
import { ADJECTIVE_ENDING, type Anatomy } from '../attributes/anatomy';
import { PhraseMatcher } from '../text/phraseMatcher';
import { tokenize } from '../text/tokens';
import type { LexiconConcept, LexiconEtiology, LexiconFile } from './schema';

export class Lexicon {
  readonly concepts: ReadonlyMap<string, LexiconConcept>;
  readonly etiologies: ReadonlyMap<string, LexiconEtiology>;
  readonly conceptMatcher: PhraseMatcher<string>;
  readonly etiologyMatcher: PhraseMatcher<string>;
  /** Names of the files it was built from, first the shipped lexicon. */
  readonly sources: readonly string[];

  /**
   * Later files add concepts; a concept or etiology id already defined keeps its first definition. With the
   * anatomy, a name that puts a place before its noun ("calcified optic disc drusen") is also matched in the "of"
   * form, with a side for a paired place ("calcified drusen of the left optic disc"; see invertedForms).
   */
  constructor(files: ReadonlyArray<{ name: string; file: LexiconFile }>, anatomy?: Anatomy) {
    const concepts = new Map<string, LexiconConcept>();
    const etiologies = new Map<string, LexiconEtiology>();
    for (const { file } of files) {
      for (const c of file.concepts) if (!concepts.has(c.id)) concepts.set(c.id, c);
      for (const e of file.etiologies) if (!etiologies.has(e.id)) etiologies.set(e.id, e);
    }
    this.concepts = concepts;
    this.etiologies = etiologies;
    this.sources = files.map((f) => f.name);
    // The preferred term is for display; what notes say is in the variants (the schema checks those for clashes).
    const phrases = (entries: Iterable<{ id: string; variants: readonly string[] }>) =>
      [...entries].flatMap((e) => e.variants.map((phrase) => ({ phrase, value: e.id })));
    const abbreviations = (entries: Iterable<{ id: string; abbreviations: readonly string[] }>) =>
      [...entries].flatMap((e) => e.abbreviations.map((phrase) => ({ phrase, value: e.id })));
    const negated = [...concepts.values()].flatMap((c) => c.negatedVariants.map((phrase) => ({ phrase, value: c.id })));
    // The "of" forms come last: a phrase a concept lists itself keeps its owner.
    const inverted = anatomy ? [...concepts.values()].flatMap((c) => invertedForms(c.variants, anatomy).map((phrase) => ({ phrase, value: c.id }))) : [];
    this.conceptMatcher = new PhraseMatcher([...phrases(concepts.values()), ...negated, ...inverted], abbreviations(concepts.values()));
    this.etiologyMatcher = new PhraseMatcher(phrases(etiologies.values()), abbreviations(etiologies.values()));
  }

  get variantCount(): number {
    let n = 0;
    for (const c of this.concepts.values()) n += c.variants.length + c.abbreviations.length;
    return n;
  }
}

/**
 * The "of" forms of names that put a place before their noun: "optic disc drusen" is also "drusen of the optic
 * disc" and "drusen of optic disc", "calcified optic disc drusen" also "calcified drusen of the optic disc", and
 * for a paired place with a side before it ("drusen of the left optic disc"), so the side is read from the words.
 * Only for a name of one place and one noun after it, with no link word ("aortic stenosis with calcification"
 * is left as written), where the place is named by a noun (the word an "of" can take: "disc", "kidney", not
 * "renal", "falcine" or "generalized").
 */
export function invertedForms(variants: readonly string[], anatomy: Anatomy): string[] {
  const out: string[] = [];
  const sides = anatomy.sidePhrases.filter((p) => !/\s/.test(p));
  for (const variant of variants) {
    if (LINKS.test(variant)) continue;
    const tokens = tokenize(variant);
    const sites = anatomy.siteMatcher.match(variant, tokens);
    if (sites.length !== 1) continue;
    const site = sites[0]!;
    const noun = variant.slice(site.end).trim();
    const last = tokens.norm(site.tokenEnd - 1);
    if (!/^[\p{L}]+$/u.test(noun) || ADJECTIVE_ENDING.test(last) || MORE_ADJECTIVES.test(last)) continue;
    const before = variant.slice(0, site.start).trim();
    const head = before ? `${before} ${noun}` : noun;
    const place = variant.slice(site.start, site.end);
    for (const side of ['', ...(anatomy.site(site.value)?.lateral ? sides : [])]) {
      const named = side ? `${side} ${place}` : place;
      out.push(`${head} of the ${named}`, `${head} of ${named}`);
    }
  }
  return out;
}

/** Words that already link a name's parts: such a name is no place-and-noun compound. */
const LINKS = /\b(?:of|in|at|on|with|without|and|or|to)\b/i;
/** Adjective endings the place words of names have beyond those of ADJECTIVE_ENDING ("falcine", "ovarian", "generalized", "diffuse"). */
const MORE_ADJECTIVES = /(?:ine|ian|ed|use)$/;
