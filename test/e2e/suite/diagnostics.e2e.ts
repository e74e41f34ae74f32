// Calx end to end: the real client starts the real language server, which publishes diagnostics.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

const SOURCE = 'calx';
const WAIT_MS = Number(process.env.CALX_E2E_WAIT_MS) || 30_000;

/** Why Calx may not be running, for failure messages. */
function extensionState(): string {
  const ext = vscode.extensions.getExtension('calx.calx');
  if (!ext) return 'extension calx.calx is not installed';
  const main = typeof ext.packageJSON.main === 'string' ? path.join(ext.extensionPath, ext.packageJSON.main) : undefined;
  if (main && !fs.existsSync(main)) return `extension main ${main} does not exist: run "npm run build"`;
  return `extension calx.calx ${ext.isActive ? 'is active' : 'is NOT active'}`;
}

function codeOf(d: vscode.Diagnostic): string | number | undefined {
  return typeof d.code === 'object' && d.code !== null ? d.code.value : d.code;
}

function describeDiagnostics(diags: readonly vscode.Diagnostic[]): string {
  if (diags.length === 0) return '(none)';
  return diags
    .map((d) => `${d.source ?? '?'}/${String(codeOf(d))} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${JSON.stringify(d.message)}`)
    .join('\n      ');
}

/**
 * Resolves with the diagnostics of `uri` as soon as `accept` accepts them. Subscribes before checking the
 * current state, so an update that arrives in between is not missed. Fails with a clear message on timeout.
 */
function waitForDiagnostics(
  uri: vscode.Uri,
  accept: (diags: readonly vscode.Diagnostic[]) => boolean,
  timeoutMs = WAIT_MS,
): { promise: Promise<readonly vscode.Diagnostic[]>; dispose(): void } {
  let sub: vscode.Disposable | undefined;
  let timer: NodeJS.Timeout | undefined;
  const dispose = () => { sub?.dispose(); if (timer) clearTimeout(timer); };
  const promise = new Promise<readonly vscode.Diagnostic[]>((resolve, reject) => {
    const check = () => {
      const diags = vscode.languages.getDiagnostics(uri);
      if (accept(diags)) { dispose(); resolve(diags); }
    };
    sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    timer = setTimeout(() => {
      dispose();
      reject(new Error(
        `no matching diagnostics from source "${SOURCE}" for ${uri.toString()} within ${timeoutMs} ms ` +
        `(${extensionState()}).\n` +
        `      current diagnostics: ${describeDiagnostics(vscode.languages.getDiagnostics(uri))}`,
      ));
    }, timeoutMs);
    check();
  });
  return { promise, dispose };
}

describe('calx diagnostics', () => {
  let uri: vscode.Uri;

  before(async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no workspace folder open');
    uri = vscode.Uri.joinPath(folder.uri, 'e2e-smoke.txt');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('Assessment: D69.1 and M75.3.\n'));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
  });

  it('reports the header code M75.3 on its exact range', async () => {
    const wait = waitForDiagnostics(uri, (ds) => ds.some((d) => d.source === SOURCE));
    try {
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc);
      // Opening a .txt file activates Calx (onLanguage:plaintext); fail at once, with the reason, if that fails.
      const ext = vscode.extensions.getExtension('calx.calx');
      assert.ok(ext, 'extension calx.calx is not installed');
      try {
        await ext.activate();
      } catch (err) {
        throw new Error(`Calx failed to activate (${extensionState()}): ${err instanceof Error ? err.message : String(err)}`);
      }
      const diags = await wait.promise;

      const start = doc.getText().indexOf('M75.3');
      const expected = new vscode.Range(doc.positionAt(start), doc.positionAt(start + 'M75.3'.length));
      const header = diags.filter((d) => d.source === SOURCE && codeOf(d) === 'header-code');
      assert.ok(header.length > 0, `no "header-code" diagnostic; got:\n      ${describeDiagnostics(diags)}`);
      assert.ok(
        header.some((d) => d.range.isEqual(expected)),
        `no "header-code" diagnostic on M75.3 (${expected.start.line}:${expected.start.character}-${expected.end.line}:${expected.end.character}); got:\n      ${describeDiagnostics(header)}`,
      );
    } finally {
      wait.dispose();
    }
  });

  it('answers hover on a subdivided code with its FY2027 status', async () => {
    // Runs after the diagnostics test: the server is up and has analysed the note.
    const doc = await vscode.workspace.openTextDocument(uri);
    const position = doc.positionAt(doc.getText().indexOf('D69.1') + 2);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
    const text = hovers
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : c.value))
      .join('\n');
    assert.match(text, /^\*\*D69\.1\*\* Qualitative platelet defects\n\n\*\*Header, not billable\*\* · ICD-10-CM FY2027: report D69\.11 or D69\.19/m);
    assert.match(text, /Billable until FY2026; subdivided on 2026-10-01\./);
  });
});
