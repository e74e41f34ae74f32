/**
 * Bundles the benchmark's child scripts with esbuild, the way scripts/bundle.mjs bundles the server and CLI,
 * so the core is measured as it ships (tsx's per-file transform adds `__name` helpers in hot closures and
 * would make the core look slower than it is). Output: bench-results/.build/<name>.js with a source map,
 * which scripts/bench-profile.ts uses to name the source lines of a CPU profile.
 */
import { build } from 'esbuild';
import { join } from 'node:path';
// @ts-expect-error -- a plain .mjs module shared with scripts/bundle.mjs, no type declarations
import { nodeBundle } from './esbuildNode.mjs';

export const BENCH_ROOT = join(__dirname, '..');
export const BENCH_BUILD_DIR = join(BENCH_ROOT, 'bench-results', '.build');

export async function bundleBenchScript(name: string): Promise<string> {
  const outfile = join(BENCH_BUILD_DIR, `${name}.js`);
  await build({
    entryPoints: [join(BENCH_ROOT, 'scripts', `${name}.ts`)],
    outfile,
    ...nodeBundle,
  });
  return outfile;
}
