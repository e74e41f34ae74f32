/**
 * The telling words of official titles, as stems, to see whether the words written next to a code in a note
 * are its title's ("Calcific tendinitis, right shoulder - M75.31"). A word counts only when few categories use
 * it (at most one in 32, counted over every title of the code set): "calcific", "platelet", "Lynch" tell which
 * code is meant, "other", "right", "unspecified", "disease" or "shoulder" do not.
 *
 * Which stems are telling depends only on the code set: scripts/build-data.ts works them out (`tellingStems`)
 * into data/icd10cm/derived.json, and a loaded code set carries them (`CodeIndex.derived`), so the first note
 * with a code in it does not wait for a scan of every title (60 to 100 ms at start). A code set built from
 * anything else (tests, an edited codes.tsv) has them worked out here on first use.
 */
import { nearestExistingAncestor } from './describe';
import type { CodeIndex } from './codeIndex';

/** The stem a word is compared by: its first six letters or digits, lower case ("defects" ~ "defect"). */
export function stemOf(word: string): string {
  return word.slice(0, 6).toLowerCase();
}

const WORD = /[a-z][a-z0-9]{3,}/g;

export class TitleStems {
  /** Stems used by at most one category in 32: the code set's, or worked out on first use. */
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
    const telling = (this.telling ??= new Set(this.codes.derived?.titleStems ?? tellingStems(this.codes)));
    const codes = this.codes;
    const known = codes.has(code) ? code : nearestExistingAncestor(codes, code);
    const titles = [...codes.deletions(code).map((d) => d.title)];
    if (known) titles.push(codes.get(known)!.title, ...codes.ancestors(known).map((a) => a.title));
    stems = new Set(titles.flatMap((t) => (t.toLowerCase().match(WORD) ?? []).map(stemOf)).filter((s) => telling.has(s)));
    if (this.memo.size > 10_000) this.memo.clear();
    this.memo.set(code, stems);
    return stems;
  }
}

/** The stems of the code set's titles that at most one category in 32 uses, sorted (what derived.json holds). */
export function tellingStems(codes: CodeIndex): string[] {
  // For each stem, the number of categories with a title that has it: codes come in code order, so a
  // category's codes are consecutive and a stem is counted once per category. A hand-written scan over the
  // titles in place, each stem as a number (base 37, six characters at most): a regex, a string and a map
  // entry per word took 400 ms over the 98,000 titles.
  // An open-addressing table of stems (their numbers pass 2^31, which a Map hashes slowly), with per slot
  // the number of categories counted and the last category counted.
  const size = 1 << 17;
  const keys = new Float64Array(size);
  const counts = new Int32Array(size);
  const last = new Int32Array(size);
  let categories = 0;
  codes.forEachTitle((text, start, end, category) => {
    if (category) categories++;
    for (let k = start; k < end; ) {
      if (lowerLetter(text.charCodeAt(k)) === 0) {
        k++;
        continue;
      }
      let stem = 0;
      let length = 0;
      for (let c: number; k < end && (c = wordChar(text.charCodeAt(k))) !== 0; k++, length++) if (length < 6) stem = stem * 37 + c;
      if (length < 4) continue;
      let h = (stem % 131071) & (size - 1);
      while (keys[h] !== 0 && keys[h] !== stem) h = (h + 1) & (size - 1);
      if (keys[h] === 0) keys[h] = stem;
      if (last[h] !== categories || counts[h] === 0) {
        last[h] = categories;
        counts[h]!++;
      }
    }
  });
  const most = categories / 32;
  const telling: string[] = [];
  for (let h = 0; h < size; h++) if (keys[h] !== 0 && counts[h]! <= most) telling.push(stemText(keys[h]!));
  return telling.sort();
}

/** 1-26 for a letter of either case (ASCII), else 0. */
function lowerLetter(c: number): number {
  const l = c | 32;
  return l >= 97 && l <= 122 ? l - 96 : 0;
}

/** 1-26 for a letter, 27-36 for a digit, else 0. */
function wordChar(c: number): number {
  return lowerLetter(c) || (c >= 48 && c <= 57 ? c - 48 + 27 : 0);
}

/** The text of a stem number. */
function stemText(stem: number): string {
  let out = '';
  for (; stem > 0; stem = Math.floor(stem / 37)) {
    const c = stem % 37;
    out = (c <= 26 ? String.fromCharCode(96 + c) : String.fromCharCode(48 + c - 27)) + out;
  }
  return out;
}
