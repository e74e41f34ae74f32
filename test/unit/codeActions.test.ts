import assert from 'node:assert/strict';
import { analyzeNote } from '../../server/src/core/analyze';
import { codeActionsFor, type TextEdit } from '../../server/src/core/codeActions';
import { services } from '../support/services';

function apply(text: string, edits: TextEdit[]): string {
  return [...edits].sort((a, b) => b.start - a.start).reduce((t, e) => t.slice(0, e.start) + e.newText + t.slice(e.end), text);
}

/** The actions for the diagnostic of `rule` (the first one), as [title, text after applying it]. */
function actions(text: string, rule: string) {
  const analysis = analyzeNote(text, services());
  const d = analysis.diagnostics.find((x) => x.ruleId === rule);
  assert.ok(d, `no ${rule} diagnostic in ${JSON.stringify(text)}`);
  return codeActionsFor(d, analysis, services()).map((a) => [a.title, apply(text, a.edits), a.isPreferred] as const);
}

describe('quick fixes (the document after the edit)', () => {
  it('replaces a header with the specific code the note supports', () => {
    const text = 'Calcific tendinitis of the right shoulder: M75.3.\n';
    const [first, second, third, suppress] = actions(text, 'header-code');
    assert.deepEqual(first, ['Replace M75.3 with M75.30 (Calcific tendinitis of unspecified shoulder)', 'Calcific tendinitis of the right shoulder: M75.30.\n', false]);
    assert.deepEqual(second, ['Replace M75.3 with M75.31 (Calcific tendinitis of right shoulder)', 'Calcific tendinitis of the right shoulder: M75.31.\n', false]);
    assert.equal(third![0], 'Replace M75.3 with M75.32 (Calcific tendinitis of left shoulder)');
    assert.deepEqual(suppress, [
      'Suppress header-code here (write the reason after the colon)',
      '[calx-ignore header-code: ]\nCalcific tendinitis of the right shoulder: M75.3.\n',
      false,
    ]);
  });

  it('replaces an unspecified code with the documented one, preferred when it is the only one', () => {
    const text = 'Calcific tendinitis of the left shoulder, M75.30.\n';
    assert.deepEqual(actions(text, 'unspecified-code')[0], [
      'Replace M75.30 with M75.32 (Calcific tendinitis of left shoulder)',
      'Calcific tendinitis of the left shoulder, M75.32.\n',
      true,
    ]);
  });

  it('removes modifier 50 from 20551 and swaps codes into their code-first order', () => {
    assert.deepEqual(actions('Injection 20551-50 today.\n', 'cpt-modifier')[0], ['Remove modifier 50 from 20551', 'Injection 20551 today.\n', true]);
    assert.deepEqual(actions('Codes: I25.84, I25.10.\n', 'sequencing')[0], ['Sequence I25.10 before I25.84', 'Codes: I25.10, I25.84.\n', true]);
  });

  it('inserts a compliant provider query after the finding\'s line, with CRLF kept', () => {
    const text = 'IMAGING: Right shoulder films 😣 show a deposit.\r\nASSESSMENT: Calcific tendinitis of the shoulder.\r\nPlan: barbotage.\r\n';
    const query = actions(text, 'missing-laterality').find(([title]) => title.startsWith('Insert provider query'))!;
    assert.equal(query[0], 'Insert provider query: laterality of calcific tendinitis of shoulder');
    assert.equal(
      query[1],
      [
        'IMAGING: Right shoulder films 😣 show a deposit.',
        'ASSESSMENT: Calcific tendinitis of the shoulder.',
        '[Provider query (draft by Calx; review before sending)]',
        'Clinical indicators in this record:',
        '- Line 1: "Right shoulder films 😣 show a deposit." (IMAGING)',
        '- Line 2: "Calcific tendinitis of the shoulder." (ASSESSMENT)',
        'Based on your clinical judgment, can the side (laterality) of the calcific tendinitis of shoulder be further specified?',
        '[ ] Calcific tendinitis of right shoulder',
        '[ ] Calcific tendinitis of left shoulder',
        '[ ] Both sides (right and left)',
        '[ ] Other (please specify): ____',
        '[ ] Clinically undetermined',
        '[End of query]',
        'Plan: barbotage.',
        '',
      ].join('\r\n'),
    );
    assert.doesNotMatch(query[1], /payment|reimburse|DRG|revenue|quality score/i);
  });

  it('honours a suppression with a reason and reports one without', () => {
    const suppressed = '[calx-ignore missing-laterality: side documented in the outside imaging report]\nCalcific tendinitis of the shoulder.\n';
    assert.deepEqual(analyzeNote(suppressed, services()).diagnostics, []);
    const noReason = '[calx-ignore missing-laterality: ]\nCalcific tendinitis of the shoulder.\n';
    assert.deepEqual(
      analyzeNote(noReason, services()).diagnostics.map((d) => [d.ruleId, d.severity, noReason.slice(d.start, d.end)]),
      [
        ['suppression', 'information', 'calx-ignore missing-laterality: '],
        ['missing-laterality', 'warning', 'Calcific tendinitis of the shoulder'],
      ],
    );
  });

  it('refuses a replacement when the code under the diagnostic changed since', () => {
    const text = 'Dx: M75.3 today.\n';
    const analysis = analyzeNote(text, services());
    const d = analysis.diagnostics.find((x) => x.ruleId === 'header-code')!;
    const edited = 'Dx: M75.4 today.\n';
    const later = analyzeNote(edited, services());
    const titles = codeActionsFor(d, later, services()).map((a) => a.title);
    assert.deepEqual(titles, ['Suppress header-code here (write the reason after the colon)']);
  });
});
