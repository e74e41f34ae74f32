/**
 * What an open note keeps alive in the server (issue 18): its TextDocument, its ScanCache and its latest
 * analysis, measured as the live heap after full collections. Edits must not make it grow: a scan the cache
 * keeps across edits must not hold on to the version of the note it was cut from.
 */
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeNote, type NoteAnalysis } from '../../server/src/core/analyze';
import { ScanCache } from '../../server/src/core/noteScan';
import { services } from '../support/services';
import { prng, syntheticNote } from '../support/syntheticNotes';

/** A full, synchronous collection (V8's `gc`, exposed for this process). */
function fullGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Bytes of live objects, after collections that leave only what is reachable. */
function liveHeap(gc: () => void): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

/** An open note as the server holds it (server.ts: documents, scanCaches, analyses). */
interface OpenNote {
  document: TextDocument;
  cache: ScanCache;
  analysis: NoteAnalysis | undefined;
}

function open(text: string, uri: string): OpenNote {
  const cache = new ScanCache();
  const document = TextDocument.create(uri, 'plaintext', 1, text);
  return { document, cache, analysis: analyzeNote(document.getText(), services(), { cache }) };
}

/**
 * One edit as typing makes it, applied incrementally as the server's TextDocuments does, then the note analysed
 * again with its cache (the last analysis dropped first, as the server does). Every third edit types right
 * after a section header (the paragraph holding the header is scanned again); the others type a character, a
 * line break or delete up to three characters at a random place.
 */
function edit(note: OpenNote, rnd: () => number, k: number): void {
  const text = note.document.getText();
  const sections = note.analysis!.model.sections.filter((s) => s.title !== '');
  const at = k % 3 === 0 && sections.length > 0 ? sections[Math.floor(rnd() * sections.length)]!.contentStart : Math.floor(rnd() * text.length);
  const r = rnd();
  const start = note.document.positionAt(at);
  const change = r < 0.15 ? { range: { start, end: note.document.positionAt(Math.min(text.length, at + 1 + Math.floor(rnd() * 3))) }, text: '' } : { range: { start, end: start }, text: r < 0.3 ? '\n' : 'e' };
  note.document = TextDocument.update(note.document, [change], note.document.version + 1);
  note.analysis = undefined;
  note.analysis = analyzeNote(note.document.getText(), services(), { cache: note.cache });
}

describe('memory kept per open note', function () {
  this.timeout(120_000);

  it('does not grow with edits: a cached paragraph does not keep the note version it was scanned in', () => {
    const gc = fullGc();
    const rnd = prng(18);
    // Warm-up: code compiled, process-wide memo tables (code suggestions, rule look-ups) filled for these notes.
    const warm = open(syntheticNote(60 * 1024, 1), 'file:///warm.txt');
    for (let k = 0; k < 60; k++) edit(warm, rnd, k);
    const before = liveHeap(gc);
    const notes = [2, 3, 4].map((seed) => open(syntheticNote(100 * 1024, seed), `file:///note-${seed}.txt`));
    const chars = notes.reduce((n, note) => n + note.document.getText().length, 0);
    const opened = liveHeap(gc);
    for (let k = 0; k < 60; k++) for (const note of notes) edit(note, rnd, k);
    const edited = liveHeap(gc);
    const growth = edited - opened;
    // Each edit of a header paragraph kept a whole version of the note alive: after 60 edits each, the three
    // notes held 7.2 to 7.5 MB more. What edits may leave: less than 2 bytes per character of the notes (memo
    // entries for new word combinations, longer line tables; the measure moves by +-0.25 MB from run to run).
    assert.ok(growth < 2 * chars, `live heap grew by ${(growth / 1e6).toFixed(2)} MB over ${notes.length} notes of ${chars} characters in all after 60 edits each`);
    // And what an open note keeps at all: its text, its cached scan and its latest analysis, 30 to 31 bytes per
    // character of a synthetic note (tokens twice, in the cache and in the analysis; matches, sentences, findings).
    const perChar = (edited - before) / chars;
    assert.ok(perChar < 48, `an open note keeps ${perChar.toFixed(1)} bytes per character`);
    // (Read here, so every note stays reachable until the last measurement.)
    for (const note of [warm, ...notes]) assert.equal(note.analysis!.model.text, note.document.getText());
  });
});
