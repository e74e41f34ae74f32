/**
 * Calcification findings: lexicon concepts found in a note, with their context (negated, uncertain,
 * hypothetical, historical, someone else), the site, side and etiology documented for them (each with the
 * evidence's range), and the code the documentation supports with what is missing to go further.
 */
import type { Anatomy, Side } from '../attributes/anatomy';
import type { IndexCoverageEntry } from '../attributes/indexCoverage';
import type { CodeIndex } from '../codes/codeIndex';
import { resolveFamily, type MissingAxis } from '../codes/resolveFamily';
import { annotateContext, type ContextAnnotations, type ContextFlags, type ContextLexicon, type ContextTrigger, type SentenceMemo } from '../context/contextDetector';
import { tokenize, type Tokens } from '../text/tokens';
import type { Lexicon } from '../lexicon/lexicon';
import { ETIOLOGY_MECHANISMS, type CodeRule, type LexiconConcept } from '../lexicon/schema';
import type { PhraseMatch } from '../text/phraseMatcher';
import type { SectionKind } from '../text/sections';
import { headerValue, sentenceAt, type TextModel } from '../text/textModel';
import type { Sentence } from '../text/sentences';
import { hasLineBreak, lineBreakAt, lineEndAt } from '../text/lines';
import { firstStartingAt, firstStartingAtToken } from '../text/byStart';
import { deepFreeze } from '../freeze';
import { withAbsentDetail } from './absentDetail';
import { documentedCombination } from './combinations';
import { readMeasure } from './measures';
import { GoverningSections, inSummary, opensBlockOf, Restatements, SentenceScopes, titleIn, type RestatementKeys, type Title } from './reportStructure';
import { distance, firstNotBefore, firstOfEachValue, indexByValue, nearestBy, type TokenSpan } from './nearest';
import { isNamedStructure, joinModifiedStructures } from './siteStructure';
import { Anaphora } from './anaphora';
import { identifiedAs } from './identifiedAs';
import { wordSet } from '../text/vocabulary';
import { carryCauses, statesCause, type CauseDonor, type CauseReceiver } from './restatedCauses';

/**
 * Where an attribute was found: in the finding's own words, its sentence, its section, or elsewhere in the note;
 * 'mention': a cause stated with another mention of the same condition (restatedCauses.ts).
 */
export type EvidenceSource = 'concept' | 'sentence' | 'section' | 'note' | 'mention';

export interface Evidence<T> {
  value: T;
  /** UTF-16 offsets of the words that document it. */
  start: number;
  end: number;
  via: EvidenceSource;
}

/** What documentation a finding's code lacks: its site, side, cause, or another detail its family differs by. */
export type MissingAttribute = 'site' | 'laterality' | 'etiology' | 'detail';

/** One thing missing from the documentation, with what documenting it would lead to. */
export interface MissingDocumentation {
  attribute: MissingAttribute;
  /** The billable codes (or, for a cause, the code families) documenting it would lead to. */
  options: string[];
  /** The official titles' words for each choice ("thigh", "with obstruction"); none for a cause. */
  choices?: string[];
  /** For a detail: what it is about, in the titles' words ("obstruction"). */
  name?: string;
}

export interface CodeSuggestion {
  /** The code family the concept and documentation lead to ("M75.3"); undefined when none applies yet. */
  family?: string;
  /** The lexicon rule's note for that family (why this family). */
  familyNote?: string;
  /** Billable code(s) the documentation supports (two for a bilateral condition without a bilateral code). */
  suggested: string[];
  /** The code that would be assigned as documented: the family's unspecified code. */
  unspecified?: string;
  /** Where the walk down the family stopped (the header whose children need what is missing). */
  reached?: string;
  /** What is missing, in the order coding needs it, with the codes each would lead to. */
  missing: MissingDocumentation[];
  /** Codes to sequence before this one (etiology/manifestation, "code first"). */
  codeFirst: string[];
}

export interface Finding {
  conceptId: string;
  preferred: string;
  category: LexiconConcept['category'];
  /** UTF-16 offsets of the matched words. */
  start: number;
  end: number;
  /** The words as written. */
  text: string;
  section: SectionKind;
  /** Index of the sentence in the text model. */
  sentence: number;
  context: ContextFlags;
  site?: Evidence<string>;
  laterality?: Evidence<Side>;
  etiologies: Evidence<string>[];
  /** For a score ("calcium score of 412"): its value and where it is written; a value of 0 negates the finding. */
  measure?: { value: number; start: number; end: number };
  coding: CodeSuggestion;
}

export interface FindingServices {
  codes: CodeIndex;
  lexicon: Lexicon;
  anatomy: Anatomy;
  context: ContextLexicon;
}

/** Sites that name a tissue, not a place: a limb or organ in the same sentence is the better site. */
export const TISSUES = new Set(['muscle', 'tendon', 'bursa', 'cartilage', 'artery', 'vein', 'lymph-node', 'subcutaneous', 'skin']);
/** Sections that the side and place of the diagnosis and procedure sections before them govern (reportStructure.ts). */
const GOVERNED: ReadonlySet<SectionKind> = new Set(['operative-findings', 'procedure-details', 'findings', 'impression', 'technique']);
/** Narrative sections where later sentences go on describing the structure an earlier one named. */
const NARRATIVE: ReadonlySet<SectionKind> = new Set(['results', 'findings', 'operative-findings', 'procedure-details', 'technique', 'history-of-present-illness', 'physical-exam']);

/** The vocabulary matches of a note (see noteScan.ts), in text order. */
export interface NoteMatches {
  concepts: readonly PhraseMatch<string>[];
  etiologies: readonly PhraseMatch<string>[];
  sites: readonly PhraseMatch<string>[];
  sides: readonly PhraseMatch<Side>[];
  /** Removals of organs ("cholecystectomy"); found by the scan, or here when not given. */
  removals?: readonly PhraseMatch<string>[];
  /** Per sentence, the context search kept by the scan (see SentenceMemo), when there is one. */
  sentenceMemos?: readonly SentenceMemo[];
}

/**
 * Per finding, in the same order, the keys it was recorded under as what later restatements refer to
 * (undefined: a negated finding, not recorded). What a partial run needs to know of the findings before it.
 */
export type RestatementTrail = Array<RestatementKeys | undefined>;

/**
 * A partial run (analysisReuse.ts): only the concepts that start in text [start, end) of the note (whole sentences,
 * and tokens outside every sentence) are found, after the findings before it as an earlier run found them.
 */
export interface PartialRun {
  start: number;
  end: number;
  /** Findings of an earlier run of this note, in text order, with their trail: those before `start` are replayed. */
  earlier: readonly Finding[];
  earlierTrail: readonly (RestatementKeys | undefined)[];
}

/** What a run records of its findings, for a partial run after it (analysisReuse.ts). */
export interface FindingsRecord {
  /** Their restatement keys, per finding in order. */
  trail: RestatementTrail;
  /** The organs they asked whether the note names (an imaging finding named by its appearance, an abbreviation). */
  organsAsked: Set<string>;
  /**
   * Those whose coding may take a cause stated at another mention of their condition (restatedCauses.ts), each
   * with whether its coding names a cause.
   */
  causeTakers: Map<Finding, (cause: string) => boolean>;
}

/** A record to fill: nothing recorded yet. */
export const newRecord = (): FindingsRecord => ({ trail: [], organsAsked: new Set(), causeTakers: new Map() });

export interface FindingsOptions {
  /** Filled with what the run records of its findings. */
  record?: FindingsRecord;
  /** Find only the concepts of these sentences. */
  only?: PartialRun;
}

export function findFindings(model: TextModel, services: FindingServices, matches: NoteMatches, options: FindingsOptions = {}): Finding[] {
  const { lexicon, anatomy } = services;
  const { text, tokens } = model;
  const { concepts, etiologies: allEtiologies } = matches;
  const { record, only } = options;
  // The concepts to find: all of them, or those of a partial run's sentences.
  const run = only ? concepts.slice(firstStartingAt(concepts, only.start), firstStartingAt(concepts, only.end)) : concepts;
  if (run.length === 0) return [];
  const context = annotateContext(model, services.context, matches.sentenceMemos);
  // A place named inside an etiology is not a site ("chronic kidney disease" says nothing about where).
  const sites = allEtiologies.length === 0 ? matches.sites : matches.sites.filter((m) => !sharesToken(allEtiologies, m.tokenStart, m.tokenEnd));
  const sides = matches.sides;
  // Etiologies count only when affirmed for this patient: "no CKD" or "mother had hyperparathyroidism" does not.
  // Asked only of the causes a finding looks at (those in its sentence, those its concept's coding names), once each.
  const affirmedCause = new Map<PhraseMatch<string>, boolean>();
  const affirmed = (m: PhraseMatch<string>): boolean => {
    let yes = affirmedCause.get(m);
    if (yes === undefined) {
      const c = context.contextOf(m.tokenStart, m.tokenEnd);
      // Uncertainty in "likely related to ESRD" is about the link, not the ESRD: only absent, hypothetical or
      // someone else's conditions are dropped.
      yes = !c.negated && !c.hypothetical && !c.experiencer;
      affirmedCause.set(m, yes);
    }
    return yes;
  };
  const sentenceOfToken = (t: number) => sentenceOf(model.sentences, t);
  const isPlace = (site: string) => !TISSUES.has(site);
  const governing = new GoverningSections(model, sides, sites, isPlace, sentenceOfToken);
  const scopes = new SentenceScopes(model, sides, matches.sentenceMemos);
  const titleSides = new TitleSides(model, matches.sides, sites, scopes, (a, b) => sameRegion(anatomy, a, b));
  const restatements = new Restatements();
  // Per sentence, whether it names a place (not only a tissue): asked once per sentence, not per finding.
  const placeNamed = new Int8Array(model.sentences.length); // 0: not asked yet, 1: names one, 2: does not
  const namesPlace = (sentence: number): boolean => {
    const known = placeNamed[sentence];
    if (known === 1 || known === 2) return known === 1;
    const named = (sitesBySentence.at(sentence) ?? []).some((m) => !TISSUES.has(m.value));
    if (known === 0) placeNamed[sentence] = named ? 1 : 2;
    return named;
  };
  // Whether the sentence names a place outside `region` ("Pelvic phleboliths" under "RIGHT HIP"; not "plantar" under "FOOT").
  const namesPlaceOutside = (sentence: number, region: string): boolean =>
    namesPlace(sentence) && (sitesBySentence.at(sentence) ?? []).some((m) => !TISSUES.has(m.value) && m.value !== MULTIPLE_SITES && !sameRegion(anatomy, region, m.value));
  // Matches grouped by sentence, so each finding looks at its own sentence, not at the whole note (linear in
  // the note's length, not quadratic); a sentence's group is made when a finding first asks for it.
  // A vessel or node with the organ words that say which one ("renal artery") is one site, the vessel's.
  const inConcept = (t: number) => sharesToken(concepts, t, t + 1);
  const sitesBySentence = new BySentence(joinModifiedStructures(sites, tokens, (v) => TISSUES.has(v), inConcept), model.sentences);
  const sidesBySentence = new BySentence(sides, model.sentences);
  const etiologiesBySentence = new BySentence(allEtiologies, model.sentences);
  // Per sentence, its affirmed causes and their indexes by value (made when a finding there first asks; null: none).
  const causesOf = new Map<number, SentenceCauses | null>();
  const sentenceCauses = (sentence: number): SentenceCauses | undefined => {
    let causes = causesOf.get(sentence);
    if (causes === undefined) {
      const matches = etiologiesBySentence.at(sentence)?.filter(affirmed) ?? [];
      causesOf.set(sentence, (causes = matches.length > 0 ? { matches, byValue: indexByValue(matches) } : null));
    }
    return causes ?? undefined;
  };
  const noteEtiologies = new Map<string, Evidence<string>[]>();
  let noteCauses: NoteCauses | undefined;
  const earlierSites = new EarlierSites(sites, (k) => model.sentences[sentenceOfToken(sites[k]!.tokenStart)]?.section);

  // The organs the note names anywhere (a mammogram's "breast"), for findings named by their appearance.
  let organs: Set<string> | undefined;
  const organsInNote = (organ: string): boolean => {
    record?.organsAsked.add(organ);
    return (organs ??= new Set(sites.map((m) => m.value))).has(organ);
  };

  const out: Finding[] = [];
  // Mentions that state their cause and mentions that ask for one (few: made only when there are some).
  let donors: CauseDonor[] | undefined;
  let receivers: CauseReceiver[] | undefined;
  // A bare "stone" or "the deposit" is a finding only where its sentence or an earlier finding names the organ.
  const anaphora = new Anaphora(lexicon, anatomy, tokens, text, (c) => impliedSite(c, anatomy));
  if (only) {
    // What the findings before the partial run recorded, as they recorded it: restatements and anaphors read it,
    // and the causes they state are carried to the mentions of the same condition in the run (restatedCauses.ts).
    const { earlier, earlierTrail } = only;
    for (let k = 0; k < earlier.length && earlier[k]!.start < only.start; k++) {
      const f = earlier[k]!;
      const keys = earlierTrail[k];
      if (keys) restatements.add(keys, f.site, f.laterality);
      anaphora.saw(f);
      if (keys && isCurrent(f) && statesCause(f)) (donors ??= []).push({ finding: f, keys });
    }
  }
  for (const match of run) {
    const named = lexicon.concepts.get(match.value)!;
    // An ambiguous abbreviation counts only where the note names its organ ("MAC" in an echo, not a sedation line).
    if (named.abbreviationSites && named.abbreviations.includes(match.phrase) && !named.abbreviationSites.some(organsInNote)) continue;
    // A bare "calcified" right before another finding describes it ("a 1.2 cm calcified gallstone": the stone),
    // it is not a calcification of its own.
    if (named.id === 'calcification' && match.tokenEnd - match.tokenStart === 1 && concepts[firstStartingAtToken(concepts, match.tokenEnd)]?.tokenStart === match.tokenEnd) continue;
    let concept = conceptInNote(named, match, tokens, services, organsInNote);
    const own = sentenceOfToken(match.tokenStart);
    const reference = concept.anaphor ? anaphora.resolve(match, concept, sitesBySentence.at(own) ?? [], own, model.sentences[own]?.tokenStart ?? 0) : undefined;
    if (concept.anaphor) {
      if (!reference) continue;
      concept = reference.concept;
    }
    // "Calcification at the insertion of the medial rectus, consistent with senile scleral plaques": the plaque.
    if (placeDecidesCode(concept, anatomy)) {
      // A vessel is the tissue of a vessel's condition, not a place that codes it ("medial calcification of small
      // dermal arterioles with thrombosis, consistent with calciphylaxis": the calciphylaxis).
      const ofVessels = concept.category === 'vascular-calcification';
      const placeIn = (from: number, to: number) =>
        (sitesBySentence.at(own) ?? []).some((m) => m.tokenStart >= from && m.tokenEnd <= to && (!TISSUES.has(m.value) || (!ofVessels && (VESSELS.has(m.value) || isNamedStructure(m)))));
      const identified = identifiedAs(match, concepts, tokens, model.sentences[own]?.tokenEnd ?? match.tokenEnd, (m) => !placeDecidesCode(lexicon.concepts.get(m.value)!, anatomy), placeIn);
      if (identified) concept = lexicon.concepts.get(identified.value)!;
    }
    // A study's name ("CORONARY CALCIUM SCAN") is no finding; a score is one by its value.
    const measure = readMeasure(tokens, match, model.sentences[own]?.tokenEnd ?? match.tokenEnd);
    if (measure?.kind === 'study') continue;
    // A finding that labels a header ("CALCIFICATIONS: coarse, in the left breast.") is described by its value.
    const value = model.sentences[own]?.header ? headerValue(model, own) : -1;
    const sentence = value >= 0 ? value : own;
    const sectionIndex = model.sentences[sentence]?.section ?? 0;
    const section = model.sections[sectionIndex]!.kind;
    // Sites and sides from beyond the sentence only for concepts whose code needs them: a calciphylaxis
    // line does not borrow the shoulder of the line before.
    const needsSite = concept.axes.includes('site');
    const needsSide = concept.axes.includes('laterality');
    // An impression that restates a finding ("Calcified granuloma as above"), or a definite description that
    // refers back to one ("showed partial resorption of the calcification"), documents what its earlier mentions did.
    const keys = restatementKeys(concept.id, tokens, match);
    // A summary restates what the earlier mentions agree on; a definite description, failing that, the last one.
    const summary = inSummary(model, scopes, sentence);
    const restated = summary ? restatements.of(keys) : definite(tokens, match, model.sentences[own]?.tokenStart ?? 0) ? restatements.referent(keys) : undefined;
    // A concept that names its organ ("nephrolithiasis") has its site already.
    const organ = impliedSite(concept, anatomy);
    const restatedSite = !organ && restated?.site ? { ...restated.site, via: 'note' as const } : undefined;
    const chosenSite = chooseSite(match, sitesBySentence.at(sentence) ?? [], model, sectionIndex, sentence, needsSite ? earlierSites : undefined, scopes);
    let site = reference?.site ?? chosenSite?.evidence ?? restatedSite ?? (needsSite ? (titleSides.siteOf(sentence, match.start, sectionIndex) ?? governedSite(governing, section, sectionIndex)) : undefined);
    // A concept that names its organ ("gallstones", "calcified lymph node") is there, whatever else the
    // sentence names ("gallstones and a dilated common bile duct"); a place in its own words stays.
    if (organ && (!site || (site.via !== 'concept' && !anatomy.within(site.value, organ) && !TISSUES.has(organ)))) {
      site = { value: organ, start: match.start, end: match.end, via: 'concept' };
    } else if (!organ) {
      // A concept whose code is the same wherever it is names its structure by that code ("phlebolith": I87.8,
      // disorders of veins): that is its site, also in "pelvic phleboliths", where the pelvis only says where.
      const structure = structureOfCode(concept, services);
      if (structure && site?.value !== structure) site = { value: structure, start: match.start, end: match.end, via: 'concept' };
    }
    // A region of the site that the sentence names ("calcified disc at L5-S1", "OPLL from C3 to C6"): the
    // region a code family may need (M51.87, M48.8X2), where the site's own words say only "disc".
    if (site) site = regionOf(site, sitesBySentence.at(sentence), match, anatomy) ?? site;
    // A side from the report's structure for a concept whose code needs one, or a finding on a paired organ
    // ("PROCEDURE: Left ureteroscopy ... FINDINGS: 8 mm calculus in the proximal ureter"); a header's or
    // title's side only while the sentences under it name no other side.
    const pairedSite = site !== undefined && (anatomy.site(site.value)?.lateral === true || TISSUES.has(site.value));
    const governingSide = (needsSide || pairedSite) && GOVERNED.has(section) ? governing.side(sectionIndex) : undefined;
    const titleSide = titleSides.of(sentence, match.start, sectionIndex, site, (region) => namesPlaceOutside(sentence, region));
    const structure =
      titleSide !== undefined && scopes.admits(sentence, titleSide.value) ? titleSide : governingSide !== undefined && scopes.admits(sentence, governingSide.value) ? governingSide : undefined;
    const laterality = chooseSide(
      match,
      chosenSite?.evidence === site ? chosenSite : site && { evidence: site, match },
      sidesBySentence.at(sentence) ?? [],
      tokens,
      sideOfEarlierSite(site, sidesBySentence, model) ?? (site === undefined || pairedSite ? restatedSide(restated, site) : undefined),
      structure && { value: structure.value, start: structure.start, end: structure.end, via: 'section' },
      anatomy,
      (side) =>
        onAnotherFinding(side, match, concepts, model.sentences[own], tokens, (m) => {
          const organ = impliedSite(lexicon.concepts.get(m.value)!, anatomy);
          return organ !== undefined && organ !== site?.value;
        }),
    ) ?? reference?.side;
    // "heavily calcified 90% stenosis in the mid LAD", "severely calcified mid LAD lesion": the lexicon's
    // concept for the calcified coronary lesion the words describe (I25.84), not a calcified artery (I25.10).
    if (site) concept = lesionConcept(concept, site.value, match, tokens, services, sitesBySentence.at(sentence) ?? []) ?? concept;
    const found = etiologyEvidence(tokens, match, concept, (noteCauses ??= { matches: allEtiologies, byValue: indexByValue(allEtiologies) }), affirmed, sentenceCauses(sentence), lexicon, noteEtiologies);
    // With a place, the tissue named with it ("the ankle bursa"); with a tissue, the place it lies in: the organ
    // its words name ("renal artery"), else the limb a study's title names when the finding has the title's side
    // ("XR HAND 3 VIEWS LEFT ... calcification of the digital arteries": the left hand, I70.208, also where the
    // impression restates it; not "PELVIS AND LEFT HIP ... The right hip shows ... Vascular calcifications",
    // which the title's side does not reach).
    const fromTitle = titleSide !== undefined && laterality?.value === titleSide.value;
    const tissue =
      site && !TISSUES.has(site.value)
        ? tissueOf(match, sitesBySentence.at(sentence))
        : site &&
          (organOfStructure(text, site, anatomy) ??
            (fromTitle ? limbOnly(anatomy, titleSides.placeOfTissue(sentence, match.start, sectionIndex, site, (region) => namesPlaceOutside(sentence, region))) : undefined));
    const type =
      indexType(tokens, match, concept, site, anatomy) ??
      (site && anatomy.indexCoverage.hasOrgansWith(concept, site.value) ? organsTogether(tokens, match, concept, site, sitesBySentence.at(sentence) ?? [], { concepts, sentence: model.sentences[own]! }, context, services) : undefined) ??
      (site ? documentedCombination(tokens, match, model.sentences[own]!, anatomy.indexCoverage.combinationsAt(concept, site.value), context, sitesBySentence.at(own) ?? [], site.value) : undefined);
    let coding = suggestCodes(concept, site, laterality, found, services, tissue, type);
    // The causes the note documents elsewhere would each lead to this very code (heterotopic ossification after
    // an arthroplasty: M61.5- either way): no answer to a query about the link could change it. They stay its evidence.
    const sameEitherWay =
      missesCause(coding) &&
      found.length > 0 &&
      found.every((e) => e.via === 'note' && sameCoding(coding, suggestCodes(concept, site, laterality, [{ ...e, via: 'sentence' }], services, tissue, type)));
    if (sameEitherWay) coding = withoutCauseQuestion(coding);
    // "Cholelithiasis without obstruction": the detail is documented, absent; K80.20 asks nothing (absentDetail.ts).
    coding = withAbsentDetail(coding, tokens, match, model.sentences[own] ?? match, context, services.codes);
    // Causes found elsewhere in the note are kept only as evidence: for a query about the cause, or for the code.
    const keepsNoteCauses = sameEitherWay || missesCause(coding);
    // Assigned in this order (no spreads: this runs for every finding), the order JSON output shows.
    const finding = {
      conceptId: concept.id,
      preferred: concept.preferred,
      category: concept.category,
      start: match.start,
      end: match.end,
      text: text.slice(match.start, match.end),
      section,
      sentence: own,
      context: context.contextOf(match.tokenStart, match.tokenEnd),
    } as Finding;
    if (concept.negatedVariants.includes(match.phrase) && !finding.context.negated) {
      // "non-calcified nodule", "uncalcified": the words deny what they name.
      const phrase = match.phrase;
      finding.context = { ...finding.context, negated: { phrase, start: match.start, end: match.end, via: 'sentence' } };
    }
    if (measure && measure.value === 0 && !finding.context.negated) {
      // "Agatston score 0": the score documents the absence of what it measures.
      const phrase = text.slice(measure.scoreStart, measure.end).toLowerCase();
      finding.context = { ...finding.context, negated: { phrase, start: measure.scoreStart, end: measure.end, via: 'sentence' } };
    }
    if (site) finding.site = site;
    if (laterality) finding.laterality = laterality;
    finding.etiologies = keepsNoteCauses ? found : found.filter((e) => e.via !== 'note');
    if (measure) finding.measure = { value: measure.value, start: measure.start, end: measure.end };
    finding.coding = coding;
    const recorded = !finding.context.negated;
    if (recorded) restatements.add(keys, site, laterality);
    record?.trail.push(recorded ? keys : undefined);
    out.push(finding);
    anaphora.saw(finding);
    // A cause stated at one mention is the cause of the condition's other mentions (restatedCauses.ts).
    const current = isCurrent(finding);
    if (current && statesCause(finding)) (donors ??= []).push({ finding, keys });
    else if (current && (missesCause(coding) || concept.codeFamilies.some((r) => r.etiologies))) {
      const receiver = causeReceiver(finding, keys, { concept, site, laterality, found, tissue, type }, services);
      (receivers ??= []).push(receiver);
      record?.causeTakers.set(finding, receiver.names);
    }
  }
  if (receivers && donors) carryCauses(receivers, donors);
  markRemovedOrgans(out, model, services, context, matches.sides, matches.removals);
  return out;
}

/**
 * A finding that may take a cause stated at another mention (restatedCauses.ts), with what it was coded from
 * (passed in, not closed over in findFindings' loop).
 */
function causeReceiver(
  finding: Finding,
  keys: RestatementKeys,
  coded: { concept: LexiconConcept; site: Evidence<string> | undefined; laterality: Evidence<Side> | undefined; found: Evidence<string>[]; tissue: string | undefined; type: IndexCoverageEntry | undefined },
  services: FindingServices,
): CauseReceiver {
  const relevant = relevanceOf(services.lexicon, coded.concept);
  return {
    finding,
    keys,
    names: (value) => relevant({ value }),
    recode: (carried) => {
      const { concept, site, laterality, found, tissue, type } = coded;
      const causes = [...carried, ...found.filter((e) => !carried.some((c) => c.value === e.value))];
      finding.coding = suggestCodes(concept, site, laterality, causes, services, tissue, type);
      finding.etiologies = missesCause(finding.coding) ? causes : causes.filter((e) => e.via !== 'note');
    },
  };
}

/** An affirmed finding of the patient's, current or past (restatedCauses.ts: its causes are carried, it may take one). */
export function isCurrent(f: Finding): boolean {
  return !f.context.negated && !f.context.hypothetical && !f.context.experiencer;
}

/** Do two suggestions lead to the same codes, in the same family, with the same codes sequenced first? */
function sameCoding(a: CodeSuggestion, b: CodeSuggestion): boolean {
  const same = (x: readonly string[], y: readonly string[]) => x.length === y.length && x.every((c, k) => c === y[k]);
  return a.family === b.family && a.unspecified === b.unspecified && same(a.suggested, b.suggested) && same(a.codeFirst, b.codeFirst);
}

/** The suggestion without its question about the cause (a new object: suggestions are shared and frozen). */
function withoutCauseQuestion(coding: CodeSuggestion): CodeSuggestion {
  return { ...coding, missing: coding.missing.filter((m) => m.attribute !== 'etiology') };
}

/** Does the suggestion ask for a cause? */
function missesCause(coding: CodeSuggestion): boolean {
  for (const m of coding.missing) if (m.attribute === 'etiology') return true;
  return false;
}

/**
 * A finding of an organ removed in the past is the patient's history: "History of cholelithiasis status post
 * cholecystectomy", or a gallbladder finding in a note whose surgical history lists a cholecystectomy. The
 * removal counts only when it is itself in the past (a historical trigger or section governs it): in the
 * surgical or medical history it holds for the whole note; elsewhere only for its own sentence, and not in a
 * diagnosis list, where a discharge summary lists what the stay treated ("Cholelithiasis, s/p laparoscopic
 * cholecystectomy 01/08"). An operative report's "PROCEDURE: Laparoscopic cholecystectomy" leaves the stones
 * it finds current. A paired organ is gone only on the side removed.
 */
function markRemovedOrgans(
  findings: Finding[],
  model: TextModel,
  services: FindingServices,
  context: ContextAnnotations,
  allSides: readonly PhraseMatch<Side>[],
  scannedRemovals: readonly PhraseMatch<string>[] | undefined,
): void {
  const { anatomy } = services;
  const organOf = (f: Finding) => (f.site && anatomy.site(f.site.value)?.removedBy?.length ? f.site.value : undefined);
  if (!findings.some((f) => !f.context.historical && !f.context.negated && organOf(f))) return;
  const removals = new Map<string, Array<{ trigger: ContextTrigger; side: Side | undefined; sentence: number }>>();
  // The scan's matches when given: matching the whole note again here cost as much as the rest of an edit's analysis.
  for (const m of scannedRemovals ?? anatomy.removalMatcher.match(model.text, model.tokens)) {
    if (!context.contextOf(m.tokenStart, m.tokenEnd).historical) continue;
    const before = allSides[firstNotBefore(allSides, m) - 1];
    const side = before && m.tokenStart - before.tokenEnd <= 1 ? before.value : undefined;
    const sentence = sentenceAt(model, m.start);
    const kind = model.sections[model.sentences[sentence]?.section ?? 0]?.kind;
    const history = kind === 'past-surgical-history' || kind === 'past-medical-history';
    const list = removals.get(m.value) ?? [];
    list.push({ trigger: { phrase: m.phrase, start: m.start, end: m.end, via: history ? 'note' : 'sentence' }, side, sentence: history ? -1 : sentence });
    removals.set(m.value, list);
  }
  if (removals.size === 0) return;
  for (const f of findings) {
    if (f.context.historical || f.context.negated) continue;
    const organ = organOf(f);
    if (!organ) continue;
    const paired = anatomy.site(organ)?.lateral === true;
    const listed = DIAGNOSIS_LISTS.has(f.section);
    const removal = removals
      .get(organ)
      ?.find(
        (r) =>
          (r.sentence < 0 || (r.sentence === f.sentence && !listed)) &&
          (!paired || r.side === 'bilateral' || (r.side !== undefined && r.side === f.laterality?.value)),
      );
    if (removal) f.context = { ...f.context, historical: removal.trigger };
  }
}

/** Sections that list the diagnoses of the encounter. */
const DIAGNOSIS_LISTS: ReadonlySet<SectionKind> = new Set(['diagnosis', 'assessment-plan', 'impression', 'preoperative-diagnosis', 'postoperative-diagnosis']);

/** Does a concept's code depend on a place its name does not fix (plain "calcification", not "scleral plaque")? */
function placeDecidesCode(concept: LexiconConcept, anatomy: Anatomy): boolean {
  return impliedSite(concept, anatomy) === undefined && (concept.axes.includes('site') || concept.codeFamilies.some((r) => r.sites));
}

/** The organ a concept names by itself ("Calculus of gallbladder"), by the anatomy's words; memoised. */
const implied = new WeakMap<LexiconConcept, string | null>();
function impliedSite(concept: LexiconConcept, anatomy: Anatomy): string | undefined {
  let site = implied.get(concept);
  if (site === undefined) {
    const matches = anatomy.siteMatcher.match(concept.preferred, tokenize(concept.preferred));
    site = matches.find((m) => !TISSUES.has(m.value))?.value ?? null;
    implied.set(concept, site);
  }
  return site ?? undefined;
}

/**
 * The structure the official title of a concept's code names ("Other specified disorders of veins": vein;
 * "Tibial collateral bursitis [Pellegrini-Stieda]": the knee's tibial collateral ligament), for a concept whose
 * code depends on no site (no rule for a site, no site axis) and whose name names none; memoised per code set.
 */
const structures = new WeakMap<CodeIndex, WeakMap<LexiconConcept, string | null>>();
function structureOfCode(concept: LexiconConcept, { codes, anatomy }: FindingServices): string | undefined {
  let byConcept = structures.get(codes);
  if (!byConcept) structures.set(codes, (byConcept = new WeakMap()));
  let site = byConcept.get(concept);
  if (site === undefined) {
    site = null;
    const named = anatomy.siteMatcher.match(concept.preferred, tokenize(concept.preferred)).length > 0;
    if (!named && !concept.axes.includes('site') && !concept.codeFamilies.some((r) => r.sites)) {
      for (const rule of concept.codeFamilies) {
        const title = rule.etiologies ? undefined : codes.get(rule.code)?.title;
        const inTitle = title ? anatomy.siteMatcher.match(title, tokenize(title))[0] : undefined;
        if (inTitle) {
          site = inTitle.value;
          break;
        }
      }
    }
    byConcept.set(concept, site);
  }
  return site ?? undefined;
}

/**
 * A finding named by its imaging appearance ("coarse calcifications", "popcorn calcification", "rim
 * calcifications") names its organ only through its concept (a mammographic calcification: the breast, R92.1).
 * In a note that names that organ nowhere (a CT abdomen's coarse pancreatic calcifications) the words are the
 * plain concept their last word names ("calcifications"), whose site the sentence gives.
 */
function conceptInNote(concept: LexiconConcept, match: PhraseMatch<string>, tokens: Tokens, { lexicon, anatomy }: FindingServices, organsInNote: (organ: string) => boolean): LexiconConcept {
  if (concept.category !== 'imaging-finding') return concept;
  const organ = impliedSite(concept, anatomy);
  if (!organ || organsInNote(organ)) return concept;
  return phraseConcept(lexicon, tokens.norm(match.tokenEnd - 1)) ?? concept;
}

/** Head nouns that make a calcified vessel a lesion of it: "calcified ... lesion", "calcified ... stenosis". */
const LESION_HEADS = wordSet(['lesion', 'lesions', 'stenosis', 'stenoses']);
/** How many words may stand between a finding and the lesion it describes: "calcified [90 %] stenosis", "calcified [mid LAD] lesion". */
const LESION_REACH = 4;

/**
 * The concept the lexicon names "calcified <site> <head>" for a finding at a site whose words go on to a lesion
 * of it ("severely calcified mid LAD lesion": calcified coronary lesion), across numbers, percentages and place
 * words but no punctuation or other word; none when the lexicon has no such concept.
 */
function lesionConcept(
  concept: LexiconConcept,
  site: string,
  match: PhraseMatch<string>,
  tokens: Tokens,
  { lexicon, anatomy }: FindingServices,
  sentenceSites: readonly PhraseMatch<string>[],
): LexiconConcept | undefined {
  if (concept.category !== 'calcification' && concept.category !== 'vascular-calcification') return undefined;
  // A finding that is itself a plaque takes the plaque of its site ("calcified plaques along the left
  // hemidiaphragmatic pleura": calcified pleural plaques J92.0, not a vessel's plaque).
  const own = tokens.norm(match.tokenEnd - 1);
  if (OWN_HEADS.has(own)) return siteLesionConcept(concept, site, own, lexicon, anatomy);
  // Most findings have no lesion word after them: look for one first, and at the words between only then.
  let head = -1;
  for (let t = match.tokenEnd; t < tokens.length && t <= match.tokenEnd + LESION_REACH && head < 0; t++) if (LESION_HEADS.has(tokens.norm(t))) head = t;
  if (head < 0) return undefined;
  // Between the finding and the lesion word only numbers, percentages and place words ("90 %", "mid LAD").
  for (let t = match.tokenEnd; t < head; t++) {
    const word = tokens.norm(t);
    if (tokens.kind(t) === 'number' || word === '%' || LESION_PLACE_WORDS.has(word)) continue;
    if (tokens.isPunct(t) || !sentenceSites.some((m) => m.tokenStart <= t && t < m.tokenEnd)) return undefined;
  }
  return siteLesionConcept(concept, site, tokens.norm(head), lexicon, anatomy);
}

/** Head nouns a finding may end with that its site makes a lesion of that site: "calcified plaques" of the pleura. */
const OWN_HEADS = wordSet(['plaque', 'plaques']);

/** The concept the lexicon names "calcified <a name of the site> <head>", when it is not `concept` itself. */
function siteLesionConcept(concept: LexiconConcept, site: string, head: string, lexicon: FindingServices['lexicon'], anatomy: Anatomy): LexiconConcept | undefined {
  const named = anatomy.site(site);
  for (const noun of named ? [named.preferred, ...named.variants] : []) {
    const found = phraseConcept(lexicon, `calcified ${noun} ${head}`);
    if (found) return found.id !== concept.id ? found : undefined;
  }
  return undefined;
}

/** Words that say where along a vessel: "mid LAD lesion", "proximal RCA stenosis". */
const LESION_PLACE_WORDS = wordSet(['mid', 'proximal', 'distal', 'ostial', 'focal', 'long', 'tubular', 'eccentric', 'concentric', 'segment', 'vessel']);

/**
 * The concept a phrase names whole ("calcifications": calcification; "calcified coronary lesion"), per lexicon;
 * memoised (the phrases asked are a word of a finding's or a site word with a lesion word: a few hundred at most).
 */
const phraseConcepts = new WeakMap<Lexicon, Map<string, LexiconConcept | null>>();
function phraseConcept(lexicon: Lexicon, phrase: string): LexiconConcept | undefined {
  let byPhrase = phraseConcepts.get(lexicon);
  if (!byPhrase) phraseConcepts.set(lexicon, (byPhrase = new Map()));
  let concept = byPhrase.get(phrase);
  if (concept === undefined) {
    const whole = lexicon.conceptMatcher.match(phrase, tokenize(phrase)).find((m) => m.start === 0 && m.end === phrase.length);
    concept = (whole && lexicon.concepts.get(whole.value)) ?? null;
    byPhrase.set(phrase, concept);
  }
  return concept ?? undefined;
}

/**
 * The tissue named with a place ("the ankle bursa", "thigh muscle"): the place is the finding's site, and the
 * tissue may choose the code family ("Calcification, bursa, ankle" M71.47-). The nearest one in the sentence.
 */
/** Tokens a tissue may stand from the finding and still be the one named with its place. */
const TISSUE_REACH = 8;

function tissueOf(finding: PhraseMatch<string>, sentenceSites: PhraseMatch<string>[] | undefined): string | undefined {
  // Within a few words: a run-on sentence without a tissue must not make every finding look at every site.
  return sentenceSites ? nearestBy(sentenceSites, finding, (m) => distance(finding, m), (m) => TISSUES.has(m.value), TISSUE_REACH)?.value : undefined;
}

/**
 * The index's type of the finding written right before its words: one listed under its site ("congenital"
 * calculus of the kidney), else one listed under the main term itself ("ileal conduit calculus") when the
 * finding has no site or its site is not written with it ("CT of the abdomen and pelvis shows an ileal conduit
 * calculus"); "renal cortex calcification" is the kidney's, not the brain's "cortex".
 */
function indexType(tokens: Tokens, match: PhraseMatch<string>, concept: LexiconConcept, site: Evidence<string> | undefined, anatomy: Anatomy): IndexCoverageEntry | undefined {
  const coverage = anatomy.indexCoverage;
  if (!site) return typeBefore(tokens, match, coverage.typesAt(concept, ''));
  const typed = typeBefore(tokens, match, coverage.typesAt(concept, site.value));
  if (typed || site.via === 'concept') return typed;
  const plain = typeBefore(tokens, match, coverage.typesAt(concept, ''));
  if (!plain) return undefined;
  const from = match.tokenStart - typeWords(plain).length;
  // Written with the finding: inside or right before its words, or after them across at most a few words.
  const before = from > 0 && site.end > tokens.start(from - 1) && site.start < tokens.start(from);
  let after = site.start >= match.end;
  for (let t = match.tokenEnd; after && t < tokens.length && tokens.start(t) < site.start; t++) {
    if (tokens.isPunct(t) || t - match.tokenEnd >= 3) after = false;
  }
  return before || after || (site.start < match.end && site.end > tokens.start(from)) ? undefined : plain;
}

/**
 * The index's entry for two organs at once ("Calculus, gallbladder and bile duct" K80.70) when the note names
 * the other organ with the finding's: joined to its words by "and" ("calculus of the gallbladder and bile
 * duct"), or as the organ of an affirmed finding under the same main term in the sentence ("cholelithiasis and
 * choledocholithiasis"). A bile duct named apart ("gallstones; CBD 5 mm") is not.
 */
function organsTogether(
  tokens: Tokens,
  match: PhraseMatch<string>,
  concept: LexiconConcept,
  site: Evidence<string>,
  sentenceSites: readonly PhraseMatch<string>[],
  { concepts, sentence }: { concepts: readonly PhraseMatch<string>[]; sentence: TokenSpan },
  context: ContextAnnotations,
  { anatomy, lexicon }: FindingServices,
): IndexCoverageEntry | undefined {
  const coverage = anatomy.indexCoverage;
  const own = site.via === 'concept' ? match : sentenceSites.find((m) => m.start === site.start && m.value === site.value);
  if (!own) return undefined;
  const joined = (t: number) => tokens.norm(t) === 'and';
  for (const m of sentenceSites) {
    const next = m.tokenStart === own.tokenEnd + 1 && joined(own.tokenEnd);
    const before = m.tokenEnd + 1 === own.tokenStart && joined(m.tokenEnd);
    const entry = next || before ? coverage.forOrgans(concept, site.value, m.value) : undefined;
    if (entry) return entry;
  }
  // Both stated as present ("cholelithiasis with high risk of choledocholithiasis" names one stone).
  const stated = (m: PhraseMatch<string>) => {
    const c = context.contextOf(m.tokenStart, m.tokenEnd);
    return !c.negated && !c.uncertain && !c.hypothetical && !c.experiencer;
  };
  if (!stated(match)) return undefined;
  // The other concepts of its sentence, from the first (binary search: not every concept of the note, per finding).
  for (let k = firstStartingAtToken(concepts, sentence.tokenStart); k < concepts.length && concepts[k]!.tokenStart < sentence.tokenEnd; k++) {
    const m = concepts[k]!;
    if (m === match) continue;
    const other = lexicon.concepts.get(m.value);
    const organ = other && impliedSite(other, anatomy);
    const entry = organ ? coverage.forOrgans(concept, site.value, organ) : undefined;
    if (entry && coverage.forOrgans(other!, organ!, site.value) === entry && stated(m)) return entry;
  }
  return undefined;
}

function typeBefore(tokens: Tokens, finding: PhraseMatch<string>, types: readonly IndexCoverageEntry[]): IndexCoverageEntry | undefined {
  if (types.length === 0 || finding.tokenStart === 0) return undefined;
  // The word right before the finding, read once: only the types that end in it (most findings have none) are read.
  const candidates = typesByLastWord(types).get(tokens.norm(finding.tokenStart - 1));
  if (!candidates) return undefined;
  return candidates.find((entry) => {
    const words = typeWords(entry);
    const from = finding.tokenStart - words.length;
    return from >= 0 && words.every((w, k) => tokens.norm(from + k) === w);
  });
}

/** A list of index types (frozen and shared: indexCoverage.ts) by the last of their words, each in list order; made once per list. */
const BY_LAST_WORD = new WeakMap<readonly IndexCoverageEntry[], ReadonlyMap<string, readonly IndexCoverageEntry[]>>();
function typesByLastWord(types: readonly IndexCoverageEntry[]): ReadonlyMap<string, readonly IndexCoverageEntry[]> {
  let byWord = BY_LAST_WORD.get(types);
  if (!byWord) {
    const table = new Map<string, IndexCoverageEntry[]>();
    for (const entry of types) {
      const words = typeWords(entry);
      const last = words[words.length - 1]!;
      const list = table.get(last);
      if (list) list.push(entry);
      else table.set(last, [entry]);
    }
    BY_LAST_WORD.set(types, (byWord = table));
  }
  return byWord;
}

/** An index type's words ("congenital"; "ileal conduit"), split once per entry: asked for every finding. */
const TYPE_WORDS = new WeakMap<IndexCoverageEntry, readonly string[]>();
function typeWords(entry: IndexCoverageEntry): readonly string[] {
  let words = TYPE_WORDS.get(entry);
  if (!words) TYPE_WORDS.set(entry, (words = entry.type!.split(' ')));
  return words;
}

/**
 * The organ word of a named vessel or node ("cerebral" artery -> brain): the index may code the vessel within
 * the organ ("Calcification, cerebral, artery" I67.2), as it codes a place within a tissue.
 */
/** `place` when it is part of a limb (the hand, the knee), else undefined. */
function limbOnly(anatomy: Anatomy, place: string | undefined): string | undefined {
  return place !== undefined && onLimb(anatomy, place) ? place : undefined;
}

/** Is `place` part of a limb, a whole with sides (anatomy.json: the hand and wrist are part of the arm)? */
function onLimb(anatomy: Anatomy, place: string): boolean {
  const whole = anatomy.site(place)?.partOf;
  return whole !== undefined && anatomy.site(whole)?.lateral === true;
}

function organOfStructure(text: string, site: Evidence<string>, anatomy: Anatomy): string | undefined {
  const words = text.slice(site.start, site.end);
  const tokens = tokenize(words);
  // A vessel named for the place it runs in ("the left common femoral artery", "SFA"): that place (anatomy.json vessels).
  if (VESSELS.has(site.value)) {
    const place = anatomy.vesselMatcher.match(words, tokens)[0]?.value;
    if (place !== undefined) return place;
  }
  if (!/\s/.test(words)) return undefined;
  return anatomy.siteMatcher.match(words, tokens).find((m) => m.value !== site.value && !TISSUES.has(m.value))?.value;
}

/**
 * Matches by the sentence of their first token, in text order: a sentence's group is made when it is first
 * asked for (two binary searches), so a run that looks at a few sentences does not group the whole note's.
 */
class BySentence<M extends TokenSpan> {
  /** Per sentence: its group; null when it names none; undefined when not asked yet (index -1: `outside`). */
  private readonly groups: Array<M[] | null | undefined>;
  private outside: M[] | null | undefined;

  /** `matches`: in text order, not overlapping. */
  constructor(
    private readonly matches: readonly M[],
    private readonly sentences: readonly Sentence[],
  ) {
    this.groups = new Array<M[] | null | undefined>(sentences.length);
  }

  /** The matches whose first token is in sentence `s`; undefined for a sentence that names none. */
  at(s: number): M[] | undefined {
    const known = s >= 0 ? this.groups[s] : this.outside;
    if (known !== undefined) return known ?? undefined;
    const sentence = this.sentences[s];
    const { matches } = this;
    let group: M[] | undefined;
    if (sentence) {
      for (let k = firstStartingAtToken(matches, sentence.tokenStart); k < matches.length && matches[k]!.tokenStart < sentence.tokenEnd; k++) (group ??= []).push(matches[k]!);
    } else if (s === -1) {
      // The matches outside every sentence (sentenceOf: -1).
      for (const m of matches) if (sentenceOf(this.sentences, m.tokenStart) === -1) (group ??= []).push(m);
    }
    if (s >= 0 && s < this.groups.length) this.groups[s] = group ?? null;
    else if (s === -1) this.outside = group ?? null;
    return group;
  }
}

/** Does one of `spans` (in text order, not overlapping) share a token with tokens [from, to)? */
function sharesToken(spans: readonly TokenSpan[], from: number, to: number): boolean {
  const k = firstNotBefore(spans, { tokenStart: from, tokenEnd: to });
  return k < spans.length && spans[k]!.tokenStart < to;
}

/** The sentence token `t` is in, or -1 (binary search: sentences are in text order and do not overlap). */
function sentenceOf(sentences: readonly Sentence[], t: number): number {
  const k = firstNotBefore(sentences, { tokenStart: t, tokenEnd: t + 1 });
  return k < sentences.length && sentences[k]!.tokenStart <= t ? k : -1;
}

const evidence = <T>(m: PhraseMatch<T>, via: EvidenceSource): Evidence<T> => ({ value: m.value, start: m.start, end: m.end, via });
const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;

/** A site chosen for a finding, with the match that names it (whose side is the finding's). */
interface ChosenSite {
  evidence: Evidence<string>;
  match: PhraseMatch<string>;
}

/** Sections that list problems, one per line: a site on one line says nothing of the next. */
const LISTS: ReadonlySet<SectionKind> = new Set([
  'assessment-plan', 'impression', 'diagnosis', 'preoperative-diagnosis', 'postoperative-diagnosis', 'past-medical-history',
  'past-surgical-history', 'family-history', 'medications', 'allergies', 'chief-complaint', 'review-of-systems', 'procedure',
]);

/**
 * The site of a finding: one named inside its own words ("coronary artery calcification"), else the nearest
 * place in its sentence (a limb or organ before a tissue: "supraspinatus tendon" -> shoulder), else the
 * nearest one earlier in its section ("IMAGING: Right shoulder radiographs ... The deposit ..."); outside
 * narrative sections (a report without headers, a study header), only the sentence before it on its line
 * ("A mass in the right breast. It contains coarse calcification.").
 */
function chooseSite(
  finding: PhraseMatch<string>,
  sentenceSites: PhraseMatch<string>[],
  model: TextModel,
  sectionIndex: number,
  sentence: number,
  earlierSites: EarlierSites<PhraseMatch<string>> | undefined,
  scopes: SentenceScopes,
): ChosenSite | undefined {
  const rank = (m: PhraseMatch<string>) => (TISSUES.has(m.value) ? 1000 : 0) + distance(finding, m);
  const chosen = (match: PhraseMatch<string>, via: EvidenceSource): ChosenSite => ({ evidence: evidence(match, via), match });
  // A site overlapping the finding shares a token with it: none lies farther than 0 tokens.
  const inside = nearestBy(sentenceSites, finding, rank, (m) => overlaps(m, finding), 0);
  if (inside && (!TISSUES.has(inside.value) || isNamedStructure(inside))) return chosen(inside, 'concept');
  // "calcification of the splenic artery", "medial calcification of small dermal arterioles": the place its "of"
  // names is the finding's, over a nearer word across a verb ("Skin biopsy showed ...").
  const complement = ofComplement(finding, sentenceSites, model.tokens);
  if (complement) return chosen(complement, 'sentence');
  // A vessel or lymph node named with the finding is its site as much as an organ is ("calcification of the
  // splenic artery"); where the finding's own words name the tissue ("arterial calcification"), the place
  // near it says where.
  const structureRank = (m: PhraseMatch<string>) => (TISSUES.has(m.value) && !isNamedStructure(m) ? 1000 : 0) + distance(finding, m);
  const near = nearestBy(sentenceSites, finding, inside ? rank : structureRank, (m) => !overlaps(m, finding));
  // "Diffuse", "widespread" (multiple sites) say how far a vessel's calcification goes, not where: before a vessel
  // the sentence names after the finding ("Diffuse calcific plaque in the left common femoral artery": the artery)
  // that vessel is the site, and the vessel in the finding's own words stays its site ("diffuse vascular
  // calcifications"). For muscle and the like, multiple sites is a place of their codes (M61.49).
  if (near?.value === MULTIPLE_SITES && !inside) {
    const vessel = nearestBy(sentenceSites, finding, (m) => distance(finding, m), (m) => VESSELS.has(m.value) && m.start >= finding.end);
    if (vessel) return chosen(vessel, 'sentence');
  }
  if (near && !TISSUES.has(near.value) && !(inside && VESSELS.has(inside.value) && near.value === MULTIPLE_SITES)) return chosen((inLabel(near, model, sentence, scopes) && phraseHead(finding.tokenEnd, sentenceSites, model.tokens)) || near, 'sentence');
  // A vessel is a structure of its own ("the right superficial femoral artery"), and so is a lymph node the
  // note names ("hilar lymph nodes"): no earlier organ is its place.
  const vessel = [inside, near].some((m) => m && (VESSELS.has(m.value) || isNamedStructure(m)));
  const kind = model.sections[sectionIndex]!.kind;
  let earlier: PhraseMatch<string> | undefined;
  if (!vessel && NARRATIVE.has(kind)) earlier = earlierSites?.lastBefore(finding, sectionIndex);
  else if (!vessel && !LISTS.has(kind)) {
    // Elsewhere, only the sentence just before, on the same line (a dictated paragraph, not a list of lines),
    // for a sentence that goes on about it ("It contains ...", "There is ..."); or the one before a few such
    // sentences that go on about it too ("A mass in the right breast. It contains coarse calcification. The
    // mass is an oil cyst with rim calcification.").
    const candidate = earlierSites?.lastBefore(finding, sectionIndex);
    const named = candidate ? sentenceAt(model, candidate.start) : -1;
    // Or, for a finding whose sentence names no site at all, the organ its labelled block opens with.
    if (candidate && (goesOnAbout(model, named, sentence) || (!inside && !near && opensBlockOf(model, scopes, named, sentence)))) earlier = candidate;
  }
  if (earlier) return chosen(earlier, 'section');
  if (inside) return chosen(inside, 'concept');
  return near ? chosen(near, 'sentence') : undefined;
}

/** The region of `site` nearest the finding in its sentence, when the site has regions and one is named there. */
function regionOf(site: Evidence<string>, sentenceSites: readonly PhraseMatch<string>[] | undefined, finding: PhraseMatch<string>, anatomy: Anatomy): Evidence<string> | undefined {
  if (!sentenceSites || !anatomy.hasParts(site.value)) return undefined;
  const region = nearestBy(sentenceSites, finding, (m) => distance(finding, m), (m) => anatomy.site(m.value)?.partOf === site.value, REGION_REACH);
  return region ? evidence(region, 'sentence') : undefined;
}

/** How far from the finding its sentence may name the region: "disc space narrowing ... calcified disc at L5-S1". */
const REGION_REACH = 12;

/** How many words may stand between "of" and the place it names: "of the [left] [common] iliac artery". */
const OF_REACH = 4;

/**
 * The place an "of" right after the finding names, within OF_REACH words and before any punctuation: an organ
 * or limb, or a vessel or a named structure (a bare tissue such as "tendon" leaves the place to its limb).
 */
function ofComplement(finding: PhraseMatch<string>, sentenceSites: readonly PhraseMatch<string>[], tokens: Tokens): PhraseMatch<string> | undefined {
  const of = finding.tokenEnd;
  if (of >= tokens.length || tokens.norm(of) !== 'of') return undefined;
  return phraseHead(of + 1, sentenceSites, tokens);
}

/**
 * The place a noun phrase starting at token `first` names: the phrase ends at punctuation or a link word, within
 * OF_REACH words, and its last site is its head ("small dermal arterioles": the arterioles, not the skin "dermal"
 * names); an organ or limb, a vessel or a named structure, not a bare tissue.
 */
function phraseHead(first: number, sentenceSites: readonly PhraseMatch<string>[], tokens: Tokens): PhraseMatch<string> | undefined {
  let end = first;
  while (end < tokens.length && end < first + OF_REACH && !tokens.isPunct(end) && !PHRASE_LINKS.has(tokens.norm(end))) end++;
  let head: PhraseMatch<string> | undefined;
  // From the first site of the phrase (binary search: a run-on sentence has thousands), while within it.
  for (let k = firstNotBefore(sentenceSites, { tokenStart: first, tokenEnd: first }); k < sentenceSites.length; k++) {
    const m = sentenceSites[k]!;
    if (m.tokenEnd > end) break;
    if (m.tokenStart >= first) head = m;
  }
  return head && (!TISSUES.has(head.value) || VESSELS.has(head.value) || isNamedStructure(head)) ? head : undefined;
}

/**
 * Is `site` the label of the inline header its sentence opens with ("Brain: Partially calcified right
 * parafalcine meningioma")? The label names the block; the place the finding's own words go on to name (the
 * meningioma: the meninges) is the finding's, over it.
 */
function inLabel(site: PhraseMatch<string>, model: TextModel, sentence: number, scopes: SentenceScopes): boolean {
  return site.tokenStart === model.sentences[sentence]?.tokenStart && site.end <= scopes.inlineHeaderEnd(sentence);
}

/** Words that end the noun phrase after "of". */
const PHRASE_LINKS = wordSet(['and', 'or', 'with', 'without', 'in', 'at', 'on', 'to', 'from', 'is', 'are', 'was', 'were']);

/** Sentences that may go on about a place named before them, one after the other. */
const REFERRING_RUN = 3;

/**
 * Do the sentences after `named` up to `sentence` (at most REFERRING_RUN of them) each go on about what the one
 * before named: on the same line, each starting with a referring word?
 */
function goesOnAbout(model: TextModel, named: number, sentence: number): boolean {
  if (named < 0 || named >= sentence || sentence - named > REFERRING_RUN) return false;
  for (let s = named + 1; s <= sentence; s++) {
    const current = model.sentences[s]!;
    if (hasLineBreak(model.text, model.sentences[s - 1]!.end, current.start) || !REFERRING.has(model.tokens.norm(current.tokenStart))) return false;
  }
  return true;
}

/** First words of a sentence that goes on about what the one before named. */
export const REFERRING = wordSet(['it', 'this', 'these', 'those', 'that', 'there', 'they', 'which', 'the', 'within', 'in', 'also', 'additionally', 'its']);

/** Vessels among the tissues: named structures, not a tissue to place in an organ named before. */
const VESSELS = new Set(['artery', 'vein']);
/** "Diffuse", "widespread", "multiple sites": how far a finding goes, a place of a code only for some families (M61.49). */
const MULTIPLE_SITES = 'multiple-sites';

/**
 * The sites of a note, to find the last place (a site that is no tissue) before a finding in its section. Site
 * matches are in text order and do not overlap, so a binary search finds where to start; from there the search
 * goes back from place to place, jumping over tissues ("tendon", "muscle"), and stops at the section's start. A
 * findings section that names a tissue on every line no longer costs each finding a walk over all of them.
 */
export class EarlierSites<S extends TokenSpan & { value: string }> {
  /** For each site, the index of the last place at or before it whose section is known, or -1. */
  private lastPlace: Int32Array | undefined;

  /** `sectionOf(k)`: the number of the section site `k` is in (numbered in text order), if known. */
  constructor(
    private readonly sites: readonly S[],
    private readonly sectionOf: (k: number) => number | undefined,
  ) {}

  /** The last place that ends before `finding` in section `sectionIndex`. */
  lastBefore(finding: TokenSpan, sectionIndex: number): S | undefined {
    const last = (this.lastPlace ??= this.places());
    // Sections are numbered in text order: a place in an earlier section ends the search.
    for (let k = firstNotBefore(this.sites, finding) - 1; k >= 0; k--) {
      k = last[k]!;
      if (k < 0) return undefined;
      const section = this.sectionOf(k)!;
      if (section < sectionIndex) return undefined;
      if (section === sectionIndex) return this.sites[k];
    }
    return undefined;
  }

  private places(): Int32Array {
    const last = new Int32Array(this.sites.length);
    let place = -1;
    for (let k = 0; k < this.sites.length; k++) {
      if (!TISSUES.has(this.sites[k]!.value) && this.sectionOf(k) !== undefined) place = k;
      last[k] = place;
    }
    return last;
  }
}

/**
 * The side, from the phrase around the finding: a side word that modifies the finding ("bilateral
 * calcification", "left renal calculus") or its site ("right lobe of the liver", "the left common carotid
 * artery", "shoulder, left"); two sides joined by "and" are both ("to the left and the right of the midline").
 * A site from an earlier sentence brings the side of its phrase (`earlier`). Else, for a paired site or
 * none, the side word nearest the finding in its sentence; else `structure`: the single side that an inline
 * header, a study title or section header ("LEFT SHOULDER:", "RIGHT HIP RADIOGRAPH") or the diagnosis and
 * procedure headers before the section document (reportStructure.ts).
 */
function chooseSide(
  finding: PhraseMatch<string>,
  site: ChosenSite | undefined,
  sentenceSides: PhraseMatch<Side>[],
  tokens: Tokens,
  earlier: Evidence<Side> | undefined,
  structure: Evidence<Side> | undefined,
  anatomy: Anatomy,
  taken: (side: PhraseMatch<Side>) => boolean,
): Evidence<Side> | undefined {
  // In the heart and its vessels "right" and "left" name parts (right coronary artery, left main): no side.
  if (site && anatomy.site(site.evidence.value)?.sidesNameParts) return undefined;
  const attached = attachedSide(finding, sentenceSides, tokens) ?? (site && site.evidence.via !== 'section' ? attachedSide(site.match, sentenceSides, tokens) : undefined);
  if (attached) return attached;
  // A paired organ or limb, or a tissue (a tendon, an artery, a lymph node has its side); an unpaired organ has none.
  const paired = !site || anatomy.site(site.evidence.value)?.lateral !== false || TISSUES.has(site.evidence.value);
  // An organ named before with its side ("a 7 cm right pelvic mass. No calcification.") keeps that side. Many
  // places ("diffuse") under a title or header with a side are that side's (TitleSides.of says when).
  if (!paired) return earlier ?? (site?.evidence.value === MULTIPLE_SITES ? structure : undefined);
  // The nearest side of the sentence, unless another finding's own words carry it, one whose name puts it at
  // another place ("Scleral plaques and left optic disc drusen": the drusen's side, not the plaques').
  const nearest = nearestBy(sentenceSides, finding, (m) => distance(finding, m), (m) => !taken(m));
  if (nearest) return bothSides(nearest, sentenceSides, tokens) ?? evidence(nearest, overlaps(nearest, finding) ? 'concept' : 'sentence');
  return earlier ?? structure;
}

/**
 * Is `side` written onto another concept of the finding's sentence (inside its words or right before them), one
 * `elsewhere` says is at another place than the finding?
 */
function onAnotherFinding(
  side: PhraseMatch<Side>,
  finding: PhraseMatch<string>,
  concepts: readonly PhraseMatch<string>[],
  sentence: TokenSpan | undefined,
  tokens: Tokens,
  elsewhere: (concept: PhraseMatch<string>) => boolean,
): boolean {
  if (!sentence || overlaps(side, finding)) return false;
  const only = [side];
  for (let k = firstStartingAtToken(concepts, sentence.tokenStart); k < concepts.length && concepts[k]!.tokenStart < sentence.tokenEnd; k++) {
    const m = concepts[k]!;
    if (m !== finding && side.tokenEnd <= m.tokenEnd && m.tokenStart - side.tokenEnd <= SIDE_GAP && attachedSide(m, only, tokens) !== undefined && elsewhere(m)) return true;
  }
  return false;
}

/** Words that may stand between a side and the structure it names: "right [lobe of the] liver". */
const SIDE_GAP = 4;
/** What may stand between a structure and a side after it: "shoulder, left", "to the right". */
const POSITION_WORDS = wordSet([',', '(', 'to', 'on', 'at', 'the', 'of']);
/** Words that end the phrase a side belongs to. */
const PHRASE_BREAKS = wordSet(['and', 'or', 'but', 'with', 'without', 'is', 'are', 'was', 'were', 'has', 'have', 'to', 'in', 'at', 'on', 'from', 'no', 'not', 'than', 'versus', 'vs']);

/** The side word of the phrase that `span` heads: before it within the phrase, or right after it ("shoulder, left"). */
function attachedSide(span: TokenSpan, sides: readonly PhraseMatch<Side>[], tokens: Tokens): Evidence<Side> | undefined {
  const k = firstNotBefore(sides, span);
  // Inside the span itself ("left renal calculus" as one finding; "right shoulder" as one site).
  for (let i = k; i < sides.length && sides[i]!.tokenStart < span.tokenEnd; i++) {
    if (sides[i]!.tokenEnd <= span.tokenEnd) return bothSides(sides[i]!, sides, tokens) ?? evidence(sides[i]!, 'concept');
  }
  const before = sides[k - 1];
  if (before && span.tokenStart - before.tokenEnd <= SIDE_GAP) {
    let ok = true;
    for (let t = before.tokenEnd; t < span.tokenStart && ok; t++) ok = !tokens.isPunct(t) && !PHRASE_BREAKS.has(tokens.norm(t));
    if (ok) return bothSides(before, sides, tokens) ?? evidence(before, 'sentence');
  }
  // After it: "shoulder, left", "knee (right)", "calcifications to the left and the right of the midline".
  const after = sides[k];
  if (after && after.tokenStart >= span.tokenEnd && after.tokenStart - span.tokenEnd <= 3) {
    let ok = true;
    for (let t = span.tokenEnd; t < after.tokenStart && ok; t++) ok = POSITION_WORDS.has(tokens.norm(t));
    if (ok) return bothSides(after, sides, tokens) ?? evidence(after, 'sentence');
  }
  return undefined;
}

/** "left and right", "right and the left", "left or right": both sides, as one bilateral side. */
function bothSides(side: PhraseMatch<Side>, sides: readonly PhraseMatch<Side>[], tokens: Tokens): Evidence<Side> | undefined {
  if (side.value === 'bilateral') return undefined;
  const i = firstNotBefore(sides, side);
  const joined = (a: PhraseMatch<Side> | undefined, b: PhraseMatch<Side> | undefined) => {
    if (!a || !b || a.value === b.value || b.value === 'bilateral' || a.value === 'bilateral') return false;
    const gap = b.tokenStart - a.tokenEnd;
    if (gap < 1 || gap > 2) return false;
    const first = tokens.norm(a.tokenEnd);
    return (first === 'and' || first === 'or' || first === '&') && (gap === 1 || tokens.norm(a.tokenEnd + 1) === 'the');
  };
  const other = joined(side, sides[i + 1]) ? sides[i + 1]! : joined(sides[i - 1], side) ? sides[i - 1]! : undefined;
  if (!other) return undefined;
  const first = other.start < side.start ? other : side;
  const last = other.start < side.start ? side : other;
  return { value: 'bilateral', start: first.start, end: last.end, via: 'sentence' };
}

/**
 * The side a study title ("RIGHT HIP RADIOGRAPH", "DIAGNOSTIC MAMMOGRAM RIGHT": an upper-case line of its
 * own) or a section header ("LEFT SHOULDER:", "ULTRASOUND LEFT:") documents for the findings under it: a
 * header for its section, a title line until the next title line; an inline header ("LEFT BREAST: ...") the
 * sentences after it (reportStructure.ts). A title that names a site governs only findings of that site's
 * region (`sameRegion`) or of none. Built on first use, in one pass over the note's lines.
 */
class TitleSides {
  private titles: Array<{ start: number; title: Title | undefined }> | undefined;
  private readonly headers = new Map<number, Title | undefined>();
  private readonly inlineHeaders = new Map<number, Title | undefined>();

  constructor(
    private readonly model: TextModel,
    private readonly sides: readonly PhraseMatch<Side>[],
    private readonly sites: readonly PhraseMatch<string>[],
    private readonly scopes: SentenceScopes,
    private readonly sameRegion: (a: string, b: string) => boolean,
  ) {}

  /** `placeElsewhere(region)`: the finding's sentence names a place (not only a tissue) outside the region. */
  of(sentence: number, offset: number, sectionIndex: number, site: Evidence<string> | undefined, placeElsewhere: (region: string) => boolean): Evidence<Side> | undefined {
    const g = this.at(sentence, offset, sectionIndex);
    const tissueThere = this.placeOfTissue(sentence, offset, sectionIndex, site, placeElsewhere) !== undefined;
    // "Diffuse", "widespread" (multiple sites) under a title are places of the title's region, when the sentence
    // names no place outside it ("LEFT FOOT RADIOGRAPHS ... Diffuse tram-track vascular calcifications").
    const spread = site?.value === MULTIPLE_SITES && g?.site !== undefined && !placeElsewhere(g.site.value);
    if (!g || (g.site && site && !tissueThere && !spread && !this.sameRegion(g.site.value, site.value))) return undefined;
    return { value: g.side.value, start: g.side.start, end: g.side.end, via: 'section' };
  }

  /**
   * The place a tissue (vessels, a tendon) under a title or header lies in: the place the title names, when the
   * tissue's sentence names no other ("LEFT BREAST: ... A few vascular calcifications."; "FOOT ... calcification
   * of the dorsalis pedis artery and plantar arch"; not "Pelvic phleboliths" under "RIGHT HIP").
   */
  placeOfTissue(sentence: number, offset: number, sectionIndex: number, site: Evidence<string> | undefined, placeElsewhere: (region: string) => boolean): string | undefined {
    if (site === undefined || !TISSUES.has(site.value)) return undefined;
    const place = this.at(sentence, offset, sectionIndex)?.site?.value;
    return place !== undefined && !placeElsewhere(place) ? place : undefined;
  }

  /** The site the title names, for a finding under it that names none ("RIGHT HIP RADIOGRAPH ... IMPRESSION: Heterotopic ossification."). */
  siteOf(sentence: number, offset: number, sectionIndex: number): Evidence<string> | undefined {
    const site = this.at(sentence, offset, sectionIndex)?.site;
    return site && { value: site.value, start: site.start, end: site.end, via: 'section' };
  }

  private at(sentence: number, offset: number, sectionIndex: number): Title | undefined {
    // An inline header with a side ("LEFT BREAST: ...") governs the sentences under it, before the section's.
    const h = this.scopes.inlineHeaderOf(sentence);
    if (h >= 0) {
      let inline = this.inlineHeaders.get(h);
      if (!this.inlineHeaders.has(h)) {
        inline = this.titleIn(this.model.sentences[h]!.start, this.scopes.inlineHeaderEnd(h));
        this.inlineHeaders.set(h, inline);
      }
      if (inline) return inline;
    }
    let header = this.headers.get(sectionIndex);
    if (!this.headers.has(sectionIndex)) {
      const section = this.model.sections[sectionIndex];
      // The header, and the rest of its line when that is upper case too ("OPERATIVE REPORT: LEFT CAROTID ENDARTERECTOMY").
      let end = section ? section.start + section.title.length : 0;
      if (section?.title) {
        const lineEnd = lineEndAt(this.model.text, section.contentStart);
        if (!/\p{Ll}/u.test(this.model.text.slice(section.contentStart, lineEnd))) end = lineEnd;
      }
      header = section?.title ? this.titleIn(section.start, end) : undefined;
      this.headers.set(sectionIndex, header);
    }
    if (header) return header;
    const titles = (this.titles ??= this.titleLines());
    // The last title line that starts at or before the finding.
    const lo = firstStartingAt(titles, offset + 1);
    return titles[lo - 1]?.title;
  }

  /** Every upper-case line without a colon that is no section header, with the side it documents if any. */
  private titleLines(): Array<{ start: number; title: Title | undefined }> {
    const { text, sections } = this.model;
    const headerStarts = new Set(sections.filter((s) => s.title).map((s) => s.start));
    const out: Array<{ start: number; title: Title | undefined }> = [];
    for (let i = 0; i < text.length; ) {
      const end = lineBreakAt(text, i);
      let from = i;
      while (from < end && (text.charCodeAt(from) === 32 || text.charCodeAt(from) === 9)) from++;
      // Most lines of prose start with a lower-case letter, a digit or punctuation: no title, nothing to slice.
      const first = text.charCodeAt(from);
      if (from === end || (first < 128 && !(first >= 65 && first <= 90))) {
        i = end + 1;
        continue;
      }
      // A whole line, or its first sentence, in upper case without a colon; or a header line all in upper case
      // that names a side ("OPERATIVE REPORT: LEFT CAROTID ENDARTERECTOMY").
      const head = titleHead(text.slice(from, end));
      const upper = head !== undefined;
      if (upper && !headerStarts.has(from) && !head.includes(':')) out.push({ start: from, title: this.titleIn(from, from + head.length) });
      else if (upper && headerStarts.has(from)) {
        const title = this.titleIn(from, from + head.length);
        if (title) out.push({ start: from, title });
      }
      i = end + 1;
    }
    return out;
  }

  /** The one side text[start, end) names, with the first place it names. */
  private titleIn(start: number, end: number): Title | undefined {
    return titleIn(this.sides, this.sites, (site) => !TISSUES.has(site), start, end);
  }
}

/**
 * Do two sites share a region of the official titles: the same site, or one whose name is among the other's
 * title words (the hip's codes are those of the "pelvic region and thigh": a hip film shows the thigh)?
 */
function sameRegion(anatomy: Anatomy, a: string, b: string): boolean {
  if (a === b) return true;
  const x = anatomy.site(a);
  const y = anatomy.site(b);
  if (x === undefined || y === undefined) return false;
  if (x.titleTerms.includes(y.preferred) || y.titleTerms.includes(x.preferred)) return true;
  // Two parts of one limb: a hand radiograph shows the wrist ("XR HAND LEFT ... chondrocalcinosis of the TFCC").
  return x.partOf !== undefined && x.partOf === y.partOf && anatomy.site(x.partOf)?.lateral === true;
}

/**
 * A site taken from an earlier sentence brings its side along: "Right shoulder radiographs show ... An
 * echogenic calcific focus" is in the right shoulder. The side must stand right before the site.
 */
function sideOfEarlierSite(
  site: Evidence<string> | undefined,
  sidesBySentence: BySentence<PhraseMatch<Side>>,
  model: TextModel,
): Evidence<Side> | undefined {
  if (site?.via !== 'section') return undefined;
  const index = sentenceAt(model, site.start);
  const sentence = model.sentences[index];
  if (!sentence) return undefined;
  const there = (sidesBySentence.at(index) ?? [])
    .filter((m) => m.start >= sentence.start && m.end <= sentence.end)
    .sort((a, b) => Math.abs(a.start - site.start) - Math.abs(b.start - site.start));
  return there[0] ? evidence(there[0], 'section') : undefined;
}

/**
 * A finding is restated by a mention of the same concept, or one whose head noun is the same: its last word
 * ("fine linear branching calcifications", "suspicious calcifications") or, before a postposed modifier,
 * its first ("calcinosis" and "calcinosis cutis").
 */
function restatementKeys(conceptId: string, tokens: Tokens, match: PhraseMatch<string>): RestatementKeys {
  const word = (t: number) => headKey(tokens.norm(t));
  const last = word(match.tokenEnd - 1);
  return { concept: conceptId, words: match.tokenEnd - match.tokenStart > 1 ? [last, word(match.tokenStart)] : [last] };
}

/**
 * A head word as a restatement key: an "s" dropped ("calcifications" -> "calcification"). The same string each
 * time for the same word (a finding's head words are the lexicon's, a few hundred), so the tables keyed by it
 * hash it once instead of a new slice per finding; bounded all the same.
 */
const HEAD_KEYS = new Map<string, string>();
function headKey(word: string): string {
  let key = HEAD_KEYS.get(word);
  if (key === undefined) {
    if (HEAD_KEYS.size >= 10_000) HEAD_KEYS.clear();
    HEAD_KEYS.set(word, (key = word.endsWith('s') ? word.slice(0, -1) : word));
  }
  return key;
}

/**
 * The head of a line that may be a title (TitleSides; analysis reuse asks it of an edited line): the line, or its
 * first sentence ("SHOULDER RIGHT. FINDINGS: ..."), when the line starts with a capital (or a character beyond
 * ASCII) and the head is in upper case; else undefined. `line` starts at its first character that is no space or tab.
 */
export function titleHead(line: string): string | undefined {
  const first = line.charCodeAt(0);
  if (line.length === 0 || (first < 128 && !(first >= 65 && first <= 90))) return undefined;
  const stop = line.indexOf('. ');
  const head = stop > 0 ? line.slice(0, stop) : line;
  return head.length > 1 && head.length <= 120 && /\p{Lu}.*\p{Lu}/u.test(head) && !/\p{Ll}/u.test(head) ? head : undefined;
}

/** Words that make a description definite: what follows was named before. */
const DETERMINERS = wordSet(['the', 'this', 'these', 'that', 'those']);
/** Words (adjectives) that may stand between a determiner and the finding: "the heavy calcification". */
const DETERMINER_REACH = 2;

/** Is the finding a definite description ("the calcification", "this dense calcification")? */
function definite(tokens: Tokens, match: TokenSpan, sentenceStart: number): boolean {
  for (let t = match.tokenStart - 1; t >= sentenceStart && t >= match.tokenStart - 1 - DETERMINER_REACH; t--) {
    if (tokens.isPunct(t)) return false;
    if (DETERMINERS.has(tokens.norm(t))) return true;
  }
  return false;
}

/** The side earlier mentions documented, for a restatement whose own site (if any, a paired one) is theirs. */
function restatedSide(restated: ReturnType<Restatements['of']> | undefined, site: Evidence<string> | undefined): Evidence<Side> | undefined {
  if (!restated?.side || (site && site.value !== restated.site?.value)) return undefined;
  return { ...restated.side, via: 'note' };
}

/**
 * The place the diagnosis and procedure sections before a findings or operative section document, for a
 * finding there that names none ("Diagnosis: Right renal calculus ... Details: fragmentation of the calculus").
 */
function governedSite(governing: GoverningSections, section: SectionKind, sectionIndex: number): Evidence<string> | undefined {
  const site = GOVERNED.has(section) ? governing.site(sectionIndex) : undefined;
  return site && { ...site, via: 'section' };
}

/** The causes named in the note, in text order, and their indexes by value (`indexByValue`). */
interface NoteCauses {
  matches: readonly PhraseMatch<string>[];
  byValue: ReadonlyMap<string, readonly number[]>;
}

/** The causes named in a sentence, in text order, and their indexes by value (`indexByValue`). */
interface SentenceCauses {
  matches: PhraseMatch<string>[];
  byValue: ReadonlyMap<string, readonly number[]>;
}

/**
 * Etiologies in the finding's sentence (via "sentence": they decide the code); else, for a concept whose
 * coding depends on its cause, those elsewhere in the note that its rules or sequencing notes name (via
 * "note": a PMH of ESRD may explain calciphylaxis, but only the provider can link them, so they are evidence
 * for a query, never a code).
 */
function etiologyEvidence(
  tokens: Tokens,
  finding: PhraseMatch<string>,
  concept: LexiconConcept,
  etiologies: NoteCauses,
  affirmed: (m: PhraseMatch<string>) => boolean,
  sentenceCauses: SentenceCauses | undefined,
  lexicon: Lexicon,
  noteEtiologies: Map<string, Evidence<string>[]>,
): Evidence<string>[] {
  // Each cause once, where the sentence first names it outside the finding's own words, if the sentence links
  // it to the finding ("due to", "uremic calciphylaxis"): "history of diabetes and marked calcifications"
  // names two conditions, not a cause.
  const near = sentenceCauses ? firstOfEachValue(sentenceCauses.matches, sentenceCauses.byValue, finding).filter((m) => linksCause(tokens, finding, m)) : [];
  if (near.length > 0) return near.map((m) => evidence(m, 'sentence'));
  // Those elsewhere in the note depend on the concept only: found once per concept and note. Each cause its
  // concept's coding names, where the note first affirms it, in text order: looked for among the causes of that
  // value only (a note names a few causes many times; most are not this concept's).
  let inNote = noteEtiologies.get(concept.id);
  if (!inNote) {
    const relevant = relevanceOf(lexicon, concept);
    const chosen: number[] = [];
    for (const [value, indexes] of etiologies.byValue) {
      if (!relevant({ value })) continue;
      for (const i of indexes) {
        if (!affirmed(etiologies.matches[i]!)) continue;
        chosen.push(i);
        break;
      }
    }
    chosen.sort((a, b) => a - b);
    inNote = chosen.map((i) => evidence(etiologies.matches[i]!, 'note'));
    noteEtiologies.set(concept.id, inNote);
  }
  // "Neurogenic heterotopic ossification": words that say how the cause acts link the finding to the note's
  // causes that act so (a paraplegia), as "due to" would; not where they only name the concept ("metastatic calcification").
  const mechanism = inNote.length > 0 ? mechanismNamed(tokens, finding, concept) : undefined;
  return inNote.map((e) => ({ value: e.value, start: e.start, end: e.end, via: mechanism && lexicon.etiologies.get(e.value)?.mechanism === mechanism ? 'concept' : e.via }));
}

/** The words that name how an etiology acts ("neurogenic"), as the lexicon's mechanisms are written. */
const MECHANISM_WORDS = wordSet(ETIOLOGY_MECHANISMS);
/** How many plain words before a finding may still modify it: "neurogenic HO". */
const MODIFIER_REACH = 2;

/**
 * The mechanism a finding's own words, or the plain words right before them, say its cause acts by, when the
 * concept's own name does not say it.
 */
function mechanismNamed(tokens: Tokens, finding: TokenSpan, concept: LexiconConcept): string | undefined {
  for (let t = finding.tokenEnd - 1; t >= Math.max(0, finding.tokenStart - MODIFIER_REACH); t--) {
    if (t < finding.tokenStart && tokens.isPunct(t)) return undefined;
    const word = tokens.norm(t);
    if (MECHANISM_WORDS.has(word) && !concept.preferred.toLowerCase().includes(word)) return word;
  }
  return undefined;
}

/** Per lexicon and concept: which causes its rules or sequencing notes name (by the cause's id), as asked so far. */
const relevances = new WeakMap<Lexicon, WeakMap<LexiconConcept, (m: { value: string }) => boolean>>();

/**
 * Does the concept's coding name the cause `m`: one of its rules' causes, or a cause whose code its sequencing
 * notes ("code first", "code also", "use additional") name? Depends on the lexicon alone: kept per concept
 * across analyses (there are as many causes as the lexicon has), not worked out per note.
 */
function relevanceOf(lexicon: Lexicon, concept: LexiconConcept): (m: { value: string }) => boolean {
  let byConcept = relevances.get(lexicon);
  if (!byConcept) relevances.set(lexicon, (byConcept = new WeakMap()));
  let relevant = byConcept.get(concept);
  if (!relevant) {
    const named = new Set(concept.codeFamilies.flatMap((r) => r.etiologies ?? []));
    const sequencing = [...(concept.sequencing?.codeFirst ?? []), ...(concept.sequencing?.codeAlso ?? []), ...(concept.sequencing?.useAdditional ?? [])];
    const relevance = new Map<string, boolean>();
    relevant = (m) => {
      let r = relevance.get(m.value);
      if (r === undefined) {
        r = named.has(m.value) || (lexicon.etiologies.get(m.value)?.codes ?? []).some((code) => sequencing.some((f) => sameFamily(f, code)));
        relevance.set(m.value, r);
      }
      return r;
    };
    byConcept.set(concept, relevant);
  }
  return relevant;
}

/** Words that link a finding to a cause named after it: "due to", "secondary to", "from", "in the setting of". */
const CAUSAL_WORDS = wordSet([
  'due', 'secondary', 'from', 'after', 'because', 'caused', 'related', 'associated', 'attributed', 'attributable', 'setting',
  'in', 'with', 'post', 'following', 'induced', 'owing', 'given', 'of', 'by',
]);
/** Words after a cause that link it to a finding named later: "hyperparathyroidism causing", "ESRD with". */
const CAUSING_WORDS = wordSet(['causing', 'leading', 'resulting', 'with', 'induced', 'related', 'associated', 'producing']);
/** Tokens a cause may stand from its finding and still be linked to it. */
const CAUSE_REACH = 12;

/**
 * Does the sentence link `cause` to `finding`? After it, a causal word between them ("calcification due to
 * hypercalcemia", "calciphylaxis in a patient with ESRD"); before it, a word that says so ("hyperparathyroidism
 * with metastatic calcification") or nothing but modifiers ("uremic calciphylaxis", "post-traumatic
 * heterotopic ossification"). Bounded: a cause farther than CAUSE_REACH tokens is not linked.
 */
function linksCause(tokens: Tokens, finding: TokenSpan, cause: TokenSpan): boolean {
  if (distance(finding, cause) > CAUSE_REACH) return false;
  if (cause.tokenStart >= finding.tokenEnd) {
    for (let t = finding.tokenEnd; t < cause.tokenStart; t++) if (CAUSAL_WORDS.has(tokens.norm(t))) return true;
    return false;
  }
  let plain = true;
  for (let t = cause.tokenEnd; t < finding.tokenStart; t++) {
    const w = tokens.norm(t);
    if (CAUSING_WORDS.has(w)) return true;
    if ((tokens.isPunct(t) && w !== '-') || PHRASE_BREAKS.has(w)) plain = false;
  }
  return plain && finding.tokenStart - cause.tokenEnd <= 3;
}

/** "E21.1" and "E21.1", "I25.1-" and "I25.10": one names the other's family. */
function sameFamily(a: string, b: string): boolean {
  const x = a.replace(/-$/, '');
  const y = b.replace(/-$/, '');
  return x.startsWith(y) || y.startsWith(x);
}

function ruleApplies(rule: CodeRule, site: string | undefined, etiologies: ReadonlySet<string>): boolean {
  const siteOk = !rule.sites || (site !== undefined && rule.sites.includes(site));
  const etiologyOk = !rule.etiologies || rule.etiologies.some((e) => etiologies.has(e));
  return siteOk && etiologyOk;
}

/**
 * Suggestions by code set and lexicon, then by what decides them (concept, site, side, stated causes): a pure
 * function of immutable data, asked again for every finding of every analysis with the same few inputs.
 * Results are frozen and shared; a table that somehow grows past its cap starts over.
 */
const suggestions = new WeakMap<CodeIndex, WeakMap<Lexicon, SuggestionTable>>();
const MAX_SUGGESTIONS = 10_000;

/** concept -> site ('' for none) -> tissue ('' for none; "tissue#path" with an index type) -> side ('' for none) -> stated causes (sorted, comma-joined; '' for none). */
interface SuggestionTable {
  size: number;
  byConcept: Map<LexiconConcept, Map<string, Map<string, Map<string, Map<string, CodeSuggestion>>>>>;
}

const NO_CAUSES: readonly string[] = [];

function suggestCodes(
  concept: LexiconConcept,
  site: Evidence<string> | undefined,
  side: Evidence<Side> | undefined,
  etiologies: Evidence<string>[],
  services: FindingServices,
  tissue?: string,
  type?: IndexCoverageEntry,
): CodeSuggestion {
  // Only causes stated with the finding choose a code; ones elsewhere in the note are for the query (most
  // findings have none: no array, no set, no sort, no key to build).
  let etiologyIds = NO_CAUSES as string[];
  for (const e of etiologies) {
    if (e.via === 'note' || etiologyIds.includes(e.value)) continue;
    if (etiologyIds === NO_CAUSES) etiologyIds = [];
    etiologyIds.push(e.value);
  }
  if (etiologyIds.length > 1) etiologyIds.sort();
  let byLexicon = suggestions.get(services.codes);
  if (!byLexicon) suggestions.set(services.codes, (byLexicon = new WeakMap()));
  let table = byLexicon.get(services.lexicon);
  if (!table || table.size >= MAX_SUGGESTIONS) byLexicon.set(services.lexicon, (table = { size: 0, byConcept: new Map() }));
  const bySite = getOrAdd(table.byConcept, concept);
  // The site, then what else names the place: no key made by joining strings for most findings (a joined key is a
  // new string to hash on every look-up).
  const byDetail = getOrAdd(bySite, site?.value ?? '');
  const detail = type === undefined ? (tissue ?? '') : `${tissue ?? ''}#${type.path}`;
  const bySide = getOrAdd(byDetail, detail);
  const byCauses = getOrAdd(bySide, side?.value ?? '');
  const causes = etiologyIds.length === 0 ? '' : etiologyIds.join(',');
  let suggestion = byCauses.get(causes);
  if (!suggestion) {
    suggestion = deepFreeze(suggestUncached(concept, site?.value, side?.value, new Set(etiologyIds), services, tissue, type));
    byCauses.set(causes, suggestion);
    table.size++;
  }
  return suggestion;
}

/**
 * The code family: the alphabetic index's entry for a place within the tissue named with it ("bursa" and the
 * ankle: M71.47-); else the first hand-written rule whose site or cause conditions hold (for the site, then
 * for the tissue); else the concept's default rule; else the index's entry for the site under the concept's
 * main terms ("Calculus" and the prostate: N42.0) or for the tissue. `index`: the entry that gives the
 * default code when documentation goes no further than the family.
 */
function chooseRule(
  concept: LexiconConcept,
  site: string | undefined,
  tissue: string | undefined,
  etiologyIds: ReadonlySet<string>,
  anatomy: Anatomy,
  type?: IndexCoverageEntry,
): { rule?: CodeRule; index?: IndexCoverageEntry; bySite?: boolean } {
  const coverage = anatomy.indexCoverage;
  const fromIndex = (entry: IndexCoverageEntry) => ({ rule: { code: entry.family ?? entry.code.replace(/-$/, '') }, index: entry });
  // The index nests either way: a place within a tissue ("bursa, ankle") or a tissue within an organ ("cerebral, artery").
  const placed = tissue && site ? (coverage.forPlace(concept, tissue, site) ?? coverage.forPlace(concept, site, tissue)) : undefined;
  if (placed && etiologyIds.size === 0) return fromIndex(placed);
  // A cause the index lists under the site ("Calcification, adrenal, tuberculous" B90.8), stated with the finding.
  const caused = site && etiologyIds.size > 0 ? coverage.forCause(concept, site, etiologyIds) : undefined;
  if (caused) return { ...fromIndex(caused), bySite: true };
  // A type the index lists under the site, written before the finding ("Congenital calculus of the kidney" Q63.8).
  if (type && etiologyIds.size === 0) return { ...fromIndex(type), bySite: true };
  const conditioned = (where: string | undefined) => (r: CodeRule) => (r.sites !== undefined || r.etiologies !== undefined) && ruleApplies(r, where, etiologyIds);
  const rule = concept.codeFamilies.find(conditioned(site));
  if (rule) return { rule, index: site ? coverage.forSite(concept, site) : undefined };
  // A tissue on a limb takes the family of its limb ("calcification of the digital arteries" of a hand: the
  // native arteries of the extremities, I70.20-).
  const onItsLimb = site && TISSUES.has(site) && tissue && onLimb(anatomy, tissue) ? concept.codeFamilies.find((r) => r.sites !== undefined && conditioned(tissue)(r)) : undefined;
  if (onItsLimb) return { rule: onItsLimb, index: coverage.forSite(concept, tissue!) };
  // A tissue chooses the family only where the index codes places within it ("soft tissue" of the pelvis does not).
  const forTissue = tissue && coverage.hasPlacesWithin(concept, tissue) ? concept.codeFamilies.find((r) => r.sites !== undefined && conditioned(tissue)(r)) : undefined;
  if (forTissue) return { rule: forTissue, index: coverage.forSite(concept, tissue!) };
  const index = (site ? coverage.forSite(concept, site) : undefined) ?? (tissue && coverage.hasPlacesWithin(concept, tissue) ? coverage.forSite(concept, tissue) : undefined);
  // A concept with a default rule of its own ("metastatic calcification": E83.59; "calcified lymph node":
  // I89.8) keeps it wherever it is; the index chooses only for a concept that leaves the code to the site.
  const fallback = concept.codeFamilies.find((r) => ruleApplies(r, site, etiologyIds));
  if (fallback) return { rule: fallback, index };
  // The index's code for a documented organ: the site chose it, as a hand rule's `sites` would.
  return index ? { ...fromIndex(index), bySite: true } : {};
}

/**
 * The index's default code when documentation names no more than the family: the billable code of the entry
 * that chose it, or of the concept's own index paths, when it is that family or one of its codes.
 */
function indexDefault(concept: LexiconConcept, index: IndexCoverageEntry | undefined, family: string, codes: CodeIndex, anatomy: Anatomy): string | undefined {
  const fits = (e: IndexCoverageEntry | undefined) => e !== undefined && codes.isBillable(e.code) && (e.code.startsWith(family) || e.family === family);
  if (fits(index)) return index!.code;
  for (const path of concept.indexTerms) {
    const entry = anatomy.indexCoverage.forPath(path);
    if (fits(entry)) return entry!.code;
  }
  return undefined;
}

function getOrAdd<K, V>(map: Map<K, Map<string, V>>, key: K): Map<string, V> {
  let inner = map.get(key);
  if (!inner) map.set(key, (inner = new Map()));
  return inner;
}

function suggestUncached(
  concept: LexiconConcept,
  siteId: string | undefined,
  sideValue: Side | undefined,
  etiologyIds: ReadonlySet<string>,
  { codes, anatomy, lexicon }: FindingServices,
  tissue?: string,
  type?: IndexCoverageEntry,
): CodeSuggestion {
  const site = siteId === undefined ? undefined : { value: siteId };
  const side = sideValue === undefined ? undefined : { value: sideValue };
  const stated = [...etiologyIds].map((value) => ({ value }));
  const { rule, index, bySite } = chooseRule(concept, site?.value, tissue, etiologyIds, anatomy, type);
  // "Code first" applies once the underlying condition is documented; until then it is what a query asks for.
  const sequencingCodes = [...(concept.sequencing?.codeFirst ?? [])];
  const documentedCodes = stated.flatMap((e) => lexicon.etiologies.get(e.value)?.codes ?? []);
  const codeFirst = sequencingCodes.filter((f) => documentedCodes.some((code) => sameFamily(f, code)));
  const missing: CodeSuggestion['missing'] = [];
  if (!rule) {
    // No family without more documentation: a bare "calcification" needs its site before anything else.
    if (concept.axes.includes('site') && !site) missing.push({ attribute: 'site', options: [] });
    // A site no family codes (a calcification in a pelvic mass) is coded by what it is part of: a cause changes nothing.
    else if (concept.axes.includes('etiology') && etiologyIds.size === 0 && !(site && concept.axes.includes('site'))) {
      missing.push({ attribute: 'etiology', options: sequencingCodes });
    }
    return { suggested: [], missing, codeFirst };
  }
  // The cause matters when the family was not chosen by site: it may change the code (heterotopic
  // ossification: paralytic, traumatic, burns) or must be sequenced first (metastatic calcification).
  // A family the site chose ("a calcified fibroid" of the uterus, N85.8) asks for no cause.
  const needsEtiology = concept.axes.includes('etiology') && etiologyIds.size === 0 && !rule.sites && !bySite;
  // A tissue ("muscle", "tendon") chooses a family above but is not a place within one: "calcification of
  // muscle" with no limb named is the unspecified site, not "other site".
  // A tissue on a limb (the vessels of a hand film) is placed by its limb.
  const place = site && !TISSUES.has(site.value) ? site.value : tissue !== undefined && onLimb(anatomy, tissue) ? tissue : undefined;
  const resolved = resolveFamily(codes, anatomy, rule.code, { site: place, side: side?.value });
  // Where documentation stops at the family itself, the index's own code for the entry is the default
  // ("Calcification, bursa" M71.40, "Calculus, gallbladder" K80.20); what is missing is still asked for.
  const fallback = resolved.codes.length === 0 && resolved.reached === rule.code ? indexDefault(concept, index, rule.code, codes, anatomy) : undefined;
  missing.push(
    ...resolved.missing.map((m: MissingAxis) => ({ attribute: m.axis, options: [...m.options], choices: [...m.choices], ...(m.name ? { name: m.name } : {}) })),
  );
  if (needsEtiology) {
    // Asked only when documenting a cause would change the coding: another family, or a code sequenced first
    // (calciphylaxis is E83.59 whatever its cause; heterotopic ossification after surgery stays M61.5-).
    const options = [...new Set([...sequencingCodes, ...concept.codeFamilies.flatMap((r) => (r.etiologies && r.code !== rule.code ? [r.code] : []))])];
    if (options.length > 0) missing.push({ attribute: 'etiology', options });
  }
  return {
    family: rule.code,
    ...(rule.note ? { familyNote: rule.note } : {}),
    suggested: fallback ? [fallback] : [...resolved.codes],
    ...(resolved.unspecified ? { unspecified: resolved.unspecified } : {}),
    reached: resolved.reached,
    missing,
    codeFirst,
  };
}
