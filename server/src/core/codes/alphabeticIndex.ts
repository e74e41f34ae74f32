import type { IndexFile, IndexTerm } from './schema';
import { tokenizeWords, withPrefix } from './words';

/** A term found in the index, with the chain of terms that leads to it ("Calcification" > "pineal gland"). */
export interface IndexMatch {
  /** Which index: "diseases" or "external-causes". */
  index: string;
  /** Main term first, the matched term last. */
  path: IndexTerm[];
  term: IndexTerm;
}

/** A flattened entry for word search: "Calcification, pineal gland" -> E34.8. */
export interface IndexEntry {
  index: string;
  /** Titles from the main term down, joined by ", " as coders write index paths. */
  label: string;
  term: IndexTerm;
}

const key = (s: string) => tokenizeWords(s).join(' ');

/** Ids present in both ascending lists. */
function intersectSorted(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else {
      out.push(a[i]!);
      i++;
      j++;
    }
  }
  return out;
}

/**
 * The ICD-10-CM alphabetic index (diseases and external causes): main terms -> subterms -> codes, with
 * see / see also cross-references. Looks up paths the way a coder reads them: "Calcification, pineal gland".
 */
export class AlphabeticIndex {
  readonly indexes: IndexFile['indexes'];
  private readonly mainTerms = new Map<string, Array<{ index: string; term: IndexTerm }>>();
  private entries: IndexEntry[] | undefined;
  /** Word -> ids (ascending) of the entries whose label has it; built with the entries, on first search. */
  private entryWords: Map<string, Int32Array> | undefined;
  private sortedEntryWords: string[] | undefined;

  constructor(file: IndexFile) {
    this.indexes = file.indexes;
    for (const { index, ...term } of file.terms) {
      const k = key(term.t);
      const list = this.mainTerms.get(k) ?? [];
      list.push({ index, term });
      this.mainTerms.set(k, list);
    }
  }

  get mainTermCount(): number {
    let n = 0;
    for (const list of this.mainTerms.values()) n += list.length;
    return n;
  }

  /** The main term itself ("Calcification"), from the diseases index unless another is named. */
  mainTerm(title: string, index = 'diseases'): IndexTerm | undefined {
    return this.mainTerms.get(key(title))?.find((m) => m.index === index)?.term;
  }

  /**
   * Follows a comma-separated path: "Calcification, pineal gland", "Deposit, calcareous, calcium".
   * A subterm's own title may contain commas, so at each level the longest run of parts that names a
   * subterm wins. Nonessential modifiers may be written or left out ("Calcification, brain (cortex)").
   */
  lookup(path: string, index = 'diseases'): IndexMatch | undefined {
    const parts = path.split(',').map((p) => p.trim()).filter((p) => p.length > 0);
    if (parts.length === 0) return undefined;
    for (let take = parts.length; take >= 1; take--) {
      const main = this.mainTerm(parts.slice(0, take).join(', '), index);
      if (!main) continue;
      const rest = this.descend(main, parts.slice(take));
      if (rest) return { index, path: [main, ...rest], term: rest[rest.length - 1] ?? main };
    }
    return undefined;
  }

  /** Index entries whose path contains all the words (last one as a prefix), shortest paths first. */
  search(query: string, limit = 50): IndexEntry[] {
    const words = tokenizeWords(query);
    if (words.length === 0 || limit <= 0) return [];
    const entries = this.allEntries();
    const index = this.ensureEntryWords();
    const last = words[words.length - 1]!;
    // Entries with every word but the last, then those with a word starting with the last one.
    let matched: ArrayLike<number> | undefined;
    for (const w of words.slice(0, -1)) {
      const ids = index.get(w) ?? [];
      matched = matched ? intersectSorted(matched, ids) : ids;
      if (matched.length === 0) return [];
    }
    const prefixed = new Set<number>();
    for (const w of withPrefix(this.sortedEntryWords!, last)) for (const id of index.get(w)!) prefixed.add(id);
    const ids = matched ? Array.from(matched).filter((id) => prefixed.has(id)) : [...prefixed].sort((a, b) => a - b);
    // Shortest labels first: only labels up to the limit-th shortest length need the (costly) sort.
    const byLength: number[] = [];
    for (const id of ids) {
      const n = entries[id]!.label.length;
      byLength[n] = (byLength[n] ?? 0) + 1;
    }
    let longest = 0;
    for (let n = 0, count = 0; n < byLength.length && count < limit; n++) {
      count += byLength[n] ?? 0;
      longest = n;
    }
    const hits = ids.filter((id) => entries[id]!.label.length <= longest).map((id) => entries[id]!);
    hits.sort((a, b) => a.label.length - b.label.length || a.label.localeCompare(b.label));
    return hits.slice(0, limit);
  }

  /** Builds the word index of search() now rather than on the first search (e.g. while the editor is idle). */
  warmSearch(): void {
    this.ensureEntryWords();
  }

  private ensureEntryWords(): Map<string, Int32Array> {
    if (this.entryWords) return this.entryWords;
    const lists = new Map<string, number[]>();
    this.allEntries().forEach((entry, id) => {
      for (const w of tokenizeWords(entry.label)) {
        const list = lists.get(w);
        if (!list) lists.set(w, [id]);
        else if (list[list.length - 1] !== id) list.push(id);
      }
    });
    // Typed arrays hold the ~400,000 postings in a third of the memory of JS arrays.
    const index = new Map<string, Int32Array>();
    for (const [w, list] of lists) index.set(w, Int32Array.from(list));
    this.entryWords = index;
    this.sortedEntryWords = [...index.keys()].sort();
    return index;
  }

  private descend(from: IndexTerm, parts: string[]): IndexTerm[] | undefined {
    if (parts.length === 0) return [];
    for (let take = parts.length; take >= 1; take--) {
      const wanted = key(parts.slice(0, take).join(', '));
      const sub = from.terms?.find((t) => key(t.t) === wanted || key(`${t.t} ${t.nemod ?? ''}`) === wanted);
      if (!sub) continue;
      const rest = this.descend(sub, parts.slice(take));
      if (rest) return [sub, ...rest];
    }
    return undefined;
  }

  private allEntries(): IndexEntry[] {
    if (this.entries) return this.entries;
    const out: IndexEntry[] = [];
    const walk = (index: string, term: IndexTerm, prefix: string) => {
      const label = prefix ? `${prefix}, ${term.t}` : term.t;
      out.push({ index, label, term });
      for (const sub of term.terms ?? []) walk(index, sub, label);
    };
    for (const [, list] of this.mainTerms) for (const { index, term } of list) walk(index, term, '');
    this.entries = out;
    return out;
  }
}
