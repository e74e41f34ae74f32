/**
 * The telling words of official titles, as stems, to see whether the words written next to a code in a note
 * are its title's ("Calcific tendinitis, right shoulder - M75.31"). A word counts only when few categories use
 * it (at most one in 32, counted over every title of the code set): "calcific", "platelet", "Lynch" tell which
 * code is meant, "other", "right", "unspecified", "disease" or "shoulder" do not.
 */
import { nearestExistingAncestor } from './describe';
import type { CodeIndex } from './codeIndex';

/** The stem a word is compared by: its first six letters or digits, lower case ("defects" ~ "defect"). */
export function stemOf(word: string): string {
  return word.slice(0, 6).toLowerCase();
}

const WORD = /[a-z][a-z0-9]{3,}/g;

export class TitleStems {
  /** Stems used by at most one category in 32, built on first use. */
  private telling: ReadonlySet<string> | undefined;
  private readonly memo = new Map<string, ReadonlySet<string>>();

  constructor(private readonly codes: CodeIndex) {}

  /**
   * Telling stems of the code's title and of its ancestors' (category first); for a deleted code, of its
   * title when deleted; for a code the set does not know, of the nearest code above it.
   */
  of(code: string): ReadonlySet<string> {
    let stems = this.memo.get(code);
    if (stems) return stems;
    const telling = (this.telling ??= this.tellingStems());
    const codes = this.codes;
    const known = codes.has(code) ? code : nearestExistingAncestor(codes, code);
    const titles = [...codes.deletions(code).map((d) => d.title)];
    if (known) titles.push(codes.get(known)!.title, ...codes.ancestors(known).map((a) => a.title));
    stems = new Set(titles.flatMap((t) => (t.toLowerCase().match(WORD) ?? []).map(stemOf)).filter((s) => telling.has(s)));
    if (this.memo.size > 10_000) this.memo.clear();
    this.memo.set(code, stems);
    return stems;
  }

  private tellingStems(): ReadonlySet<string> {
    // For each stem, the number of categories with a title that has it (codes come in code order, so a
    // category's codes are consecutive: a stem is counted once per category).
    const count = new Map<string, number>();
    const lastCategory = new Map<string, string>();
    let categories = 0;
    let category = '';
    this.codes.forEachTitle((code, title) => {
      if (code.length === 3) {
        categories++;
        category = code;
      }
      for (const word of title.toLowerCase().match(WORD) ?? []) {
        const stem = stemOf(word);
        if (lastCategory.get(stem) === category) continue;
        lastCategory.set(stem, category);
        count.set(stem, (count.get(stem) ?? 0) + 1);
      }
    });
    const most = categories / 32;
    return new Set([...count].filter(([, n]) => n <= most).map(([stem]) => stem));
  }
}
