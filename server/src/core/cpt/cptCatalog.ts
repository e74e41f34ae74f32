/**
 * The CPT code catalog: Calx's curated codes, optionally overlaid with official descriptors from a user's licensed
 * file. Built once from validated data; lookups are plain map reads and never re-validate.
 */
import { curatedCptFileSchema, formatIssues } from './schema';
import type { CuratedCptCode, CuratedCptFile, CuratedCptModifier } from './schema';

/** Which text a lookup shows: Calx's own summary, or the official descriptor from the user's licensed file. */
export type CptTextSource = 'calx-summary' | 'licensed-file';

/** The answer to a code lookup. */
export interface CptLookup {
  /** The CPT code as stored (e.g. `23000`). */
  readonly code: string;
  /** The text to display: the licensed descriptor when the user supplied one, otherwise Calx's summary. */
  readonly text: string;
  /** Where `text` came from; a UI must label licensed text as such and never log it. */
  readonly textSource: CptTextSource;
  /** Calx's curated record (category, relevance, notes), absent for codes known only from the licensed file. */
  readonly curated?: CuratedCptCode;
}

export class CptCatalog {
  /** Every lookup answer, precomputed so `get` allocates nothing on the hot path. */
  private readonly lookups: ReadonlyMap<string, CptLookup>;
  private readonly sortedCodes: readonly string[];

  private constructor(
    private readonly curated: CuratedCptFile,
    private readonly curatedByCode: ReadonlyMap<string, CuratedCptCode>,
    private readonly modifiersByCode: ReadonlyMap<string, CuratedCptModifier>,
    private readonly licensed: ReadonlyMap<string, string>,
  ) {
    this.lookups = buildLookups(curatedByCode, licensed);
    this.sortedCodes = Object.freeze([...this.lookups.keys()].sort());
  }

  /**
   * Validates the curated file once. Throws an Error listing every issue as `json.path: message`, because a bad
   * shipped data file is a build defect that must not be papered over.
   */
  static fromJson(json: unknown): CptCatalog {
    const result = curatedCptFileSchema.safeParse(json);
    if (!result.success) {
      throw new Error(`Invalid curated CPT data:\n${formatIssues(result.error.issues)}`);
    }
    return CptCatalog.fromValidated(result.data);
  }

  private static fromValidated(data: CuratedCptFile, licensed: ReadonlyMap<string, string> = new Map()): CptCatalog {
    const curatedByCode = new Map(data.codes.map((entry) => [entry.code, entry] as const));
    const modifiersByCode = new Map(data.modifiers.map((entry) => [entry.code, entry] as const));
    return new CptCatalog(data, curatedByCode, modifiersByCode, licensed);
  }

  /**
   * A new catalog whose lookups prefer the given licensed descriptors (as returned by `parseCptDescriptorFile`).
   * Replaces, not merges with, descriptors attached earlier: the user names one file at a time. The map is copied
   * so later changes by the caller cannot reach the catalog.
   */
  withLicensedDescriptors(entries: ReadonlyMap<string, string>): CptCatalog {
    return new CptCatalog(this.curated, this.curatedByCode, this.modifiersByCode, new Map(entries));
  }

  /** The lookup for a code (surrounding spaces and letter case ignored), or `undefined` when Calx does not know it. */
  get(code: string): CptLookup | undefined {
    return this.lookups.get(normaliseCode(code));
  }

  /** Whether the code is curated or present in the licensed file. */
  isKnown(code: string): boolean {
    return this.lookups.has(normaliseCode(code));
  }

  /** The curated modifier (e.g. `RT`, `rt`, `22`), or `undefined`. */
  modifier(code: string): CuratedCptModifier | undefined {
    return this.modifiersByCode.get(normaliseCode(code));
  }

  /** Every known code (curated and licensed), sorted; the same frozen array on every call. */
  codes(): readonly string[] {
    return this.sortedCodes;
  }

  /** The curated file's provenance and licence statement. */
  get meta(): CuratedCptFile['meta'] {
    return this.curated.meta;
  }

  /** Whether a licensed descriptor file is attached (so the UI can say where texts come from). */
  get hasLicensedDescriptors(): boolean {
    return this.licensed.size > 0;
  }
}

/** Codes and modifiers are ASCII, so upper-casing cannot change lengths that matter here. */
function normaliseCode(code: string): string {
  return code.trim().toUpperCase();
}

function buildLookups(
  curatedByCode: ReadonlyMap<string, CuratedCptCode>,
  licensed: ReadonlyMap<string, string>,
): ReadonlyMap<string, CptLookup> {
  const lookups = new Map<string, CptLookup>();
  for (const [code, entry] of curatedByCode) {
    const licensedText = licensed.get(code);
    const lookup: CptLookup =
      licensedText === undefined
        ? { code, text: entry.summary, textSource: 'calx-summary', curated: entry }
        : { code, text: licensedText, textSource: 'licensed-file', curated: entry };
    lookups.set(code, Object.freeze(lookup));
  }
  for (const [code, text] of licensed) {
    if (!lookups.has(code)) lookups.set(code, Object.freeze({ code, text, textSource: 'licensed-file' } as const));
  }
  return lookups;
}
