/**
 * Privacy: Calx never touches the network and never writes note text to a log.
 * - The server and the CLI run with test/support/noNetwork.cjs preloaded (NODE_OPTIONS=--require): every
 *   outbound connection or name lookup throws and is recorded in a file; the tests drive every feature
 *   the server offers (and the standard requests it does not, which just error) and assert nothing was
 *   recorded.
 * - The server runs with verbose tracing asked for, settings that produce messages (bad values, a custom term
 *   file, a CPT descriptor file), refused notes and a handler that fails with the note in its error message;
 *   no word of the note may appear on stderr, in window/logMessage, window/showMessage(Request), $/logTrace
 *   or telemetry/event.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestClient } from '../support/lspClient';
import { REPO_ROOT } from '../support/services';

const PRELOAD = join(REPO_ROOT, 'test', 'support', 'noNetwork.cjs');
const GOUT_TERMS = join(REPO_ROOT, 'test', 'fixtures', 'terms', 'gout.json');

/** Invented words that no code, title, lexicon or log line contains: if one shows up, note text leaked. */
const MARKERS = ['Quillonella', 'Barrowmere', 'MRN-58213977', 'zanthorpic', 'Vexworth'];
const NOTE = [
  'CLINIC NOTE for Quillonella Barrowmere, MRN-58213977 (synthetic)',
  '',
  'HISTORY OF PRESENT ILLNESS: zanthorpic pain of the right shoulder 😣 for 3 months; podagra last year.',
  'FAMILY HISTORY: Mother (Mrs. Vexworth) had pseudogout of both knees.',
  '',
  'ASSESSMENT/PLAN:',
  '1. Calcific tendinitis of the right shoulder, M75.3; no calcinosis cutis. Possible heterotopic ossification.',
  '2. Referral lists T52.8X1A and M75.33; CPT 20551, 76942; 23000-LT.',
  '',
].join('\r\n');

const env = (networkLog: string): NodeJS.ProcessEnv => ({
  NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require "${PRELOAD}"`.trim(),
  CALX_NETWORK_LOG: networkLog,
});

/** Every request a client may send; the ones Calx does not offer answer with an error, which is fine. */
function requests(uri: string): Array<[string, unknown]> {
  const at = (line: number, character: number) => ({ textDocument: { uri }, position: { line, character } });
  const range = { start: { line: 0, character: 0 }, end: { line: 8, character: 0 } };
  return [
    ['textDocument/hover', at(6, 45)],
    ['textDocument/hover', at(6, 5)],
    ['textDocument/hover', at(7, 22)],
    ['textDocument/completion', at(6, 47)],
    ['textDocument/completion', { ...at(2, 30), context: { triggerKind: 1 } }],
    ['textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [] } }],
    ['textDocument/codeLens', { textDocument: { uri } }],
    ['textDocument/documentSymbol', { textDocument: { uri } }],
    ['textDocument/documentLink', { textDocument: { uri } }],
    ['textDocument/foldingRange', { textDocument: { uri } }],
    ['textDocument/inlayHint', { textDocument: { uri }, range }],
    ['textDocument/semanticTokens/full', { textDocument: { uri } }],
    ['textDocument/diagnostic', { textDocument: { uri } }],
    ['textDocument/definition', at(6, 45)],
    ['textDocument/references', { ...at(6, 45), context: { includeDeclaration: true } }],
    ['textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } }],
    ['workspace/symbol', { query: 'calc' }],
    ['calx/searchCodes', { query: 'calcific tend', limit: 20 }],
    ['calx/searchCodes', { query: 'M75.', limit: 20 }],
    ['calx/searchCodes', { query: 'Calcification, pineal' }],
    ['calx/codingSummary', { uri }],
  ];
}

/**
 * Drives the whole feature set over one connection: open, edits (full and incremental), every request above,
 * the commands the server advertises, settings changes that load a custom term file and a CPT descriptor file,
 * refused notes (binary, too large), close, shutdown.
 */
async function exercise(client: TestClient, dir: string): Promise<void> {
  const uri = 'file:///synthetic/privacy-note.txt';
  await client.open(uri, NOTE);
  const edited = client.nextDiagnostics(uri, 2);
  await client.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 2 },
    contentChanges: [{ range: { start: { line: 6, character: 3 }, end: { line: 6, character: 3 } }, text: 'Zanthorpic ' }],
  });
  await edited;
  const capabilities = client.capabilities as { executeCommandProvider?: { commands?: string[] } };
  const all = [...requests(uri), ...(capabilities.executeCommandProvider?.commands ?? []).map((command): [string, unknown] => ['workspace/executeCommand', { command, arguments: [uri] }])];
  for (const [method, params] of all) {
    await client.connection.sendRequest(method, params).catch(() => undefined);
  }
  // Settings that make the server read files and report problems.
  const cpt = join(dir, 'cpt.tsv');
  writeFileSync(cpt, '20551\tLicensed descriptor text for a test\n76942\tAnother licensed descriptor\nnot-a-code\tQuillonella\n');
  client.settings = { terms: { file: GOUT_TERMS }, cpt: { descriptorFile: cpt }, rules: { 'header-code': 'loud' }, maxFileSize: 'x' };
  const reanalysed = client.nextDiagnostics(uri, 2);
  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  await reanalysed;
  for (const [method, params] of requests(uri)) await client.connection.sendRequest(method, params).catch(() => undefined);
  // Refused notes: binary, not UTF-8, too large.
  await client.open('file:///synthetic/binary.txt', `${NOTE}\0`);
  await client.open('file:///synthetic/latin1.txt', `${NOTE}\ufffd\ufffd\ufffd\ufffd`);
  await client.open('file:///synthetic/huge.txt', NOTE.repeat(Math.ceil((2.1 * 1024 * 1024) / NOTE.length)));
  await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
}

describe('privacy: no network', function () {
  this.timeout(60000);
  let dir: string;
  let networkLog: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'calx-privacy-'));
    networkLog = join(dir, 'network.log');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const attempts = () => (existsSync(networkLog) ? readFileSync(networkLog, 'utf8').trim().split('\n').filter(Boolean) : []);

  it('the preload blocks and records every kind of outbound attempt (so the tests below cannot pass vacuously)', () => {
    const probe = join(dir, 'probe.log');
    const script = [
      "const tryIt = (f) => { try { f(); } catch {} };",
      "tryIt(() => require('node:http').get('http://127.0.0.1:9/'));",
      "tryIt(() => require('node:https').request('https://example.invalid/'));",
      "tryIt(() => require('node:net').connect(9, '127.0.0.1'));",
      "tryIt(() => new (require('node:net').Socket)().connect(9, '127.0.0.1'));",
      "tryIt(() => require('node:tls').connect(443, 'example.invalid'));",
      "tryIt(() => require('node:dns').lookup('example.invalid', () => {}));",
      "tryIt(() => require('node:dns').promises.lookup('example.invalid'));",
      "tryIt(() => fetch('http://127.0.0.1:9/'));",
    ].join('\n');
    const run = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, ...env(probe) }, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const apis = readFileSync(probe, 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { api: string }).api);
    assert.deepEqual(apis, [
      'node:http.get',
      'node:https.request',
      'node:net.connect',
      'net.Socket.prototype.connect',
      'node:tls.connect',
      'node:dns.lookup',
      'dns.promises.lookup',
      'fetch',
    ]);
  });

  it('the language server makes no outbound connection over its whole feature set', async () => {
    const client = new TestClient(env(networkLog));
    try {
      await client.initialize({ waitForSettings: true });
      await exercise(client, dir);
    } finally {
      await client.stop();
    }
    assert.deepEqual(attempts(), [], client.stderr);
    assert.doesNotMatch(client.stderr, /no-network/);
  });

  it('the CLI makes no outbound connection (text, JSON, SARIF, custom terms, stdin, skipped files)', () => {
    const notes = join(dir, 'notes');
    mkdirSync(notes, { recursive: true });
    writeFileSync(join(notes, 'note.txt'), NOTE);
    writeFileSync(join(notes, 'binary.txt'), `${NOTE}\0`);
    for (const args of [
      ['check', 'examples', notes, '--format', 'json'],
      ['check', 'examples', '--format', 'sarif', '--terms', GOUT_TERMS],
      ['check', 'examples', notes],
      ['check', '-'],
    ]) {
      const run = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), ...args], {
        cwd: REPO_ROOT,
        env: { ...process.env, ...env(networkLog) },
        input: NOTE,
        encoding: 'utf8',
      });
      assert.ok(run.status === 0 || run.status === 1 || run.status === 2, `${args.join(' ')}: ${run.stderr}`);
      assert.doesNotMatch(run.stderr, /no-network/);
    }
    assert.deepEqual(attempts(), []);
  });
});

describe('privacy: no note text in logs', function () {
  this.timeout(60000);

  it('verbose tracing, settings problems, refused notes and a failing handler log no word of the note', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'calx-phi-'));
    // The injected failure's error message quotes the request, i.e. the note's URI and position; the
    // malformed requests below fail with messages naming the note's values too.
    const client = new TestClient({ CALX_FAULT_INJECTION: 'onCompletion', CALX_LOG: 'verbose', CALX_TRACE: 'verbose' }, { settings: { trace: { server: 'verbose' } } });
    try {
      await client.initialize({ waitForSettings: true, trace: 'verbose' });
      await client.connection.sendNotification('$/setTrace', { value: 'verbose' });
      await exercise(client, dir);
      // Malformed requests whose parameters carry note words.
      await client.connection.sendRequest('calx/searchCodes', { query: { text: NOTE } }).catch(() => undefined);
      await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: NOTE }, position: NOTE }).catch(() => undefined);
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { text: NOTE } });
      await client.connection.sendRequest('calx/searchCodes', { query: 'M75.' }); // a round trip: everything above was handled
    } finally {
      await client.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    const logs = client.notifications
      .filter((n) => ['window/logMessage', 'window/showMessage', 'window/showMessageRequest', '$/logTrace', 'telemetry/event'].includes(n.method))
      .map((n) => JSON.stringify(n.params));
    assert.ok(logs.length >= 5, `the run produced log lines to check (${logs.length})`);
    assert.ok(logs.some((l) => l.includes('failed')), 'the failing handler was logged');
    const output = `${logs.join('\n')}\n${client.stderr}`;
    for (const marker of MARKERS) assert.ok(!output.toLowerCase().includes(marker.toLowerCase()), `${marker} leaked:\n${output}`);
    assert.ok(!output.includes('Licensed descriptor'), 'licensed CPT text leaked');
  });

  it('the CLI writes no note text to stderr (progress, skipped files, bad options)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'calx-phi-cli-'));
    try {
      for (let i = 0; i < 30; i++) writeFileSync(join(dir, `note-${String(i).padStart(2, '0')}.txt`), NOTE);
      writeFileSync(join(dir, 'binary.txt'), `${NOTE}\0`);
      writeFileSync(join(dir, 'latin1.txt'), Buffer.concat([Buffer.from(NOTE), Buffer.from([0xe9, 0x20])]));
      writeFileSync(join(dir, 'big.txt'), NOTE.repeat(200));
      const runs = [
        ['check', dir, '--format', 'json', '--max-file-size', '65536'],
        ['check', dir, '--format', 'sarif'],
        ['check', '-', '--terms', join(dir, 'note-00.txt')],
      ].map((args) => spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), ...args], { input: NOTE, encoding: 'utf8' }));
      const stderr = runs.map((r) => r.stderr).join('\n');
      assert.match(stderr, /calx: 25\/\d+ files/, 'progress was written');
      assert.match(stderr, /skipped/, 'skipped files were reported');
      for (const marker of MARKERS) assert.ok(!stderr.toLowerCase().includes(marker.toLowerCase()), `${marker} leaked:\n${stderr}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
