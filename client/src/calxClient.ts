/**
 * The language client's life cycle: started over IPC when the first note opens (not at activation, so a
 * window without notes never spawns the server), restarted within a budget when the server dies, rebuilt
 * when the document selector settings change. Logs go to the "Calx" output channel and never contain note
 * text: protocol tracing, which would copy whole documents into a log, is switched off.
 */
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  State,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { SHOW_CODE_ENTRY_COMMAND, STATUS, type CalxInitializationOptions, type StatusParams } from '../../server/src/lsp/protocol';
import { COMMANDS } from './commandIds';
import { documentSettings, sameSelector, type NoteFilter } from './documentSelector';
import { RestartBudget } from './restartBudget';
import { serverProcessOptions } from './serverFlags';

export class CalxClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<LanguageClient> | undefined;
  private selectorValue: NoteFilter[];
  private readonly budget = new RestartBudget();
  private readonly reportedProblems = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly clientDisposables: vscode.Disposable[] = [];
  private readonly startedEmitter = new vscode.EventEmitter<void>();
  private readonly statusEmitter = new vscode.EventEmitter<StatusParams>();
  private readonly stoppedEmitter = new vscode.EventEmitter<void>();
  private disposed = false;
  /** The restart budget was spent: nothing restarts the server but the user's "Restart language server". */
  private gaveUp = false;

  /** Fires each time the server is up and initialized (first start and every restart). */
  readonly onDidStart = this.startedEmitter.event;
  /** Fires when the server stops or dies (its statuses and diagnostics are then stale). */
  readonly onDidStop = this.stoppedEmitter.event;
  /** The server's `calx/status` notifications. */
  readonly onDidReceiveStatus = this.statusEmitter.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.selectorValue = this.readSelector();
    this.disposables.push(
      this.startedEmitter,
      this.statusEmitter,
      this.stoppedEmitter,
      // Start lazily: the first time a note is opened (or at once if one is open already).
      vscode.workspace.onDidOpenTextDocument((d) => {
        if (!this.client && this.isNote(d)) void this.ensureStarted().catch(() => undefined);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('calx.documents')) void this.reconfigure();
      }),
    );
    if (vscode.workspace.textDocuments.some((d) => this.isNote(d))) void this.ensureStarted().catch(() => undefined);
  }

  /** The document selector currently in force (from the `calx.documents.*` settings). */
  get selector(): readonly NoteFilter[] {
    return this.selectorValue;
  }

  /** The running language client, if started. */
  get languageClient(): LanguageClient | undefined {
    return this.client;
  }

  isNote(document: vscode.TextDocument): boolean {
    return this.selectorValue.length > 0 && vscode.languages.match(this.selectorValue, document) > 0;
  }

  /** Starts the server if it is not running yet; resolves with the running client. */
  ensureStarted(): Promise<LanguageClient> {
    if (this.disposed) return Promise.reject(new Error('Calx is shutting down'));
    if (this.gaveUp) {
      return Promise.reject(new Error('the Calx language server stopped repeatedly and is not running: run "Calx: Restart language server"'));
    }
    if (this.client && this.client.state === State.Running) return Promise.resolve(this.client);
    if (this.starting) return this.starting;
    const started = this.start().finally(() => {
      if (this.starting === started) this.starting = undefined;
    });
    this.starting = started;
    return started;
  }

  /** "Calx: Restart language server": a fresh server and a fresh restart budget. */
  async restart(): Promise<void> {
    this.budget.reset();
    this.gaveUp = false;
    this.log.info('restarting the language server (requested)');
    await this.stopClient();
    await this.ensureStarted();
  }

  private async start(): Promise<LanguageClient> {
    if (!this.client) this.client = this.create();
    const client = this.client;
    try {
      // A client that gave up after too many crashes is in state Stopped: start() starts it again.
      await client.start();
      return client;
    } catch (err) {
      this.log.error(`the language server did not start: ${errorName(err)}`);
      throw err;
    }
  }

  private create(): LanguageClient {
    const module = this.context.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      // vscode-languageclient adds the extension host's environment to `env`.
      run: { module, transport: TransportKind.ipc, options: serverProcessOptions() },
      debug: { module, transport: TransportKind.ipc, options: serverProcessOptions(true) },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: this.selectorValue,
      synchronize: { configurationSection: 'calx' },
      diagnosticCollectionName: 'calx',
      outputChannel: this.log,
      // Message traces carry whole notes (didOpen/didChange): never write them, whatever the log level.
      traceOutputChannel: silentLogChannel(),
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      errorHandler: this.errorHandler(),
      // Hovers fold long groups of notes behind a link to calx.showCodeEntry: the only command their Markdown may run.
      initializationOptions: { codeEntryCommand: true } satisfies CalxInitializationOptions,
      markdown: { isTrusted: { enabledCommands: [SHOW_CODE_ENTRY_COMMAND] } },
    };
    const client = new LanguageClient('calx', 'Calx', serverOptions, clientOptions);
    this.clientDisposables.push(
      client.onNotification(STATUS, (status: StatusParams) => this.statusEmitter.fire(status)),
      client.onDidChangeState((e) => {
        if (e.newState === State.Running) {
          const pid = client.serverProcess?.pid;
          this.log.info(`language server running${pid ? ` (pid ${pid})` : ''}`);
          this.startedEmitter.fire();
        } else if (e.newState === State.Stopped && e.oldState !== State.Stopped) {
          this.stoppedEmitter.fire();
        }
      }),
    );
    return client;
  }

  /** Restarts a dead server at most `budget.max` times in `budget.windowMs`, then tells the user. */
  private errorHandler(): ErrorHandler {
    return {
      error: (error, _message, count): ErrorHandlerResult => {
        // The message may be a request with note text in it: log the error only.
        this.log.warn(`connection error ${count ?? ''}: ${errorName(error)}`);
        // Keep going: a server that died mid-burst (didOpen, didChange, requests) fails several writes before the
        // channel reports its close, and shutting down here would bypass the restart in closed(). A dead server
        // always ends in closed(), which restarts it within the budget.
        return { action: ErrorAction.Continue, handled: true };
      },
      closed: (): CloseHandlerResult => {
        this.stoppedEmitter.fire();
        if (this.disposed) return { action: CloseAction.DoNotRestart, handled: true };
        if (this.budget.allow(Date.now())) {
          this.log.warn(`the language server stopped; restarting it (${this.budget.used} of ${this.budget.max} restarts allowed in ${this.budget.windowMs / 60_000} minutes)`);
          return { action: CloseAction.Restart, handled: true };
        }
        this.gaveUp = true;
        const message = `Calx: the language server stopped ${this.budget.max + 1} times within ${this.budget.windowMs / 60_000} minutes and is not restarted again. See the "Calx" output for details.`;
        this.log.error(message);
        void vscode.window.showErrorMessage(message, 'Restart', 'Show Output').then((choice) => {
          if (choice === 'Restart') void vscode.commands.executeCommand(COMMANDS.restartServer);
          else if (choice === 'Show Output') this.log.show(true);
        });
        return { action: CloseAction.DoNotRestart, handled: true };
      },
    };
  }

  private readSelector(): NoteFilter[] {
    const config = vscode.workspace.getConfiguration('calx.documents');
    const { selector, problems } = documentSettings(config.get('languages'), config.get('filePatterns'));
    for (const problem of problems) {
      if (this.reportedProblems.has(problem)) continue;
      this.reportedProblems.add(problem);
      this.log.warn(`settings: ${problem}`);
      void vscode.window.showWarningMessage(`Calx settings: ${problem}`);
    }
    return selector;
  }

  /** New languages or file patterns: a new client with the new selector (the selector is fixed per client). */
  private async reconfigure(): Promise<void> {
    const next = this.readSelector();
    if (sameSelector(next, this.selectorValue)) return;
    this.selectorValue = next;
    this.log.info(`document selector changed: ${next.map((f) => f.language ?? f.pattern).filter((v, i, a) => a.indexOf(v) === i).join(', ') || '(none)'}`);
    const wasRunning = this.client !== undefined;
    await this.stopClient();
    if (wasRunning || vscode.workspace.textDocuments.some((d) => this.isNote(d))) await this.ensureStarted().catch(() => undefined);
  }

  private async stopClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.starting = undefined;
    for (const d of this.clientDisposables.splice(0)) d.dispose();
    if (!client) return;
    try {
      await client.dispose(2000);
    } catch (err) {
      this.log.warn(`stopping the language server: ${errorName(err)}`);
    }
    this.stoppedEmitter.fire();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.stopClient();
    for (const d of this.disposables) d.dispose();
  }
}

function errorName(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message.split('\n')[0]}`;
  return String(err);
}

/** A log channel that is always off: handed to the client as its trace channel so no message is traced. */
function silentLogChannel(): vscode.LogOutputChannel {
  const never = new vscode.EventEmitter<vscode.LogLevel>();
  const noop = () => undefined;
  return {
    name: 'Calx (trace off)',
    logLevel: vscode.LogLevel.Off,
    onDidChangeLogLevel: never.event,
    trace: noop,
    debug: noop,
    info: noop,
    warn: noop,
    error: noop,
    append: noop,
    appendLine: noop,
    replace: noop,
    clear: noop,
    show: noop,
    hide: noop,
    dispose: () => never.dispose(),
  };
}
