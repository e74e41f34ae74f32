/**
 * zod schemas of the generated ICD-10-CM data in data/icd10cm/ (written by scripts/build-data.ts).
 * scripts/build-data.ts validates every file it writes with them and records each file's sha256 in
 * provenance.json; at load, a file whose bytes match that record is parsed without re-validation, and any
 * other file (edited, corrupted, another build) is validated in full. The hot path never re-validates.
 */
import { z } from 'zod';
import { formatIssues } from '../zodIssues';

export const DATA_SCHEMA_VERSION = 2;

const codePattern = /^[A-Z][0-9A-Z]{2}(?:\.[0-9A-Z]{1,4})?$/;
/**
 * One row of codes.tsv: code <TAB> title <TAB> billable 0|1 <TAB> parent (code, or block id for a category)
 * <TAB> tabular year (0: none). The file starts with CODE_TABLE_HEADER and has one row per code, in code order.
 */
export const CODE_ROW_PATTERN = /^[A-Z][0-9A-Z]{2}(?:\.[0-9A-Z]{1,4})?\t[^\t]+\t[01]\t[A-Z0-9][A-Z0-9.-]*\t\d{1,4}$/;

export const CODE_TABLE_HEADER = 'code\ttitle\tbillable\tparent\ttabularYear';

export const chapterSchema = z.object({
  /** Chapter number as printed ("13"). */
  id: z.string().regex(/^\d{1,2}$/),
  /** Chapter title without its range. */
  title: z.string().min(1),
  /** First and last category, e.g. "M00-M99". */
  range: z.string().regex(/^[A-Z0-9]{3}-[A-Z0-9]{3}$/),
});

export const blockSchema = z.object({
  /** Section id as the tabular writes it: "M70-M79", or "M04" for a one-category section. */
  id: z.string().regex(/^[A-Z0-9]{3}(?:-[A-Z0-9]{3})?$/),
  title: z.string().min(1),
  /** Id of the chapter the block belongs to. */
  chapter: z.string(),
  first: z.string(),
  last: z.string(),
});

export const codesFileSchema = z.object({
  schemaVersion: z.literal(DATA_SCHEMA_VERSION),
  fiscalYear: z.number().int().min(2016),
  /** ISO date the code set takes effect (October 1 before the fiscal year). */
  effective: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  chapters: z.array(chapterSchema).min(1),
  blocks: z.array(blockSchema).min(1),
});

/** The integrity record of the generated files, in provenance.json: what build-data.ts wrote and validated. */
export const dataFilesSchema = z.object({
  schemaVersion: z.number(),
  files: z.record(z.string(), z.object({ bytes: z.number().int(), sha256: z.string().regex(/^[0-9a-f]{64}$/) })),
});

const noteList = z.array(z.string().min(1)).min(1).optional();
export const noteSetSchema = z
  .object({
    notes: noteList,
    includes: noteList,
    inclusionTerm: noteList,
    excludes1: noteList,
    excludes2: noteList,
    codeFirst: noteList,
    useAdditionalCode: noteList,
    codeAlso: noteList,
    sevenChrNote: noteList,
    sevenChrDef: z.array(z.object({ char: z.string().regex(/^[0-9A-Z]$/), text: z.string().min(1) })).min(1).optional(),
  })
  .strict();

export const notesFileSchema = z.object({
  schemaVersion: z.literal(DATA_SCHEMA_VERSION),
  /** Fiscal year of the tabular the notes come from. */
  fiscalYear: z.number().int(),
  chapters: z.record(z.string(), noteSetSchema),
  blocks: z.record(z.string(), noteSetSchema),
  codes: z.record(z.string().regex(codePattern), noteSetSchema),
});

export const deletedCodeSchema = z.object({
  code: z.string().regex(codePattern),
  /** Title the code had before deletion. */
  title: z.string(),
  billable: z.boolean(),
  fiscalYear: z.number().int(),
  effective: z.string(),
  /** Billable codes added by the same release that take its place; empty when none can be named. */
  replacedBy: z.array(z.string().regex(codePattern)),
  /** The code itself lives on as a header (its new children replace it). */
  nowHeader: z.boolean(),
});

export const changesFileSchema = z.object({
  schemaVersion: z.literal(DATA_SCHEMA_VERSION),
  years: z.array(z.number().int()),
  deleted: z.array(deletedCodeSchema),
  added: z.array(z.object({ code: z.string().regex(codePattern), billable: z.boolean(), title: z.string(), fiscalYear: z.number().int() })),
  revised: z.array(z.object({ code: z.string().regex(codePattern), from: z.string(), to: z.string(), fiscalYear: z.number().int() })),
});

/**
 * derived.json: what depends only on the other generated files, worked out when the data is built so that a
 * server does not scan the 98,000 codes and titles before its first diagnostics: the code shapes
 * (codes/codeShapes.ts, from codes.tsv and the deleted codes of changes.json) and the telling stems of the
 * titles (codes/titleStems.ts: a title word's first six letters or digits, used by at most one category in 32;
 * sorted, without repeats).
 */
export const derivedFileSchema = z.object({
  schemaVersion: z.literal(DATA_SCHEMA_VERSION),
  codeShapes: z.object({
    positions: z.array(z.string().regex(/^[0-9A-Z]+$/)).min(3).max(8),
    /** Second characters after each first character, as [first, seconds] pairs in the order of the firsts. */
    seconds: z.array(z.tuple([z.string().regex(/^[0-9A-Z]$/), z.string().regex(/^[0-9A-Z]+$/)])),
    pattern: z.string().min(1),
    prefixPattern: z.string().min(1),
  }),
  titleStems: z.array(z.string().regex(/^[a-z][a-z0-9]{3,5}$/)).superRefine((stems, ctx) => {
    for (let i = 1; i < stems.length; i++) {
      if (!(stems[i - 1]! < stems[i]!)) ctx.addIssue({ code: 'custom', path: [i], message: `"${stems[i]}" is out of order or repeated` });
    }
  }),
});

/**
 * One entry of the ICD-10-CM alphabetic index: a main term or a subterm at any level. Field names are short
 * because the whole index (about 88,000 terms) ships with the extension.
 */
export interface IndexTerm {
  /** The term's words without its nonessential modifiers, e.g. "pineal gland". */
  t: string;
  /** Nonessential modifiers (the parenthesised words that do not change the code), e.g. "(capsule) (gland)". */
  nemod?: string;
  /** Code as printed, dotted; a trailing "-" means "more characters are needed" (e.g. "M75.3-"). */
  code?: string;
  /** Manifestation code printed in brackets after the code (to be sequenced second). */
  manif?: string;
  /** Subcategory pointer ("see subcategory"). */
  subcat?: string;
  /** Category pointer ("see category"). */
  seecat?: string;
  /** "see" cross-reference: another index entry to use instead. */
  see?: string;
  /** "see also" cross-reference: another entry that may also apply. */
  seeAlso?: string;
  /** Table indexes (Neoplasm, Drugs): one code per column of the table's `columns` ("" where the table has "--"). */
  cells?: string[];
  /** Subterms, in index order. */
  terms?: IndexTerm[];
}
const indexCode = z.string().regex(/^[A-Z][0-9A-Z]{2}(?:\.[0-9A-Z]{0,4})?-?$|^[A-Z0-9]+$/);
const termFields = () => ({
  t: z.string(),
  nemod: z.string().optional(),
  code: indexCode.optional(),
  manif: indexCode.optional(),
  subcat: indexCode.optional(),
  seecat: indexCode.optional(),
  see: z.string().optional(),
  seeAlso: z.string().optional(),
  cells: z.array(z.union([z.literal(''), indexCode])).optional(),
  terms: z.array(indexTermSchema).optional(),
});
export const indexTermSchema: z.ZodType<IndexTerm> = z.lazy(() => z.object(termFields()).strict());

export const indexFileSchema = z.object({
  schemaVersion: z.literal(DATA_SCHEMA_VERSION),
  indexes: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      fiscalYear: z.number().int(),
      /** Column headings of a table index (the names of `cells` positions). */
      columns: z.array(z.string()).optional(),
    }),
  ),
  /** Main terms, each tagged with the index ("diseases", "external-causes") it belongs to. */
  terms: z.array(z.object({ index: z.string(), ...termFields() }).strict()),
});

/** codes.json: the code set's fiscal year, chapters and blocks (the codes themselves are in codes.tsv). */
export type CodesFile = z.infer<typeof codesFileSchema>;
export type DataFiles = z.infer<typeof dataFilesSchema>;
export type NoteSet = z.infer<typeof noteSetSchema>;
export type NotesFile = z.infer<typeof notesFileSchema>;
export type DeletedCode = z.infer<typeof deletedCodeSchema>;
export type ChangesFile = z.infer<typeof changesFileSchema>;
export type IndexFile = z.infer<typeof indexFileSchema>;
export type DerivedFile = z.infer<typeof derivedFileSchema>;
export type Chapter = z.infer<typeof chapterSchema>;
export type Block = z.infer<typeof blockSchema>;

/** "  file: codes[12].title: Required" lines, for load errors that name the JSON path. */
export function describeZodError(error: z.ZodError, file: string): string {
  return formatIssues(error.issues, { prefix: `  ${file}: `, max: 10 });
}
