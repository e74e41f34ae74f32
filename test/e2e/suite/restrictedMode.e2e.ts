// Workspace trust: a workspace's settings may name files Calx reads (calx.terms.file, calx.cpt.descriptorFile).
// A trusted workspace's custom term file is loaded; in Restricted Mode VS Code withholds those values
// (package.json restrictedConfigurations), so the file is not read, and Calx says why.
//
// The normal run opens the workspace trusted (workspace trust disabled); the second pass of `npm run test:e2e`
// (CALX_E2E_UNTRUSTED=1, see test/e2e/harness/code-shim.js) opens it in Restricted Mode and runs only this file.
// Each test skips itself in the other mode.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CalxApi } from '../../../client/src/api';
import { calx, codeOf, describeDiagnostics, show, waitForDiagnostics, waitForEvent, workspaceUri, writeWorkspaceFile } from './helpers';

const UNTRUSTED_RUN = process.env.CALX_E2E_UNTRUSTED === '1';
const NOTE = 'Gouty arthritis of the right great toe. Dx: M75.3.\n';

describe('Restricted Mode: files named by workspace settings', () => {
  let api: CalxApi;
  let termsFile: string;
  let noteUri: vscode.Uri;
  const settingsUri = () => workspaceUri('.vscode', 'settings.json');

  before(async () => {
    api = await calx();
    if (UNTRUSTED_RUN) assert.equal(vscode.workspace.isTrusted, false, 'CALX_E2E_UNTRUSTED=1, yet the workspace is trusted');
    // A team's custom term file (the gout fixture) and workspace settings naming it, written as a cloned folder
    // would carry them. calx.rules is not restricted: its effect shows that VS Code and the server read the file.
    // From the repository (this bundle runs from <repo>/out/test/e2e), not the extension: a packaged one has no tests.
    const terms = fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'terms', 'gout.json'), 'utf8');
    termsFile = (await writeWorkspaceFile('team-terms.json', terms)).fsPath;
    const changed = waitForEvent(
      vscode.workspace.onDidChangeConfiguration,
      () => vscode.workspace.getConfiguration('calx').get<Record<string, string>>('rules')?.['header-code'] === 'warning',
      'the workspace settings to apply',
      () => (vscode.workspace.getConfiguration('calx').get<Record<string, string>>('rules')?.['header-code'] === 'warning' ? ({} as vscode.ConfigurationChangeEvent) : undefined),
    );
    await vscode.workspace.fs.writeFile(
      settingsUri(),
      new TextEncoder().encode(JSON.stringify({ 'calx.terms.file': termsFile, 'calx.rules': { 'header-code': 'warning' } }, null, 2)),
    );
    await changed;
    noteUri = await writeWorkspaceFile('gout-note.txt', NOTE);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const reverted = waitForEvent(vscode.workspace.onDidChangeConfiguration, (e) => e.affectsConfiguration('calx'), 'the settings to revert');
    await vscode.workspace.fs.delete(settingsUri());
    await reverted;
  });

  /** Opens the note and waits until the server has applied the workspace's calx.rules (header-code as a warning). */
  async function openAnalysed(): Promise<number> {
    const analysed = waitForDiagnostics(
      noteUri,
      (ds) => ds.some((d) => codeOf(d) === 'header-code' && d.severity === vscode.DiagnosticSeverity.Warning),
      'header-code as a warning (the workspace rules setting)',
    );
    await show(noteUri);
    await analysed;
    const status = await waitForEvent(api.onDidReceiveStatus, (s) => s.uri === noteUri.toString(), 'the status of the note', () => api.statusOf(noteUri.toString()));
    return status.findingCount;
  }

  it('loads the custom term file named by a trusted workspace', async function () {
    if (!vscode.workspace.isTrusted) this.skip();
    assert.equal(vscode.workspace.getConfiguration('calx').get('terms.file'), termsFile);
    const wait = waitForEvent(api.onDidReceiveStatus, (s) => s.uri === noteUri.toString() && s.findingCount === 1, 'the gout finding from the custom terms', () =>
      api.statusOf(noteUri.toString()),
    );
    await openAnalysed();
    await wait;
    assert.equal(await api.restrictedModeNotice(), undefined, 'no Restricted Mode notice in a trusted workspace');
  });

  it('does not read it in an untrusted workspace, and tells the user why', async function () {
    if (vscode.workspace.isTrusted) this.skip();
    const inspected = vscode.workspace.getConfiguration('calx').inspect<string>('terms.file');
    assert.equal(vscode.workspace.getConfiguration('calx').get('terms.file'), '', 'VS Code hands the workspace value to Calx');
    assert.equal(inspected?.workspaceValue, undefined);
    const findings = await openAnalysed();
    assert.equal(findings, 0, `the gout concept of the workspace's term file was loaded; diagnostics: ${describeDiagnostics(vscode.languages.getDiagnostics(noteUri))}`);
    assert.equal(
      await api.restrictedModeNotice(),
      'Calx: this workspace is not trusted, so Calx does not read the file named by its workspace setting calx.terms.file. ' +
        'Calx still checks notes with its own data and with files from your user settings. Trust the workspace to use them.',
    );
  });
});
