/**
 * Provider queries are drafts the user sends, never text silently added to the note. "Calx: Insert provider
 * query" finds the server's query action for the finding at the cursor (or in the selection); the action, from
 * the light bulb too, runs `calx.openProviderQuery` with the server's draft, which asks where it goes: a new
 * document, the clipboard, or the note at the cursor (the user's explicit choice).
 */
import * as vscode from 'vscode';
import { COMMANDS, PROVIDER_QUERY_TITLE_PREFIX } from '../commandIds';

export type QueryDestination = 'document' | 'clipboard' | 'cursor';

export interface InsertProviderQueryArgs {
  /** Choose the action whose title starts with this, when there are several (tests; default: ask). */
  title?: string;
  /** Where the draft goes (tests; default: ask). */
  destination?: QueryDestination;
}

/** What the server's query action passes to `calx.openProviderQuery`. */
export interface ProviderQueryDraft {
  title: string;
  text: string;
}

const DESTINATIONS: ReadonlyArray<{ label: string; destination: QueryDestination }> = [
  { label: 'Open as a new document', destination: 'document' },
  { label: 'Copy to clipboard', destination: 'clipboard' },
  { label: 'Insert at cursor', destination: 'cursor' },
];

export function isProviderQuery(action: vscode.CodeAction | vscode.Command): action is vscode.CodeAction {
  if (!('title' in action) || typeof action.title !== 'string' || !action.title.startsWith(PROVIDER_QUERY_TITLE_PREFIX)) return false;
  const kind = (action as vscode.CodeAction).kind;
  return kind !== undefined && vscode.CodeActionKind.QuickFix.contains(kind);
}

function isDraft(value: unknown): value is ProviderQueryDraft {
  return value !== null && typeof value === 'object' && typeof (value as ProviderQueryDraft).text === 'string' && typeof (value as ProviderQueryDraft).title === 'string';
}

/**
 * `calx.openProviderQuery`: puts a draft where the user chooses. Returns the destination used, or undefined
 * when the user cancelled (or the draft is malformed).
 */
export async function openProviderQuery(draft: unknown, destination?: QueryDestination, editor = vscode.window.activeTextEditor): Promise<QueryDestination | undefined> {
  if (!isDraft(draft)) return undefined;
  const where =
    destination ??
    (await vscode.window.showQuickPick(DESTINATIONS.filter((d) => d.destination !== 'cursor' || editor), { title: `Calx: ${draft.title}`, placeHolder: 'Where should the draft go?' }))
      ?.destination;
  if (where === 'document') {
    const document = await vscode.workspace.openTextDocument({ content: `${draft.text}\n`, language: 'plaintext' });
    await vscode.window.showTextDocument(document, { preview: false, viewColumn: vscode.ViewColumn.Beside });
  } else if (where === 'clipboard') {
    await vscode.env.clipboard.writeText(`${draft.text}\n`);
    void vscode.window.showInformationMessage('Calx: provider query draft copied to the clipboard.');
  } else if (where === 'cursor') {
    if (!editor) return undefined;
    // The editor turns the draft's line breaks into the note's own.
    const at = editor.selection.active;
    const ok = await editor.edit((b) => b.insert(at, `${draft.text}\n`));
    if (!ok) {
      void vscode.window.showWarningMessage('Calx: the provider query could not be inserted (the note changed meanwhile?).');
      return undefined;
    }
  }
  return where;
}

/** Finds the provider query at the cursor and opens its draft; returns the action's title, or undefined if none. */
export async function insertProviderQuery(args: InsertProviderQueryArgs = {}): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('Calx: open a note and put the cursor on a finding to draft a provider query.');
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
  const draft = action?.command?.command === COMMANDS.openProviderQuery ? action.command.arguments?.[0] : undefined;
  if (!action || !(await openProviderQuery(draft, args.destination, editor))) return undefined;
  return action.title;
}
