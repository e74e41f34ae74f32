import assert from 'node:assert/strict';
import fc from 'fast-check';
import { locateJsonError, parseJsonText } from '../../server/src/core/jsonText';
import { parseLexiconText } from '../../server/src/core/lexicon/loadLexicon';

describe('JSON from user files', () => {
  it('says where a note picked as a terms file stops being JSON, without quoting it', () => {
    const note = 'Patient Quockett, 64, calcific tendinitis of the right shoulder.\n';
    // JSON.parse said: Unexpected token 'P', "Patient Qu"... is not valid JSON
    assert.throws(
      () => parseLexiconText(note, '/notes/visit.txt'),
      (e: Error) => e.message === '/notes/visit.txt: not valid JSON (line 1, column 1: unexpected character)',
    );
    assert.throws(() => parseLexiconText(`{\n  "concepts": [\n    "Quockett\n  ]\n}`, 'terms.json'), (e: Error) =>
      e.message === 'terms.json: not valid JSON (line 3, column 14: control character in a string (a line break or tab must be escaped))',
    );
  });

  it('gives line, column and kind of each syntax error', () => {
    const cases: Array<[string, string]> = [
      ['', '1:1 unexpected end of the file'],
      ['{"a": 1,}', "1:9 expected a property name in double quotes"],
      ['{"a" 1}', "1:6 expected ':' after a property name"],
      ['{"a": 1\r\n "b": 2}', "2:2 expected ',' or '}'"],
      ['[1 2]', "1:4 expected ',' or ']'"],
      ['[1]\rx', '2:1 unexpected text after the JSON value'],
      ['{"a": "x\\q"}', '1:9 invalid escape in a string'],
      ['["\\u12G4"]', '1:3 invalid \\u escape in a string'],
      ['["abc', '1:2 unterminated string'],
      ['[01]', '1:3 invalid number'],
      ['[1.]', '1:3 invalid number'],
      ['[-]', '1:2 invalid number'],
      ['[tru]', '1:2 unexpected character'],
      ['{"a": [1, {"b": ', '1:17 unexpected end of the file'],
    ];
    for (const [text, expected] of cases) {
      const { error } = parseJsonText(text);
      assert.equal(error && `${error.line}:${error.column} ${error.kind}`, expected, JSON.stringify(text));
    }
    assert.deepEqual(parseJsonText('\ufeff{"a": [true, false, null, -1.5e3, "\\u00e9\\n"]}'), { value: { a: [true, false, null, -1500, 'é\n'] } });
    assert.equal(locateJsonError(`${'['.repeat(100000)}${']'.repeat(100000)}`), undefined, 'deep nesting does not overflow');
  });

  it('agrees with JSON.parse on which texts are JSON (fast-check, fixed seed)', () => {
    const piece = fc.constantFrom('{', '}', '[', ']', ',', ':', '"a"', '"', '\\', '1', '-', '.', 'e', '0', 'true', 'nul', ' ', '\n', '\t', 'x', '"\\u00e9"', '"\\x"');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const text = pieces.join('');
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        assert.equal(locateJsonError(text) === undefined, valid, JSON.stringify(text));
      }),
      { seed: 18, numRuns: 20000 },
    );
  });
});
