import assert from 'node:assert/strict';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { YoungGenerationSweep } from '../../server/src/lsp/youngGeneration';

const MB = 1024 * 1024;

/** A young generation the test fills: a collection leaves `live` used. */
function fakeYoung(used: number, size = 8 * MB) {
  const young = { used, size, live: 0.5 * MB, collections: 0, deferred: [] as Array<() => void> };
  const options = {
    minUsedFraction: 0.25,
    usage: () => ({ used: young.used, available: young.size - young.used }),
    collect: () => {
      young.collections++;
      young.used = young.live;
    },
    defer: (task: () => void) => void young.deferred.push(task),
  };
  return { young, options };
}

describe('young generation sweep', () => {
  it('collects only when more than the given fraction of the young generation is used', () => {
    const { young, options } = fakeYoung(2 * MB);
    const sweep = new YoungGenerationSweep(options);
    assert.equal(sweep.sweep(), false, 'exactly a quarter used');
    assert.equal(young.collections, 0);
    young.used = 2 * MB + 1;
    assert.equal(sweep.sweep(), true);
    assert.equal(young.collections, 1);
    assert.equal(young.used, 0.5 * MB);
    assert.equal(sweep.sweep(), false, 'nothing to do right after a collection');
    assert.equal(sweep.collections, 1);
    assert.ok(sweep.collectMs >= 0);
    // Survivors of one collection still fill more than a quarter: a second one promotes them, and no third.
    young.live = 3 * MB;
    young.used = 7 * MB;
    assert.equal(sweep.sweep(), true);
    assert.equal(young.collections, 3);
  });

  it('looks once after a burst of work, when the handler has answered, and again after later work', () => {
    const { young, options } = fakeYoung(6 * MB);
    const sweep = new YoungGenerationSweep(options);
    sweep.afterWork();
    sweep.afterWork();
    sweep.afterWork();
    assert.equal(young.collections, 0, 'nothing runs before the handler has answered');
    assert.equal(young.deferred.length, 1);
    young.deferred.shift()!();
    assert.equal(young.collections, 1);
    young.used = 7 * MB;
    sweep.afterWork();
    assert.equal(young.deferred.length, 1);
    young.deferred.shift()!();
    assert.equal(young.collections, 2);
  });

  it('does nothing without a young collection to ask for (Node started without --expose-gc)', () => {
    const { young, options } = fakeYoung(8 * MB);
    const sweep = new YoungGenerationSweep({ ...options, collect: undefined });
    assert.equal(sweep.enabled, false);
    sweep.afterWork();
    assert.equal(young.deferred.length, 0);
    assert.equal(sweep.sweep(), false);
  });

  it("empties V8's young generation through gc({ type: 'minor' })", () => {
    // The `gc` function of a fresh context: the same one `--expose-gc` gives the server.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as (options: { type: 'minor' }) => void;
    const youngUsed = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_used_size;
    const collections: Array<[before: number, after: number]> = [];
    const sweep = new YoungGenerationSweep({
      minUsedFraction: 0.25,
      collect: () => {
        const before = youngUsed();
        gc({ type: 'minor' });
        collections.push([before, youngUsed()]);
      },
    });
    // Garbage, dead by the time the sweep looks, until the young generation is more than a quarter full (V8's
    // real statistics decide).
    const garbage = (n: number) => Array.from({ length: n }, (_, i) => ({ i, text: `x${i}` })).length;
    let made = 0;
    for (let round = 0; round < 1000 && collections.length === 0; round++) {
      made += garbage(2000);
      sweep.sweep();
    }
    assert.ok(made > 0);
    // One collection, or two when what the first kept (young objects of the test run itself) still filled a quarter.
    assert.ok(collections.length === 1 || collections.length === 2, `the young generation was seen filling up: ${collections.length}`);
    const [before, after] = [collections[0]![0], collections.at(-1)![1]];
    assert.ok(after < before / 2, `young generation used ${before} -> ${after} bytes`);
  });
});
