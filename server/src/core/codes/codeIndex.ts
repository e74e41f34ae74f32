import type { Block, ChangesFile, Chapter, CodesFile, DeletedCode, NoteSet, NotesFile } from './schema';
import { lowerBound, normalizeWords, tokenizeWords, withPrefix } from './words';

/** What the code set says about one ICD-10-CM code. */
export interface CodeInfo {
  /** Dotted code, e.g. "M75.31". */
  code: string;
  /** Official long title of the code set's fiscal year. */
  title: string;
  /** True when the code may be reported (the order file's "1"); false for a header. */
  billable: boolean;
  /** "category" (3 characters), "subcategory" (a header below a category) or "code" (billable below a category). */
  level: 'category' | 'subcategory' | 'code';
  /** Parent code; undefined for a category (its parent is a block, see `block`). */
  parent: string | undefined;
  /** Fiscal year of the tabular entry that gives this code's notes; 0 when the code is newer than the tabular. */
  tabularYear: number;
}

/** A note of one kind, with the code, block or chapter it is written at (notes are inherited downwards). */
export interface SourcedNotes {
  /** Where the note is written: a code, a block id ("M70-M79") or "chapter 13". */
  from: string;
  notes: NoteSet;
}

export interface Breadcrumb {
  chapter: Chapter;
  block: Block;
  /** Category down to the code itself. */
  codes: CodeInfo[];
}

/** Result of a word search: the code and how well it matched (higher is better). */
export interface WordHit {
  code: string;
  score: number;
}

const CODE_SHAPE = /^[A-Z][0-9A-Z]{2}(?:\.?[0-9A-Z]{1,4})?$/;

/**
 * Spells a user's code the way the code set does: upper case, dot after the third character.
 * Returns undefined for text that cannot be an ICD-10-CM code.
 */
export function normalizeCode(input: string): string | undefined {
  const s = input.trim().toUpperCase();
  if (!CODE_SHAPE.test(s)) return undefined;
  const bare = s.replace('.', '');
  return bare.length > 3 ? `${bare.slice(0, 3)}.${bare.slice(3)}` : bare;
}

/**
 * The ICD-10-CM code set of one fiscal year, loaded once into flat arrays (about 98,000 codes).
 * Codes are kept in ASCII order of their dotted spelling, so a code's descendants are the contiguous run
 * of codes that start with it, and prefix search is a binary search.
 */
export class CodeIndex {
  readonly fiscalYear: number;
  readonly effective: string;
  readonly notesFiscalYear: number;
  readonly chapters: readonly Chapter[];
  readonly blocks: readonly Block[];

  private readonly codes: string[];
  private readonly titles: string[];
  private readonly billable: Uint8Array;
  private readonly parentIndex: Int32Array;
  private readonly blockOfCategory: Map<string, Block>;
  private readonly tabularYears: Uint16Array;
  private readonly byCode = new Map<string, number>();
  private readonly notesByCode: Readonly<Record<string, NoteSet>>;
  private readonly notesByBlock: Readonly<Record<string, NoteSet>>;
  private readonly notesByChapter: Readonly<Record<string, NoteSet>>;
  private readonly deletedByCode = new Map<string, DeletedCode[]>();
  private readonly revisedByCode = new Map<string, { from: string; fiscalYear: number }>();
  private readonly addedIn = new Map<string, number>();
  private childLists: Map<number, number[]> | undefined;
  private wordIndex: Map<string, number[]> | undefined;
  private sortedWords: string[] | undefined;

  /** Builds the index from validated data; throws with the JSON path on cross-record errors. */
  constructor(codesFile: CodesFile, notesFile: NotesFile, changesFile: ChangesFile) {
    this.fiscalYear = codesFile.fiscalYear;
    this.effective = codesFile.effective;
    this.notesFiscalYear = notesFile.fiscalYear;
    this.chapters = codesFile.chapters;
    this.blocks = codesFile.blocks;
    const n = codesFile.codes.length;
    this.codes = new Array<string>(n);
    this.titles = new Array<string>(n);
    this.billable = new Uint8Array(n);
    this.parentIndex = new Int32Array(n);
    this.tabularYears = new Uint16Array(n);
    this.blockOfCategory = new Map();
    const blockById = new Map(codesFile.blocks.map((b) => [b.id, b]));
    const parents = new Array<string>(n);

    for (let i = 0; i < n; i++) {
      const row = codesFile.codes[i]!;
      const t1 = row.indexOf('\t');
      const t2 = row.indexOf('\t', t1 + 1);
      const t3 = t2 + 2; // billable flag is one character
      const t4 = row.indexOf('\t', t3 + 1);
      const code = row.slice(0, t1);
      if (i > 0 && !(this.codes[i - 1]! < code)) {
        throw new Error(`codes.json: codes[${i}]: ${code} is out of order or repeated`);
      }
      this.codes[i] = code;
      this.titles[i] = row.slice(t1 + 1, t2);
      this.billable[i] = row.charCodeAt(t2 + 1) - 48;
      parents[i] = row.slice(t3 + 1, t4);
      this.tabularYears[i] = Number(row.slice(t4 + 1));
      this.byCode.set(code, i);
    }
    for (let i = 0; i < n; i++) {
      const code = this.codes[i]!;
      const parent = parents[i]!;
      if (code.length === 3) {
        const block = blockById.get(parent);
        if (!block) throw new Error(`codes.json: codes[${i}]: category ${code} names unknown block ${parent}`);
        this.blockOfCategory.set(code, block);
        this.parentIndex[i] = -1;
      } else {
        const p = this.byCode.get(parent);
        if (p === undefined || !code.startsWith(parent.replace(/X+$/, ''))) {
          throw new Error(`codes.json: codes[${i}]: ${code} names parent ${parent}, which is not an ancestor in the code set`);
        }
        this.parentIndex[i] = p;
      }
    }
    for (const b of codesFile.blocks) {
      if (!codesFile.chapters.some((c) => c.id === b.chapter)) {
        throw new Error(`codes.json: block ${b.id} names unknown chapter ${b.chapter}`);
      }
    }
    this.notesByCode = notesFile.codes;
    this.notesByBlock = notesFile.blocks;
    this.notesByChapter = notesFile.chapters;
    for (const d of changesFile.deleted) {
      const list = this.deletedByCode.get(d.code) ?? [];
      list.push(d);
      this.deletedByCode.set(d.code, list);
    }
    for (const r of changesFile.revised) this.revisedByCode.set(r.code, { from: r.from, fiscalYear: r.fiscalYear });
    for (const a of changesFile.added) this.addedIn.set(a.code, a.fiscalYear);
  }

  get size(): number {
    return this.codes.length;
  }

  get billableCount(): number {
    let count = 0;
    for (const b of this.billable) count += b;
    return count;
  }

  has(code: string): boolean {
    return this.byCode.has(code);
  }

  /** The code's record, for a dotted code as written in the code set (see `normalizeCode`). */
  get(code: string): CodeInfo | undefined {
    const i = this.byCode.get(code);
    return i === undefined ? undefined : this.info(i);
  }

  isBillable(code: string): boolean {
    const i = this.byCode.get(code);
    return i !== undefined && this.billable[i] === 1;
  }

  /** Direct children in code order. */
  children(code: string): CodeInfo[] {
    const i = this.byCode.get(code);
    if (i === undefined) return [];
    if (!this.childLists) {
      this.childLists = new Map();
      for (let k = 0; k < this.codes.length; k++) {
        const p = this.parentIndex[k]!;
        if (p < 0) continue;
        const list = this.childLists.get(p);
        if (list) list.push(k);
        else this.childLists.set(p, [k]);
      }
    }
    return (this.childLists.get(i) ?? []).map((k) => this.info(k));
  }

  /** Parent, grandparent, ... up to the category (nearest first). */
  ancestors(code: string): CodeInfo[] {
    const out: CodeInfo[] = [];
    let i = this.byCode.get(code);
    if (i === undefined) return out;
    for (let p = this.parentIndex[i]!; p >= 0; p = this.parentIndex[p]!) out.push(this.info(p));
    return out;
  }

  /** Every billable code at or below `code`, in code order. */
  billableDescendants(code: string): CodeInfo[] {
    const out: CodeInfo[] = [];
    const i = this.byCode.get(code);
    if (i === undefined) return out;
    for (let k = i; k < this.codes.length && this.codes[k]!.startsWith(code); k++) {
      if (this.billable[k]) out.push(this.info(k));
    }
    return out;
  }

  /** Chapter > block > category > ... > code. */
  breadcrumb(code: string): Breadcrumb | undefined {
    const info = this.get(code);
    if (!info) return undefined;
    const codes = [info, ...this.ancestors(code)].reverse();
    const block = this.blockOfCategory.get(codes[0]!.code)!;
    const chapter = this.chapters.find((c) => c.id === block.chapter)!;
    return { chapter, block, codes };
  }

  /** Notes written at the code itself (empty for codes newer than the tabular, see `tabularYear`). */
  ownNotes(code: string): NoteSet {
    return this.notesByCode[code] ?? {};
  }

  /**
   * The code's notes and those it inherits: from its ancestors, its block and its chapter, nearest first.
   * Excludes, code-first and 7th-character notes at a category apply to every code below it.
   */
  notesInScope(code: string): SourcedNotes[] {
    const crumb = this.breadcrumb(code);
    if (!crumb) return [];
    const out: SourcedNotes[] = [];
    for (const c of [...crumb.codes].reverse()) {
      const notes = this.notesByCode[c.code];
      if (notes) out.push({ from: c.code, notes });
    }
    const blockNotes = this.notesByBlock[crumb.block.id];
    if (blockNotes) out.push({ from: crumb.block.id, notes: blockNotes });
    const chapterNotes = this.notesByChapter[crumb.chapter.id];
    if (chapterNotes) out.push({ from: `chapter ${crumb.chapter.id}`, notes: chapterNotes });
    return out;
  }

  /** The 7th-character values that apply to a code (its own or inherited sevenChrDef), if any. */
  seventhCharacters(code: string): { from: string; values: NonNullable<NoteSet['sevenChrDef']> } | undefined {
    for (const { from, notes } of this.notesInScope(code)) {
      if (notes.sevenChrDef) return { from, values: notes.sevenChrDef };
    }
    return undefined;
  }

  /** Deletions of this code in the fiscal years the data covers (newest last). */
  deletions(code: string): readonly DeletedCode[] {
    return this.deletedByCode.get(code) ?? [];
  }

  /** The fiscal year that added the code, when the data's addenda list it. */
  addedInYear(code: string): number | undefined {
    return this.addedIn.get(code);
  }

  /** The title before a revision in the data's addenda, if the code was retitled. */
  revision(code: string): { from: string; fiscalYear: number } | undefined {
    return this.revisedByCode.get(code);
  }

  /**
   * Codes whose dotted spelling starts with the prefix (accepts "m754", "M75.4", "M75."), in code order.
   * `limit` bounds the work, not only the result: completion asks for a page and says it is incomplete.
   */
  prefixSearch(prefix: string, limit = 50): CodeInfo[] {
    const p = normalizePrefix(prefix);
    if (p === undefined) return [];
    const out: CodeInfo[] = [];
    for (let k = lowerBound(this.codes, p); k < this.codes.length && this.codes[k]!.startsWith(p) && out.length < limit; k++) {
      out.push(this.info(k));
    }
    return out;
  }

  /** How many codes start with the prefix (for "and N more"). */
  prefixCount(prefix: string): number {
    const p = normalizePrefix(prefix);
    if (p === undefined) return 0;
    let k = lowerBound(this.codes, p);
    const start = k;
    while (k < this.codes.length && this.codes[k]!.startsWith(p)) k++;
    return k - start;
  }

  /**
   * Codes whose title or inclusion terms contain every word of the query; the last word may be a prefix
   * ("calcific tend"). Ranked: title matches over inclusion-term matches, billable over headers,
   * shorter titles first (by tens of characters); ties in code order. The word index is built on first use (~98,000 titles).
   */
  wordSearch(query: string, limit = 50): WordHit[] {
    const words = normalizeWords(query);
    if (words.length === 0) return [];
    const index = this.ensureWordIndex();
    const last = words[words.length - 1]!;
    let candidates: Set<number> | undefined;
    for (const w of words.slice(0, -1)) {
      const hits = new Set(index.get(w) ?? []);
      candidates = candidates ? new Set([...candidates].filter((c) => hits.has(c))) : hits;
    }
    const lastHits = new Set<number>();
    for (const w of withPrefix(this.sortedWords!, last)) for (const c of index.get(w)!) lastHits.add(c);
    const matched = candidates ? [...candidates].filter((c) => lastHits.has(c)) : [...lastHits];
    const hits = matched.map((i) => {
      const titleWords = new Set(tokenizeWords(this.titles[i]!));
      const inTitle = words.slice(0, -1).every((w) => titleWords.has(w)) && [...titleWords].some((w) => w.startsWith(last));
      // Shorter titles first, in steps of ten characters, so that siblings ("right", "left") stay in code order.
      const score = (inTitle ? 1000 : 0) + (this.billable[i] ? 100 : 0) - Math.min(Math.floor(this.titles[i]!.length / 10), 9);
      return { code: this.codes[i]!, score };
    });
    hits.sort((a, b) => b.score - a.score || (a.code < b.code ? -1 : 1));
    return hits.slice(0, limit);
  }

  /** Builds the word index now rather than on the first search (e.g. while the editor is idle). */
  warmWordIndex(): void {
    this.ensureWordIndex();
  }

  private ensureWordIndex(): Map<string, number[]> {
    if (this.wordIndex) return this.wordIndex;
    const index = new Map<string, number[]>();
    const add = (word: string, i: number) => {
      const list = index.get(word);
      if (!list) index.set(word, [i]);
      else if (list[list.length - 1] !== i) list.push(i);
    };
    for (let i = 0; i < this.codes.length; i++) {
      for (const w of tokenizeWords(this.titles[i]!)) add(w, i);
      const notes = this.notesByCode[this.codes[i]!];
      for (const term of notes?.inclusionTerm ?? []) for (const w of tokenizeWords(term)) add(w, i);
    }
    this.wordIndex = index;
    this.sortedWords = [...index.keys()].sort();
    return index;
  }

  private info(i: number): CodeInfo {
    const code = this.codes[i]!;
    const p = this.parentIndex[i]!;
    return {
      code,
      title: this.titles[i]!,
      billable: this.billable[i] === 1,
      level: code.length === 3 ? 'category' : this.billable[i] ? 'code' : 'subcategory',
      parent: p >= 0 ? this.codes[p] : undefined,
      tabularYear: this.tabularYears[i]!,
    };
  }
}

/** "m754" -> "M75.4", "M75." -> "M75.", "m7" -> "M7"; undefined when it cannot start a code. */
function normalizePrefix(input: string): string | undefined {
  const s = input.trim().toUpperCase();
  if (!/^[A-Z](?:[0-9A-Z]{0,2}|[0-9A-Z]{2}\.?[0-9A-Z]{0,4})$/.test(s)) return undefined;
  const bare = s.replace('.', '');
  if (bare.length > 3) return `${bare.slice(0, 3)}.${bare.slice(3)}`;
  return s.endsWith('.') ? `${bare}.` : bare;
}
