import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '../support/services';

const CLI = join(REPO_ROOT, 'dist', 'cli.js');
const cli = (args: string[], input?: string) => spawnSync(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, encoding: 'utf8', input });

describe('calx check (CLI)', function () {
  this.timeout(30000);

  it('reports findings, codes and diagnostics of the example notes as JSON and exits 1 on errors', () => {
    const run = cli(['check', 'examples', '--format', 'json']);
    assert.equal(run.status, 1, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.deepEqual(report.codeSet, { system: 'ICD-10-CM', fiscalYear: 2027, effective: '2026-10-01' });
    assert.deepEqual(report.lexicons, ['calcification.json']);
    assert.deepEqual(report.files.map((f: { file: string }) => f.file), [
      'examples/clinic-note.txt',
      'examples/operative-report.txt',
      'examples/radiology-report.txt',
    ]);
    // clinic: header + invalid; operative: invalid x2, shoulder-calcific-tendinitis, cpt-bundling; radiology: header.
    assert.deepEqual(report.summary, { files: 3, errors: 7, warnings: 0 });
    const clinic = report.files[0];
    const tendinitis = clinic.findings.find((f: { concept: string }) => f.concept === 'calcific-tendinitis');
    const start = tendinitis.range.start.offset;
    assert.deepEqual(tendinitis, {
      concept: 'calcific-tendinitis',
      preferred: 'Calcific tendinitis',
      category: 'dystrophic-calcification',
      text: 'Calcific tendinitis',
      range: { start: { offset: start, line: 16, character: 4 }, end: { offset: start + 19, line: 16, character: 23 } },
      section: 'assessment-plan',
      negated: null,
      uncertain: null,
      hypothetical: null,
      historical: null,
      experiencer: null,
      site: {
        value: 'shoulder',
        text: 'shoulder',
        via: 'sentence',
        range: { start: { offset: start + 33, line: 16, character: 37 }, end: { offset: start + 41, line: 16, character: 45 } },
      },
      laterality: {
        value: 'right',
        text: 'right',
        via: 'sentence',
        range: { start: { offset: start + 27, line: 16, character: 31 }, end: { offset: start + 32, line: 16, character: 36 } },
      },
      etiology: [],
      measure: null,
      codes: {
        family: 'M75.3',
        suggested: [{ code: 'M75.31', title: 'Calcific tendinitis of right shoulder' }],
        unspecified: null,
        candidates: [],
        missing: [],
        axes: [],
        codeFirst: [],
      },
    });
    const pseudogout = clinic.findings.find((f: { concept: string }) => f.concept === 'cppd-disease');
    assert.equal(pseudogout.experiencer.trigger, 'mother');
    assert.deepEqual(clinic.diagnostics.map((d: { rule: string; range: { start: { line: number; character: number } } }) => [d.rule, d.range.start.line, d.range.start.character]), [
      ['header-code', 17, 29],
      ['invalid-code', 17, 39],
    ]);
  });

  it('prints findings with context, attributes and code in text', () => {
    const run = cli(['check', '-'], 'PLAN: Calcific tendinitis of the shoulder. No calcification of the left hip.\n');
    assert.equal(run.status, 0, run.stderr);
    assert.equal(
      run.stdout,
      [
        'Calx · ICD-10-CM FY2027 (effective 2026-10-01)',
        '',
        '<stdin>',
        '  1:7     finding   Calcific tendinitis of shoulder "Calcific tendinitis of the shoulder" site shoulder -> M75.30 as documented; missing laterality',
        '  1:47    finding   Calcification "calcification" [negated by "no"] site hip, side left -> no code yet',
        '  1:7     warning missing-laterality: Calcific tendinitis of shoulder without side: M75.30 is the unspecified-side code; document right or left for M75.31 / M75.32.',
        '',
        '1 file(s), 0 error(s), 1 warning(s)',
        '',
      ].join('\n'),
    );
  });

  it('reports normal results as absent, a study name as no finding, and names the axis a family needs (JSON)', () => {
    const note = [
      'INDICATION: Evaluate for kidney stones.',
      'CALCIFICATIONS: None.',
      'Coronary artery calcium score: 0 (zero percentile).',
      'CORONARY CALCIUM SCAN: Agatston score 0. No coronary artery calcification.',
      'Gallbladder: Surgically absent. History of cholelithiasis status post cholecystectomy.',
      'Cholelithiasis.',
    ].join('\n');
    const run = cli(['check', '--format', 'json', '-'], note);
    assert.equal(run.status, 0, run.stderr);
    const file = JSON.parse(run.stdout).files[0];
    const findings = file.findings.map((f: { text: string; negated: { trigger: string } | null; hypothetical: { trigger: string } | null; historical: { trigger: string } | null }) => [
      f.text,
      f.negated?.trigger ?? null,
      f.hypothetical?.trigger ?? null,
      f.historical?.trigger ?? null,
    ]);
    assert.deepEqual(findings, [
      ['kidney stones', null, 'evaluate for', null],
      ['CALCIFICATIONS', 'none', null, null],
      ['Coronary artery calcium score', 'score: 0', null, null],
      ['Agatston score', 'score 0', null, null],
      ['coronary artery calcification', 'no', null, null],
      ['cholelithiasis', null, null, 'history of'],
      // The removal is in its own sentence, not in a surgical history: the next line's stones are current.
      ['Cholelithiasis', null, null, null],
    ]);
    assert.deepEqual(
      file.diagnostics.map((d: { rule: string; severity: string; message: string; range: { start: { line: number } } }) => [d.range.start.line, d.severity, d.rule, d.message]),
      // One question for the stones, at the current mention; the historical one is its other mention.
      [
        [
          6,
          'information',
          'missing-detail',
          'Calculus of gallbladder without cholecystitis: obstruction not documented (without obstruction or with obstruction); K80.20 applies as documented; document whether there is obstruction for K80.21. Also mentioned at line 5.',
        ],
      ],
    );
  });

  it('writes SARIF 2.1.0 with rule ids, levels and UTF-16 regions', () => {
    const run = cli(['check', '--format', 'sarif', '-'], 'Dx 😣 M75.3\n');
    assert.equal(run.status, 1);
    const log = JSON.parse(run.stdout);
    assert.equal(log.version, '2.1.0');
    assert.deepEqual(log.runs[0].tool.driver.rules.map((r: { id: string }) => r.id), [
      'invalid-code',
      'header-code',
      'seventh-character',
      'excludes1-conflict',
      'sequencing',
      'unspecified-code',
      'shoulder-calcific-tendinitis',
      'ossification-vs-calcification',
      'cpt-bundling',
      'cpt-modifier',
      'missing-site',
      'missing-laterality',
      'missing-etiology',
      'missing-detail',
    ]);
    assert.deepEqual(log.runs[0].results, [
      {
        ruleId: 'header-code',
        level: 'error',
        message: { text: 'M75.3 Calcific tendinitis of shoulder is a header, not billable in FY2027: report M75.30, M75.31 or M75.32.' },
        locations: [{ physicalLocation: { artifactLocation: { uri: '<stdin>' }, region: { startLine: 1, startColumn: 7, endLine: 1, endColumn: 12 } } }],
      },
    ]);
  });

  it('adds a custom term file to the lexicon', () => {
    const run = cli(['check', '--format', 'json', '--terms', 'test/fixtures/terms/gout.json', '-'], 'Gouty arthritis of the right great toe.\n');
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.deepEqual(report.lexicons, ['calcification.json', 'test/fixtures/terms/gout.json']);
    const [finding] = report.files[0].findings;
    assert.equal(finding.concept, 'gout');
    assert.equal(finding.site.value, 'ankle-foot');
    assert.deepEqual(finding.codes.suggested, [{ code: 'M10.071', title: 'Idiopathic gout, right ankle and foot' }]);
  });

  it('rejects a malformed custom term file with its JSON path, and usage errors, with status 2', () => {
    const bad = cli(['check', '--terms', 'package.json', '-'], 'x\n');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /package\.json/);
    assert.match(bad.stderr, /^ {2}schemaVersion: Invalid input: expected 1$/m);
    assert.equal(cli(['check', 'examples', '--no-fail']).status, 0);
    const format = cli(['check', '--format', 'xml']);
    assert.equal(format.status, 2);
    assert.match(format.stderr, /--format takes text, json, sarif or ndjson/);
    assert.equal(cli(['check', 'no/such/folder']).status, 2);
  });
});

describe('the bundles (scripts/esbuildNode.mjs)', () => {
  it("carry zod's English messages only, not its other locales", () => {
    for (const bundle of ['server.js', 'cli.js']) {
      const text = readFileSync(join(REPO_ROOT, 'dist', bundle), 'utf8');
      const locales = [...text.matchAll(/^\/\/ node_modules\/zod\/v4\/locales\/([\w-]+)\.js$/gm)].map((m) => m[1]);
      assert.deepEqual(locales, ['en'], bundle);
    }
  });
});

describe('calx check --format ndjson (streaming records)', function () {
  this.timeout(30000);
  const NOTE = 'PLAN: Calcific tendinitis of the shoulder. No calcification of the left hip.\n';
  /** The JSON mode's entry for the same input: the reference a record's result must equal. */
  const jsonEntry = (args: string[], input?: string) => JSON.parse(cli(['check', '--format', 'json', ...args], input).stdout).files[0];
  const lines = (stdout: string) => stdout.split('\n').slice(0, -1).map((l) => JSON.parse(l) as unknown);

  it('writes one result line per record in input order: text and path records as the JSON mode reports them, bad records as errors, and goes on', () => {
    const big = JSON.stringify({ id: 'too-big', text: 'Calcific tendinitis. '.repeat(60) });
    const input = [
      JSON.stringify({ id: 'n1', text: NOTE }),
      'not json {"id": "n0"}',
      '',
      JSON.stringify({ id: 7, path: 'examples/clinic-note.txt' }),
      JSON.stringify({ text: NOTE }),
      big,
      JSON.stringify({ id: 'both', text: NOTE, path: 'examples/clinic-note.txt' }),
      JSON.stringify({ id: 'gone', path: 'no/such/note.txt' }),
      JSON.stringify({ id: 'bin', text: 'a\u0000b' }),
      JSON.stringify(['n9', NOTE]),
      JSON.stringify({ id: 'last', text: NOTE }),
    ].join('\n');
    const run = cli(['check', '--format', 'ndjson', '--max-file-size', '1024', '-'], input);
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(lines(run.stdout), [
      { id: 'n1', line: 1, ...jsonEntry(['-'], NOTE) },
      { id: null, line: 2, error: 'is not valid JSON' },
      { id: 7, line: 4, ...jsonEntry(['examples/clinic-note.txt']) },
      { id: null, line: 5, error: 'has no "id" (a string or a finite number)' },
      { id: 'too-big', line: 6, error: `is over the limit of 1,024 bytes (a line of ${big.length.toLocaleString('en-US')} bytes, skipped without being kept)` },
      { id: 'both', line: 7, error: 'needs either "text" (the note, a string) or "path" (a file to read), not both' },
      { id: 'gone', line: 8, error: 'cannot be read (ENOENT)' },
      { id: 'bin', line: 9, error: 'looks binary (it contains NUL characters), not like a text note' },
      { id: null, line: 10, error: 'is not a JSON object ({"id": ..., "text": ...} or {"id": ..., "path": ...})' },
      { id: 'last', line: 11, ...jsonEntry(['-'], NOTE) },
    ]);
    assert.equal(lines(run.stdout).length, 10);
    const summary = run.stderr.trimEnd().split('\n').at(-1)!;
    assert.match(summary, /^calx: 10 record\(s\), 7 bad, 2 error\(s\), 2 warning\(s\); [\d.]+ MB in [\d.]+ s \([\d.]+ MB\/s, \d+ records\/s\)$/);
    assert.doesNotMatch(run.stderr, /tendinitis|calcification/i, 'no note text on stderr');
  });

  it('exits 2 when a record was bad and no error was found, 0 when all were clean, and refuses file arguments', () => {
    const clean = JSON.stringify({ id: 'ok', text: 'Calcific tendinitis of the right shoulder.' });
    assert.equal(cli(['check', '--format', 'ndjson'], `${clean}\n`).status, 0);
    assert.equal(cli(['check', '--format', 'ndjson'], `${clean}\n{"id": 1}\n`).status, 2);
    const files = cli(['check', '--format', 'ndjson', 'examples']);
    assert.equal(files.status, 2);
    assert.match(files.stderr, /--format ndjson reads its records from standard input/);
  });

  it('reports a long line that breaks across many reads as one record too large, and keeps the id written first', () => {
    const long = `{"id": "long", "text": "${'x'.repeat(300000)}"}`;
    // 300,027 bytes: the line with its CR.
    const run = cli(['check', '--format', 'ndjson', '--max-file-size', '100000'], `${long}\r\n${JSON.stringify({ id: 'after', text: 'M75.31' })}\n`);
    assert.deepEqual(lines(run.stdout), [
      { id: 'long', line: 1, error: 'is over the limit of 100,000 bytes (a line of 300,027 bytes, skipped without being kept)' },
      { id: 'after', line: 2, ...jsonEntry(['-'], 'M75.31') },
    ]);
  });

  it('answers each record before the next one is written (a stream, not a batch read to the end)', async () => {
    const calx = spawn(process.execPath, [CLI, 'check', '--format', 'ndjson'], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'ignore'] });
    const results: string[] = [];
    let buffered = '';
    let waiting: (() => void) | undefined;
    calx.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        results.push(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
        waiting?.();
      }
    });
    const next = (count: number) => new Promise<void>((resolve) => (waiting = () => results.length >= count && resolve()));
    for (const id of ['a', 'b', 'c']) {
      const answered = next(results.length + 1);
      calx.stdin.write(`${JSON.stringify({ id, text: NOTE })}\n`);
      await answered;
    }
    calx.stdin.end();
    const status = await new Promise((resolve) => calx.on('close', resolve));
    assert.equal(status, 0);
    assert.deepEqual(results.map((r) => (JSON.parse(r) as { id: string; line: number }).id), ['a', 'b', 'c']);
  });
});

describe('calx check: links, unreadable directories, FIFOs, devices and endless input', function () {
  this.timeout(30000);
  const NOTE = 'Calcific tendinitis of the right shoulder, M75.31.\n';
  let dir: string;
  /** The CLI in the test's folder; `timeout` only stops a run that would hang or never end (never asserted on). */
  const run = (args: string[], options: SpawnSyncOptions = {}) =>
    spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', timeout: 20000, ...options }) as ReturnType<typeof cli>;
  const files = (stdout: string) => (JSON.parse(stdout) as { files: Array<{ file: string }> }).files.map((f) => f.file);
  /** A JSON run that checked `checked`, skipped `skipped` ([file, reason]) with one stderr line each, and exited 2. */
  const assertSkipped = (result: { status: number | null; stdout: string; stderr: string }, checked: string[], skipped: Array<[string, string]>) => {
    assert.equal(result.stderr, skipped.map(([file, reason]) => `calx: skipped ${file}: it ${reason}\n`).join(''));
    assert.equal(result.status, 2);
    assert.deepEqual(files(result.stdout), checked);
    const summary = { files: checked.length, errors: 0, warnings: 0, skipped: skipped.map(([file, reason]) => ({ file, reason })) };
    assert.deepEqual((JSON.parse(result.stdout) as { summary: unknown }).summary, summary);
  };
  const note = (path: string) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), NOTE);
  };
  const mkfifo = (path: string) => assert.equal(spawnSync('mkfifo', [join(dir, path)]).status, 0, 'mkfifo');

  before(function () {
    if (process.platform === 'win32') this.skip();
    dir = mkdtempSync(join(tmpdir(), 'calx-cli-'));
    chmodSync(dir, 0o755); // the unreadable-directory test runs the CLI as another user
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('skips a dangling link and link loops with one stderr line each, and checks the rest', () => {
    note('links/a.txt');
    symlinkSync('missing.txt', join(dir, 'links', 'b-dangling.txt'));
    symlinkSync('c-loop.txt', join(dir, 'links', 'c-loop.txt'));
    symlinkSync('e-loop', join(dir, 'links', 'd-loop'));
    symlinkSync('d-loop', join(dir, 'links', 'e-loop'));
    note('links/f.txt');
    const result = run(['check', 'links', 'no/such.txt', '--format', 'json']);
    assertSkipped(result, ['links/a.txt', 'links/f.txt'], [
      ['links/b-dangling.txt', 'is a link to something missing (ENOENT)'],
      ['links/c-loop.txt', 'is a link loop (ELOOP)'],
      ['links/d-loop', 'is a link loop (ELOOP)'],
      ['links/e-loop', 'is a link loop (ELOOP)'],
      ['no/such.txt', 'does not exist (ENOENT)'],
    ]);
  });

  it('walks a directory that links back to an ancestor once, and a directory named twice once', () => {
    note('tree/x.txt');
    note('tree/sub/y.txt');
    symlinkSync('..', join(dir, 'tree', 'sub', 'up'));
    const result = run(['check', 'tree', 'tree/sub', '--format', 'json']);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.deepEqual(files(result.stdout), ['tree/sub/y.txt', 'tree/x.txt']);
  });

  it('skips a directory it may not read and checks the rest', () => {
    // chmod 000 does not stop root, so as root the CLI runs as the unprivileged user "nobody" (65534), for
    // whom the directory is as unreadable as for anyone: readdir fails with EACCES, as it would for a user.
    note('perm/ok.txt');
    note('perm/locked/hidden.txt');
    chmodSync(join(dir, 'perm', 'locked'), 0);
    try {
      const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
      const result = run(['check', 'perm', '--format', 'json'], asUser);
      assertSkipped(result, ['perm/ok.txt'], [['perm/locked', 'is a directory that cannot be read (EACCES)']]);
    } finally {
      chmodSync(join(dir, 'perm', 'locked'), 0o755);
    }
  });

  it('never opens a FIFO met in a directory (it could block forever): skipped when it is named like a note', () => {
    note('fifo/a.txt');
    mkfifo('fifo/b.txt');
    mkfifo('fifo/pipe');
    const result = run(['check', 'fifo', '--format', 'json']);
    assert.equal(result.signal, null, 'the CLI blocked on the FIFO and was stopped');
    assertSkipped(result, ['fifo/a.txt'], [['fifo/b.txt', 'is a FIFO, not a regular file: only regular files are read from a directory']]);
  });

  it('stops reading a device named on the command line one byte past the limit', () => {
    const zero = relative(dir, '/dev/zero');
    const result = run(['check', '/dev/zero', '--max-file-size', '100000', '--format', 'json']);
    assert.equal(result.signal, null, 'the CLI kept reading /dev/zero and was stopped');
    assertSkipped(result, [], [[zero, 'is over the limit of 100,000 bytes (reading stopped after 100,001 bytes)']]);
  });

  /**
   * The CLI with a writer that never stops, into its standard input or into a FIFO it names. The writer is
   * stopped once the CLI has exited; both are stopped if the CLI runs on (a guard so a regression fails
   * instead of eating the machine's memory, not a measure).
   */
  function withEndlessWriter(args: string[], fifo?: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
    const endless = `const fs = require('node:fs');
      const out = process.argv[1] ? fs.createWriteStream(process.argv[1]) : process.stdout;
      const chunk = Buffer.from(${JSON.stringify(NOTE)}.repeat(1000));
      out.on('error', () => process.exit(0));
      const write = () => { while (out.write(chunk)); out.once('drain', write); };
      write();`;
    const writer = spawn(process.execPath, ['-e', endless, ...(fifo ? [join(dir, fifo)] : [])], { stdio: ['ignore', fifo ? 'ignore' : 'pipe', 'ignore'] });
    const calx = spawn(process.execPath, [CLI, ...args], { cwd: dir, stdio: [fifo ? 'ignore' : writer.stdout!, 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    calx.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    calx.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const guard = setTimeout(() => calx.kill('SIGKILL'), 20000);
    return new Promise((resolve) =>
      calx.on('close', (status) => {
        clearTimeout(guard);
        writer.kill('SIGKILL');
        resolve({ status, stdout, stderr });
      }),
    );
  }

  it('stops reading endless standard input one byte past the limit and reports it skipped', async () => {
    const result = await withEndlessWriter(['check', '-', '--max-file-size', '100000', '--format', 'json']);
    assertSkipped(result, [], [['<stdin>', 'is over the limit of 100,000 bytes (reading stopped after 100,001 bytes)']]);
  });

  it('stops reading an endless FIFO named on the command line one byte past the limit', async () => {
    mkfifo('endless.txt');
    note('after.txt');
    const result = await withEndlessWriter(['check', 'endless.txt', 'after.txt', '--max-file-size', '100000'], 'endless.txt');
    assert.equal(result.stderr, 'calx: skipped endless.txt: it is over the limit of 100,000 bytes (reading stopped after 100,001 bytes)\n');
    assert.equal(result.status, 2);
    assert.match(result.stdout, /\nafter\.txt\n/);
    assert.match(result.stdout, /\n1 file\(s\), 0 error\(s\), 0 warning\(s\), 1 skipped\n$/);
  });

  it('keeps the section of a finding under a header named like an Object property ("Constructor:")', () => {
    const text = 'Constructor: Calcific tendinitis of the right shoulder.\nCONSTRUCTOR: Calcific tendinitis of the left shoulder.\n';
    const result = cli(['check', '--format', 'json', '-'], text);
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { files: Array<{ findings: Array<{ text: string; section?: string; laterality: { value: string } }> }> };
    assert.deepEqual(
      report.files[0]!.findings.map((f) => [f.laterality.value, f.section]),
      [
        ['right', 'preamble'],
        ['left', 'other'],
      ],
    );
  });
});
