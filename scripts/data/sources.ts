import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** One official release file found in the source folder. */
export interface SourceFile {
  kind: 'codes' | 'order' | 'order-addenda' | 'tabular' | 'index' | 'eindex' | 'neoplasm' | 'drug';
  /** Path relative to the source folder, with forward slashes (never an absolute path: it is committed). */
  path: string;
  /** The fiscal year the file belongs to (an April 1 update belongs to the fiscal year it falls in). */
  fiscalYear: number;
  /** True for an April 1 update, which supersedes the October release of the same fiscal year. */
  april: boolean;
  bytes: number;
  sha256: string;
  /** Absolute path, used to read the file; not written to the generated data. */
  absolute: string;
}

const PATTERNS: Array<[SourceFile['kind'], RegExp]> = [
  ['order-addenda', /^icd10cm_order_addenda_(\d{4})\.txt$/i],
  ['codes', /^icd10cm[-_]codes[-_](april[-_]1[-_])?(\d{4})\.txt(\.gz)?$/i],
  ['order', /^icd10cm[-_]order[-_](april[-_]1[-_])?(\d{4})\.txt(\.gz)?$/i],
  ['tabular', /^icd10cm?[-_]tabular[-_](april[-_]1[-_])?(\d{4})\.xml(\.gz)?$/i],
  ['eindex', /^icd10cm[-_]eindex[-_](april[-_]1[-_])?(\d{4})(-XML)?\.xml(\.gz)?$/i],
  ['neoplasm', /^icd10cm[-_]neoplasm[-_](april[-_]1[-_])?(\d{4})(-XML)?\.xml(\.gz)?$/i],
  ['drug', /^icd10cm[-_]drug[-_](april[-_]1[-_])?(\d{4})(-XML)?\.xml(\.gz)?$/i],
  ['index', /^icd10cm[-_]index[-_](april[-_]1[-_])?(\d{4})(-XML)?\.xml(\.gz)?$/i],
];

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) yield* walk(full);
    else yield full;
  }
}

/** Finds every recognised release file below `root`, whatever its subfolder. */
export function discoverSources(root: string): SourceFile[] {
  const found: SourceFile[] = [];
  for (const absolute of walk(root)) {
    const name = absolute.slice(absolute.lastIndexOf('/') + 1);
    for (const [kind, re] of PATTERNS) {
      const m = re.exec(name);
      if (!m) continue;
      const april = kind !== 'order-addenda' && m[1] !== undefined;
      const year = Number(kind === 'order-addenda' ? m[1] : m[2]);
      const raw = readFileSync(absolute);
      found.push({
        kind,
        path: relative(root, absolute).split('\\').join('/'),
        fiscalYear: year,
        april,
        bytes: raw.length,
        sha256: createHash('sha256').update(raw).digest('hex'),
        absolute,
      });
      break;
    }
  }
  return found;
}

/** The newest file of a kind (April update over October release), optionally at most `maxYear`. */
export function newest(sources: SourceFile[], kind: SourceFile['kind'], maxYear = Infinity): SourceFile | undefined {
  return sources
    .filter((s) => s.kind === kind && s.fiscalYear <= maxYear)
    .sort((a, b) => b.fiscalYear - a.fiscalYear || Number(b.april) - Number(a.april) || a.path.localeCompare(b.path))[0];
}

/** Reads a source as text, gunzipping `.gz` files; strips a UTF-8 BOM. */
export function readSourceText(source: SourceFile): string {
  const raw = readFileSync(source.absolute);
  const bytes = source.path.endsWith('.gz') ? gunzipSync(raw) : raw;
  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}
