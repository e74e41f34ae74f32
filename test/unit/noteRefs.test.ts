import assert from 'node:assert/strict';
import { codeRefs, refCovers } from '../../server/src/core/codes/noteRefs';

describe('code references in tabular notes', () => {
  it('reads single codes, families with a dash and category ranges', () => {
    assert.deepEqual(codeRefs('bursitis NOS (M71.9-)'), [{ from: 'M71.9' }]);
    assert.deepEqual(codeRefs('coronary atherosclerosis (I25.1-, I25.7-, I25.81-)'), [{ from: 'I25.1' }, { from: 'I25.7' }, { from: 'I25.81' }]);
    assert.deepEqual(codeRefs('neoplasms (C00-D49)'), [{ from: 'C00', to: 'D49' }]);
    assert.deepEqual(codeRefs('sunburn (L55.-)'), [{ from: 'L55' }]);
    assert.deepEqual(codeRefs('no code here'), []);
  });

  it('covers codes below a reference and inside a range', () => {
    assert.ok(refCovers({ from: 'M71.9' }, 'M71.90'));
    assert.ok(refCovers({ from: 'M75.3' }, 'M75.31'));
    assert.ok(!refCovers({ from: 'M75.3' }, 'M75.40'));
    assert.ok(refCovers({ from: 'C00', to: 'D49' }, 'C50.911'));
    assert.ok(!refCovers({ from: 'C00', to: 'D49' }, 'E11.9'));
    assert.ok(refCovers({ from: 'L55' }, 'L55.0'));
    assert.ok(!refCovers({ from: 'L55' }, 'L550'), 'a category covers its dotted children only');
  });
});
