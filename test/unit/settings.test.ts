import assert from 'node:assert/strict';
import { RULE_IDS } from '../../server/src/core/rules';
import { DEFAULT_SETTINGS, readSettings } from '../../server/src/lsp/settings';

describe('settings', () => {
  it('accepts valid settings', () => {
    const raw = { rules: { 'header-code': 'warning' }, cpt: { descriptorFile: '/licensed/cpt.tsv' }, terms: { file: '/team/terms.json' } };
    assert.deepEqual(readSettings(raw), { settings: raw, problems: [] });
  });

  it('replaces each invalid value by its default, keeps the rest, and says so once per value', () => {
    const raw = { rules: { 'header-code': 'loud', 'invalid-code': 'off' }, cpt: { descriptorFile: 42 } };
    const result = readSettings(raw);
    assert.deepEqual(result.settings, { rules: { 'invalid-code': 'off' }, cpt: { descriptorFile: '' }, terms: { file: '' } });
    assert.deepEqual(result.problems, [
      'calx.rules.header-code: Invalid option: expected one of "error"|"warning"|"information"|"hint"|"off"; using the default',
      'calx.cpt.descriptorFile: Invalid input: expected string, received number; using the default',
    ]);
    assert.equal(raw.rules['header-code'], 'loud', "the caller's object is not modified");
  });

  it('flags unknown rule ids and non-object settings', () => {
    assert.deepEqual(readSettings({ rules: { 'no-such-rule': 'error' } }).problems, [
      `calx.rules.no-such-rule: no rule has this id (known: ${RULE_IDS.join(', ')})`,
    ]);
    assert.deepEqual(readSettings('nonsense'), {
      settings: DEFAULT_SETTINGS,
      problems: ['calx: expected an object of settings; using the defaults'],
    });
  });
});
