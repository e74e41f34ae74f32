/**
 * The text model every analysis step shares: tokens, sentences and sections of one note, all with UTF-16
 * offsets into the original text. Built once per analysis.
 */
import { findSections, type Section } from './sections';
import { splitSentences, type Sentence } from './sentences';
import { tokenize, type Token } from './tokens';

export interface TextModel {
  text: string;
  tokens: Token[];
  sentences: Sentence[];
  sections: Section[];
}

export function buildTextModel(text: string): TextModel {
  const tokens = tokenize(text);
  const sections = findSections(text);
  const sentences = splitSentences(text, tokens, sections);
  return { text, tokens, sentences, sections };
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
