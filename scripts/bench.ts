/**
 * npm run bench: data load and server cold start, each in fresh processes, medians of several runs.
 * Writes bench-results/bench.json and prints a table. Figures depend on the machine: they are noted.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { TestClient } from '../test/support/lspClient';

const ROOT = join(__dirname, '..');
const RUNS = Number(process.env.CALX_BENCH_RUNS ?? 7);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

function dataLoad() {
  const runs = Array.from({ length: RUNS }, () =>
    JSON.parse(
      execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(ROOT, 'scripts', 'bench-load.ts')], {
        cwd: ROOT,
        encoding: 'utf8',
      }),
    ) as Record<string, number>,
  );
  const keys = Object.keys(runs[0]!);
  return Object.fromEntries(keys.map((k) => [k, median(runs.map((r) => r[k]!))]));
}

async function coldStart() {
  const note = 'ASSESSMENT: Calcific tendinitis of shoulder, M75.3; T52.8X1A; M75.31.\n';
  const initialize: number[] = [];
  const firstDiagnostics: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const client = new TestClient();
    await client.initialize();
    initialize.push(performance.now() - t0);
    const uri = `file:///bench/${i}.txt`;
    const published = client.nextDiagnostics(uri, 1);
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'plaintext', version: 1, text: note },
    });
    await published;
    firstDiagnostics.push(performance.now() - t0);
    await client.stop();
  }
  return { spawnToInitializeMs: median(initialize), spawnToFirstDiagnosticsMs: median(firstDiagnostics) };
}

async function main() {
  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGb: Math.round(totalmem() / 1e9), node: process.version };
  const load = dataLoad();
  const start = await coldStart();
  const results = { machine, runs: RUNS, dataLoad: load, serverColdStart: start };
  mkdirSync(join(ROOT, 'bench-results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench-results', 'bench.json'), `${JSON.stringify(results, null, 2)}\n`);
  const rows: Array<[string, string]> = [
    ['code set load (codes, notes, changes, CPT; zod-validated)', `${load.codeLoadMs!.toFixed(0)} ms`],
    ['alphabetic index load (lazy; zod-validated)', `${load.indexLoadMs!.toFixed(0)} ms`],
    ['word index build (lazy, first word search)', `${load.wordIndexMs!.toFixed(0)} ms`],
    ['heap: code set', `${load.heapCodesMb!.toFixed(1)} MB`],
    ['heap: + alphabetic index', `${load.heapWithIndexMb!.toFixed(1)} MB`],
    ['heap: + word index', `${load.heapWithWordIndexMb!.toFixed(1)} MB`],
    ['RSS with everything loaded', `${load.rssMb!.toFixed(0)} MB`],
    ['server spawn -> initialize result', `${start.spawnToInitializeMs.toFixed(0)} ms`],
    ['server spawn -> first diagnostics', `${start.spawnToFirstDiagnosticsMs.toFixed(0)} ms`],
  ];
  console.log(`Calx bench: medians of ${RUNS} fresh processes; ${machine.cores} cores, ${machine.cpu}, Node ${machine.node}`);
  const width = Math.max(...rows.map((r) => r[0].length));
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v.padStart(9)}`);
  console.log('written to bench-results/bench.json');
}

void main();
