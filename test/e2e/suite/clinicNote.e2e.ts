// The example clinic note as a coder sees it in VS Code: its diagnostics (exact codes, ranges, messages), hovers,
// the status bar item and the coding summary (shown and exported). Expected ranges are computed from the text.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CODING_SUMMARY, type CodingSummaryResult } from '../../../server/src/lsp/protocol';
import type { CalxApi } from '../../../client/src/api';
import {
  calx,
  calxDiagnostics,
  codeOf,
  describeDiagnostics,
  fmtRange,
  hoverText,
  rangeOf,
  show,
  waitForDiagnostics,
  waitForEvent,
  workspaceUri,
} from './helpers';

describe('clinic note (examples/clinic-note.txt)', () => {
  let api: CalxApi;
  let uri: vscode.Uri;
  let doc: vscode.TextDocument;

  before(async () => {
    uri = workspaceUri('clinic-note.txt');
    api = await calx();
    const diagnostics = waitForDiagnostics(uri, (ds) => ds.some((d) => d.source === 'calx'), 'Calx diagnostics');
    const status = waitForEvent(api.onDidReceiveStatus, (s) => s.uri === uri.toString(), 'the calx/status notification of the note', () =>
      api.statusOf(uri.toString()),
    );
    doc = (await show(uri)).document;
    await diagnostics;
    await status;
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('reports exactly the header code M75.3 and the unknown code M75.33, with ranges and messages', () => {
    const line17 = doc.getText().indexOf('2. Referral paperwork');
    const expected = [
      {
        code: 'header-code',
        severity: vscode.DiagnosticSeverity.Error,
        range: fmtRange(rangeOf(doc, 'M75.3', 0, line17)),
        message: 'M75.3 Calcific tendinitis of shoulder is a header, not billable in FY2027: report M75.30, M75.31 or M75.32.',
      },
      {
        code: 'invalid-code',
        severity: vscode.DiagnosticSeverity.Error,
        range: fmtRange(rangeOf(doc, 'M75.33')),
        message: 'M75.33 is not an ICD-10-CM code in FY2027; M75.3 Calcific tendinitis of shoulder has M75.30, M75.31 or M75.32.',
      },
    ];
    const actual = calxDiagnostics(uri)
      .map((d) => ({ code: codeOf(d), severity: d.severity, range: fmtRange(d.range), message: d.message }))
      .sort((a, b) => a.range.localeCompare(b.range, undefined, { numeric: true }));
    assert.deepEqual(actual, expected, `diagnostics:\n      ${describeDiagnostics(calxDiagnostics(uri))}`);
    assert.equal(expected[0]!.range, '16:28-16:33', 'the expected range itself (line 17, column 29 in 1-based terms)');
  });

  it('explains the finding "Calcific tendinitis" on hover: definition, site and side with their evidence, suggested code', async () => {
    const at = rangeOf(doc, 'Calcific tendinitis of the right shoulder').start.translate(0, 3);
    const text = await hoverText(uri, at);
    assert.match(text, /^\*\*Calcific tendinitis\*\* · dystrophic calcification$/m, text);
    assert.match(text, /^Current finding for this patient\.$/m, text);
    assert.match(text, /^- Site: shoulder, from "shoulder" \(line 16\)$/m, text);
    assert.match(text, /^- Side: right, from "right" \(line 16\)$/m, text);
    assert.match(text, /^Suggested: \*\*M75\.31 Calcific tendinitis of right shoulder\*\*$/m, text);
  });

  it('explains a written code on hover: title, billable, fiscal year, hierarchy and the notes of every level', async () => {
    const text = await hoverText(uri, rangeOf(doc, 'M75.31').start.translate(0, 2));
    const head = [
      '**M75.31** Calcific tendinitis of right shoulder',
      '',
      'Billable · ICD-10-CM FY2027 (effective 2026-10-01)',
      '',
      'Chapter 13 Diseases of the musculoskeletal system and connective tissue › M70-M79 Other soft tissue disorders › M75 Shoulder lesions › M75.3 Calcific tendinitis of shoulder',
      '',
      '**At M75.3** Calcific tendinitis of shoulder',
      '',
      '_Inclusion terms_',
      '- Calcified bursa of shoulder',
      '',
      '**At M75** Shoulder lesions',
    ].join('\n');
    assert.equal(text.slice(0, head.length), head);
    // VS Code runs the client: the chapter's long Excludes2 list folds behind a link to the full entry.
    assert.ok(text.includes('\n- … 5 more: [Show all notes](command:calx.showCodeEntry?%5B%22M75.31%22%5D)\n'), text);
    assert.ok(text.endsWith('**Siblings**\n- M75.30 Calcific tendinitis of unspecified shoulder\n- M75.32 Calcific tendinitis of left shoulder'), text);
  });

  it('trusts the hover Markdown for calx.showCodeEntry only, and the command shows the full entry', async () => {
    const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, rangeOf(doc, 'M75.31').start.translate(0, 2))) ?? [];
    const trust = hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? undefined : (c as vscode.MarkdownString).isTrusted));
    assert.deepEqual(trust, [{ enabledCommands: ['calx.showCodeEntry'] }]);
    const entry = await vscode.commands.executeCommand<vscode.Uri>('calx.showCodeEntry', 'M75.31', { preview: false });
    assert.equal(entry.toString(), 'calx-code:/M75.31.md');
    const text = (await vscode.workspace.openTextDocument(entry)).getText();
    assert.ok(text.startsWith('# M75.31 Calcific tendinitis of right shoulder\n\nBillable · ICD-10-CM FY2027'), text);
    assert.ok(text.includes('- neoplasms (C00-D49)\n- symptoms, signs and abnormal clinical and laboratory findings, not elsewhere classified (R00-R94)\n'), text);
    assert.ok(!text.includes('Show all notes'), text);
  });

  it('shows the code set year and the finding count in the status bar', () => {
    assert.deepEqual(api.statusBar(), {
      text: 'ICD-10-CM FY2027 · 5 findings',
      tooltip: 'Calx: 5 calcification findings and 2 coding problems in this note. Click to show the coding summary.',
      visible: true,
    });
  });

  it('"Calx: Show coding summary" opens the summary beside the note', async () => {
    const summaryUri = await vscode.commands.executeCommand<vscode.Uri | undefined>('calx.showCodingSummary');
    assert.ok(summaryUri, 'the command returned no summary document');
    assert.equal(summaryUri.scheme, 'calx-summary');
    const summary = await vscode.workspace.openTextDocument(summaryUri);
    assert.equal(summary.languageId, 'markdown');
    const text = summary.getText();
    assert.match(text, /^# Coding summary \(ICD-10-CM FY2027\)$/m);
    assert.match(text, /^1\. \*\*M75\.31\*\* Calcific tendinitis of right shoulder — line 12 "calcific deposit"; line 13 "calcific focus"; line 16 "Calcific tendinitis"$/m);
    assert.match(text, /^- ICD-10-CM \*\*M75\.3\*\* Calcific tendinitis of shoulder, line 17 — header-code$/m);
    assert.match(text, /^- ICD-10-CM \*\*M75\.33\*\* \(unknown\), line 17 — invalid-code$/m);
    // Shown in the Markdown preview (a webview tab) beside the note.
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs);
    assert.ok(
      tabs.some((t) => t.input instanceof vscode.TabInputWebview && /markdown/i.test(t.input.viewType)) ||
        tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === summaryUri.toString()),
      `no summary tab: ${tabs.map((t) => t.label).join(', ')}`,
    );
  });

  it('"Calx: Export coding summary" writes Markdown, CSV and JSON, the server\'s text byte for byte', async () => {
    const result = await api.languageClient!.sendRequest<CodingSummaryResult | null>(CODING_SUMMARY, { uri: uri.toString() });
    assert.ok(result, 'no summary from the server');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'calx-export-'));
    try {
      for (const [format, ext] of [['markdown', 'md'], ['csv', 'csv'], ['json', 'json']] as const) {
        await vscode.window.showTextDocument(doc);
        const target = path.join(dir, `clinic-note.coding-summary.${ext}`);
        const written = await vscode.commands.executeCommand<vscode.Uri>('calx.exportCodingSummary', { format, target });
        assert.equal(written?.fsPath, target);
        const text = fs.readFileSync(target, 'utf8');
        if (format === 'markdown') assert.equal(text, result.markdown);
        if (format === 'csv') {
          assert.equal(text, result.csv);
          assert.match(text, /^section,code,title,detail,lines$/m);
          assert.match(text, /^suggested,M75\.31,Calcific tendinitis of right shoulder,1,12 13 16$/m);
        }
        if (format === 'json') {
          assert.deepEqual(JSON.parse(text), result.json);
          assert.equal((JSON.parse(text) as { fiscalYear: number }).fiscalYear, 2027);
        }
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
