// Mocha entry point loaded by the VS Code extension host (extensionTestsPath = out/test/e2e/index.js).
// test/e2e/build.mjs bundles this file and every suite/*.e2e.ts into out/test/e2e/; `mocha` and `vscode` stay
// external: `vscode` is provided by the extension host, `mocha` is required from the project's node_modules.
//
// Environment (passed through runE2e.mjs -> the VS Code server -> the extension host):
//   CALX_E2E_GREP   only run tests whose full title matches this regular expression
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Prints `e2e: N passed, N failed` so the run ends with a plain summary line (runE2e.mjs repeats it last). */
export async function run(): Promise<void> {
  // mocha >= 12 is an ES module (its entry re-exports a CommonJS build). Node >= 20.19 loads it with require(),
  // which returns the module namespace: the Mocha class is its default export. Older mochas return the class.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('mocha') as typeof import('mocha') | { default: typeof import('mocha') };
  const Mocha = 'default' in mod && typeof mod.default === 'function' ? mod.default : (mod as typeof import('mocha'));
  const color = !process.env.NO_COLOR && !process.env.CI;
  if (!color) {
    // mocha 12 takes its ✔/✖ from log-symbols, which colours them regardless of the `color` option
    const symbols = (Mocha.reporters.Base as unknown as { symbols: Record<string, string> }).symbols;
    symbols.ok = '✔';
    symbols.err = '✖';
  }
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color,
    timeout: 60_000,
    slow: 5_000,
    ...(process.env.CALX_E2E_GREP ? { grep: process.env.CALX_E2E_GREP } : {}),
  });
  const dir = __dirname;
  // harness.e2e.js first: if it fails, the harness is broken, not Calx
  const rank = (f: string) => (f === 'harness.e2e.js' ? 0 : 1);
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.e2e.js')).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  if (files.length === 0) throw new Error(`no *.e2e.js test files in ${dir}`);
  for (const f of files) mocha.addFile(path.join(dir, f));

  await new Promise<void>((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const s = runner.stats;
        const passed = s?.passes ?? 0;
        const failed = s?.failures ?? failures;
        const pending = s?.pending ?? 0;
        console.log(`e2e: ${passed} passed, ${failed} failed${pending ? `, ${pending} skipped` : ''}`);
        if (failures > 0) reject(new Error(`${failures} e2e test(s) failed`));
        else if (passed === 0) reject(new Error('no e2e test ran'));
        else resolve();
      });
    } catch (err) {
      reject(err);
    }
  });
}
