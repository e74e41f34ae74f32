import assert from 'node:assert/strict';
import { scannersOf } from '../../server/src/core/analyze';
import { TitleStems } from '../../server/src/core/codes/titleStems';
import { findCodeMentions } from '../../server/src/core/text/codeMentions';
import { services } from '../support/services';

const vocabulary = () => scannersOf(services()).codes;

/** [code, written text, start, end] of every mention, checked against the text itself. */
function mentions(text: string) {
  return findCodeMentions(text, vocabulary()).map((m) => {
    assert.equal(text.slice(m.start, m.end), m.text, 'range covers exactly the written code');
    return [m.system, m.code, m.start, m.end, m.family, m.modifiers.map((x) => `${x.code}@${x.start}-${x.end}`)] as const;
  });
}

describe('findCodeMentions', () => {
  it('finds dotted, undotted and lower-case ICD-10-CM codes that the code set knows', () => {
    assert.deepEqual(mentions('Dx M75.31, m75.32 and M7530; also I10.'), [
      ['icd10cm', 'M75.31', 3, 9, false, []],
      ['icd10cm', 'M75.32', 11, 17, false, []],
      ['icd10cm', 'M75.30', 22, 27, false, []],
      ['icd10cm', 'I10', 34, 37, false, []],
    ]);
  });

  it('reports an unknown dotted upper-case code written as one but ignores look-alikes', () => {
    assert.deepEqual(mentions('Dx: M75.33 here; H2O, T12, B12, a1c, h75.33, Q99X, version 2.1.3.'), [['icd10cm', 'M75.33', 4, 10, false, []]]);
  });

  it('reads a token as a code only when written as one; a measurement next to it overrides a label', () => {
    assert.deepEqual(mentions('Seen M7531 and H20 today.\nDx: ARDS on PEEP 5 cm H20, F18-FDG avid, negative x14.'), []);
    assert.deepEqual(mentions('ICD10 M7531; Referral listed M75.3 and T52.8X1A; Lynch syndrome QA1.71'), [
      ['icd10cm', 'M75.31', 6, 11, false, []],
      ['icd10cm', 'M75.3', 29, 34, false, []],
      ['icd10cm', 'T52.8X1A', 39, 47, false, []],
      ['icd10cm', 'QA1.71', 64, 70, false, []],
    ]);
  });

  it("reads a coder's edit from one code to another and a worksheet's \"Final:\" as writing codes", () => {
    // A short code with no label, list or title words of its own: before, only the longer code was found.
    const text = '2. Z72.0 replaced by F17.210\nE78.5 changed to E78.00\nM75.30 -> M75.31\nFinal: R31.9, Z72.0';
    assert.deepEqual(mentions(text), [
      ['icd10cm', 'Z72.0', 3, 8, false, []],
      ['icd10cm', 'F17.210', 21, 28, false, []],
      ['icd10cm', 'E78.5', 29, 34, false, []],
      ['icd10cm', 'E78.00', 46, 52, false, []],
      ['icd10cm', 'M75.30', 53, 59, false, []],
      ['icd10cm', 'M75.31', 63, 69, false, []],
      ['icd10cm', 'R31.9', 77, 82, false, []],
      ['icd10cm', 'Z72.0', 84, 89, false, []],
    ]);
    // Not every "to" between two numbers: a measurement stays one.
    assert.deepEqual(mentions('Potassium 4.5 changed to 3.9 after repletion; final result pending.'), []);
  });

  it("joins two codes by every replacement phrase of the set-aside data (one source), not a hand list", () => {
    // The short code after (or before) the phrase has no label, list or title words: only the edit vouches for it.
    const text = 'E78.00 updated to E78.5\nM61.252 revised to M61.9\nN13.30 corrected to Z72.0\nZ72.0 revised from F17.210\nI25.10 ⇒ I25.9';
    assert.deepEqual(mentions(text), [
      ['icd10cm', 'E78.00', 0, 6, false, []],
      ['icd10cm', 'E78.5', 18, 23, false, []],
      ['icd10cm', 'M61.252', 24, 31, false, []],
      ['icd10cm', 'M61.9', 43, 48, false, []],
      ['icd10cm', 'N13.30', 49, 55, false, []],
      ['icd10cm', 'Z72.0', 69, 74, false, []],
      ['icd10cm', 'Z72.0', 75, 80, false, []],
      ['icd10cm', 'F17.210', 94, 101, false, []],
      ['icd10cm', 'I25.10', 102, 108, false, []],
      ['icd10cm', 'I25.9', 111, 116, false, []],
    ]);
    // The phrases are the data's: a vocabulary without them reads no edit ("updated to" joins nothing).
    const plain = findCodeMentions('E78.00 updated to E78.5', { ...vocabulary(), replacements: [] }).map((m) => m.code);
    assert.deepEqual(plain, ['E78.00']);
    assert.deepEqual(mentions('Potassium 4.5 revised to 3.9 after repletion.'), []);
  });

  it('takes "r/o", "s/p" and "N/A" next to a code for clinical abbreviations, and "g/L" or "mg/dL" for units', () => {
    const text = 'Dx: r/o N20.1; s/p M75.31. Dx: Z87.891 N/A. Dx: 1.1 g/L M75.32 and 9 mg/dL E83.52';
    assert.deepEqual(mentions(text), [
      ['icd10cm', 'N20.1', 8, 13, false, []],
      ['icd10cm', 'M75.31', 19, 25, false, []],
      ['icd10cm', 'Z87.891', 31, 38, false, []],
    ]);
  });

  it('a label, a header or a list ends with its line, whichever the line break (LF, CRLF or a lone CR)', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const text = `Dx: M75.31${eol}Seen M7531, I10.${eol}DIAGNOSES:${eol}E8352`;
      assert.deepEqual(mentions(text), [
        ['icd10cm', 'M75.31', 4, 10, false, []],
        ['icd10cm', 'E83.52', text.length - 5, text.length, false, []],
      ], JSON.stringify(eol));
    }
  });

  it('title evidence: the telling words of the title of a code, its ancestors, a deleted code or the code above an unknown one', () => {
    const stems = new TitleStems(services().codes);
    assert.deepEqual([...stems.of('M75.31')], ['calcif', 'tendin', 'lesion']); // not "right", "shoulder"
    assert.deepEqual([...stems.of('M75.33')], ['calcif', 'tendin', 'lesion']);
    assert.deepEqual([...stems.of('T52.8X1A')], ['toxic', 'effect', 'organi', 'solven', 'uninte']);
  });

  it('reads "A/B" pairs, skips ranges and marks family references', () => {
    assert.deepEqual(mentions('M75.31/M75.32 (M70-M79), from M75.3- family'), [
      ['icd10cm', 'M75.31', 0, 6, false, []],
      ['icd10cm', 'M75.32', 7, 13, false, []],
      ['icd10cm', 'M75.3', 30, 35, true, []],
    ]);
  });

  it('takes CPT codes the catalog knows, with modifiers, and labelled unknown ones', () => {
    assert.deepEqual(mentions('Procedures: 20551-50, 23000-22-LT. CPT: 12345. MRN 23001 and 55555.'), [
      ['cpt', '20551', 12, 17, false, ['50@18-20']],
      ['cpt', '23000', 22, 27, false, ['22@28-30', 'LT@31-33']],
      ['cpt', '12345', 40, 45, false, []],
    ]);
  });

  it('gives UTF-16 offsets after astral characters and combining marks', () => {
    const text = 'Pain 😣 and Mo\u0308nckeberg: I25.84';
    assert.deepEqual(mentions(text), [['icd10cm', 'I25.84', text.indexOf('I25.84'), text.length, false, []]]);
    assert.equal(text.indexOf('I25.84'), 25); // 5 + 2 (emoji) + 5 + 2 + 1 (U+0308) + 8 + 2
  });
});
