// Shared helpers of the e2e suite: open notes, wait on events (never on sleeps), describe what was seen when an
// expectation fails. Bundled into each *.e2e.ts by test/e2e/build.mjs.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CalxApi } from '../../../client/src/api';

export const SOURCE = 'calx';
export const WAIT_MS = Number(process.env.CALX_E2E_WAIT_MS) || 30_000;

/** Why Calx may not be running, for failure messages. */
export function extensionState(): string {
  const ext = vscode.extensions.getExtension('calx.calx');
  if (!ext) return 'extension calx.calx is not installed';
  const main = typeof ext.packageJSON.main === 'string' ? path.join(ext.extensionPath, ext.packageJSON.main) : undefined;
  if (main && !fs.existsSync(main)) return `extension main ${main} does not exist: run "npm run build"`;
  return `extension calx.calx ${ext.isActive ? 'is active' : 'is NOT active'}`;
}

/** Activates Calx (if needed) and returns its API. */
export async function calx(): Promise<CalxApi> {
  const ext = vscode.extensions.getExtension<CalxApi>('calx.calx');
  assert.ok(ext, 'extension calx.calx is not installed');
  try {
    return await ext.activate();
  } catch (err) {
    throw new Error(`Calx failed to activate (${extensionState()}): ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function workspaceUri(...segments: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder open');
  return vscode.Uri.joinPath(folder.uri, ...segments);
}

export async function writeWorkspaceFile(name: string, text: string): Promise<vscode.Uri> {
  const uri = workspaceUri(name);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

export async function show(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc);
}

export function codeOf(d: vscode.Diagnostic): string | number | undefined {
  return typeof d.code === 'object' && d.code !== null ? d.code.value : d.code;
}

export const fmtRange = (r: vscode.Range) => `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;

export function describeDiagnostics(diags: readonly vscode.Diagnostic[]): string {
  if (diags.length === 0) return '(none)';
  return diags.map((d) => `${d.source ?? '?'}/${String(codeOf(d))} ${fmtRange(d.range)} ${JSON.stringify(d.message)}`).join('\n      ');
}

export const calxDiagnostics = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);

/**
 * Resolves with the diagnostics of `uri` as soon as `accept` accepts them. Subscribes before checking the current
 * state, so an update that arrives in between is not missed. Call it BEFORE the action that causes the update.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  accept: (diags: readonly vscode.Diagnostic[]) => boolean,
  what = 'matching diagnostics',
  timeoutMs = WAIT_MS,
): Promise<readonly vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    let sub: vscode.Disposable | undefined = undefined;
    const timer = setTimeout(() => {
      sub?.dispose();
      reject(new Error(`no ${what} from "${SOURCE}" for ${uri.toString()} within ${timeoutMs} ms (${extensionState()}).\n` +
        `      current diagnostics: ${describeDiagnostics(vscode.languages.getDiagnostics(uri))}`));
    }, timeoutMs);
    const check = () => {
      const diags = vscode.languages.getDiagnostics(uri);
      if (!accept(diags)) return false;
      clearTimeout(timer);
      sub?.dispose();
      resolve(diags);
      return true;
    };
    sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    check();
  });
}

/** Resolves with the first event value that `accept` accepts; `current` is checked first (after subscribing). */
export function waitForEvent<T>(
  event: vscode.Event<T>,
  accept: (value: T) => boolean,
  what: string,
  current?: () => T | undefined,
  timeoutMs = WAIT_MS,
): Promise<T> {
  return new Promise((resolve, reject) => {
    let sub: vscode.Disposable | undefined = undefined;
    const timer = setTimeout(() => {
      sub?.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const done = (value: T) => {
      clearTimeout(timer);
      sub?.dispose();
      resolve(value);
    };
    sub = event((value) => {
      if (accept(value)) done(value);
    });
    const now = current?.();
    if (now !== undefined && accept(now)) done(now);
  });
}

export async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ?? [];
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

/** The range of the `nth` (0-based) occurrence of `needle` in the document. */
export function rangeOf(doc: vscode.TextDocument, needle: string, nth = 0, after = 0): vscode.Range {
  let at = doc.getText().indexOf(needle, after);
  for (let i = 0; i < nth && at !== -1; i++) at = doc.getText().indexOf(needle, at + 1);
  assert.ok(at !== -1, `"${needle}" is not in ${doc.uri.toString()}`);
  return new vscode.Range(doc.positionAt(at), doc.positionAt(at + needle.length));
}

