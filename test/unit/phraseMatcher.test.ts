import assert from 'node:assert/strict';
import { candidateStarts, PhraseMatcher, StartWords } from '../../server/src/core/text/phraseMatcher';
import { tokenize, tokensOf } from '../../server/src/core/text/tokens';

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

  it('gives each of several matchers the starts candidateStarts gives it with its own start words', () => {
    const sides = new PhraseMatcher([{ phrase: 'right', value: 'right' }, { phrase: 'right-sided', value: 'right' }], [{ phrase: 'R', value: 'right' }]);
    const joined = new PhraseMatcher([{ phrase: 'chondrocalcinosis', value: 'cppd' }, { phrase: 'calcific', value: 'calc' }]);
    const matchers = [m, sides, joined] as PhraseMatcher<unknown>[];
    const text = 'R calcific tendinitis, right-sided chondro-calcinosis; Right calcification. R-sided, calcific-tendinitis r';
    const tokens = tokenize(text);
    const starts = new StartWords(matchers).startsOf(tokens);
    assert.deepEqual(
      starts,
      matchers.map((x) => candidateStarts(tokens, new Set(x.startWords()))),
    );
    // Tokens: 0 "R", 1 "calcific", 4 "right", 7 "chondro" ("-calcinosis"), 11 "Right", 12 "calcification", 14 "R",
    // 18 "calcific", 21 "r" (the exact-case "R" is a start word in either case: its form is "r").
    assert.deepEqual(starts, [
      [0, 1, 4, 7, 11, 12, 14, 18, 21],
      [0, 4, 11, 14, 21],
      [1, 7, 18],
    ]);
  });

  it('finds the longest match at a token as match() does when its first match starts there (matchAt)', () => {
    const text = 'Mitral annular calcification, calcific tendonitis; right-sided chondro-calcinosis R';
    const tokens = tokenize(text);
    for (let i = 0; i <= tokens.length; i++) {
      for (let to = i; to <= tokens.length; to++) {
        const first = m.match(text, tokens, i, to)[0];
        assert.deepEqual(m.matchAt(text, tokens, i, to), first?.tokenStart === i ? first : undefined, `at ${i} to ${to}`);
      }
    }
    assert.deepEqual(
      [0, 3].map((i) => m.matchAt(text, tokens, i)).map((x) => x && [x.value, text.slice(x.start, x.end)]),
      [['mac', 'Mitral annular calcification'], undefined],
    );
  });

  it('matches the same by the tokens\' word ids as by their forms alone', () => {
    const sides = new PhraseMatcher([{ phrase: 'right', value: 'right' }, { phrase: 'right-sided', value: 'right' }], [{ phrase: 'R', value: 'right' }]);
    const matchers = [m, sides] as PhraseMatcher<unknown>[];
    const text = 'R calcific tendinitis, right-sided chondro-calcinosis; MÖNCKEBERG sclerosis. Right calcification r';
    const tokens = tokenize(text);
    const byForm = tokensOf(tokens.toArray(), text, false);
    assert.equal(byForm.knownId(1), 0);
    assert.notEqual(tokens.knownId(1), 0);
    for (const x of matchers) assert.deepEqual(x.match(text, tokens), x.match(text, byForm));
    assert.deepEqual(new StartWords(matchers).startsOf(tokens), new StartWords(matchers).startsOf(byForm));
    assert.deepEqual(run(m, text), [['right', 'R'], ['ct', 'calcific tendinitis'], ['right', 'right-sided'], ['cppd', 'chondro-calcinosis'], ['monck', 'MÖNCKEBERG sclerosis'], ['calc', 'calcification']]);
  });
});
