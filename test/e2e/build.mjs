// Bundles the e2e suite for the VS Code extension host:
//   test/e2e/suite/index.ts      -> out/test/e2e/index.js      (extensionTestsPath; exports run())
//   test/e2e/suite/*.e2e.ts      -> out/test/e2e/*.e2e.js      (added to mocha by index.js)
// `vscode` (provided by the extension host) and `mocha` (required at run time from the project's
// node_modules, found by walking up from out/test/e2e/) stay external. Usage: node test/e2e/build.mjs
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const suiteDir = path.join(repo, 'test', 'e2e', 'suite');
const outdir = path.join(repo, 'out', 'test', 'e2e');

const tests = fs.readdirSync(suiteDir).filter((f) => f.endsWith('.e2e.ts')).sort();
if (tests.length === 0) throw new Error(`no *.e2e.ts files in ${suiteDir}`);

fs.rmSync(outdir, { recursive: true, force: true }); // no stale test files from deleted sources
const t0 = Date.now();
await build({
  absWorkingDir: repo,
  entryPoints: [path.join(suiteDir, 'index.ts'), ...tests.map((f) => path.join(suiteDir, f))],
  outdir,
  outbase: suiteDir,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
console.log(`e2e suite bundled: ${tests.length} test file(s) -> ${path.relative(repo, outdir)} in ${Date.now() - t0} ms`);
