/**
 * The `calx.*` settings, validated with zod. An invalid value is reported once, by path, and replaced by
 * its default; the rest of the settings still apply.
 */
import { z } from 'zod';
import { RULE_IDS } from '../core/rules';
import type { SeveritySetting } from '../core/rules/types';
import { formatBytes } from '../core/inputGuard';
import { formatIssuePath } from '../core/zodIssues';

/**
 * The most `calx.maxFileSize` may be, whatever the user or a workspace sets: 16 MiB, eight times the default.
 * A workspace's settings file could otherwise make every note of any size go through analysis.
 */
export const MAX_FILE_SIZE_CEILING = 16 * 1024 * 1024;
/** How many unknown rule ids a message names before "and N more" (5,000 of them made 5,000 pop-ups). */
const MAX_LISTED_RULE_IDS = 10;
/** An unknown id is quoted up to this many characters: the settings file is the user's, but not a message's worth. */
const MAX_QUOTED_ID_LENGTH = 60;

const severity = z.enum(['error', 'warning', 'information', 'hint', 'off']);

export const settingsSchema = z.object({
  /** Severity per rule id ("off" disables the rule). */
  rules: z.record(z.string(), severity).default({}),
  cpt: z
    .object({
      /** Path of a licensed CPT descriptor file (CSV/TSV); empty for Calx's own summaries. */
      descriptorFile: z.string().default(''),
    })
    .default({ descriptorFile: '' }),
  terms: z
    .object({
      /** Path of a custom term file (the lexicon schema) whose concepts are added to Calx's. */
      file: z.string().default(''),
    })
    .default({ file: '' }),
  /**
   * Notes larger than this many UTF-8 bytes are not analysed (one message says so); unset: DEFAULT_MAX_FILE_SIZE
   * (2 MiB). Above MAX_FILE_SIZE_CEILING it is lowered to the ceiling, with one message.
   */
  maxFileSize: z.number().int().min(1024).optional(),
});

export type CalxSettings = z.infer<typeof settingsSchema>;
export const DEFAULT_SETTINGS: CalxSettings = settingsSchema.parse({});

export interface SettingsResult {
  settings: CalxSettings;
  /** One line per invalid value, e.g. `calx.rules.header-code: expected one of ...; using the default`. */
  problems: string[];
}

/** Validates raw settings; invalid parts fall back to their defaults, one problem line each. */
export function readSettings(raw: unknown): SettingsResult {
  const problems: string[] = [];
  // A deep copy: invalid values are deleted from it, never from the caller's object.
  const input = raw && typeof raw === 'object' ? (structuredClone(raw) as Record<string, unknown>) : {};
  if (raw !== undefined && raw !== null && typeof raw !== 'object') {
    problems.push('calx: expected an object of settings; using the defaults');
  }
  let parsed = settingsSchema.safeParse(input);
  // Drop each offending value (the deepest key of its path) and parse again, so one bad entry does not
  // cost the others.
  for (let attempt = 0; !parsed.success && attempt < 20; attempt++) {
    for (const issue of parsed.error.issues) {
      problems.push(`calx.${formatIssuePath(issue.path)}: ${issue.message}; using the default`);
      deletePath(input, issue.path);
    }
    parsed = settingsSchema.safeParse(input);
  }
  let settings = parsed.success ? parsed.data : DEFAULT_SETTINGS;
  if (settings.maxFileSize !== undefined && settings.maxFileSize > MAX_FILE_SIZE_CEILING) {
    problems.push(
      `calx.maxFileSize: ${formatBytes(settings.maxFileSize)} is over the ceiling of ${formatBytes(MAX_FILE_SIZE_CEILING)}; using the ceiling`,
    );
    settings = { ...settings, maxFileSize: MAX_FILE_SIZE_CEILING };
  }
  const unknown = Object.keys(settings.rules).filter((id) => !RULE_IDS.includes(id));
  if (unknown.length > 0) problems.push(unknownRuleIds(unknown));
  return { settings, problems };
}

/** One line for every unknown rule id, however many: the first few named, then "and N more". */
function unknownRuleIds(ids: string[]): string {
  const quoted = (id: string) => JSON.stringify(id.length > MAX_QUOTED_ID_LENGTH ? `${id.slice(0, MAX_QUOTED_ID_LENGTH)}…` : id);
  const listed = ids.slice(0, MAX_LISTED_RULE_IDS).map(quoted).join(', ');
  const more = ids.length > MAX_LISTED_RULE_IDS ? ` and ${ids.length - MAX_LISTED_RULE_IDS} more` : '';
  const what = ids.length === 1 ? 'no rule has the id' : `no rule has these ${ids.length} ids:`;
  return `calx.rules: ${what} ${listed}${more} (known: ${RULE_IDS.join(', ')})`;
}

export function severities(settings: CalxSettings): Record<string, SeveritySetting> {
  return settings.rules;
}

function deletePath(target: Record<string, unknown>, path: ReadonlyArray<PropertyKey>): void {
  if (path.length === 0) return;
  let node: unknown = target;
  for (const key of path.slice(0, -1)) {
    if (!node || typeof node !== 'object') return;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  if (node && typeof node === 'object') delete (node as Record<PropertyKey, unknown>)[path[path.length - 1]!];
}
