/**
 * "Calx: Insert provider query": applies the server's quick fix that writes a provider query for the finding
 * at the cursor (or in the selection). The query text is the server's; the client only finds and applies the
 * code action, the same one the light bulb offers.
 */
import * as vscode from 'vscode';
import { PROVIDER_QUERY_TITLE_PREFIX } from '../commandIds';

export interface InsertProviderQueryArgs {
  /** Choose the action whose title starts with this, when there are several (tests; default: ask). */
  title?: string;
}

export function isProviderQuery(action: vscode.CodeAction | vscode.Command): action is vscode.CodeAction {
  if (!('title' in action) || typeof action.title !== 'string' || !action.title.startsWith(PROVIDER_QUERY_TITLE_PREFIX)) return false;
  const kind = (action as vscode.CodeAction).kind;
  return kind !== undefined && vscode.CodeActionKind.QuickFix.contains(kind);
}

/** Applies a provider query at the cursor; returns the applied action's title, or undefined if none applied. */
export async function insertProviderQuery(args: InsertProviderQueryArgs = {}): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('Calx: open a note and put the cursor on a finding to insert a provider query.');
    return undefined;
  }
  const actions =
    (await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>(
      'vscode.executeCodeActionProvider',
      editor.document.uri,
      editor.selection,
      vscode.CodeActionKind.QuickFix.value,
      // resolve lazily computed edits of up to this many actions
      10,
    )) ?? [];
  const queries = actions.filter(isProviderQuery);
  if (queries.length === 0) {
    void vscode.window.showInformationMessage(
      'Calx: no provider query here. Put the cursor on a finding that lacks documentation Calx can query (a site, a side or a cause), shown with a squiggle.',
    );
    return undefined;
  }
  let action: vscode.CodeAction | undefined = queries[0];
  if (args.title) action = queries.find((q) => q.title.startsWith(args.title!));
  else if (queries.length > 1) {
    const picked = await vscode.window.showQuickPick(
      queries.map((q) => ({ label: q.title, action: q })),
      { title: 'Calx: Insert provider query', placeHolder: 'Which query?' },
    );
    action = picked?.action;
  }
  if (!action) return undefined;
  if (action.edit && !(await vscode.workspace.applyEdit(action.edit))) {
    void vscode.window.showWarningMessage('Calx: the provider query could not be inserted (the note changed meanwhile?).');
    return undefined;
  }
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  return action.title;
}
