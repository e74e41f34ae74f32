import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/services';

const cli = (args: string[], input?: string) =>
  spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), ...args], { cwd: REPO_ROOT, encoding: 'utf8', input });

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
        '  1:47    finding   Calcification "calcification" [negated by "no"] site hip, side left -> no code yet; missing etiology',
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
      ['Cholelithiasis', null, null, 'cholecystectomy'],
    ]);
    assert.deepEqual(
      file.diagnostics.map((d: { rule: string; severity: string; message: string; range: { start: { line: number } } }) => [d.range.start.line, d.severity, d.rule, d.message]),
      [5, 6].map((line) => [
        line,
        'information',
        'missing-detail',
        'Calculus of gallbladder without cholecystitis: obstruction not documented (without obstruction or with obstruction); K80.20 applies as documented; document whether there is obstruction for K80.21.',
      ]),
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
    assert.match(bad.stderr, /schemaVersion/);
    assert.equal(cli(['check', 'examples', '--no-fail']).status, 0);
    const format = cli(['check', '--format', 'xml']);
    assert.equal(format.status, 2);
    assert.match(format.stderr, /--format takes text, json or sarif/);
    assert.equal(cli(['check', 'no/such/folder']).status, 2);
  });
});
