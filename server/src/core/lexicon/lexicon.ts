/**
 * The concepts and etiologies Calx recognises (the shipped calcification lexicon plus any custom term
 * files), compiled into phrase matchers once.
 */
import { PhraseMatcher } from '../text/phraseMatcher';
import type { LexiconConcept, LexiconEtiology, LexiconFile } from './schema';

export class Lexicon {
  readonly concepts: ReadonlyMap<string, LexiconConcept>;
  readonly etiologies: ReadonlyMap<string, LexiconEtiology>;
  readonly conceptMatcher: PhraseMatcher<string>;
  readonly etiologyMatcher: PhraseMatcher<string>;
  /** Names of the files it was built from, first the shipped lexicon. */
  readonly sources: readonly string[];

  /** Later files add concepts; a concept or etiology id already defined keeps its first definition. */
  constructor(files: ReadonlyArray<{ name: string; file: LexiconFile }>) {
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
    this.conceptMatcher = new PhraseMatcher([...phrases(concepts.values()), ...negated], abbreviations(concepts.values()));
    this.etiologyMatcher = new PhraseMatcher(phrases(etiologies.values()), abbreviations(etiologies.values()));
  }

  get variantCount(): number {
    let n = 0;
    for (const c of this.concepts.values()) n += c.variants.length + c.abbreviations.length;
    return n;
  }
}
