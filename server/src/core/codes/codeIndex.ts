import type { Block, ChangesFile, Chapter, CodesFile, DeletedCode, NoteSet, NotesFile } from './schema';
import { CODE_ROW_PATTERN } from './schema';
import { deriveCodeShapes, type CodeShapes } from './codeShapes';
import { Sliced } from '../sliced';
import { intersectSorted, normalizeWords, tokenizeWords, WordPostings } from './words';

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

/** How to read the rows of a code table. */
export interface CodeTableOptions {
  /**
   * Check every row against CODE_ROW_PATTERN (a malformed row is reported by line). The loader turns it off for
   * a file whose bytes match the checksum recorded when scripts/build-data.ts validated it.
   */
  validateRows?: boolean;
  /**
   * What scripts/build-data.ts worked out from these rows and deleted codes (derived.json): given only with the
   * files it was worked out from. Without it, the shapes and telling stems are worked out on first use.
   */
  derived?: DerivedData;
}

/** What depends only on the code set, worked out by the data build (derived.json). */
export interface DerivedData {
  readonly codeShapes: CodeShapes;
  /** The titles' telling stems, sorted (codes/titleStems.ts). */
  readonly titleStems: readonly string[];
}

/**
 * The ICD-10-CM code set of one fiscal year, loaded once into flat arrays (about 98,000 codes).
 * Codes are kept in ASCII order of their dotted spelling, so a code's descendants are the contiguous run
 * of codes that start with it, prefix search is a binary search, look-up a hash table. Codes and titles are not
 * separate strings: they stay in the text of codes.tsv and are cut from it (by offsets) when asked for, which
 * keeps the index at a dozen objects whatever the size of the code set (and leaves nothing for the garbage
 * collector to copy or trace at start).
 */
export class CodeIndex {
  readonly fiscalYear: number;
  readonly effective: string;
  readonly notesFiscalYear: number;
  readonly chapters: readonly Chapter[];
  readonly blocks: readonly Block[];
  /** What the data build worked out from this code set, when the loader has it (else it is worked out on first use). */
  readonly derived: DerivedData | undefined;

  /** The rows of codes.tsv. Codes and titles are cut from it when asked for: code i is text[codeStart[i], titleStart[i] - 1). */
  private readonly text: string;
  private readonly codeStart: Int32Array;
  private readonly titleStart: Int32Array;
  private readonly titleEnd: Int32Array;
  private readonly billable: Uint8Array;
  private readonly parentIndex: Int32Array;
  /** Open-addressing hash table of the codes (position + 1; 0 is empty): look-up in one or two probes. */
  private readonly slots: Int32Array;
  private readonly blockOfCategory: Map<string, Block>;
  private readonly tabularYears: Uint16Array;
  private readonly notesByCode: Readonly<Record<string, NoteSet>>;
  private readonly notesByBlock: Readonly<Record<string, NoteSet>>;
  private readonly notesByChapter: Readonly<Record<string, NoteSet>>;
  private readonly deletedByCode = new Map<string, DeletedCode[]>();
  private readonly revisedByCode = new Map<string, { from: string; fiscalYear: number }>();
  private readonly addedIn = new Map<string, number>();
  /** Children of code i are childIds[childStart[i]] .. childIds[childStart[i + 1] - 1]; built on first use. */
  private childStart: Int32Array | undefined;
  private childIds: Int32Array | undefined;
  /** The word index: built on first search, or a slice at a time by a warm-up. */
  private wordIndex: Sliced<WordPostings> | undefined;
  private codeShapes: CodeShapes | undefined;

  /**
   * Builds the index from validated data; throws with the file and line on cross-record errors.
   * `rows`: the rows of codes.tsv after its header line (a text, one row per line), or the rows as an array.
   */
  constructor(codesFile: CodesFile, rows: string | readonly string[], notesFile: NotesFile, changesFile: ChangesFile, options: CodeTableOptions = {}) {
    this.fiscalYear = codesFile.fiscalYear;
    this.effective = codesFile.effective;
    this.notesFiscalYear = notesFile.fiscalYear;
    this.chapters = codesFile.chapters;
    this.blocks = codesFile.blocks;
    this.derived = options.derived;
    this.codeShapes = options.derived?.codeShapes;
    const text = typeof rows === 'string' ? rows : rows.join('\n');
    this.text = text;
    const validateRows = options.validateRows ?? true;
    // Line number in codes.tsv of row i (its header is line 1).
    const where = (i: number) => `codes.tsv: line ${i + 2}`;

    let n = 0;
    for (let pos = 0; pos < text.length; ) {
      let end = text.indexOf('\n', pos);
      if (end < 0) end = text.length;
      if (end > pos && !(end === pos + 1 && text.charCodeAt(pos) === 13)) n++;
      pos = end + 1;
    }
    this.codeStart = new Int32Array(n);
    this.titleStart = new Int32Array(n);
    this.titleEnd = new Int32Array(n);
    this.billable = new Uint8Array(n);
    this.parentIndex = new Int32Array(n);
    this.tabularYears = new Uint16Array(n);
    this.blockOfCategory = new Map();
    const blockById = new Map(codesFile.blocks.map((b) => [b.id, b]));

    for (let pos = 0, i = 0; i < n; ) {
      let end = text.indexOf('\n', pos);
      if (end < 0) end = text.length;
      // A CRLF checkout of the file (its checksum then differs, so its rows are validated) reads the same.
      const lineEnd = end > pos && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
      if (lineEnd === pos) {
        pos = end + 1;
        continue;
      }
      if (validateRows && !CODE_ROW_PATTERN.test(text.slice(pos, lineEnd))) {
        throw new Error(`${where(i)}: not "code<TAB>title<TAB>0|1<TAB>parent<TAB>year"`);
      }
      const t1 = text.indexOf('\t', pos);
      const t2 = text.indexOf('\t', t1 + 1);
      const t3 = t2 + 2; // billable flag is one character
      const t4 = text.indexOf('\t', t3 + 1);
      if (t1 < 0 || t2 < 0 || t4 < 0 || t4 >= lineEnd || text.charCodeAt(t3) !== 9) throw new Error(`${where(i)}: not five tab-separated fields`);
      const code = text.slice(pos, t1);
      if (i > 0 && this.compareCode(i - 1, code) >= 0) throw new Error(`${where(i)}: ${code} is out of order or repeated`);
      this.codeStart[i] = pos;
      this.titleStart[i] = t1 + 1;
      this.titleEnd[i] = t2;
      this.billable[i] = text.charCodeAt(t2 + 1) - 48;
      let year = 0;
      for (let k = t4 + 1; k < lineEnd; k++) year = year * 10 + text.charCodeAt(k) - 48;
      this.tabularYears[i] = year;
      const parent = text.slice(t3 + 1, t4);
      if (code.length === 3) {
        const block = blockById.get(parent);
        if (!block) throw new Error(`${where(i)}: category ${code} names unknown block ${parent}`);
        this.blockOfCategory.set(code, block);
        this.parentIndex[i] = -1;
      } else {
        // In code order a parent is the previous code or one of its ancestors: walk up from there, else search.
        let p = i - 1;
        while (p >= 0 && this.compareCode(p, parent) !== 0) p = this.parentIndex[p]!;
        if (p < 0) {
          p = this.lowerBound(parent, i);
          if (p === i || this.compareCode(p, parent) !== 0) p = -1;
        }
        if (p < 0 || !code.startsWith(parent.replace(/X+$/, ''))) {
          throw new Error(`${where(i)}: ${code} names parent ${parent}, which is not an ancestor in the code set`);
        }
        this.parentIndex[i] = p;
      }
      i++;
      pos = end + 1;
    }
    this.slots = new Int32Array(tableSize(n));
    const mask = this.slots.length - 1;
    for (let i = 0; i < n; i++) {
      let h = hashChars(text, this.codeStart[i]!, this.titleStart[i]! - 1) & mask;
      while (this.slots[h] !== 0) h = (h + 1) & mask;
      this.slots[h] = i + 1;
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
    return this.codeStart.length;
  }

  get billableCount(): number {
    let count = 0;
    for (const b of this.billable) count += b;
    return count;
  }

  has(code: string): boolean {
    return this.indexOf(code) >= 0;
  }

  /** The code's record, for a dotted code as written in the code set (see `normalizeCode`). */
  get(code: string): CodeInfo | undefined {
    const i = this.indexOf(code);
    return i < 0 ? undefined : this.info(i);
  }

  isBillable(code: string): boolean {
    const i = this.indexOf(code);
    return i >= 0 && this.billable[i] === 1;
  }

  /** Direct children in code order. */
  children(code: string): CodeInfo[] {
    const i = this.indexOf(code);
    if (i < 0) return [];
    if (!this.childStart || !this.childIds) {
      // Counting sort of the codes by parent; each parent's children stay in code order.
      const n = this.size;
      const start = new Int32Array(n + 1);
      for (let k = 0; k < n; k++) if (this.parentIndex[k]! >= 0) start[this.parentIndex[k]! + 1]!++;
      for (let k = 0; k < n; k++) start[k + 1]! += start[k]!;
      const fill = start.slice(0, n);
      const ids = new Int32Array(start[n]!);
      for (let k = 0; k < n; k++) if (this.parentIndex[k]! >= 0) ids[fill[this.parentIndex[k]!]!++] = k;
      this.childStart = start;
      this.childIds = ids;
    }
    const out: CodeInfo[] = [];
    for (let c = this.childStart[i]!; c < this.childStart[i + 1]!; c++) out.push(this.info(this.childIds[c]!));
    return out;
  }

  /** Parent, grandparent, ... up to the category (nearest first). */
  ancestors(code: string): CodeInfo[] {
    const out: CodeInfo[] = [];
    const i = this.indexOf(code);
    if (i < 0) return out;
    for (let p = this.parentIndex[i]!; p >= 0; p = this.parentIndex[p]!) out.push(this.info(p));
    return out;
  }

  /** Every billable code at or below `code`, in code order. */
  billableDescendants(code: string): CodeInfo[] {
    const out: CodeInfo[] = [];
    const i = this.indexOf(code);
    if (i < 0) return out;
    for (let k = i; k < this.size && this.codeStartsWith(k, code); k++) {
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
    return own(this.notesByCode, code) ?? {};
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
      const notes = own(this.notesByCode, c.code);
      if (notes) out.push({ from: c.code, notes });
    }
    const blockNotes = own(this.notesByBlock, crumb.block.id);
    if (blockNotes) out.push({ from: crumb.block.id, notes: blockNotes });
    const chapterNotes = own(this.notesByChapter, crumb.chapter.id);
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

  /**
   * The shapes of the codes of this code set and of those it deleted (which characters at which position,
   * which categories), read from the data on first use: what a note, a completion prefix or a search may
   * write as a code.
   */
  get shapes(): CodeShapes {
    return (this.codeShapes ??= deriveCodeShapes((visit) => {
      for (let i = 0; i < this.size; i++) visit(this.text, this.codeStart[i]!, this.titleStart[i]! - 1);
      for (const code of this.deletedByCode.keys()) visit(code, 0, code.length);
    }));
  }

  /**
   * Calls `visit` with each title as text[start, end) and whether its code is a category, in code order,
   * without cutting strings (a pass over all titles at start-up).
   */
  forEachTitle(visit: (text: string, start: number, end: number, category: boolean) => void): void {
    for (let i = 0; i < this.size; i++) visit(this.text, this.titleStart[i]!, this.titleEnd[i]!, this.titleStart[i]! - 1 - this.codeStart[i]! === 3);
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
    for (let k = this.lowerBound(p); k < this.size && this.codeStartsWith(k, p) && out.length < limit; k++) {
      out.push(this.info(k));
    }
    return out;
  }

  /** How many codes start with the prefix (for "and N more"). */
  prefixCount(prefix: string): number {
    const p = normalizePrefix(prefix);
    if (p === undefined) return 0;
    let k = this.lowerBound(p);
    const start = k;
    while (k < this.size && this.codeStartsWith(k, p)) k++;
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
    let matched: ArrayLike<number> | undefined;
    for (const w of words.slice(0, -1)) {
      matched = matched ? intersectSorted(matched, index.exact(w)) : index.exact(w);
      if (matched.length === 0) return [];
    }
    const lastHits = index.withPrefix(last);
    const ids = matched ? intersectSorted(matched, lastHits) : lastHits;
    const hits = ids.map((i) => {
      const title = this.title(i);
      const titleWords = new Set(tokenizeWords(title));
      const inTitle = words.slice(0, -1).every((w) => titleWords.has(w)) && [...titleWords].some((w) => w.startsWith(last));
      // Shorter titles first, in steps of ten characters, so that siblings ("right", "left") stay in code order.
      const score = (inTitle ? 1000 : 0) + (this.billable[i] ? 100 : 0) - Math.min(Math.floor(title.length / 10), 9);
      return { code: this.code(i), score };
    });
    hits.sort((a, b) => b.score - a.score || (a.code < b.code ? -1 : 1));
    return hits.slice(0, limit);
  }

  /**
   * Builds the word index now rather than on the first search (e.g. while the editor is idle), until
   * `performance.now()` passes `deadline`: call again to go on. True once the index is built.
   */
  warmWordIndex(deadline = Infinity): boolean {
    return this.wordIndexBuild().step(deadline);
  }

  /** The word index, built now (from where a warm-up left it) when not yet. */
  private ensureWordIndex(): WordPostings {
    return this.wordIndexBuild().finish();
  }

  /** The build of the word index (titles and inclusion terms, by code position), begun on first use. */
  private wordIndexBuild(): Sliced<WordPostings> {
    return (this.wordIndex ??= new Sliced(
      WordPostings.slices(this.size, (i, add) => {
        for (const w of tokenizeWords(this.title(i))) add(w);
        const notes = this.notesByCode[this.code(i)];
        for (const term of notes?.inclusionTerm ?? []) for (const w of tokenizeWords(term)) add(w);
      }),
    ));
  }

  /** Position of the code in code order, or -1. */
  private indexOf(code: string): number {
    const mask = this.slots.length - 1;
    for (let h = hashChars(code, 0, code.length) & mask, slot; (slot = this.slots[h]!) !== 0; h = (h + 1) & mask) {
      if (this.compareCode(slot - 1, code) === 0) return slot - 1;
    }
    return -1;
  }

  /** The first position (below `end`) whose code is not less than `key` in ASCII order. */
  private lowerBound(key: string, end = this.size): number {
    let lo = 0;
    let hi = end;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.compareCode(mid, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Code i compared with `key` in ASCII order (negative: code i comes first), without cutting it from the text. */
  private compareCode(i: number, key: string): number {
    const start = this.codeStart[i]!;
    const length = this.titleStart[i]! - 1 - start;
    const n = Math.min(length, key.length);
    for (let k = 0; k < n; k++) {
      const d = this.text.charCodeAt(start + k) - key.charCodeAt(k);
      if (d !== 0) return d;
    }
    return length - key.length;
  }

  /** Code i starts with `prefix` (a code is followed by a tab, so a longer prefix never matches). */
  private codeStartsWith(i: number, prefix: string): boolean {
    return this.text.startsWith(prefix, this.codeStart[i]!);
  }

  private code(i: number): string {
    return this.text.slice(this.codeStart[i]!, this.titleStart[i]! - 1);
  }

  private title(i: number): string {
    return this.text.slice(this.titleStart[i]!, this.titleEnd[i]!);
  }

  private info(i: number): CodeInfo {
    const code = this.code(i);
    const p = this.parentIndex[i]!;
    return {
      code,
      title: this.title(i),
      billable: this.billable[i] === 1,
      level: code.length === 3 ? 'category' : this.billable[i] ? 'code' : 'subcategory',
      parent: p >= 0 ? this.code(p) : undefined,
      tabularYear: this.tabularYears[i]!,
    };
  }
}

/** A power of two at least 2.5 times `n` (the hash table stays under 40% full). */
/** `record[key]` when the record has it as its own: a code asked for may be any text ("constructor"). */
function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function tableSize(n: number): number {
  let size = 16;
  while (size < n * 2.5) size *= 2;
  return size;
}

/** FNV-1a over text[start, end). */
function hashChars(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let k = start; k < end; k++) h = Math.imul(h ^ text.charCodeAt(k), 0x01000193);
  return h >>> 0;
}

/** "m754" -> "M75.4", "M75." -> "M75.", "m7" -> "M7"; undefined when it cannot start a code. */
function normalizePrefix(input: string): string | undefined {
  const s = input.trim().toUpperCase();
  if (!/^[A-Z](?:[0-9A-Z]{0,2}|[0-9A-Z]{2}\.?[0-9A-Z]{0,4})$/.test(s)) return undefined;
  const bare = s.replace('.', '');
  if (bare.length > 3) return `${bare.slice(0, 3)}.${bare.slice(3)}`;
  return s.endsWith('.') ? `${bare}.` : bare;
}
