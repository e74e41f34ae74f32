/**
 * Work that can be done a slice at a time: a generator that yields wherever it may be paused. A server runs
 * such work between requests (`step` until a deadline); whoever needs the result before the end takes it with
 * `finish`, which goes on from where the slices left it: nothing done is done twice.
 */
export class Sliced<T> {
  private result: { value: T } | undefined;
  private failure: { error: unknown } | undefined;

  constructor(private work: Generator<void, T, void> | undefined) {}

  /**
   * Runs the work until `clock()` passes `deadline` (looked at each time the work yields, so at least up to
   * its next yield). True once it is done. An error the work threw is thrown, now and at every later call.
   */
  step(deadline: number, clock: () => number = () => performance.now()): boolean {
    // A generator that threw is finished: it would now claim to be done with no value. Throw the error again.
    if (this.failure) throw this.failure.error;
    while (!this.result) {
      let next: IteratorResult<void, T>;
      try {
        next = this.work!.next();
      } catch (error) {
        this.failure = { error };
        throw error;
      }
      if (next.done) {
        this.result = { value: next.value };
        // Let go of the generator and what its frame held (a build's temporary arrays).
        this.work = undefined;
      } else if (clock() >= deadline) break;
    }
    return this.result !== undefined;
  }

  /** The result, running what is left of the work first. An error the work threw is thrown (again). */
  finish(): T {
    this.step(Infinity);
    return this.result!.value;
  }
}
