/**
 * Restricted Mode: VS Code withholds the workspace values of Calx's file settings (see restrictedSettings.ts);
 * this tells the user once per workspace why a file they configured is not used, and logs it every session.
 */
import * as vscode from 'vscode';
import { restrictedModeMessage, restrictedSettingsIn } from './restrictedSettings';

const SHOWN_KEY = 'calx.restrictedModeNoticeShown';

/** The restricted settings that this workspace's settings files set (read as text, nothing evaluated). */
export async function restrictedSettingsOfWorkspace(): Promise<string[]> {
  const files: vscode.Uri[] = (vscode.workspace.workspaceFolders ?? []).map((f) => vscode.Uri.joinPath(f.uri, '.vscode', 'settings.json'));
  const workspaceFile = vscode.workspace.workspaceFile;
  if (workspaceFile && workspaceFile.scheme !== 'untitled') files.push(workspaceFile);
  const found = new Set<string>();
  for (const file of files) {
    try {
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
      for (const key of restrictedSettingsIn(text)) found.add(key);
    } catch {
      // no settings file: nothing set there
    }
  }
  return [...found].sort();
}

/** Returns the message shown (or that would have been shown, if already shown once), for tests and logs. */
export async function noticeRestrictedMode(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Promise<string | undefined> {
  if (vscode.workspace.isTrusted) return undefined;
  const keys = await restrictedSettingsOfWorkspace();
  if (keys.length === 0) {
    log.info('Restricted Mode: workspace values of calx.terms.file and calx.cpt.descriptorFile would be ignored (none is set)');
    return undefined;
  }
  const message = restrictedModeMessage(keys);
  log.warn(`Restricted Mode: the workspace values of ${keys.join(', ')} are ignored until the workspace is trusted`);
  if (context.workspaceState.get<boolean>(SHOWN_KEY)) return message;
  await context.workspaceState.update(SHOWN_KEY, true);
  void vscode.window.showInformationMessage(message, 'Manage Workspace Trust').then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return message;
}
