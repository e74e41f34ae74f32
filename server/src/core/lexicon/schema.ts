/**
 * zod schema of a lexicon file: the concepts Calx finds in clinical notes (terms, the codes they lead to, the
 * etiologies that change those codes). The shipped `data/lexicon/calcification.json` and a team's own term files
 * use the same schema, so Calx can be taught new findings without code changes.
 *
 * Safety: a lexicon never contains regular expressions. Variants are plain phrases (letters, digits, spaces and
 * a little punctuation), bounded in length and count, so that a custom file cannot make matching slow; the matcher
 * compares normalised tokens (see `normalizePhrase`).
 *
 * Validated once, at load (`loadLexicon.ts`); the result is deeply frozen and the hot path trusts it.
 */
import { z } from 'zod';
import { CPT_CODE_PATTERN } from '../cpt/schema';
import { formatIssuePath } from '../zodIssues';
import { tokenizeWords } from '../codes/words';

/** The only schema version this code reads. */
export const LEXICON_SCHEMA_VERSION = 1;

/**
 * What kind of finding a concept is. The distinctions are the ones coders must not blur: amorphous mineral
 * (calcification) vs true bone (ossification) vs the skin/soft-tissue syndrome (calcinosis) vs a stone in a hollow
 * organ (calculus); local damage (dystrophic) vs a systemic calcium-phosphate derangement (metastatic).
 */
export const CONCEPT_CATEGORIES = [
  /** Calcium salt deposit in tissue, mechanism not stated. */
  'calcification',
  /** Deposit in damaged or necrotic tissue with normal serum calcium. */
  'dystrophic-calcification',
  /** Deposit in normal tissue driven by high calcium or phosphate. */
  'metastatic-calcification',
  /** Calcium deposits in skin and subcutaneous tissue as a clinical syndrome. */
  'calcinosis',
  /** Formation of true (lamellar) bone outside the skeleton. */
  'ossification',
  /** Crystal deposition in joints and periarticular tissue (CPPD, hydroxyapatite). */
  'crystal-deposition',
  /** Calcification of artery or vein walls. */
  'vascular-calcification',
  /** Calcification of a heart valve or its annulus. */
  'valvular-calcification',
  /** Calcification inside the skull (parenchyma, basal ganglia, pineal, meninges). */
  'intracranial-calcification',
  /** A stone (concretion) in a hollow organ or duct. */
  'calculus',
  /** A finding named by its imaging appearance (mammographic, pulmonary nodule). */
  'imaging-finding',
  /** Inherited disorder of mineralisation (pyrophosphate metabolism and similar). */
  'hereditary-mineralization-disorder',
  /** Atherosclerosis named without a calcification word, kept because calcification codes route to it. */
  'atherosclerosis',
  /** A team's own concept outside calcification (custom term files). */
  'other',
] as const;

/** Axes along which a code family's children differ; documentation must state them for a specific code. */
export const CODING_AXES = ['site', 'laterality', 'etiology'] as const;

/** How an etiology produces calcification or ossification, as the seed documents describe it. */
export const ETIOLOGY_MECHANISMS = [
  'metastatic',
  'dystrophic',
  'neurogenic',
  'post-traumatic',
  'post-surgical',
  'iatrogenic',
  'genetic',
  'idiopathic',
] as const;

/** Where a sequencing instruction comes from, so a reviewer can trace it. */
export const SEQUENCING_SOURCES = [
  /** A code-first / use-additional / code-also note of the tabular list. */
  'tabular',
  /** An etiology/manifestation pair printed in the alphabetic index (`E83.59 [N29]`). */
  'index',
  /** The ICD-10-CM Official Guidelines for Coding and Reporting. */
  'guidelines',
  /** The Calx seed documents' coding notes. */
  'seed',
  /** Curated by the lexicon's authors. */
  'curated',
] as const;

/**
 * Site ids of the anatomy vocabulary; `codeFamilies[].sites` may only name these (a custom vocabulary can be
 * passed to `createLexiconFileSchema`).
 */
export const DEFAULT_SITE_IDS = [
  'shoulder', 'upper-arm', 'elbow', 'forearm', 'wrist', 'hand', 'hip', 'thigh', 'knee', 'lower-leg', 'ankle-foot',
  'vertebrae', 'multiple-sites', 'other-site', 'aorta', 'coronary-artery', 'aortic-valve', 'mitral-valve', 'heart',
  'kidney', 'ureter', 'bladder', 'bile-duct', 'gallbladder', 'salivary-gland', 'breast', 'brain', 'basal-ganglia',
  'pineal-gland', 'lung', 'lymph-node', 'skin', 'subcutaneous', 'muscle', 'tendon', 'bursa', 'cartilage', 'artery',
  'vein', 'pelvis', 'prostate', 'pancreas', 'liver', 'spleen', 'thyroid', 'adrenal',
] as const;

/** Bounds that keep a custom file from making matching slow or hover unreadable. */
export const LEXICON_LIMITS = {
  concepts: 5000,
  etiologies: 1000,
  variantsPerEntry: 200,
  abbreviationsPerEntry: 20,
  phraseLength: 80,
  phraseTokens: 8,
  abbreviationLength: 10,
  textLength: 600,
} as const;

/** A billable or header ICD-10-CM code as the code set spells it: `M75.3`, `I25.84`, `N18`, `T84.89XA`. */
export const ICD10CM_CODE_PATTERN = /^[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?$/;

/**
 * A code or a family as tabular notes write it: `I25.84`, `I25.1-` (the code and everything below it), `N18.-`.
 */
export const ICD10CM_CODE_REF_PATTERN = /^[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4}-?|\.-)?$/;

/** Stable ids: lower-case kebab case (`calcific-tendinitis`, `ckd`). */
export const LEXICON_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * A plain phrase: words of letters, marks and digits separated by spaces, hyphens, apostrophes, periods or
 * slashes. Brackets, `*`, `?`, `|`, `\` and the like are rejected so nobody mistakes a variant for a pattern.
 */
const PHRASE_PATTERN = /^[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:[ \-'’./]+[\p{L}\p{N}][\p{L}\p{M}\p{N}]*)*[.']?$/u;

/** One token with at least one capital letter (`CAC`, `CPPD`, `SSc`, `T2DM`), matched as written. */
const ABBREVIATION_PATTERN = /^(?=[\p{L}\p{N}-]*\p{Lu})[\p{L}\p{N}][\p{L}\p{N}-]*$/u;

/**
 * The normalised form used to compare phrases: lower case, accents folded (`Mönckeberg` = `Monckeberg`), and
 * hyphens, spaces, apostrophes and other punctuation all equivalent (`pseudo-gout` = `pseudo gout`,
 * `Fahr's` = `Fahr s`). Tokens are joined by single spaces. The matcher compares note tokens the same way;
 * never use its output for offsets into a note (folding changes lengths).
 */
export function normalizePhrase(phrase: string): string {
  return tokenizeWords(phrase).join(' ');
}

const text = (max: number = LEXICON_LIMITS.textLength) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

const idSchema = z.string().regex(LEXICON_ID_PATTERN, 'must be lower-case kebab case, e.g. "calcific-tendinitis"');

const phraseSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(LEXICON_LIMITS.phraseLength, `must be at most ${LEXICON_LIMITS.phraseLength} characters`)
  .regex(PHRASE_PATTERN, 'must be a plain phrase: letters, digits, spaces, hyphens, apostrophes (no patterns)')
  .refine((s) => tokenizeWords(s).length <= LEXICON_LIMITS.phraseTokens, {
    message: `must have at most ${LEXICON_LIMITS.phraseTokens} words`,
  });

const abbreviationSchema = z
  .string()
  .max(LEXICON_LIMITS.abbreviationLength, `must be at most ${LEXICON_LIMITS.abbreviationLength} characters`)
  .regex(ABBREVIATION_PATTERN, 'must be one word with at least one capital letter, e.g. "CAC"');

const icdCodeSchema = z
  .string()
  .regex(ICD10CM_CODE_PATTERN, 'must be an ICD-10-CM code spelled as in the code set, e.g. "M75.3" or "N18"');

const icdCodeRefSchema = z
  .string()
  .regex(ICD10CM_CODE_REF_PATTERN, 'must be an ICD-10-CM code or family, e.g. "I25.84", "I25.1-" or "N18.-"');

const variantsSchema = z
  .array(phraseSchema)
  .min(1, 'must list at least one surface form')
  .max(LEXICON_LIMITS.variantsPerEntry, `must list at most ${LEXICON_LIMITS.variantsPerEntry} variants`)
  .readonly();

const abbreviationsSchema = z
  .array(abbreviationSchema)
  .max(LEXICON_LIMITS.abbreviationsPerEntry, `must list at most ${LEXICON_LIMITS.abbreviationsPerEntry} abbreviations`)
  .readonly()
  .prefault([]);

const codeRuleSchema = z
  .object({
    /**
     * The code family to report: a header (the resolver descends to a billable child by reading the official child
     * titles for side and site) or a billable code. Must exist in the loaded code set.
     */
    code: icdCodeSchema,
    /** The rule applies only when the documentation names one of these anatomy site ids. Absent: any site. */
    sites: z.array(idSchema).min(1, 'omit the field instead of listing no sites').readonly().optional(),
    /** The rule applies only when the documentation names one of these etiology ids. Absent: any etiology. */
    etiologies: z.array(idSchema).min(1, 'omit the field instead of listing no etiologies').readonly().optional(),
    /** Why this family, and what else to check (in the lexicon's own words). */
    note: text().optional(),
  })
  .strict()
  .readonly();

const sequencingSchema = z
  .object({
    /** Codes or families that must be reported before the concept's code (the underlying condition). */
    codeFirst: z.array(icdCodeRefSchema).min(1).readonly().optional(),
    /** Codes or families to report after the concept's code when documented. */
    useAdditional: z.array(icdCodeRefSchema).min(1).readonly().optional(),
    /** Codes or families to report as well, in either order, when documented. */
    codeAlso: z.array(icdCodeRefSchema).min(1).readonly().optional(),
    /** The instruction in the lexicon's own words, for hover and diagnostics. */
    note: text(),
    /** Where the instruction comes from. */
    source: z.enum(SEQUENCING_SOURCES).optional(),
  })
  .strict()
  .readonly();

const distinctionSchema = z
  .object({
    /** Id of the concept this one is confused with. */
    id: idSchema,
    /** One line: why the two must be kept apart. */
    reason: text(),
  })
  .strict()
  .readonly();

const conceptSchema = z
  .object({
    /** Stable id (kebab case); diagnostics and user settings refer to it. Unique in the file. */
    id: idSchema,
    /** The preferred term, shown in hover and completion. Display only: list it in `variants` to match it. */
    preferred: text(LEXICON_LIMITS.phraseLength),
    /**
     * Every surface form a note may use, as plain phrases: plurals, adjective forms, spelling variants, word
     * orders. Matching is token-wise and ignores case and accents; a hyphen equals a space and a hyphenated form
     * also matches the closed compound ("pseudo-gout" = "pseudo gout" = "pseudogout"), so do not list those
     * variants. No phrase may belong to two entries (after `normalizePhrase`, closed compounds included).
     */
    variants: variantsSchema,
    /**
     * Words that name the concept only to deny it, by a negating prefix ("non-calcified", "uncalcified"): a
     * match is a finding negated by its own words, never an affirmed one. Matched like variants.
     */
    negatedVariants: z
      .array(phraseSchema)
      .max(LEXICON_LIMITS.variantsPerEntry, `must list at most ${LEXICON_LIMITS.variantsPerEntry} negated variants`)
      .readonly()
      .prefault([]),
    /**
     * Short forms that are ambiguous in lower case or out of context (`MAC` is also monitored anesthesia care),
     * matched only as a whole token written exactly as here.
     */
    abbreviations: abbreviationsSchema,
    /**
     * Sites one of which the note must name for an abbreviation to count (`MAC`: the heart and its valves; in an
     * ERCP's "SEDATION: MAC" it is monitored anesthesia care). Omitted: abbreviations count anywhere.
     */
    abbreviationSites: z.array(idSchema).min(1, 'omit the field instead of listing no sites').readonly().optional(),
    /** What kind of finding this is (see `CONCEPT_CATEGORIES`). */
    category: z.enum(CONCEPT_CATEGORIES),
    /** One or two sentences for hover, in the lexicon authors' own words (never copied reference text). */
    definition: text(),
    /**
     * Alphabetic-index paths that lead to the concept, written as coders do: "Calcification, pineal gland".
     * Each must resolve in the index of the loaded code set (checked by the data tests).
     */
    indexTerms: z.array(text(200)).readonly().prefault([]),
    /**
     * Ordered rules: the first rule whose `sites` and `etiologies` conditions both hold wins (within a list, any
     * id matches). A rule without conditions is the default and must come last. Empty when the concept alone
     * never decides a code (a generic term without a site).
     */
    codeFamilies: z.array(codeRuleSchema).readonly().prefault([]),
    /**
     * What documentation must state for a specific code, derived from the official child titles of the families
     * (`M75.3` differs by side only: `["laterality"]`) and from the etiology conditions of the rules.
     */
    axes: z.array(z.enum(CODING_AXES)).readonly().prefault([]),
    /** Code-first / use-additional instructions that hold for the concept's codes. */
    sequencing: sequencingSchema.optional(),
    /** CPT codes of procedures and imaging that commonly go with the concept. */
    relatedCpt: z
      .array(z.string().regex(CPT_CODE_PATTERN, 'must be a CPT code (4 digits followed by a digit, F, T or U)'))
      .readonly()
      .prefault([]),
    /** Concepts this one is commonly confused with, each with the reason to keep them apart. */
    distinguishFrom: z.array(distinctionSchema).readonly().prefault([]),
    /**
     * For words that name a finding only once the note has said which organ ("stone", "the deposit"): see
     * findings/anaphora.ts. Such a match is a finding only when its own sentence names an organ (if
     * `sentenceSite`) or an earlier affirmed finding of one of `antecedents` (within `reach` sentences when
     * given; 0: its own sentence) has one; it then becomes that organ's concept of the first antecedent category
     * ("renal-calculus"), else `generic` at that organ where the index lists it there. `strict`: only a
     * determiner, quantifier or size word may come before it and only a verb, preposition or punctuation after
     * ("fracture fragments", "fatty deposit", "calcium carbonate" are not it).
     */
    anaphor: z
      .strictObject({
        antecedents: z.array(z.enum(CONCEPT_CATEGORIES)).min(1).readonly(),
        generic: idSchema,
        sentenceSite: z.boolean(),
        strict: z.boolean(),
        reach: z.number().int().nonnegative().optional(),
      })
      .readonly()
      .optional(),
  })
  .strict()
  .readonly();

const etiologySchema = z
  .object({
    /** Stable id (kebab case) that `codeFamilies[].etiologies` refer to. Unique in the file. */
    id: idSchema,
    /** The preferred name of the condition. */
    preferred: text(LEXICON_LIMITS.phraseLength),
    /** Surface forms that really state the condition (not a lab value that merely suggests it). */
    variants: variantsSchema,
    /** Short forms matched only as written (`ESRD`, `SHPT`). */
    abbreviations: abbreviationsSchema,
    /**
     * ICD-10-CM codes or family headers that code the etiology itself (sequenced first when it causes a metabolic
     * calcification). Empty when no code captures it (trauma, surgery) and the documentation decides.
     */
    codes: z.array(icdCodeSchema).readonly().prefault([]),
    /** How the etiology produces the deposit, when the seed documents say. */
    mechanism: z.enum(ETIOLOGY_MECHANISMS).optional(),
    /** Coding remarks about the etiology, in the lexicon authors' own words. */
    note: text().optional(),
  })
  .strict()
  .readonly();

/** Ids defined outside the file (a shipped lexicon that a custom file extends) and the anatomy vocabulary. */
export interface LexiconSchemaOptions {
  /** Site ids that rules may name; defaults to `DEFAULT_SITE_IDS`. */
  siteIds?: Iterable<string>;
  /** Etiology ids defined elsewhere that rules may name as well as the file's own. */
  externalEtiologyIds?: Iterable<string>;
  /** Concept ids defined elsewhere that `distinguishFrom` may name as well as the file's own. */
  externalConceptIds?: Iterable<string>;
}

/**
 * The whole file, with the cross-record checks that a per-field schema cannot express. They run only once the
 * shapes are valid (zod skips refinements of invalid data), so a file with both kinds of error reports the shape
 * errors first.
 */
export function createLexiconFileSchema(options: LexiconSchemaOptions = {}) {
  const siteIds = new Set<string>(options.siteIds ?? DEFAULT_SITE_IDS);
  const externalEtiologies = new Set(options.externalEtiologyIds ?? []);
  const externalConcepts = new Set(options.externalConceptIds ?? []);
  return z
    .object({
      /** Always 1 for this schema. */
      schemaVersion: z.literal(LEXICON_SCHEMA_VERSION),
      /** Short name of the lexicon, shown in logs and errors ("Calx calcification lexicon"). */
      name: text(120),
      /** What the lexicon covers and where its knowledge comes from. */
      description: text(2000),
      /** The concepts, in display order. */
      concepts: z
        .array(conceptSchema)
        .min(1, 'must define at least one concept')
        .max(LEXICON_LIMITS.concepts, `must define at most ${LEXICON_LIMITS.concepts} concepts`)
        .readonly(),
      /** Etiologies that rules may condition on; may be empty in a custom file. */
      etiologies: z
        .array(etiologySchema)
        .max(LEXICON_LIMITS.etiologies, `must define at most ${LEXICON_LIMITS.etiologies} etiologies`)
        .readonly()
        .prefault([]),
    })
    .strict()
    .superRefine((file, ctx) => {
      const conceptIds = firstIndexById(file.concepts, 'concepts', ctx);
      const etiologyIds = firstIndexById(file.etiologies, 'etiologies', ctx);
      checkPhraseClaims(file, ctx);
      file.concepts.forEach((concept, c) => {
        checkRules(concept, c, { siteIds, etiologyIds, externalEtiologies }, ctx);
        checkDistinctions(concept, c, conceptIds, externalConcepts, ctx);
        const seenAxes = new Set<string>();
        concept.axes.forEach((axis, a) => {
          if (seenAxes.has(axis)) ctx.addIssue({ code: 'custom', path: ['concepts', c, 'axes', a], message: `repeats axis "${axis}"` });
          seenAxes.add(axis);
        });
      });
    })
    .readonly();
}

/** The schema with the default anatomy vocabulary and no external ids. */
export const lexiconFileSchema = createLexiconFileSchema();

/** A validated lexicon file (deeply frozen by the `.readonly()` schemas). */
export type LexiconFile = z.infer<typeof lexiconFileSchema>;
/** One concept of a lexicon. */
export type LexiconConcept = z.infer<typeof conceptSchema>;
/** One ordered code rule of a concept. */
export type CodeRule = z.infer<typeof codeRuleSchema>;
/** Code-first / use-additional instructions of a concept. */
export type Sequencing = z.infer<typeof sequencingSchema>;
/** A "do not confuse with" entry of a concept. */
export type Distinction = z.infer<typeof distinctionSchema>;
/** One etiology of a lexicon. */
export type LexiconEtiology = z.infer<typeof etiologySchema>;
/** A concept category. */
export type ConceptCategory = (typeof CONCEPT_CATEGORIES)[number];
/** A specificity axis. */
export type CodingAxis = (typeof CODING_AXES)[number];
/** An etiology mechanism. */
export type EtiologyMechanism = (typeof ETIOLOGY_MECHANISMS)[number];

type Path = Array<string | number>;

/** Flags repeated ids at the repeat, naming the first definition; returns the set of ids. */
function firstIndexById(
  records: ReadonlyArray<{ readonly id: string }>,
  listName: 'concepts' | 'etiologies',
  ctx: z.RefinementCtx,
): Set<string> {
  const first = new Map<string, number>();
  records.forEach((record, index) => {
    const seen = first.get(record.id);
    if (seen === undefined) first.set(record.id, index);
    else {
      ctx.addIssue({
        code: 'custom',
        path: [listName, index, 'id'],
        message: `duplicate ${listName === 'concepts' ? 'concept' : 'etiology'} id "${record.id}" (first defined at ${listName}[${seen}].id)`,
      });
    }
  });
  return new Set(first.keys());
}

/**
 * The closed-compound form of a hyphenated phrase ("pseudo-gout" -> "pseudogout"), which the matcher also accepts
 * for it; undefined when the phrase has no hyphen.
 */
function closedCompound(phrase: string): string | undefined {
  if (!HYPHENS.test(phrase)) return undefined;
  return normalizePhrase(phrase.replace(HYPHENS_GLOBAL, ''));
}
const HYPHENS = /[-\u2010\u2011\u2013]/;
const HYPHENS_GLOBAL = /[-\u2010\u2011\u2013]/g;

/**
 * A phrase (variant or abbreviation, normalised) belongs to one entry only: the matcher must know which concept
 * or etiology a span is. A hyphenated phrase also claims its closed compound, which the matcher treats as the
 * same word. Repeats inside one entry are flagged too: they are case, accent or hyphen variants that the matcher
 * already treats as equal.
 */
function checkPhraseClaims(
  file: { readonly concepts: ReadonlyArray<LexiconConcept>; readonly etiologies: ReadonlyArray<LexiconEtiology> },
  ctx: z.RefinementCtx,
): void {
  const claims = new Map<string, { owner: string; path: Path; compound: boolean }>();
  const claim = (phrase: string, owner: string, path: Path) => {
    const keys = [normalizePhrase(phrase)];
    const compound = closedCompound(phrase);
    if (compound !== undefined && compound !== keys[0]) keys.push(compound);
    for (const [k, key] of keys.entries()) {
      const previous = claims.get(key);
      if (!previous) continue;
      const how =
        k > 0 ? `when written as the closed compound "${key}"` : previous.compound ? `("${key}" is its closed compound)` : `after normalisation ("${key}")`;
      const message =
        previous.owner === owner
          ? `"${phrase}" repeats ${formatIssuePath(previous.path)} ${how}; case, accent and hyphen variants are matched without being listed`
          : `"${phrase}" is already claimed by ${previous.owner} at ${formatIssuePath(previous.path)} ${how}`;
      ctx.addIssue({ code: 'custom', path, message });
      return;
    }
    keys.forEach((key, k) => claims.set(key, { owner, path, compound: k > 0 }));
  };
  const entries: Array<['concepts' | 'etiologies', ReadonlyArray<LexiconConcept | LexiconEtiology>]> = [
    ['concepts', file.concepts],
    ['etiologies', file.etiologies],
  ];
  for (const [listName, list] of entries) {
    const kind = listName === 'concepts' ? 'concept' : 'etiology';
    list.forEach((entry, e) => {
      const owner = `${kind} "${entry.id}"`;
      entry.variants.forEach((v, i) => claim(v, owner, [listName, e, 'variants', i]));
      if ('negatedVariants' in entry) entry.negatedVariants.forEach((v, i) => claim(v, owner, [listName, e, 'negatedVariants', i]));
      entry.abbreviations.forEach((v, i) => claim(v, owner, [listName, e, 'abbreviations', i]));
    });
  }
}

function checkRules(
  concept: LexiconConcept,
  c: number,
  known: { siteIds: Set<string>; etiologyIds: Set<string>; externalEtiologies: Set<string> },
  ctx: z.RefinementCtx,
): void {
  concept.abbreviationSites?.forEach((site, s) => {
    if (!known.siteIds.has(site)) {
      ctx.addIssue({ code: 'custom', path: ['concepts', c, 'abbreviationSites', s], message: `unknown site id "${site}" (not in the anatomy vocabulary)` });
    }
  });
  const rules = concept.codeFamilies;
  rules.forEach((rule, r) => {
    const base: Path = ['concepts', c, 'codeFamilies', r];
    rule.sites?.forEach((site, s) => {
      if (!known.siteIds.has(site)) {
        ctx.addIssue({ code: 'custom', path: [...base, 'sites', s], message: `unknown site id "${site}" (not in the anatomy vocabulary)` });
      }
    });
    rule.etiologies?.forEach((id, e) => {
      if (!known.etiologyIds.has(id) && !known.externalEtiologies.has(id)) {
        ctx.addIssue({ code: 'custom', path: [...base, 'etiologies', e], message: `unknown etiology id "${id}" (not defined in etiologies)` });
      }
    });
    if (!rule.sites && !rule.etiologies && r !== rules.length - 1) {
      ctx.addIssue({
        code: 'custom',
        path: [...base],
        message: `rule for ${rule.code} has no conditions, so the ${rules.length - 1 - r} rule(s) after it can never apply; move it last`,
      });
    }
  });
}

function checkDistinctions(
  concept: LexiconConcept,
  c: number,
  conceptIds: Set<string>,
  externalConcepts: Set<string>,
  ctx: z.RefinementCtx,
): void {
  if (concept.anaphor && !conceptIds.has(concept.anaphor.generic) && !externalConcepts.has(concept.anaphor.generic)) {
    ctx.addIssue({ code: 'custom', path: ['concepts', c, 'anaphor', 'generic'], message: `unknown concept id "${concept.anaphor.generic}"` });
  }
  concept.distinguishFrom.forEach((d, i) => {
    const path: Path = ['concepts', c, 'distinguishFrom', i, 'id'];
    if (d.id === concept.id) ctx.addIssue({ code: 'custom', path, message: 'a concept cannot be distinguished from itself' });
    else if (!conceptIds.has(d.id) && !externalConcepts.has(d.id)) {
      ctx.addIssue({ code: 'custom', path, message: `unknown concept id "${d.id}"` });
    }
  });
}
