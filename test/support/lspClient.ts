/**
 * A minimal LSP client for tests: starts the real bundled server (dist/server.js) over stdio and speaks
 * the protocol to it, as any editor would. Waits on notifications, never on sleeps.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import {
  createProtocolConnection,
  InitializeRequest,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type ServerCapabilities,
} from 'vscode-languageserver-protocol/node';
import { REPO_ROOT } from './services';

export interface TestClientOptions {
  /** The `calx` settings section the client answers with (workspace/configuration); `{}` by default. */
  settings?: unknown;
  /** Node options for the server process (e.g. `--cpu-prof`), before the script. */
  execArgv?: string[];
}

/** A notification the server sent (other than diagnostics), in arrival order. */
export interface ReceivedNotification {
  method: string;
  params: unknown;
}

export class TestClient {
  readonly connection: ProtocolConnection;
  readonly process: ChildProcess;
  private readonly waiters: Array<{ uri: string; version?: number; resolve: (p: PublishDiagnosticsParams) => void }> = [];
  private readonly notificationWaiters: Array<{ method: string; resolve: (params: unknown) => void }> = [];
  private readonly configurationWaiters: Array<() => void> = [];
  private readonly conditionWaiters: Array<() => boolean> = [];
  stderr = '';
  /** The server's capabilities, once initialized. */
  capabilities: ServerCapabilities = {};
  /** The `calx` settings answered to workspace/configuration; change it, then send didChangeConfiguration. */
  settings: unknown;
  /**
   * Notifications other than diagnostics (window/logMessage, window/showMessage, $/logTrace, telemetry/event,
   * calx/status ...) and window/showMessageRequest requests, as received.
   */
  readonly notifications: ReceivedNotification[] = [];

  constructor(env: NodeJS.ProcessEnv = {}, options: TestClientOptions = {}) {
    this.settings = options.settings ?? {};
    this.process = spawn(process.execPath, [...(options.execArgv ?? []), join(REPO_ROOT, 'dist', 'server.js'), '--stdio'], {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.process.stderr!.on('data', (chunk) => (this.stderr += String(chunk)));
    this.connection = createProtocolConnection(
      new StreamMessageReader(this.process.stdout!),
      new StreamMessageWriter(this.process.stdin!),
    );
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      for (const w of [...this.waiters]) {
        if (w.uri === params.uri && (w.version === undefined || w.version === params.version)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(params);
        }
      }
    });
    // Servers may ask the client for settings; answer like an editor (with none set unless a test sets some).
    this.connection.onRequest('workspace/configuration', (params: { items: Array<{ section?: string }> }) =>
      // The answer is written before any message a waiter sends next (waiters run after this returns).
      (this.configurationWaiters.splice(0).forEach((w) => w()), params.items.map((item) => (item.section === 'calx' ? this.settings : {}))),
    );
    this.connection.onRequest('client/registerCapability', () => null);
    // showInformationMessage & co. are requests (they may carry actions): recorded like notifications.
    this.connection.onRequest('window/showMessageRequest', (params: unknown) => {
      this.record('window/showMessageRequest', params);
      return null;
    });
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onUnhandledNotification(({ method, params }) => this.record(method, params));
    this.connection.listen();
  }

  private record(method: string, params: unknown): void {
    this.notifications.push({ method, params });
    for (const w of [...this.notificationWaiters]) {
      if (w.method === method) {
        this.notificationWaiters.splice(this.notificationWaiters.indexOf(w), 1);
        w.resolve(params);
      }
    }
    for (const check of [...this.conditionWaiters]) if (check()) this.conditionWaiters.splice(this.conditionWaiters.indexOf(check), 1);
  }

  /** Resolves once `condition` holds, checked now and after each notification recorded (e.g. "two messages shown"). */
  until(condition: () => boolean, what: string, timeoutMs = 10000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not within ${timeoutMs} ms: ${what}`)), timeoutMs);
      const check = () => condition() && (clearTimeout(timer), resolve(), true);
      if (!check()) this.conditionWaiters.push(check);
    });
  }

  /** Messages shown to the user (window/showMessage notifications and window/showMessageRequest requests). */
  get shown(): Array<{ type: number; message: string }> {
    return this.notifications
      .filter((n) => n.method === 'window/showMessage' || n.method === 'window/showMessageRequest')
      .map((n) => {
        const { type, message } = n.params as { type: number; message: string };
        return { type, message };
      });
  }

  /** Resolves with the params of the next notification `method` the server sends. */
  nextNotification<T = unknown>(method: string, timeoutMs = 10000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${method} within ${timeoutMs} ms`)), timeoutMs);
      this.notificationWaiters.push({ method, resolve: (p) => (clearTimeout(timer), resolve(p as T)) });
    });
  }

  /** Text of every log, trace and shown message received so far. */
  get messages(): string[] {
    return this.notifications.flatMap(({ method, params }) => {
      const p = params as { message?: string; verbose?: string } | undefined;
      if (method === 'window/logMessage' || method === 'window/showMessage' || method === 'window/showMessageRequest') return [p?.message ?? ''];
      if (method === '$/logTrace') return [`${p?.message ?? ''} ${p?.verbose ?? ''}`];
      return [];
    });
  }

  /** Opens a note and resolves with its first diagnostics. */
  async open(uri: string, text: string, version = 1): Promise<PublishDiagnosticsParams> {
    const published = this.nextDiagnostics(uri, version);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'plaintext', version, text } });
    return published;
  }

  /**
   * initialize + initialized. With `waitForSettings`, resolves once the server has pulled the settings, so
   * notes opened next are analysed with them. `trace` is the LSP trace value the client asks for.
   */
  async initialize(
    options: { waitForSettings?: boolean; trace?: 'off' | 'messages' | 'verbose'; initializationOptions?: unknown } = {},
  ): Promise<void> {
    const configured = options.waitForSettings ? this.nextConfigurationAnswer() : undefined;
    const result = await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: { workspace: { configuration: true }, textDocument: { hover: { contentFormat: ['markdown'] } } },
      ...(options.trace ? { trace: options.trace } : {}),
      ...(options.initializationOptions ? { initializationOptions: options.initializationOptions } : {}),
    });
    this.capabilities = result.capabilities;
    await this.connection.sendNotification('initialized', {});
    await configured;
  }

  /** Resolves once the client has answered the server's next workspace/configuration request. */
  nextConfigurationAnswer(timeoutMs = 10000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no workspace/configuration within ${timeoutMs} ms`)), timeoutMs);
      this.configurationWaiters.push(() => (clearTimeout(timer), resolve()));
    });
  }

  /** Resolves with the next diagnostics published for `uri` (and `version`, when given). */
  nextDiagnostics(uri: string, version?: number, timeoutMs = 10000): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ uri, version, resolve: (p) => (clearTimeout(timer), resolve(p)) });
    });
  }

  async stop(): Promise<void> {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } finally {
      this.connection.dispose();
      this.process.kill();
    }
  }
}
