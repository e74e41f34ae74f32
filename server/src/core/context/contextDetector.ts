/**
 * ConText-style context of findings: negated, uncertain, hypothetical, historical, other experiencer.
 *
 * How a trigger governs a finding (Chapman's NegEx / Harkema's ConText, with Calx's choices):
 * - Triggers are found once per sentence, left to right, longest phrase first, on the tokens' normalised
 *   form. Each axis is matched on its own, as ConText runs one list per category: negation and uncertainty
 *   share one axis (NegEx keeps them in one list), hypothetical, historical and experiencer have theirs.
 *   So "not ruled out" (uncertain) hides the "not" and "ruled out" inside it, while "family history"
 *   (experiencer) does not hide the "history" of the historical axis (there a pseudo-trigger does).
 * - A pre-trigger governs forward to the end of its sentence, a post-trigger backward to its start; either
 *   scope stops at a terminator of the category ("but", "however", "except", ";") and at the next trigger
 *   or pseudo-trigger of the same axis (the closest trigger wins: "no fracture; possible calcification").
 *   Commas, "and" and "or" do not stop it: "no A, B or calcification" negates all three.
 * - A pseudo-trigger ("no change", "not only", "history and physical") covers the triggers inside it and has
 *   no scope of its own.
 * - A trigger never applies to a finding it overlaps. Section headers carry no scope.
 * - Phrase structure ends scopes too (see clauseEnd, opensAside): a finite verb after a negated noun phrase, a
 *   label's colon, the end of a parenthesis, "with" after a history; an uncertainty word right after a negation
 *   ("no signs of") is part of what is negated; a trigger inside a finding ends no scope over that finding.
 * - Scope is capped at MAX_SCOPE_TOKENS tokens from the trigger: dictated run-on "sentences" and long lists
 *   without punctuation would otherwise carry a negation across a whole paragraph.
 * - Section context: FAMILY HISTORY makes findings someone else's, PAST MEDICAL / SURGICAL HISTORY makes them
 *   historical; a sentence-level trigger of the same category takes precedence.
 * Pure: the model and the lexicon in, plain data with UTF-16 offsets out. Never throws on odd prose.
 */
import { firstStartingAtToken } from '../text/byStart';
import type { SectionKind } from '../text/sections';
import { headerValue, type TextModel } from '../text/textModel';
import { tokenize, type Tokens } from '../text/tokens';
import { idOf, registeredCount, registerWords, wordSet } from '../text/vocabulary';
import { PhraseMatcher } from '../text/phraseMatcher';
import type { CodeSetAsidePlace, CodeSetAsideRecord, ContextCategory, TriggerRecord, TriggerRole } from './schema';

/** Tokens a trigger's scope reaches at most, either way, even in a longer sentence. */
export const MAX_SCOPE_TOKENS = 50;

/** The trigger that gave a finding one of its context flags. */
export interface ContextTrigger {
  /** The phrase as the lexicon writes it ("no evidence of", "r/o"); for section context, the header as written. */
  phrase: string;
  /** Offset (UTF-16) of the trigger in the note; for section context, of the header. */
  start: number;
  /** Offset just after the trigger (or the header's title). */
  end: number;
  /**
   * A trigger in the finding's sentence, the section the finding lies in, or elsewhere in the note (an
   * organ's removal in the surgical history makes the organ's findings historical).
   */
  via: 'sentence' | 'section' | 'note';
}

/** The context of one finding: each flag present names the trigger that set it. */
export interface ContextFlags {
  /** Stated as absent: "no calcification", "negative for calculi", "calcification was not seen". */
  negated?: ContextTrigger;
  /** Possible but not established: "possible calcification", "cannot exclude", "rule out". */
  uncertain?: ContextTrigger;
  /** A reason for a test, a risk or a condition: "rule out", "if calcification persists", "at risk for". */
  hypothetical?: ContextTrigger;
  /** In the patient's past: "history of", "s/p", "previous"; a PAST MEDICAL/SURGICAL HISTORY section. */
  historical?: ContextTrigger;
  /** Someone other than the patient: "mother had ..."; a FAMILY HISTORY section. */
  experiencer?: ContextTrigger;
}

/** A trigger found in a sentence, with its scope (token indexes; empty ranges when it has none). */
export interface FoundTrigger {
  phrase: string;
  category: ContextCategory;
  /** The roles the lexicon gives the phrase for this category, combined (pre + post = both). */
  role: TriggerRole;
  tokenStart: number;
  tokenEnd: number;
  start: number;
  end: number;
  /** Index of the sentence. */
  sentence: number;
  /** Tokens governed after the trigger: [from, to). */
  forward: readonly [number, number];
  /** Tokens governed before the trigger: [from, to). */
  backward: readonly [number, number];
}

export interface ContextAnnotations {
  /** Every trigger, pseudo-trigger and terminator found, in text order (for hover, debugging and tests). */
  readonly triggers: readonly FoundTrigger[];
  /** The context of the finding covering tokens [tokenStart, tokenEnd). */
  contextOf(tokenStart: number, tokenEnd: number): ContextFlags;
}

const SECTION_CONTEXT: Partial<Record<SectionKind, ContextCategory>> = {
  'family-history': 'experiencer',
  'past-medical-history': 'historical',
  'past-surgical-history': 'historical',
};

/** Axis of a category: negated and uncertain compete (one is the closest trigger of the other). */
const AXIS: Record<ContextCategory, number> = { negated: 0, uncertain: 0, hypothetical: 1, historical: 2, experiencer: 3 };
const AXES = 4;

/** One category's reading of a phrase, roles combined. */
interface Entry {
  readonly phrase: string;
  readonly category: ContextCategory;
  readonly forward: boolean;
  readonly backward: boolean;
  readonly pseudo: boolean;
  readonly terminate: boolean;
}

interface TrieNode {
  readonly children: Map<string, TrieNode>;
  /** The same children by their word's id (vocabulary.ts), for tokens that have one (`Tokens.knownId`). */
  readonly byId: Map<number, TrieNode>;
  /** The entries of the phrase ending here, by axis. */
  readonly byAxis: Entry[][];
  /** Bit per axis that has an entry at this node. */
  axes: number;
}

const newNode = (): TrieNode => ({ children: new Map(), byId: new Map(), byAxis: [[], [], [], []], axes: 0 });

/**
 * The trigger phrases as a token trie. Phrases are tokenised with the same `tokenize` as notes, so
 * "r/o", "s/p" and "father's" match exactly the tokens a note produces for them.
 */
export class ContextLexicon {
  private readonly root = newNode();
  /** The root's children by word id, read without hashing (most tokens start no trigger). */
  private readonly rootById: Array<TrieNode | undefined>;
  /** Number of distinct phrases. */
  readonly phraseCount: number;
  /** Tokens of the longest phrase. */
  readonly maxPhraseTokens: number;
  private readonly best: Array<TrieNode | undefined> = new Array<TrieNode | undefined>(AXES).fill(undefined);
  private readonly bestEnd: number[] = new Array<number>(AXES).fill(0);
  /** The words that set aside a code written next to them (data/context/code-set-aside.json; codes/setAside.ts reads them). */
  readonly codeSetAside: PhraseMatcher<CodeSetAsidePlace>;
  /** Of those, the phrases that replace one code by another ("changed to", "instead of"): a code list reads them as separators. */
  readonly codeReplacements: readonly string[];

  constructor(records: readonly TriggerRecord[], codeSetAside: readonly CodeSetAsideRecord[] = []) {
    this.codeSetAside = new PhraseMatcher(codeSetAside.map((r) => ({ phrase: r.phrase, value: r.where })));
    this.codeReplacements = codeSetAside.filter((r) => r.reason === 'replacement').map((r) => r.phrase);
    const byNodeAndCategory = new Map<TrieNode, Map<ContextCategory, { phrase: string; roles: Set<TriggerRole> }>>();
    let maxPhraseTokens = 0;
    const words = new Set<string>();
    records.forEach((r, i) => {
      const tokens = tokenize(r.phrase);
      if (tokens.length === 0) throw new Error(`triggers[${i}]: phrase "${r.phrase}" has no tokens`);
      maxPhraseTokens = Math.max(maxPhraseTokens, tokens.length);
      let node = this.root;
      for (let k = 0; k < tokens.length; k++) {
        const norm = tokens.norm(k);
        words.add(norm);
        let next = node.children.get(norm);
        if (!next) node.children.set(norm, (next = newNode()));
        node = next;
      }
      let categories = byNodeAndCategory.get(node);
      if (!categories) byNodeAndCategory.set(node, (categories = new Map()));
      const entry = categories.get(r.category) ?? { phrase: r.phrase, roles: new Set<TriggerRole>() };
      entry.roles.add(r.role);
      categories.set(r.category, entry);
    });
    registerWords(words);
    const index = (node: TrieNode): void => {
      for (const [word, child] of node.children) {
        node.byId.set(idOf(word), child);
        index(child);
      }
    };
    index(this.root);
    this.rootById = new Array<TrieNode | undefined>(registeredCount() + 1).fill(undefined);
    for (const [id, child] of this.root.byId) this.rootById[id] = child;
    for (const [node, categories] of byNodeAndCategory) {
      for (const [category, { phrase, roles }] of categories) {
        const both = roles.has('both');
        node.byAxis[AXIS[category]]!.push(
          Object.freeze({
            phrase,
            category,
            forward: both || roles.has('pre'),
            backward: both || roles.has('post'),
            pseudo: roles.has('pseudo'),
            terminate: roles.has('terminate'),
          }),
        );
        node.axes |= 1 << AXIS[category];
      }
    }
    this.phraseCount = byNodeAndCategory.size;
    this.maxPhraseTokens = maxPhraseTokens;
  }

  /**
   * The longest phrase of each axis starting at token `i` (not beyond `end`) whose axis bit is in `wanted`:
   * returns the bits of the axes that have one, whose entries and end `foundEntries(axis)` and
   * `foundEnd(axis)` then give (until the next call). Used by `annotateContext`.
   * @internal
   */
  matchAt(tokens: Tokens, i: number, end: number, wanted: number): number {
    // Most tokens start no trigger: answer them before touching anything.
    let node: TrieNode | undefined = this.root;
    // The trie's words are registered: a token that is none (no id, `known` undefined) starts no trigger.
    if (i >= end) return 0;
    const firstId = tokens.knownId(i);
    if (firstId !== 0) {
      if (this.rootById[firstId] === undefined) return 0;
    } else {
      const first = tokens.known(i);
      if (first === undefined || !this.root.children.has(first)) return 0;
    }
    // Scratch space reused across calls (nothing here re-enters matchAt): no arrays per token.
    const best = this.best;
    const bestEnd = this.bestEnd;
    best.fill(undefined);
    for (let j = i; j < end; j++) {
      const id = tokens.knownId(j);
      if (id !== 0) node = node === this.root ? this.rootById[id] : node.byId.get(id);
      else {
        const norm = tokens.known(j);
        if (norm === undefined) break;
        node = node.children.get(norm);
      }
      if (!node) break;
      const hits = node.axes & wanted;
      if (hits === 0) continue;
      for (let a = 0; a < AXES; a++) {
        if (hits & (1 << a)) {
          best[a] = node;
          bestEnd[a] = j + 1;
        }
      }
    }
    let axes = 0;
    for (let a = 0; a < AXES; a++) if (best[a]) axes |= 1 << a;
    return axes;
  }

  /** @internal The entries of the phrase `matchAt` found on `axis`. */
  foundEntries(axis: number): readonly Entry[] {
    return this.best[axis]!.byAxis[axis]!;
  }

  /** @internal The token index just after the phrase `matchAt` found on `axis`. */
  foundEnd(axis: number): number {
    return this.bestEnd[axis]!;
  }
}

/** An occurrence of a phrase on one axis: its entries of that axis; token indexes count from its sentence's first. */
interface Occurrence {
  tokenStart: number;
  tokenEnd: number;
  entries: readonly Entry[];
}

/**
 * A scoped trigger of one category, as `contextOf` checks it: it governs tokens [tokenEnd, forwardEnd) and
 * [backwardStart, tokenStart). One object per trigger (a 50 KB note has about a thousand), frozen and kept in
 * its sentence's memo: token indexes count from the sentence's first token and offsets from its start, so it
 * holds wherever the paragraph moves and no analysis copies it. The `ContextTrigger` a flag names is made, in
 * the note's offsets, the first time the trigger sets one in an analysis.
 */
interface Scoped {
  category: ContextCategory;
  phrase: string;
  tokenStart: number;
  tokenEnd: number;
  start: number;
  end: number;
  forwardEnd: number;
  backwardStart: number;
  /** The forward scope ends where a trigger of the axis begins (one inside a finding does not end it for that finding). */
  forwardCut: boolean;
  /** An uncertainty word that a negation just before it governs ("no signs of", "no findings suggesting"). */
  absorbed: boolean;
}

/**
 * Sets the flag of the category at `index` (CATEGORY_INDEX): a named property each, not one keyed by the
 * category's name (a look-up by name for every trigger of every span asked about).
 */
function setFlag(flags: ContextFlags, index: number, trigger: ContextTrigger): void {
  if (index === 0) flags.negated = trigger;
  else if (index === 1) flags.uncertain = trigger;
  else if (index === 2) flags.hypothetical = trigger;
  else if (index === 3) flags.historical = trigger;
  else flags.experiencer = trigger;
}

/** Each category's place in `contextOf`'s distances. */
const CATEGORY_INDEX: Readonly<Record<ContextCategory, number>> = { negated: 0, uncertain: 1, hypothetical: 2, historical: 3, experiencer: 4 };

/**
 * Answers `contextOf` for any span. A sentence's triggers are found the first time a span in it is asked
 * about, once: most sentences of a note hold no finding and are never searched. `triggers` searches all.
 */
export function annotateContext(model: TextModel, lexicon: ContextLexicon, memos?: readonly SentenceMemo[]): ContextAnnotations {
  const { tokens, sentences, sections } = model;
  /** Per sentence index: its scoped triggers, once searched (token indexes from the sentence's first token, offsets from its start). */
  const searched: Array<readonly Readonly<Scoped>[] | undefined> = new Array(sentences.length);
  const searchSentence = (sentenceIndex: number) => (searched[sentenceIndex] ??= scopedTriggers(model, lexicon, sentenceIndex, memos?.[sentenceIndex]));
  /** Per sentence index: the trigger each of its scoped triggers gave a flag, made the first time and shared by the spans it governs. */
  const made: Array<Array<ContextTrigger | undefined> | undefined> = new Array(sentences.length);
  let all: readonly FoundTrigger[] | undefined;
  // Each section's context category, looked up once per section (null: none), not once per span asked about.
  const categories: Array<ContextCategory | null | undefined> = new Array(sections.length);
  const sectionCategory = (sectionIndex: number): ContextCategory | undefined => {
    let category = categories[sectionIndex];
    if (category === undefined) categories[sectionIndex] = category = SECTION_CONTEXT[sections[sectionIndex]?.kind ?? 'other'] ?? null;
    return category ?? undefined;
  };
  const sectionTrigger = (sectionIndex: number): ContextTrigger | undefined => {
    const s = sections[sectionIndex];
    return s && s.title ? { phrase: s.title, start: s.start, end: s.start + s.title.length, via: 'section' } : undefined;
  };

  return {
    get triggers(): readonly FoundTrigger[] {
      if (!all) {
        // Every trigger, not only those that govern something (tests read this; an analysis never does).
        const found: FoundTrigger[] = [];
        for (let i = 0; i < sentences.length; i++) findTriggers(model, lexicon, i, memos?.[i], found);
        found.sort((a, b) => a.tokenStart - b.tokenStart || a.tokenEnd - b.tokenEnd || (a.category < b.category ? -1 : a.category > b.category ? 1 : 0));
        all = Object.freeze(found);
      }
      return all;
    },
    contextOf(tokenStart: number, tokenEnd: number): ContextFlags {
      const flags: ContextFlags = {};
      if (!(tokenStart >= 0 && tokenStart < tokens.length)) return flags;
      const targetEnd = Math.max(tokenStart + 1, Math.min(tokenEnd, tokens.length));
      const sentenceIndex = sentenceOfToken(model, tokenStart);
      if (sentenceIndex < 0) return flags;
      // The sentence's triggers count from its first token: the span is placed there too.
      const { tokenStart: first, start: offset } = sentences[sentenceIndex]!;
      const spanStart = tokenStart - first;
      const spanEnd = targetEnd - first;
      // The distance of the closest trigger of each category so far (by CATEGORY_INDEX; -1: none): numbers in a
      // small array, not keys added to an object, for every span asked about.
      const distance = [-1, -1, -1, -1, -1];
      let uncertainAbsorbed = false;
      const scoped = searchSentence(sentenceIndex);
      // Only triggers within reach can govern the target: scopes are capped, so a long sentence costs no more.
      const last = spanEnd + MAX_SCOPE_TOKENS;
      for (let k = firstStartingAtToken(scoped, spanStart - MAX_SCOPE_TOKENS - lexicon.maxPhraseTokens); k < scoped.length; k++) {
        const s = scoped[k]!;
        if (s.tokenStart > last) break;
        let d = -1;
        // A trigger inside the finding ends no scope over it ("no free fluid": "free" is part of the finding).
        if (s.tokenEnd <= spanStart && (spanStart < s.forwardEnd || (s.forwardCut && spanStart === s.forwardEnd))) d = spanStart - s.tokenEnd;
        else if (spanEnd <= s.tokenStart && spanEnd - 1 >= s.backwardStart) d = s.tokenStart - spanEnd;
        // A pre-trigger that begins before the finding and ends inside it ("no suspicious" before the finding
        // "suspicious calcifications") still governs it: its first words stand before the finding.
        else if (s.tokenStart < spanStart && s.tokenEnd > spanStart && s.tokenEnd < spanEnd && s.forwardEnd > s.tokenEnd) d = 0;
        if (d < 0) continue;
        const c = CATEGORY_INDEX[s.category];
        const best = distance[c]!;
        // The closest trigger wins; at equal distance the earlier one (a pre-trigger before a post-trigger).
        if (best < 0 || d < best) {
          distance[c] = d;
          const triggers = (made[sentenceIndex] ??= new Array(scoped.length));
          setFlag(flags, c, (triggers[k] ??= { phrase: s.phrase, start: offset + s.start, end: offset + s.end, via: 'sentence' }));
          if (s.category === 'uncertain') uncertainAbsorbed = s.absorbed;
        }
      }
      // An uncertainty word inside a negation's scope is part of what is negated: "no suspicious
      // calcifications", "no masses or suspicious-appearing microcalcifications", "no signs of tamponade".
      if (flags.negated && flags.uncertain && flags.negated.start < flags.uncertain.start && (uncertainAbsorbed || QUALIFIERS.has(flags.uncertain.phrase))) {
        delete flags.uncertain;
      }
      if (!flags.historical) {
        const prior = datedStudyBefore(model, sentenceIndex, tokenStart);
        if (prior) flags.historical = prior;
      }
      if (!flags.negated && sentences[sentenceIndex]!.header) {
        const none = labelValueNone(model, lexicon, sentenceIndex);
        if (none) flags.negated = none;
      }
      const category = sectionCategory(sentences[sentenceIndex]!.section);
      if (category && !flags[category]) {
        const trigger = sectionTrigger(sentences[sentenceIndex]!.section);
        if (trigger) flags[category] = trigger;
      }
      return flags;
    },
  };
}

/** Studies a report cites with their date ("Cardiac CT from 2023 showed ...", "Echo 2024: ..."). */
const STUDY_WORDS = wordSet([
  'ct', 'cta', 'ccta', 'mri', 'mr', 'mra', 'echo', 'echocardiogram', 'tte', 'tee', 'ultrasound', 'us', 'x-ray', 'xray', 'radiograph',
  'radiographs', 'films', 'film', 'study', 'scan', 'angiogram', 'angiography', 'catheterization', 'cath', 'mammogram', 'pet',
]);
/** Words that date a study by the year after them. */
const DATING_WORDS = wordSet(['from', 'in', 'dated']);
/** Tokens between a dated study and a finding it reports, at most. */
const MAX_DATED_STUDY_REACH = 25;

/**
 * A prior study cited with its year before the finding, in its sentence or in the header it is the value of:
 * "Cardiac CT from 2023 showed a coronary calcium score of 1,450", "Echo 2024: mild aortic valve sclerosis".
 * What that study showed is history: the year is written because the study is not today's. A year introduced
 * otherwise ("unchanged since 2022") dates a comparison, not a finding.
 */
function datedStudyBefore(model: TextModel, sentenceIndex: number, target: number): ContextTrigger | undefined {
  const { tokens, sentences, text } = model;
  let from = sentences[sentenceIndex]!.tokenStart;
  if (sentenceIndex > 0 && headerValue(model, sentenceIndex - 1) === sentenceIndex) from = sentences[sentenceIndex - 1]!.tokenStart;
  for (let y = Math.max(from + 1, target - MAX_DATED_STUDY_REACH); y < target; y++) {
    if (tokens.kind(y) !== 'number' || !/^(19|20)\d\d$/.test(tokens.norm(y))) continue;
    const before = tokens.norm(y - 1);
    const study = STUDY_WORDS.has(before) ? y - 1 : DATING_WORDS.has(before) && y - 2 >= from && STUDY_WORDS.has(tokens.norm(y - 2)) ? y - 2 : -1;
    if (study < 0) continue;
    const start = tokens.start(study);
    const end = tokens.end(y);
    return { phrase: text.slice(start, end).toLowerCase(), start, end, via: 'sentence' };
  }
  return undefined;
}

/** Values that say a labelled thing is absent, besides the negation triggers ("CALCIFICATIONS: 0"). */
const NONE_VALUES = wordSet(['0', 'zero', 'n/a', 'na', 'nil']);
/** Words that may follow a negation in a value ("None seen", "Negative, identified"): nothing else may. */
const VALUE_VERBS = wordSet(['seen', 'identified', 'noted', 'present', 'visualized', 'visualised', 'detected', 'demonstrated', 'evident', 'found', 'appreciated']);
/** Words a value of "none" may have ("None seen", "Not identified."). */
const MAX_VALUE_WORDS = 3;

/**
 * A header is a label, and what follows it on its line its value: "CALCIFICATIONS: None.", "RENAL CALCULI:
 * Negative.", "CALCIFICATIONS: 0" say the labelled finding is absent. The value is the sentence after the
 * header on the same line, of at most three words, that a negation trigger starts or that is a none-value.
 */
function labelValueNone(model: TextModel, lexicon: ContextLexicon, headerIndex: number): ContextTrigger | undefined {
  const { tokens, sentences, text } = model;
  const value = sentences[headerValue(model, headerIndex)];
  if (!value) return undefined;
  let first = -1;
  let last = -1;
  let words = 0;
  // The value ends with its line: a value without a full stop runs on into the next line's sentence.
  let valueEnd = value.tokenStart + 1;
  while (valueEnd < value.tokenEnd && !tokens.newlineBefore(valueEnd)) valueEnd++;
  for (let i = value.tokenStart; i < valueEnd; i++) {
    if (tokens.isPunct(i)) continue;
    if (first < 0) first = i;
    last = i;
    words++;
  }
  if (first < 0 || words > MAX_VALUE_WORDS) return undefined;
  const negated = 1 << AXIS.negated;
  const written = text.slice(tokens.start(first), tokens.end(last)).toLowerCase();
  let found = -1;
  if (NONE_VALUES.has(written)) found = last + 1;
  else if ((lexicon.matchAt(tokens, first, valueEnd, negated) & negated) !== 0 && lexicon.foundEntries(AXIS.negated).some((e) => !e.pseudo && !e.terminate)) {
    found = lexicon.foundEnd(AXIS.negated);
    for (let i = found; i < valueEnd; i++) if (!tokens.isPunct(i) && !VALUE_VERBS.has(tokens.norm(i))) return undefined;
  }
  if (found < 0) return undefined;
  const start = tokens.start(first);
  const end = tokens.end(Math.max(found, last + 1) - 1);
  return { phrase: text.slice(start, end).toLowerCase(), start, end, via: 'sentence' };
}

const ALL_AXES = (1 << AXES) - 1;
const NO_OCCURRENCES: Occurrence[] = Object.freeze([]) as never;
/** `searchOccurrences`'s cursors (it never re-enters itself). */
const CURSOR = new Int32Array(AXES);
const NO_TRIGGERS: Scoped[] = Object.freeze([]) as never;

/**
 * What the trigger search found in one sentence, kept between analyses by the note's scan (one memo per
 * sentence of a paragraph): the occurrences on each axis, with token indexes counted from the sentence's
 * first token, so they hold wherever the paragraph moves. `null`: none.
 */
export interface SentenceMemo {
  occurrences?: readonly (readonly Occurrence[])[] | null;
  /**
   * The sentence's triggers that govern something, with their scopes (`findTriggers`), token indexes counted
   * from the sentence's first token and offsets from its start.
   */
  scoped?: readonly Readonly<Scoped>[];
  /** Where the inline header that starts the sentence ends, from the sentence's start; -1: none (findings/reportStructure.ts). */
  inlineHeader?: number;
  /** The section kind that inline header names; null: none. */
  inlineHeaderKind?: SectionKind | null;
}

/**
 * `findTriggers` for an analysis, kept in the sentence's memo: the scopes depend on the sentence's own tokens
 * only, so they are worked out once while the sentence's unit is unchanged, and placed where it now stands.
 */
function scopedTriggers(model: TextModel, lexicon: ContextLexicon, sentenceIndex: number, memo: SentenceMemo | undefined): readonly Readonly<Scoped>[] {
  const kept = memo?.scoped;
  if (kept !== undefined) return kept;
  const { tokenStart: first, start: offset } = model.sentences[sentenceIndex]!;
  const found = findTriggers(model, lexicon, sentenceIndex, memo);
  const scoped = found.length === 0 ? NO_TRIGGERS : found.map((s) => Object.freeze(moved(s, -first, -offset)));
  if (memo) memo.scoped = scoped;
  return scoped;
}

/** A scoped trigger moved by `t` tokens and `d` characters. */
function moved(s: Readonly<Scoped>, t: number, d: number): Scoped {
  return {
    category: s.category,
    phrase: s.phrase,
    tokenStart: s.tokenStart + t,
    tokenEnd: s.tokenEnd + t,
    start: s.start + d,
    end: s.end + d,
    forwardEnd: s.forwardEnd + t,
    backwardStart: s.backwardStart + t,
    forwardCut: s.forwardCut,
    absorbed: s.absorbed,
  };
}

/**
 * The triggers of one sentence (none in a header) that govern something, with their scopes, in text order;
 * when `found` is given, every trigger of the sentence is pushed there too.
 * `memo`: the sentence's search from an earlier analysis of the same paragraph, if any; filled when empty.
 */
function findTriggers(
  model: TextModel,
  lexicon: ContextLexicon,
  sentenceIndex: number,
  memo: SentenceMemo | undefined,
  found?: FoundTrigger[],
): Scoped[] {
  const { tokens } = model;
  const sentence = model.sentences[sentenceIndex]!;
  if (sentence.header) return NO_TRIGGERS;
  const { tokenStart: first, tokenEnd: last } = sentence;
  let perAxis = memo?.occurrences;
  if (perAxis === undefined) {
    perAxis = searchOccurrences(tokens, first, last, lexicon);
    if (memo) memo.occurrences = perAxis;
  }
  if (perAxis === null) return NO_TRIGGERS;
  const scoped: Scoped[] = [];

  // Occurrences count tokens from the sentence's first: `first +` makes them the note's.
  for (const occurrences of perAxis) {
    for (let k = 0; k < occurrences.length; k++) {
      const occ = occurrences[k]!;
      const tokenStart = first + occ.tokenStart;
      const tokenEnd = first + occ.tokenEnd;
      for (const e of occ.entries) {
        // The scope: forward to [tokenEnd, forwardEnd), backward to [backwardStart, tokenStart).
        let forwardEnd = tokenEnd;
        let backwardStart = tokenStart;
        let forwardCut = false;
        if (!e.pseudo && e.forward) {
          forwardEnd = Math.min(last, tokenEnd + MAX_SCOPE_TOKENS);
          for (let m = k + 1; m < occurrences.length && first + occurrences[m]!.tokenStart < forwardEnd; m++) {
            const next = occurrences[m]!;
            if (e.category === 'negated' && isUncertain(next) && closeAfter(tokens, tokenEnd, first + next.tokenStart)) continue;
            // A trigger in a parenthesis opened after this one is an aside: "-ve for bleeding (occult nor overt), anemia".
            if (insideParenthesis(tokens, tokenEnd, first + next.tokenStart)) continue;
            if (blocks(next, e.category)) {
              forwardEnd = first + next.tokenStart;
              forwardCut = true;
              break;
            }
          }
          // The condition itself ("If ...") is hypothetical for the whole sentence, as ConText reads it.
          const inCondition = e.category === 'hypothetical' ? forwardEnd : conditionalClauseEnd(tokens, first, tokenEnd, forwardEnd);
          const clause = Math.min(clauseEnd(tokens, e, tokenEnd, forwardEnd), inCondition);
          if (clause < forwardEnd) forwardCut = false;
          forwardEnd = clause;
        }
        const absorbed =
          e.category === 'uncertain' && k > 0 && occurrences[k - 1]!.entries.some((p) => p.category === 'negated' && p.forward && !p.pseudo) &&
          closeAfter(tokens, first + occurrences[k - 1]!.tokenEnd, tokenStart);
        // "X, likely Y": a two-way trigger that opens an aside after a comma qualifies what follows it, not X.
        if (!e.pseudo && e.backward && !(e.forward && opensAside(tokens, tokenStart, tokenEnd, first, last))) {
          backwardStart = Math.max(first, tokenStart - MAX_SCOPE_TOKENS);
          for (let m = k - 1; m >= 0 && first + occurrences[m]!.tokenEnd > backwardStart; m--) {
            if (blocks(occurrences[m]!, e.category)) {
              backwardStart = first + occurrences[m]!.tokenEnd;
              break;
            }
          }
          // "vs" joins the alternatives on either side ("calcific tendinitis vs impingement"): backward it stops
          // at the punctuation before its phrase ("Calcific tendinitis, M75.32 - barbotage vs observation").
          if (ALTERNATIVES.has(e.phrase)) {
            for (let j = tokenStart - 1; j >= backwardStart; j--) {
              if (PHRASE_PUNCTUATION.has(tokens.norm(j))) {
                backwardStart = j + 1;
                break;
              }
            }
          }
          // A label's colon ends a negation's backward scope ("ADEQUACY: ... component is absent"), unless the
          // trigger is the label's value itself ("Calcification: none").
          if (e.category === 'negated') {
            for (let j = tokenStart - 2; j >= backwardStart; j--) {
              if (tokens.norm(j) === ':') {
                backwardStart = j + 1;
                break;
              }
            }
          }
        }
        const governs = forwardEnd > tokenEnd || backwardStart < tokenStart || forwardCut;
        // An entry that governs nothing (a pseudo-trigger, a terminator, a scope cut at once) allocates nothing
        // unless every trigger is asked for.
        if (!governs && !found) continue;
        const start = tokens.start(tokenStart);
        const end = tokens.end(tokenEnd - 1);
        found?.push({
          phrase: e.phrase,
          category: e.category,
          role: roleOf(e),
          tokenStart,
          tokenEnd,
          start,
          end,
          sentence: sentenceIndex,
          forward: [tokenEnd, forwardEnd],
          backward: [backwardStart, tokenStart],
        });
        if (governs) {
          scoped.push({ category: e.category, phrase: e.phrase, tokenStart, tokenEnd, start, end, forwardEnd, backwardStart, forwardCut, absorbed });
        }
      }
    }
  }
  return scoped.sort((a, b) => a.tokenStart - b.tokenStart);
}

/**
 * The longest trigger of each axis at each token of [first, last), left to right, matches of one axis never
 * overlapping; token indexes counted from `first`. `null` when there is none (most sentences).
 */
function searchOccurrences(tokens: Tokens, first: number, last: number, lexicon: ContextLexicon): Occurrence[][] | null {
  // An axis with no occurrence shares one empty list; a sentence with none has no lists at all (most).
  let perAxis: Occurrence[][] | null = null;
  // Where the next match of each axis may start: matches of one axis never overlap.
  const cursor = CURSOR;
  cursor.fill(first);
  for (let i = first; i < last; i++) {
    let wanted = ALL_AXES;
    if (perAxis) {
      wanted = 0;
      for (let a = 0; a < AXES; a++) if (cursor[a]! <= i) wanted |= 1 << a;
      if (wanted === 0) continue;
    }
    const axes = lexicon.matchAt(tokens, i, last, wanted);
    if (axes === 0) continue;
    perAxis ??= [NO_OCCURRENCES, NO_OCCURRENCES, NO_OCCURRENCES, NO_OCCURRENCES];
    for (let a = 0; a < AXES; a++) {
      if ((axes & (1 << a)) === 0) continue;
      const tokenEnd = lexicon.foundEnd(a);
      if (perAxis[a] === NO_OCCURRENCES) perAxis[a] = [];
      perAxis[a]!.push({ tokenStart: i - first, tokenEnd: tokenEnd - first, entries: lexicon.foundEntries(a) });
      cursor[a] = tokenEnd;
    }
  }
  return perAxis;
}

/**
 * Finite verbs that end a negated or historical noun phrase: what follows is a new predicate or, in dictation
 * without punctuation, a new clause ("there is no biliary dilatation the gallbladder contains gallstones").
 */
const CLAUSE_VERBS = wordSet([
  'is', 'are', 'was', 'were', 'has', 'have', 'had', 'contains', 'shows', 'showed', 'demonstrates', 'demonstrated', 'reveals', 'revealed',
  'measures', 'appears', 'remains', 'remained', 'indicates',
]);
/** Words that, after a comma, open an interpretation of what came before ("..., consistent with X"). */
const INTERPRETATION_WORDS = wordSet(['consistent', 'compatible', 'in']);
/** Modifiers that open a finding of its own after "and" ("history of diabetes and marked calcifications"). */
const OWN_MODIFIERS = wordSet([
  'marked', 'mild', 'mildly', 'moderate', 'moderately', 'severe', 'severely', 'extensive', 'dense', 'diffuse', 'heavy', 'significant', 'prominent', 'new',
]);

/**
 * Where the phrase structure ends the forward scope [from, to) of `trigger` (`to` when it does not):
 * - any scope ends with the parenthesis its trigger stands in; a negation also ends at a label's colon;
 * - negation and history govern a noun phrase: they stop at a finite verb after it ("no calcification is seen";
 *   "no pleural effusion the heart is enlarged there is dense calcification" in unpunctuated dictation), except
 *   a verb's own negation ("not", "nor"), which covers its clause;
 * - negation also stops at a comma that opens an interpretation ("without edema, consistent with calcified
 *   neurocysticercosis");
 * - a history governs its own item: it stops at "with" ("prior lumpectomy with dystrophic calcifications") and at
 *   "and" before a modifier that opens a finding of its own ("history of diabetes and marked calcifications").
 */
function clauseEnd(tokens: Tokens, trigger: Entry, from: number, to: number): number {
  const { category } = trigger;
  // A verb's negation ("not", "does not", "did not") negates its clause, verbs included: "I do not believe the
  // patient is having an MI", "she was not tachycardic, nor was she in atrial fibrillation".
  const verbal = category === 'negated' && VERBAL_NEGATION.test(trigger.phrase);
  let opened = false;
  for (let j = from; j < to; j++) {
    const w = tokens.norm(j);
    // A label ends a negation ("*** Not Obtainable *** REFERRING DIAGNOSIS: chest pain"), and so does the end of
    // the parenthesis the trigger stands in ("(slides not submitted) indicates a diagnosis of leukemia").
    if ((w === ':' && category === 'negated') || (w === ')' && !opened)) return j;
    if (w === '(') opened = true;
    if (category !== 'negated' && category !== 'historical') continue;
    // The token right after the trigger is read as part of it ("not shown"), never as a boundary.
    if (j > from && !verbal && CLAUSE_VERBS.has(w)) return j;
    // A coordinated clause with its own subject: "he is not cooperative and he is difficult to keep focused".
    if (j > from && CLAUSE_JOINS.has(w) && j + 1 < to && SUBJECT_PRONOUNS.has(tokens.norm(j + 1))) return j;
    if (category === 'negated') {
      if (w === ',' && j + 1 < to && INTERPRETATION_WORDS.has(tokens.norm(j + 1)) && (tokens.norm(j + 1) !== 'in' || (j + 2 < to && tokens.norm(j + 2) === 'keeping'))) return j;
    } else if (j > from && (w === 'with' || (w === 'and' && j + 1 < to && OWN_MODIFIERS.has(tokens.norm(j + 1))))) return j;
  }
  return to;
}

/** Words that open a conditional clause at the start of a sentence: "If no improvement in 3 months, ...". */
const CONDITIONAL_OPENERS = wordSet(['if', 'unless', 'should']);

/**
 * A trigger inside a sentence's opening conditional clause ("If no improvement in 3 months, arthroscopic
 * debridement of the deposit": the deposit is not negated) governs that clause only: its scope ends at the comma
 * that closes it. `to` when
 * the sentence opens with no such clause or the trigger lies after its comma.
 */
function conditionalClauseEnd(tokens: Tokens, first: number, from: number, to: number): number {
  if (first >= tokens.length || !CONDITIONAL_OPENERS.has(tokens.norm(first))) return to;
  for (let j = first + 1; j < to; j++) {
    if (tokens.norm(j) !== ',') continue;
    return j >= from ? j : to;
  }
  return to;
}

/** Conjunctions that, before a subject pronoun, start a clause of their own. */
const CLAUSE_JOINS = wordSet(['and', 'but', 'or', 'so']);
const SUBJECT_PRONOUNS = wordSet(['he', 'she', 'they', 'we', 'i', 'it', 'there', 'you']);

/** Is token `at` inside a parenthesis opened at or after `from` and not yet closed? */
function insideParenthesis(tokens: Tokens, from: number, at: number): boolean {
  let depth = 0;
  for (let j = from; j < at; j++) {
    const w = tokens.norm(j);
    if (w === '(') depth++;
    else if (w === ')' && depth > 0) depth--;
  }
  return depth > 0;
}

/** A negation trigger that negates a verb rather than name an absence. */
const VERBAL_NEGATION = /(^|\s)(not|nor)(\s|$)|n't/;
/** Tokens that may stand between a negation and an uncertainty word it governs ("no echocardiographic signs of"). */
const MAX_ABSORBED_GAP = 3;

/** Is the occurrence an uncertainty trigger (not a terminator or pseudo-trigger)? */
function isUncertain(occ: Occurrence): boolean {
  return occ.entries.some((e) => e.category === 'uncertain' && !e.pseudo && !e.terminate && (e.forward || e.backward));
}

/** Does token `at` follow `from` closely, with no punctuation between ("no findings suggesting")? */
function closeAfter(tokens: Tokens, from: number, at: number): boolean {
  if (at < from || at - from > MAX_ABSORBED_GAP) return false;
  for (let j = from; j < at; j++) if (tokens.isPunct(j)) return false;
  return true;
}

/** Does the trigger at [start, end) follow a comma and have words after it in its sentence (which ends at `last`)? */
/** Triggers that join two alternatives, each a phrase ("X vs Y", "X versus Y"). */
const ALTERNATIVES = wordSet(['vs', 'versus']);
/** Punctuation that ends the phrase before an alternative. */
const PHRASE_PUNCTUATION = wordSet([',', ';', ':', '-', '\u2013', '\u2014', '(', ')']);

function opensAside(tokens: Tokens, start: number, end: number, first: number, last: number): boolean {
  return start > first && tokens.norm(start - 1) === ',' && end < last && !tokens.isPunct(end);
}

/**
 * Uncertainty words that describe how a finding looks rather than doubt it: inside a negation they are part of
 * what is negated ("no masses or suspicious-appearing calcifications"), where "possible" in "no fracture,
 * possible calcification" starts a statement of its own.
 */
const QUALIFIERS = wordSet(['suspicious', 'suspicious appearing', 'suspicious-appearing', 'worrisome', 'concerning']);

/**
 * Does the occurrence end the scope of a trigger of `category`? Terminators of it, and any other trigger of the
 * axis, except a qualifier (see QUALIFIERS) within a negation.
 */
function blocks(occ: Occurrence, category: ContextCategory): boolean {
  return occ.entries.some((e) =>
    e.terminate ? e.category === category : (e.pseudo || e.forward || e.backward) && !(category === 'negated' && e.category === 'uncertain' && QUALIFIERS.has(e.phrase)),
  );
}

function roleOf(e: Entry): TriggerRole {
  if (e.pseudo) return 'pseudo';
  if (e.forward) return e.backward ? 'both' : 'pre';
  return e.backward ? 'post' : 'terminate';
}

/** Index of the sentence containing token `i` (binary search), or -1. */
function sentenceOfToken(model: TextModel, i: number): number {
  const { sentences } = model;
  let lo = 0;
  let hi = sentences.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = sentences[mid]!;
    if (i < s.tokenStart) hi = mid - 1;
    else if (i >= s.tokenEnd) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/**
 * The tokens covering the offsets [start, end): a finding found by offsets (a lexicon match, a code
 * mention) turned into the token span `contextOf` takes. Undefined when no token lies in the range.
 */
export function tokenSpanOf(model: TextModel, start: number, end: number): { tokenStart: number; tokenEnd: number } | undefined {
  const { tokens } = model;
  const lo = tokens.firstEndingAfter(start);
  let tokenEnd = lo;
  while (tokenEnd < tokens.length && tokens.start(tokenEnd) < end) tokenEnd++;
  return tokenEnd > lo ? { tokenStart: lo, tokenEnd } : undefined;
}
