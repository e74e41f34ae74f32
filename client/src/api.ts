/**
 * What `activate()` returns (`vscode.extensions.getExtension('calx.calx').exports`). The e2e tests use it to
 * wait on the server and to read the status bar item, which the VS Code API does not let other code read.
 */
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { StatusParams } from '../../server/src/lsp/protocol';
import type { NoteFilter } from './documentSelector';
import type { StatusBarSnapshot } from './statusBar';

export interface CalxApi {
  /** The language client, once a note has been opened (the server starts lazily). */
  readonly languageClient: LanguageClient | undefined;
  /** Starts the server if needed; resolves when it is running. */
  ready(): Promise<void>;
  /** Fires each time the server is up (first start and every restart). */
  readonly onDidStartServer: vscode.Event<void>;
  /** Fires when the server stops or dies. */
  readonly onDidStopServer: vscode.Event<void>;
  /** The server's `calx/status` notifications, after each diagnostics publish. */
  readonly onDidReceiveStatus: vscode.Event<StatusParams>;
  /** The latest `calx/status` of a note (by URI string), if one arrived. */
  statusOf(uri: string): StatusParams | undefined;
  /** The status bar item as shown now. */
  statusBar(): StatusBarSnapshot;
  /** The document selector in force (from `calx.documents.*`). */
  documentSelector(): readonly NoteFilter[];
  /** The Restricted Mode message, if the workspace is untrusted and sets file settings Calx then ignores. */
  restrictedModeNotice(): Promise<string | undefined>;
}
