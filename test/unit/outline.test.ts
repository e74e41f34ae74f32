/**
 * The outline (documentSymbol) and inlay hints (server/src/lsp/features/outline.ts): exact symbols of a small
 * note, the same outline as the plain search (every item tested against every section) on random notes, and
 * the algorithmic property behind issue 18: each finding and code is read once, not once per section, and an
 * inlay hint request reads the codes of its range, not the whole note's.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { DocumentSymbol } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeNote, type NoteAnalysis } from '../../server/src/core/analyze';
import { itemsBySection, provideDocumentSymbols, provideInlayHints, spansIn } from '../../server/src/lsp/features/outline';
import { services } from '../support/services';
import { syntheticNote } from '../support/syntheticNotes';

const SEED = 20261018;
const params = (numRuns: number): fc.Parameters<unknown> => ({ seed: SEED, numRuns, endOnFailure: true });

const documentOf = (text: string) => TextDocument.create('file:///note.txt', 'plaintext', 1, text);

/** The outline as a list of [name, range] per section and child, built the plain way: every item against every section. */
function plainOutline(document: TextDocument, analysis: NoteAnalysis) {
  const range = (start: number, end: number) => ({ start: document.positionAt(start), end: document.positionAt(end) });
  return analysis.model.sections
    .map((section) => {
      const inside = (start: number) => start >= section.start && start < section.end;
      const children = [
        ...analysis.findings.filter((f) => inside(f.start)).map((f) => [f.preferred, range(f.start, f.end)] as const),
        ...analysis.mentions.filter((m) => inside(m.start)).map((m) => [m.code, range(m.start, m.end)] as const),
      ].sort((a, b) => document.offsetAt(a[1].start) - document.offsetAt(b[1].start));
      return [section.title || 'Note', range(section.start, Math.max(section.start, section.end)), children] as const;
    })
    .filter(([, , children]) => children.length > 0);
}

const outlineOf = (symbols: DocumentSymbol[]) => symbols.map((s) => [s.name, s.range, (s.children ?? []).map((c) => [c.name, c.range] as const)] as const);

/** `list` behind a proxy that counts reads of its elements. */
function counted<T>(list: T[]): { list: T[]; reads: () => number } {
  let reads = 0;
  const proxy = new Proxy(list, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
      return Reflect.get(target, key, receiver);
    },
  });
  return { list: proxy, reads: () => reads };
}

describe('outline and inlay hints', () => {
  const NOTE = 'Preamble: M75.31\r\n\r\nFINDINGS: Calcific tendinitis of the right shoulder, M75.31.\r\n\r\nIMPRESSION:\r\nNo calcification. I25.10\r\n';

  it('lists each section with the findings and codes written in it, in text order', () => {
    const document = documentOf(NOTE);
    const symbols = provideDocumentSymbols(document, analyzeNote(NOTE, services()), services());
    const at = (line: number, from: number, to: number) => ({ start: { line, character: from }, end: { line, character: to } });
    const title = (code: string) => services().codes.get(code)!.title;
    assert.deepEqual(
      symbols.map((s) => [s.name, s.detail, s.range, s.selectionRange, (s.children ?? []).map((c) => [c.name, c.detail, c.range])]),
      [
        // "Preamble:" is no header (neither a known name nor upper case): the note's preamble.
        ['Note', 'preamble', { start: { line: 0, character: 0 }, end: { line: 2, character: 0 } }, at(0, 0, 0), [['M75.31', title('M75.31'), at(0, 10, 16)]]],
        [
          'FINDINGS',
          'findings',
          { start: { line: 2, character: 0 }, end: { line: 4, character: 0 } },
          at(2, 0, 9),
          [
            ['Calcific tendinitis', 'M75.31', at(2, 10, 29)],
            ['M75.31', title('M75.31'), at(2, 53, 59)],
          ],
        ],
        [
          'IMPRESSION',
          'impression',
          { start: { line: 4, character: 0 }, end: { line: 6, character: 0 } },
          at(4, 0, 11),
          [
            ['Calcification', 'no code yet · negated', at(5, 3, 16)],
            ['I25.10', title('I25.10'), at(5, 18, 24)],
          ],
        ],
      ],
    );
  });

  it('builds the same outline as testing every finding and code against every section (random notes, CRLF)', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.integer({ min: 200, max: 6000 }), fc.boolean(), (seed, bytes, crlf) => {
        const note = syntheticNote(bytes, seed);
        const text = crlf ? note.replace(/\n/g, '\r\n') : note;
        const document = documentOf(text);
        const analysis = analyzeNote(text, services());
        assert.deepEqual(outlineOf(provideDocumentSymbols(document, analysis, services())), plainOutline(document, analysis));
      }),
      params(60),
    );
  });

  it('puts items into sections exactly as filtering every item for every section', () => {
    const cuts = fc.uniqueArray(fc.nat(500), { maxLength: 30 }).map((xs) => xs.sort((a, b) => a - b));
    fc.assert(
      fc.property(cuts, fc.array(fc.nat(520), { maxLength: 60 }), (points, starts) => {
        // Consecutive sections between the cut points (none before the first, none after the last).
        const sections = points.slice(1).map((end, i) => ({ start: points[i]!, end }));
        const items = starts.map((start, id) => ({ start, id }));
        assert.deepEqual(
          itemsBySection(sections, items),
          sections.map((s) => items.filter((item) => item.start >= s.start && item.start < s.end)),
        );
      }),
      params(300),
    );
  });

  it('finds the spans reaching into a range exactly as filtering every span', () => {
    // Sorted spans that do not overlap, as a note's code mentions.
    const spans = fc.array(fc.tuple(fc.nat(20), fc.integer({ min: 1, max: 8 })), { maxLength: 40 }).map((gaps) => {
      let at = 0;
      return gaps.map(([gap, length], id) => ({ start: (at += gap), end: (at += length), id }));
    });
    fc.assert(
      fc.property(spans, fc.nat(600), fc.nat(200), (list, from, length) => {
        assert.deepEqual(spansIn(list, from, from + length), list.filter((s) => s.end >= from && s.start <= from + length));
      }),
      params(300),
    );
  });

  it('reads each finding and code once, however many sections the note has', () => {
    const text = Array.from({ length: 300 }, (_, i) => `SECTION ${i + 1}:\nCalcific tendinitis of the right shoulder, M75.31.\n`).join('\n');
    const analysis = analyzeNote(text, services());
    const findings = counted(analysis.findings);
    const mentions = counted(analysis.mentions);
    const symbols = provideDocumentSymbols(documentOf(text), { ...analysis, findings: findings.list, mentions: mentions.list }, services());
    assert.equal(symbols.length, 300);
    assert.deepEqual(symbols[299]!.children!.map((c) => c.name), ['Calcific tendinitis', 'M75.31']);
    // The plain search read all 300 findings and 300 codes for each of the 300 sections.
    assert.deepEqual([findings.reads(), mentions.reads()], [300, 300]);
  });

  it('reads the codes of the range asked for, not every code of the note', () => {
    const text = Array.from({ length: 2000 }, (_, i) => `${i + 1}. Shoulder pain, M75.3${i % 3}.`).join('\n');
    const analysis = analyzeNote(text, services());
    const mentions = counted(analysis.mentions);
    const document = documentOf(text);
    const line = document.offsetAt({ line: 1000, character: 0 });
    const hints = provideInlayHints(document, { ...analysis, mentions: mentions.list }, services(), line, document.offsetAt({ line: 1001, character: 0 }) - 1);
    assert.deepEqual(
      hints.map((h) => [h.position, h.label]),
      [[{ line: 1000, character: 27 }, ` ${services().codes.get("M75.31")!.title}`]],
    );
    // A binary search to the range (log2 2000 = 11 reads), then the codes in it and the one after: not 2000.
    assert.ok(mentions.reads() <= 20, `${mentions.reads()} reads of the note's 2000 codes`);
  });
});
