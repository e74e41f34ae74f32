import assert from 'node:assert/strict';
import { RULE_IDS } from '../../server/src/core/rules';
import { DEFAULT_SETTINGS, MAX_FILE_SIZE_CEILING, readSettings } from '../../server/src/lsp/settings';

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
      `calx.rules: no rule has the id "no-such-rule" (known: ${RULE_IDS.join(', ')})`,
    ]);
    assert.deepEqual(readSettings('nonsense'), {
      settings: DEFAULT_SETTINGS,
      problems: ['calx: expected an object of settings; using the defaults'],
    });
  });

  it('names 5,000 unknown rule ids in one problem, ten of them and "and 4991 more" (each was its own pop-up)', () => {
    const rules = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`made-up-${i}`, 'off']));
    rules[`${'x'.repeat(100)}`] = 'off';
    rules['header-code'] = 'warning';
    const { settings, problems } = readSettings({ rules });
    const listed = Array.from({ length: 10 }, (_, i) => `"made-up-${i}"`).join(', ');
    assert.deepEqual(problems, [`calx.rules: no rule has these 5001 ids: ${listed} and 4991 more (known: ${RULE_IDS.join(', ')})`]);
    assert.equal(settings.rules['header-code'], 'warning');
    // A long id is cut in the message.
    assert.deepEqual(readSettings({ rules: { [`${'x'.repeat(100)}`]: 'off' } }).problems, [
      `calx.rules: no rule has the id "${'x'.repeat(60)}…" (known: ${RULE_IDS.join(', ')})`,
    ]);
  });

  it('lowers calx.maxFileSize to the ceiling of 16 MiB, with one problem giving exact sizes', () => {
    assert.equal(MAX_FILE_SIZE_CEILING, 16_777_216);
    assert.deepEqual(readSettings({ maxFileSize: 1e12 }), {
      settings: { ...DEFAULT_SETTINGS, maxFileSize: MAX_FILE_SIZE_CEILING },
      problems: ['calx.maxFileSize: 1,000,000,000,000 bytes is over the ceiling of 16,777,216 bytes; using the ceiling'],
    });
    assert.deepEqual(readSettings({ maxFileSize: MAX_FILE_SIZE_CEILING }).problems, []);
  });
});
