/**
 * Keeps the server answering whatever it is sent:
 * - `DocumentGuard`: notes that must not be analysed (over `calx.maxFileSize`, binary, not UTF-8; see
 *   core/inputGuard.ts) are refused with ONE information message per note, until the note is fixed or closed;
 *   their diagnostics are cleared because the caller analyses them as empty.
 * - `ClampedTextDocument`: the documents' text, with each edit's range clamped to the text before it is applied
 *   (an edit past the end left holes in the document's line table, and every position after it was wrong).
 * - `checkpoint`: where a long request lets the client's $/cancelRequest in, and stops when it was cancelled.
 * - `guardHandlers`: every handler registered on the connection runs inside a catch. A failure is logged by
 *   the handler's name, the error's class and its top stack frame (never its message, which may quote the
 *   note), the request is answered with `null` (an empty answer in every LSP request) and the server lives on.
 */
import { basename } from 'node:path';
import { LSPErrorCodes, ResponseError, type CancellationToken, type Connection } from 'vscode-languageserver/node';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { checkNoteText, type InputProblem } from '../core/inputGuard';

export class DocumentGuard {
  /** What each refused note was last told, so a note is told once per problem, not once per keystroke. */
  private readonly told = new Map<string, InputProblem['kind']>();

  constructor(
    documents: { onDidClose(listener: (e: { document: TextDocument }) => void): unknown },
    private readonly tell: (message: string) => void,
    private readonly log: (message: string) => void,
  ) {
    // A closed note is forgotten: reopening it over the limit tells the user again.
    documents.onDidClose((e) => this.told.delete(e.document.uri));
  }

  /** The problem that keeps this note from analysis (told to the user once), or undefined when it may be analysed. */
  refuse(document: TextDocument, maxFileSize: number): InputProblem | undefined {
    const problem = checkNoteText(document.getText(), maxFileSize);
    if (!problem) {
      this.told.delete(document.uri);
      return undefined;
    }
    if (this.told.get(document.uri) !== problem.kind) {
      this.told.set(document.uri, problem.kind);
      // The file name is shown to the user who opened it; logs get the kind only (names can carry PHI).
      this.log(`note not analysed (${problem.kind})`);
      this.tell(`Calx: ${noteName(document.uri)} ${problem.reason}; it is not analysed.`);
    }
    return problem;
  }
}

/**
 * `TextDocument` for `TextDocuments`, with the ranges of incremental edits clamped to the text, one edit at a
 * time (each applies to the text the one before left). The text it makes is the same as before (offsets were
 * already clamped), but `TextDocument.update` counts lines from the range as sent: an edit starting past the last
 * line wrote its line starts past the end of the table, leaving holes, and positions after it went wrong.
 */
export const ClampedTextDocument = {
  create: TextDocument.create,
  update(document: TextDocument, changes: TextDocumentContentChangeEvent[], version: number): TextDocument {
    for (const change of changes) {
      if (!('range' in change) || !change.range) {
        TextDocument.update(document, [change], version);
        continue;
      }
      const [start, end] = [document.offsetAt(change.range.start), document.offsetAt(change.range.end)].sort((a, b) => a - b);
      const range = { start: document.positionAt(start!), end: document.positionAt(end!) };
      TextDocument.update(document, [{ range, text: change.text }], version);
    }
    return document;
  },
};

/**
 * A point where a long request may stop: lets the event loop read what arrived meanwhile (the client's
 * $/cancelRequest) and, when the request was cancelled, ends it with the LSP error RequestCancelled (-32800), as
 * the protocol advises (`guardHandlers` passes a ResponseError through). Costs one turn of the event loop.
 */
export async function checkpoint(token: CancellationToken): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  throwIfCancelled(token);
}

/** Ends the request with RequestCancelled when the client cancelled it (e.g. before it was dispatched). */
export function throwIfCancelled(token: CancellationToken | null | undefined): void {
  // A client that sends its parameters by position may leave no token where the handler expects one.
  if (token?.isCancellationRequested === true) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
}

function noteName(uri: string): string {
  try {
    return basename(decodeURIComponent(new URL(uri).pathname)) || 'this note';
  } catch {
    return 'this note';
  }
}

/** Registrations whose failure must not be hidden: without initialize or shutdown there is no server to keep. */
const UNGUARDED = new Set(['onInitialize', 'onShutdown', 'onExit', 'onProgress']);

/**
 * Wraps every `connection.on*` registration made after this call so that the handler cannot throw or reject.
 * That covers `connection.languages.*.on` too (those features register through `connection.onRequest`).
 * Handlers are named by their method ("calx/searchCodes", "textDocument/inlayHint") or registration ("onHover").
 * `faultInjection` (tests only, from $CALX_FAULT_INJECTION): the handler registered under that name or
 * method throws an error whose message quotes the request's parameters, so tests can check that a failure
 * is answered empty and that its message (with the note's text) is never logged; "timer" throws once from a
 * timer, outside any handler.
 */
export function guardHandlers(connection: Connection, log: (message: string) => void, faultInjection = process.env.CALX_FAULT_INJECTION): void {
  const registry = connection as unknown as Record<string, unknown>;
  const failed = (label: string, error: unknown): null => {
    // A ResponseError is a deliberate protocol answer (e.g. "request cancelled"): it goes to the client as is.
    if (error instanceof ResponseError) throw error;
    log(`${label} failed (${describeError(error)}); answered empty`);
    return null;
  };
  const guarded =
    (label: string, handler: (...args: unknown[]) => unknown) =>
    (...args: unknown[]): unknown => {
      try {
        if (faultInjection && faultInjection === label) throw new Error(`injected fault: ${JSON.stringify(args[0])}`);
        const result = handler(...args);
        if (result && typeof (result as PromiseLike<unknown>).then === 'function') {
          return Promise.resolve(result).catch((e: unknown) => failed(label, e));
        }
        return result;
      } catch (e) {
        return failed(label, e);
      }
    };
  for (const name of Object.keys(registry)) {
    const register = registry[name];
    if (!/^on[A-Z]/.test(name) || UNGUARDED.has(name) || typeof register !== 'function') continue;
    registry[name] = (...args: unknown[]) => {
      const first = args[0] as string | { method?: string } | undefined;
      const label = typeof first === 'string' ? first : typeof first === 'object' && first?.method ? first.method : name;
      return (register as (...a: unknown[]) => unknown)(
        ...args.map((a) => (typeof a === 'function' ? guarded(label, a as (...x: unknown[]) => unknown) : a)),
      );
    };
  }
  // Last resort for timers and callbacks outside any handler: log like a handler failure and keep serving.
  // Failing in a loop (the client's pipe is gone, EPIPE on every write) is not serving: exit, the client
  // restarts the server.
  let recent: number[] = [];
  const uncaught = (what: string, e: unknown) => {
    const now = Date.now();
    recent = recent.filter((t) => now - t < 1000);
    recent.push(now);
    if (recent.length > MAX_UNCAUGHT_PER_SECOND) process.exit(1);
    safely(() => log(`${what} (${describeError(e)})`));
  };
  process.on('uncaughtException', (e) => uncaught('uncaught exception', e));
  process.on('unhandledRejection', (e) => uncaught('unhandled rejection', e));
  if (faultInjection === 'timer') {
    setTimeout(() => {
      throw new Error('injected fault in a timer');
    }, 0);
  }
}

const MAX_UNCAUGHT_PER_SECOND = 50;

/** The error's class and where it was thrown ("TypeError at analysisOf (server.js:120:5)"); never its message. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const frame = error.stack
    ?.split('\n')
    .find((line) => /^\s+at /.test(line))
    ?.trim();
  return frame ? `${error.name} ${frame}` : error.name;
}

function safely(f: () => void): void {
  try {
    f();
  } catch {
    // The connection is gone; nothing is left to tell.
  }
}
