import type { AlphaIndex, IndexTerm } from './alphaIndex';
import { effectiveDate } from './codeFormat';
import type { AddendaRow, OrderAddenda } from './orderAddenda';
import type { NoteSet, Tabular } from './tabular';

/** A code of the target fiscal year, as the runtime data stores it. */
export interface ComposedCode {
  code: string;
  title: string;
  billable: boolean;
  /** Parent code, or the block id for a category. */
  parent: string;
  /** Fiscal year of the tabular whose entry gives this code's structure and notes; 0 when none has it. */
  tabularYear: number;
}

export interface CodeSetInput {
  targetYear: number;
  /** Billable codes and headers of the year before the target (or of the target itself, from a full order file). */
  billable: Map<string, string>;
  headers: Map<string, string>;
  /** The target year's addenda; absent when the lists above already are the target year's. */
  addenda?: OrderAddenda;
  tabular: Tabular;
  tabularYear: number;
}

export interface CodeSet {
  codes: ComposedCode[];
  /** Codes with no tabular entry of their own nor a tabular base code (FY additions): no notes of their own. */
  withoutTabularEntry: string[];
  /** New categories placed in the section of the category before them, for want of a newer tabular. */
  placedByOrder: Array<{ code: string; block: string }>;
}

/** Strips a 7th character and the X placeholders before it: "S06.0X0A" -> "S06.0X0", "T07.XXXA" -> "T07". */
function withoutPlaceholders(code: string): string {
  return code.replace(/X+$/, '').replace(/\.$/, '');
}

/**
 * The billable codes and headers of the target year with titles, parents and the year their notes come
 * from. Throws when counts disagree with the addenda summary: a silent mismatch would ship a wrong code set.
 */
export function composeCodeSet(input: CodeSetInput): CodeSet {
  const { tabular } = input;
  const diagByCode = new Map(tabular.diags.map((d) => [d.code, d]));
  const billable = new Map(input.billable);
  const headers = new Map(input.headers);
  if (input.addenda) {
    const { summary } = input.addenda;
    const base = input.targetYear - 1;
    expectCount('billable codes', base, billable.size, summary.codes[base]);
    expectCount('headers', base, headers.size, summary.headers[base]);
    for (const row of input.addenda.rows) applyAddendaRow(row, row.billable ? billable : headers);
    expectCount('billable codes', input.targetYear, billable.size, summary.codes[input.targetYear]);
    expectCount('headers', input.targetYear, headers.size, summary.headers[input.targetYear]);
  }
  for (const code of billable.keys()) {
    if (headers.has(code)) throw new Error(`${code} is both billable and a header in FY${input.targetYear}`);
  }

  const all = new Map<string, { title: string; billable: boolean }>();
  for (const [code, title] of billable) all.set(code, { title, billable: true });
  for (const [code, title] of headers) all.set(code, { title, billable: false });

  // Some sections are only headings over others ("C00-C96" over "C00-C14"): a category belongs to the
  // section that holds diags. A category new in the target year, absent from the (older) tabular, goes
  // to the section of the category before it (J4B after J4A in J40-J4A); such guesses are reported.
  const leafBlocks = new Set(tabular.diags.map((d) => d.parent));
  const categories = tabular.diags.filter((d) => d.code.length === 3).sort((a, b) => compareCodes(a.code, b.code));
  const placedByOrder: Array<{ code: string; block: string }> = [];
  const blockOf = (category: string): string => {
    const block = tabular.blocks.find((b) => leafBlocks.has(b.id) && b.first <= category && category <= b.last);
    if (block) return block.id;
    const before = categories.filter((c) => c.code < category).pop();
    if (!before) throw new Error(`no block (section) for category ${category}`);
    placedByOrder.push({ code: category, block: before.parent });
    return before.parent;
  };
  // A category's parent is its block (section) id, which for a one-category block ("M04") spells
  // like the category itself: the runtime tells them apart by length (categories are 3 characters).
  const parentOf = (code: string): string => {
    const diag = diagByCode.get(code);
    // The tabular is the truth for where a category sits (C4A lies in C43-C44, outside its ASCII range).
    if (code.length === 3) return diag ? diag.parent : blockOf(code);
    if (diag && all.has(diag.parent)) return diag.parent;
    for (let candidate = code.slice(0, -1); candidate.length >= 3; candidate = candidate.slice(0, -1)) {
      const stem = withoutPlaceholders(candidate);
      if (stem !== code && all.has(stem)) return stem;
    }
    throw new Error(`no parent for ${code}`);
  };
  /** A 7th-character code built from a tabular code whose (inherited) sevenChrDef allows that character. */
  const isSeventhCharacterOfTabularCode = (code: string): boolean => {
    if (code.length !== 8) return false;
    for (let d = diagByCode.get(withoutPlaceholders(code.slice(0, 7))); d; d = diagByCode.get(d.parent)) {
      if (d.notes.sevenChrDef) return d.notes.sevenChrDef.some((x) => x.char === code[7]);
    }
    return false;
  };

  const codes: ComposedCode[] = [];
  const withoutTabularEntry: string[] = [];
  for (const code of [...all.keys()].sort(compareCodes)) {
    const { title, billable: isBillable } = all.get(code)!;
    const inTabular = diagByCode.has(code) || isSeventhCharacterOfTabularCode(code);
    if (!inTabular) withoutTabularEntry.push(code);
    codes.push({ code, title, billable: isBillable, parent: parentOf(code), tabularYear: inTabular ? input.tabularYear : 0 });
  }
  return { codes, withoutTabularEntry, placedByOrder };
}

function applyAddendaRow(row: AddendaRow, target: Map<string, string>): void {
  switch (row.action) {
    case 'add':
      if (target.has(row.code)) throw new Error(`addenda add: ${row.code} already present`);
      target.set(row.code, row.longTitle);
      break;
    case 'delete':
      if (!target.delete(row.code)) throw new Error(`addenda delete: ${row.code} not present`);
      break;
    case 'revise-to':
      if (!target.has(row.code)) throw new Error(`addenda revise: ${row.code} not present`);
      target.set(row.code, row.longTitle);
      break;
    case 'revise-from':
      break;
  }
}

function expectCount(what: string, year: number, actual: number, expected: number | undefined): void {
  if (expected === undefined) throw new Error(`the addenda summary gives no count of ${what} for FY${year}`);
  if (actual !== expected) throw new Error(`FY${year} ${what}: built ${actual}, the addenda summary says ${expected}`);
}

/** ICD-10-CM tabular order is ASCII order of the dotted codes ("C49" < "C4A" < "C50", "F64.9" < "F64.A"). */
export function compareCodes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A code deleted in some fiscal year, with what the same addenda offer in its place. */
export interface DeletedCode {
  code: string;
  title: string;
  billable: boolean;
  fiscalYear: number;
  effective: string;
  /** Codes added by the same addenda that take over (children of the old code, or same-titled codes). */
  replacedBy: string[];
  /** True when the code lives on as a header whose children replace it. */
  nowHeader: boolean;
}

export interface YearChanges {
  fiscalYear: number;
  effective: string;
  added: Array<{ code: string; billable: boolean; title: string }>;
  deleted: DeletedCode[];
  revised: Array<{ code: string; from: string; to: string }>;
}

/** Added, deleted (with successors) and retitled codes of one fiscal year's order addenda. */
export function describeChanges(fiscalYear: number, addenda: OrderAddenda): YearChanges {
  const adds = addenda.rows.filter((r) => r.action === 'add');
  const added = adds.map((r) => ({ code: r.code, billable: r.billable, title: r.longTitle }));
  const deleted = addenda.rows
    .filter((r) => r.action === 'delete')
    .map((r): DeletedCode => {
      const nowHeader = adds.some((a) => a.code === r.code && !a.billable);
      return {
        code: r.code,
        title: r.longTitle,
        billable: r.billable,
        fiscalYear,
        effective: effectiveDate(fiscalYear),
        replacedBy: successors(r, adds),
        nowHeader,
      };
    });
  const froms = addenda.rows.filter((r) => r.action === 'revise-from');
  const revised = addenda.rows
    .filter((r) => r.action === 'revise-to')
    .map((r) => ({ code: r.code, from: froms.find((f) => f.code === r.code)?.longTitle ?? '', to: r.longTitle }));
  return { fiscalYear, effective: effectiveDate(fiscalYear), added, deleted, revised };
}

/*
 * The addenda do not say what replaces a deleted code. Two patterns cover CMS practice: the code is
 * subdivided (its added children start with its stem: D69.1 -> D69.11, D69.19; S30.1XXA -> S30.10XA),
 * or it moves under a new subcategory with the same title (T52.8X1A -> T52.891A). Only billable
 * successors are offered, with the 7th character kept when the deleted code had one.
 */
function successors(row: AddendaRow, adds: AddendaRow[]): string[] {
  const seventh = row.code.length === 8 ? row.code[7] : undefined;
  const stem = withoutPlaceholders(seventh ? row.code.slice(0, 7) : row.code);
  const fits = (a: AddendaRow) => a.billable && a.code !== row.code && (!seventh || a.code.endsWith(seventh));
  const children = adds.filter((a) => fits(a) && a.code.startsWith(stem) && a.code.length > stem.length);
  const sameTitle = adds.filter((a) => fits(a) && a.longTitle === row.longTitle);
  return [...new Set([...children, ...sameTitle].map((a) => a.code))].sort(compareCodes);
}

/** Notes of the codes, blocks and chapters that exist in the target year, keyed for the runtime. */
export function collectNotes(tabular: Tabular, codes: ReadonlySet<string>) {
  const nonEmpty = (n: NoteSet) => Object.keys(n).length > 0;
  const chapters: Record<string, NoteSet> = {};
  for (const c of tabular.chapters) if (nonEmpty(c.notes)) chapters[c.id] = c.notes;
  const blocks: Record<string, NoteSet> = {};
  for (const b of tabular.blocks) if (nonEmpty(b.notes)) blocks[b.id] = b.notes;
  const byCode: Record<string, NoteSet> = {};
  for (const d of [...tabular.diags].sort((a, b) => compareCodes(a.code, b.code))) {
    if (codes.has(d.code) && nonEmpty(d.notes)) byCode[d.code] = d.notes;
  }
  return { chapters, blocks, codes: byCode };
}

export interface IndexCodeCheck {
  terms: number;
  codes: number;
  billable: number;
  header: number;
  /** "M75.3-" style pointers whose stem is a FY code. */
  incompleteValid: number;
  /** Codes the index names that the target year does not have (deleted or never existed). */
  notInCodeSet: string[];
}

/** Counts the index's terms and checks every code it names against the target year's code set. */
export function checkIndexCodes(index: AlphaIndex, codes: ReadonlyMap<string, boolean>): IndexCodeCheck {
  const check: IndexCodeCheck = { terms: 0, codes: 0, billable: 0, header: 0, incompleteValid: 0, notInCodeSet: [] };
  const missing = new Set<string>();
  const visit = (term: IndexTerm) => {
    check.terms++;
    for (const raw of [term.code, term.manif, term.subcat, term.seecat, ...(term.cells ?? [])]) {
      if (!raw) continue;
      check.codes++;
      const code = raw.replace(/-$/, '').replace(/\.$/, '');
      const billable = codes.get(code);
      if (billable === undefined) missing.add(raw);
      else if (raw.endsWith('-')) check.incompleteValid++;
      else if (billable) check.billable++;
      else check.header++;
    }
    term.terms?.forEach(visit);
  };
  index.terms.forEach(visit);
  check.notInCodeSet = [...missing].sort(compareCodes);
  return check;
}
