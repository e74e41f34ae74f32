import assert from 'node:assert/strict';
import { analyzeNote } from '../../server/src/core/analyze';
import { codeActionsFor, type DiagnosticRef, type TextEdit } from '../../server/src/core/codeActions';
import { services } from '../support/services';
import { SHOULDER_NOTE_QUERY, shoulderLateralityQuery, shoulderNote } from '../support/expectedQueries';

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

/** The provider query action of the diagnostic of `rule`. */
function draftOf(text: string, rule: string) {
  const analysis = analyzeNote(text, services());
  const d = analysis.diagnostics.find((x) => x.ruleId === rule)!;
  return codeActionsFor(d, analysis, services()).find((a) => a.title.startsWith('Draft provider query'))!;
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

  it('never offers another site\'s code for an invalid code: M65.211 (a shoulder) gets M75.31, not M65.221', () => {
    const text = 'Calcific tendinitis of the right shoulder, M65.211.\n';
    assert.deepEqual(actions(text, 'invalid-code').map(([title]) => title), ['Suppress invalid-code here (write the reason after the colon)']);
    assert.deepEqual(actions(text, 'shoulder-calcific-tendinitis')[0], [
      'Replace M65.211 with M75.31 (Calcific tendinitis of right shoulder)',
      'Calcific tendinitis of the right shoulder, M75.31.\n',
      true,
    ]);
    // A side that does not exist keeps its branch: M61.458 -> the thigh's codes.
    assert.deepEqual(actions('Muscle calcification, right thigh: M61.458.\n', 'invalid-code').map(([title]) => title.slice(0, 26)), [
      'Replace M61.458 with M61.4',
      'Replace M61.458 with M61.4',
      'Replace M61.458 with M61.4',
      'Suppress invalid-code here',
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

  it('reports 20551 with RT and LT instead of modifier 50 (both sides kept) and moves codes into their code-first order', () => {
    assert.deepEqual(actions('Injection 20551-50 today.\r\nPlan: PT.\r\n', 'cpt-modifier')[0], [
      'Report 20551 on two lines, RT and LT (not modifier 50)',
      'Injection 20551-RT today.\r\n20551-LT\r\nPlan: PT.\r\n',
      true,
    ]);
    assert.deepEqual(actions('Codes: I25.84, I25.10.\n', 'sequencing')[0], ['Sequence I25.10 before I25.84', 'Codes: I25.10, I25.84.\n', true]);
  });

  it('moves the underlying condition\'s code before its manifestation, never swapping one past another', () => {
    assert.deepEqual(actions('Dx: N29, E83.59\n', 'sequencing')[0], ['Sequence E83.59 before N29', 'Dx: E83.59, N29\n', true]);
    const text = 'Dx: Nephrocalcinosis with secondary hyperparathyroidism of renal origin: E83.59, N29, N25.81\n';
    assert.deepEqual(actions(text, 'sequencing')[0], [
      'Sequence N25.81 before E83.59',
      'Dx: Nephrocalcinosis with secondary hyperparathyroidism of renal origin: N25.81, E83.59, N29\n',
      true,
    ]);
    assert.deepEqual(actions('Muscle calcification, right thigh, due to hypercalcemia: M61.451 then E83.52.\n', 'sequencing')[0], [
      'Sequence E83.52 before M61.451',
      'Muscle calcification, right thigh, due to hypercalcemia: E83.52 then M61.451.\n',
      true,
    ]);
  });

  it('adds a code only for a cause the note documents, never for a code-first note alone', () => {
    assert.deepEqual(actions('Metastatic calcification due to hypercalcemia: E83.59.\n', 'sequencing')[0], [
      'Add E83.52 before E83.59',
      'Metastatic calcification due to hypercalcemia: E83.52, E83.59.\n',
      false,
    ]);
    // A manifestation alone: reported, with nothing to add (which disease is the provider's to say).
    assert.deepEqual(actions('Problem list: N29\n', 'sequencing').map(([title]) => title), ['Suppress sequencing here (write the reason after the colon)']);
  });

  it('offers the cause the record documents first in an etiology query, quoting where (a crush injury for muscle calcification)', () => {
    const text = 'HPI: 45M with a crush injury of the left thigh in March.\nIMAGING: Muscle calcification of the left thigh.\n';
    const draft = (draftOf(text, 'missing-etiology').command!.arguments[0] as { text: string }).text.split('\n');
    assert.deepEqual(draft.slice(1, 7), [
      'Clinical indicators in this record:',
      '- Line 1: "45M with a crush injury of the left thigh in March." (HPI)',
      '- Line 2: "Muscle calcification of the left thigh." (IMAGING)',
      'Based on your clinical judgment, can the cause (etiology) of the calcification of muscle be further specified?',
      '[ ] Trauma',
      '[ ] Paralysis (paraplegia, quadriplegia)',
    ]);
    assert.deepEqual(draft.slice(-3), ['[ ] Other (please specify): ____', '[ ] Clinically undetermined', '[End of query]']);
  });

  it('drafts a compliant provider query for the editor to open, leaving the note untouched (CRLF note)', () => {
    const text = 'IMAGING: Right shoulder films 😣 show a deposit.\r\nASSESSMENT: Calcific tendinitis of the shoulder.\r\nPlan: barbotage.\r\n';
    const query = draftOf(text, 'missing-laterality');
    const title = 'Draft provider query: laterality of calcific tendinitis of shoulder';
    assert.deepEqual(query, {
      title,
      edits: [],
      isPreferred: false,
      command: {
        command: 'calx.openProviderQuery',
        arguments: [
          {
            title,
            text: shoulderLateralityQuery(['- Line 1: "Right shoulder films 😣 show a deposit." (IMAGING)', '- Line 2: "Calcific tendinitis of the shoulder." (ASSESSMENT)']).join('\n'),
          },
        ],
      },
    });
    assert.doesNotMatch(JSON.stringify(query), /payment|reimburse|DRG|revenue|quality score/i);
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
});

/** The text after each action of `d` (a diagnostic made on an earlier text) on the note as it is now. */
function actionsOn(now: string, d: DiagnosticRef) {
  return codeActionsFor(d, analyzeNote(now, services()), services()).map((a) => [a.title, apply(now, a.edits)] as const);
}

/** The first diagnostic of `rule` in `text`, as an editor keeps it: its range moved by `shift`, its data as published. */
function published(text: string, rule: string, shift = 0): DiagnosticRef {
  const d = analyzeNote(text, services()).diagnostics.find((x) => x.ruleId === rule);
  assert.ok(d, `no ${rule} diagnostic in ${JSON.stringify(text)}`);
  return { ruleId: d.ruleId, start: d.start + shift, end: d.end + shift, ...(d.data ? { data: structuredClone(d.data) } : {}) };
}

describe('quick fixes are rebuilt from the current text, or refused (issue 18)', () => {
  it('fixes the modifier where it is now after an edit above it, not at the offsets the diagnostic was made at', () => {
    const before = 'Injection 20551-50 today.\n';
    const added = 'Meds: Dose 1234-50 mg.\n';
    const d = published(before, 'cpt-modifier', added.length);
    assert.deepEqual(actionsOn(added + before, d)[0], ['Report 20551 on two lines, RT and LT (not modifier 50)', 'Meds: Dose 1234-50 mg.\nInjection 20551-RT today.\n20551-LT\n']);
  });

  it('refuses every fix when the code under the diagnostic grew (M75.3 typed on to M75.31)', () => {
    const d = published('Calcific tendinitis of the left shoulder: M75.3.\n', 'header-code');
    assert.deepEqual(actionsOn('Calcific tendinitis of the left shoulder: M75.31.\n', d), []);
  });

  it('refuses every fix when the code under the diagnostic changed, the suppression too', () => {
    const d = published('Dx: M75.3 today.\n', 'header-code');
    assert.deepEqual(actionsOn('Dx: M75.4 today.\n', d), []);
  });

  it('refuses the modifier fix when the modifier is no longer 50 or no longer on 20551', () => {
    const d = published('Injection 20551-50 today.\n', 'cpt-modifier');
    assert.deepEqual(actionsOn('Injection 20551-51 today.\n', d), []);
    assert.deepEqual(actionsOn('Injection 20552-50 today.\n', d), []);
  });

  it('refuses a code-first swap and a provider query when their subject changed', () => {
    const swap = published('Codes: I25.84, I25.10.\n', 'sequencing');
    assert.deepEqual(actionsOn('Codes: I25.83, I25.10.\n', swap), []);
    const query = published('Calcific tendinitis of the shoulder.\n', 'missing-laterality');
    assert.deepEqual(actionsOn('Calcific bursitis of the shoulder.\n', query), []);
  });

  it('answers nothing, without throwing, for a malformed diagnostic', () => {
    const text = 'Calcific tendinitis of the left shoulder, M75.30.\n';
    const good = published(text, 'unspecified-code');
    const malformed: DiagnosticRef[] = [
      { ruleId: good.ruleId, start: good.start, end: good.end },
      { ...good, data: { code: 42, replacements: 'M75.32' } },
      { ...good, ruleId: 'no-such-rule' },
      { ...good, start: good.end, end: good.start },
      { ...good, start: Number.NaN },
      { ...good, start: -3 },
      { ...good, end: text.length + 10 },
      { ...published('Calcific tendinitis of the shoulder.\n', 'missing-laterality'), data: { conceptId: 'calcific-tendinitis', missing: 'colour' } },
    ];
    for (const d of malformed) assert.deepEqual(actionsOn(text, d), [], JSON.stringify(d));
    assert.deepEqual(actionsOn(text, good)[0], ['Replace M75.30 with M75.32 (Calcific tendinitis of left shoulder)', 'Calcific tendinitis of the left shoulder, M75.32.\n']);
  });

  for (const [name, eol] of [['LF', '\n'], ['CRLF', '\r\n'], ['lone CR', '\r']] as const) {
    describe(`line breaks as the LSP counts them: ${name}`, () => {
      const note = shoulderNote(eol);

      it('inserts the suppression on its own line above the diagnostic\'s line', () => {
        const suppress = actions(note, 'missing-laterality').find(([title]) => title.startsWith('Suppress'))!;
        assert.equal(suppress[1], shoulderNote(eol, { above: ['[calx-ignore missing-laterality: ]'] }));
      });

      it('drafts the provider query with the note\'s line numbers', () => {
        const query = draftOf(note, 'missing-laterality');
        assert.deepEqual(query.command?.arguments, [{ title: query.title, text: SHOULDER_NOTE_QUERY.join('\n') }]);
      });

      it('a calx-ignore silences its own line and the next, not the whole note', () => {
        const text = ['[calx-ignore missing-laterality: side in the outside report]', 'Calcific tendinitis of the shoulder.', 'Seen in clinic today.', 'Calcific tendinitis of the shoulder again.', ''].join(eol);
        const kept = analyzeNote(text, services()).diagnostics.map((d) => [d.ruleId, d.start, text.slice(d.start, d.end)]);
        const second = text.lastIndexOf('Calcific');
        assert.deepEqual(kept, [['missing-laterality', second, 'Calcific tendinitis of the shoulder']]);
      });
    });
  }
});
