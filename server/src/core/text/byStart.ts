/** Index of the first of `items` (sorted by `start`) that starts at or after `offset` (binary search). */
export function firstStartingAt(items: ReadonlyArray<{ start: number }>, offset: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid]!.start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first of `spans` (sorted by first token) whose first token is `t` or after (binary search). */
export function firstStartingAtToken(spans: ReadonlyArray<{ tokenStart: number }>, t: number): number {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid]!.tokenStart < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
