import assert from 'node:assert/strict';
import { analyzeNote } from '../../server/src/core/analyze';
import { hoverAt } from '../../server/src/core/hover';
import { codingSummary, summaryToCsv, summaryToMarkdown } from '../../server/src/core/summary';
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

describe('coding summary and hover: codes the note sets aside (codes/setAside.ts)', () => {
  const NOTE = 'HISTORY: Current smoker. Z87.891 not applicable, active smoker: F17.210.\n';

  it('lists a set-aside code among the written ones with the words that set it aside, and the others without', () => {
    const summary = summaryOf(NOTE);
    assert.deepEqual(
      summary.written.map((w) => [w.code, w.setAside]),
      [
        ['Z87.891', { kind: 'set-aside', words: 'not applicable' }],
        ['F17.210', undefined],
      ],
    );
    const markdown = summaryToMarkdown(summary).split('\n').filter((l) => l.startsWith('- ICD-10-CM'));
    assert.match(markdown[0]!, /^- ICD-10-CM \*\*Z87\.891\*\* .*, line 1 _\(set aside in the note: "not applicable"\)_$/);
    assert.doesNotMatch(markdown[1]!, /set aside/);
    assert.match(summaryToCsv(summary), /^written,Z87\.891,Personal history of nicotine dependence,"set aside in the note: ""not applicable""",1$/m);
  });

  it('says so first in the hover of a set-aside code, and not in the hover of the code the note reports', () => {
    const analysis = analyzeNote(NOTE, services());
    const hover = (code: string) => hoverAt(analysis, NOTE.indexOf(code) + 1, services())!.markdown;
    assert.ok(
      hover('Z87.891').startsWith('_Set aside in the note: "not applicable". Not counted as a reported code: Excludes1, sequencing and the other rules that pair codes leave it out._\n\n**Z87.891**'),
      hover('Z87.891').slice(0, 200),
    );
    assert.ok(hover('F17.210').startsWith('**F17.210**'), hover('F17.210').slice(0, 80));
  });
});
