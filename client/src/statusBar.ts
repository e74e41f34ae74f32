/**
 * The status bar item: the code set year and the active note's finding count, from the server's
 * `calx/status` notification (sent after each diagnostics publish). Clicking it opens the coding summary.
 */
import * as vscode from 'vscode';
import type { StatusParams } from '../../server/src/lsp/protocol';
import { COMMANDS } from './commandIds';

export interface StatusBarSnapshot {
  text: string;
  tooltip: string;
  visible: boolean;
}

export function statusText(status: Pick<StatusParams, 'fiscalYear' | 'findingCount'>): string {
  return `ICD-10-CM FY${status.fiscalYear} · ${status.findingCount} ${status.findingCount === 1 ? 'finding' : 'findings'}`;
}

export function statusTooltip(status: Pick<StatusParams, 'findingCount' | 'problemCount'>): string {
  const problems = status.problemCount === 0 ? 'no coding problems' : `${status.problemCount} coding ${status.problemCount === 1 ? 'problem' : 'problems'}`;
  return `Calx: ${status.findingCount} calcification ${status.findingCount === 1 ? 'finding' : 'findings'} and ${problems} in this note. Click to show the coding summary.`;
}

export class CalxStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly byUri = new Map<string, StatusParams>();
  private readonly disposables: vscode.Disposable[] = [];
  private visible = false;

  /** `isNote` says whether Calx analyses a document (the current document selector). */
  constructor(private readonly isNote: (document: vscode.TextDocument) => boolean) {
    this.item = vscode.window.createStatusBarItem('calx.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Calx';
    this.item.command = COMMANDS.showCodingSummary;
    this.disposables.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.refresh()),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.byUri.delete(d.uri.toString());
        this.refresh();
      }),
    );
  }

  update(status: StatusParams): void {
    this.byUri.set(status.uri, status);
    this.refresh();
  }

  /** Drops every status (the server restarted: it sends them again as it re-analyses the open notes). */
  clear(): void {
    this.byUri.clear();
    this.refresh();
  }

  refresh(): void {
    const document = vscode.window.activeTextEditor?.document;
    const status = document && this.isNote(document) ? this.byUri.get(document.uri.toString()) : undefined;
    if (!status) {
      this.item.hide();
      this.visible = false;
      return;
    }
    this.item.text = statusText(status);
    this.item.tooltip = statusTooltip(status);
    this.item.show();
    this.visible = true;
  }

  /** The latest status of a note (by URI string), if the server sent one. */
  statusOf(uri: string): StatusParams | undefined {
    return this.byUri.get(uri);
  }

  snapshot(): StatusBarSnapshot {
    return { text: this.item.text, tooltip: typeof this.item.tooltip === 'string' ? this.item.tooltip : '', visible: this.visible };
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
