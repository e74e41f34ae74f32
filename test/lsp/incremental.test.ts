/**
 * Incremental analysis over the protocol: the server keeps a scan cache per open document, so after any
 * series of edits (typing, deleting across paragraphs, splitting and joining them with blank lines) the
 * diagnostics it publishes must be exactly those of the same text opened fresh.
 */
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { TestClient } from '../support/lspClient';
import { prng, syntheticNote } from '../support/syntheticNotes';

const INSERTS = ['e', ' ', '\n', '\n\n', 'calcific tendinitis of the left shoulder. ', 'M75.3', 'no ', '😣', 'PAST MEDICAL HISTORY:\n'];
const key = (d: Diagnostic) => JSON.stringify([d.range, d.code, d.severity, d.message, d.data]);

describe('language server: incremental analysis', function () {
  this.timeout(60000);
  let client: TestClient;

  before(async () => {
    client = new TestClient();
    await client.initialize();
  });
  after(async () => {
    await client.stop();
  });

  it('publishes after every edit what a fresh open of the same text publishes', async () => {
    const rnd = prng(2026); // seeded: a failure is reproducible
    const uri = 'file:///synthetic/incremental.txt';
    let document = TextDocument.create(uri, 'plaintext', 1, syntheticNote(8000, 11));
    await client.open(uri, document.getText());
    for (let i = 0; i < 40; i++) {
      const text = document.getText();
      const start = Math.floor(rnd() * text.length);
      // Deletions up to 300 characters join paragraphs (a blank line removed); inserts split them.
      const end = Math.min(text.length, start + (rnd() < 0.4 ? Math.floor(rnd() * 300) : 0));
      const insert = INSERTS[Math.floor(rnd() * INSERTS.length)]!;
      const range = { start: document.positionAt(start), end: document.positionAt(end) };
      document = TextDocument.update(document, [{ range, text: insert }], document.version + 1);
      const published = client.nextDiagnostics(uri, document.version);
      await client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: document.version },
        contentChanges: [{ range, text: insert }],
      });
      const edited = (await published).diagnostics.map(key);
      const freshUri = `file:///synthetic/fresh-${i}.txt`;
      const fresh = (await client.open(freshUri, document.getText())).diagnostics.map(key);
      await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: freshUri } });
      assert.deepEqual(edited, fresh, `after edit ${i + 1}`);
    }
  });
});
