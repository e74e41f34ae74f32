import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadAnatomy } from '../../server/src/core/attributes/anatomy';
import { resolveFamily, type Documentation } from '../../server/src/core/codes/resolveFamily';
import { REPO_ROOT, services } from '../support/services';

const anatomy = loadAnatomy(join(REPO_ROOT, 'data', 'lexicon', 'anatomy.json'));
const resolve = (family: string, doc: Documentation) => {
  const r = resolveFamily(services().codes, anatomy, family, doc);
  return { codes: r.codes, reached: r.reached, unspecified: r.unspecified, missing: r.missing.map((m) => [m.axis, m.options]) };
};

describe('resolveFamily: axes read from the official child titles', () => {
  it('M75.3 differs only by side', () => {
    assert.deepEqual(resolve('M75.3', {}), {
      codes: [],
      reached: 'M75.3',
      unspecified: 'M75.30',
      missing: [['laterality', ['M75.31', 'M75.32']]],
    });
    assert.deepEqual(resolve('M75.3', { side: 'left' }).codes, ['M75.32']);
    // No bilateral code: the right and the left code (Guidelines I.B.13).
    assert.deepEqual(resolve('M75.3', { side: 'bilateral' }).codes, ['M75.31', 'M75.32']);
  });

  it('M61.4 needs the site, then the side', () => {
    const noSite = resolve('M61.4', {});
    assert.equal(noSite.unspecified, 'M61.40');
    assert.equal(noSite.missing[0]![0], 'site');
    // Only specific codes: the unspecified-side ones (M61.419) are what a query avoids.
    assert.deepEqual((noSite.missing[0]![1] as string[]).slice(0, 3), ['M61.411', 'M61.412', 'M61.421']);
    assert.deepEqual(resolve('M61.4', { site: 'thigh' }), {
      codes: [],
      reached: 'M61.45',
      unspecified: 'M61.459',
      missing: [['laterality', ['M61.451', 'M61.452']]],
    });
    assert.deepEqual(resolve('M61.4', { site: 'thigh', side: 'right' }).codes, ['M61.451']);
  });

  it('maps sites to the families\' own site words (hip -> thigh in M61.5, hip in M71.4) and other site', () => {
    assert.deepEqual(resolve('M61.5', { site: 'hip', side: 'right' }).codes, ['M61.551']);
    assert.deepEqual(resolve('M71.4', { site: 'hip', side: 'left' }).codes, ['M71.452']);
    assert.deepEqual(resolve('M61.4', { site: 'vertebrae' }).codes, ['M61.48']);
    assert.deepEqual(resolve('M11.2', { site: 'knee', side: 'bilateral' }).codes, ['M11.261', 'M11.262']);
  });

  it('I70.20: a place of another limb than the leg its sided children name is the "other extremity" child, with or without a side', () => {
    assert.deepEqual(resolve('I70.20', { site: 'hand' }), { codes: ['I70.208'], reached: 'I70.208', unspecified: undefined, missing: [] });
    assert.deepEqual(resolve('I70.20', { site: 'forearm', side: 'left' }).codes, ['I70.208']);
    // A part of the leg keeps the side axis; a place on no limb (an artery) too.
    assert.deepEqual(resolve('I70.20', { site: 'ankle-foot' }), {
      codes: [],
      reached: 'I70.20',
      unspecified: 'I70.209',
      missing: [['laterality', ['I70.201', 'I70.202', 'I70.203', 'I70.208']]],
    });
    assert.deepEqual(resolve('I70.20', { site: 'knee', side: 'right' }).codes, ['I70.201']);
    assert.equal(resolve('I70.20', { site: 'artery' }).unspecified, 'I70.209');
  });

  it('stops at a billable family code', () => {
    assert.deepEqual(resolve('L94.2', {}), { codes: ['L94.2'], reached: 'L94.2', unspecified: undefined, missing: [] });
  });
});
