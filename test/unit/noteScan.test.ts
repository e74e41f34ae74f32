/**
 * The paragraph scan behind incremental analysis (server/src/core/noteScan.ts): where paragraphs end, that an
 * edit rescans only the paragraph it touched, and that what a cached scan returns is what a fresh one does.
 */
import assert from 'node:assert/strict';
import { analyzeNote, scannersOf } from '../../server/src/core/analyze';
import { paragraphBounds, ScanCache, scanNote, unitBounds } from '../../server/src/core/noteScan';
import { PhraseMatcher } from '../../server/src/core/text/phraseMatcher';
import { tokenize } from '../../server/src/core/text/tokens';
import { services } from '../support/services';

const NOTE = [
  'INDICATION: Right shoulder pain.',
  '',
  'FINDINGS: Calcific tendinitis of the right supraspinatus tendon. M75.31.',
  'No calcification of the left shoulder.',
  '  \r',
  'IMPRESSION: Coronary artery calcification. I25.10, I25.84.',
  '',
].join('\n');

describe('paragraph scan (incremental analysis)', () => {
  it('ends a paragraph after a blank line, spaces and CR included, and covers the whole text', () => {
    const bounds = paragraphBounds(NOTE);
    assert.deepEqual(
      bounds.map(([s, e]) => NOTE.slice(s, e)),
      [
        'INDICATION: Right shoulder pain.\n\n',
        'FINDINGS: Calcific tendinitis of the right supraspinatus tendon. M75.31.\nNo calcification of the left shoulder.\n  \r\n',
        'IMPRESSION: Coronary artery calcification. I25.10, I25.84.\n',
      ],
    );
    assert.deepEqual(paragraphBounds(''), [[0, 0]]);
    assert.deepEqual(paragraphBounds('\n\n\n'), [[0, 2], [2, 3]]);
  });

  it('ends a unit after each paragraph and after each line that ends a sentence (. ? ! or a colon)', () => {
    const ends = new Set([...'.?!:'].map((c) => c.charCodeAt(0)));
    const units = (text: string) => unitBounds(text, ends).map(([s, e]) => text.slice(s, e));
    assert.deepEqual(units(NOTE), [
      'INDICATION: Right shoulder pain.\n\n',
      'FINDINGS: Calcific tendinitis of the right supraspinatus tendon. M75.31.\n',
      'No calcification of the left shoulder.\n  \r\n',
      'IMPRESSION: Coronary artery calcification. I25.10, I25.84.\n',
    ]);
    // A wrapped sentence runs on over its line break; spaces after the period and CRLF or a lone CR count.
    assert.deepEqual(units('Calcific\r\ntendinitis.  \r\nPLAN:\rRest?\n!x\n\n\nNo. \u00a0\nEnd'), [
      'Calcific\r\ntendinitis.  \r\n',
      'PLAN:\r',
      'Rest?\n',
      '!x\n\n',
      '\nNo. \u00a0\nEnd',
    ]);
    assert.deepEqual(units(''), ['']);
    // Every paragraph end is a unit end.
    assert.deepEqual(unitBounds('\n\n\n', ends), paragraphBounds('\n\n\n'));
    assert.deepEqual(unitBounds('a\n\n\nb', new Set()), paragraphBounds('a\n\n\nb'));
  });

  it('does not end a unit at a character some phrase holds (a phrase may run on over the break)', () => {
    const concepts = new PhraseMatcher([{ phrase: 'pain. calcific', value: 'x' }]);
    const scanners = { ...scannersOf(services()), concepts };
    const text = 'Right shoulder pain.\nCalcific tendinitis.\n';
    const found = scanNote(text, scanners).concepts;
    assert.deepEqual(found, concepts.match(text, tokenize(text)));
    assert.equal(text.slice(found[0]!.start, found[0]!.end), 'pain.\nCalcific');
  });

  it('rescans only the unit an edit touched, and shifts the ones after it', () => {
    const cache = new ScanCache();
    analyzeNote(NOTE, services(), { cache });
    assert.deepEqual(cache.lastScan, { units: 4, scanned: 4 });
    // One character typed in the second unit: the first is reused in place, the others shifted by one.
    const at = NOTE.indexOf('tendon.');
    const edited = `${NOTE.slice(0, at)}s${NOTE.slice(at)}`;
    const analysis = analyzeNote(edited, services(), { cache });
    assert.deepEqual(cache.lastScan, { units: 4, scanned: 1 });
    assert.deepEqual(analysis, analyzeNote(edited, services()));
    const coronary = analysis.findings.find((f) => f.conceptId === 'coronary-artery-calcification');
    assert.equal(edited.slice(coronary!.start, coronary!.end), 'Coronary artery calcification');
    assert.deepEqual(
      analysis.mentions.map((m) => [m.code, edited.slice(m.start, m.end)]),
      [['M75.31', 'M75.31'], ['I25.10', 'I25.10'], ['I25.84', 'I25.84']],
    );
  });

  it('rescans the code lines under a header that stops or starts listing codes (the list runs on over units)', () => {
    const note = 'DIAGNOSES:\nM7531\nE8352\n\nM7531\n';
    const cache = new ScanCache();
    const listed = analyzeNote(note, services(), { cache });
    // Undotted codes count at the start of a line under a diagnosis header, to the paragraph's end.
    assert.deepEqual(listed.mentions.map((m) => [m.code, m.start]), [['M75.31', 11], ['E83.52', 17]]);
    const edited = note.replace('DIAGNOSES:', 'COMMENTS:');
    const analysis = analyzeNote(edited, services(), { cache });
    assert.deepEqual(analysis.mentions, []);
    assert.deepEqual(analysis, analyzeNote(edited, services()));
    // And back: the header line and the code lines under it are scanned again, the last paragraph reused.
    assert.deepEqual(analyzeNote(note, services(), { cache }).mentions.map((m) => [m.code, m.start]), [['M75.31', 11], ['E83.52', 17]]);
    assert.deepEqual(cache.lastScan, { units: 3, scanned: 2 });
  });

  it('starts over when the services change (a custom term file, a licensed CPT file)', () => {
    const cache = new ScanCache();
    analyzeNote(NOTE, services(), { cache });
    analyzeNote(NOTE, services(), { cache });
    assert.deepEqual(cache.lastScan, { units: 4, scanned: 0 });
    analyzeNote(NOTE, { ...services() }, { cache });
    assert.deepEqual(cache.lastScan, { units: 4, scanned: 4 });
  });

  it('handles a note of 300,000 paragraphs (more than a call may have arguments)', () => {
    const text = `${'x\n\n'.repeat(300_000)}Calcific tendinitis of the right shoulder.`;
    const cache = new ScanCache();
    const analysis = analyzeNote(text, services(), { cache });
    assert.equal(analysis.model.tokens.length, 300_000 + 7);
    assert.deepEqual(analysis.findings.map((f) => [f.conceptId, f.start]), [['calcific-tendinitis', 900_000]]);
    assert.deepEqual(cache.lastScan, { units: 300_001, scanned: 2 });
  });

  it('scans a text that stands twice once, however alike the note\'s other units are', () => {
    // 12 distinct lines of 130 characters that differ only at their second character: a unit's key reads every
    // second character of such a line, so all 12 share one (8 kept by key, the rest by text).
    const lines = Array.from({ length: 12 }, (_, k) => `C${String.fromCharCode(97 + k)}${'alcific tendinitis of the right shoulder '.repeat(4).slice(0, 126)}.\n`);
    assert.equal(lines[0]!.length, 130);
    const text = [...lines, ...lines, ...lines.slice(0, 3)].join('');
    const cache = new ScanCache();
    const analysis = analyzeNote(text, services(), { cache });
    assert.deepEqual(cache.lastScan, { units: 27, scanned: 12 });
    const plain = analyzeNote(text, services());
    assert.deepEqual(analysis.findings.map((f) => [f.conceptId, f.start, f.end]), plain.findings.map((f) => [f.conceptId, f.start, f.end]));
    assert.deepEqual(analysis.model.sentences, plain.model.sentences);
  });

  it('does not match a phrase across a blank line', () => {
    const split = 'Calcific\n\ntendinitis of the right shoulder.';
    assert.deepEqual(
      analyzeNote(split, services()).findings.map((f) => f.text),
      analyzeNote('Calcific.\n\ntendinitis of the right shoulder.', services()).findings.map((f) => f.text),
    );
    assert.ok(!analyzeNote(split, services()).findings.some((f) => f.text.includes('\n')));
  });
});

describe('paragraph scan: a cached paragraph that becomes the first', () => {
  it('numbers sections as a fresh scan does when a header paragraph moves to the start of the note', () => {
    const note = 'Seen today.\n\nIMPRESSION: Calcific tendinitis of the right shoulder.\n';
    const cache = new ScanCache();
    analyzeNote(note, services(), { cache });
    // The first paragraph deleted: the header paragraph, cached at offset 13, now starts the note.
    const edited = note.slice('Seen today.\n\n'.length);
    const analysis = analyzeNote(edited, services(), { cache });
    assert.deepEqual(cache.lastScan, { units: 1, scanned: 0 });
    assert.deepEqual(analysis, analyzeNote(edited, services()));
    assert.deepEqual(analysis.model.sections.map((s) => s.kind), ['impression']);
    assert.deepEqual(analysis.findings.map((f) => f.section), ['impression']);
  });
});
