/**
 * What a report's structure documents for a finding beyond its own sentence (issue 16): the side and place
 * of the diagnosis and procedure headers that govern the sections after them, the side of an inline header
 * ("RIGHT BREAST: ... LEFT BREAST: ...") for the sentences under it, and which sides the sentences before a
 * finding have already named (a header's side governs until another side is named).
 */
import type { Side } from '../attributes/anatomy';
import type { SentenceMemo } from '../context/contextDetector';
import { firstStartingAt } from '../text/byStart';
import type { PhraseMatch } from '../text/phraseMatcher';
import { headerOfLine, type SectionKind } from '../text/sections';
import type { TextModel } from '../text/textModel';
import { hasLineBreak } from '../text/lines';
import type { Tokens } from '../text/tokens';

/** Where an attribute from beyond the sentence was written. */
export interface Written<T> {
  value: T;
  start: number;
  end: number;
}

/** What a header or title documents: a side, and the place it names if any. */
export interface Title {
  side: Written<Side>;
  site: Written<string> | undefined;
}

/** The one side text[start, end) names, with the first place (`isPlace`) it names; none when it names two sides. */
export function titleIn(
  sides: readonly PhraseMatch<Side>[],
  sites: readonly PhraseMatch<string>[],
  isPlace: (site: string) => boolean,
  start: number,
  end: number,
): Title | undefined {
  const named = within(sides, start, end);
  if (named.length === 0 || named.some((x) => x.value !== named[0]!.value)) return undefined;
  // The place the side names ("PELVIS AND LEFT HIP": the hip), else the first one.
  const places = within(sites, start, end).filter((m) => isPlace(m.value));
  const site = places.find((m) => m.start >= named[0]!.end) ?? places[0];
  return { side: written(named[0]!), site: site && written(site) };
}

function within<T extends { start: number; end: number }>(list: readonly T[], start: number, end: number): T[] {
  const out: T[] = [];
  for (let k = firstStartingAt(list, start); k < list.length && list[k]!.end <= end; k++) out.push(list[k]!);
  return out;
}

const written = <T>(m: PhraseMatch<T>): Written<T> => ({ value: m.value, start: m.start, end: m.end });

/**
 * Sections that document what was operated on or studied, by rank: the diagnoses and the procedure first,
 * then why it was done (an indication's "right hand dominant" or "s/p left mastectomy" yields to them).
 */
const GOVERNING_RANK: ReadonlyMap<SectionKind, number> = new Map<SectionKind, number>([
  ['preoperative-diagnosis', 0],
  ['postoperative-diagnosis', 0],
  ['procedure', 0],
  ['diagnosis', 1],
  ['indication', 1],
]);

/**
 * The side and the place that the governing sections before a section document ("PREOPERATIVE DIAGNOSIS:
 * Left submandibular sialolithiasis. PROCEDURE: Left sialendoscopy ... FINDINGS: A 6 mm calculus"): of the
 * best-ranked sections that name any, the one value they agree on. Memoised per section.
 */
export class GoverningSections {
  private readonly memo = new Map<number, { side?: Written<Side>; site?: Written<string> }>();
  /**
   * Per section, the side and the place the governing sections before it agree on (`agreed`), worked out for
   * every section in one pass on first use (most notes' findings never ask).
   */
  private agreement: { sides: Array<PhraseMatch<Side> | undefined>; sites: Array<PhraseMatch<string> | undefined> } | undefined;

  constructor(
    private readonly model: TextModel,
    private readonly sides: readonly PhraseMatch<Side>[],
    private readonly sites: readonly PhraseMatch<string>[],
    private readonly isPlace: (site: string) => boolean,
    /** The sentence a token is in, or -1. */
    private readonly sentenceOfToken: (t: number) => number,
  ) {}

  private agree(): NonNullable<GoverningSections['agreement']> {
    const { model, sentenceOfToken } = this;
    // Each section's rank looked up once (-1: none), not once per match.
    const sectionRank = model.sections.map((section) => GOVERNING_RANK.get(section.kind) ?? -1);
    const { sentences } = model;
    const ranked = <T>(list: readonly PhraseMatch<T>[], keep: (m: PhraseMatch<T>) => boolean) => {
      const out: Array<{ m: PhraseMatch<T>; rank: number }> = [];
      // The matches come in text order: the sentence of each is found by walking on from the last one's (the
      // first sentence that ends after its first token, if it starts by then), with a search only if one
      // comes out of order.
      let at = 0;
      let last = -1;
      for (let j = 0; j < list.length; j++) {
        const m = list[j]!;
        const t = m.tokenStart;
        let index: number;
        if (t < last) index = sentenceOfToken(t);
        else {
          while (at < sentences.length && sentences[at]!.tokenEnd <= t) at++;
          index = at < sentences.length && sentences[at]!.tokenStart <= t ? at : -1;
        }
        last = t;
        const s = sentences[index];
        const rank = s === undefined ? -1 : sectionRank[s.section]!;
        if (rank >= 0 && keep(m)) out.push({ m, rank });
      }
      return out;
    };
    const starts = model.sections.map((section) => section.start);
    return { sides: agreedBefore(ranked(this.sides, () => true), starts), sites: agreedBefore(ranked(this.sites, (m) => this.isPlace(m.value)), starts) };
  }

  side(sectionIndex: number): Written<Side> | undefined {
    return this.at(sectionIndex).side;
  }

  site(sectionIndex: number): Written<string> | undefined {
    return this.at(sectionIndex).site;
  }

  private at(sectionIndex: number): { side?: Written<Side>; site?: Written<string> } {
    let found = this.memo.get(sectionIndex);
    if (!found) {
      found = {};
      const agreement = (this.agreement ??= this.agree());
      const side = agreement.sides[sectionIndex];
      const site = agreement.sites[sectionIndex];
      if (side) found.side = written(side);
      if (site) found.site = written(site);
      this.memo.set(sectionIndex, found);
    }
    return found;
  }
}

/**
 * For each of `befores` (ascending), of the matches (in text order) that start before it, those of the best rank
 * present: the first of them when they all have its value, else undefined. One pass over both lists, so a note
 * of many sections and governing matches costs their number, not their product. (Exported for its test.)
 */
export function agreedBefore<T>(list: ReadonlyArray<{ m: PhraseMatch<T>; rank: number }>, befores: readonly number[]): Array<PhraseMatch<T> | undefined> {
  const out = new Array<PhraseMatch<T> | undefined>(befores.length).fill(undefined);
  let first: PhraseMatch<T> | undefined;
  let bestRank = Infinity;
  let disagree = false;
  let k = 0;
  for (let s = 0; s < befores.length; s++) {
    for (; k < list.length && list[k]!.m.start < befores[s]!; k++) {
      const { m, rank } = list[k]!;
      if (rank < bestRank) {
        bestRank = rank;
        first = m;
        disagree = false;
      } else if (rank === bestRank && m.value !== first!.value) disagree = true;
    }
    out[s] = disagree ? undefined : first;
  }
  return out;
}

const SIDE_BITS: Readonly<Record<Side, number>> = { right: 1, left: 2, bilateral: 4 };
/** Words an inline header may have before its colon ("RIGHT BREAST:", "Left kidney:", "NONCARDIAC:"). */
const INLINE_HEADER_WORDS = 4;

/**
 * Per sentence, its scope within its section: the inline header it is under ("RIGHT BREAST: There are
 * scattered calcifications. LEFT BREAST: ... It contains fine pleomorphic calcifications."), and the sides
 * the sentences of the scope before it named. A header's or title's side governs a sentence only while no
 * other side has been named since ("PELVIS AND LEFT HIP ... The right hip shows osteoarthritis. Vascular
 * calcifications." names no side for the vessels). Built in one pass over the sentences on first use.
 */
export class SentenceScopes {
  private header: Int32Array | undefined;
  private named: Uint8Array | undefined;
  private readonly kinds = new Map<number, SectionKind | null>();

  /** `memos`: the scan's per-sentence memos (noteScan.ts), where each sentence's inline header is kept while its text is unchanged. */
  constructor(
    private readonly model: TextModel,
    private readonly sides: readonly PhraseMatch<Side>[],
    private readonly memos?: readonly SentenceMemo[],
  ) {}

  /** The sentence whose inline header governs sentence `s`, or -1. */
  inlineHeaderOf(s: number): number {
    if (!this.header) this.build();
    return this.header![s] ?? -1;
  }

  /** May a side `side` from a header or title govern sentence `s`: no other side named before it in its scope? */
  admits(s: number, side: Side): boolean {
    if (!this.named) this.build();
    return ((this.named![s] ?? 0) & ~SIDE_BITS[side]) === 0;
  }

  /** The section kind the inline header that starts sentence `h` names, if any; kept in its memo (or here without one). */
  inlineHeaderKind(h: number): SectionKind | undefined {
    const memo = this.memos?.[h];
    let kind = memo ? memo.inlineHeaderKind : this.kinds.get(h);
    if (kind === undefined) {
      const start = this.model.sentences[h]!.start;
      kind = headerOfLine(this.model.text.slice(start, this.inlineHeaderEnd(h)), start)?.kind ?? null;
      if (memo) memo.inlineHeaderKind = kind;
      else this.kinds.set(h, kind);
    }
    return kind ?? undefined;
  }

  /** The end of the inline header that starts sentence `s` (after its colon), or -1. */
  inlineHeaderEnd(s: number): number {
    const { tokens, sentences } = this.model;
    const sentence = sentences[s];
    if (!sentence || sentence.header) return -1;
    const first = sentence.tokenStart;
    const c = this.model.text.charCodeAt(tokens.start(first));
    if (!(c >= 65 && c <= 90)) return -1;
    // The first punctuation within the header's words must be a colon after a word; only then are the words
    // before it read for letters (most sentences start with a capital and have no colon there).
    let colon = first;
    while (colon < sentence.tokenEnd && colon - first <= INLINE_HEADER_WORDS && !tokens.isPunct(colon)) colon++;
    if (colon === first || colon >= sentence.tokenEnd || colon - first > INLINE_HEADER_WORDS || tokens.known(colon) !== ':') return -1;
    for (let t = first; t < colon; t++) if (!lettersOnly(this.model.text, tokens, t)) return -1;
    return tokens.end(colon);
  }

  /** How far from its start the inline header that starts sentence `s` ends, or -1; kept in the sentence's memo. */
  private inlineHeaderLength(s: number): number {
    const memo = this.memos?.[s];
    let length = memo?.inlineHeader;
    if (length === undefined) {
      const end = this.inlineHeaderEnd(s);
      length = end < 0 ? -1 : end - this.model.sentences[s]!.start;
      if (memo) memo.inlineHeader = length;
    }
    return length;
  }

  private build(): void {
    const { sentences } = this.model;
    const header = new Int32Array(sentences.length).fill(-1);
    const named = new Uint8Array(sentences.length);
    let section = -1;
    let current = -1;
    let mask = 0;
    let k = 0;
    for (let s = 0; s < sentences.length; s++) {
      const sentence = sentences[s]!;
      if (sentence.section !== section) {
        section = sentence.section;
        current = -1;
        mask = 0;
      }
      if (this.inlineHeaderLength(s) >= 0) {
        current = s;
        mask = 0;
      }
      header[s] = current;
      named[s] = mask;
      while (k < this.sides.length && this.sides[k]!.start < sentence.start) k++;
      for (; k < this.sides.length && this.sides[k]!.start < sentence.end; k++) mask |= SIDE_BITS[this.sides[k]!.value];
    }
    this.header = header;
    this.named = named;
  }
}

/**
 * Is token `t` letters only (its normalised form matches /^\p{L}+$/u)? An ASCII token is answered from its
 * characters without making its form (this runs for the first words of every sentence of a note); any other
 * character sends it to the regular expression.
 */
function lettersOnly(text: string, tokens: Tokens, t: number): boolean {
  const end = tokens.end(t);
  for (let i = tokens.start(t); i < end; i++) {
    const c = text.charCodeAt(i) | 32; // ASCII letters lower-cased
    if (c >= 97 && c <= 122) continue;
    if (text.charCodeAt(i) < 128) return false;
    return /^\p{L}+$/u.test(tokens.norm(t));
  }
  return true;
}

/**
 * Does sentence `named` open the labelled block that sentence `s` lies in, on the same line: the block's
 * label ("NONCARDIAC: Lungs clear. Small right calcified granuloma.", "SPLEEN: Normal size. Two calcified
 * granulomas.") or, under a section header, the header or the sentence right after it? The organ a block
 * opens with is the topic of the sentences under it that name none; a place named later in the block
 * (the nearest one before a finding, which the caller asks about) is not its opener and settles nothing. A
 * summary's block ("IMPRESSION: Right hip osteoarthritis. Chondrocalcinosis.") restates findings: what they
 * documented counts there (Restatements), not its opener.
 */
export function opensBlockOf(model: TextModel, scopes: SentenceScopes, named: number, s: number): boolean {
  if (named < 0 || named >= s || inSummary(model, scopes, s)) return false;
  const { sentences, text } = model;
  const h = scopes.inlineHeaderOf(s);
  let opens: boolean;
  if (h >= 0) opens = named === h;
  else {
    const first = firstOfSection(sentences, s);
    opens = sentences[first]!.header && (named === first || named === first + 1);
  }
  return opens && !hasLineBreak(text, sentences[named]!.end, sentences[s]!.start);
}

/** The first sentence of the section sentence `s` lies in: sentences are in section order, so a binary search. */
function firstOfSection(sentences: TextModel['sentences'], s: number): number {
  const section = sentences[s]!.section;
  let lo = 0;
  let hi = s;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sentences[mid]!.section < section) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Section kinds that sum up the findings before them ("IMPRESSION: Calcified granuloma as above."). */
const SUMMARIES: ReadonlySet<SectionKind> = new Set(['impression', 'assessment-plan']);

/** Is sentence `s` in a summary: an impression section, or under an inline "Impression:" in a one-paragraph report? */
export function inSummary(model: TextModel, scopes: SentenceScopes, s: number): boolean {
  const sentence = model.sentences[s];
  if (!sentence) return false;
  if (SUMMARIES.has(model.sections[sentence.section]!.kind)) return true;
  const h = scopes.inlineHeaderOf(s);
  if (h < 0) return false;
  const kind = scopes.inlineHeaderKind(h);
  return kind !== undefined && SUMMARIES.has(kind);
}

/** What one mention documented, and its place in the order mentions were recorded. */
interface Latest {
  order: number;
  site: Written<string> | undefined;
  side: Written<Side> | undefined;
}

/** What the earlier mentions of a finding agree on; null where they disagree. */
interface Documented {
  site?: Written<string> | null;
  side?: Written<Side> | null;
}

/**
 * The site and side earlier mentions of a finding documented, for a summary that restates it without them
 * ("Echogenic medullary pyramids in both kidneys, consistent with medullary nephrocalcinosis. IMPRESSION:
 * Medullary nephrocalcinosis."). A mention is the same finding when it is the same concept or ends in the
 * same word ("fine linear branching calcifications ... IMPRESSION: Suspicious linear branching
 * calcifications"); only a value all earlier mentions agree on counts. Kept per key as the mentions come, so
 * a note with many findings costs no more than one pass.
 */
export class Restatements {
  /** By concept id and by head word: two tables, so no key string is made per finding. */
  private readonly byConcept = new Map<string, Documented>();
  private readonly byWord = new Map<string, Documented>();
  /** The last mention under each key, numbered in the order they came. */
  private readonly lastByConcept = new Map<string, Latest>();
  private readonly lastByWord = new Map<string, Latest>();
  private added = 0;

  /** Records an affirmed mention under `keys` with what it documented. */
  add(keys: RestatementKeys, site: Written<string> | undefined, side: Written<Side> | undefined): void {
    record(this.byConcept, keys.concept, site, side);
    for (const word of keys.words) record(this.byWord, word, site, side);
    const latest: Latest = { order: this.added++, site, side };
    this.lastByConcept.set(keys.concept, latest);
    this.lastByWord.set(keys.words[0]!, latest);
  }

  /**
   * What a definite description ("the calcification") refers back to: the site (and side) the earlier
   * mentions agree on; where they name different sites, what the last earlier mention of the same concept
   * or head word documented ("Mild calcification of the aorta. The left SFA is heavily calcified ...
   * atherectomy given the dense calcification": the SFA's).
   */
  referent(keys: RestatementKeys): { site?: Written<string>; side?: Written<Side> } {
    const agreed = this.of(keys);
    return agreed.site ? agreed : this.latest(keys);
  }

  /** What the last earlier mention of the same concept or head word (the last word, not a first word that may only modify it: "calcific") documented. */
  private latest(keys: RestatementKeys): { site?: Written<string>; side?: Written<Side> } {
    let last = this.lastByConcept.get(keys.concept);
    const l = this.lastByWord.get(keys.words[0]!);
    if (l && (!last || l.order > last.order)) last = l;
    return last ? documented(last.site, last.side) : {};
  }

  /** The site and side that the earlier mentions under any of `keys` agree on. */
  of(keys: RestatementKeys): { site?: Written<string>; side?: Written<Side> } {
    let site: Written<string> | null | undefined;
    let side: Written<Side> | null | undefined;
    const fold = (d: Documented | undefined) => {
      if (!d) return;
      site = merge(site, d.site);
      side = merge(side, d.side);
    };
    fold(this.byConcept.get(keys.concept));
    for (const word of keys.words) fold(this.byWord.get(word));
    return documented(site, side);
  }
}

/** A site and a side, each only when there is one (no key for a missing one). */
function documented(site: Written<string> | null | undefined, side: Written<Side> | null | undefined): { site?: Written<string>; side?: Written<Side> } {
  const out: { site?: Written<string>; side?: Written<Side> } = {};
  if (site) out.site = site;
  if (side) out.side = side;
  return out;
}

/** What makes two mentions the same finding: the concept, and the head words (an "s" dropped: "calcification"). */
export interface RestatementKeys {
  concept: string;
  words: readonly string[];
}

function record(table: Map<string, Documented>, key: string, site: Written<string> | undefined, side: Written<Side> | undefined): void {
  let d = table.get(key);
  if (!d) table.set(key, (d = {}));
  if (site) d.site = d.site === undefined || (d.site !== null && d.site.value === site.value) ? (d.site ?? site) : null;
  if (side) d.side = d.side === undefined || (d.side !== null && d.side.value === side.value) ? (d.side ?? side) : null;
}

function merge<T>(a: Written<T> | null | undefined, b: Written<T> | null | undefined): Written<T> | null | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a !== null && b !== null && a.value === b.value ? a : null;
}
