/**
 * Empties V8's young generation between requests, so that the next analysis does not stop for it.
 *
 * An analysis of a 50 KB note allocates about 4.3 MB, nearly all of it garbage once the analysis is built. The
 * young generation holds 8 MB (client/src/serverFlags.ts), so a young collection (a scavenge) used to fall inside
 * about 6 analyses out of 10. Such a scavenge is slow where it falls: the analysis under way is alive and is
 * copied, 1.5 to 2.5 ms on the bench's 50 KB note, on top of an analysis of 7 to 9 ms (issue 6).
 *
 * After work, once the answer of the handler that did it is written, this module looks at the young
 * generation. When more than `minUsedFraction` of it is used, it runs one young collection there and then. Only
 * the finished analysis the server keeps is alive, so the collection is short, and nobody is waiting on it. The
 * next analysis starts with the young generation empty, and on a note of 50 KB it runs without a collection. The collector does the same work as before, at a time no request is waiting.
 *
 * A young collection on demand needs `gc({ type: 'minor' })`, which Node exposes with `--expose-gc`. The extension
 * starts the server with that flag. Without it this module does nothing and V8 collects when it must, as before.
 */
import { getHeapSpaceStatistics } from 'node:v8';

export interface YoungGenerationUsage {
  /** Bytes of objects in the young generation, live or not yet collected. */
  used: number;
  /** Bytes that can still be allocated before V8 must collect it. */
  available: number;
}

export interface YoungGenerationOptions {
  /** A young collection (a scavenge): `gc({ type: 'minor' })` when Node exposes `gc`. */
  collect: (() => void) | undefined;
  /** The young generation's usage now (V8's heap space statistics by default). */
  usage?: () => YoungGenerationUsage;
  /** Collect when more than this fraction of the young generation is used. */
  minUsedFraction: number;
  /** Runs `task` once the current handler's answer is written (a 1 ms timer by default; tests run it when they like). */
  defer?: (task: () => void) => void;
}

export const DEFAULT_YOUNG_GENERATION: YoungGenerationOptions = {
  collect: exposedMinorGc(),
  // A quarter of 8 MB: a 10 KB note's analysis allocates about 1 MB, so edits of a short note collect every few
  // analyses, and any analysis of a long note is followed by a collection.
  minUsedFraction: 0.25,
};

export class YoungGenerationSweep {
  private readonly usage: () => YoungGenerationUsage;
  private readonly defer: (task: () => void) => void;
  private scheduled = false;
  /** Collections run, and the milliseconds they took in all (for the benchmark). */
  collections = 0;
  collectMs = 0;

  constructor(private readonly options: YoungGenerationOptions = DEFAULT_YOUNG_GENERATION) {
    this.usage = options.usage ?? v8YoungGeneration;
    // A timer, not setImmediate: vscode-jsonrpc writes each message from a setImmediate callback, and one queued
    // after the handler's work would run before the answer is written.
    this.defer = options.defer ?? ((task) => void setTimeout(task, 1).unref());
  }

  /** Whether a young collection can be asked for at all. */
  get enabled(): boolean {
    return this.options.collect !== undefined;
  }

  /** Work was done: look at the young generation once the current handler has answered. Cheap for every call. */
  afterWork(): void {
    if (!this.options.collect || this.scheduled) return;
    this.scheduled = true;
    this.defer(() => {
      this.scheduled = false;
      this.sweep();
    });
  }

  /**
   * Collects if more than `minUsedFraction` of the young generation is used, and once more if what survived still
   * fills that much (the second collection moves it to the old generation); returns whether it collected.
   */
  sweep(): boolean {
    const collect = this.options.collect;
    if (!collect) return false;
    let collected = false;
    for (let round = 0; round < 2; round++) {
      const { used, available } = this.usage();
      if (used <= this.options.minUsedFraction * (used + available)) break;
      const started = performance.now();
      collect();
      this.collectMs += performance.now() - started;
      this.collections++;
      collected = true;
    }
    return collected;
  }
}

function v8YoungGeneration(): YoungGenerationUsage {
  const space = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  return space ? { used: space.space_used_size, available: space.space_available_size } : { used: 0, available: 0 };
}

function exposedMinorGc(): (() => void) | undefined {
  const gc = (globalThis as { gc?: unknown }).gc;
  return typeof gc === 'function' ? () => (gc as (options: { type: 'minor' }) => void)({ type: 'minor' }) : undefined;
}
