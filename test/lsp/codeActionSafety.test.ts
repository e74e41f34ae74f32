/**
 * Quick fixes over a real LSP connection after the note changed under them, on notes with each kind of line
 * break, and in a request that also holds malformed diagnostics (issue 18): the editor sends back the
 * diagnostics it shows (ranges moved with the edits, data as published); each fix is the text after its edit,
 * or no fix at all.
 */
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic, Range, TextEdit } from 'vscode-languageserver-protocol';
import { TestClient } from '../support/lspClient';
import { SHOULDER_NOTE_QUERY, shoulderNote } from '../support/expectedQueries';

describe('quick fixes over LSP: rebuilt from the current text, or refused', function () {
  this.timeout(30000);
  let client: TestClient;
  let n = 0;
  /** An open note: its URI, the editor's copy of it, and the diagnostics last published. */
  interface Open {
    uri: string;
    document: TextDocument;
    diagnostics: Diagnostic[];
  }

  before(async () => {
    client = new TestClient();
    await client.initialize();
  });
  after(async () => {
    await client.stop();
  });

  const open = async (text: string): Promise<Open> => {
    const uri = `file:///synthetic/fix-safety-${++n}.txt`;
    const { diagnostics } = await client.open(uri, text);
    return { uri, document: TextDocument.create(uri, 'plaintext', 1, text), diagnostics };
  };

  /** Types `text` at `offset` as an editor does (an incremental change), and waits for the new diagnostics. */
  const type = async (note: Open, offset: number, text: string): Promise<void> => {
    const range = { start: note.document.positionAt(offset), end: note.document.positionAt(offset) };
    note.document = TextDocument.update(note.document, [{ range, text }], note.document.version + 1);
    const published = client.nextDiagnostics(note.uri, note.document.version);
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: note.uri, version: note.document.version },
      contentChanges: [{ range, text }],
    });
    note.diagnostics = (await published).diagnostics;
  };

  const codeActions = async (note: Open, diagnostics: unknown[], range?: Range): Promise<CodeAction[]> =>
    (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: note.uri },
      range: range ?? { start: { line: 0, character: 0 }, end: note.document.positionAt(note.document.getText().length) },
      context: { diagnostics },
    })) as CodeAction[];

  /** The note's text after the action's edits, checked to be made for the note's current version. */
  const applied = (note: Open, action: CodeAction): string => {
    const change = action.edit!.documentChanges![0] as { textDocument: { version: number }; edits: TextEdit[] };
    assert.equal(change.textDocument.version, note.document.version);
    return TextDocument.applyEdits(note.document, change.edits);
  };

  const find = (note: Open, code: string) => {
    const d = note.diagnostics.find((x) => x.code === code);
    assert.ok(d, `no ${code}: ${note.diagnostics.map((x) => String(x.code)).join(', ')}`);
    return d;
  };

  it('reports 20551 with RT and LT instead of modifier 50 where it is after a line typed above it, leaving "Dose 1234-50" alone', async () => {
    const note = await open('Injection 20551-50 today.\n');
    const shown = find(note, 'cpt-modifier');
    await type(note, 0, 'Meds: Dose 1234-50 mg.\n');
    // The editor moved the diagnostic's range down a line with the edit; its data is as published.
    const moved = { ...shown, range: { start: { line: 1, character: shown.range.start.character }, end: { line: 1, character: shown.range.end.character } } };
    const actions = await codeActions(note, [moved]);
    assert.deepEqual(actions.map((a) => a.title), ['Report 20551 on two lines, RT and LT (not modifier 50)', 'Suppress cpt-modifier here (write the reason after the colon)']);
    assert.equal(applied(note, actions[0]!), 'Meds: Dose 1234-50 mg.\nInjection 20551-RT today.\n20551-LT\n');
  });

  it('offers no fix once the code under the diagnostic grew (M75.3 typed on to M75.31)', async () => {
    const note = await open('Calcific tendinitis of the left shoulder: M75.3.\n');
    const shown = find(note, 'header-code');
    await type(note, note.document.offsetAt(shown.range.end), '1');
    assert.equal(note.document.getText(), 'Calcific tendinitis of the left shoulder: M75.31.\n');
    assert.deepEqual(await codeActions(note, [shown]), []);
  });

  for (const [name, eol] of [['CRLF', '\r\n'], ['lone CR', '\r']] as const) {
    it(`puts the suppression on the line the editor shows, and the provider query quotes its lines (${name})`, async () => {
      const note = await open(shoulderNote(eol));
      const shown = find(note, 'missing-laterality');
      assert.deepEqual(shown.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 35 } });
      const actions = await codeActions(note, [shown]);
      const suppress = actions.find((a) => a.title.startsWith('Suppress'))!;
      assert.equal(applied(note, suppress), shoulderNote(eol, { above: ['[calx-ignore missing-laterality: ]'] }));
      const query = actions.find((a) => a.title.startsWith('Draft provider query'))!;
      assert.equal(query.edit, undefined);
      assert.deepEqual(query.command?.arguments, [{ title: query.title, text: SHOULDER_NOTE_QUERY.join('\n') }]);
    });

    it(`a calx-ignore silences its own line and the next only (${name})`, async () => {
      const note = await open(
        ['[calx-ignore missing-laterality: side in the outside report]', 'Calcific tendinitis of the shoulder.', 'Seen in clinic today.', 'Calcific tendinitis of the shoulder again.', ''].join(eol),
      );
      assert.deepEqual(
        note.diagnostics.map((d) => [d.code, d.range]),
        [['missing-laterality', { start: { line: 3, character: 0 }, end: { line: 3, character: 35 } }]],
      );
    });
  }

  it('answers for the good diagnostics of a request that also holds malformed ones', async () => {
    const note = await open('Calcific tendinitis of the left shoulder, M75.30.\nCalcific tendinitis of the shoulder.\n');
    const good = find(note, 'unspecified-code');
    const query = find(note, 'missing-laterality');
    const malformed: unknown[] = [
      { ...good, range: null },
      { ...good, range: { start: { line: 0 }, end: good.range.end } },
      { ...good, range: { start: { line: 0, character: 42 }, end: { line: 99, character: 0 } } },
      { ...good, range: { start: { line: 0, character: 500 }, end: { line: 0, character: 501 } } },
      { ...good, data: 'M75.32' },
      { ...good, data: { code: 42, replacements: 'M75.32' } },
      { ...good, code: 'no-such-rule' },
      { ...query, data: { ...(query.data as object), missing: 'colour' } },
      null,
    ];
    const actions = await codeActions(note, [...malformed.slice(0, 4), good, ...malformed.slice(4)]);
    assert.deepEqual(
      actions.map((a) => [a.title, a.diagnostics]),
      [
        ['Replace M75.30 with M75.32 (Calcific tendinitis of left shoulder)', [good]],
        ['Suppress unspecified-code here (write the reason after the colon)', [good]],
      ],
    );
    assert.equal(applied(note, actions[0]!), 'Calcific tendinitis of the left shoulder, M75.32.\nCalcific tendinitis of the shoulder.\n');
  });
});
