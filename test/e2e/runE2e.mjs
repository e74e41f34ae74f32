// Runs the e2e suite (out/test/e2e/index.js, built by test/e2e/build.mjs) inside a real VS Code extension host
// through @vscode/test-electron's runTests(), with test/e2e/harness/code-shim.js as the "VS Code executable"
// (code-server's VS Code 1.100.3 server + headless Debian chromium; install with test/e2e/harness/setup.sh).
//
// Usage: node test/e2e/runE2e.mjs          (plain node, no tsx needed)
// Environment:
//   CALX_E2E_WORKSPACE   folder to open (default: a fresh copy of examples/ in this run's folder)
//   CALX_E2E_GREP        only run tests whose title matches this regular expression
//   CALX_E2E_EXTENSION   extension folder to test (default: the repo root)
//   CALX_E2E_WAIT_MS     how long a test waits for diagnostics (default 30000)
//   CALX_E2E_HARNESS, CALX_E2E_TIMEOUT_MS, CALX_E2E_VERBOSE, CALX_E2E_KEEP, CALX_E2E_MODE: see code-shim.js
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { runTests } = require('@vscode/test-electron');

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const harness = path.resolve(process.env.CALX_E2E_HARNESS || path.join(repo, '.vscode-test', 'harness'));
const shim = path.join(repo, 'test', 'e2e', 'harness', 'code-shim.js');
const suite = path.join(repo, 'out', 'test', 'e2e', 'index.js');
const extension = path.resolve(process.env.CALX_E2E_EXTENSION || repo);

function fail(msg) {
  console.error(`[e2e] ${msg}`);
  process.exit(1);
}
if (!fs.existsSync(path.join(harness, '.installed'))) fail(`harness not installed in ${harness}: run "bash test/e2e/harness/setup.sh"`);
if (!fs.existsSync(suite)) fail(`${path.relative(repo, suite)} is missing: run "node test/e2e/build.mjs"`);
try { fs.accessSync(shim, fs.constants.X_OK); } catch { fs.chmodSync(shim, 0o755); }
const main = JSON.parse(fs.readFileSync(path.join(extension, 'package.json'), 'utf8')).main;
if (main && !fs.existsSync(path.join(extension, main))) {
  console.error(`[e2e] warning: ${main} does not exist (run "npm run build"): Calx itself cannot activate`);
}

// One folder per run: logs (shim.log, server.log, workbench.log), profiles and the workspace copy.
fs.mkdirSync(path.join(harness, 'run'), { recursive: true });
const runDir = fs.mkdtempSync(path.join(harness, 'run', `run-${new Date().toISOString().replace(/[:.]/g, '-')}-`));
let workspace = process.env.CALX_E2E_WORKSPACE && path.resolve(process.env.CALX_E2E_WORKSPACE);
if (!workspace) {
  workspace = path.join(runDir, 'workspace');
  const examples = path.join(repo, 'examples');
  if (fs.existsSync(examples)) fs.cpSync(examples, workspace, { recursive: true });
  else fs.mkdirSync(workspace, { recursive: true });
}

// Pass output through, and remember mocha's summary line to repeat it as the very last line.
let summary;
let pending = '';
const out = new Writable({
  write(chunk, _enc, cb) {
    const s = chunk.toString();
    pending += s;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const l of lines) if (/^e2e: \d+ passed, \d+ failed/.test(l.trim())) summary = l.trim();
    process.stdout.write(s, () => cb());
  },
});

const t0 = Date.now();
let code = 0;
try {
  code = await runTests({
    vscodeExecutablePath: shim,
    extensionDevelopmentPath: extension,
    extensionTestsPath: suite,
    launchArgs: [workspace, `--user-data-dir=${path.join(runDir, 'ud')}`, `--extensions-dir=${path.join(runDir, 'exts')}`],
    extensionTestsEnv: { CALX_E2E_RUN_DIR: runDir },
    stdout: out,
  });
} catch (err) {
  code = typeof err?.code === 'number' && err.code !== 0 ? err.code : 1;
  console.error(`[e2e] ${err?.message ?? err}`);
}
if (/^e2e: \d+ passed, \d+ failed/.test(pending.trim())) summary = pending.trim();
console.log(`[e2e] finished in ${((Date.now() - t0) / 1000).toFixed(1)} s with exit code ${code}; logs in ${path.relative(repo, runDir)}`);
if (summary) console.log(summary);
else console.log('e2e: 0 passed, 1 failed (no test summary from the extension host)');
process.exit(code);
