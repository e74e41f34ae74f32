import assert from 'node:assert/strict';
import { buildTextModel, sentenceAt } from '../../server/src/core/text/textModel';
import { tokenize } from '../../server/src/core/text/tokens';

/** Each sentence as [section kind, header?, its text]. */
function sentences(text: string) {
  const model = buildTextModel(text);
  return model.sentences.map((s) => [model.sections[s.section]!.kind, s.header, text.slice(s.start, s.end)]);
}

describe('tokenize', () => {
  it('keeps UTF-16 offsets of the original text and folds case and accents only in norm', () => {
    const text = 'Mo\u0308nckeberg’s 😣 İ 6.1 r/o';
    const tokens = tokenize(text).toArray();
    assert.deepEqual(
      tokens.map((t) => [text.slice(t.start, t.end), t.kind, t.norm]),
      [
        ['Mo\u0308nckeberg’s', 'word', "monckeberg's"],
        ['😣', 'punct', '😣'],
        ['İ', 'word', 'i'],
        ['6.1', 'number', '6.1'],
        ['r', 'word', 'r'],
        ['/', 'punct', '/'],
        ['o', 'word', 'o'],
      ],
    );
    assert.deepEqual(tokens.map((t) => t.spaceBefore), [true, true, true, true, true, false, false]);
  });

  it('splits hyphenated words and keeps "decalcification" one word', () => {
    assert.deepEqual(tokenize('right-sided decalcification').toArray().map((t) => t.norm), ['right', '-', 'sided', 'decalcification']);
  });
});

describe('sections and sentences', () => {
  it('finds headers with and without content on the line, and known bare headers', () => {
    const text = [
      'Clinic note',
      'PAST MEDICAL HISTORY: Diabetes. CKD stage 4.',
      'Family History:',
      'Mother had pseudogout.',
      'IMPRESSION',
      'Calcified granuloma.',
      'NO ACUTE FINDINGS',
      'Agatston score: 308.',
    ].join('\n');
    assert.deepEqual(sentences(text), [
      ['preamble', false, 'Clinic note'],
      ['past-medical-history', true, 'PAST MEDICAL HISTORY:'],
      ['past-medical-history', false, 'Diabetes.'],
      ['past-medical-history', false, 'CKD stage 4.'],
      ['family-history', true, 'Family History:'],
      ['family-history', false, 'Mother had pseudogout.'],
      ['impression', true, 'IMPRESSION'],
      ['impression', false, 'Calcified granuloma.'],
      ['impression', false, 'NO ACUTE FINDINGS\nAgatston score: 308.'],
    ]);
  });

  it('knows no header by the name of an Object property ("Constructor:", "toString:", "__proto__:")', () => {
    const text = ['Constructor: one.', 'CONSTRUCTOR: two.', 'toString: three.', 'TOSTRING', '__proto__: four.', 'HASOWNPROPERTY: five.'].join('\n');
    assert.deepEqual(sentences(text), [
      ['preamble', false, 'Constructor: one.'],
      ['other', true, 'CONSTRUCTOR:'],
      ['other', false, 'two.'],
      ['other', false, 'toString: three.'],
      ['other', false, 'TOSTRING\n__proto__: four.'],
      ['other', true, 'HASOWNPROPERTY:'],
      ['other', false, 'five.'],
    ]);
  });

  it('does not break on abbreviations, decimals, codes or wrapped lines; breaks on list items and blank lines', () => {
    const text = [
      'Seen by Dr. Smith, ibuprofen 400 mg b.i.d. e.g. with food, A1c 6.1 and M75.31 noted.',
      'Deposit in the supraspinatus tendon',
      'insertion, 14 mm.',
      '1. Calcific tendinitis',
      '2. CKD',
      '',
      'Follow up',
      '- repeat films',
    ].join('\n');
    assert.deepEqual(sentences(text).map((s) => s[2]), [
      'Seen by Dr. Smith, ibuprofen 400 mg b.i.d. e.g. with food, A1c 6.1 and M75.31 noted.',
      'Deposit in the supraspinatus tendon\ninsertion, 14 mm.',
      '1. Calcific tendinitis',
      '2. CKD',
      'Follow up',
      '- repeat films',
    ]);
  });

  it('ends a sentence at a unit after a number when a capital follows ("1.8 cm. Ureteral"), not at a title ("Dr. Stone")', () => {
    const text = 'Two stones measuring 2.5 and 1.8 cm. Ureteral orifices normal. Aspirin 81 mg. Seen by Dr. Stone at 5 mm. intervals.';
    assert.deepEqual(sentences(text).map((s) => s[2]), [
      'Two stones measuring 2.5 and 1.8 cm.',
      'Ureteral orifices normal.',
      'Aspirin 81 mg.',
      'Seen by Dr. Stone at 5 mm. intervals.',
    ]);
  });

  it('handles CRLF and finds the sentence at an offset', () => {
    const text = 'IMPRESSION:\r\nMitral annular calcification.\r\nNo stenosis.\r\n';
    assert.deepEqual(sentences(text), [
      ['impression', true, 'IMPRESSION:'],
      ['impression', false, 'Mitral annular calcification.'],
      ['impression', false, 'No stenosis.'],
    ]);
    const model = buildTextModel(text);
    assert.equal(sentenceAt(model, text.indexOf('annular')), 1);
    assert.equal(sentenceAt(model, text.indexOf('\r\nNo')), -1, 'line breaks between sentences belong to none');
  });
});
