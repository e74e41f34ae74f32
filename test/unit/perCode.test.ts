import assert from 'node:assert/strict';
import { analyzeNote } from '../../server/src/core/analyze';
import { PerCode } from '../../server/src/core/codes/perCode';
import { services } from '../support/services';

describe('what rules work out per code, kept per data set (codes/perCode.ts)', () => {
  it('works a value out once per code and data set, a null too, and apart for another data set', () => {
    const table = new PerCode<string | null>();
    const [codes, anatomy, otherAnatomy] = [{}, {}, {}];
    const calls: string[] = [];
    const work = (code: string, value: string | null) => () => (calls.push(code), value);
    for (let i = 0; i < 3; i++) {
      assert.equal(table.get('M75.30', work('M75.30', 'family M75.3'), codes, anatomy), 'family M75.3');
      assert.equal(table.get('X99.99', work('X99.99', null), codes, anatomy), null);
    }
    assert.equal(table.get('M75.30', work('M75.30', 'other'), codes, otherAnatomy), 'other');
    assert.deepEqual(calls, ['M75.30', 'X99.99', 'M75.30']);
  });

  it('gives the same invalid-code, header-code and unspecified-code diagnostics on every analysis, each with its own data', () => {
    const rules = ['invalid-code', 'header-code', 'unspecified-code'];
    const cases: Array<[string, Array<[string, string, string]>]> = [
      [
        'Calcific tendinitis of the right shoulder.\nCodes: M75.30\nCodes: M75.3\nCodes: M75.399\nCodes: M75.39\nCodes: M75.30\n',
        [
          ['unspecified-code', 'M75.30', 'warning'],
          ['header-code', 'M75.3', 'error'],
          ['invalid-code', 'M75.399', 'error'],
          ['invalid-code', 'M75.39', 'error'],
          ['unspecified-code', 'M75.30', 'warning'],
        ],
      ],
      // Codes the note sets aside: the same memoised message with the set-aside clause, as information.
      [
        'Calcific tendinitis of the right shoulder. Coded M75.30, M75.3, M75.399 and M75.39 (deleted? no: invalid), M75.31 again M75.30.',
        [
          ['invalid-code', 'M75.399', 'information'],
          ['invalid-code', 'M75.39', 'information'],
          ['unspecified-code', 'M75.30', 'warning'],
        ],
      ],
    ];
    for (const [text, expected] of cases) {
      const first = analyzeNote(text, services()).diagnostics.filter((d) => rules.includes(d.ruleId));
      assert.deepEqual(
        first.map((d) => [d.ruleId, text.slice(d.start, d.end), d.severity]),
        expected,
      );
      // A consumer that changes a diagnostic's data changes nothing another analysis reports.
      const copy = structuredClone(first);
      for (const d of first) (d.data as { replacements: string[] }).replacements.push('changed');
      const again = analyzeNote(text, services()).diagnostics.filter((d) => rules.includes(d.ruleId));
      assert.deepEqual(again, copy);
    }
  });
});
