import type { IndexFile, IndexTerm } from './schema';
import { tokenizeWords } from './words';

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

/**
 * The ICD-10-CM alphabetic index (diseases and external causes): main terms -> subterms -> codes, with
 * see / see also cross-references. Looks up paths the way a coder reads them: "Calcification, pineal gland".
 */
export class AlphabeticIndex {
  readonly indexes: IndexFile['indexes'];
  private readonly mainTerms = new Map<string, Array<{ index: string; term: IndexTerm }>>();
  private entries: IndexEntry[] | undefined;

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
    if (words.length === 0) return [];
    const last = words[words.length - 1]!;
    const hits: IndexEntry[] = [];
    for (const entry of this.allEntries()) {
      const entryWords = tokenizeWords(entry.label);
      const ok =
        words.slice(0, -1).every((w) => entryWords.includes(w)) && entryWords.some((w) => w.startsWith(last));
      if (ok) hits.push(entry);
    }
    hits.sort((a, b) => a.label.length - b.label.length || a.label.localeCompare(b.label));
    return hits.slice(0, limit);
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
