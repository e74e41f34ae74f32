/**
 * The anatomy and laterality vocabulary (data/lexicon/anatomy.json), validated once with zod and compiled
 * into phrase matchers.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { describeZodError } from '../codes/schema';
import { PhraseMatcher } from '../text/phraseMatcher';
import { IndexCoverage, indexCoverageFileSchema, type IndexCoverageFile } from './indexCoverage';

/** The generated index coverage beside anatomy.json (scripts/build-index-coverage.ts). */
export const INDEX_COVERAGE_FILE = 'index-coverage.json';

export const SIDES = ['right', 'left', 'bilateral'] as const;
/** Endings of the adjectives a place is named by ("renal", "hilar", "splenic", "iliac", "carotid", "pulmonary"). */
export const ADJECTIVE_ENDING = /(?:al|ar|ic|ac|ary|id|ous)$/;
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
            /** A region of a larger site ("spine-lumbar" of the vertebrae): a finding placed at the larger site takes the region its sentence names. */
            partOf: z.string().regex(/^[a-z][a-z0-9-]*$/).optional(),
            /** Phrases ICD-10-CM titles use for the site ("ankle and foot"), most specific first. */
            titleTerms: z.array(phrase).min(1),
            /** Operations that remove the whole organ ("cholecystectomy"): its findings after one are historical. */
            removedBy: z.array(phrase).optional(),
            /** What notes write for it ("supraspinatus" -> shoulder). */
            variants: z.array(phrase),
            /** Vessels named for the place they run in, as notes write them with "artery" ("popliteal artery" -> knee): a vessel's finding there lies in that place (a limb's, I70.20-). Matched only within a vessel the note names. */
            vessels: z.array(phrase).optional(),
            /** Short forms matched only as written, one token each ("AV", "LAD", "L5"): "av" or "lad" in prose is no site. */
            abbreviations: z.array(z.string().regex(/^[A-Z][A-Z0-9]{1,9}$/, 'must be capitals and digits, e.g. "LAD"')).optional(),
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
  /** Every phrase that names a side ("right", "left-sided", "both"). */
  readonly sidePhrases: readonly string[];
  /** The operations that remove an organ, to the organ's site id. */
  readonly removalMatcher: PhraseMatcher<string>;
  /** The vessels named for a place ("popliteal artery"), to the place's site id. */
  readonly vesselMatcher: PhraseMatcher<string>;

  /** The alphabetic index's codes by main term and site (empty without the generated coverage). */
  readonly indexCoverage: IndexCoverage;

  /**
   * `coverage`: the generated index coverage, whose sites join the hand-written ones. A hand-written site with
   * the same id wins; a generated site's phrases come first, so a part the index codes apart from the larger
   * site it was folded into ("pleural": J94.8, not the lung's J98.4) is matched as itself.
   */
  constructor(file: AnatomyFile, coverage?: IndexCoverageFile) {
    const handIds = new Set(file.sites.map((s) => s.id));
    const generated: Site[] = (coverage?.sites ?? []).filter((s) => !handIds.has(s.id)).map(({ from: _from, ...site }) => site);
    const sites: Site[] = [...generated, ...file.sites];
    this.sites = new Map(sites.map((s) => [s.id, s]));
    this.indexCoverage = new IndexCoverage(coverage);
    this.siteMatcher = new PhraseMatcher(
      [
        ...sites.flatMap((s) => s.variants.map((p) => ({ phrase: p, value: s.id }))),
        ...(coverage?.siteVariants ?? []).filter((v) => this.sites.has(v.site)).flatMap((v) => v.variants.map((p) => ({ phrase: p, value: v.site }))),
      ],
      file.sites.flatMap((s) => (s.abbreviations ?? []).map((p) => ({ phrase: p, value: s.id }))),
    );
    this.removalMatcher = new PhraseMatcher(file.sites.flatMap((s) => (s.removedBy ?? []).map((p) => ({ phrase: p, value: s.id }))));
    this.vesselMatcher = new PhraseMatcher(file.sites.flatMap((s) => (s.vessels ?? []).map((p) => ({ phrase: p, value: s.id }))));
    this.sidePhrases = file.laterality.flatMap((l) => l.variants);
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

  /** Whether some site is a region of `id` (the vertebrae: the spinal regions). */
  hasParts(id: string): boolean {
    return (this.wholes ??= new Set([...this.sites.values()].flatMap((s) => (s.partOf ? [s.partOf] : [])))).has(id);
  }
  private wholes: Set<string> | undefined;

  /** Whether `id` is `whole` or one of its regions. */
  within(id: string, whole: string): boolean {
    return id === whole || this.sites.get(id)?.partOf === whole;
  }
}

export function parseAnatomy(json: unknown, source: string, coverageJson?: unknown): Anatomy {
  const parsed = anatomyFileSchema.safeParse(json);
  if (!parsed.success) throw new Error(`invalid ${source}:\n${describeZodError(parsed.error, source)}`);
  if (coverageJson === undefined) return new Anatomy(parsed.data);
  const coverage = indexCoverageFileSchema.safeParse(coverageJson);
  if (!coverage.success) throw new Error(`invalid ${INDEX_COVERAGE_FILE}:\n${describeZodError(coverage.error, INDEX_COVERAGE_FILE)}`);
  return new Anatomy(parsed.data, coverage.data);
}

/** anatomy.json, with the generated index coverage beside it when there is one. */
export function loadAnatomy(path: string): Anatomy {
  const coveragePath = join(dirname(path), INDEX_COVERAGE_FILE);
  const coverage = existsSync(coveragePath) ? JSON.parse(readFileSync(coveragePath, 'utf8')) : undefined;
  return parseAnatomy(JSON.parse(readFileSync(path, 'utf8')), 'anatomy.json', coverage);
}
