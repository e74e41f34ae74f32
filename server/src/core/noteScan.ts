/**
 * The scan of a note: its tokens, section headers and sentences, the codes written in it and the matches of
 * the five vocabularies (concepts, etiologies, sites, sides, organ removals), everything later steps need from
 * the raw text.
 *
 * A note is scanned one unit at a time: a paragraph (it ends after a blank line), cut again after each line
 * that ends a sentence (`unitBounds`). Nothing the scan finds can cross a blank line: tokens and codes never
 * hold a line break, and a phrase split by a blank line is two paragraphs' words, not one phrase; headers are
 * lines, and a blank line ends a sentence. Nor can it cross the end of a line whose last character ends a
 * sentence whatever follows and is no word of any vocabulary. So the scan of a unit depends on its own text
 * only (and its sentences' section numbers on the headers before it), and a `ScanCache` kept per document lets
 * an edit rescan only the unit it touched: the others are reused, as they were when they have not moved,
 * shifted when text before them grew or shrank. Real dictated reports have paragraphs of dozens of sentences
 * and few blank lines: per paragraph, one keystroke rescanned most of such a note.
 *
 * Shifting is done in place, not by copying: a document's next scan takes over its last one. So a scan made
 * with a cache (and the analysis built on it) is good until the next scan with that cache, which the language
 * server honours by dropping a document's analysis before it makes the next one.
 *
 * Without a cache the same unit-by-unit scan runs, so results never depend on whether one was used.
 */
import type { Side } from './attributes/anatomy';
import type { SentenceMemo } from './context/contextDetector';
import { findCodeMentions, introducesCodeList, listsCodes, type CodeMention, type CodeVocabulary } from './text/codeMentions';
import { StartWords, type PhraseMatch, type PhraseMatcher } from './text/phraseMatcher';
import { findHeaders, type Header, type Section } from './text/sections';
import { splitSentences, type Sentence } from './text/sentences';
import { isLineBreak, isWhiteSpace, LineBreakCursor, nextLineStart } from './text/lines';
import { tokenize, Tokens } from './text/tokens';
import { SUPPRESSION_WORD } from './suppression';

export interface NoteScan {
  tokens: Tokens;
  headers: Header[];
  sentences: Sentence[];
  /** Codes written in the note, in text order. */
  mentions: CodeMention[];
  concepts: PhraseMatch<string>[];
  etiologies: PhraseMatch<string>[];
  sites: PhraseMatch<string>[];
  sides: PhraseMatch<Side>[];
  /** Removals of organs ("cholecystectomy", "right nephrectomy"'s last word). */
  removals: PhraseMatch<string>[];
  /** One per sentence: what the context trigger search found there, kept while the unit is unchanged. */
  sentenceMemos: SentenceMemo[];
  /** Some line holds "calx-ignore" (a suppression: suppression.ts reads them only then). */
  suppressions: boolean;
}

/** What a scan runs: the code vocabulary and the five phrase matchers. */
export interface Scanners {
  codes: CodeVocabulary;
  concepts: PhraseMatcher<string>;
  etiologies: PhraseMatcher<string>;
  sites: PhraseMatcher<string>;
  sides: PhraseMatcher<Side>;
  removals: PhraseMatcher<string>;
}

/**
 * One unit's scan (a paragraph or a stretch of one: see `unitBounds`), with the offset, first token index and
 * section number it was made (or last moved) for: `sectionBase` is the number of the section the unit starts in, its sentences' section numbers
 * count from there.
 */
export interface UnitScan extends NoteScan {
  /** Unique to this scan of a unit (a copy gets its own): the units a joined token list was made of, by id. */
  id: number;
  offset: number;
  tokenOffset: number;
  sectionBase: number;
  /** Scanned inside a paragraph whose last header before the unit lists codes (see `findCodeMentions`). */
  listing: boolean;
}

/**
 * Unit scans of one document, in text order. Each scan keeps only the units of the text it scanned, so the
 * cache never holds more than one version of the note (but see `previousLayout`). Tied to the scanners it was
 * filled with: new scanners (a custom term file, a licensed CPT file) empty it. The next scan moves the units it
 * reuses in place: what the last scan returned is then out of date (see the top of this file).
 */
export class ScanCache {
  private scanners: Scanners | undefined;
  /** How many units the last scan had, and how many of them it had to scan (for tests and the benchmark). */
  lastScan = { units: 0, scanned: 0 };
  /** How many analyses made with this cache were the last one moved (analysisReuse.ts; for tests and the benchmark). */
  reusedAnalyses = 0;
  /** How many were the last one moved after the sentences with findings that the edit changed were found again. */
  refoundAnalyses = 0;
  /** How many moved the last one's findings (found again where the edit changed them) but ran the rules again: a code changed. */
  movedFindings = 0;
  /** How many kept the last one's findings before the edit and found those from the edit on again (then the rules, or moved diagnostics). */
  foundFromEdit = 0;
  /** How many analyses made with this cache found their findings again but moved the last one's diagnostics. */
  reusedDiagnostics = 0;
  /** How many scans this cache has made: an analysis kept for reuse (analysisReuse.ts) names the scan it was made from. */
  generation = 0;
  /**
   * @internal The last scan's units in text order, and the scan's before it (for analysisReuse.ts, which lets
   * it go once it has compared them: it holds the older version of the note's text).
   */
  layout: ScanLayout | undefined;
  previousLayout: ScanLayout | undefined;
  /** @internal The note's tokens as one list as the last scan that was asked for them joined them (`joinTokens`). */
  joined: JoinedTokens | undefined;

  /** @internal The last scan's units, when it was made with these scanners. */
  take(scanners: Scanners): ScanLayout | undefined {
    if (this.scanners !== scanners) {
      this.scanners = scanners;
      this.layout = undefined;
      this.previousLayout = undefined;
      this.joined = undefined;
    }
    return this.layout;
  }

  /** @internal */ keep(lastScan: { units: number; scanned: number }, layout: ScanLayout): void {
    this.lastScan = lastScan;
    this.previousLayout = this.layout;
    this.layout = layout;
    this.generation++;
  }
}

/** The tokens of a scan's units as one list, with the units and where each one's tokens start in it. */
interface JoinedTokens {
  tokens: Tokens;
  /** The units' `id`s, not the units: a unit an edit has since replaced holds an older version of the text. */
  ids: readonly number[];
  starts: Int32Array;
}

/** A scan's units in text order: each unit's scan (as the scan placed it) and its text. */
export interface ScanLayout {
  parts: readonly UnitScan[];
  units: readonly string[];
}

/** What a set of scanners decides once: the words each matcher can start a match with, where units may end. */
interface Prepared {
  /** Of the five matchers in the order concepts, etiologies, sites, sides, removals. */
  startWords: StartWords;
  /** The characters a line may end with for a unit to end after its break (see `unitBounds`). */
  unitEnds: ReadonlySet<number>;
}

const PREPARED = new WeakMap<Scanners, Prepared>();

function prepared(scanners: Scanners): Prepared {
  let p = PREPARED.get(scanners);
  if (!p) {
    const { concepts, etiologies, sites, sides, removals } = scanners;
    const matchers = [concepts, etiologies, sites, sides, removals] as PhraseMatcher<unknown>[];
    p = {
      startWords: new StartWords(matchers),
      // A line that ends a sentence whatever follows (splitSentences: terminal punctuation or a colon at the end
      // of a line), unless some phrase holds that character and could run on over the break.
      unitEnds: new Set(['.', '?', '!', ':'].filter((c) => !matchers.some((m) => m.mayHold(c))).map((c) => c.charCodeAt(0))),
    };
    PREPARED.set(scanners, p);
  }
  return p;
}

// A blank line (only white space other than a line break between two line breaks: CRLF, LF or a lone CR, as
// text/lines.ts counts them) ends a paragraph; the break after it ends the paragraph.
const PARAGRAPH_END = /(?:\r\n|\r(?!\n)|\n)[^\S\r\n]*(?:\r\n|\r(?!\n)|\n)/g;

/** [start, end) of each paragraph: consecutive, covering the whole text. */
export function paragraphBounds(text: string): Array<[number, number]> {
  const bounds: Array<[number, number]> = [];
  let start = 0;
  for (const m of text.matchAll(PARAGRAPH_END)) {
    const end = m.index + m[0].length;
    bounds.push([start, end]);
    start = end;
  }
  if (start < text.length || bounds.length === 0) bounds.push([start, text.length]);
  return bounds;
}

/**
 * [start, end) of each scan unit: consecutive, covering the whole text. Every paragraph end (`paragraphBounds`)
 * ends a unit, and so does the break after a line whose last character (spaces and tabs aside) is one of
 * `lineEnds`: there a sentence ends whatever the next line holds, no token, header or code runs over a line
 * break, and no phrase runs over that character (see `prepared`). Real dictated reports have paragraphs of
 * dozens of sentences and few blank lines; most of their lines end a sentence, so an edit rescans a line.
 * One pass over the characters.
 */
export function unitBounds(text: string, lineEnds: ReadonlySet<number>): Array<[number, number]> {
  const bounds: Array<[number, number]> = [];
  let start = 0; // where the current unit starts
  let lineStart = 0;
  let openBreak = false; // a break ends the line before this one, and no paragraph end took it
  // The breaks are found by indexOf (native, far faster than a loop over every character or a regular
  // expression); each line is then looked at from its two ends only.
  const breaks = new LineBreakCursor(text);
  for (let lineEnd = breaks.at(0); lineEnd < text.length; lineEnd = breaks.at(lineStart)) {
    const next = nextLineStart(text, lineEnd);
    let first = lineStart;
    while (first < lineEnd && isWhiteSpace(text.charCodeAt(first))) first++;
    if (first === lineEnd && openBreak) {
      // A blank line ends the paragraph after its break; a unit that ended just before it takes it.
      if (start === lineStart && bounds.length > 0) bounds[bounds.length - 1]![1] = next;
      else bounds.push([start, next]);
      start = next;
      openBreak = false;
    } else {
      let last = lineEnd - 1;
      while (last > first && (text.charCodeAt(last) === 32 || text.charCodeAt(last) === 9)) last--;
      if (first < lineEnd && lineEnds.has(text.charCodeAt(last))) {
        bounds.push([start, next]);
        start = next;
      }
      openBreak = true;
    }
    lineStart = next;
  }
  if (start < text.length || bounds.length === 0) bounds.push([start, text.length]);
  return bounds;
}

export function scanNote(text: string, scanners: Scanners, cache?: ScanCache): NoteScan {
  const before = cache?.take(scanners);
  const bounds = unitBounds(text, prepared(scanners).unitEnds);
  const parts = new Array<UnitScan>(bounds.length);
  const units = new Array<string>(bounds.length);
  for (let i = 0; i < bounds.length; i++) units[i] = text.slice(bounds[i]![0], bounds[i]![1]);
  // The last scan's units found again by place: counted from the note's start (before the edit) or from its
  // end (after it), compared by text. An edit leaves all but one or two where they were, so no unit's text
  // is hashed; the few left over are looked up by text (a paragraph moved, the same text twice).
  const oldParts = before?.parts ?? NONE;
  const oldUnits = before?.units ?? NONE;
  const used = new Uint8Array(oldParts.length);
  const placed = new Int32Array(bounds.length).fill(-1);
  const fromEnd = oldParts.length - bounds.length;
  for (let i = 0; i < bounds.length; i++) {
    const j = oldUnits[i] === units[i] && !used[i] ? i : oldUnits[i + fromEnd] === units[i] && !used[i + fromEnd] ? i + fromEnd : -1;
    if (j >= 0) {
      used[j] = 1;
      placed[i] = j;
    }
  }
  let byText: Map<string, UnitScan> | undefined;
  const fresh = new UnitsByText();
  let scanned = 0;
  // Each unit in place: its offset, first token index and the number of the section it starts in. The
  // preamble is section 0 unless the note starts with a header, which only its first unit can hold (a
  // reused scan's offsets are those of where it was made: compare within the unit).
  let tokenOffset = 0;
  let section = 0;
  let listing = false;
  for (let i = 0; i < bounds.length; i++) {
    const [start, end] = bounds[i]!;
    const unit = units[i]!;
    // The last scan's, which the cache's contract lets go, moved where it now stands; or, for a text that
    // stands twice in this note, a copy of the first place's; or new. A scan made under another code-listing
    // header than the one now in force is no good here.
    let part: UnitScan | undefined = placed[i]! >= 0 ? oldParts[placed[i]!] : undefined;
    if (part && part.listing !== listing) part = undefined;
    let shared = false;
    if (!part) {
      part = fresh.get(unit);
      if (part && part.listing !== listing) part = undefined;
      shared = part !== undefined;
    }
    if (!part && oldParts.length > 0) {
      byText ??= unplaced(oldParts, oldUnits, used);
      part = byText.get(unit);
      if (part && part.listing !== listing) part = undefined;
      if (part) byText.delete(unit);
    }
    if (part && !shared) part.tokens.rebind(unit);
    if (!part) {
      part = scanUnit(text, unit, scanners, start, listing);
      scanned++;
    }
    if (placed[i]! < 0 && !shared) fresh.set(unit, part);
    if (i === 0 && part.headers[0]?.start === part.offset) section = -1;
    if (part.offset !== start || part.tokenOffset !== tokenOffset || part.sectionBase !== section) {
      part = moveInPlace(shared ? copyOf(part) : part, start, tokenOffset, section);
    }
    parts[i] = part;
    tokenOffset += part.tokens.length;
    section += part.headers.length;
    // Code lists run on under their header, or a line that introduces one, to the paragraph's end (text/codeMentions.ts).
    const lastHeader = part.headers[part.headers.length - 1];
    listing = endsParagraph(text, end) ? false : introducesCodeList(text, end) || (lastHeader ? listsCodes(lastHeader) : listing);
  }
  cache?.keep({ units: bounds.length, scanned }, { parts, units });
  // Each list allocated once at its final length, not grown push by push (and no spread: a note may have
  // more units than a call may have arguments).
  const join = <T>(list: (p: UnitScan) => readonly T[]): T[] => {
    let total = 0;
    for (let i = 0; i < parts.length; i++) total += list(parts[i]!).length;
    const out = new Array<T>(total);
    let k = 0;
    for (let i = 0; i < parts.length; i++) {
      const items = list(parts[i]!);
      for (let j = 0; j < items.length; j++) out[k++] = items[j]!;
    }
    return out;
  };
  // The note's tokens and vocabulary matches as one list each are made when first asked for: an analysis that
  // reuses the last one's findings (analysisReuse.ts) asks only for sentences, headers and codes.
  let tokens: Tokens | undefined;
  const generation = cache?.generation;
  // The last joined list was the last analysis's, which this scan ends (see the top of this file): only its
  // offsets and forms are read again, so it lets go of the older version of the text.
  cache?.joined?.tokens.rebind(text);
  let concepts: PhraseMatch<string>[] | undefined;
  let etiologies: PhraseMatch<string>[] | undefined;
  let sites: PhraseMatch<string>[] | undefined;
  let sides: PhraseMatch<Side>[] | undefined;
  let removals: PhraseMatch<string>[] | undefined;
  let sentenceMemos: SentenceMemo[] | undefined;
  return {
    get tokens() {
      if (!tokens) {
        // The last list is patched while this scan is the cache's last; read it only now, so that a scan whose
        // tokens are never asked for (its analysis reused the last one) keeps no older list alive.
        const current = cache !== undefined && cache.generation === generation;
        tokens = joinTokens(parts, text, current ? cache.joined : undefined);
        // Kept for the next scan's list while this scan is the cache's last (see the top of this file).
        if (current) cache.joined = { tokens, ids: parts.map((p) => p.id), starts: Int32Array.from(parts, (p) => p.tokenOffset) };
      }
      return tokens;
    },
    suppressions: parts.some((p) => p.suppressions),
    headers: join((p) => p.headers),
    sentences: join((p) => p.sentences),
    mentions: join((p) => p.mentions),
    get concepts() {
      return (concepts ??= join((p) => p.concepts));
    },
    get etiologies() {
      return (etiologies ??= join((p) => p.etiologies));
    },
    get sites() {
      return (sites ??= join((p) => p.sites));
    },
    get sides() {
      return (sides ??= join((p) => p.sides));
    },
    get removals() {
      return (removals ??= join((p) => p.removals));
    },
    get sentenceMemos() {
      return (sentenceMemos ??= join((p) => p.sentenceMemos));
    },
  };
}

/** The next unit scan's id. */
let nextUnitId = 0;

/** The most tokens an edit may replace for the last list of the note's tokens to be patched, not made again. */
const PATCH_MAX = 4096;

/**
 * The tokens of `parts` as one list: `last`'s (the list an earlier scan of this document joined) with the
 * tokens of the units between the run of units it shares at the start and the one it shares at the end
 * replaced (units found again are the same objects), those after them moved; or joined anew.
 */
function joinTokens(parts: readonly UnitScan[], text: string, last: JoinedTokens | undefined): Tokens {
  const fresh = () => Tokens.join(parts.map((p) => p.tokens), text);
  if (!last) return fresh();
  const old = last.ids;
  let a = 0;
  while (a < parts.length && a < old.length && parts[a]!.id === old[a]) a++;
  let b = 0;
  while (b < parts.length - a && b < old.length - a && parts[parts.length - 1 - b]!.id === old[old.length - 1 - b]) b++;
  const from = a < old.length ? last.starts[a]! : last.tokens.length;
  const to = b > 0 ? last.starts[old.length - b]! : last.tokens.length;
  const inserted = parts.slice(a, parts.length - b).map((p) => p.tokens);
  if (to - from > PATCH_MAX || inserted.reduce((n, t) => n + t.length, 0) > PATCH_MAX) return fresh();
  // Each unit at the end moved by as much as its first token did since the list was joined.
  const after: Array<[number, number]> = [];
  for (let j = parts.length - b; j < parts.length; j++) {
    const t = parts[j]!.tokens;
    const was = last.starts[old.length - (parts.length - j)]!;
    after.push([t.length, t.length > 0 ? t.start(0) - last.tokens.start(was) : 0]);
  }
  return Tokens.patch(last.tokens, from, to, inserted, after, text);
}

/**
 * The units a scan made, by text: what a `Map` keyed by their text answers (the first unit of each text),
 * keyed instead by a hash of a unit's length and of at most 64 of its characters spread over it. A map keyed
 * by the text hashed every character of the note each scan, to find the few texts that stand twice. A key's
 * units are told apart by comparing their texts; past `BUCKET` units with one key (texts alike at every
 * character read) the rest go into a map by text, so no unit is compared with more than `BUCKET` others.
 */
class UnitsByText {
  private readonly buckets = new Map<number, Array<[text: string, part: UnitScan]>>();
  private overflow: Map<string, UnitScan> | undefined;

  get(unit: string): UnitScan | undefined {
    const bucket = this.buckets.get(sampledHash(unit));
    if (!bucket) return undefined;
    for (const [text, part] of bucket) if (text === unit) return part;
    return bucket.length >= BUCKET ? this.overflow?.get(unit) : undefined;
  }

  /** Keeps `part` for `unit` unless a unit of that text is kept already. */
  set(unit: string, part: UnitScan): void {
    const key = sampledHash(unit);
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = []));
    for (const [text] of bucket) if (text === unit) return;
    if (bucket.length < BUCKET) bucket.push([unit, part]);
    else {
      this.overflow ??= new Map();
      if (!this.overflow.has(unit)) this.overflow.set(unit, part);
    }
  }
}

const BUCKET = 8;

function sampledHash(s: string): number {
  const n = s.length;
  const step = n <= 64 ? 1 : Math.floor(n / 64);
  let h = n;
  for (let i = 0; i < n; i += step) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return n > 0 ? Math.imul(h ^ s.charCodeAt(n - 1), 0x01000193) : h;
}

/** The last scan's units not found again by place, by text (the first of each text). */
function unplaced(parts: readonly UnitScan[], units: readonly string[], used: Uint8Array): Map<string, UnitScan> {
  const out = new Map<string, UnitScan>();
  for (let j = 0; j < parts.length; j++) if (!used[j] && !out.has(units[j]!)) out.set(units[j]!, parts[j]!);
  return out;
}

/**
 * Scans one unit (`unit`, at `offset` in `text`) as if it were the note's first: offsets are the
 * note's, token indexes count from the unit's first token, section numbers from the section it starts in
 * (0; each header in it adds one). `moveInPlace` puts them in place.
 */
function scanUnit(text: string, unit: string, scanners: Scanners, offset: number, listing: boolean): UnitScan {
  const tokens = tokenize(unit, offset);
  const headers = findHeaders(unit, offset);
  // The section the unit starts in has its header before the unit, so only its number matters.
  const inForce: Section = { kind: 'other', title: '', start: offset, contentStart: offset, end: offset };
  const sections = [inForce, ...headers.map((h) => ({ ...h, end: h.start }))];
  const mentions = findCodeMentions(unit, scanners.codes, listing);
  // One look-up per token for the five matchers: most tokens start nothing in any of them, and each matcher
  // is tried only where it may match.
  const [concepts, etiologies, sites, sides, removals] = prepared(scanners).startWords.startsOf(tokens) as [number[], number[], number[], number[], number[]];
  const sentences = splitSentences(text, tokens, sections);
  return {
    id: nextUnitId++,
    offset,
    tokenOffset: 0,
    sectionBase: 0,
    listing,
    suppressions: unit.includes(SUPPRESSION_WORD),
    tokens,
    headers: orNone(headers),
    sentences,
    sentenceMemos: sentences.map(() => ({})),
    mentions: orNone(shiftMentions(mentions, offset)),
    concepts: orNone(scanners.concepts.matchFrom(text, tokens, concepts)),
    etiologies: orNone(scanners.etiologies.matchFrom(text, tokens, etiologies)),
    sites: orNone(scanners.sites.matchFrom(text, tokens, sites)),
    sides: orNone(scanners.sides.matchFrom(text, tokens, sides)),
    removals: orNone(scanners.removals.matchFrom(text, tokens, removals)),
  };
}

/** The text before `end` (a unit's end) ends with a blank line: a paragraph ends there. */
function endsParagraph(text: string, end: number): boolean {
  let k = end - 1;
  if (k >= 0 && text.charCodeAt(k) === 10) k--;
  if (k >= 0 && text.charCodeAt(k) === 13) k--;
  if (k === end - 1) return false; // no line break: the note's end
  while (k >= 0 && !isLineBreak(text.charCodeAt(k)) && isWhiteSpace(text.charCodeAt(k))) k--;
  return k >= 0 && isLineBreak(text.charCodeAt(k));
}

/**
 * One shared empty list for the lists of a unit that found nothing: a note has hundreds of units per 100 KB, and
 * most find no header, code or match of most vocabularies. Frozen: a scan's lists are only read and shifted.
 */
const NONE: never[] = Object.freeze([]) as unknown as never[];
const orNone = <T>(list: T[]): T[] => (list.length === 0 ? NONE : list);

/**
 * The scan put where its unit now stands (offset, first token index, section number), by shifting its
 * objects in place: it must be this note's alone (a unit whose text stands twice gets `copyOf` first).
 * Most edits change the length of one unit and so move every unit after it: copying them allocated
 * about as much as the rest of the scan.
 */
function moveInPlace(part: UnitScan, offset: number, tokenOffset: number, sectionBase: number): UnitScan {
  const d = offset - part.offset;
  const t = tokenOffset - part.tokenOffset;
  const n = sectionBase - part.sectionBase;
  if (d !== 0) {
    part.tokens.shift(d);
    for (const h of part.headers) {
      h.start += d;
      h.contentStart += d;
    }
    shiftMentions(part.mentions, d);
  }
  for (const s of part.sentences) {
    s.start += d;
    s.end += d;
    s.tokenStart += t;
    s.tokenEnd += t;
    s.section += n;
  }
  if (d !== 0 || t !== 0) {
    moveMatches(part.concepts, d, t);
    moveMatches(part.etiologies, d, t);
    moveMatches(part.sites, d, t);
    moveMatches(part.sides, d, t);
    moveMatches(part.removals, d, t);
  }
  part.offset = offset;
  part.tokenOffset = tokenOffset;
  part.sectionBase = sectionBase;
  return part;
}

/** Matches moved by `d` characters and `t` tokens, in place. */
function moveMatches(list: ReadonlyArray<PhraseMatch<unknown>>, d: number, t: number): void {
  for (let i = 0; i < list.length; i++) {
    const m = list[i]!;
    m.tokenStart += t;
    m.tokenEnd += t;
    m.start += d;
    m.end += d;
  }
}

/** A copy of a scan (new objects throughout), for a unit whose text stands twice in the note. */
function copyOf(part: UnitScan): UnitScan {
  const matches = <T>(list: PhraseMatch<T>[]) => list.map((m) => ({ ...m }));
  return {
    ...part,
    id: nextUnitId++,
    tokens: part.tokens.copy(),
    headers: part.headers.map((h) => ({ ...h })),
    sentences: part.sentences.map((x) => ({ ...x })),
    mentions: part.mentions.map((m) => ({ ...m, modifiers: m.modifiers.map((x) => ({ ...x })) })),
    concepts: matches(part.concepts),
    etiologies: matches(part.etiologies),
    sites: matches(part.sites),
    sides: matches(part.sides),
    removals: matches(part.removals),
    // Relative to their sentences: the copy shares them.
    sentenceMemos: part.sentenceMemos,
  };
}

/** Code mentions found in a unit moved by `d` (in place: they are the scan's own). */
function shiftMentions(mentions: CodeMention[], d: number): CodeMention[] {
  if (d !== 0) {
    for (const m of mentions) {
      m.start += d;
      m.end += d;
      for (const x of m.modifiers) {
        x.start += d;
        x.end += d;
      }
    }
  }
  return mentions;
}
