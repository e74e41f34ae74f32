import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeNote, scannersOf } from '../../server/src/core/analyze';
import { completeAt } from '../../server/src/core/completion';
import { paragraphBounds } from '../../server/src/core/noteScan';
import { findCodeMentions } from '../../server/src/core/text/codeMentions';
import { LineBreakCursor, lineBreakAt, lineBreakOf, lineEndAt, lineFinder, lineStartAt } from '../../server/src/core/text/lines';
import { parseFixture } from '../support/fixtures';
import { REPO_ROOT, services } from '../support/services';

/** Line numbers, starts and ends of every offset of `text`, as Calx's core and as TextDocument see them. */
function bothWays(text: string) {
  const doc = TextDocument.create('file:///x', 'plaintext', 1, text);
  const lineOf = lineFinder(text);
  const calx: Array<[number, number, number]> = [];
  const lsp: Array<[number, number, number]> = [];
  for (let offset = 0; offset <= text.length; offset++) {
    calx.push([lineOf(offset) - 1, lineStartAt(text, offset), lineEndAt(text, offset)]);
    const { line } = doc.positionAt(offset);
    lsp.push([line, doc.offsetAt({ line, character: 0 }), doc.offsetAt({ line, character: Number.MAX_SAFE_INTEGER })]);
  }
  return { calx, lsp };
}

describe('lines as the LSP counts them (text/lines.ts)', () => {
  it('breaks at CRLF, LF and a lone CR, and not at U+2028, U+2029 or NEL, as TextDocument does', () => {
    for (const text of ['', 'a', 'a\nb', 'a\r\nb', 'a\rb', 'a\r\rb\n\r\nc\r', '\r\n', '\n\r', 'a\u2028b\u2029c\u0085d', '😣\r\né\r']) {
      const { calx, lsp } = bothWays(text);
      assert.deepEqual(calx, lsp, JSON.stringify(text));
    }
    assert.equal(lineFinder('a\u2028b\u2029c\u0085d')(6), 1);
    assert.equal(lineFinder('a\rb\rc')(4), 3);
  });

  it('agrees with TextDocument on any mix of line breaks (property)', () => {
    const piece = fc.constantFrom('a', 'é', '😣', ' ', '\t', '\n', '\r', '\r\n', '\u2028', '\u2029', '\u0085');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const { calx, lsp } = bothWays(pieces.join(''));
        assert.deepEqual(calx, lsp);
      }),
      { seed: 18, numRuns: 300 },
    );
  });

  it('finds the next line break character (CR or LF) from any offset exactly as a loop over the characters (property)', () => {
    const piece = fc.constantFrom('a', 'é', '😣', ' ', '\n', '\r', '\r\n', '\u2028', '\u0085', 'word '.repeat(30));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const text = pieces.join('');
        for (let from = 0; from <= text.length; from++) {
          let k = from;
          while (k < text.length && text[k] !== '\n' && text[k] !== '\r') k++;
          assert.equal(lineBreakAt(text, from), k);
        }
      }),
      { seed: 18, numRuns: 200 },
    );
  });

  it('finds the next line break from ascending offsets with a cursor exactly as lineBreakAt does (property)', () => {
    const piece = fc.constantFrom('a', 'é', '😣', ' ', '\n', '\r', '\r\n', '\u2028', '\u0085', 'word '.repeat(30));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.array(fc.nat(400), { maxLength: 20 }), (pieces, offsets) => {
        const text = pieces.join('');
        const cursor = new LineBreakCursor(text);
        // Offsets in ascending order, repeats and offsets past the end included.
        for (const from of [...offsets].sort((a, b) => a - b)) assert.equal(cursor.at(from), lineBreakAt(text, from), `from ${from}`);
        // Line by line, as findHeaders walks a text.
        const walk = new LineBreakCursor(text);
        for (let from = 0; from <= text.length; from = walk.at(from) + 1) assert.equal(walk.at(from), lineBreakAt(text, from));
      }),
      { seed: 18, numRuns: 300 },
    );
  });

  it('answers each of several notes asked about in turn as if asked alone, with CR or without (the last note is remembered)', () => {
    // Same lengths, so only their characters tell them apart; a copy made anew is a different string object.
    const notes = ['one\rtwo\nthree', 'one\ntwo\nthree', 'one\ntwo\rthree', ['one\n', 'two\r', 'three'].join('')];
    const loop = (text: string, from: number) => {
      let k = from;
      while (k < text.length && text[k] !== '\n' && text[k] !== '\r') k++;
      return k;
    };
    for (let round = 0; round < 3; round++) {
      for (const text of notes) {
        for (let from = 0; from <= text.length; from++) assert.equal(lineBreakAt(text, from), loop(text, from), `${JSON.stringify(text)} from ${from}`);
        assert.deepEqual([0, 4, 8, 13].map(lineFinder(text)), [1, 2, 3, 3], JSON.stringify(text));
      }
    }
  });

  it('takes the note\'s first line break for inserted lines', () => {
    assert.deepEqual(['a\r\nb\nc', 'a\nb\r\n', 'a\rb\r\n', 'one line', 'a\u2028b'].map(lineBreakOf), ['\r\n', '\n', '\r', '\n', '\n']);
  });
});

describe('a note with lone CR line breaks is analysed as the same note with LF (issue 18)', () => {
  /** Everything the analysis finds, by offsets (a lone CR and an LF are both one code unit). */
  const analysed = (text: string) => {
    const a = analyzeNote(text, services());
    return {
      paragraphs: paragraphBounds(text),
      sentences: a.model.sentences,
      lines: a.model.sentences.map((s) => a.model.lineOf(s.start)),
      findings: a.findings.map((f) => [f.conceptId, f.start, f.end, f.context]),
      diagnostics: a.diagnostics,
    };
  };

  const dir = join(REPO_ROOT, 'test', 'fixtures', 'rules');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.txt')).sort()) {
    it(file, () => {
      const lf = parseFixture(readFileSync(join(dir, file), 'utf8')).text.replace(/\r\n/g, '\n');
      assert.deepEqual(analysed(lf.replace(/\n/g, '\r')), analysed(lf));
    });
  }

  it('a blank line of lone CRs ends a paragraph and a sentence, and a phrase is not matched across it', () => {
    const text = 'Calcific\r\rtendinitis of the shoulder\rwas seen.';
    assert.deepEqual(paragraphBounds(text), [[0, 10], [10, text.length]]);
    const a = analyzeNote(text, services());
    assert.deepEqual(a.model.sentences.map((s) => text.slice(s.start, s.end)), ['Calcific', 'tendinitis of the shoulder\rwas seen.']);
    assert.deepEqual(a.findings.map((f) => f.conceptId), analyzeNote(text.replace(/\r/g, '\n'), services()).findings.map((f) => f.conceptId));
  });

  it('completes the words of the cursor\'s line only', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const text = `Pain in${eol}right shoulder`;
      const result = completeAt(analyzeNote(text, services()), text.length, services())!;
      assert.deepEqual([result.typed, result.replaceStart], ['right shoulder', text.indexOf('right')], JSON.stringify(eol));
    }
  });

  it('a "CPT" label governs its own line only', () => {
    const mentions = (text: string) => findCodeMentions(text, { ...scannersOf(services()).codes, isCptKnown: () => false }).map((m) => m.code);
    assert.deepEqual([mentions('CPT 12345\r67890'), mentions('CPT\r12345'), mentions('CPT 12345\n67890')], [['12345'], [], ['12345']]);
  });
});
