/**
 * Reads the official trigger lists and Calx's additions and returns the merged, deduplicated and sorted
 * trigger records plus their provenance. Pure apart from reading the named files, so a test can rebuild
 * in memory and compare bytes with the committed data.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTEXT_SCHEMA_VERSION } from '../../server/src/core/context/schema';
import { tokenize } from '../../server/src/core/text/tokens';
import {
  CATEGORIES,
  type Category,
  cleanPhrase,
  isPhrase,
  parseLexicalKb,
  parseNegexList,
  type ParsedList,
  ROLES,
  type Role,
  type SkippedEntry,
  type TriggerRecord,
} from './triggerSources';

export { CONTEXT_SCHEMA_VERSION };

/** The official lists, in priority order: when two lists give the same trigger, the first one is named. */
const LISTS: ReadonlyArray<{ path: string; format: 'negex' | 'kb'; category?: Category }> = [
  { path: 'negex_triggers.txt', format: 'negex', category: 'negated' },
  { path: 'context_triggers/negex_triggers.txt', format: 'negex', category: 'negated' },
  { path: 'context_triggers/history_triggers.txt', format: 'negex', category: 'historical' },
  { path: 'context_triggers/hypothetical_triggers.txt', format: 'negex', category: 'hypothetical' },
  { path: 'context_triggers/experiencer_triggers.txt', format: 'negex', category: 'experiencer' },
  { path: 'lexical_kb_05042016.tsv', format: 'kb' },
];

export const ADDITIONS_SOURCE = 'calx';

export interface ContextBuildInput {
  /** Folder with the official lists and their README (../shared/data/context). */
  source: string;
  /** Calx's hand-written additions (data/context/additions.json). */
  additions: string;
}

export interface ContextBuildOutput {
  triggers: TriggerRecord[];
  provenance: Record<string, unknown>;
}

/** Key of a phrase as the matcher sees it: its tokens' normalised forms. */
export function phraseKey(phrase: string): string {
  return tokenize(phrase).toArray().map((t) => t.norm).join(' ');
}

export function buildContext({ source, additions }: ContextBuildInput): ContextBuildOutput {
  const licences = readLicences(readFileSync(join(source, 'README.md'), 'utf8'));
  const parsed: Array<{ path: string; bytes: Buffer; list: ParsedList & { expanded?: number } }> = LISTS.map((l) => {
    const bytes = readFileSync(join(source, l.path));
    const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
    const list = l.format === 'kb' ? parseLexicalKb(text, l.path) : parseNegexList(text, l.path, l.category!);
    return { path: l.path, bytes, list };
  });
  const additionsBytes = readFileSync(additions);
  const calx = parseAdditions(additionsBytes.toString('utf8'));

  // Deduplicate on what the matcher sees (tokens, category, role); the first list in LISTS order is named.
  const byKey = new Map<string, TriggerRecord>();
  let duplicates = 0;
  for (const { list } of parsed) {
    for (const r of list.records) {
      const key = recordKey(r);
      const seen = byKey.get(key);
      if (!seen) byKey.set(key, r);
      else {
        duplicates++;
        // Two spellings of one token sequence ("history, physical" / "history ,physical"): keep the first in code-point order.
        if (seen.source === r.source && r.phrase < seen.phrase) byKey.set(key, r);
      }
    }
  }
  const redundantAdditions: TriggerRecord[] = [];
  for (const r of calx.triggers) {
    const key = recordKey(r);
    if (byKey.has(key)) redundantAdditions.push(r);
    else byKey.set(key, r);
  }
  const conflicts = resolveConflicts(byKey, [...LISTS.map((l) => l.path), ADDITIONS_SOURCE]);

  const excluded: Array<TriggerRecord & { reason: string }> = [];
  for (const x of calx.exclusions) {
    const key = recordKey({ ...x, source: '' });
    const found = byKey.get(key);
    if (!found) throw new Error(`additions.json: exclusion ${x.phrase} / ${x.category} / ${x.role} matches no trigger`);
    byKey.delete(key);
    excluded.push({ ...found, reason: x.reason });
  }

  const triggers = [...byKey.values()].sort(compareRecords);
  const skipped: SkippedEntry[] = parsed.flatMap((p) => p.list.skipped);

  const count = (records: TriggerRecord[], field: 'category' | 'role' | 'source') => {
    const counts: Record<string, number> = {};
    for (const r of records) counts[r[field]] = (counts[r[field]] ?? 0) + 1;
    return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => cmp(a, b)));
  };
  const byCategoryAndRole: Record<string, Record<string, number>> = {};
  for (const c of CATEGORIES) {
    const row: Record<string, number> = {};
    for (const role of ROLES) row[role] = triggers.filter((t) => t.category === c && t.role === role).length;
    byCategoryAndRole[c] = row;
  }

  const provenance = {
    schemaVersion: CONTEXT_SCHEMA_VERSION,
    about: [
      'Context triggers (negation, uncertainty, hypothetical, historical, other experiencer) derived from the',
      'NegEx / ConText / pyConTextNLP lists of the Chapman lab, plus Calx additions and exclusions.',
      'Regexes of the pyConTextNLP lexicon are expanded into plain phrases; entries that cannot be expanded are',
      'skipped and listed below, as are the conflicts between lists and how they were resolved.',
    ].join(' '),
    sources: [
      ...parsed.map((p) => ({
        path: p.path,
        upstream: licences.get(p.path)?.upstream ?? '',
        licence: licences.get(p.path)?.licence ?? '',
        bytes: p.bytes.length,
        sha256: sha256(p.bytes),
        records: p.list.records.length,
        ...(p.list.expanded !== undefined ? { entriesExpandedFromPatterns: p.list.expanded } : {}),
        skipped: p.list.skipped.length,
      })),
      {
        path: 'data/context/additions.json',
        upstream: 'Calx (hand-written)',
        licence: 'as Calx',
        bytes: additionsBytes.length,
        sha256: sha256(additionsBytes),
        records: calx.triggers.length,
        exclusions: calx.exclusions.length,
        skipped: 0,
      },
    ],
    counts: {
      triggers: triggers.length,
      byCategory: count(triggers, 'category'),
      byRole: count(triggers, 'role'),
      byCategoryAndRole,
      bySource: count(triggers, 'source'),
      duplicatesMerged: duplicates,
      skipped: skipped.length,
      conflictsResolved: conflicts.length,
      excluded: excluded.length,
      redundantAdditions: redundantAdditions.length,
    },
    skipped,
    conflictsResolved: conflicts,
    excluded: excluded.map(({ phrase, category, role, source, reason }) => ({ phrase, category, role, source, reason: calx.reasons[reason] ?? reason })),
    redundantAdditions,
  };
  return { triggers, provenance };
}

function recordKey(r: TriggerRecord): string {
  return `${phraseKey(r.phrase)}\u0000${r.category}\u0000${r.role}`;
}

/** Negation and uncertainty are one axis (NegEx keeps them in one list); the others are their own. */
export function axisOf(category: Category): string {
  return category === 'uncertain' ? 'negated' : category;
}

interface Conflict {
  phrase: string;
  kept: string[];
  dropped: string[];
}

/**
 * When the lists disagree about a phrase on one axis (negated in one, uncertain in another; a trigger in
 * one, a pseudo-trigger in another), the list earlier in `priority` decides and the other records of that
 * phrase and axis are dropped: e.g. NegEx's "cannot" (negated) over pyConTextNLP's (ambivalent), NegEx's
 * "must be ruled out" (possible) over pyConTextNLP's (negated). Terminators never conflict, and roles of
 * one category add up ("not": NegEx forward, pyConTextNLP both ways).
 */
function resolveConflicts(byKey: Map<string, TriggerRecord>, priority: readonly string[]): Conflict[] {
  const groups = new Map<string, Array<[string, TriggerRecord]>>();
  for (const [key, r] of byKey) {
    if (r.role === 'terminate') continue;
    const group = `${phraseKey(r.phrase)}\u0000${axisOf(r.category)}`;
    groups.set(group, [...(groups.get(group) ?? []), [key, r]]);
  }
  const conflicts: Conflict[] = [];
  const describe = (r: TriggerRecord) => `${r.category}/${r.role} (${r.source})`;
  for (const records of groups.values()) {
    const categories = new Set(records.map(([, r]) => r.category));
    const pseudo = records.filter(([, r]) => r.role === 'pseudo').length;
    if (categories.size === 1 && (pseudo === 0 || pseudo === records.length)) continue;
    const rank = (r: TriggerRecord) => priority.indexOf(r.source);
    const decider = records.map(([, r]) => r).sort((a, b) => rank(a) - rank(b))[0]!.source;
    const kept = records.filter(([, r]) => r.source === decider);
    const dropped = records.filter(([, r]) => r.source !== decider);
    for (const [key] of dropped) byKey.delete(key);
    conflicts.push({
      phrase: kept[0]![1].phrase,
      kept: kept.map(([, r]) => describe(r)).sort(cmp),
      dropped: dropped.map(([, r]) => describe(r)).sort(cmp),
    });
  }
  return conflicts.sort((a, b) => cmp(a.phrase, b.phrase));
}

/** Sorted by phrase (code-point order), then category, then role, then source. */
function compareRecords(a: TriggerRecord, b: TriggerRecord): number {
  return cmp(a.phrase, b.phrase) || cmp(a.category, b.category) || cmp(a.role, b.role) || cmp(a.source, b.source);
}

/** Code-point comparison: unlike localeCompare, the same on every machine. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The README's table: `| \`file\` | what | source | licence |`. A list named by its folder pattern
 * ("context_triggers/*_triggers.txt") covers every file there; "as above" repeats the previous licence.
 */
function readLicences(readme: string): Map<string, { upstream: string; licence: string }> {
  const rows: Array<{ pattern: RegExp; upstream: string; licence: string }> = [];
  for (const line of readme.split(/\r?\n/)) {
    const cells = line.split('|').map((c) => c.trim());
    const file = /^`([^`]+)`$/.exec(cells[1] ?? '');
    if (!file || cells.length < 6) continue;
    const previous = rows[rows.length - 1];
    const licence = /^as above$/i.test(cells[4]!) && previous ? previous.licence : cells[4]!;
    const glob = file[1]!.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*');
    rows.push({ pattern: new RegExp(`^${glob}$`), upstream: cells[3]!.replace(/`/g, ''), licence });
  }
  const out = new Map<string, { upstream: string; licence: string }>();
  for (const l of LISTS) {
    const row = rows.find((r) => r.pattern.test(l.path));
    if (!row) throw new Error(`README.md states no source or licence for ${l.path}`);
    out.set(l.path, { upstream: row.upstream, licence: row.licence });
  }
  return out;
}

interface Additions {
  triggers: TriggerRecord[];
  exclusions: Array<{ phrase: string; category: Category; role: Role; reason: string }>;
  reasons: Record<string, string>;
}

/**
 * additions.json: `{ about, triggers: [{ phrase, category, role, source: "calx" }], exclusions: [{ phrase,
 * category, role, reason }], reasons: { id: text } }`. Hand-written, so every mistake names its place.
 */
function parseAdditions(text: string): Additions {
  const json = JSON.parse(text) as { triggers?: unknown; exclusions?: unknown; reasons?: unknown };
  if (!Array.isArray(json.triggers)) throw new Error('additions.json: "triggers" must be an array');
  const exclusionsJson = json.exclusions ?? [];
  if (!Array.isArray(exclusionsJson)) throw new Error('additions.json: "exclusions" must be an array');
  const reasons = (json.reasons ?? {}) as Record<string, string>;
  const check = (t: unknown, where: string) => {
    const r = t as Partial<TriggerRecord>;
    if (typeof r.phrase !== 'string' || !isPhrase(r.phrase) || cleanPhrase(r.phrase) !== r.phrase) {
      throw new Error(`${where}: phrase must be a plain lower-case phrase`);
    }
    if (!CATEGORIES.includes(r.category as Category)) throw new Error(`${where}: unknown category ${String(r.category)}`);
    if (!ROLES.includes(r.role as Role)) throw new Error(`${where}: unknown role ${String(r.role)}`);
    return { phrase: r.phrase, category: r.category as Category, role: r.role as Role };
  };
  const triggers = json.triggers.map((t: unknown, i: number) => {
    const where = `additions.json: triggers[${i}]`;
    if ((t as TriggerRecord).source !== ADDITIONS_SOURCE) throw new Error(`${where}: source must be "${ADDITIONS_SOURCE}"`);
    return { ...check(t, where), source: ADDITIONS_SOURCE };
  });
  const exclusions = exclusionsJson.map((t: unknown, i: number) => {
    const where = `additions.json: exclusions[${i}]`;
    const reason = (t as { reason?: unknown }).reason;
    if (typeof reason !== 'string' || !(reason in reasons)) throw new Error(`${where}: reason must name an entry of "reasons"`);
    return { ...check(t, where), reason };
  });
  return { triggers, exclusions, reasons };
}
