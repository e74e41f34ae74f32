#!/usr/bin/env node
/* eslint-disable */
// A fake "VS Code executable" for @vscode/test-electron's runTests({ vscodeExecutablePath }).
//
// Desktop VS Code cannot be downloaded on our machines, so this script accepts the command line that
// runTests() passes (--extensionDevelopmentPath=, --extensionTestsPath=, --user-data-dir=, --extensions-dir=,
// [folder]), starts a throwaway VS Code server (the one bundled in code-server, started through its
// server-main.js) on 127.0.0.1, and opens the web workbench in headless Debian chromium via playwright-core.
// The extension under development and the mocha tests then run inside the server's real Node extension host,
// exactly as in desktop VS Code; the tests' exit code becomes this process's exit code.
//
// Installed by test/e2e/harness/setup.sh into <repo>/.vscode-test/harness (or $CALX_E2E_HARNESS).
//
// Environment:
//   CALX_E2E_HARNESS      harness folder (default <repo>/.vscode-test/harness)
//   CALX_E2E_RUN_DIR      folder for this run's logs and profiles (default: a new folder in <harness>/run)
//   CALX_E2E_MODE         'server-main' (default) or 'code-server' (code-server's own CLI wrapper)
//   CALX_E2E_TIMEOUT_MS   overall limit for one run (default 300000)
//   CALX_E2E_VERBOSE=1    also print workbench noise and progress to stderr
//   CALX_E2E_KEEP=1       keep browser/server profiles of a passing run (logs are always kept)
//   CHROMIUM_PATH         browser binary (default /usr/bin/chromium)
//   CALX_E2E_UNTRUSTED=1  open the workspace in Restricted Mode (workspace trust enabled, folder not trusted,
//                         no startup prompt) instead of disabling workspace trust
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const http = require('http');
const net = require('net');
const util = require('util');

const REPO = path.resolve(__dirname, '..', '..', '..');
const H = path.resolve(process.env.CALX_E2E_HARNESS || path.join(REPO, '.vscode-test', 'harness'));
const argv = process.argv.slice(2);
const verbose = !!process.env.CALX_E2E_VERBOSE;
const MODE = process.env.CALX_E2E_MODE || 'server-main';
const VSCODE_VERSION = '1.100.3';
const UNTRUSTED = process.env.CALX_E2E_UNTRUSTED === '1';
// Workspace trust off (everything trusted), or on with the folder left untrusted and no modal prompt.
const TRUST_FLAGS = UNTRUSTED ? [] : ['--disable-workspace-trust'];
const TRUST_SETTINGS = UNTRUSTED
  ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never', 'security.workspace.trust.emptyWindow': false }
  : { 'security.workspace.trust.enabled': false };

if (argv.includes('--version') || argv.includes('-v')) {
  process.stdout.write(`${VSCODE_VERSION}\ncode-server-shim\nx64\n`);
  process.exit(0);
}

// ---- command line -------------------------------------------------------------------------------------------
const opt = (name) => {
  const out = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith(`--${name}=`)) out.push(argv[i].slice(name.length + 3));
    else if (argv[i] === `--${name}` && i + 1 < argv.length) out.push(argv[++i]);
  }
  return out;
};
const valued = new Set(['--user-data-dir', '--extensions-dir', '--extensionDevelopmentPath', '--extensionTestsPath', '--locale']);
const extDev = opt('extensionDevelopmentPath').map((p) => path.resolve(p));
const extTests = opt('extensionTestsPath').map((p) => path.resolve(p))[0];
const positional = argv.filter((a, i) => !a.startsWith('-') && !valued.has(argv[i - 1]));
const target = positional[0] ? path.resolve(positional[0]) : undefined;

// ---- run folder and logging ---------------------------------------------------------------------------------
fs.mkdirSync(path.join(H, 'run'), { recursive: true });
pruneOldRuns(path.join(H, 'run'), 10);
const runDir = process.env.CALX_E2E_RUN_DIR ? path.resolve(process.env.CALX_E2E_RUN_DIR) : fs.mkdtempSync(path.join(H, 'run', 'shim-'));
fs.mkdirSync(runDir, { recursive: true });
const shimLogPath = path.join(runDir, 'shim.log');
const t0 = Date.now();
const el = () => ((Date.now() - t0) / 1000).toFixed(1) + 's';
function log(msg) {
  // synchronous so the log is complete even when we exit abruptly
  try { fs.appendFileSync(shimLogPath, `[${new Date().toISOString()} +${el()}] ${msg}\n`); } catch {}
  if (verbose) process.stderr.write(`[shim +${el()}] ${msg}\n`);
}
function say(msg) { log(msg); if (!verbose) process.stderr.write(`[shim] ${msg}\n`); }
log(`argv: ${JSON.stringify(argv)}`);
log(`mode=${MODE} harness=${H} runDir=${runDir} node=${process.version}`);

function pruneOldRuns(dir, keep) {
  try {
    const entries = fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory())
      .map((d) => ({ p: path.join(dir, d.name), m: fs.statSync(path.join(dir, d.name)).mtimeMs }))
      .sort((a, b) => b.m - a.m);
    for (const e of entries.slice(keep)) fs.rmSync(e.p, { recursive: true, force: true });
  } catch {}
}

// ---- prerequisites ------------------------------------------------------------------------------------------
const csModules = path.join(H, 'cs', 'node_modules');
const serverMain = path.join(csModules, 'code-server', 'lib', 'vscode', 'out', 'server-main.js');
const codeServerBin = path.join(csModules, '.bin', 'code-server');
const pwDir = path.join(H, 'pw', 'node_modules', 'playwright-core');
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
for (const [what, p] of [['code-server', MODE === 'code-server' ? codeServerBin : serverMain], ['playwright-core', pwDir], ['chromium', chromiumPath]]) {
  if (!fs.existsSync(p)) {
    say(`${what} not found at ${p}: run "bash test/e2e/harness/setup.sh" first`);
    process.exit(1);
  }
}
if (!extDev.length) log('warning: no --extensionDevelopmentPath given');
if (target && !fs.existsSync(target)) { say(`workspace ${target} does not exist`); process.exit(1); }

// ---- lifecycle ----------------------------------------------------------------------------------------------
let server; // the VS Code server: leader of its own process group (extension host and language server inside)
let ctx;    // playwright browser context
let finishing = false;

function groupAlive(pid) { try { process.kill(-pid, 0); return true; } catch { return false; } }
async function killServerGroup() {
  if (!server || !server.pid) return;
  const pid = server.pid;
  for (const [sig, waitMs] of [['SIGTERM', 3000], ['SIGKILL', 2000]]) {
    if (!groupAlive(pid)) break;
    log(`sending ${sig} to process group -${pid}`);
    try { process.kill(-pid, sig); } catch {}
    const end = Date.now() + waitMs;
    while (groupAlive(pid) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  }
  if (groupAlive(pid)) log(`process group -${pid} still alive after SIGKILL`);
}
async function finish(code, why) {
  if (finishing) return;
  finishing = true;
  log(`finishing with exit code ${code}${why ? ` (${why})` : ''}`);
  const hardStop = setTimeout(() => { log('cleanup took too long; exiting'); process.exit(code); }, 15000);
  hardStop.unref();
  try { if (ctx) await Promise.race([ctx.close(), new Promise((r) => setTimeout(r, 5000))]); } catch (e) { log(`browser close: ${e}`); }
  await killServerGroup();
  if (code === 0 && !process.env.CALX_E2E_KEEP) {
    for (const d of ['chrome', 'sd', 'ud', 'exts']) fs.rmSync(path.join(runDir, d), { recursive: true, force: true });
  }
  if (code !== 0 || verbose) process.stderr.write(`[shim] exit ${code} after ${el()}; logs in ${runDir}\n`);
  log('bye');
  // let stdout/stderr drain before exiting
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}
process.on('SIGINT', () => finish(130, 'SIGINT'));
process.on('SIGTERM', () => finish(143, 'SIGTERM'));
process.on('SIGHUP', () => finish(129, 'SIGHUP'));
process.on('uncaughtException', (e) => { log(`uncaught: ${e && e.stack || e}`); finish(1, 'uncaught exception'); });
process.on('unhandledRejection', (e) => { log(`unhandled rejection: ${e && e.stack || e}`); finish(1, 'unhandled rejection'); });
// If we die anyway, do not leave the server running.
process.on('exit', () => { if (server && server.pid && groupAlive(server.pid)) try { process.kill(-server.pid, 'SIGKILL'); } catch {} });

const freePort = () => new Promise((resolve, reject) => {
  const s = net.createServer();
  s.on('error', reject);
  s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
});
function waitForHttp(port, ms) {
  return new Promise((resolve, reject) => {
    const end = Date.now() + ms;
    (function poll() {
      if (finishing) return reject(new Error('aborted'));
      const req = http.get({ host: '127.0.0.1', port, path: '/', timeout: 2000 }, (r) => { r.resume(); resolve(); });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => (Date.now() > end ? reject(new Error(`server did not answer on port ${port} within ${ms} ms`)) : setTimeout(poll, 150)));
    })();
  });
}

// Workbench console noise that is not test output (kept in workbench.log)
const NOISE = /^\s*(ERR|WARN|INFO|TRACE|DEBUG)\b|workbench\.js|Creating a socket|^\[Service Worker\]|Updating additional builtin|connection token|ChatSessionStore|^\[(AgentHost[^\]]*|AccountPolicyGate|ChatModelSelection)\]|extensionquery|ECONNREFUSED 127\.0\.0\.1:9/;

(async () => {
  const port = await freePort();
  const udd = path.resolve(opt('user-data-dir')[0] || path.join(runDir, 'ud'));
  const exts = path.resolve(opt('extensions-dir')[0] || path.join(runDir, 'exts'));
  const serverData = path.join(runDir, 'sd');
  const home = path.join(H, 'home');
  const tmp = path.join(H, 'tmp');
  for (const d of [udd + '/User', udd + '/Machine', exts, serverData, home, tmp]) fs.mkdirSync(d, { recursive: true });
  const settings = JSON.stringify({
    'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false, 'extensions.ignoreRecommendations': true, 'telemetry.telemetryLevel': 'off',
    'update.mode': 'none', ...TRUST_SETTINGS, 'git.enabled': false,
  }, null, 2);
  for (const f of [udd + '/User/settings.json', udd + '/Machine/settings.json', serverData + '/data/Machine/settings.json']) {
    fs.mkdirSync(path.dirname(f), { recursive: true });
    if (!fs.existsSync(f)) fs.writeFileSync(f, settings);
  }

  const env = {
    ...process.env,
    HOME: home, XDG_CONFIG_HOME: home + '/.config', XDG_DATA_HOME: home + '/.local/share',
    XDG_CACHE_HOME: home + '/.cache', XDG_RUNTIME_DIR: undefined, TMPDIR: tmp,
    // never reach a marketplace
    EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: 'http://127.0.0.1:9/gallery', itemUrl: 'http://127.0.0.1:9/item' }),
  };
  for (const k of ['ELECTRON_RUN_AS_NODE', 'VSCODE_IPC_HOOK_CLI', 'VSCODE_PID', 'VSCODE_CWD', 'VSCODE_NLS_CONFIG',
    'VSCODE_HANDLES_UNCAUGHT_ERRORS', 'VSCODE_ESM_ENTRYPOINT', 'XDG_RUNTIME_DIR', 'NODE_OPTIONS']) delete env[k];

  let cmd, args;
  if (MODE === 'code-server') {
    cmd = codeServerBin;
    args = ['--config', '/dev/null', '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--user-data-dir', udd,
      '--extensions-dir', exts, '--disable-telemetry', '--disable-update-check', ...TRUST_FLAGS,
      '--disable-getting-started-override'];
  } else {
    // The bundled VS Code server, started directly; --enable-smoke-test-driver makes the web workbench honour
    // the extension-development payload and report the tests' exit code.
    cmd = process.execPath;
    args = [serverMain, '--host', '127.0.0.1', '--port', String(port), '--without-connection-token',
      '--accept-server-license-terms', '--enable-smoke-test-driver', '--user-data-dir', udd, '--server-data-dir', serverData,
      '--extensions-dir', exts, '--disable-telemetry', ...TRUST_FLAGS,
      '--log', verbose ? 'trace' : 'info'];
  }
  log(`starting: ${cmd} ${args.join(' ')}`);
  const serverLog = fs.openSync(path.join(runDir, 'server.log'), 'a');
  server = spawn(cmd, args, { env, cwd: target && fs.statSync(target).isDirectory() ? target : REPO, stdio: ['ignore', serverLog, serverLog], detached: true });
  server.on('error', (e) => { say(`cannot start the server: ${e.message}`); finish(1, 'spawn error'); });
  server.on('exit', (code, sig) => {
    log(`server exited: code=${code} signal=${sig}`);
    if (!finishing) { say(`VS Code server exited early (code ${code}, signal ${sig}); see ${path.join(runDir, 'server.log')}`); finish(1, 'server exited'); }
  });
  await waitForHttp(port, 60000);
  log(`server up on 127.0.0.1:${port}`);

  const { chromium } = require(pwDir);
  ctx = await chromium.launchPersistentContext(path.join(runDir, 'chrome'), {
    executablePath: chromiumPath, headless: true, env: { ...process.env, HOME: home, TMPDIR: tmp },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-default-apps',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
  });
  log(`browser up (${ctx.browser() ? ctx.browser().version() : 'persistent context'})`);
  const page = ctx.pages()[0] || (await ctx.newPage());
  const wbLog = fs.createWriteStream(path.join(runDir, 'workbench.log'));
  let resolveExit;
  const exited = new Promise((r) => (resolveExit = r));
  // The extension host's console (mocha's reporter) arrives through codeAutomationLog.
  await page.exposeFunction('codeAutomationLog', (type, logArgs) => {
    const s = util.format(...(Array.isArray(logArgs) ? logArgs : [logArgs]));
    if (!verbose && NOISE.test(s)) { wbLog.write(s + '\n'); return; }
    wbLog.write(`[exthost ${type}] ${s}\n`);
    (type === 'error' ? process.stderr : process.stdout).write(s + '\n');
  });
  await page.exposeFunction('codeAutomationExit', (code) => { log(`codeAutomationExit(${code})`); resolveExit(Number(code) || 0); });
  page.on('console', (m) => wbLog.write(`[${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => wbLog.write(`[pageerror] ${e && e.stack || e}\n`));
  page.on('crash', () => { say('browser page crashed'); resolveExit(1); });

  const auth = `127.0.0.1:${port}`;
  const remote = (p) => `vscode-remote://${auth}${p.split(path.sep).map(encodeURIComponent).join('/')}`;
  const payload = [...extDev.map((p) => ['extensionDevelopmentPath', remote(p)]), ...(extTests ? [['extensionTestsPath', remote(extTests)]] : [])];
  let q = 'ew=true';
  if (target) q = fs.statSync(target).isDirectory() ? `folder=${encodeURIComponent(target)}` : `workspace=${encodeURIComponent(target)}`;
  const url = `http://${auth}/?${q}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  log(`opening ${url}`);
  await page.goto(url);

  const timeoutMs = Number(process.env.CALX_E2E_TIMEOUT_MS || 300000);
  let timer;
  const code = await Promise.race([exited, new Promise((r) => { timer = setTimeout(() => r('timeout'), timeoutMs); })]);
  clearTimeout(timer);
  if (code === 'timeout') {
    await page.screenshot({ path: path.join(runDir, 'timeout.png') }).catch(() => {});
    say(`TIMEOUT: no test result after ${timeoutMs} ms (screenshot: ${path.join(runDir, 'timeout.png')})`);
    return finish(2, 'timeout');
  }
  if (!extTests) log('no extensionTestsPath: the workbench exited by itself');
  await finish(code);
})().catch((e) => {
  if (finishing) { log(`after finish: ${e && e.stack || e}`); return; } // e.g. navigation aborted by Ctrl+C
  say(`FAILED: ${e && e.stack || e}`);
  finish(1, 'error');
});
