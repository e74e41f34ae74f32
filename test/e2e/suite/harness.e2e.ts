// Checks the harness itself: mocha runs inside a real extension host with the `vscode` API,
// and the extension under development is known to it. Independent of the Calx client and server.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

describe('e2e harness', () => {
  it('runs inside a VS Code extension host', () => {
    assert.equal(typeof vscode.version, 'string');
    assert.match(vscode.version, /^\d+\.\d+\.\d+/);
    console.log(`    VS Code ${vscode.version}, ${vscode.env.appName}, uiKind=${vscode.UIKind[vscode.env.uiKind]}, remoteName=${vscode.env.remoteName}`);
  });

  it('loads the Calx extension under development', () => {
    const ext = vscode.extensions.getExtension('calx.calx');
    assert.ok(ext, 'extension calx.calx is not known to the extension host');
    assert.equal(ext.packageJSON.name, 'calx');
  });

  it('has the test workspace open', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1, `expected one workspace folder, got ${folders.map((f) => f.uri.toString()).join(', ')}`);
    assert.equal(folders[0]!.uri.scheme, 'file');
  });
});
