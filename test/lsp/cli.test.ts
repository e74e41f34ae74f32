import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/services';

const cli = (args: string[], input?: string) =>
  spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), ...args], { cwd: REPO_ROOT, encoding: 'utf8', input });

describe('calx check (CLI)', function () {
  this.timeout(30000);

  it('prints codes and problems for the example notes and exits 1 on errors', () => {
    const run = cli(['check', 'examples', '--format', 'json']);
    assert.equal(run.status, 1, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.deepEqual(report.codeSet, { system: 'ICD-10-CM', fiscalYear: 2027, effective: '2026-10-01' });
    assert.deepEqual(report.files.map((f: { file: string }) => f.file), [
      'examples/clinic-note.txt',
      'examples/operative-report.txt',
      'examples/radiology-report.txt',
    ]);
    const clinic = report.files[0];
    assert.deepEqual(clinic.codes[0], {
      system: 'icd10cm',
      code: 'M75.31',
      text: 'M75.31',
      start: { offset: clinic.codes[0].start.offset, line: 16, character: 47 },
      end: { offset: clinic.codes[0].start.offset + 6, line: 16, character: 53 },
      title: 'Calcific tendinitis of right shoulder',
      billable: true,
      modifiers: [],
    });
    assert.deepEqual(
      clinic.diagnostics.map((d: { rule: string; start: { line: number; character: number } }) => [d.rule, d.start.line, d.start.character]),
      [
        ['header-code', 17, 29],
        ['invalid-code', 17, 39],
      ],
    );
  });

  it('reads standard input and exits 0 when nothing is wrong', () => {
    const run = cli(['check', '-'], 'Calcific tendinitis, left shoulder: M75.32.\n');
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /<stdin>\n {2}1:37 {4}ICD-10-CM M75.32 {3}Calcific tendinitis of left shoulder \(billable\)/);
    assert.match(run.stdout, /1 file\(s\), 0 error\(s\), 0 warning\(s\)/);
  });

  it('exits 0 with --no-fail and 2 on a usage error', () => {
    assert.equal(cli(['check', 'examples', '--no-fail']).status, 0);
    const bad = cli(['check', '--format', 'xml']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--format takes text or json/);
    assert.equal(cli(['check', 'no/such/folder']).status, 2);
  });
});
