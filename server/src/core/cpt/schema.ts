/**
 * Zod schemas for Calx's CPT data: the curated file shipped in `data/cpt/curated.json` and one row of a
 * user's licensed descriptor file. Data is validated once, at load; the catalog trusts the parsed result.
 */
import { z } from 'zod';

/**
 * A CPT code: four digits, then a digit (Category I), `F` (Category II), `T` (Category III) or `U`
 * (proprietary laboratory analyses).
 */
export const CPT_CODE_PATTERN = /^\d{4}[0-9FTU]$/;

/** A CPT/HCPCS modifier: two characters, digits or capital letters (`22`, `50`, `RT`, `LT`). */
export const CPT_MODIFIER_PATTERN = /^[0-9A-Z]{2}$/;

/** Where a coding note comes from. Only the Calx seed documents for now; widen when other sources are added. */
export const CPT_NOTE_SOURCES = ['seed'] as const;

/** Grouping used by hover and completion; a closed list so that a typo in the data fails at load. */
export const CPT_CATEGORIES = [
  'shoulder surgery',
  'other surgery',
  'cardiac CT',
  'ultrasound',
  'injection',
  'physical therapy',
  'radiology',
] as const;

const nonEmptyText = z.string().trim().min(1, 'must not be empty');

const cptNoteSchema = z
  .object({
    /** The note in Calx's own words (a bundling rule, a documentation requirement, a payer caveat). */
    text: nonEmptyText,
    /** Where the rule was taken from, so a reviewer can trace it. */
    source: z.enum(CPT_NOTE_SOURCES),
  })
  .strict()
  .readonly();

const curatedCptCodeSchema = z
  .object({
    /** The CPT code, e.g. `23000`; unique across the file. */
    code: z.string().regex(CPT_CODE_PATTERN, 'must be 4 digits followed by a digit, F, T or U'),
    /** Calx's own plain-language summary. Never the AMA descriptor nor a close paraphrase of it. */
    summary: nonEmptyText,
    /** Coarse grouping for display. */
    category: z.enum(CPT_CATEGORIES),
    /** One sentence: why a calcification CDI specialist or coder meets this code. */
    relevance: nonEmptyText,
    /** Bundling and coding notes, in Calx's words. */
    notes: z.array(cptNoteSchema).readonly().optional(),
  })
  .strict()
  .readonly();

const curatedCptModifierSchema = z
  .object({
    /** The modifier, e.g. `22` or `RT`; unique across the file. */
    code: z.string().regex(CPT_MODIFIER_PATTERN, 'must be 2 digits or capital letters'),
    /** Calx's own plain-language summary of what the modifier signals. */
    summary: nonEmptyText,
    /** Restrictions on its use, in Calx's words. */
    notes: z.array(cptNoteSchema).readonly().optional(),
  })
  .strict()
  .readonly();

const curatedCptMetaSchema = z
  .object({
    /** What the file holds, for a human reader. */
    description: nonEmptyText,
    /** States that the texts are Calx's own and that no AMA descriptor text is shipped. */
    licenceNote: nonEmptyText,
  })
  .strict()
  .readonly();

/** The whole curated file, with the cross-record checks that a per-field schema cannot express. */
export const curatedCptFileSchema = z
  .object({
    /** Provenance and licence statement. */
    meta: curatedCptMetaSchema,
    /** The curated codes, in display order. */
    codes: z.array(curatedCptCodeSchema).readonly(),
    /** The curated modifiers, in display order. */
    modifiers: z.array(curatedCptModifierSchema).readonly(),
  })
  .strict()
  .superRefine((file, ctx) => {
    reportDuplicateCodes(file.codes, 'codes', ctx);
    reportDuplicateCodes(file.modifiers, 'modifiers', ctx);
  })
  .readonly();

/** A coding note attached to a code or modifier. */
export type CptNote = z.infer<typeof cptNoteSchema>;
/** One curated CPT code. */
export type CuratedCptCode = z.infer<typeof curatedCptCodeSchema>;
/** One curated modifier. */
export type CuratedCptModifier = z.infer<typeof curatedCptModifierSchema>;
/** The `meta` block of the curated file. */
export type CuratedCptMeta = z.infer<typeof curatedCptMetaSchema>;
/** The validated curated file (deeply frozen by the `.readonly()` schemas). */
export type CuratedCptFile = z.infer<typeof curatedCptFileSchema>;
/** A category of curated codes. */
export type CptCategory = (typeof CPT_CATEGORIES)[number];

/**
 * The duplicate is flagged at its own path (e.g. `codes[5].code`) and names the first occurrence, so an editor of
 * the JSON can jump to both records.
 */
function reportDuplicateCodes(
  records: ReadonlyArray<{ readonly code: string }>,
  listName: 'codes' | 'modifiers',
  ctx: z.RefinementCtx,
): void {
  const firstIndexByCode = new Map<string, number>();
  records.forEach((record, index) => {
    const firstIndex = firstIndexByCode.get(record.code);
    if (firstIndex === undefined) {
      firstIndexByCode.set(record.code, index);
      return;
    }
    ctx.addIssue({
      code: 'custom',
      path: [listName, index, 'code'],
      message: `duplicate code ${record.code} (first defined at ${listName}[${firstIndex}].code)`,
    });
  });
}

/**
 * One row of a licensed descriptor file, after CSV/TSV splitting and trimming. Messages deliberately never include
 * the input values: the descriptor is licensed text, and a malformed "code" may be a descriptor in the wrong column.
 */
export const cptDescriptorRowSchema = z.object({
  /** The CPT code in the first column. */
  code: z.string().regex(CPT_CODE_PATTERN, 'first column is not a CPT code (4 digits followed by a digit, F, T or U)'),
  /** The licensed descriptor in the second column. */
  descriptor: z.string().min(1, 'descriptor is empty'),
});

/** A validated row of a licensed descriptor file. */
export type CptDescriptorRow = z.infer<typeof cptDescriptorRowSchema>;

export { formatIssuePath, formatIssues } from '../zodIssues';
