// Editing a note with Calx: the code search command inserting at the cursor, completion on a code prefix, the quick
// fix of a header code, and "Calx: Insert provider query" (the draft opened as a new document). Each test works on its own file in the workspace copy
// and compares the whole text after the edit.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CalxApi } from '../../../client/src/api';
import type { SearchOutcome } from '../../../client/src/commands/searchCodes';
import {
  calx,
  calxDiagnostics,
  codeOf,
  describeDiagnostics,
  fmtRange,
  rangeOf,
  show,
  waitForDiagnostics,
  writeWorkspaceFile,
} from './helpers';

/** Opens a new note with `text`, waits until Calx has analysed it (its status arrived), returns the editor. */
async function openNote(api: CalxApi, name: string, text: string): Promise<vscode.TextEditor> {
  const uri = await writeWorkspaceFile(name, text);
  const analysed = new Promise<void>((resolve) => {
    const sub = api.onDidReceiveStatus((s) => {
      if (s.uri === uri.toString()) {
        sub.dispose();
        resolve();
      }
    });
  });
  const editor = await show(uri);
  await analysed;
  return editor;
}

describe('editing a note', () => {
  let api: CalxApi;

  before(async () => {
    api = await calx();
  });

  afterEach(async () => {
    // Closing a dirty editor would open a modal "Save changes?" dialog: save first (the workspace is a copy).
    await vscode.workspace.saveAll(false);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  describe('"Calx: Search ICD-10-CM codes"', () => {
    it('lists codes for words, marks headers, and shows the index path of index matches', async () => {
      await openNote(api, 'search-list.txt', 'Dx: \n');
      const words = await vscode.commands.executeCommand<SearchOutcome>('calx.searchCodes', { query: 'calcific tendinitis shoulder' });
      // As a coder looks it up: the index's code first (Tendinitis, calcific, shoulder), then the sides.
      assert.deepEqual(
        words.items.slice(0, 3).map((i) => [i.label, i.description, i.detail]),
        [
          ['M75.30', 'Calcific tendinitis of unspecified shoulder', 'Billable in FY2027 · Index: Tendinitis, tendonitis, calcific, shoulder'],
          ['M75.31', 'Calcific tendinitis of right shoulder', 'Billable in FY2027'],
          ['M75.32', 'Calcific tendinitis of left shoulder', 'Billable in FY2027'],
        ],
      );
      assert.equal(words.inserted, undefined);

      const codes = await vscode.commands.executeCommand<SearchOutcome>('calx.searchCodes', { query: 'M75.3' });
      assert.deepEqual(codes.items[0], {
        code: 'M75.3',
        billable: false,
        label: '$(list-tree) M75.3',
        description: 'Calcific tendinitis of shoulder',
        detail: 'Header, not billable: choose it to see the codes under it',
      });

      const index = await vscode.commands.executeCommand<SearchOutcome>('calx.searchCodes', { query: 'pineal calcification' });
      assert.deepEqual(index.items[0], {
        code: 'E34.8',
        billable: true,
        label: 'E34.8',
        description: 'Other specified endocrine disorders',
        detail: 'Billable in FY2027 · Index: Calcification, pineal gland',
      });
    });

    it('choosing a header shows the codes under it; choosing a billable code inserts it at the cursor', async () => {
      const editor = await openNote(api, 'search-insert.txt', 'Assessment: calcific tendinitis, right shoulder.\nDx: \n');
      const cursor = editor.document.lineAt(1).range.end;
      editor.selection = new vscode.Selection(cursor, cursor);

      const header = await vscode.commands.executeCommand<SearchOutcome>('calx.searchCodes', { query: 'M75.3', pick: 'M75.3' });
      assert.deepEqual(header.items.map((i) => i.code), ['M75.30', 'M75.31', 'M75.32'], 'the codes under the header');
      assert.equal(header.inserted, undefined, 'a header is never inserted');
      assert.equal(editor.document.getText(), 'Assessment: calcific tendinitis, right shoulder.\nDx: \n');

      const chosen = await vscode.commands.executeCommand<SearchOutcome>('calx.searchCodes', {
        query: 'calcific tendinitis shoulder',
        pick: 'M75.31',
      });
      assert.equal(chosen.inserted, 'M75.31');
      assert.equal(chosen.target, 'editor');
      assert.equal(editor.document.getText(), 'Assessment: calcific tendinitis, right shoulder.\nDx: M75.31\n');
    });
  });

  it('completes a code prefix "Dx: M75." with the billable codes below it (M75.31 among them)', async () => {
    const editor = await openNote(api, 'completion.txt', 'Assessment: calcific tendinitis, right shoulder.\nDx: M75.\n');
    const position = editor.document.lineAt(1).range.end;
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, position);
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    const item = list.items.find((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'M75.31');
    assert.ok(item, `no completion item M75.31 at ${position.line}:${position.character}; got ${labels.slice(0, 30).join(', ')}`);
    // Accepting it replaces the typed prefix "M75." with the code.
    const range = item.range instanceof vscode.Range ? item.range : item.range?.replacing;
    assert.ok(range, 'the item has no range');
    assert.equal(fmtRange(range), fmtRange(rangeOf(editor.document, 'M75.')));
    const insert = typeof item.insertText === 'string' ? item.insertText : item.insertText?.value ?? labels[list.items.indexOf(item)];
    assert.ok(await editor.edit((b) => b.replace(range, insert!)));
    assert.equal(editor.document.getText(), 'Assessment: calcific tendinitis, right shoulder.\nDx: M75.31\n');
  });

  it('quick fix "Replace M75.3 with M75.31" on the header code M75.3 edits the note and clears the diagnostic', async () => {
    const before = 'Assessment: calcific tendinitis, right shoulder.\nDx: M75.3 (referral).\n';
    const editor = await openNote(api, 'quickfix.txt', before);
    const uri = editor.document.uri;
    const header = calxDiagnostics(uri).find((d) => codeOf(d) === 'header-code');
    assert.ok(header, `no header-code diagnostic; got ${describeDiagnostics(calxDiagnostics(uri))}`);
    assert.equal(fmtRange(header.range), fmtRange(rangeOf(editor.document, 'M75.3')));

    const actions =
      (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, header.range, vscode.CodeActionKind.QuickFix.value, 10)) ?? [];
    // "Replace M75.3 with M75.31 (Calcific tendinitis of right shoulder)"
    const fix = actions.find((a) => /^Replace (M75\.3 )?with M75\.31\b/.test(a.title));
    assert.ok(fix, `no "Replace M75.3 with M75.31" quick fix; got ${actions.map((a) => JSON.stringify(a.title)).join(', ') || '(none)'}`);
    assert.ok(fix.kind && vscode.CodeActionKind.QuickFix.contains(fix.kind), `kind ${fix.kind?.value}`);

    const cleared = waitForDiagnostics(uri, (ds) => !ds.some((d) => codeOf(d) === 'header-code'), 'diagnostics without header-code');
    if (fix.edit) assert.ok(await vscode.workspace.applyEdit(fix.edit), 'the edit was not applied');
    if (fix.command) await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
    assert.equal(editor.document.getText(), 'Assessment: calcific tendinitis, right shoulder.\nDx: M75.31 (referral).\n');
    await cleared;
  });

  describe('"Calx: Insert provider query"', () => {
    it('says so (and edits nothing) where no provider query applies', async () => {
      const text = 'Follow up in 6 weeks.\n';
      const editor = await openNote(api, 'no-query.txt', text);
      editor.selection = new vscode.Selection(0, 3, 0, 3);
      const applied = await vscode.commands.executeCommand<string | undefined>('calx.insertProviderQuery');
      assert.equal(applied, undefined);
      assert.equal(editor.document.getText(), text);
    });

    it('opens the server\'s provider query draft for a finding without a side as a new document, the note untouched', async () => {
      const text = 'ASSESSMENT: Calcific tendinitis of the shoulder.\n';
      const editor = await openNote(api, 'query.txt', text);
      const uri = editor.document.uri;
      const missing = calxDiagnostics(uri).find((d) => codeOf(d) === 'missing-laterality');
      assert.ok(missing, `no missing-laterality diagnostic; got ${describeDiagnostics(calxDiagnostics(uri))}`);
      const at = rangeOf(editor.document, 'Calcific tendinitis').start.translate(0, 4);
      editor.selection = new vscode.Selection(at, at);

      const applied = await vscode.commands.executeCommand<string | undefined>('calx.insertProviderQuery', { destination: 'document' });
      assert.equal(applied, 'Draft provider query: laterality of calcific tendinitis of shoulder');
      assert.equal(editor.document.getText(), text);
      const draft = vscode.window.activeTextEditor!.document;
      assert.ok(draft.isUntitled, draft.uri.toString());
      const body = draft.getText();
      assert.ok(body.startsWith('[Provider query (draft by Calx; review before sending)]\n'), body);
      assert.ok(body.includes('\n[ ] Calcific tendinitis of right shoulder\n[ ] Calcific tendinitis of left shoulder\n'), body);
      assert.ok(body.endsWith('[End of query]\n'), body);
    });
  });
});
