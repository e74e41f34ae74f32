/**
 * Report structure helpers (server/src/core/findings/reportStructure.ts) against the plain searches they replace.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { agreedBefore, SentenceScopes } from '../../server/src/core/findings/reportStructure';
import { buildTextModel, type TextModel } from '../../server/src/core/text/textModel';
import type { PhraseMatch } from '../../server/src/core/text/phraseMatcher';

/** The plain search: of the matches before `before`, those of the best rank; the first when all have its value. */
function agreedPlain<T>(list: ReadonlyArray<{ m: PhraseMatch<T>; rank: number }>, before: number): PhraseMatch<T> | undefined {
  const prior = list.filter(({ m }) => m.start < before);
  const bestRank = Math.min(...prior.map((x) => x.rank));
  const best = prior.filter((x) => x.rank === bestRank).map((x) => x.m);
  return best.length > 0 && best.every((m) => m.value === best[0]!.value) ? best[0] : undefined;
}

describe('report structure: governing sections', () => {
  it('finds for every section start in one pass what the plain search finds before it', () => {
    const match = (start: number, value: string): PhraseMatch<string> => ({ tokenStart: start, tokenEnd: start + 1, start, end: start + 5, value, phrase: value });
    fc.assert(
      fc.property(
        fc.array(fc.record({ gap: fc.nat(20), value: fc.constantFrom('left', 'right'), rank: fc.nat(1) }), { maxLength: 30 }),
        fc.array(fc.nat(400), { maxLength: 12 }),
        (items, starts) => {
          let at = 0;
          const list = items.map(({ gap, value, rank }) => ({ m: match((at += gap + 5), value), rank }));
          const befores = [...starts].sort((a, b) => a - b);
          assert.deepEqual(agreedBefore(list, befores), befores.map((b) => agreedPlain(list, b)));
        },
      ),
      { seed: 19, numRuns: 300 },
    );
    const list = [
      { m: match(10, 'left'), rank: 1 },
      { m: match(20, 'right'), rank: 0 },
      { m: match(30, 'right'), rank: 0 },
      { m: match(40, 'left'), rank: 0 },
    ];
    assert.deepEqual(agreedBefore(list, [0, 15, 25, 35, 45]).map((m) => m?.start), [undefined, 10, 20, 20, undefined]);
  });
});

describe('report structure: inline headers', () => {
  /** The plain reading: the words from the sentence's start to its first punctuation, letters only, then a colon. */
  function plainHeaderEnd(model: TextModel, s: number): number {
    const { tokens, sentences, text } = model;
    const sentence = sentences[s]!;
    if (sentence.header || !/^[A-Z]/.test(text.slice(sentence.start))) return -1;
    for (let t = sentence.tokenStart; t < sentence.tokenEnd && t - sentence.tokenStart <= 4; t++) {
      if (tokens.isPunct(t)) return t > sentence.tokenStart && tokens.norm(t) === ':' ? tokens.end(t) : -1;
      if (!/^\p{L}+$/u.test(tokens.norm(t))) return -1;
    }
    return -1;
  }

  it('finds where an inline header ends as the plain reading of its first words does', () => {
    const starts = ['RIGHT BREAST:', 'Left kidney:', 'Impression:', 'Mönckeberg:', 'Right 2nd rib:', 'There is a calcified granuloma:', 'IMPRESSION - ', 'A: ', ': no', 'Right, left:', "Patient's kidney:", 'Kidney stone, right:', 'a b: ', 'Five Words Before The Colon:'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...starts), { minLength: 1, maxLength: 8 }), (picked) => {
        const text = picked.map((p) => `${p} calcification noted.`).join(' ');
        const model = buildTextModel(text);
        const scopes = new SentenceScopes(model, []);
        model.sentences.forEach((_, s) => assert.equal(scopes.inlineHeaderEnd(s), plainHeaderEnd(model, s), `sentence ${s}`));
      }),
      { seed: 19, numRuns: 200 },
    );
    const text = 'There are calcifications. Left kidney: small stone. Right 2nd rib: fracture.';
    const model = buildTextModel(text);
    const ends = model.sentences.map((_, s) => new SentenceScopes(model, []).inlineHeaderEnd(s));
    assert.deepEqual(ends, [-1, text.indexOf('Left kidney:') + 'Left kidney:'.length, -1]);
  });
});
