/**
 * Gives memory back when the server goes idle after heavy work.
 *
 * An analysis of a long note lives until the note's next edit, so V8 promotes it to the old generation, where
 * it stays as garbage until a full collection. V8's own memory reducer does that collection once the
 * allocation rate it measured has fallen. After a burst of work (notes opened, completion, search), that rate
 * stays high for a long time in its statistics: the server's RSS stayed at about 250 MB for all the 30 to 45 s it
 * was watched after the bench's run (issue 6).
 *
 * This module waits until no work has come for `idleMs`. If the committed heap is then more than
 * `minGarbageBytes` larger than what the last full collection left alive (V8's or its own), it runs two full
 * collections: the first frees the garbage, and the second compacts the pages the first left sparse. In the
 * bench's sequence this took about 80 ms, and RSS went from 270 to 145 MB (one collection alone: 190 MB). The
 * collections run while nothing else is waiting. A request that arrives during them waits at most that long,
 * and V8 then has no full collection left to do in the middle of typing. `idleMs` is longer than the 8 s V8's
 * reducer waits: when the reducer does run (it also shrinks the young generation), there is nothing left here.
 *
 * A full collection needs `gc`, which Node exposes with `--expose-gc`. The extension starts the server with that
 * flag (client/src/serverFlags.ts). Without it this module does nothing, and V8's memory reducer does the
 * work later.
 */
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';

export interface HeapSizes {
  /** Bytes the heap holds from the system. */
  committed: number;
  /** Bytes of objects in it, live or not yet collected. */
  used: number;
}

export interface IdleMemoryOptions {
  /** How long without work before memory is released. */
  idleMs: number;
  /** Committed heap beyond what the last full collection left alive that makes a release worth its pause. */
  minGarbageBytes: number;
  /** A full, synchronous collection: `globalThis.gc` when Node exposes it. */
  collect: (() => void) | undefined;
  /** The heap's sizes now (V8's heap statistics by default). */
  heap?: () => HeapSizes;
  /** Watch V8's own full collections, so that one that ran since the last release counts (the server does). */
  observeCollections?: boolean;
  /** Told after each release, with sizes and time; never anything from a note. */
  log?: (message: string) => void;
}

export const DEFAULT_IDLE_MEMORY: IdleMemoryOptions = {
  idleMs: 10_000,
  // The young generation alone commits up to 16 MB (two 8 MB semi-spaces, client/src/serverFlags.ts): 24 MB means
  // at least 8 MB of old garbage besides. At 32 MB, after the bench's run V8's own last full collection had
  // sometimes left the difference just under it, and RSS stayed at 154 MB (135 MB after a collection).
  minGarbageBytes: 24 * 1024 * 1024,
  collect: exposedGc(),
  observeCollections: true,
};

const v8Heap = (): HeapSizes => {
  const stats = getHeapStatistics();
  return { committed: stats.total_heap_size, used: stats.used_heap_size };
};

/**
 * `CALX_IDLE_RELEASE_MS`: how long without work before the release (1 s to 10 min; anything else keeps the
 * default). The LSP test waits 3 s, so its release never races V8's own memory reducer (about 8 s), which may do
 * the work first and leave nothing to log.
 */
export function idleWaitFromEnvironment(value: string | undefined): Partial<IdleMemoryOptions> {
  const ms = Number(value);
  return value !== undefined && Number.isInteger(ms) && ms >= 1000 && ms <= 600_000 ? { idleMs: ms } : {};
}

export class IdleMemoryRelease {
  private readonly heap: () => HeapSizes;
  /** Bytes alive after the last full collection: 0 until one has been seen. */
  private live = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly observer: PerformanceObserver | undefined;

  constructor(private readonly options: IdleMemoryOptions = DEFAULT_IDLE_MEMORY) {
    this.heap = options.heap ?? v8Heap;
    if (options.collect && options.observeCollections) {
      this.observer = new PerformanceObserver((list) => {
        if (list.getEntries().some((e) => (e as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR)) {
          this.fullCollectionSeen();
        }
      });
      this.observer.observe({ entryTypes: ['gc'] });
    }
  }

  /** Whether releases can happen at all (a full collection is available). */
  get enabled(): boolean {
    return this.options.collect !== undefined;
  }

  /** Work was done: (re)start the idle countdown. Cheap enough for every keystroke. */
  touch(): void {
    if (!this.options.collect) return;
    if (this.timer) this.timer.refresh();
    else this.timer = setTimeout(() => this.release(), this.options.idleMs).unref();
  }

  /** A full collection just ran: what is used now is (about) what is alive. */
  fullCollectionSeen(): void {
    this.live = this.heap().used;
  }

  /**
   * Collects if the committed heap is far enough above what is alive. Returns whether it collected. The
   * countdown calls this; tests call it directly.
   */
  release(): boolean {
    const collect = this.options.collect;
    if (!collect) return false;
    const before = this.heap().committed;
    if (before - this.live < this.options.minGarbageBytes) return false;
    const started = performance.now();
    collect();
    collect();
    const after = this.heap();
    this.live = after.used;
    const mb = (bytes: number) => Math.round(bytes / (1024 * 1024));
    this.options.log?.(`idle: heap ${mb(before)} -> ${mb(after.committed)} MB in ${Math.round(performance.now() - started)} ms`);
    return true;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.observer?.disconnect();
  }
}

function exposedGc(): (() => void) | undefined {
  const gc = (globalThis as { gc?: unknown }).gc;
  return typeof gc === 'function' ? () => (gc as () => void)() : undefined;
}
