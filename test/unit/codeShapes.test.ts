import assert from 'node:assert/strict';
import { analyzeNote } from '../../server/src/core/analyze';
import { deriveCodeShapes } from '../../server/src/core/codes/codeShapes';
import { completeAt } from '../../server/src/core/completion';
import { hoverAt } from '../../server/src/core/hover';
import { services } from '../support/services';

const shapesOf = (codes: string[]) => deriveCodeShapes((visit) => codes.forEach((c) => visit(c, 0, c.length)));

describe('code shapes read from the code set (FY2027: categories of two letters and a digit)', () => {
  it('derives the characters of each position and the letters that may come second', () => {
    const shapes = shapesOf(['A00', 'A00.0', 'M75.31', 'QA1.71', 'T20.0XXA']);
    assert.deepEqual(shapes.positions, ['AMQT', '027A', '015', '037', '1X', 'X', 'A']);
    assert.equal(shapes.seconds.get('Q'), 'A');
    // Every digit seen second may follow any first letter (a mistyped "A20.1" is still read as a code).
    assert.equal(shapes.pattern, '(?:[AMT][027]|[Q][027A])[015](?:\\.?[037](?:[1X](?:[X](?:[A])?)?)?)?');
  });

  it('the loaded FY2027 set has QA categories: a letter second only after Q', () => {
    const { positions, seconds } = services().codes.shapes;
    assert.equal(positions[1], '0123456789A');
    assert.deepEqual([...seconds].filter(([, s]) => /[A-Z]/.test(s)).map(([first]) => first), ['Q']);
  });

  it('finds and hovers QA1.71 written in a note', () => {
    const text = 'Lynch syndrome QA1.71 confirmed; BRCA1 carrier QA1.790.';
    const analysis = analyzeNote(text, services());
    assert.deepEqual(
      analysis.mentions.map((m) => [m.code, m.start, m.end]),
      [
        ['QA1.71', 15, 21],
        ['QA1.790', 47, 54],
      ],
    );
    const hover = hoverAt(analysis, 17, services())!;
    assert.deepEqual([hover.start, hover.end], [15, 21]);
    assert.match(hover.markdown, /^\*\*QA1\.71\*\* Lynch syndrome\n\nBillable · ICD-10-CM FY2027/);
  });

  it('reports a QA code that does not exist, naming its family', () => {
    const text = 'Dx: QA1.75 (no such code).';
    const found = analyzeNote(text, services()).diagnostics.map((d) => [d.ruleId, d.start, d.end, d.message]);
    assert.deepEqual(found, [
      [
        'invalid-code',
        4,
        10,
        'QA1.75 is not an ICD-10-CM code in FY2027; QA1.7 Inherited neoplasm predisposition syndromes involving multiple systems, not elsewhere classified has QA1.71, QA1.790, QA1.791, QA1.792 or QA1.798.',
      ],
    ]);
  });

  it('completes the prefix "QA1." with its codes, and leaves the word "QA" alone', () => {
    const text = 'Dx: QA1.';
    const result = completeAt(analyzeNote(text, services()), text.length, services())!;
    assert.deepEqual([result.replaceStart, result.typed], [4, 'QA1.']);
    assert.deepEqual(
      [...result.items].sort((a, b) => a.rank - b.rank).map((i) => i.code),
      ['QA1.7', 'QA1.71', 'QA1.790', 'QA1.791', 'QA1.792', 'QA1.798', 'QA1.79'],
    );
    const prose = 'Reviewed by QA';
    assert.equal(completeAt(analyzeNote(prose, services()), prose.length, services(), { explicit: false }), undefined);
  });
});

describe('hover on a code that became a header in FY2027', () => {
  it('says it became a header and what to report, not "New in FY2027"', () => {
    const text = 'Dx: D69.1 platelet defect.';
    const markdown = hoverAt(analyzeNote(text, services()), 6, services())!.markdown;
    assert.match(markdown, /\n\nBecame a header in FY2027: report one of its codes\. Billable until FY2026; subdivided on 2026-10-01\.\n\n/);
    assert.doesNotMatch(markdown, /New in FY/);
  });

  it('still says "New in FY2027" for a code that is new', () => {
    const text = 'Dx: QA1.71';
    assert.match(hoverAt(analyzeNote(text, services()), 6, services())!.markdown, /\n\nNew in FY2027\.\n\n/);
  });
});
