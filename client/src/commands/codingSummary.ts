/**
 * "Calx: Show coding summary" and "Calx: Export coding summary". The summary comes from the server
 * (`calx/codingSummary`) for a note open in the editor. It is shown as a read-only virtual Markdown document
 * (`calx-summary:` scheme) in the Markdown preview beside the note, and kept up to date as the note changes;
 * exporting writes Markdown, CSV or JSON to a file the user chooses.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CodingSummaryParams, CodingSummaryResult } from '../../../server/src/lsp/protocol';
import { showMarkdownBeside } from './markdownView';

export const SUMMARY_SCHEME = 'calx-summary';

type RequestSummary = (params: CodingSummaryParams, token?: vscode.CancellationToken) => Promise<CodingSummaryResult | null>;

export type SummaryFormat = 'markdown' | 'csv' | 'json';
const FORMATS: ReadonlyArray<{ format: SummaryFormat; label: string; ext: string; detail: string }> = [
  { format: 'markdown', label: 'Markdown', ext: 'md', detail: 'A readable report: codes in sequence with their evidence, open queries, codes written in the note' },
  { format: 'csv', label: 'CSV', ext: 'csv', detail: 'One row per code or query, for a spreadsheet or an encoder' },
  { format: 'json', label: 'JSON', ext: 'json', detail: 'The summary as data' },
];

/** The text of one export format. */
export function summaryText(result: CodingSummaryResult, format: SummaryFormat): string {
  if (format === 'markdown') return result.markdown;
  if (format === 'csv') return result.csv;
  return `${JSON.stringify(result.json, null, 2)}\n`;
}

/** Serves `calx-summary:/<note> coding summary.md?<note uri>` documents from the server. */
export class SummaryDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly request: RequestSummary) {}

  static uriFor(note: vscode.Uri): vscode.Uri {
    const name = path.posix.basename(note.path) || 'note';
    return vscode.Uri.from({ scheme: SUMMARY_SCHEME, path: `/${name} coding summary.md`, query: note.toString() });
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const result = await this.request({ uri: uri.query }, token).catch(() => null);
    return result?.markdown ?? '# Coding summary\n\nThe note is not open any more, or Calx is restarting: open the note and run "Calx: Show coding summary" again.\n';
  }

  /** The note was analysed again: refresh its summary if one is open. */
  noteChanged(noteUri: string): void {
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.uri.scheme === SUMMARY_SCHEME && doc.uri.query === noteUri) this.changed.fire(doc.uri);
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/**
 * The note in focus: the active editor's note (or the note of an active summary), else the note last active (the
 * Markdown preview, a webview, leaves no active text editor).
 */
export type CurrentNote = () => vscode.Uri | undefined;

/** The note a summary command is about: an explicit URI argument, else the current note. */
function noteOf(arg: unknown, currentNote: CurrentNote): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg.scheme === SUMMARY_SCHEME ? vscode.Uri.parse(arg.query) : arg;
  if (typeof arg === 'string' && arg) return vscode.Uri.parse(arg);
  return currentNote();
}

async function fetchSummary(request: RequestSummary, note: vscode.Uri): Promise<CodingSummaryResult | null> {
  // The server answers for notes it has open; opening the document makes sure it has.
  await vscode.workspace.openTextDocument(note);
  return request({ uri: note.toString() });
}

const NO_NOTE = 'Calx: open a clinical note (plain text, Markdown, .note or .opnote) to see its coding summary.';

export interface ShowSummaryOptions {
  /** Open the Markdown source instead of the preview (tests, or when the Markdown preview is unavailable). */
  preview?: boolean;
}

/** Shows the summary beside the note; returns the summary document's URI (tests read it). */
export async function showCodingSummary(
  request: RequestSummary,
  currentNote: CurrentNote,
  arg?: unknown,
  options: ShowSummaryOptions = {},
): Promise<vscode.Uri | undefined> {
  const note = noteOf(arg, currentNote);
  if (!note) {
    void vscode.window.showInformationMessage(NO_NOTE);
    return undefined;
  }
  const result = await fetchSummary(request, note);
  if (!result) {
    void vscode.window.showInformationMessage('Calx: this document is not analysed by Calx (see the calx.documents settings).');
    return undefined;
  }
  const uri = SummaryDocuments.uriFor(note);
  await showMarkdownBeside(uri, options.preview !== false);
  return uri;
}

export interface ExportSummaryArgs {
  /** The note (default: the active editor's). */
  uri?: string | vscode.Uri;
  format?: SummaryFormat;
  /** Where to write (a path or file URI); skips the save dialog. */
  target?: string | vscode.Uri;
}

/** Exports the summary; returns the file written, or undefined if the user cancelled. */
export async function exportCodingSummary(
  request: RequestSummary,
  currentNote: CurrentNote,
  arg?: unknown,
): Promise<vscode.Uri | undefined> {
  const args: ExportSummaryArgs = arg instanceof vscode.Uri ? { uri: arg } : ((arg as ExportSummaryArgs | undefined) ?? {});
  const note = noteOf(args.uri, currentNote);
  if (!note) {
    void vscode.window.showInformationMessage(NO_NOTE);
    return undefined;
  }
  let format = args.format;
  if (!format) {
    const picked = await vscode.window.showQuickPick(
      FORMATS.map((f) => ({ label: f.label, description: `.${f.ext}`, detail: f.detail, format: f.format })),
      { title: 'Calx: Export coding summary', placeHolder: 'Format of the exported summary' },
    );
    if (!picked) return undefined;
    format = picked.format;
  }
  const spec = FORMATS.find((f) => f.format === format);
  if (!spec) throw new Error(`calx.exportCodingSummary: unknown format ${String(format)} (markdown, csv or json)`);

  const result = await fetchSummary(request, note);
  if (!result) {
    void vscode.window.showInformationMessage('Calx: this document is not analysed by Calx (see the calx.documents settings).');
    return undefined;
  }

  let target: vscode.Uri | undefined =
    args.target instanceof vscode.Uri ? args.target : typeof args.target === 'string' ? vscode.Uri.file(args.target) : undefined;
  if (!target) {
    target = await vscode.window.showSaveDialog({
      title: 'Calx: Export coding summary',
      defaultUri: defaultTarget(note, spec.ext),
      filters: { [spec.label]: [spec.ext] },
      saveLabel: 'Export',
    });
    if (!target) return undefined;
  }
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(summaryText(result, format)));
  if (!args.target) {
    void vscode.window.showInformationMessage(`Calx: coding summary exported to ${vscode.workspace.asRelativePath(target)}.`, 'Open').then((choice) => {
      if (choice === 'Open') void vscode.window.showTextDocument(target);
    });
  }
  return target;
}

/** `clinic-note.coding-summary.md` beside a saved note; in the first workspace folder for an untitled one. */
function defaultTarget(note: vscode.Uri, ext: string): vscode.Uri | undefined {
  const base = path.posix.basename(note.path).replace(/\.[^.]*$/, '') || 'note';
  const name = `${base}.coding-summary.${ext}`;
  if (note.scheme === 'file') return vscode.Uri.joinPath(note, '..', name);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder ? vscode.Uri.joinPath(folder, name) : undefined;
}
