import assert from 'node:assert/strict';
import { PhraseMatcher } from '../../server/src/core/text/phraseMatcher';
import { tokenize } from '../../server/src/core/text/tokens';

function run(matcher: PhraseMatcher<string>, text: string) {
  return matcher.match(text, tokenize(text)).map((m) => [m.value, text.slice(m.start, m.end)]);
}

describe('PhraseMatcher', () => {
  const m = new PhraseMatcher(
    [
      { phrase: 'calcification', value: 'calc' },
      { phrase: 'calcific tendinitis', value: 'ct' },
      { phrase: 'calcific tendonitis', value: 'ct' },
      { phrase: 'mitral annular calcification', value: 'mac' },
      { phrase: 'chondrocalcinosis', value: 'cppd' },
      { phrase: 'right-sided', value: 'right' },
      { phrase: 'Mönckeberg sclerosis', value: 'monck' },
    ],
    [{ phrase: 'R', value: 'right' }],
  );

  it('matches the longest phrase at each start, case- and accent-insensitively', () => {
    assert.deepEqual(run(m, 'CALCIFIC TENDINITIS and Mitral annular calcification; Monckeberg sclerosis.'), [
      ['ct', 'CALCIFIC TENDINITIS'],
      ['mac', 'Mitral annular calcification'],
      ['monck', 'Monckeberg sclerosis'],
    ]);
  });

  it('treats hyphens and spaces alike, and a hyphenated word like the closed compound', () => {
    assert.deepEqual(run(m, 'right sided, right-sided, chondro-calcinosis, calcific-tendinitis'), [
      ['right', 'right sided'],
      ['right', 'right-sided'],
      ['cppd', 'chondro-calcinosis'],
      ['ct', 'calcific-tendinitis'],
    ]);
  });

  it('matches whole words only', () => {
    assert.deepEqual(run(m, 'decalcification, calcifications, Ergocalciferol'), []);
  });

  it('matches exact-case single letters only when standing alone', () => {
    assert.deepEqual(run(m, 'R shoulder, r shoulder, L-spine, R-sided'), [['right', 'R']]);
  });
});
