/**
 * Code references inside tabular notes: "bursitis NOS (M71.9-)", "(I25.1-, I25.7-, I25.81-)",
 * "neoplasms (C00-D49)". A reference covers a code when the code falls in its range or below it.
 */

export interface CodeRef {
  /** First code of the reference ("M71.9", "C00"). */
  from: string;
  /** Last category of a range ("D49" in "C00-D49"). */
  to?: string;
}

const REF = /\b([A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{0,4})?)(?:-([A-Z][0-9][0-9A-Z])\b|-|\b)/g;

/** The code references of one note, in order. */
export function codeRefs(note: string): CodeRef[] {
  const refs: CodeRef[] = [];
  for (const m of note.matchAll(REF)) refs.push({ from: m[1]!.replace(/\.$/, ''), ...(m[2] ? { to: m[2] } : {}) });
  return refs;
}

/** Whether `code` is (below) the reference: "M71.9-" covers M71.90; "C00-D49" covers C50.911; "M75.3" covers M75.31. */
export function refCovers(ref: CodeRef, code: string): boolean {
  if (ref.to) {
    const category = code.slice(0, 3);
    return ref.from <= category && category <= ref.to;
  }
  return code === ref.from || code.startsWith(ref.from.length === 3 ? `${ref.from}.` : ref.from);
}

/** "M71.9-" / "C00-D49" / "M75.3" as written for messages. */
export function refLabel(ref: CodeRef): string {
  return ref.to ? `${ref.from}-${ref.to}` : ref.from;
}

/**
 * Items with codes, by category (the code's first three characters), to find the first item a reference covers
 * without trying every item: a prefix reference looks at one category's items, a range at the categories it
 * spans. A note listing thousands of distinct codes checked each reference of each code's notes against all of
 * them.
 */
export class RefIndex<T extends { code: string }> {
  private readonly byCategory = new Map<string, { index: number; item: T }[]>();
  private readonly categories: string[];

  /** `items` in the order `first` prefers. */
  constructor(items: readonly T[]) {
    items.forEach((item, index) => {
      const category = item.code.slice(0, 3);
      const list = this.byCategory.get(category);
      if (list) list.push({ index, item });
      else this.byCategory.set(category, [{ index, item }]);
    });
    this.categories = [...this.byCategory.keys()].sort();
  }

  /** The first item (in the constructor's order) whose code `ref` covers. */
  first(ref: CodeRef): T | undefined {
    let best: { index: number; item: T } | undefined;
    const consider = (list: readonly { index: number; item: T }[]) => {
      for (const entry of list) {
        if (best && entry.index >= best.index) return;
        if (refCovers(ref, entry.item.code)) {
          best = entry;
          return;
        }
      }
    };
    if (ref.to) {
      // Categories are sorted: those from `ref.from` to `ref.to` stand together.
      let lo = 0;
      let hi = this.categories.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.categories[mid]! < ref.from) lo = mid + 1;
        else hi = mid;
      }
      for (let k = lo; k < this.categories.length && this.categories[k]! <= ref.to; k++) consider(this.byCategory.get(this.categories[k]!)!);
    } else {
      consider(this.byCategory.get(ref.from.slice(0, 3)) ?? []);
    }
    return best?.item;
  }
}
