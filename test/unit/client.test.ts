// The VS Code client's plain logic (no `vscode` import): the document selector from settings, the restart
// budget, and the Restricted Mode detection of file settings. The rest of the client is tested in a real
// VS Code by test/e2e/.
import * as assert from 'node:assert/strict';
import { documentSettings, sameSelector } from '../../client/src/documentSelector';
import { RestartBudget } from '../../client/src/restartBudget';
import { restrictedModeMessage, restrictedSettingsIn } from '../../client/src/restrictedSettings';
import { serverProcessOptions, SERVER_NODE_FLAGS } from '../../client/src/serverFlags';

describe('client: document selector from calx.documents.*', () => {
  it('defaults to plain text, Markdown and clinical notes, saved or untitled', () => {
    assert.deepEqual(documentSettings(undefined, undefined), {
      selector: [
        { scheme: 'file', language: 'plaintext' },
        { scheme: 'untitled', language: 'plaintext' },
        { scheme: 'file', language: 'markdown' },
        { scheme: 'untitled', language: 'markdown' },
        { scheme: 'file', language: 'clinical-note' },
        { scheme: 'untitled', language: 'clinical-note' },
      ],
      problems: [],
    });
  });

  it('adds file patterns for saved files of any language', () => {
    assert.deepEqual(documentSettings(['clinical-note'], ['**/*.rad']).selector, [
      { scheme: 'file', language: 'clinical-note' },
      { scheme: 'untitled', language: 'clinical-note' },
      { scheme: 'file', pattern: '**/*.rad' },
    ]);
  });

  it('drops bad entries one by one and reports each; a wrong type falls back to the default', () => {
    const { selector, problems } = documentSettings(['markdown', 3, ' ', 'markdown'], 'nope');
    assert.deepEqual(selector, [
      { scheme: 'file', language: 'markdown' },
      { scheme: 'untitled', language: 'markdown' },
    ]);
    assert.deepEqual(problems, [
      'calx.documents.languages[1]: expected a non-empty string; ignored',
      'calx.documents.languages[2]: expected a non-empty string; ignored',
      'calx.documents.filePatterns: expected an array of strings; using the default',
    ]);
  });

  it('says when nothing is selected', () => {
    assert.deepEqual(documentSettings([], []).problems, ['calx.documents: no language and no file pattern: Calx analyses no document']);
  });

  it('compares selectors entry by entry', () => {
    const a = documentSettings(['markdown'], ['**/*.rad']).selector;
    assert.equal(sameSelector(a, documentSettings(['markdown'], ['**/*.rad']).selector), true);
    assert.equal(sameSelector(a, documentSettings(['markdown'], ['**/*.log']).selector), false);
    assert.equal(sameSelector(a, documentSettings(['markdown'], []).selector), false);
  });
});

describe('client: restart budget', () => {
  it('allows 4 restarts within 3 minutes, then refuses until the oldest leaves the window', () => {
    const budget = new RestartBudget(4, 180_000);
    assert.deepEqual([0, 1_000, 2_000, 3_000].map((t) => budget.allow(t)), [true, true, true, true]);
    assert.equal(budget.allow(4_000), false, 'the fifth crash within 3 minutes');
    assert.equal(budget.allow(180_001), true, 'the crash at 0 ms has left the window');
    assert.equal(budget.used, 4);
  });

  it('starts afresh after a deliberate restart', () => {
    const budget = new RestartBudget(1, 180_000);
    assert.equal(budget.allow(0), true);
    assert.equal(budget.allow(1), false);
    budget.reset();
    assert.equal(budget.allow(2), true);
  });
});

describe('client: Restricted Mode, file settings in workspace settings files', () => {
  it('finds the flat keys set to a non-empty value, in JSON with comments', () => {
    const text = `{
      // team settings
      "calx.terms.file": "terms/team.json",
      "calx.cpt.descriptorFile": "",
      "calx.rules": { "header-code": "warning" }
    }`;
    assert.deepEqual(restrictedSettingsIn(text), ['calx.terms.file']);
    assert.deepEqual(restrictedSettingsIn('{ "calx.cpt.descriptorFile": "/licensed/cpt.tsv", "calx.terms.file": "t.json" }'), [
      'calx.terms.file',
      'calx.cpt.descriptorFile',
    ]);
  });

  it('finds the nested form and ignores other extensions\' keys', () => {
    assert.deepEqual(restrictedSettingsIn('{ "calx": { "terms": { "file": "t.json" } } }'), ['calx.terms.file']);
    assert.deepEqual(restrictedSettingsIn('{ "calx": { "cpt": { "descriptorFile": "c.csv" } } }'), ['calx.cpt.descriptorFile']);
    assert.deepEqual(restrictedSettingsIn('{ "other.terms.file": "t.json", "files.exclude": {} }'), []);
  });

  it('names the settings in the message', () => {
    assert.equal(
      restrictedModeMessage(['calx.terms.file', 'calx.cpt.descriptorFile']),
      'Calx: this workspace is not trusted, so Calx does not read the files named by its workspace settings calx.terms.file and ' +
        'calx.cpt.descriptorFile. Calx still checks notes with its own data and with files from your user settings. Trust the workspace to use them.',
    );
  });
});

describe('client: how the language server is started (serverFlags.ts)', () => {
  it("with the server's Node flags and glibc's allocator limited to two arenas", () => {
    assert.deepEqual(serverProcessOptions(), {
      execArgv: ['--max-semi-space-size=8', '--expose-gc', '--no-allocation-site-pretenuring'],
      env: { MALLOC_ARENA_MAX: '2' },
    });
    assert.deepEqual(serverProcessOptions(true).execArgv, [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6009']);
  });
});
