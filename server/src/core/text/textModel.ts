/**
 * The text model every analysis step shares: tokens, sentences and sections of one note, all with UTF-16
 * offsets into the original text. Built once per analysis.
 */
import { hasLineBreak } from './lines';
import { findSections, sectionsOf, type Header, type Section } from './sections';
import { splitSentences, type Sentence } from './sentences';
import { lineFinder } from './lines';
import { tokenize, type Tokens } from './tokens';

export interface TextModel {
  text: string;
  tokens: Tokens;
  sentences: Sentence[];
  sections: Section[];
  /** 1-based line number of an offset; the line breaks are found on first use, once per note. */
  lineOf(offset: number): number;
}

/** `scanned`: the note's tokens, headers and sentences when a scan (noteScan.ts) already found them. */
export function buildTextModel(text: string, scanned?: { tokens: Tokens; headers: readonly Header[]; sentences: Sentence[] }): TextModel {
  // A scan's tokens are read when first needed (noteScan.ts joins its units' tokens then).
  if (scanned) return new Model(text, () => scanned.tokens, scanned.sentences, sectionsOf(scanned.headers, text.length));
  const tokens = tokenize(text);
  const sections = findSections(text);
  return new Model(text, () => tokens, splitSentences(text, tokens, sections), sections);
}

class Model implements TextModel {
  /** Not own properties: two models of the same text stay deep-equal whether or not lines were asked for. */
  #lines: ((offset: number) => number) | undefined;
  #tokens: Tokens | undefined;
  #tokensOf: (() => Tokens) | undefined;

  constructor(
    readonly text: string,
    tokens: () => Tokens,
    readonly sentences: Sentence[],
    readonly sections: Section[],
  ) {
    this.#tokensOf = tokens;
  }

  get tokens(): Tokens {
    if (!this.#tokens) {
      this.#tokens = this.#tokensOf!();
      // What made them (a scan and its lists) need not stay alive with the model.
      this.#tokensOf = undefined;
    }
    return this.#tokens;
  }

  lineOf(offset: number): number {
    return (this.#lines ??= lineFinder(this.text))(offset);
  }
}

/** Index of the sentence that contains the offset (binary search), or -1. */
export function sentenceAt(model: TextModel, offset: number): number {
  let lo = 0;
  let hi = model.sentences.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = model.sentences[mid]!;
    if (offset < s.start) hi = mid - 1;
    else if (offset >= s.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/**
 * The sentence that is a header's value: the one after header sentence `headerIndex` when it starts on the
 * header's line ("CALCIFICATIONS: None.", "CALCIFICATIONS: coarse, in the left breast."); -1 when none.
 */
export function headerValue(model: TextModel, headerIndex: number): number {
  const header = model.sentences[headerIndex];
  const value = model.sentences[headerIndex + 1];
  if (!header?.header || !value || value.header) return -1;
  return hasLineBreak(model.text, header.end, value.start) ? -1 : headerIndex + 1;
}
