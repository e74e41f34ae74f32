/**
 * npx tsx scripts/build-context.ts [--source DIR] [--out DIR] [--additions FILE]
 *
 * Rebuilds data/context/triggers.json and provenance.json from the NegEx / ConText / pyConTextNLP trigger
 * lists (default ../shared/data/context) and Calx's hand-written data/context/additions.json.
 * Deterministic: the same sources give the same bytes (sorted, no timestamps, relative paths), so a test
 * can compare a rebuild with what is committed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildContext, CONTEXT_SCHEMA_VERSION } from './context/buildContext';
import { stringifyLines } from './data/jsonLines';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface ContextBuildOptions {
  source: string;
  out: string;
  additions: string;
  log?: (line: string) => void;
}

/** The two files' text, as written by `writeContextData` (exported for the reproducibility test). */
export function renderContextData(source: string, additions: string): { 'triggers.json': string; 'provenance.json': string } {
  const { triggers, provenance } = buildContext({ source, additions });
  return {
    'triggers.json': stringifyLines({ schemaVersion: CONTEXT_SCHEMA_VERSION, triggers }, ['triggers']),
    'provenance.json': `${JSON.stringify(provenance, null, 2)}\n`,
  };
}

export function writeContextData({ source, out, additions, log = () => {} }: ContextBuildOptions): void {
  const files = renderContextData(source, additions);
  mkdirSync(out, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(out, name), text);
  const counts = (JSON.parse(files['provenance.json']) as { counts: Record<string, unknown> }).counts;
  log(`${String(counts.triggers)} triggers, ${String(counts.skipped)} source entries skipped; wrote ${out}`);
}

function parseArgs(argv: string[]): { source: string; out: string; additions: string } {
  const args = {
    source: resolve(ROOT, '..', 'shared', 'data', 'context'),
    out: join(ROOT, 'data', 'context'),
    additions: join(ROOT, 'data', 'context', 'additions.json'),
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2);
    const value = inline ?? argv[++i];
    if (flag === '--source' && value) args.source = resolve(value);
    else if (flag === '--out' && value) args.out = resolve(value);
    else if (flag === '--additions' && value) args.additions = resolve(value);
    else throw new Error(`usage: build-context [--source DIR] [--out DIR] [--additions FILE] (got ${argv.join(' ')})`);
  }
  return args;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    writeContextData({ ...parseArgs(process.argv.slice(2)), log: (line) => console.log(line) });
  } catch (e) {
    console.error(`build-context failed: ${(e as Error).message}`);
    process.exit(1);
  }
}
