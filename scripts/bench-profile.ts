/**
 * Where the time goes: CPU profiles (`node --cpu-prof`) of the core and of the server, read back through the
 * bundles' source maps so each function is named with its source file and line.
 *
 *   node --import tsx scripts/bench-profile.ts [--size BYTES] [--seconds N] [--top N]
 *
 * bundles scripts/bench-core.ts, runs `node --cpu-prof bench-core.js profile <size> <seconds>` (analyzeNote in
 * a loop on a synthetic note), writes the profile to bench-results/profiles/ (open it in Chrome DevTools or
 * VS Code) and prints the functions with the most self time and the core functions with the most total time.
 * `npm run bench -- --profile` profiles the language server the same way during the latency runs.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_ROOT, bundleBenchScript } from './bench-build';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface FunctionCost {
  /** "name source:line" (the function's own line in the TypeScript source when a source map is known). */
  name: string;
  selfMs: number;
  totalMs: number;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function decodeVlq(segment: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of segment) {
    const digit = B64.indexOf(ch);
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

/** A source map reduced to what naming a function needs: generated (line, column) -> "source:line". */
export class SourceMapLookup {
  private readonly lines: Array<Array<[number, number, number]>> = [];
  private readonly sources: string[];

  constructor(mapFile: string) {
    const map = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[]; mappings: string };
    this.sources = map.sources.map((s) => relative(BENCH_ROOT, resolve(dirname(mapFile), s)));
    let source = 0;
    let line = 0;
    for (const text of map.mappings.split(';')) {
      const segments: Array<[number, number, number]> = [];
      let column = 0;
      for (const segment of text ? text.split(',') : []) {
        const v = decodeVlq(segment);
        column += v[0]!;
        if (v.length < 4) continue;
        source += v[1]!;
        line += v[2]!;
        segments.push([column, source, line]);
      }
      this.lines.push(segments);
    }
  }

  /** 0-based generated line and column -> "source:line" (1-based), or undefined outside the map. */
  lookup(line: number, column: number): string | undefined {
    const segments = this.lines[line];
    if (!segments?.length) return undefined;
    let best = segments[0]!;
    for (const s of segments) {
      if (s[0] > column) break;
      best = s;
    }
    return `${this.sources[best[1]]}:${best[2] + 1}`;
  }
}

/** Self and total time per function, from a V8 CPU profile; `maps` names bundle frames by their source. */
export function summarizeProfile(profile: CpuProfile, maps: Record<string, SourceMapLookup> = {}): FunctionCost[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keys = new Map<number, string>();
  const key = (n: ProfileNode): string => {
    let k = keys.get(n.id);
    if (k) return k;
    const { functionName, url, lineNumber, columnNumber } = n.callFrame;
    const path = url.startsWith('file://') ? fileURLToPath(url) : url;
    const where = maps[path]?.lookup(lineNumber, columnNumber) ?? (path ? `${relative(BENCH_ROOT, path)}:${lineNumber + 1}` : '');
    k = `${functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
    keys.set(n.id, k);
    return k;
  };
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const k = key(byId.get(id)!);
    self.set(k, (self.get(k) ?? 0) + us);
    const seen = new Set<string>(); // recursion counted once per sample
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const kk = key(byId.get(cur)!);
      if (seen.has(kk)) continue;
      seen.add(kk);
      total.set(kk, (total.get(kk) ?? 0) + us);
    }
  }
  return [...total.keys()].map((name) => ({ name, selfMs: (self.get(name) ?? 0) / 1000, totalMs: total.get(name)! / 1000 }));
}

/** The profile's hot spots as text: top self time overall, top total time of Calx's own functions. */
export function formatHotSpots(costs: FunctionCost[], top = 20, own = (name: string) => name.includes('server/src/')): string {
  const idle = new Set(['(idle)', '(program)']);
  const busy = costs.filter((c) => !idle.has(c.name)).reduce((sum, c) => sum + c.selfMs, 0);
  const pct = (ms: number) => `${((100 * ms) / busy).toFixed(1).padStart(5)}%`;
  const lines = [`busy CPU time sampled: ${busy.toFixed(0)} ms`, 'self time (where the CPU is):'];
  for (const c of [...costs].filter((c) => !idle.has(c.name)).sort((a, b) => b.selfMs - a.selfMs).slice(0, top)) lines.push(`  ${pct(c.selfMs)}  ${c.name}`);
  lines.push("total time of Calx's functions (inclusive):");
  for (const c of costs.filter((c) => own(c.name)).sort((a, b) => b.totalMs - a.totalMs).slice(0, top)) lines.push(`  ${pct(c.totalMs)}  ${c.name}`);
  return lines.join('\n');
}

/** The newest .cpuprofile in `dir`. */
export function newestProfile(dir: string): string {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(dir, f));
  return files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0]!;
}

async function main() {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const size = arg('size', 51200);
  const seconds = arg('seconds', 3);
  const bundle = await bundleBenchScript('bench-core');
  const dir = join(BENCH_ROOT, 'bench-results', 'profiles', `core-${size}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const out = execFileSync(process.execPath, ['--cpu-prof', '--cpu-prof-interval', '200', '--cpu-prof-dir', dir, bundle, 'profile', String(size), String(seconds)], {
    encoding: 'utf8',
  });
  const run = JSON.parse(out) as { chars: number; runs: number; msPerRun: number };
  const file = newestProfile(dir);
  const costs = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, { [bundle]: new SourceMapLookup(`${bundle}.map`) });
  console.log(`analyzeNote on a ${run.chars}-character note: ${run.runs} runs, ${run.msPerRun.toFixed(1)} ms each (bundled, as shipped)`);
  console.log(`profile: ${relative(BENCH_ROOT, file)}`);
  console.log(formatHotSpots(costs, arg('top', 20)));
}

if (require.main === module) void main();
