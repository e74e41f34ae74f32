import assert from 'node:assert/strict';
import { tokenize } from '../../server/src/core/text/tokens';
import { idOf, isRegistered, lookupAscii, lookupNormalised, registerWords, wordTable } from '../../server/src/core/text/vocabulary';

describe('vocabulary (interned word forms)', () => {
  it('finds a registered word from the note\'s characters in any case, and nothing else', () => {
    registerWords(['zqxcalcinosis']);
    const text = 'see ZqxCalcinosis, zqxcalcinosi and zqxcalcinosiss';
    const at = text.indexOf('ZqxCalcinosis');
    assert.equal(lookupAscii(text, at, at + 'ZqxCalcinosis'.length), 'zqxcalcinosis');
    const prefix = text.indexOf('zqxcalcinosi ');
    assert.equal(lookupAscii(text, prefix, prefix + 'zqxcalcinosi'.length), undefined);
    const longer = text.indexOf('zqxcalcinosiss');
    assert.equal(lookupAscii(text, longer, longer + 'zqxcalcinosiss'.length), undefined);
    // The interned string itself, so sets keyed by it answer without hashing a new string.
    assert.equal(lookupNormalised('zqx' + 'calcinosis'), 'zqxcalcinosis');
  });

  it('keeps every word when it grows, and registering twice is harmless', () => {
    const words = Array.from({ length: 5000 }, (_, i) => `zqxword${i}`);
    registerWords(words);
    registerWords(words.slice(0, 10));
    assert.deepEqual(words.filter((w) => !isRegistered(w)), []);
    assert.equal(isRegistered('zqxword5000'), false);
  });

  it('gives tokens the interned form when known and none when not, while norm() always spells it out', () => {
    registerWords(['zqxknown']);
    const tokens = tokenize('ZQXKNOWN zqxunknown. Zqxé');
    assert.deepEqual(
      [0, 1, 2, 3].map((i) => [tokens.known(i), tokens.norm(i)]),
      [
        ['zqxknown', 'zqxknown'],
        [undefined, 'zqxunknown'],
        ['.', '.'],
        // A token beyond ASCII always has its folded form.
        ['zqxe', 'zqxe'],
      ],
    );
  });

  it('gives each word an id that stays its own as the table grows, and tokens their form\'s id', () => {
    registerWords(['zqxida', 'zqxidb']);
    const [a, b] = [idOf('zqxida'), idOf('zqxidb')];
    assert.ok(a > 0 && b > 0 && a !== b);
    assert.equal(idOf('zqxidc'), 0);
    const table = wordTable([['zqxidb', 7], ['zqxidc', 9]]);
    registerWords(Array.from({ length: 5000 }, (_, i) => `zqxidgrow${i}`));
    assert.deepEqual([idOf('zqxida'), idOf('zqxidb')], [a, b]);
    assert.deepEqual([table[a], table[b], table[idOf('zqxidc')]], [0, 7, 9]);
    const tokens = tokenize('ZQXIDA zqxunknownid, Zqxidb');
    assert.deepEqual([0, 1, 2, 3].map((i) => tokens.knownId(i)), [a, 0, idOf(','), b]);
  });

  it('gives the length of every token\'s form without making it (normLength)', () => {
    const tokens = tokenize('Zqxunknownword İstanbul, é. Calcified 6.1 ÆON x');
    assert.deepEqual(
      Array.from({ length: tokens.length }, (_, i) => tokens.normLength(i)),
      Array.from({ length: tokens.length }, (_, i) => tokens.norm(i).length),
    );
    assert.equal(tokens.known(0), undefined);
    assert.equal(tokens.normLength(0), 'zqxunknownword'.length);
  });
});
