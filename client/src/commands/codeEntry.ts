/**
 * "Calx: Show the full entry of an ICD-10-CM code" (`calx.showCodeEntry`, argument: the code). Hovers fold long
 * groups of notes behind a "Show all notes" link to this command. The entry comes from the server
 * (`calx/codeEntry`: every note of the code and of each level above it, nothing folded) and is shown as a
 * read-only virtual Markdown document (`calx-code:/M75.31.md`) in the Markdown preview beside the note.
 */
import * as vscode from 'vscode';
import type { CodeEntryParams, CodeEntryResult } from '../../../server/src/lsp/protocol';
import { showMarkdownBeside } from './markdownView';

export const CODE_ENTRY_SCHEME = 'calx-code';

type RequestEntry = (params: CodeEntryParams, token?: vscode.CancellationToken) => Promise<CodeEntryResult | null>;

/** Serves `calx-code:/<code>.md` documents from the server. */
export class CodeEntryDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly request: RequestEntry) {}

  static uriFor(code: string): vscode.Uri {
    return vscode.Uri.from({ scheme: CODE_ENTRY_SCHEME, path: `/${code}.md` });
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const code = uri.path.replace(/^\//, '').replace(/\.md$/, '');
    const result = await this.request({ code }, token).catch(() => null);
    return result?.markdown ?? `# ${code}\n\nNot an ICD-10-CM code Calx knows, or Calx is restarting: try again.\n`;
  }
}

export interface ShowCodeEntryOptions {
  /** Open the Markdown source instead of the preview (tests, or when the Markdown preview is unavailable). */
  preview?: boolean;
}

/** Shows a code's full entry beside the editor; asks for the code when none is given. Returns the entry's URI. */
export async function showCodeEntry(
  request: RequestEntry,
  arg?: unknown,
  options: ShowCodeEntryOptions = {},
): Promise<vscode.Uri | undefined> {
  const typed =
    typeof arg === 'string' ? arg : await vscode.window.showInputBox({ title: 'Calx: Show the full entry of an ICD-10-CM code', prompt: 'Code (e.g. M75.31)' });
  if (!typed?.trim()) return undefined;
  const result = await request({ code: typed });
  if (!result) {
    void vscode.window.showInformationMessage(`Calx: ${typed.trim()} is not an ICD-10-CM code.`);
    return undefined;
  }
  const uri = CodeEntryDocuments.uriFor(result.code);
  await showMarkdownBeside(uri, options.preview !== false);
  return uri;
}
