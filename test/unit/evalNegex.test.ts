import assert from 'node:assert/strict';
import { conceptPhrase, evaluateKit, formatKitResult, parseKit } from '../../scripts/eval-negex';

/** A synthetic kit in the NegEx test kit's layout (the real kit is third-party text and is never committed). */
const KIT = [
  'line number\tCondition\tsentence\tnegation_status (negated, affirmed, possible)\ttemporality (historical, recent, hypothetical)\texperiencer (patient, other)',
  '1\tcalcific tendinitis\tNo CALCIFIC TENDINITIS of the right shoulder.\tNegated\tRecent\tPatient',
  '2\tkidney stone\tA KIDNEY STONE is present in the left kidney.\tAffirmed\tRecent\tPatient',
  '3\tgallstones\tThe gallbladder contains GALLSTONES, no pericholecystic fluid.\tAffirmed\tRecent\tPatient',
  '4\tpineal   calcification\t"There is no evidence of PINEAL   CALCIFICATION, or mass."\tNegated\tRecent\tPatient',
  '',
].join('\n');

describe('NegEx test kit evaluation (scripts/eval-negex.ts)', () => {
  it('reads the kit\'s columns, quoted fields included', () => {
    assert.deepEqual(
      parseKit(KIT).map((r) => [r.line, r.concept, r.negated]),
      [[2, 'calcific tendinitis', true], [3, 'kidney stone', false], [4, 'gallstones', false], [5, 'pineal   calcification', true]],
    );
    assert.equal(parseKit(KIT)[3]!.sentence, 'There is no evidence of PINEAL   CALCIFICATION, or mass.');
  });

  it('turns a concept into a plain term phrase within the lexicon limits', () => {
    assert.equal(conceptPhrase('Neck:  Supple.  No lymphadenopathy'), 'neck supple no lymphadenopathy');
    assert.equal(conceptPhrase('a b c d e f g h i j'), 'a b c d e f g h');
    assert.equal(conceptPhrase('  ...  '), undefined);
  });

  it('scores each concept as a custom term and counts the confusion matrix', () => {
    const result = evaluateKit(parseKit(KIT));
    assert.deepEqual(result, { tp: 2, fp: 0, fn: 0, tn: 2, notFound: 0, wrong: [] });
    assert.match(formatKitResult(result), /\| F1 of "Negated" \| 1\.000 \|/);
  });

  it('rejects a file without the kit\'s columns with a clear message', () => {
    assert.throws(() => parseKit('a\tb\n1\t2\n'), /header has no concept column/);
  });
});
