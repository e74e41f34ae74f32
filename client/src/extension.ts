/**
 * The VS Code side of Calx: starts the language server over IPC for clinical notes and adds the commands, the
 * status bar item and the "Calx" output channel. No analysis happens here: everything comes from the server
 * process on this machine; nothing is sent anywhere else, and no note text is written to a log.
 */
import * as vscode from 'vscode';
import {
  CODE_ENTRY,
  CODING_SUMMARY,
  SEARCH_CODES,
  type CodeEntryParams,
  type CodeEntryResult,
  type CodingSummaryParams,
  type CodingSummaryResult,
  type SearchCodesParams,
  type SearchCodesResult,
} from '../../server/src/lsp/protocol';
import type { CalxApi } from './api';
import { CalxClient } from './calxClient';
import { ACTIVE_NOTE_CONTEXT, COMMANDS } from './commandIds';
import { CODE_ENTRY_SCHEME, CodeEntryDocuments, showCodeEntry, type ShowCodeEntryOptions } from './commands/codeEntry';
import { exportCodingSummary, showCodingSummary, SUMMARY_SCHEME, SummaryDocuments, type ShowSummaryOptions } from './commands/codingSummary';
import { insertProviderQuery, openProviderQuery, type InsertProviderQueryArgs, type QueryDestination } from './commands/providerQuery';
import { searchCodesCommand, type SearchCodesArgs } from './commands/searchCodes';
import { CalxStatusBar } from './statusBar';
import { noticeRestrictedMode } from './workspaceTrust';

let calx: CalxClient | undefined;

export function activate(context: vscode.ExtensionContext): CalxApi {
  const log = vscode.window.createOutputChannel('Calx', { log: true });
  context.subscriptions.push(log);
  log.info(`Calx ${String(context.extension.packageJSON.version)} activated (VS Code ${vscode.version}, ${vscode.env.appName})`);

  const client = new CalxClient(context, log);
  calx = client;
  const isNote = (d: vscode.TextDocument) => client.isNote(d);

  /**
   * One of Calx's own requests. The token goes along only when there is one: an `undefined` token would be sent
   * as a second parameter (`[params, null]`), and the server's handler would get null for its token.
   */
  const request = async <P, R>(method: string, params: P, token?: vscode.CancellationToken): Promise<R> => {
    const started = await client.ensureStarted();
    return token ? started.sendRequest<R>(method, params, token) : started.sendRequest<R>(method, params);
  };
  const searchCodes = (params: SearchCodesParams, token?: vscode.CancellationToken) => request<SearchCodesParams, SearchCodesResult>(SEARCH_CODES, params, token);
  const requestSummary = (params: CodingSummaryParams, token?: vscode.CancellationToken) =>
    request<CodingSummaryParams, CodingSummaryResult | null>(CODING_SUMMARY, params, token);
  const requestEntry = (params: CodeEntryParams, token?: vscode.CancellationToken) =>
    request<CodeEntryParams, CodeEntryResult | null>(CODE_ENTRY, params, token);

  // The note last active in an editor: the summary commands still know it while the Markdown preview has focus.
  let lastNote: vscode.Uri | undefined;
  const currentNote = (): vscode.Uri | undefined => {
    const doc = vscode.window.activeTextEditor?.document;
    if (doc?.uri.scheme === SUMMARY_SCHEME) return vscode.Uri.parse(doc.uri.query);
    if (doc) return isNote(doc) ? doc.uri : undefined;
    // no text editor active (the Markdown preview or another webview has focus)
    return lastNote && vscode.workspace.textDocuments.some((d) => d.uri.toString() === lastNote!.toString()) ? lastNote : undefined;
  };
  const rememberNote = () => {
    const doc = vscode.window.activeTextEditor?.document;
    if (doc && isNote(doc)) lastNote = doc.uri;
  };
  rememberNote();

  const statusBar = new CalxStatusBar(isNote);
  const summaries = new SummaryDocuments(requestSummary);
  const updateContext = () => void vscode.commands.executeCommand('setContext', ACTIVE_NOTE_CONTEXT, currentNote() !== undefined);
  updateContext();

  context.subscriptions.push(
    statusBar,
    summaries,
    vscode.workspace.registerTextDocumentContentProvider(SUMMARY_SCHEME, summaries),
    vscode.workspace.registerTextDocumentContentProvider(CODE_ENTRY_SCHEME, new CodeEntryDocuments(requestEntry)),
    client.onDidReceiveStatus((status) => {
      statusBar.update(status);
      summaries.noteChanged(status.uri);
    }),
    client.onDidStop(() => statusBar.clear()),
    vscode.window.onDidChangeActiveTextEditor(() => {
      rememberNote();
      updateContext();
    }),
    vscode.workspace.onDidCloseTextDocument(updateContext),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('calx.documents')) {
        updateContext();
        statusBar.refresh();
      }
    }),
    vscode.commands.registerCommand(COMMANDS.searchCodes, (args?: SearchCodesArgs) => searchCodesCommand(searchCodes, args)),
    vscode.commands.registerCommand(COMMANDS.showCodingSummary, (arg?: unknown, options?: ShowSummaryOptions) =>
      showCodingSummary(requestSummary, currentNote, arg, options),
    ),
    vscode.commands.registerCommand(COMMANDS.exportCodingSummary, (arg?: unknown) => exportCodingSummary(requestSummary, currentNote, arg)),
    vscode.commands.registerCommand(COMMANDS.insertProviderQuery, (args?: InsertProviderQueryArgs) => insertProviderQuery(args)),
    vscode.commands.registerCommand(COMMANDS.openProviderQuery, (draft?: unknown, destination?: QueryDestination) => openProviderQuery(draft, destination)),
    vscode.commands.registerCommand(COMMANDS.restartServer, () => client.restart()),
    vscode.commands.registerCommand(COMMANDS.showOutput, () => log.show(true)),
    vscode.commands.registerCommand(COMMANDS.showCodeEntry, (code?: unknown, options?: ShowCodeEntryOptions) => showCodeEntry(requestEntry, code, options)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      // VS Code now gives Calx the workspace values of its file settings and fires a configuration change,
      // which the language client forwards to the server.
      log.info('workspace trusted: the workspace values of calx.terms.file and calx.cpt.descriptorFile now apply');
    }),
    { dispose: () => void client.dispose() },
  );

  void noticeRestrictedMode(context, log);

  return {
    get languageClient() {
      return client.languageClient;
    },
    ready: async () => {
      await client.ensureStarted();
    },
    onDidStartServer: client.onDidStart,
    onDidStopServer: client.onDidStop,
    onDidReceiveStatus: client.onDidReceiveStatus,
    statusOf: (uri) => statusBar.statusOf(uri),
    statusBar: () => statusBar.snapshot(),
    documentSelector: () => client.selector,
    restrictedModeNotice: () => noticeRestrictedMode(context, log),
  };
}

export async function deactivate(): Promise<void> {
  await calx?.dispose();
  calx = undefined;
}
