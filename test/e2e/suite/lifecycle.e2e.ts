// The client around the server: which documents it sends (the calx.documents.* settings), and a server that dies
// is restarted and analyses the open notes again.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CalxApi } from '../../../client/src/api';
import {
  calx,
  calxDiagnostics,
  codeOf,
  describeDiagnostics,
  show,
  waitForDiagnostics,
  waitForEvent,
  workspaceUri,
  writeWorkspaceFile,
} from './helpers';

describe('client life cycle', () => {
  let api: CalxApi;

  before(async () => {
    api = await calx();
  });

  after(async () => {
    await vscode.workspace.getConfiguration('calx.documents').update('filePatterns', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('checks the files matched by calx.documents.filePatterns, whatever their language', async () => {
    const uri = await writeWorkspaceFile('referral.log', 'Referral: calcific tendinitis, right shoulder. Dx M75.3.\n');
    const doc = (await show(uri)).document;
    assert.equal(doc.languageId, 'log', 'a .log file is in the Log language, which Calx does not check by default');
    assert.equal(vscode.languages.match(api.documentSelector() as vscode.DocumentSelector, doc), 0, 'the default selector matches it');

    const diagnostics = waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === 'header-code'), 'a header-code diagnostic in referral.log');
    await vscode.workspace.getConfiguration('calx.documents').update('filePatterns', ['**/*.log'], vscode.ConfigurationTarget.Workspace);
    await diagnostics;
    assert.ok(vscode.languages.match(api.documentSelector() as vscode.DocumentSelector, doc) > 0);
    // the plain-text notes are still checked by the new client
    const clinic = workspaceUri('clinic-note.txt');
    await show(clinic);
    await waitForDiagnostics(clinic, (ds) => ds.some((d) => codeOf(d) === 'invalid-code'), 'diagnostics of clinic-note.txt after the selector changed');
  });

  it('restarts the language server when it dies, and analyses the open notes again', async () => {
    const clinic = workspaceUri('clinic-note.txt');
    await show(clinic);
    await api.ready();
    await waitForDiagnostics(clinic, (ds) => ds.some((d) => d.source === 'calx'), 'diagnostics before the crash');
    const pid = api.languageClient?.serverProcess?.pid;
    assert.ok(pid, 'no server process id');

    // The client disposes the diagnostics of the dead server, then the new server publishes them again.
    const cleared = waitForDiagnostics(clinic, (ds) => !ds.some((d) => d.source === 'calx'), 'diagnostics cleared by the crash');
    const restarted = waitForEvent(api.onDidStartServer, () => api.languageClient?.serverProcess?.pid !== pid, 'a new server process');
    process.kill(pid, 'SIGKILL');
    await cleared;
    await restarted;
    const newPid = api.languageClient?.serverProcess?.pid;
    assert.ok(newPid && newPid !== pid, `server pid ${String(newPid)} after killing ${pid}`);
    const again = await waitForDiagnostics(clinic, (ds) => ds.some((d) => d.source === 'calx'), 'diagnostics from the restarted server');
    assert.deepEqual(
      calxDiagnostics(clinic).map((d) => codeOf(d)).sort(),
      ['header-code', 'invalid-code'],
      describeDiagnostics(again),
    );
  });

  it('gives up after 4 restarts within 3 minutes, and "Calx: Restart language server" brings it back', async () => {
    const clinic = workspaceUri('clinic-note.txt');
    await show(clinic);
    await api.ready();
    // The previous test used one restart of the budget; "Restart language server" starts afresh.
    await vscode.commands.executeCommand('calx.restartServer');
    for (let crash = 1; crash <= 4; crash++) {
      const pid = api.languageClient!.serverProcess!.pid!;
      const restarted = waitForEvent(api.onDidStartServer, () => api.languageClient?.serverProcess?.pid !== pid, `restart after crash ${crash}`);
      process.kill(pid, 'SIGKILL');
      await restarted;
    }
    const stopped = waitForEvent(api.onDidStopServer, () => true, 'the server to stay down after the fifth crash');
    process.kill(api.languageClient!.serverProcess!.pid!, 'SIGKILL');
    await stopped;
    await assert.rejects(api.ready(), /stopped repeatedly and is not running: run "Calx: Restart language server"/);

    const back = waitForDiagnostics(clinic, (ds) => ds.some((d) => d.source === 'calx'), 'diagnostics after "Calx: Restart language server"');
    await vscode.commands.executeCommand('calx.restartServer');
    await back;
    await api.ready();
  });
});
