/**
 * The language server: wires capabilities, settings and documents to the core. Every handler has one
 * shape: protocol in -> core -> protocol out. Note text never reaches a log line.
 */
import {
  CodeActionKind,
  type CancellationToken,
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeNote, type NoteAnalysis } from '../core/analyze';
import { ScanCache } from '../core/noteScan';
import { parseCptDescriptorFile } from '../core/cpt/descriptorFile';
import type { CptCatalog } from '../core/cpt/cptCatalog';
import { Lexicon } from '../core/lexicon/lexicon';
import { parseLexiconText } from '../core/lexicon/loadLexicon';
import { MAX_CPT_DESCRIPTOR_FILE_SIZE, MAX_TERMS_FILE_SIZE } from '../core/userFile';
import { findDataDir, loadServices, loadShippedLexiconFile, SHIPPED_LEXICON } from '../core/loadServices';
import type { CalxServices } from '../core/rules/types';
import { codingSummary, summaryToCsv, summaryToMarkdown } from '../core/summary';
import { searchCodes } from '../core/codes/search';
import { normalizeCode } from '../core/codes/codeIndex';
import { codeEntryMarkdown, type HoverOptions } from '../core/hover';
import { toLspDiagnostic } from './features/diagnostics';
import { provideCodeActions } from './features/codeActions';
import { provideCompletion } from './features/completion';
import { provideDocumentSymbols, provideInlayHints } from './features/outline';
import { provideHover } from './features/hover';
import {
  CODE_ENTRY,
  codeEntryCommandUri,
  CODING_SUMMARY,
  SEARCH_CODES,
  STATUS,
  type CalxInitializationOptions,
  type CodeEntryParams,
  type CodeEntryResult,
  type CodingSummaryParams,
  type CodingSummaryResult,
  type SearchCodesParams,
  type SearchCodesResult,
  type StatusParams,
} from './protocol';
import { DEFAULT_SETTINGS, readSettings, severities, type CalxSettings } from './settings';
import { DEFAULT_MAX_FILE_SIZE } from '../core/inputGuard';
import { checkpoint, ClampedTextDocument, DocumentGuard, guardHandlers, throwIfCancelled } from './documentGuard';
import { DEFAULT_IDLE_MEMORY, IdleMemoryRelease, idleWaitFromEnvironment } from './idleMemory';
import { YoungGenerationSweep } from './youngGeneration';
import { AnalysisWarmUp } from './analysisWarmUp';
import { UserFileSetting } from './userFiles';

const connection = createConnection(ProposedFeatures.all);
// Edit ranges past the end are clamped before they reach the document (documentGuard.ts).
const documents = new TextDocuments(ClampedTextDocument);
const log = (message: string) => connection.console.log(`[calx] ${message}`);
// Every handler registered below is caught, logged without note text and answered empty (documentGuard.ts).
guardHandlers(connection, log);
const documentGuard = new DocumentGuard(documents, (message) => void connection.window.showInformationMessage(message), log);
/** Full collections when the server goes idle after heavy work (analyses, search): see idleMemory.ts. */
const idleMemory = new IdleMemoryRelease({ ...DEFAULT_IDLE_MEMORY, ...idleWaitFromEnvironment(process.env.CALX_IDLE_RELEASE_MS), log });
/** A young collection after work, once its answer is sent, instead of one inside the next analysis: see youngGeneration.ts. */
const youngGeneration = new YoungGenerationSweep();

let dataDir: string;
let baseServices: CalxServices;
let services: CalxServices;
let settings: CalxSettings = DEFAULT_SETTINGS;
let canPullConfiguration = false;
/** Hovers fold long groups of notes behind a link to the full entry only for a client that runs the command. */
let hoverOptions: HoverOptions = {};
const reportedProblems = new Set<string>();
/** Latest analysis per open document, reused by hover; dropped when the document changes or closes. */
const analyses = new Map<string, { version: number; analysis: NoteAnalysis }>();
/** Paragraph scans per open document: an edit rescans the paragraph it touched (core/noteScan.ts). */
const scanCaches = new Map<string, ScanCache>();
const pending = new Map<string, ReturnType<typeof setTimeout>>();
/** Pause after a keystroke before re-analysing: typing bursts cost one analysis, not one per key. */
const DEBOUNCE_MS = 75;

connection.onInitialize((params): InitializeResult => {
  const started = performance.now();
  dataDir = findDataDir(__dirname);
  baseServices = loadServices(dataDir);
  services = baseServices;
  log(`ICD-10-CM FY${services.codes.fiscalYear}: ${services.codes.size} codes loaded in ${Math.round(performance.now() - started)} ms`);
  canPullConfiguration = params.capabilities.workspace?.configuration === true;
  const init = params.initializationOptions as CalxInitializationOptions | null | undefined;
  hoverOptions = init?.codeEntryCommand === true ? { entryLink: codeEntryCommandUri } : {};
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      completionProvider: { triggerCharacters: ['.'], resolveProvider: false },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      documentSymbolProvider: true,
      inlayHintProvider: true,
    },
    serverInfo: { name: 'calx', version: '0.1.0' },
  };
});

connection.onInitialized(async () => {
  // A client that opens no note still gets warm search indexes, a little later.
  setTimeout(warmUp, 2000).unref();
  if (canPullConfiguration) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: 'calx' });
    // Notes opened while the settings were on their way were analysed with the defaults: again, with them.
    if (await refreshSettings()) reanalyseAll();
  }
});

connection.onDidChangeConfiguration(async (change) => {
  // Same document versions, new settings: the cached analyses no longer hold.
  if (await refreshSettings(canPullConfiguration ? undefined : (change.settings as { calx?: unknown })?.calx)) reanalyseAll();
});

function reanalyseAll(): void {
  analyses.clear();
  for (const document of documents.all()) schedule(document, 0);
}

const warn = (message: string) => void connection.window.showWarningMessage(message);
/** The user's custom term file added to the lexicon; a broken file is reported by JSON path and skipped. */
const customTerms = new UserFileSetting('custom term file', MAX_TERMS_FILE_SIZE, buildCustomLexicon, warn, log);
/** The licensed CPT descriptors, when a file is set; its problems are reported by line, never by text. */
const licensedCpt = new UserFileSetting('CPT descriptor file', MAX_CPT_DESCRIPTOR_FILE_SIZE, buildLicensedCpt, warn, log);
/** Counts settings refreshes: one that a newer one overtook while its files loaded applies nothing. */
let settingsGeneration = 0;
/** How many settings problems are shown one by one; the rest are counted in one more message (and logged). */
const MAX_SHOWN_SETTINGS_PROBLEMS = 5;

/** Reads the settings and loads the files they name; false when a newer refresh overtook this one. */
async function refreshSettings(pushed?: unknown): Promise<boolean> {
  const generation = ++settingsGeneration;
  const raw = pushed ?? (canPullConfiguration ? await connection.workspace.getConfiguration('calx') : undefined);
  if (generation !== settingsGeneration) return false;
  const result = readSettings(raw ?? {});
  settings = result.settings;
  const fresh = result.problems.filter((problem) => !reportedProblems.has(problem));
  for (const problem of fresh) {
    reportedProblems.add(problem);
    log(`settings: ${problem}`);
  }
  for (const problem of fresh.slice(0, MAX_SHOWN_SETTINGS_PROBLEMS)) warn(`Calx settings: ${problem}`);
  if (fresh.length > MAX_SHOWN_SETTINGS_PROBLEMS) {
    warn(`Calx settings: ${fresh.length - MAX_SHOWN_SETTINGS_PROBLEMS} more problem(s); see the Calx output for all of them.`);
  }
  // Read off the request path: hovers and diagnostics go on with the services in place until the files are in.
  const [lexicon, cpt] = await Promise.all([customTerms.get(settings.terms.file), licensedCpt.get(settings.cpt.descriptorFile)]);
  if (generation !== settingsGeneration) return false;
  services = { ...baseServices, ...(lexicon ? { lexicon } : {}), ...(cpt ? { cpt } : {}) };
  return true;
}

function buildCustomLexicon(text: string, file: string): Lexicon {
  const shipped = loadShippedLexiconFile(dataDir);
  const custom = parseLexiconText(text, file, {
    externalConceptIds: shipped.concepts.map((c) => c.id),
    externalEtiologyIds: shipped.etiologies.map((e) => e.id),
  });
  log(`custom terms: ${custom.concepts.length} concept(s) added`);
  return new Lexicon([{ name: SHIPPED_LEXICON, file: shipped }, { name: file, file: custom }], baseServices.anatomy);
}

function buildLicensedCpt(text: string): CptCatalog {
  const { entries, errors } = parseCptDescriptorFile(text);
  if (errors.length > 0) {
    const first = errors.slice(0, 3).map((e) => `line ${e.line}: ${e.message}`).join('; ');
    warn(`Calx: ${errors.length} problem(s) in the CPT descriptor file (${first}).`);
  }
  log(`CPT descriptor file: ${entries.size} descriptors`);
  return baseServices.cpt.withLicensedDescriptors(entries);
}

let warmed = false;
/**
 * How long one slice of the idle warm-up keeps the event loop. A request waits for the slice under way
 * and, since vscode-jsonrpc writes answers from a later tick, perhaps one more (the bench's cold-start rows).
 */
const WARM_SLICE_MS = 5;
/**
 * Work done once, after the first diagnostics are out, in slices of a few milliseconds with the event loop free
 * in between: hovers, edits and diagnostics go on meanwhile.
 * - Word search and the alphabetic index are built on first use (~0.5 s): built here, so neither start-up nor
 *   the first keystroke of completion waits. A search that comes first finishes the index it needs from where
 *   the warm-up left it.
 * - Then the analysis is warmed up on a built-in note and its edits (analysisWarmUp.ts), so that the first
 *   minutes of typing take the fast paths V8 compiles only after many runs.
 */
function warmUp(): void {
  if (warmed) return;
  warmed = true;
  const steps = [...searchIndexSteps(), analysisWarmUpStep()];
  const next = () => {
    const step = steps[0];
    if (!step) return;
    try {
      if (step(performance.now() + WARM_SLICE_MS)) steps.shift();
    } catch (e) {
      log(`warming up failed (${(e as Error).name})`);
      steps.shift();
    }
    setTimeout(next, 1).unref();
  };
  setTimeout(next, 100).unref();
}

/** The search indexes' builds; each step works until the deadline it is given and says whether it is done. */
function searchIndexSteps(): Array<(deadline: number) => boolean> {
  return [
    (deadline) => services.codes.warmWordIndex(deadline),
    (deadline) => services.warmAlphabeticIndex(deadline),
    (deadline) => services.alphabeticIndex().warmSearch(deadline),
  ];
}

/**
 * The analysis warm-up as one step: each slice runs analyses as `publish` does (the settings' severities, the
 * diagnostics converted for LSP), with a scan cache of its own, and throws them away.
 */
function analysisWarmUpStep(): (deadline: number) => boolean {
  const warm = new AnalysisWarmUp((document, cache) => {
    const analysis = analyzeNote(document.getText(), services, { severities: severities(settings), cache });
    for (const d of analysis.diagnostics) toLspDiagnostic(document, d);
  });
  return (deadline) => {
    const done = warm.step(deadline);
    // Its garbage goes as any analysis's does: a young collection after the slice, the idle release later.
    idleMemory.touch();
    youngGeneration.afterWork();
    return done;
  };
}

function schedule(document: TextDocument, delay = DEBOUNCE_MS): void {
  clearTimeout(pending.get(document.uri));
  pending.set(
    document.uri,
    setTimeout(() => {
      pending.delete(document.uri);
      publish(document.uri);
    }, delay),
  );
}

function analysisOf(document: TextDocument): NoteAnalysis {
  idleMemory.touch();
  const cached = analyses.get(document.uri);
  if (cached && cached.version === document.version) return cached.analysis;
  // A stale analysis is never asked for again: let it go before the new one allocates.
  analyses.delete(document.uri);
  // A note over calx.maxFileSize, binary or not UTF-8 is analysed as empty (no diagnostics), and told once.
  const refused = documentGuard.refuse(document, settings.maxFileSize ?? DEFAULT_MAX_FILE_SIZE);
  let cache = scanCaches.get(document.uri);
  if (!cache) scanCaches.set(document.uri, (cache = new ScanCache()));
  const analysis = analyzeNote(refused ? '' : document.getText(), services, { severities: severities(settings), cache });
  analyses.set(document.uri, { version: document.version, analysis });
  youngGeneration.afterWork();
  return analysis;
}

/**
 * The analysis of the note a request is about, or undefined when it is not open. A request the client cancelled
 * stops with RequestCancelled: before anything when it was cancelled before it ran, and after the analysis when
 * it had to analyse (the long part; the event loop then reads a $/cancelRequest that came meanwhile). The note
 * may have changed during that turn: the analysis returned is always of its text now.
 */
async function requestAnalysis(uri: string, token: CancellationToken): Promise<{ document: TextDocument; analysis: NoteAnalysis } | undefined> {
  throwIfCancelled(token);
  const document = documents.get(uri);
  if (!document) return undefined;
  if (analyses.get(uri)?.version !== document.version) {
    analysisOf(document);
    await checkpoint(token);
  }
  const current = documents.get(uri);
  return current && { document: current, analysis: analysisOf(current) };
}

function publish(uri: string): void {
  // The document may have changed or closed while the timer ran: analyse what is there now, or nothing.
  const document = documents.get(uri);
  if (!document) return;
  try {
    const analysis = analysisOf(document);
    const diagnostics = analysis.diagnostics.map((d) => toLspDiagnostic(document, d));
    void connection.sendDiagnostics({ uri, version: document.version, diagnostics });
    const status: StatusParams = {
      uri,
      fiscalYear: services.codes.fiscalYear,
      findingCount: analysis.findings.length,
      problemCount: diagnostics.length,
    };
    void connection.sendNotification(STATUS, status);
    warmUp();
  } catch (e) {
    log(`analysis failed (${(e as Error).name}): ${(e as Error).stack?.split('\n')[1]?.trim() ?? ''}`);
  }
}

// Fired on open too: a note not analysed yet is analysed at once, later edits are debounced. The analysis of
// the text before is dropped on every change and open, even when the client sent the same version number again
// (or opened the note twice without closing it): answers came from the old text.
documents.onDidChangeContent((e) => {
  const { uri } = e.document;
  const analysed = analyses.delete(uri);
  schedule(e.document, analysed || pending.has(uri) ? DEBOUNCE_MS : 0);
});
documents.onDidClose((e) => {
  clearTimeout(pending.get(e.document.uri));
  pending.delete(e.document.uri);
  analyses.delete(e.document.uri);
  scanCaches.delete(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

connection.onHover(async (params, token) => {
  const analysed = await requestAnalysis(params.textDocument.uri, token);
  if (!analysed) return null;
  try {
    return provideHover(analysed.document, params.position, analysed.analysis, services, hoverOptions);
  } catch (e) {
    log(`hover failed (${(e as Error).name})`);
    return null;
  }
});

connection.onCompletion(async (params, token) => {
  const analysed = await requestAnalysis(params.textDocument.uri, token);
  if (!analysed) return null;
  youngGeneration.afterWork();
  try {
    return provideCompletion(analysed.document, params, analysed.analysis, services);
  } catch (e) {
    log(`completion failed (${(e as Error).name})`);
    return null;
  }
});

connection.onCodeAction(async (params, token) => {
  const analysed = await requestAnalysis(params.textDocument.uri, token);
  return analysed ? provideCodeActions(analysed.document, params, analysed.analysis, services) : [];
});

connection.onDocumentSymbol(async (params, token) => {
  const analysed = await requestAnalysis(params.textDocument.uri, token);
  return analysed ? provideDocumentSymbols(analysed.document, analysed.analysis, services) : [];
});

connection.languages.inlayHint.on(async (params, token) => {
  const analysed = await requestAnalysis(params.textDocument.uri, token);
  if (!analysed) return [];
  const { document, analysis } = analysed;
  return provideInlayHints(document, analysis, services, document.offsetAt(params.range.start), document.offsetAt(params.range.end));
});

connection.onRequest(SEARCH_CODES, async (params: SearchCodesParams, token: CancellationToken): Promise<SearchCodesResult> => {
  idleMemory.touch();
  youngGeneration.afterWork();
  throwIfCancelled(token);
  try {
    // Indexes not built yet (~0.5 s) are finished here in slices, so a cancelled search stops between two.
    for (const step of searchIndexSteps()) while (!step(performance.now() + WARM_SLICE_MS)) await checkpoint(token);
    const limit = Math.min(Math.max(params.limit ?? 50, 1), 500);
    return { fiscalYear: services.codes.fiscalYear, items: searchCodes(services.codes, services.alphabeticIndex(), String(params.query ?? ''), limit, services) };
  } catch (e) {
    if (e instanceof ResponseError) throw e;
    log(`search failed (${(e as Error).name})`);
    return { fiscalYear: services.codes.fiscalYear, items: [] };
  }
});

connection.onRequest(CODE_ENTRY, (params: CodeEntryParams): CodeEntryResult | null => {
  const code = normalizeCode(String(params?.code ?? ''));
  const markdown = code === undefined ? undefined : codeEntryMarkdown(code, services.codes);
  return markdown === undefined ? null : { code: code!, markdown };
});

connection.onRequest(CODING_SUMMARY, async (params: CodingSummaryParams, token: CancellationToken): Promise<CodingSummaryResult | null> => {
  const analysed = await requestAnalysis(params.uri, token);
  if (!analysed) return null;
  const { analysis } = analysed;
  const summary = codingSummary(analysis, services);
  return {
    markdown: summaryToMarkdown(summary),
    csv: summaryToCsv(summary),
    json: summary,
    findingCount: analysis.findings.length,
    fiscalYear: summary.fiscalYear,
  };
});

documents.listen(connection);
connection.listen();
