/**
 * Every rule fixture, completion case and quick fix again, over a real LSP connection to the bundled server:
 * what an editor receives is what the core tests promise (exact ranges and messages; the text after an edit).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, CompletionItem, CompletionList, Diagnostic, TextEdit } from 'vscode-languageserver-protocol';
import { parseFixture } from '../support/fixtures';
import { TestClient } from '../support/lspClient';
import { REPO_ROOT } from '../support/services';

const SEVERITY = ['', 'error', 'warning', 'information', 'hint'];

function applyEdits(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'plaintext', 1, text), edits);
}

describe('features over a real LSP connection', function () {
  this.timeout(30000);
  let client: TestClient;
  let n = 0;
  const open = async (text: string) => {
    const uri = `file:///synthetic/features-${++n}.txt`;
    const { diagnostics } = await client.open(uri, text);
    return { uri, diagnostics };
  };

  before(async () => {
    client = new TestClient();
    await client.initialize();
  });
  after(async () => {
    await client.stop();
  });

  describe('each rule fixture: the published diagnostics', () => {
    const dir = join(REPO_ROOT, 'test', 'fixtures', 'rules');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.txt')).sort()) {
      it(file, async () => {
        const fixture = parseFixture(readFileSync(join(dir, file), 'utf8'));
        const { diagnostics } = await open(fixture.text);
        const doc = TextDocument.create('file:///x', 'plaintext', 1, fixture.text);
        const actual = diagnostics.map((d: Diagnostic) => ({
          start: doc.offsetAt(d.range.start),
          end: doc.offsetAt(d.range.end),
          label: `${SEVERITY[d.severity!]} ${String(d.code)}: ${d.message}`,
        }));
        assert.deepEqual(actual, fixture.expectations);
      });
    }
  });

  describe('completion: the text after choosing an item', () => {
    /** `|` marks the cursor; the item is chosen by its label (or the first item). */
    const cases: Array<[string, string | undefined, string]> = [
      ['Dx: M75.|', 'M75.31', 'Dx: M75.31'],
      ['Dx: m61.4|', undefined, 'Dx: M61.40'],
      ['Pain in the right shoulder. Right shoulder calcific tend|', undefined, 'Pain in the right shoulder. M75.31'],
      ['Skull films: pineal calc|', undefined, 'Skull films: E34.8'],
      ['Procedure: CPT 2300|', undefined, 'Procedure: CPT 23000'],
      ['Mammogram: mammographic calcif|', undefined, 'Mammogram: R92.1'],
    ];
    for (const [marked, label, expected] of cases) {
      it(JSON.stringify(marked), async () => {
        const text = marked.replace('|', '');
        const { uri } = await open(text);
        const doc = TextDocument.create(uri, 'plaintext', 1, text);
        const list = (await client.connection.sendRequest('textDocument/completion', {
          textDocument: { uri },
          position: doc.positionAt(marked.indexOf('|')),
          context: { triggerKind: 1 },
        })) as CompletionList;
        const item = label ? list.items.find((i: CompletionItem) => i.label === label) : list.items[0];
        assert.ok(item, `no item ${label ?? '(first)'}: ${list.items.map((i) => i.label).slice(0, 10).join(', ')}`);
        assert.equal(applyEdits(text, [item.textEdit as TextEdit]), expected);
      });
    }

    it('marks headers, which re-open the list, and says when the list is incomplete', async () => {
      const text = 'Dx: I25';
      const { uri } = await open(text);
      const list = (await client.connection.sendRequest('textDocument/completion', {
        textDocument: { uri },
        position: { line: 0, character: text.length },
        context: { triggerKind: 1 },
      })) as CompletionList;
      assert.equal(list.isIncomplete, true);
      const header = list.items.find((i) => i.label === 'I25.1')!;
      assert.equal(header.detail, 'ICD-10-CM I25.1 · header, not billable');
      assert.deepEqual(header.command, { title: 'Show the codes below this header', command: 'editor.action.triggerSuggest' });
      assert.equal(list.items.find((i) => i.label === 'I25.2')!.detail, 'ICD-10-CM I25.2');
    });
  });

  describe('quick fixes: the document after the edit', () => {
    const fix = async (text: string, rule: string, title: RegExp) => {
      const action = await actionOf(text, rule, title);
      const change = action.edit!.documentChanges![0] as { textDocument: { version: number }; edits: TextEdit[] };
      assert.equal(change.textDocument.version, 1);
      return applyEdits(text, change.edits);
    };
    const actionOf = async (text: string, rule: string, title: RegExp) => {
      const { uri, diagnostics } = await open(text);
      const d = diagnostics.find((x) => x.code === rule);
      assert.ok(d, `no ${rule}: ${diagnostics.map((x) => x.code).join(', ')}`);
      const actions = (await client.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri },
        range: d.range,
        context: { diagnostics: [d] },
      })) as CodeAction[];
      const action = actions.find((a) => title.test(a.title));
      assert.ok(action, `no action ${title}: ${actions.map((a) => a.title).join(' | ')}`);
      return action;
    };

    it('replaces an unspecified code with the documented one', async () => {
      assert.equal(
        await fix('Calcific tendinitis of the left shoulder, M75.30.\n', 'unspecified-code', /^Replace M75\.30 with M75\.32/),
        'Calcific tendinitis of the left shoulder, M75.32.\n',
      );
    });

    it('reports 20551 on two lines, RT and LT, instead of modifier 50', async () => {
      assert.equal(await fix('Injection 20551-50.\n', 'cpt-modifier', /^Report 20551 on two lines/), 'Injection 20551-RT.\n20551-LT\n');
    });

    it('moves the etiology code before its manifestation code', async () => {
      assert.equal(await fix('Dx: N29, E83.59\n', 'sequencing', /^Sequence E83\.59 before N29/), 'Dx: E83.59, N29\n');
    });

    it('drafts a provider query for the editor to open (no edit of the note), and a suppression', async () => {
      const text = 'ASSESSMENT: Heterotopic ossification of the left elbow.\n';
      const action = await actionOf(text, 'missing-etiology', /^Draft provider query/);
      assert.equal(action.edit, undefined);
      const title = 'Draft provider query: etiology of heterotopic ossification';
      assert.equal(action.title, title);
      assert.deepEqual(action.command, {
        title,
        command: 'calx.openProviderQuery',
        arguments: [{ title, text: [
          '[Provider query (draft by Calx; review before sending)]',
          'Clinical indicators in this record:',
          '- Line 1: "Heterotopic ossification of the left elbow." (ASSESSMENT)',
          'Based on your clinical judgment, can the cause (etiology) of the heterotopic ossification be further specified?',
          '[ ] Paralysis (paraplegia, quadriplegia)',
          '[ ] Spinal cord injury',
          '[ ] Burns',
          '[ ] Trauma',
          '[ ] Traumatic brain injury',
          '[ ] Joint arthroplasty',
          '[ ] Surgery',
          '[ ] Other (please specify): ____',
          '[ ] Clinically undetermined',
          '[End of query]',
        ].join('\n') }],
      });
      assert.equal(
        await fix(text, 'missing-etiology', /^Suppress missing-etiology/),
        `[calx-ignore missing-etiology: ]\n${text}`,
      );
    });
  });
});
