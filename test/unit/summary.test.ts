import assert from 'node:assert/strict';
import { analyzeNote } from '../../server/src/core/analyze';
import { codingSummary } from '../../server/src/core/summary';
import { services } from '../support/services';

const summaryOf = (text: string) => codingSummary(analyzeNote(text, services()), services());
const sequence = (text: string) => summaryOf(text).codes.map((c) => `${c.code} ${c.role}`);
const queries = (text: string) => summaryOf(text).queries.map((q) => `${q.concept}, line ${q.evidence.line}: ${q.missing.join(', ')}`);

describe('coding summary: what a CDI specialist would send (issue 17 item 5)', () => {
  it('lists the condition that classifies an Excludes1 pair, never both (E83.5 Excludes1 hyperparathyroidism)', () => {
    // Before: E21.0, E83.52 and E83.59 were all listed; E83.5 says hyperparathyroidism is not coded there.
    assert.deepEqual(sequence('ASSESSMENT: Metastatic calcification due to primary hyperparathyroidism with hypercalcemia.\n'), ['E21.0 etiology']);
  });

  it('sequences the documented cause first and pairs the etiology with its manifestation (N25.81, E83.59, N29)', () => {
    // Before: N25.81 and E21.1 (each Excludes1 the other) both, and no N29.
    assert.deepEqual(sequence('ASSESSMENT: Nephrocalcinosis with secondary hyperparathyroidism of renal origin. CKD stage 4.\n'), [
      'N25.81 etiology',
      'E83.59 finding',
      'N29 manifestation',
    ]);
    assert.deepEqual(sequence('ASSESSMENT: Nephrocalcinosis due to secondary hyperparathyroidism.\n'), ['E21.1 etiology', 'N29 manifestation']);
  });

  it('asks one query per condition and missing detail, not one per mention', () => {
    assert.deepEqual(queries('ASSESSMENT: Calcific tendinitis of the shoulder.\nPLAN: Injection for calcific tendinitis of shoulder.\n'), [
      'Calcific tendinitis of shoulder, line 1: laterality',
    ]);
  });

  it('does not query the cause of a condition whose cause one of its mentions documents', () => {
    const text = 'FINDINGS: Heterotopic ossification about the right hip.\nIMPRESSION: Heterotopic ossification of the right hip after total hip arthroplasty.\n';
    assert.deepEqual(queries(text), []);
    assert.deepEqual(sequence(text), ['M61.551 finding']);
  });
});
