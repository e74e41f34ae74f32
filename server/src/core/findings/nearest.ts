/** A span of tokens: a finding or a vocabulary match. */
export interface TokenSpan {
  tokenStart: number;
  tokenEnd: number;
}

/** Tokens between two spans; 0 when they touch or overlap. */
export const distance = (a: TokenSpan, b: TokenSpan) =>
  a.tokenEnd <= b.tokenStart ? b.tokenStart - a.tokenEnd : b.tokenEnd <= a.tokenStart ? a.tokenStart - b.tokenEnd : 0;

/** Index of the first of `spans` (in text order, not overlapping) not wholly before `target` (binary search). */
export function firstNotBefore(spans: readonly TokenSpan[], target: TokenSpan): number {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid]!.tokenEnd <= target.tokenStart) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The first of `spans` with the smallest key among those kept (what a stable sort by key would put first), when
 * `spans` are in text order and do not overlap one another, and every key is at least the span's `distance` to
 * `target`. Searched from the target's place outwards and stopped once the distance alone rules out the rest, so
 * a run-on dictated "sentence" with thousands of matches costs each finding in it only its neighbours, not the
 * whole sentence. `within`: spans farther than that from the target are not wanted (0 for overlapping ones: a
 * `keep` that takes only those would otherwise leave nothing to stop the search).
 */
export function nearestBy<T extends TokenSpan>(
  spans: readonly T[],
  target: TokenSpan,
  key: (x: T) => number,
  keep: (x: T) => boolean = () => true,
  within = Infinity,
): T | undefined {
  // Distances grow from here to the right, and from here - 1 to the left.
  const lo = firstNotBefore(spans, target);
  let best: T | undefined;
  let bestKey = Infinity;
  // To the right a later span wins only with a smaller key...
  for (let i = lo; i < spans.length; i++) {
    const x = spans[i]!;
    const d = distance(target, x);
    if (d >= bestKey || d > within) break;
    if (!keep(x)) continue;
    const k = key(x);
    if (k < bestKey) {
      best = x;
      bestKey = k;
    }
  }
  // ... to the left every span comes earlier than those, so an equal key wins too.
  for (let i = lo - 1; i >= 0; i--) {
    const x = spans[i]!;
    const d = distance(target, x);
    if (d > bestKey || d > within) break;
    if (!keep(x)) continue;
    const k = key(x);
    if (k <= bestKey) {
      best = x;
      bestKey = k;
    }
  }
  return best;
}

/** A span of text: [start, end) offsets. */
export interface TextSpan {
  start: number;
  end: number;
}

/** For each value among `matches`, the indexes of its matches, in text order: built once per sentence. */
export function indexByValue(matches: readonly { value: string }[]): Map<string, number[]> {
  const byValue = new Map<string, number[]>();
  matches.forEach((m, i) => {
    const list = byValue.get(m.value);
    if (list) list.push(i);
    else byValue.set(m.value, [i]);
  });
  return byValue;
}

/**
 * The first match of each value that does not overlap `target`, in the order of `matches` (text order): what
 * dropping the matches that overlap it and then keeping the first of each value gives, without looking at every
 * match. The matches that overlap the target are those inside it, so each value's walk passes only those, and a
 * run-on dictated "sentence" naming the same few causes thousands of times costs each finding the number of
 * distinct causes, not the length of the sentence. `byValue` is `indexByValue(matches)`.
 */
export function firstOfEachValue<T extends TextSpan>(matches: readonly T[], byValue: ReadonlyMap<string, readonly number[]>, target: TextSpan): T[] {
  const chosen: number[] = [];
  for (const indexes of byValue.values()) {
    for (const i of indexes) {
      const m = matches[i]!;
      if (m.start < target.end && target.start < m.end) continue;
      chosen.push(i);
      break;
    }
  }
  if (chosen.length > 1) chosen.sort((a, b) => a - b);
  return chosen.map((i) => matches[i]!);
}
