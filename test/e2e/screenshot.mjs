// Takes the README screenshot: Calx in a real VS Code (the e2e harness: code-server's VS Code 1.100.3 server and
// web workbench in headless Debian chromium, driven by playwright-core) with the example clinic note open, its
// squiggles, the Problems panel and a hover on a finding. Writes docs/images/calx-vscode.png; then drives the
// real "Calx: Search ICD-10-CM codes" quick pick (typing, a header, a billable code inserted at the cursor) and
// writes docs/images/calx-search.png.
//
// Usage: npm run screenshot            (builds, installs the harness if needed, then runs this script)
//        node test/e2e/screenshot.mjs [--out file.png] [--search-out file.png|none] [--keep]
// Environment: CALX_E2E_HARNESS (harness folder), CHROMIUM_PATH (browser, default /usr/bin/chromium).
//
// It waits on what the page shows (squiggles, the Problems panel rows, the hover widget, the status bar item),
// never on fixed sleeps; each wait has a timeout and a failure leaves a screenshot of the page beside the output.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const harness = path.resolve(process.env.CALX_E2E_HARNESS || path.join(repo, '.vscode-test', 'harness'));
const argv = process.argv.slice(2);
const outArg = argv.indexOf('--out');
const out = path.resolve(outArg >= 0 ? argv[outArg + 1] : path.join(repo, 'docs', 'images', 'calx-vscode.png'));
const keep = argv.includes('--keep');
const searchArg = argv.indexOf('--search-out');
/** The quick pick picture (and UI check); `--search-out none` skips it. */
const searchOut = searchArg >= 0 && argv[searchArg + 1] === 'none' ? undefined
  : path.resolve(searchArg >= 0 ? argv[searchArg + 1] : path.join(repo, 'docs', 'images', 'calx-search.png'));
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const serverMain = path.join(harness, 'cs', 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');
const pwDir = path.join(harness, 'pw', 'node_modules', 'playwright-core');
const WAIT = 60_000;

const t0 = Date.now();
const say = (msg) => console.log(`[screenshot +${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);
for (const [what, p] of [['code-server', serverMain], ['playwright-core', pwDir], ['chromium', chromiumPath], ['dist/client.js', path.join(repo, 'dist', 'client.js')]]) {
  if (!fs.existsSync(p)) {
    console.error(`[screenshot] ${what} not found at ${p}: run "npm run build" and "bash test/e2e/harness/setup.sh"`);
    process.exit(1);
  }
}

// A throwaway run folder: workspace copy of examples/, profiles, logs.
fs.mkdirSync(path.join(harness, 'run'), { recursive: true });
const runDir = fs.mkdtempSync(path.join(harness, 'run', 'screenshot-'));
const workspace = path.join(runDir, 'workspace');
fs.cpSync(path.join(repo, 'examples'), workspace, { recursive: true });
const udd = path.join(runDir, 'ud');
const serverData = path.join(runDir, 'sd');
const home = path.join(harness, 'home');
const tmp = path.join(harness, 'tmp');
const settings = JSON.stringify({
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.colorTheme': 'Default Light Modern',
  'workbench.activityBar.location': 'top',
  'editor.minimap.enabled': false,
  'editor.fontSize': 14,
  'editor.wordWrap': 'on',
  'editor.hover.delay': 100,
  'breadcrumbs.enabled': false,
  'chat.commandCenter.enabled': false,
  'workbench.layoutControl.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
}, null, 2);
for (const f of [path.join(udd, 'User', 'settings.json'), path.join(udd, 'Machine', 'settings.json'), path.join(serverData, 'data', 'Machine', 'settings.json')]) {
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, settings);
}
for (const d of [path.join(runDir, 'exts'), home, tmp]) fs.mkdirSync(d, { recursive: true });

const freePort = () => new Promise((resolve, reject) => {
  const s = net.createServer();
  s.on('error', reject);
  s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
});
const waitForHttp = (port, ms) => new Promise((resolve, reject) => {
  const end = Date.now() + ms;
  (function poll() {
    const req = http.get({ host: '127.0.0.1', port, path: '/', timeout: 2000 }, (r) => { r.resume(); resolve(); });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => (Date.now() > end ? reject(new Error(`no server on port ${port} after ${ms} ms`)) : setTimeout(poll, 150)));
  })();
});

let server;
let ctx;
let exitCode = 0;
const groupAlive = (pid) => { try { process.kill(-pid, 0); return true; } catch { return false; } };
async function cleanup() {
  try { if (ctx) await Promise.race([ctx.close(), new Promise((r) => setTimeout(r, 5000))]); } catch {}
  if (server?.pid && groupAlive(server.pid)) {
    try { process.kill(-server.pid, 'SIGTERM'); } catch {}
    const end = Date.now() + 3000;
    while (groupAlive(server.pid) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    if (groupAlive(server.pid)) try { process.kill(-server.pid, 'SIGKILL'); } catch {}
  }
  if (exitCode === 0 && !keep) fs.rmSync(runDir, { recursive: true, force: true });
}
process.on('SIGINT', () => { exitCode = 130; cleanup().then(() => process.exit(130)); });

let page;
try {
  const port = await freePort();
  const env = {
    ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'), TMPDIR: tmp,
    EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: 'http://127.0.0.1:9/gallery', itemUrl: 'http://127.0.0.1:9/item' }),
  };
  for (const k of ['ELECTRON_RUN_AS_NODE', 'VSCODE_IPC_HOOK_CLI', 'VSCODE_PID', 'VSCODE_CWD', 'VSCODE_NLS_CONFIG', 'XDG_RUNTIME_DIR', 'NODE_OPTIONS']) delete env[k];
  const serverLog = fs.openSync(path.join(runDir, 'server.log'), 'a');
  server = spawn(process.execPath, [serverMain, '--host', '127.0.0.1', '--port', String(port), '--without-connection-token',
    '--accept-server-license-terms', '--user-data-dir', udd, '--server-data-dir', serverData, '--extensions-dir', path.join(runDir, 'exts'),
    '--disable-telemetry', '--disable-workspace-trust'], { env, cwd: workspace, stdio: ['ignore', serverLog, serverLog], detached: true });
  await waitForHttp(port, WAIT);
  say(`VS Code server on 127.0.0.1:${port}`);

  const { chromium } = require(pwDir);
  ctx = await chromium.launchPersistentContext(path.join(runDir, 'chrome'), {
    executablePath: chromiumPath, headless: true, viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1,
    env: { ...process.env, HOME: home, TMPDIR: tmp },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-default-apps',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
  });
  page = ctx.pages()[0] || (await ctx.newPage());
  const auth = `127.0.0.1:${port}`;
  // The extension under development, as the web workbench takes it (no tests: the window stays open).
  const payload = [['extensionDevelopmentPath', `vscode-remote://${auth}${repo.split(path.sep).map(encodeURIComponent).join('/')}`]];
  await page.goto(`http://${auth}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: WAIT });
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'clinic-note.txt' }).waitFor({ timeout: WAIT });
  say('workbench up');

  // Open the note through the Explorer, as a user would.
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'clinic-note.txt' }).dblclick();
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await editor.waitFor({ timeout: WAIT });
  await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: WAIT });
  say('squiggles shown');
  await page.locator('.statusbar-item', { hasText: 'ICD-10-CM FY2027' }).waitFor({ timeout: WAIT });
  say('status bar item shown');

  // The Problems panel (Ctrl+Shift+M focuses it); wait until it lists Calx's problems.
  await page.keyboard.press('Control+Shift+M');
  await page.locator('.markers-panel .monaco-list-row', { hasText: 'header-code' }).first().waitFor({ timeout: WAIT });
  say('Problems panel shown');

  // Hover the finding "Calcific tendinitis" (line 16): move the mouse over its text in the editor.
  const line = page.locator('.monaco-editor .view-line', { hasText: 'Calcific tendinitis of the right shoulder' }).first();
  await line.waitFor({ timeout: WAIT });
  const box = await line.boundingBox();
  if (!box) throw new Error('cannot find the line "1. Calcific tendinitis of the right shoulder" in the editor');
  // about the 8th character of "1. Calcific tendinitis": inside the finding
  await page.mouse.move(box.x + 70, box.y + box.height / 2, { steps: 4 });
  await page.locator('.monaco-hover:not(.hidden)', { hasText: 'Calcific tendinitis' }).first().waitFor({ state: 'visible', timeout: WAIT });
  await page.locator('.monaco-hover:not(.hidden)', { hasText: 'Suggested' }).first().waitFor({ state: 'visible', timeout: WAIT });
  say('hover shown');

  fs.mkdirSync(path.dirname(out), { recursive: true });
  await page.screenshot({ path: out, animations: 'disabled' }); // the hover fades in: take it at full opacity
  say(`wrote ${path.relative(repo, out)}`);

  // Second picture, and a check of the real quick pick UI: "Calx: Search ICD-10-CM codes" typed into, a header
  // chosen (its codes are listed), then a billable code chosen and inserted at the cursor.
  if (searchOut) {
    await page.keyboard.press('Escape');
    const emptyLine = page.locator('.monaco-editor .view-line').nth(19); // line 20 is empty
    await emptyLine.click();
    await page.keyboard.type('Dx: ');
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: WAIT });
    await input.fill('>Calx: Search ICD-10-CM codes');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Calx: Search ICD-10-CM codes' }).first().waitFor({ timeout: WAIT });
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-title', { hasText: 'Calx: Search ICD-10-CM codes' }).waitFor({ timeout: WAIT });
    await input.pressSequentially('calcific tendinitis shoulder', { delay: 30 });
    const header = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Header, not billable' }).first();
    await header.waitFor({ timeout: WAIT });
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'M75.31' }).first().waitFor({ timeout: WAIT });
    await page.screenshot({ path: searchOut, animations: 'disabled' });
    say(`wrote ${path.relative(repo, searchOut)}`);
    await header.click();
    await page.locator('.quick-input-title', { hasText: 'Codes under M75.3' }).waitFor({ timeout: WAIT });
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'M75.31' }).first().click();
    await page.locator('.monaco-editor .view-line', { hasText: 'Dx: M75.31' }).waitFor({ timeout: WAIT });
    say('the quick pick inserted M75.31 at the cursor');
  }
} catch (err) {
  exitCode = 1;
  console.error(`[screenshot] FAILED: ${err?.stack || err}`);
  if (page) {
    const failed = path.join(runDir, 'failed.png');
    await page.screenshot({ path: failed }).catch(() => {});
    console.error(`[screenshot] the page at the time: ${failed}; logs in ${runDir}`);
  }
} finally {
  await cleanup();
}
process.exit(exitCode);
