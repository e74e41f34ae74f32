/**
 * Work done a slice at a time (Sliced): the search indexes a server builds between requests, and the alphabetic
 * index it loads the same way. Whatever the slices, the result is the one a build in one go gives; a search
 * that comes in the middle finishes from where the slices left off.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { join } from 'node:path';
import { loadCodeIndex, loadAlphabeticIndex } from '../../server/src/core/codes/loadCodeData';
import { WordPostings } from '../../server/src/core/codes/words';
import { loadServices } from '../../server/src/core/loadServices';
import { Sliced } from '../../server/src/core/sliced';
import { REPO_ROOT, services } from '../support/services';

const ICD10CM = join(REPO_ROOT, 'data', 'icd10cm');

/** A clock that moves one tick each time it is read. */
const ticking = () => {
  let now = 0;
  return () => now++;
};

describe('Sliced', () => {
  function* work(log: string[]): Generator<void, string, void> {
    for (const part of ['a', 'b', 'c', 'd']) {
      log.push(part);
      yield;
    }
    return log.join('');
  }

  it('runs until the deadline, at least to the next yield, and finish goes on from there', () => {
    const log: string[] = [];
    const sliced = new Sliced(work(log));
    const clock = ticking();
    // The clock is read after each yield: deadline 1 lets two parts run (clock 0 < 1, then 1 >= 1).
    assert.equal(sliced.step(1, clock), false);
    assert.deepEqual(log, ['a', 'b']);
    // A deadline already past still runs one part.
    assert.equal(sliced.step(-Infinity, clock), false);
    assert.deepEqual(log, ['a', 'b', 'c']);
    assert.equal(sliced.finish(), 'abcd');
    // Done is done: nothing runs twice.
    assert.equal(sliced.step(-Infinity, clock), true);
    assert.equal(sliced.finish(), 'abcd');
    assert.deepEqual(log, ['a', 'b', 'c', 'd']);
  });

  it('throws the error of failed work again at every later call, instead of a result it does not have', () => {
    const sliced = new Sliced(
      (function* (): Generator<void, number, void> {
        yield;
        throw new RangeError('broken data');
      })(),
    );
    assert.equal(sliced.step(-Infinity), false);
    assert.throws(() => sliced.step(-Infinity), RangeError);
    assert.throws(() => sliced.finish(), RangeError);
    assert.throws(() => sliced.step(Infinity), RangeError);
  });
});

describe('WordPostings built in slices', () => {
  const word = fc.stringMatching(/^[a-e]{1,3}$/);
  const items = fc.array(fc.array(word, { maxLength: 6 }), { maxLength: 700 });

  it('holds, whatever the slices, exactly the words of each item (reference: a map of sets)', () => {
    fc.assert(
      fc.property(items, fc.integer({ min: 0, max: 20 }), (list, ticks) => {
        const sliced = new Sliced(WordPostings.slices(list.length, (i, add) => list[i]!.forEach(add)));
        const clock = ticking();
        while (!sliced.step(clock() + ticks, clock) && ticks > 0);
        const postings = sliced.finish();
        const expected = new Map<string, Set<number>>();
        list.forEach((words, i) => words.forEach((w) => (expected.get(w) ?? expected.set(w, new Set()).get(w)!).add(i)));
        assert.deepEqual(postings.words, [...expected.keys()].sort());
        for (const [w, ids] of expected) assert.deepEqual([...postings.exact(w)], [...ids].sort((a, b) => a - b), w);
        for (const prefix of ['a', 'b', 'ab', 'e', 'f']) {
          const union = new Set([...expected].filter(([w]) => w.startsWith(prefix)).flatMap(([, ids]) => [...ids]));
          assert.deepEqual(postings.withPrefix(prefix), [...union].sort((a, b) => a - b), prefix);
        }
        assert.equal(postings.size, [...expected.values()].reduce((n, ids) => n + ids.size, 0));
      }),
      { seed: 2027, numRuns: 150 },
    );
  });
});

describe('search indexes warmed up in slices (as the server does between requests)', () => {
  const queries = ['calcific tend', 'calcification pineal', 'chondrocalcinosis', 'calciphylaxis', 'heterotopic ossification', 'kidney calc'];

  it('code word search: sliced, interrupted by a search, or whole, the same answers', function () {
    this.timeout(20000);
    const expected = queries.map((q) => services().codes.wordSearch(q, 30));
    const warmed = loadCodeIndex(ICD10CM);
    let slices = 1;
    while (!warmed.warmWordIndex(-Infinity)) slices++;
    // ~98,000 codes, 128 a slice, and the packing: a warm-up of one slice would block the server.
    assert.ok(slices > 700, `${slices} slices`);
    assert.deepEqual(queries.map((q) => warmed.wordSearch(q, 30)), expected);
    const interrupted = loadCodeIndex(ICD10CM);
    for (let i = 0; i < 300; i++) assert.equal(interrupted.warmWordIndex(-Infinity), false);
    assert.deepEqual(queries.map((q) => interrupted.wordSearch(q, 30)), expected);
    assert.equal(interrupted.warmWordIndex(-Infinity), true);
  });

  it('alphabetic index search: sliced, interrupted by a search, or whole, the same answers', function () {
    this.timeout(20000);
    const expected = queries.map((q) => services().alphabeticIndex().search(q, 30));
    const warmed = loadAlphabeticIndex(ICD10CM);
    let slices = 1;
    while (!warmed.warmSearch(-Infinity)) slices++;
    assert.ok(slices > 300, `${slices} slices`);
    assert.deepEqual(queries.map((q) => warmed.search(q, 30)), expected);
    // Interrupted while still listing the entries, then while indexing their words.
    for (const before of [3, 200]) {
      const interrupted = loadAlphabeticIndex(ICD10CM);
      for (let i = 0; i < before; i++) assert.equal(interrupted.warmSearch(-Infinity), false);
      assert.deepEqual(queries.map((q) => interrupted.search(q, 30)), expected, `after ${before} slices`);
    }
  });

  it('the services load the alphabetic index in slices and give that same index afterwards', function () {
    this.timeout(20000);
    const fresh = loadServices(join(REPO_ROOT, 'data'));
    let slices = 1;
    while (!fresh.warmAlphabeticIndex(-Infinity)) slices++;
    // 5 MB read 256 KB at a time, then 13,554 main terms 256 at a time.
    assert.ok(slices > 60, `${slices} slices`);
    const index = fresh.alphabeticIndex();
    assert.equal(fresh.alphabeticIndex(), index);
    assert.equal(index.mainTermCount, services().alphabeticIndex().mainTermCount);
    assert.deepEqual(index.lookup('Calcification, pineal gland')?.term, services().alphabeticIndex().lookup('Calcification, pineal gland')?.term);
  });
});
