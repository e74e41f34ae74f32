import assert from 'node:assert/strict';
import { IdleMemoryRelease, idleWaitFromEnvironment } from '../../server/src/lsp/idleMemory';

const MB = 1024 * 1024;

/**
 * A heap the test sizes: `committed` and `used` are set by the test; a collection leaves `live` used and, as
 * two full collections do, `live + slack` committed.
 */
function fakeHeap(committed: number, used: number) {
  const heap = { committed, used, live: used, slack: 20 * MB, collections: 0, messages: [] as string[] };
  const options = {
    idleMs: 1,
    minGarbageBytes: 32 * MB,
    heap: () => ({ committed: heap.committed, used: heap.used }),
    collect: () => {
      heap.collections++;
      heap.used = heap.live;
      heap.committed = heap.live + heap.slack;
    },
    log: (message: string) => heap.messages.push(message),
  };
  return { heap, options };
}

describe('idle memory release', () => {
  it('collects twice once the committed heap is the threshold above what the last full collection left alive', () => {
    const { heap, options } = fakeHeap(60 * MB, 50 * MB);
    const idle = new IdleMemoryRelease(options);
    idle.fullCollectionSeen(); // 50 MB alive
    heap.committed = 50 * MB + 32 * MB - 1;
    assert.equal(idle.release(), false);
    assert.equal(heap.collections, 0);
    heap.committed = 50 * MB + 32 * MB;
    heap.live = 45 * MB;
    assert.equal(idle.release(), true);
    assert.equal(heap.collections, 2);
    assert.equal(heap.messages.length, 1);
    assert.match(heap.messages[0]!, /^idle: heap 82 -> 65 MB in \d+ ms$/);
    // What the release left alive (45 MB) is the new reference, not what it left committed.
    heap.committed = 45 * MB + 31 * MB;
    assert.equal(idle.release(), false);
    heap.committed = 45 * MB + 33 * MB;
    assert.equal(idle.release(), true);
    assert.equal(heap.collections, 4);
  });

  it('counts a full collection V8 ran on its own: no release when it left little garbage', () => {
    const { heap, options } = fakeHeap(150 * MB, 140 * MB);
    const idle = new IdleMemoryRelease(options);
    // Before any full collection is seen, nothing is known to be alive.
    heap.committed = 40 * MB;
    assert.equal(idle.release(), true);
    assert.equal(heap.collections, 2);
    // V8's reducer ran and shrank the heap to 52 MB committed, 43 MB of it used.
    heap.committed = 52 * MB;
    heap.used = 43 * MB;
    idle.fullCollectionSeen();
    heap.committed = 74 * MB;
    assert.equal(idle.release(), false);
    assert.equal(heap.collections, 2);
  });

  it('takes its wait from CALX_IDLE_RELEASE_MS only when that is whole milliseconds from 1 s to 10 min', () => {
    assert.deepEqual(idleWaitFromEnvironment('3000'), { idleMs: 3000 });
    for (const value of [undefined, '', 'abc', '999', '2.5', '600001', '-3000']) assert.deepEqual(idleWaitFromEnvironment(value), {}, String(value));
  });

  it('does nothing without a full collection (Node started without --expose-gc)', () => {
    const { heap, options } = fakeHeap(60 * MB, 60 * MB);
    const idle = new IdleMemoryRelease({ ...options, collect: undefined });
    assert.equal(idle.enabled, false);
    heap.committed = 500 * MB;
    idle.touch();
    assert.equal(idle.release(), false);
    idle.dispose();
  });

  it('releases after the countdown that work starts, and again after later work', async () => {
    const { heap, options } = fakeHeap(60 * MB, 60 * MB);
    let collected: () => void = () => undefined;
    const idle = new IdleMemoryRelease({
      ...options,
      collect: () => {
        options.collect();
        collected();
      },
    });
    assert.equal(idle.enabled, true);
    const released = () => new Promise<void>((resolve) => (collected = resolve));
    heap.committed = 200 * MB;
    let next = released();
    idle.touch();
    idle.touch();
    await next;
    assert.equal(heap.collections, 2);
    // The countdown starts again with the next work (the timer is refreshed after it has fired).
    heap.committed = 200 * MB;
    next = released();
    idle.touch();
    await next;
    assert.equal(heap.collections, 4);
    idle.dispose();
  });
});
