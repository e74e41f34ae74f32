/**
 * The anatomy and laterality vocabulary (data/lexicon/anatomy.json), validated once with zod and compiled
 * into phrase matchers.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { describeZodError } from '../codes/schema';
import { PhraseMatcher } from '../text/phraseMatcher';

export const SIDES = ['right', 'left', 'bilateral'] as const;
export type Side = (typeof SIDES)[number];

const phrase = z.string().trim().min(1).max(80);
export const anatomyFileSchema = z
  .object({
    schemaVersion: z.literal(1),
    description: z.string(),
    sites: z
      .array(
        z
          .object({
            /** Stable id that lexicon code-family rules refer to ("upper-arm"). */
            id: z.string().regex(/^[a-z][a-z0-9-]*$/),
            /** How Calx names the site in messages. */
            preferred: phrase,
            /** Paired organ or limb: a code may need the side. */
            lateral: z.boolean(),
            /** Its side words name its parts ("right coronary artery", "left main"), never a side of a finding there. */
            sidesNameParts: z.boolean().optional(),
            /** Phrases ICD-10-CM titles use for the site ("ankle and foot"), most specific first. */
            titleTerms: z.array(phrase).min(1),
            /** Operations that remove the whole organ ("cholecystectomy"): its findings after one are historical. */
            removedBy: z.array(phrase).optional(),
            /** What notes write for it ("supraspinatus" -> shoulder). */
            variants: z.array(phrase),
          })
          .strict(),
      )
      .min(1),
    laterality: z
      .array(
        z
          .object({
            id: z.enum(SIDES),
            preferred: phrase,
            variants: z.array(phrase).min(1),
            /** Single letters that mean the side only as written ("R", "L"). */
            caseSensitive: z.array(z.string().regex(/^[A-Z]$/)),
          })
          .strict(),
      )
      .length(3),
  })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Map<string, number>();
    file.sites.forEach((s, i) => {
      if (seen.has(s.id)) ctx.addIssue({ code: 'custom', path: ['sites', i, 'id'], message: `duplicate site id ${s.id} (first at sites[${seen.get(s.id)}])` });
      seen.set(s.id, i);
    });
  });

export type AnatomyFile = z.infer<typeof anatomyFileSchema>;
export type Site = AnatomyFile['sites'][number];

/** Sites and sides, ready to match. */
export class Anatomy {
  readonly sites: ReadonlyMap<string, Site>;
  readonly siteMatcher: PhraseMatcher<string>;
  readonly sideMatcher: PhraseMatcher<Side>;
  /** The operations that remove an organ, to the organ's site id. */
  readonly removalMatcher: PhraseMatcher<string>;

  constructor(file: AnatomyFile) {
    this.sites = new Map(file.sites.map((s) => [s.id, s]));
    this.siteMatcher = new PhraseMatcher(file.sites.flatMap((s) => s.variants.map((p) => ({ phrase: p, value: s.id }))));
    this.removalMatcher = new PhraseMatcher(file.sites.flatMap((s) => (s.removedBy ?? []).map((p) => ({ phrase: p, value: s.id }))));
    this.sideMatcher = new PhraseMatcher(
      file.laterality.flatMap((l) => l.variants.map((p) => ({ phrase: p, value: l.id }))),
      file.laterality.flatMap((l) => l.caseSensitive.map((p) => ({ phrase: p, value: l.id }))),
    );
  }

  /** Every phrase the official titles use for a site ("shoulder", "ankle and foot"), each once. */
  get allTitleTerms(): readonly string[] {
    return (this.titleTermList ??= [...new Set([...this.sites.values()].flatMap((s) => s.titleTerms))]);
  }
  private titleTermList: string[] | undefined;

  site(id: string): Site | undefined {
    return this.sites.get(id);
  }
}

export function parseAnatomy(json: unknown, source: string): Anatomy {
  const parsed = anatomyFileSchema.safeParse(json);
  if (!parsed.success) throw new Error(`invalid ${source}:\n${describeZodError(parsed.error, source)}`);
  return new Anatomy(parsed.data);
}

export function loadAnatomy(path: string): Anatomy {
  return parseAnatomy(JSON.parse(readFileSync(path, 'utf8')), 'anatomy.json');
}
