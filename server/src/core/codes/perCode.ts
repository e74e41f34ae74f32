/**
 * What a rule works out from a written code and immutable data alone (the code set, the anatomy), kept per
 * data set and code: a rule asks it again for every mention of every analysis, and a note is analysed again
 * after every edit. Codes written in notes are any strings of a code's shape, so a table that grows past
 * MAX_CODES starts over.
 */
const MAX_CODES = 10_000;

export class PerCode<V> {
  private readonly tables = new WeakMap<object, WeakMap<object, Map<string, V>>>();

  /** The value for `code` under the data `data` (and `more`, when it depends on a second data set), worked out by `work` once. */
  get(code: string, work: () => V, data: object, more: object = data): V {
    let byMore = this.tables.get(data);
    if (!byMore) this.tables.set(data, (byMore = new WeakMap()));
    let byCode = byMore.get(more);
    if (!byCode || byCode.size >= MAX_CODES) byMore.set(more, (byCode = new Map()));
    if (byCode.has(code)) return byCode.get(code)!;
    const value = work();
    byCode.set(code, value);
    return value;
  }
}
