/**
 * The scan of a note: its tokens, the codes written in it and the matches of the four vocabularies (concepts,
 * etiologies, sites, sides), everything later steps need from the raw text.
 *
 * A note is scanned one paragraph at a time (a paragraph ends after a blank line). Nothing the scan finds can
 * cross a blank line: tokens and codes never hold a line break, and a phrase split by a blank line is two
 * paragraphs' words, not one phrase. So the scan of a paragraph depends on its own text only, and a
 * `ScanCache` kept per document lets an edit rescan only the paragraph it touched: the others are reused, as
 * they were when they have not moved, shifted when text before them grew or shrank.
 *
 * Without a cache the same paragraph-by-paragraph scan runs, so results never depend on whether one was used.
 */
import type { Side } from './attributes/anatomy';
import { findCodeMentions, type CodeMention, type CodeVocabulary } from './text/codeMentions';
import type { PhraseMatch, PhraseMatcher } from './text/phraseMatcher';
import { tokenize, type Token } from './text/tokens';

export interface NoteScan {
  tokens: Token[];
  /** Codes written in the note, in text order. */
  mentions: CodeMention[];
  concepts: PhraseMatch<string>[];
  etiologies: PhraseMatch<string>[];
  sites: PhraseMatch<string>[];
  sides: PhraseMatch<Side>[];
}

/** What a scan runs: the code vocabulary and the four phrase matchers. */
export interface Scanners {
  codes: CodeVocabulary;
  concepts: PhraseMatcher<string>;
  etiologies: PhraseMatcher<string>;
  sites: PhraseMatcher<string>;
  sides: PhraseMatcher<Side>;
}

/** One paragraph's scan, with the offset and first token index it was made (or last shifted) for. */
interface ParagraphScan extends NoteScan {
  offset: number;
  tokenOffset: number;
}

/**
 * Paragraph scans of one document, by paragraph text. Each scan keeps only the paragraphs of the text it
 * scanned, so the cache never holds more than one version of the note. Tied to the scanners it was filled
 * with: new scanners (a custom term file, a licensed CPT file) empty it.
 */
export class ScanCache {
  private paragraphs = new Map<string, ParagraphScan>();
  private scanners: Scanners | undefined;
  /** Paragraphs reused by the last scan, and how many it had (for tests and the benchmark). */
  lastScan = { paragraphs: 0, reused: 0 };

  /** @internal */ take(scanners: Scanners): Map<string, ParagraphScan> {
    if (this.scanners !== scanners) {
      this.scanners = scanners;
      this.paragraphs = new Map();
    }
    return this.paragraphs;
  }

  /** @internal */ keep(paragraphs: Map<string, ParagraphScan>, reused: number): void {
    this.paragraphs = paragraphs;
    this.lastScan = { paragraphs: paragraphs.size, reused };
  }
}

// A blank line (only spaces, tabs or CR between two line breaks) ends a paragraph; the break after it is the
// paragraph's last character.
const PARAGRAPH_END = /\n[^\S\n]*\n/g;

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

export function scanNote(text: string, scanners: Scanners, cache?: ScanCache): NoteScan {
  const previous = cache?.take(scanners);
  const current = new Map<string, ParagraphScan>();
  const scan: NoteScan = { tokens: [], mentions: [], concepts: [], etiologies: [], sites: [], sides: [] };
  let reused = 0;
  for (const [start, end] of paragraphBounds(text)) {
    const paragraph = text.slice(start, end);
    const tokenOffset = scan.tokens.length;
    let part = current.get(paragraph) ?? previous?.get(paragraph);
    if (part) {
      reused++;
      if (part.offset !== start || part.tokenOffset !== tokenOffset) part = shifted(part, start, tokenOffset);
      append(scan.tokens, part.tokens);
    } else part = scanParagraph(text, paragraph, scanners, start, scan.tokens);
    current.set(paragraph, part);
    append(scan.mentions, part.mentions);
    append(scan.concepts, part.concepts);
    append(scan.etiologies, part.etiologies);
    append(scan.sites, part.sites);
    append(scan.sides, part.sides);
  }
  cache?.keep(current, reused);
  return scan;
}

function append<T>(to: T[], items: readonly T[]): void {
  for (const item of items) to.push(item);
}

/**
 * Scans one paragraph (`paragraph`, at `offset` in `text`): its tokens are appended to the note's, so the
 * matchers, run over that stretch of the note's tokens, give matches with the note's token indexes.
 */
function scanParagraph(text: string, paragraph: string, scanners: Scanners, offset: number, noteTokens: Token[]): ParagraphScan {
  const tokenOffset = noteTokens.length;
  const own = tokenize(paragraph, offset);
  append(noteTokens, own);
  const to = noteTokens.length;
  const mentions = findCodeMentions(paragraph, scanners.codes);
  return {
    offset,
    tokenOffset,
    tokens: own,
    mentions: offset === 0 ? mentions : mentions.map((m) => shiftMention(m, offset)),
    concepts: scanners.concepts.match(text, noteTokens, tokenOffset, to),
    etiologies: scanners.etiologies.match(text, noteTokens, tokenOffset, to),
    sites: scanners.sites.match(text, noteTokens, tokenOffset, to),
    sides: scanners.sides.match(text, noteTokens, tokenOffset, to),
  };
}

function shiftMention(m: CodeMention, d: number): CodeMention {
  return { ...m, start: m.start + d, end: m.end + d, modifiers: m.modifiers.map((x) => ({ code: x.code, start: x.start + d, end: x.end + d })) };
}

/** The same scan for the paragraph at another offset and first token index (new objects: scans are shared). */
function shifted(part: ParagraphScan, offset: number, tokenOffset: number): ParagraphScan {
  const d = offset - part.offset;
  const t = tokenOffset - part.tokenOffset;
  // Object literals with every field spelled out: spreading is several times slower, and this runs for every
  // token after an edit.
  const match = <T>(m: PhraseMatch<T>): PhraseMatch<T> => ({
    tokenStart: m.tokenStart + t,
    tokenEnd: m.tokenEnd + t,
    start: m.start + d,
    end: m.end + d,
    value: m.value,
    phrase: m.phrase,
  });
  const token = (k: Token): Token => ({
    start: k.start + d,
    end: k.end + d,
    kind: k.kind,
    norm: k.norm,
    spaceBefore: k.spaceBefore,
    newlineBefore: k.newlineBefore,
  });
  return {
    offset,
    tokenOffset,
    tokens: d === 0 ? part.tokens : part.tokens.map(token),
    mentions: d === 0 ? part.mentions : part.mentions.map((m) => shiftMention(m, d)),
    concepts: part.concepts.map(match),
    etiologies: part.etiologies.map(match),
    sites: part.sites.map(match),
    sides: part.sides.map(match),
  };
}
