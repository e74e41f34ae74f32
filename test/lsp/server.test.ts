import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeNote } from '../../server/src/core/analyze';
import { hoverAt } from '../../server/src/core/hover';
import { codeEntryCommandUri } from '../../server/src/lsp/protocol';
import { REPO_ROOT, services } from '../support/services';
import { TestClient } from '../support/lspClient';

const URI = 'file:///synthetic/lsp-note.txt';
const NOTE = readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'lsp-note.txt'), 'utf8');
const LINES = NOTE.split('\n');

/** The LSP range of `needle` on `line`: UTF-16 columns, as String.indexOf counts them. */
function rangeOf(line: number, needle: string) {
  const character = LINES[line]!.indexOf(needle);
  assert.ok(character >= 0, `${needle} on line ${line}`);
  return { start: { line, character }, end: { line, character: character + needle.length } };
}

describe('language server over stdio', function () {
  this.timeout(30000);
  let client: TestClient;

  before(async () => {
    client = new TestClient();
    await client.initialize();
  });
  after(async () => {
    await client.stop();
  });

  it('publishes diagnostics with exact ranges, codes and messages when a note opens', async () => {
    const published = client.nextDiagnostics(URI, 1);
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: URI, languageId: 'plaintext', version: 1, text: NOTE },
    });
    const { diagnostics } = await published;
    assert.deepEqual(
      diagnostics.map((d) => ({ range: d.range, severity: d.severity, code: d.code, source: d.source, message: d.message })),
      [
        {
          range: rangeOf(1, '50'),
          severity: 1,
          code: 'cpt-modifier',
          source: 'calx',
          message: '20551 is not reported with modifier 50 (CMS A52863): report each side on its own line with RT and LT.',
        },
        {
          range: rangeOf(2, 'M75.3 '.trim()),
          severity: 1,
          code: 'header-code',
          source: 'calx',
          message: 'M75.3 Calcific tendinitis of shoulder is a header, not billable in FY2027: report M75.30, M75.31 or M75.32.',
        },
        {
          range: rangeOf(2, 'T52.8X1A'),
          severity: 1,
          code: 'invalid-code',
          source: 'calx',
          message:
            'T52.8X1A (Toxic effect of other organic solvents, accidental (unintentional), initial encounter) was deleted from ICD-10-CM on 2026-10-01 (FY2027): use T52.891A (Toxic effect of other organic solvents, accidental (unintentional), initial encounter).',
        },
      ],
    );
    assert.deepEqual(diagnostics[1]!.data, { code: 'M75.3', replacements: ['M75.30', 'M75.31', 'M75.32'] });
  });

  it('answers hover on an ICD-10-CM code after an emoji, in UTF-16 positions', async () => {
    // Line 1: "1. Calcific tendinitis, right shoulder 😣: M75.31." — the emoji is two UTF-16 units.
    const range = rangeOf(1, 'M75.31');
    assert.equal(range.start.character, 43); // 3 + 9 + 12 + 6 + 9 + 2 (emoji) + 2
    const hover = await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: URI },
      position: { line: 1, character: 45 },
    });
    const { contents, range: hovered } = hover as { contents: { kind: string; value: string }; range: unknown };
    assert.deepEqual(hovered, range);
    assert.equal(contents.kind, 'markdown');
    const sections = contents.value.split('\n\n');
    assert.deepEqual(sections.slice(0, 3), [
      '**M75.31** Calcific tendinitis of right shoulder',
      'Billable · ICD-10-CM FY2027 (effective 2026-10-01)',
      'Chapter 13 Diseases of the musculoskeletal system and connective tissue › M70-M79 Other soft tissue disorders › M75 Shoulder lesions › M75.3 Calcific tendinitis of shoulder',
    ]);
    // The notes of every level (their exact text: test/unit/hoverNotes.test.ts).
    assert.deepEqual(sections.filter((s) => s.startsWith('**At ')), [
      '**At M75.3** Calcific tendinitis of shoulder',
      '**At M75** Shoulder lesions',
      '**At chapter 13** Diseases of the musculoskeletal system and connective tissue',
    ]);
    // The test client does not run calx.showCodeEntry: nothing folds.
    assert.match(sections[sections.length - 2]!, /^_Excludes2 \(not included here\)_\n- arthropathic psoriasis \(L40\.5-\)\n(- .+\n){8}- symptoms, signs and abnormal clinical and laboratory findings, not elsewhere classified \(R00-R94\)$/);
    assert.equal(sections.at(-1), '**Siblings**\n- M75.30 Calcific tendinitis of unspecified shoulder\n- M75.32 Calcific tendinitis of left shoulder');
  });

  it('answers hover on a header, a CPT code and its modifier', async () => {
    const at = (line: number, character: number) =>
      client.connection.sendRequest('textDocument/hover', { textDocument: { uri: URI }, position: { line, character } }) as Promise<{
        contents: { value: string };
      } | null>;
    const header = await at(2, rangeOf(2, 'M75.3').start.character + 1);
    assert.match(header!.contents.value, /^\*\*M75\.3\*\* Calcific tendinitis of shoulder\n\n\*\*Header, not billable\*\* · ICD-10-CM FY2027: report M75\.30, M75\.31 or M75\.32/);
    const cpt = await at(1, rangeOf(1, '20551').start.character + 2);
    assert.match(cpt!.contents.value, /^\*\*CPT 20551\*\* .+\n\n_Calx's plain-language summary \(not the AMA descriptor\)_/);
    assert.match(cpt!.contents.value, /modifier 50/i);
    const modifier = await at(1, rangeOf(1, '-50').start.character + 2);
    assert.match(modifier!.contents.value, /^\*\*CPT modifier 50\*\*\n\n/);
    assert.equal(await at(0, 3), null, 'no hover on plain prose');
  });

  it('offers quick fixes for a diagnostic over the protocol, as versioned edits', async () => {
    const published = client.nextDiagnostics(URI);
    // Re-open to get the current diagnostics with their data (what an editor sends back).
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: URI } });
    await published;
    const again = client.nextDiagnostics(URI, 7);
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: URI, languageId: 'plaintext', version: 7, text: NOTE },
    });
    const { diagnostics } = await again;
    const header = diagnostics.find((d) => d.code === 'header-code')!;
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: URI },
      range: header.range,
      context: { diagnostics: [header] },
    })) as Array<{ title: string; kind: string; edit: { documentChanges: Array<{ textDocument: { version: number }; edits: Array<{ range: unknown; newText: string }> }> } }>;
    assert.deepEqual(actions.map((a) => a.title), [
      'Replace M75.3 with M75.30 (Calcific tendinitis of unspecified shoulder)',
      'Replace M75.3 with M75.31 (Calcific tendinitis of right shoulder)',
      'Replace M75.3 with M75.32 (Calcific tendinitis of left shoulder)',
      'Suppress header-code here (write the reason after the colon)',
    ]);
    assert.equal(actions[1]!.kind, 'quickfix');
    assert.deepEqual(actions[1]!.edit.documentChanges, [{ textDocument: { uri: URI, version: 7 }, edits: [{ range: header.range, newText: 'M75.31' }] }]);
    // Leave the document as the next test expects it (version 1 content).
    const reset = client.nextDiagnostics(URI, 1);
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: URI } });
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'plaintext', version: 1, text: NOTE } });
    await reset;
  });

  it('re-publishes after an edit: fixing the header clears its diagnostic', async () => {
    const published = client.nextDiagnostics(URI, 2);
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: URI, version: 2 },
      contentChanges: [{ range: rangeOf(2, 'M75.3'), text: 'M75.31' }],
    });
    const { diagnostics } = await published;
    const shifted = rangeOf(2, 'T52.8X1A').start.character + 1; // one character longer before it
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.character, d.range.end.character]), [
      ['cpt-modifier', rangeOf(1, '50').start.character, rangeOf(1, '50').end.character],
      ['invalid-code', shifted, shifted + 8],
    ]);
  });

  it('clears diagnostics when the note closes', async () => {
    const published = client.nextDiagnostics(URI);
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: URI } });
    assert.deepEqual((await published).diagnostics, []);
  });

  it('reports a missing side on the finding and explains the finding on hover', async () => {
    const uri = 'file:///synthetic/specificity.txt';
    const text = 'IMAGING: Left shoulder radiographs.\nASSESSMENT: Calcific tendinitis of the shoulder. No calcification of the hip.\n';
    const published = client.nextDiagnostics(uri, 1);
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'plaintext', version: 1, text },
    });
    const { diagnostics } = await published;
    const start = text.indexOf('Calcific');
    const end = text.indexOf('. No');
    const at = (offset: number) => ({ line: text.slice(0, offset).split('\n').length - 1, character: offset - text.lastIndexOf('\n', offset - 1) - 1 });
    assert.deepEqual(diagnostics, [
      {
        range: { start: at(start), end: at(end) },
        severity: 2,
        code: 'missing-laterality',
        source: 'calx',
        message: 'Calcific tendinitis of shoulder without side: M75.30 is the unspecified-side code; document right or left for M75.31 / M75.32.',
        data: { conceptId: 'calcific-tendinitis-of-shoulder', missing: 'laterality', family: 'M75.3', unspecified: 'M75.30', options: ['M75.31', 'M75.32'] },
      },
    ]);
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: at(start + 3) })) as {
      contents: { value: string };
    };
    const value = hover.contents.value;
    assert.match(value, /^\*\*Calcific tendinitis of shoulder\*\* · dystrophic calcification\n\n/);
    assert.match(value, /\n\nCurrent finding for this patient\.\n\n- Site: shoulder, from "shoulder" \(line 2\)\n\nAs documented: \*\*M75\.30 Calcific tendinitis of unspecified shoulder\*\* \(unspecified\)\n\nMissing laterality: M75\.31 or M75\.32/);
    const negated = (await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: at(text.indexOf('calcification') + 2),
    })) as { contents: { value: string } };
    assert.match(negated.contents.value, /\n\nNegated: by "No" \(line 2\)\n\n/);
  });

  it('writes no note text to stderr', () => {
    assert.ok(!client.stderr.includes('tendinitis'), client.stderr);
  });
});

describe('language server: a client that runs calx.showCodeEntry', function () {
  this.timeout(30000);
  let client: TestClient;
  const uri = 'file:///synthetic/code-entry.txt';
  const text = 'Assessment: calcific tendinitis, M75.31.\n';

  before(async () => {
    client = new TestClient();
    await client.initialize({ initializationOptions: { codeEntryCommand: true } });
    const published = client.nextDiagnostics(uri, 1);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'plaintext', version: 1, text } });
    await published;
  });
  after(async () => {
    await client.stop();
  });

  it('folds a long group of notes in the hover behind a link that opens the full entry', async () => {
    const hover = (await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line: 0, character: text.indexOf('M75.31') + 2 },
    })) as { contents: { value: string } };
    // The core's hover with the link to calx.showCodeEntry (its exact text: test/unit/hoverNotes.test.ts).
    const analysis = analyzeNote(text, services());
    assert.equal(hover.contents.value, hoverAt(analysis, text.indexOf('M75.31') + 2, services(), { entryLink: codeEntryCommandUri })!.markdown);
    assert.ok(hover.contents.value.includes('\n- … 5 more: [Show all notes](command:calx.showCodeEntry?%5B%22M75.31%22%5D)\n'));
  });

  it('answers calx/codeEntry with the full entry of a code, and null for what is no code', async () => {
    const entry = (await client.connection.sendRequest('calx/codeEntry', { code: 'm7531' })) as { code: string; markdown: string };
    assert.equal(entry.code, 'M75.31');
    assert.ok(entry.markdown.startsWith('# M75.31 Calcific tendinitis of right shoulder\n\nBillable · ICD-10-CM FY2027'), entry.markdown);
    assert.ok(entry.markdown.includes('- neoplasms (C00-D49)\n- symptoms, signs and abnormal clinical and laboratory findings, not elsewhere classified (R00-R94)\n'));
    assert.ok(!entry.markdown.includes('Show all notes'));
    assert.equal(await client.connection.sendRequest('calx/codeEntry', { code: 'M75.33' }), null);
    assert.equal(await client.connection.sendRequest('calx/codeEntry', { code: 'not a code' }), null);
    assert.equal(await client.connection.sendRequest('calx/codeEntry', null), null);
  });
});
