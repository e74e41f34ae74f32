/**
 * The analysis warm-up the server runs once it is idle (server/src/lsp/analysisWarmUp.ts): it takes every path an
 * edit can take, leaves its note as written, works in slices, and its built-in note is one the analysis reads.
 */
import assert from 'node:assert/strict';
import { analyzeNote } from '../../server/src/core/analyze';
import type { ScanCache } from '../../server/src/core/noteScan';
import { AnalysisWarmUp, WARM_UP_NOTE } from '../../server/src/lsp/analysisWarmUp';
import { services } from '../support/services';

/** A warm-up that analyses as the server does and records the texts it analysed and the cache it used. */
function recorded(edits: number) {
  const texts: string[] = [];
  let cache: ScanCache | undefined;
  const warmUp = new AnalysisWarmUp(
    (document, c) => {
      texts.push(document.getText());
      cache = c;
      analyzeNote(document.getText(), services(), { cache: c });
    },
    { edits },
  );
  return { warmUp, texts, cache: () => cache! };
}

describe('analysis warm-up', () => {
  it('analyses the note, then once per edit, each edit typed and then taken out, and ends on the note as written', () => {
    const { warmUp, texts } = recorded(6);
    while (!warmUp.step(Infinity));
    assert.equal(texts.length, 7);
    assert.equal(texts[0], WARM_UP_NOTE);
    for (const k of [1, 3, 5]) {
      assert.equal(texts[k]!.length, WARM_UP_NOTE.length + 1, `edit ${k} types one character`);
      assert.equal(texts[k + 1], WARM_UP_NOTE, `edit ${k + 1} takes it out`);
    }
    // The typed characters differ from turn to turn: a letter, then a space, then a letter again.
    const typedChar = (t: string) => t[[...t].findIndex((c, i) => c !== WARM_UP_NOTE[i])]!;
    assert.deepEqual([texts[1], texts[3], texts[5]].map((t) => typedChar(t!)), ['e', ' ', 'a']);
    assert.equal(warmUp.step(Infinity), true, 'a finished warm-up does nothing more');
    assert.equal(texts.length, 7);
  });

  it('runs one analysis per slice when the deadline has passed, and says when it is over', () => {
    const { warmUp, texts } = recorded(2);
    assert.equal(warmUp.step(0), false);
    assert.equal(texts.length, 1);
    assert.equal(warmUp.step(0), false);
    assert.equal(warmUp.step(0), true);
    assert.equal(texts.length, 3);
    assert.equal(warmUp.finished, true);
  });

  it('takes every path an edit can take through the scan cache (analysisReuse.ts)', () => {
    const { warmUp, cache } = recorded(200);
    while (!warmUp.step(Infinity));
    const c = cache();
    const kinds = {
      'the last analysis moved': c.reusedAnalyses,
      'sentences found again, the same': c.refoundAnalyses,
      'findings moved, rules again': c.movedFindings,
      'found again from the edit on': c.foundFromEdit,
      'diagnostics moved': c.reusedDiagnostics,
    };
    for (const [kind, count] of Object.entries(kinds)) assert.ok(count > 0, `${kind}: ${JSON.stringify(kinds)}`);
    const analysed = Object.values(kinds).reduce((a, b) => a + b, 0);
    assert.ok(analysed < 200, `some edits are analysed whole: ${JSON.stringify(kinds)}`);
  });

  it('warms up on a note the analysis reads: findings of many concepts, codes, and diagnostics', () => {
    const analysis = analyzeNote(WARM_UP_NOTE, services());
    assert.ok(new Set(analysis.findings.map((f) => f.conceptId)).size >= 15, 'concepts');
    assert.ok(analysis.findings.some((f) => f.context.negated) && analysis.findings.some((f) => f.context.historical), 'negated and historical findings');
    assert.ok(analysis.mentions.length >= 15, 'codes');
    assert.ok(analysis.diagnostics.length >= 5, 'diagnostics');
  });
});
