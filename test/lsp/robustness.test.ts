/**
 * Bad input over a real LSP connection (stdio) and from the CLI: notes over the size limit, binary and
 * non-UTF-8 content, malformed settings, malformed requests and a handler that throws. Each gets one clear
 * answer, nothing else is lost, and the server keeps serving.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkNoteText, decodeNoteBytes, firstInvalidUtf8, formatBytes, utf8Length } from '../../server/src/core/inputGuard';
import { CancellationTokenSource, ResponseError } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SERVER_NODE_FLAGS } from '../../client/src/serverFlags';
import { ClampedTextDocument } from '../../server/src/lsp/documentGuard';
import { TestClient } from '../support/lspClient';
import { syntheticNote } from '../support/syntheticNotes';
import { REPO_ROOT } from '../support/services';

const NOTE = 'ASSESSMENT: Calcific tendinitis of the right shoulder, M75.3; T52.8X1A.\n';
const MB = 1024 * 1024;
const INFO = 3;
const WARNING = 2;

const shown = (client: TestClient) => client.shown;

describe('input guard (core)', () => {
  it('measures UTF-8 size without encoding and writes sizes exactly, in bytes', () => {
    for (const text of ['', 'abc', 'é', '€', '😣', 'a😣é€', '\ud800', '\udc00x']) assert.equal(utf8Length(text), Buffer.byteLength(text), JSON.stringify(text));
    assert.deepEqual([formatBytes(0), formatBytes(1), formatBytes(900), formatBytes(1536), formatBytes(2 * MB), formatBytes(1234567890)], [
      '0 bytes',
      '1 byte',
      '900 bytes',
      '1,536 bytes',
      '2,097,152 bytes',
      '1,234,567,890 bytes',
    ]);
  });

  it('refuses text over the limit, with NULs or runs of U+FFFD, and accepts a stray replacement character', () => {
    assert.equal(checkNoteText(NOTE), undefined);
    assert.equal(checkNoteText(`${NOTE} caf\ufffd au lait; ${NOTE}`), undefined);
    assert.deepEqual(checkNoteText('x'.repeat(2 * MB + 1)), { kind: 'too-large', reason: 'is 2,097,153 bytes, over the limit of 2,097,152 bytes' });
    assert.equal(checkNoteText('😣'.repeat(600), 2048)?.kind, 'too-large'); // 1,200 UTF-16 units, 2,400 bytes
    assert.equal(checkNoteText(`${NOTE}\0${NOTE}`)?.kind, 'binary');
    assert.equal(checkNoteText(`PK\u0003\u0004\ufffd\ufffd\ufffd\ufffd${NOTE}`)?.kind, 'invalid-utf8');
    assert.equal(checkNoteText(`${'a\ufffd '.repeat(20)}`)?.kind, 'invalid-utf8');
  });

  it('decodes UTF-8 bytes (keeping a BOM) and names the first invalid byte', () => {
    assert.deepEqual(decodeNoteBytes(Buffer.from(`\ufeff${NOTE}`)), { text: `\ufeff${NOTE}` });
    const latin1 = Buffer.from('Calcific tendinitis, caf\xe9 M75.31\n', 'latin1');
    assert.deepEqual(decodeNoteBytes(latin1), { problem: { kind: 'invalid-utf8', reason: 'is not valid UTF-8 (first bad byte at offset 24)' } });
    assert.equal(decodeNoteBytes(Buffer.from([0x41, 0, 0x42])).problem?.kind, 'binary');
    assert.equal(decodeNoteBytes(Buffer.alloc(5000, 0x41), 4096).problem?.reason, 'is 5,000 bytes, over the limit of 4,096 bytes');
    // Overlong, surrogate, too large and truncated sequences.
    for (const bad of [[0xc0, 0x80], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]]) {
      assert.equal(firstInvalidUtf8(Uint8Array.from([0x61, ...bad])), 1, bad.join(','));
      assert.equal(decodeNoteBytes(Uint8Array.from([0x61, ...bad])).problem?.kind, 'invalid-utf8');
    }
  });
});

describe('language server: bad input', function () {
  this.timeout(60000);
  let client: TestClient;

  before(async () => {
    client = new TestClient();
    await client.initialize({ waitForSettings: true });
  });
  after(async () => {
    await client.stop();
  });

  it('refuses a note over 2 MB with one information message, clears its diagnostics, and analyses it again once it fits', async () => {
    const uri = 'file:///synthetic/huge%20note.txt';
    assert.ok((await client.open(uri, NOTE)).diagnostics.length > 0);
    const big = `${NOTE}${'Calcific tendinitis of the right shoulder, M75.3. '.repeat(Math.ceil((2 * MB) / 50))}`;
    const before = shown(client).length;
    const cleared = client.nextDiagnostics(uri, 2, 20000);
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: big }],
    });
    assert.deepEqual((await cleared).diagnostics, []);
    // More typing in the oversized note: still refused, and not said again.
    const stillCleared = client.nextDiagnostics(uri, 3, 20000);
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 3 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'x' }],
    });
    assert.deepEqual((await stillCleared).diagnostics, []);
    assert.deepEqual(shown(client).slice(before), [
      { type: INFO, message: 'Calx: huge note.txt is 2,097,272 bytes, over the limit of 2,097,152 bytes; it is not analysed.' },
    ]);
    // Requests on the refused note answer empty instead of analysing it.
    assert.equal(await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 50 } }), null);
    const summary = (await client.connection.sendRequest('calx/codingSummary', { uri })) as { findingCount: number } | null;
    assert.equal(summary?.findingCount ?? 0, 0);
    // Back under the limit: analysed again.
    const back = client.nextDiagnostics(uri, 4);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 4 }, contentChanges: [{ text: NOTE }] });
    assert.ok((await back).diagnostics.length > 0);
    assert.equal(shown(client).length, before + 1);
  });

  it('refuses binary text (NUL) and text decoded from another encoding (runs of U+FFFD), once each', async () => {
    const before = shown(client).length;
    assert.deepEqual((await client.open('file:///synthetic/scan.pdf', `%PDF-1.7\0\0\u0001${NOTE}`)).diagnostics, []);
    assert.deepEqual((await client.open('file:///synthetic/latin1.txt', `PK\ufffd\ufffd\ufffd\ufffd\ufffd ${NOTE}`)).diagnostics, []);
    // One stray replacement character is not a reason to refuse a note.
    assert.ok((await client.open('file:///synthetic/one-fffd.txt', `caf\ufffd. ${NOTE}`)).diagnostics.length > 0);
    assert.deepEqual(shown(client).slice(before), [
      { type: INFO, message: 'Calx: scan.pdf looks binary (it contains NUL characters), not like a text note; it is not analysed.' },
      {
        type: INFO,
        message:
          'Calx: latin1.txt is not valid UTF-8 text (it was decoded with many replacement characters); reopen it with its encoding; it is not analysed.',
      },
    ]);
  });

  it('answers malformed requests empty, logs them without note text, and keeps serving', async () => {
    const uri = 'file:///synthetic/malformed.txt';
    await client.open(uri, NOTE);
    const answers = await Promise.all([
      client.connection.sendRequest('textDocument/hover', { textDocument: null, position: { line: 0, character: 0 } }),
      client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: null }),
      client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: -5, character: 1e9 } }),
      client.connection.sendRequest('calx/codingSummary', null),
      client.connection.sendRequest('calx/searchCodes', { query: { not: 'a string' }, limit: 'many' }),
    ]);
    for (const answer of answers.slice(0, 4)) assert.equal(answer, null);
    // Malformed notifications: a didOpen without a document, a didChange for a note never opened.
    await client.connection.sendNotification('textDocument/didOpen', {});
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: 'file:///nowhere.txt', version: 2 }, contentChanges: [{ text: 'x' }] });
    // Still serving: an edit is analysed and hover answers.
    const after = client.nextDiagnostics(uri, 2);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: `${NOTE}M75.31\n` }] });
    assert.ok((await after).diagnostics.length > 0);
    assert.notEqual(await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 2 } }), null);
    assert.doesNotMatch(client.messages.join('\n'), /tendinitis|T52\.8X1A/);
  });

  it('reports malformed settings once by path and uses the defaults', async () => {
    const other = new TestClient({}, { settings: { maxFileSize: 'big', rules: { 'header-code': 'loud' } } });
    try {
      await other.initialize({ waitForSettings: true });
      const { diagnostics } = await other.open('file:///synthetic/settings.txt', NOTE);
      assert.ok(diagnostics.some((d) => d.code === 'header-code' && d.severity === 1), 'header-code keeps its default severity');
      const warnings = shown(other).filter((m) => m.type === WARNING).map((m) => m.message);
      assert.ok(warnings.some((m) => m.startsWith('Calx settings: calx.maxFileSize: ')), warnings.join('\n'));
      assert.ok(warnings.some((m) => m.startsWith('Calx settings: calx.rules.header-code: ')), warnings.join('\n'));
    } finally {
      await other.stop();
    }
  });

  it('uses calx.maxFileSize when set', async () => {
    const other = new TestClient({}, { settings: { maxFileSize: 4096 } });
    try {
      await other.initialize({ waitForSettings: true });
      assert.ok((await other.open('file:///synthetic/small.txt', NOTE)).diagnostics.length > 0);
      assert.deepEqual((await other.open('file:///synthetic/5k.txt', NOTE.repeat(70))).diagnostics, []);
      assert.deepEqual(shown(other).map((m) => m.message), ['Calx: 5k.txt is 5,040 bytes, over the limit of 4,096 bytes; it is not analysed.']);
    } finally {
      await other.stop();
    }
  });
});

describe('document sync: edit ranges past the end (unit)', () => {
  it('are clamped, so the line table matches the text (TextDocument left holes in it)', () => {
    const fresh = ClampedTextDocument.create('file:///a.txt', 'plaintext', 1, 'abc\r\ndef');
    ClampedTextDocument.update(
      fresh,
      [
        { range: { start: { line: 5, character: 0 }, end: { line: 7, character: 0 } }, text: 'x\ny\n' },
        { range: { start: { line: 9, character: 4 }, end: { line: -2, character: 0 } }, text: 'M' },
        { range: { start: { line: 1, character: 99 }, end: { line: 1, character: 99 } }, text: '!' },
      ],
      2,
    );
    assert.equal(fresh.getText(), 'M!');
    const other = ClampedTextDocument.create('file:///b.txt', 'plaintext', 1, 'abc\r\ndef');
    ClampedTextDocument.update(other, [{ range: { start: { line: 5, character: 0 }, end: { line: 7, character: 0 } }, text: 'x\ny\n' }], 2);
    assert.equal(other.getText(), 'abc\r\ndefx\ny\n');
    assert.equal(other.lineCount, 4);
    const reference = TextDocument.create('file:///c.txt', 'plaintext', 1, other.getText());
    for (let offset = 0; offset <= other.getText().length; offset++) assert.deepEqual(other.positionAt(offset), reference.positionAt(offset), `offset ${offset}`);
  });
});

describe('language server: document sync and cancellation', function () {
  this.timeout(60000);
  let client: TestClient;
  const B = '\n\nASSESSMENT: M75.3 and M19.90.\n';
  let referenceB: unknown;

  before(async () => {
    client = new TestClient();
    await client.initialize({ waitForSettings: true });
    referenceB = (await client.open('file:///synthetic/reference-b.txt', B)).diagnostics;
  });
  after(async () => {
    await client.stop();
  });

  it('answers from the new text when a change reuses the version number', async () => {
    const uri = 'file:///synthetic/reused-version.txt';
    const first = (await client.open(uri, NOTE)).diagnostics;
    assert.notDeepEqual(first, referenceB);
    assert.notEqual(await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 56 } }), null);
    const changed = client.nextDiagnostics(uri, 1);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 1 }, contentChanges: [{ text: B }] });
    assert.deepEqual((await changed).diagnostics, referenceB);
    const hover = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 14 } });
    const expected = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: 'file:///synthetic/reference-b.txt' }, position: { line: 2, character: 14 } });
    assert.deepEqual(hover, expected);
  });

  it('answers from the new text when a note is opened twice without a close', async () => {
    const uri = 'file:///synthetic/opened-twice.txt';
    await client.open(uri, NOTE);
    assert.deepEqual((await client.open(uri, B)).diagnostics, referenceB);
  });

  it('clamps an edit range past the end before it reaches the document, so later positions stay right', async () => {
    const uri = 'file:///synthetic/past-the-end.txt';
    await client.open(uri, NOTE);
    const reference = (await client.open('file:///synthetic/past-the-end-reference.txt', `${NOTE}Y Dx M75.3\nX\n`)).diagnostics;
    const edited = client.nextDiagnostics(uri, 3);
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 5, character: 0 }, end: { line: 7, character: 0 } }, text: 'Dx M75.3\nX\n' }],
    });
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 3 },
      contentChanges: [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'Y ' }],
    });
    // The text is NOTE + "Y Dx M75.3\nX\n": the same diagnostics, at the same positions, as a note opened with it.
    assert.deepEqual((await edited).diagnostics, reference);
    assert.ok(reference.some((d) => d.range.start.line === 1 && d.range.start.character === 5 && d.range.end.character === 10));
  });

  it('stops a cancelled request with RequestCancelled (a search building its indexes, a summary analysing a long note)', async () => {
    const other = new TestClient();
    const cancelled = (e: unknown) => e instanceof ResponseError && e.code === -32800;
    try {
      await other.initialize();
      // Right after start-up the search indexes are not built: the search builds them in slices.
      const search = new CancellationTokenSource();
      const searching = other.connection.sendRequest('calx/searchCodes', { query: 'calcific tendinitis', limit: 5 }, search.token);
      search.cancel();
      await assert.rejects(searching, cancelled);
      // A long note, just changed in every paragraph (nothing for the scan cache to reuse): the summary has to
      // analyse it first, and the cancel comes in meanwhile.
      const uri = 'file:///synthetic/long.txt';
      const text = syntheticNote(600 * 1024, 3);
      await other.open(uri, text);
      // The change and the request go out together (not awaited in between): a client stalled for longer than
      // the debounce would let the server analyse the change on its own first, and the summary would have
      // nothing left to cancel.
      void other.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: 2 },
        contentChanges: [{ text: text.replace(/^/gm, 'Seen. ') }],
      });
      const summary = new CancellationTokenSource();
      const summarising = other.connection.sendRequest('calx/codingSummary', { uri }, summary.token);
      summary.cancel();
      await assert.rejects(summarising, cancelled);
      // Not cancelled: answered as always.
      const items = ((await other.connection.sendRequest('calx/searchCodes', { query: 'calcific tendinitis', limit: 5 })) as { items: unknown[] }).items;
      assert.equal(items.length, 5);
      assert.notEqual(await other.connection.sendRequest('calx/codingSummary', { uri }), null);
    } finally {
      await other.stop();
    }
  });
});

describe('language server: files named by settings (calx.terms.file, calx.cpt.descriptorFile)', function () {
  this.timeout(60000);
  let dir: string;
  const gout = join(REPO_ROOT, 'test', 'fixtures', 'terms', 'gout.json');
  /** A sparse file of `bytes` zeros (no disk used). */
  const sparse = (name: string, bytes: number) => {
    const file = join(dir, name);
    const fd = openSync(file, 'w');
    ftruncateSync(fd, bytes);
    closeSync(fd);
    return file;
  };
  const hoverAt = (client: TestClient, uri: string) =>
    client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: NOTE.indexOf('M75.3') + 1 } });

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'calx-settings-files-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a FIFO, /dev/stdin, /dev/zero and oversized files with one message each, exact sizes, and keeps serving', async () => {
    const fifo = join(dir, 'terms.fifo');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    const client = new TestClient({}, { settings: { terms: { file: fifo }, cpt: { descriptorFile: '/dev/zero' } } });
    try {
      await client.initialize({ waitForSettings: true });
      const uri = 'file:///synthetic/files.txt';
      await client.until(() => shown(client).length === 2, 'two messages');
      assert.ok((await client.open(uri, NOTE)).diagnostics.length > 0);
      assert.notEqual(await hoverAt(client, uri), null);
      // /dev/stdin is the server's own end of the LSP pipe: reading it would swallow the protocol.
      const bigTerms = sparse('big-terms.json', 4 * MB + 1);
      const hugeCpt = sparse('huge-cpt.csv', 500 * MB);
      for (const [terms, descriptorFile] of [['/dev/stdin', hugeCpt], [bigTerms, dir]]) {
        const count = shown(client).length;
        client.settings = { terms: { file: terms }, cpt: { descriptorFile } };
        const reanalysed = client.nextDiagnostics(uri);
        await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
        await reanalysed;
        await client.until(() => shown(client).length === count + 2, 'two more messages');
        assert.notEqual(await hoverAt(client, uri), null);
      }
      assert.deepEqual(
        shown(client).map((m) => m.message).sort(),
        [
          'Calx: CPT descriptor file not used: /dev/zero is a device, not a regular file.',
          `Calx: CPT descriptor file not used: ${dir} is a directory, not a regular file.`,
          `Calx: CPT descriptor file not used: ${hugeCpt} is 524,288,000 bytes, over the limit of 16,777,216 bytes.`,
          `Calx: custom term file not used: ${bigTerms} is 4,194,305 bytes, over the limit of 4,194,304 bytes.`,
          // Node gives a child process a socket pair for stdio; an editor may give a pipe ("named pipe (FIFO)").
          'Calx: custom term file not used: /dev/stdin is a socket, not a regular file.',
          `Calx: custom term file not used: ${fifo} is a named pipe (FIFO), not a regular file.`,
        ].sort(),
      );
      assert.ok(shown(client).every((m) => m.type === WARNING));
      // Still serving after all of it: an edit is analysed.
      const edited = client.nextDiagnostics(uri, 2);
      await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: `${NOTE}M75.31\n` }] });
      assert.ok((await edited).diagnostics.length > 0);
    } finally {
      await client.stop();
    }
  });

  it('reads a term file again only when its path, size or time changed, not on every settings change', async () => {
    const terms = join(dir, 'gout.json');
    writeFileSync(terms, readFileSync(gout));
    const client = new TestClient({}, { settings: { terms: { file: terms } } });
    const loads = () => client.messages.filter((m) => m === '[calx] custom terms: 1 concept(s) added').length;
    const settingsChange = async (settings: unknown) => {
      client.settings = settings;
      const reanalysed = client.nextDiagnostics(uri);
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      return reanalysed;
    };
    const uri = 'file:///synthetic/gout.txt';
    try {
      await client.initialize({ waitForSettings: true });
      await client.until(() => loads() === 1, 'the term file loaded');
      await client.open(uri, 'Gout flare of the left great toe.\n');
      await settingsChange({ terms: { file: terms }, rules: { 'header-code': 'warning' } });
      await settingsChange({ terms: { file: terms }, rules: {} });
      assert.equal(loads(), 1, 'an unchanged file is not read again');
      appendFileSync(terms, '\n');
      await settingsChange({ terms: { file: terms }, rules: {} });
      assert.equal(loads(), 2, 'a changed file is read again');
      await settingsChange({ terms: { file: gout }, rules: {} });
      assert.equal(loads(), 3, 'another path is read');
      assert.deepEqual(shown(client), []);
    } finally {
      await client.stop();
    }
  });

  it('says where a note picked as the term file is not JSON, without quoting it', async () => {
    const note = join(dir, 'visit-note.txt');
    writeFileSync(note, 'Patient Quockett: calcific tendinitis of the right shoulder.\n');
    const client = new TestClient({}, { settings: { terms: { file: note } } });
    try {
      await client.initialize({ waitForSettings: true });
      await client.until(() => shown(client).length === 1, 'one message');
      assert.deepEqual(shown(client), [
        { type: WARNING, message: `Calx: custom term file not used: ${note}: not valid JSON (line 1, column 1: unexpected character)` },
      ]);
      assert.doesNotMatch(`${client.messages.join('\n')}\n${client.stderr}`, /Patient|Quockett|tendinitis/);
    } finally {
      await client.stop();
    }
  });

  it('tells 5,000 unknown rule ids in one message', async () => {
    const rules = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`made-up-${i}`, 'off']));
    const client = new TestClient({}, { settings: { rules } });
    try {
      await client.initialize({ waitForSettings: true });
      assert.ok((await client.open('file:///synthetic/rules.txt', NOTE)).diagnostics.length > 0);
      const messages = shown(client).map((m) => m.message);
      assert.equal(messages.length, 1, messages.slice(0, 3).join('\n'));
      assert.match(messages[0]!, /^Calx settings: calx\.rules: no rule has these 5000 ids: "made-up-0", .*, "made-up-9" and 4990 more \(known: /);
    } finally {
      await client.stop();
    }
  });
});

describe('language server: a handler that throws', function () {
  this.timeout(30000);

  it('answers empty, logs the failure by name without its message, and lives on', async () => {
    // The injected error's message quotes the request, so the note's words would show if messages were logged.
    const client = new TestClient({ CALX_FAULT_INJECTION: 'onHover' });
    try {
      await client.initialize();
      const uri = 'file:///synthetic/fault.txt';
      await client.open(uri, `Zephyrine Quockett: ${NOTE}`);
      const failed = client.nextNotification<{ message: string }>('window/logMessage');
      const hover = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 30 } });
      assert.equal(hover, null);
      assert.match((await failed).message, /^\[calx\] onHover failed \(Error at .+\); answered empty$/);
      // Other features still work, and the next edit is analysed.
      const search = (await client.connection.sendRequest('calx/searchCodes', { query: 'M75.3', limit: 3 })) as { items: unknown[] };
      assert.ok(search.items.length > 0);
      const after = client.nextDiagnostics(uri, 2);
      await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: NOTE }] });
      assert.ok((await after).diagnostics.length > 0);
      assert.doesNotMatch(`${client.messages.join('\n')}\n${client.stderr}`, /Zephyrine|Quockett|tendinitis/);
    } finally {
      await client.stop();
    }
  });
});

describe('language server: an exception outside any handler', function () {
  this.timeout(30000);

  it('is logged by class and place, and the server keeps serving', async () => {
    const client = new TestClient({ CALX_FAULT_INJECTION: 'timer' });
    try {
      await client.initialize();
      const { diagnostics } = await client.open('file:///synthetic/after-timer.txt', NOTE);
      assert.ok(diagnostics.length > 0);
      assert.ok(
        client.messages.some((m) => /^\[calx\] uncaught exception \(Error at .+\)$/.test(m)),
        client.messages.join('\n'),
      );
      assert.doesNotMatch(client.stderr, /injected fault/);
    } finally {
      await client.stop();
    }
  });
});

describe('calx check: bad files', function () {
  this.timeout(30000);
  let dir: string;
  const cli = (args: string[]) => spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), ...args], { cwd: dir, encoding: 'utf8' });

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'calx-bad-'));
    mkdirSync(join(dir, 'notes'));
    writeFileSync(join(dir, 'notes', 'a-good.txt'), 'Calcific tendinitis of the right shoulder, M75.31.\n');
    writeFileSync(join(dir, 'notes', 'b-binary.txt'), Buffer.from([0x25, 0x50, 0x44, 0x46, 0, 1, 2, 3]));
    writeFileSync(join(dir, 'notes', 'c-latin1.txt'), Buffer.from('Calcinosis cutis, caf\xe9 au lait, L94.2\n', 'latin1'));
    writeFileSync(join(dir, 'notes', 'd-big.txt'), 'Calcific tendinitis of the right shoulder, M75.31.\n'.repeat(200));
    writeFileSync(join(dir, 'notes', 'e-error.txt'), 'Dx: M75.3 written as a header.\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('skips binary, non-UTF-8 and oversized files with one stderr line each, checks the rest, and exits 2', () => {
    const run = cli(['check', 'notes/a-good.txt', 'notes/b-binary.txt', 'notes/c-latin1.txt', 'notes/d-big.txt', '--max-file-size', '4096', '--format', 'json']);
    assert.equal(run.status, 2, run.stderr);
    assert.deepEqual(run.stderr.trim().split('\n'), [
      'calx: skipped notes/b-binary.txt: it looks binary (it contains NUL bytes), not like a text note',
      'calx: skipped notes/c-latin1.txt: it is not valid UTF-8 (first bad byte at offset 21)',
      'calx: skipped notes/d-big.txt: it is 10,200 bytes, over the limit of 4,096 bytes',
    ]);
    const report = JSON.parse(run.stdout);
    assert.deepEqual(report.files.map((f: { file: string }) => f.file), ['notes/a-good.txt']);
    assert.deepEqual(report.summary, {
      files: 1,
      errors: 0,
      warnings: 0,
      skipped: [
        { file: 'notes/b-binary.txt', reason: 'looks binary (it contains NUL bytes), not like a text note' },
        { file: 'notes/c-latin1.txt', reason: 'is not valid UTF-8 (first bad byte at offset 21)' },
        { file: 'notes/d-big.txt', reason: 'is 10,200 bytes, over the limit of 4,096 bytes' },
      ],
    });
  });

  it('exits 1 when an error finding was also found, and says how many were skipped', () => {
    const run = cli(['check', 'notes', '--max-file-size', '4096']);
    assert.equal(run.status, 1, run.stderr);
    assert.equal(run.stderr.trim().split('\n').length, 3);
    assert.match(run.stdout, /\n2 file\(s\), 1 error\(s\), \d+ warning\(s\), 3 skipped\n$/);
    assert.equal(cli(['check', 'notes', '--max-file-size', '4096', '--no-fail']).status, 2, '--no-fail does not hide skipped files');
    assert.equal(cli(['check', 'notes/a-good.txt']).status, 0);
    assert.equal(cli(['check', 'notes', '--max-file-size', 'lots']).status, 2);
  });
});

describe('language server: memory after heavy work', function () {
  this.timeout(60000);

  it('runs full collections once idle after heavy work, when started with the extension\'s Node flags', async () => {
    // Idle after 3 s, not 10: V8's own memory reducer (about 8 s after the work) would otherwise sometimes
    // collect first and leave nothing to release, and no message to wait for.
    const client = new TestClient({ CALX_IDLE_RELEASE_MS: '3000' }, { execArgv: [...SERVER_NODE_FLAGS] });
    try {
      await client.initialize();
      // The search indexes first (a search builds them at once): the heavy work below then runs after their
      // warm-up, not interleaved with it, where a full collection V8 makes on its own can leave nothing to release.
      await client.open('file:///synthetic/small.txt', 'Calcific tendinitis of the right shoulder.\n');
      await client.connection.sendRequest('calx/searchCodes', { query: 'calcific tend', limit: 50 });
      await client.connection.sendRequest('calx/searchCodes', { query: 'Calcification, pineal', limit: 50 });
      const text = syntheticNote(50 * 1024, 7);
      const released = (async () => {
        for (;;) {
          const { message } = await client.nextNotification<{ message: string }>('window/logMessage', 30000);
          const m = /^\[calx\] idle: heap (\d+) -> (\d+) MB in \d+ ms$/.exec(message);
          if (m) return { before: Number(m[1]), after: Number(m[2]) };
        }
      })();
      // Forty 50 KB notes: well over the 24 MB of heap growth that makes a release worth its pause (twenty came
      // too close to it once the analysis allocated less, and the release did not always come).
      for (let i = 0; i < 40; i++) {
        const uri = `file:///synthetic/heavy-${i}.txt`;
        await client.open(uri, text);
        await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
      }
      const { before, after } = await released;
      assert.ok(after < before, `${before} -> ${after} MB`);
    } finally {
      await client.stop();
    }
  });
});
