/**
 * Word normalisation for searching titles and index terms: lower case, accents folded
 * ("Mönckeberg" -> "monckeberg"), split on anything that is not a letter or digit.
 * Used only for search keys, never for positions in a note (folding changes lengths).
 */
export function tokenizeWords(text: string): string[] {
  const folded = text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
  return folded.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
}

const STOP = new Set(['of', 'and', 'the', 'with', 'without', 'in', 'to', 'or', 'for', 'a', 'an', 'by', 'on', 'due']);

/** Query words without the stop words that every second title contains (the last word is always kept). */
export function normalizeWords(query: string): string[] {
  const words = tokenizeWords(query);
  return words.filter((w, i) => i === words.length - 1 || !STOP.has(w));
}

/** Index of the first item not less than `key` in an ASCII-sorted array. */
export function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The items of an ASCII-sorted array that start with `prefix` (a contiguous run). */
export function withPrefix(sorted: readonly string[], prefix: string): string[] {
  const out: string[] = [];
  for (let k = lowerBound(sorted, prefix); k < sorted.length && sorted[k]!.startsWith(prefix); k++) out.push(sorted[k]!);
  return out;
}
