/**
 * The in-process half of `npm run bench` (bundled by bench-build.ts and run in a fresh process):
 *   node bench-core.js measure '<json BenchCoreConfig>'   -> prints one JSON line of results
 *   node bench-core.js profile <bytes> <seconds>          -> analyses a note in a loop (run under --cpu-prof)
 *
 * Measures the core as the server calls it: analysis throughput per note size against a baseline single pass
 * (one case-insensitive regex of the lexicon's head words), the server-side work behind diagnostics (analysis +
 * positions) for a whole note and after a one-character edit, hover and code search.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeNote } from '../server/src/core/analyze';
import { ScanCache } from '../server/src/core/noteScan';
import { searchCodes } from '../server/src/core/codes/search';
import { findDataDir, loadServices } from '../server/src/core/loadServices';
import type { CalxServices } from '../server/src/core/rules/types';
import { toLspDiagnostic } from '../server/src/lsp/features/diagnostics';
import { provideHover } from '../server/src/lsp/features/hover';
import { provideDocumentSymbols, provideInlayHints } from '../server/src/lsp/features/outline';
import { YoungGenerationSweep } from '../server/src/lsp/youngGeneration';
import { AnalysisWarmUp } from '../server/src/lsp/analysisWarmUp';
import { prng, reportNote, syntheticNote } from '../test/support/syntheticNotes';
import { PREFIX_QUERIES, WORD_QUERIES } from './bench-queries';
import { distribution } from './bench-stats';

export interface BenchCoreConfig {
  /** Note sizes in bytes for the throughput table. */
  sizes: number[];
  /** Size of the note behind the server-side latencies (50 KB in the targets). */
  serverNoteBytes: number;
  /** Note sizes for the outline row (documentSymbol and inlay hints, asked after every edit). */
  outlineSizes: number[];
  /** Size of the larger of the two repetitive notes (the smaller is a quarter of it). */
  repetitiveBytes: number;
  seed: number;
  /** Time spent per size measuring throughput (at least `minRuns` rounds whatever it costs). */
  budgetMs: number;
  minRuns: number;
  /** Samples for each latency distribution. */
  samples: number;
  /** Sizes of the report-shaped notes (reportNote: long paragraphs, inline headers, few blank lines). */
  reportSizes: number[];
  /** Sizes of the report-shaped notes behind the server-side rows on them (whole note, one-character edit). */
  reportServerSizes: number[];
}

const time = (f: () => void): number => {
  const t = performance.now();
  f();
  return performance.now() - t;
};

/** The baseline: one case-insensitive pass of a regex of the lexicon's head words (first word of each term). */
export function headWordRegex(services: CalxServices): RegExp {
  const words = new Set<string>();
  for (const c of services.lexicon.concepts.values()) {
    for (const term of [...c.variants, ...c.abbreviations]) {
      const head = term.trim().split(/[\s-]+/)[0]!.toLowerCase();
      if (head) words.add(head.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    }
  }
  return new RegExp(`\\b(?:${[...words].sort((a, b) => b.length - a.length).join('|')})\\b`, 'gi');
}

function countMatches(re: RegExp, text: string): number {
  re.lastIndex = 0;
  let n = 0;
  while (re.exec(text)) n++;
  return n;
}

/**
 * Runs the cases in rounds until `budgetMs` per case is spent and every case has `minRuns` runs; returns the ms
 * of each run, per case. Each round gives every case a block of `blockMs` (at least one run), so a drift in the
 * machine's speed (this VM's drifts by up to 40% within minutes) falls on all cases alike and the ratios between
 * them (cost per KB across sizes, analysis over baseline) hold. Measured one after the other instead, the
 * linear-growth ratio of one commit read 0.97x and 1.85x in two runs. Blocks rather than single
 * runs: a small note analysed right after a 1 MB one pays for collecting the large one's garbage, and in a block
 * that touches only its first runs. (A forced collection before each block was tried and dropped: the server never
 * runs that way, and the small notes' figures moved with it.)
 */
function inRounds(cases: Array<() => void>, budgetMs: number, minRuns: number, blockMs = 250): number[][] {
  for (const f of cases) f(); // warm-up
  const runs = cases.map((): number[] => []);
  const started = performance.now();
  while (Math.min(...runs.map((r) => r.length)) < minRuns || performance.now() - started < budgetMs * cases.length) {
    cases.forEach((f, i) => {
      const blockStart = performance.now();
      do runs[i]!.push(time(f));
      while (performance.now() - blockStart < blockMs);
    });
  }
  return runs;
}

/** Throughput on `notes` (one per size), against the baseline pass on the same texts. */
function throughput(services: CalxServices, config: BenchCoreConfig, notes: string[]) {
  const re = headWordRegex(services);
  // Analyses and baseline passes of every size in the same rounds (the budget is shared by the two).
  const runs = inRounds(
    [...notes.map((text) => () => void analyzeNote(text, services)), ...notes.map((text) => () => void countMatches(re, text))],
    config.budgetMs / 2,
    config.minRuns,
  );
  return notes.map((text, i) => {
    const size = Buffer.byteLength(text);
    const analysis = analyzeNote(text, services);
    const analyses = distribution(runs[i]!);
    const median = analyses.p50;
    const baselineMedian = distribution(runs[notes.length + i]!).p50;
    return {
      bytes: size,
      findings: analysis.findings.length,
      mentions: analysis.mentions.length,
      diagnostics: analysis.diagnostics.length,
      baselineMatches: countMatches(re, text),
      runs: runs[i]!.length,
      medianMs: median,
      p95Ms: analyses.p95,
      mbPerS: size / 1e6 / (median / 1000),
      usPerKb: (median * 1000) / (size / 1024),
      baselineMedianMs: baselineMedian,
      baselineMbPerS: size / 1e6 / (baselineMedian / 1000),
      /** Analysis time over the baseline pass's time on the same text. */
      ratioToBaseline: median / baselineMedian,
    };
  });
}

/**
 * Adversarial notes: one line written over and over, the shapes that made the analysis quadratic before (a code
 * whose code-first note is not honoured, written thousands of times; a finding with the same coding on every line;
 * a suppression on every line; one run-on sentence where every finding looked at every site, or at every cause; a
 * note pasted as one line of CPT lists; a list of thousands of distinct codes). Each at two sizes in the same
 * rounds: their cost per KB should not grow.
 */
const REPEATED_LINES: ReadonlyArray<readonly [string, string]> = [
  ['code-first code on every line', 'Coronary artery calcification, I25.84.'],
  ['same manifestation finding on every line', 'Metastatic calcification due to hypercalcemia, E83.59.'],
  ['suppression on every line', 'Calcific tendinitis of the right shoulder, M75.30. [calx-ignore unspecified-code: coder review]'],
  // No line break and no sentence end: one dictated "sentence" holding every finding, site and side.
  ['one run-on sentence', 'calcific tendinitis of the right shoulder, no calcification of the left hip,'],
  // The same, with causes: each finding cites its sentence's causes once each.
  ['one run-on sentence of causes', 'calciphylaxis in ESRD and hyperparathyroidism,'],
  // A note pasted as one line: every code not in the curated CPT set was checked for a "CPT" label back to the line's start.
  ['one line of CPT lists', 'CPT 20551-50, 76942, 23000-LT,'],
  // {code}: another code of the code set on every line. Each rule that paired every code with every code or
  // finding (Excludes1, code first, unspecified code) costs the square of the list.
  ['a different code on every line', 'Calcific tendinitis of the right shoulder, {code}.'],
];

/**
 * Numbered lines of `line` up to `bytes`; a line ending in a comma is run on instead (one long line). `{code}` in
 * the line is the next of `codes` each time.
 */
function repeated(line: string, bytes: number, codes: readonly string[]): string {
  const runOn = line.endsWith(',');
  const lines: string[] = [];
  for (let total = 0, i = 1; total < bytes; i++) {
    const next = (runOn ? line : `${i}. ${line}`).replace('{code}', () => codes[i % codes.length]!);
    lines.push(next);
    total += next.length + 1;
  }
  return `${lines.join(runOn ? ' ' : '\n')}\n`;
}

function repetitive(services: CalxServices, config: BenchCoreConfig) {
  const [small, large] = [config.repetitiveBytes / 4, config.repetitiveBytes];
  // Codes of every chapter: every 7th code of the code set, A to Z.
  const codes = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'].flatMap((letter) => services.codes.prefixSearch(letter, 1e6).map((c) => c.code)).filter((_, i) => i % 7 === 0);
  const notes = REPEATED_LINES.flatMap(([, line]) => [repeated(line, small, codes), repeated(line, large, codes)]);
  const runs = inRounds(
    notes.map((text) => () => void analyzeNote(text, services)),
    config.budgetMs / 4,
    config.minRuns,
  );
  return REPEATED_LINES.map(([label], i) => {
    const [a, b] = [2 * i, 2 * i + 1].map((k) => ({ bytes: Buffer.byteLength(notes[k]!), medianMs: distribution(runs[k]!).p50 }));
    return {
      label,
      diagnostics: analyzeNote(notes[2 * i + 1]!, services).diagnostics.length,
      small: a!,
      large: b!,
      /** Cost per KB of the large note over the small one's: 1 when the cost grows linearly. */
      growth: b!.medianMs / b!.bytes / (a!.medianMs / a!.bytes),
    };
  });
}

/**
 * The outline (documentSymbol) and the inlay hints of one screen (60 lines in the middle) of large notes,
 * from a cached analysis as the server answers them, in the same rounds: their cost per KB should not grow.
 */
function outline(services: CalxServices, config: BenchCoreConfig, note: (bytes: number) => string) {
  const cases = config.outlineSizes.map((bytes) => {
    const text = note(bytes);
    const document = TextDocument.create('file:///bench/outline.txt', 'plaintext', 1, text);
    const analysis = analyzeNote(text, services);
    const middle = Math.floor(document.lineCount / 2);
    const screen = [document.offsetAt({ line: middle, character: 0 }), document.offsetAt({ line: middle + 60, character: 0 })] as const;
    return { text, document, analysis, screen };
  });
  const runs = inRounds(
    [
      ...cases.map((c) => () => void provideDocumentSymbols(c.document, c.analysis, services)),
      ...cases.map((c) => () => void provideInlayHints(c.document, c.analysis, services, c.screen[0], c.screen[1])),
    ],
    config.budgetMs / 4,
    config.minRuns,
  );
  const sizes = cases.map((c, i) => ({
    bytes: Buffer.byteLength(c.text),
    sections: c.analysis.model.sections.length,
    items: c.analysis.findings.length + c.analysis.mentions.length,
    documentSymbolMs: distribution(runs[i]!).p50,
    inlayHintsMs: distribution(runs[cases.length + i]!).p50,
  }));
  const [small, large] = [sizes[0]!, sizes[sizes.length - 1]!];
  /** Cost per KB of the largest note's outline over the smallest's: 1 when it grows linearly. */
  const growth = large.documentSymbolMs / large.bytes / (small.documentSymbolMs / small.bytes);
  return { sizes, growth };
}

/** What the server does behind one publishDiagnostics: (apply the edit,) analyse, convert offsets to positions. */
/** Whether the analysis warm-up the server runs once has run in this process. */
let warmedUp = false;

function serverSide(services: CalxServices, config: BenchCoreConfig, text: string, samples = config.samples) {
  // As the server does: one scan cache per open document, so an edit rescans only the paragraph it touched.
  const publish = (document: TextDocument, cache?: ScanCache) =>
    analyzeNote(document.getText(), services, { cache }).diagnostics.map((d) => toLspDiagnostic(document, d));
  const document = TextDocument.create('file:///bench/note.txt', 'plaintext', 1, text);
  const cache = new ScanCache();
  publish(document, cache);
  // The server warms its analysis up once, after its first diagnostics (server/src/lsp/analysisWarmUp.ts).
  if (!warmedUp) {
    const warmUp = new AnalysisWarmUp((d, c) => void publish(d, c));
    while (!warmUp.step(Infinity));
    warmedUp = true;
  }
  // Between two answers the server empties the young generation when it is more than a quarter full
  // (server/src/lsp/youngGeneration.ts): done here too between samples, untimed, with the time it takes reported.
  const sweep = new YoungGenerationSweep();
  // A whole note: a newly opened document, nothing cached.
  const whole: number[] = [];
  for (let i = 0; i < samples; i++) {
    whole.push(time(() => publish(TextDocument.create('file:///bench/n.txt', 'plaintext', 1, text), new ScanCache())));
    sweep.sweep();
  }
  // One-character edits at seeded places, applied incrementally as the server's TextDocuments does.
  const rnd = prng(config.seed);
  let edited = document;
  const afterEdit: number[] = [];
  // Split by whether the edit changed what the analysis reads (analysisReuse.ts: the last analysis moved) or not.
  const reusedMs: number[] = [];
  const refoundMs: number[] = [];
  const findingsMovedMs: number[] = [];
  const fromEditMs: number[] = [];
  const rulesMs: number[] = [];
  const analysedMs: number[] = [];
  let scanned = 0;
  for (let i = 0; i < samples; i++) {
    const offset = Math.floor(rnd() * edited.getText().length);
    const at = edited.positionAt(offset);
    const [reused, refound, findingsMoved, fromEdit, rules] = [cache.reusedAnalyses, cache.refoundAnalyses, cache.movedFindings, cache.foundFromEdit, cache.reusedDiagnostics];
    const ms = time(() => {
      edited = TextDocument.update(edited, [{ range: { start: at, end: at }, text: i % 2 ? 'e' : ' ' }], edited.version + 1);
      publish(edited, cache);
    });
    afterEdit.push(ms);
    const kind =
      cache.reusedAnalyses > reused
        ? reusedMs
        : cache.refoundAnalyses > refound
          ? refoundMs
          : cache.movedFindings > findingsMoved
            ? findingsMovedMs
            : cache.foundFromEdit > fromEdit
              ? fromEditMs
              : cache.reusedDiagnostics > rules
                ? rulesMs
                : analysedMs;
    kind.push(ms);
    sweep.sweep();
    scanned += cache.lastScan.scanned;
  }
  // Hover on everything found (codes, findings), from the cached analysis as the server does.
  const analysis = analyzeNote(text, services);
  const targets = [...analysis.mentions.map((m) => m.start + 1), ...analysis.findings.map((f) => f.start + 1)];
  const hover: number[] = [];
  for (let i = 0; i < Math.max(samples, targets.length); i++) {
    const position = document.positionAt(targets[i % targets.length]!);
    hover.push(time(() => provideHover(document, position, analysis, services)));
  }
  return {
    noteBytes: Buffer.byteLength(text),
    diagnostics: analysis.diagnostics.length,
    wholeNoteMs: distribution(whole),
    afterOneCharEditMs: distribution(afterEdit),
    /** Scan units in the note (paragraphs, or their lines that end a sentence), and how many an edit rescanned on average (the rest came from the cache). */
    units: cache.lastScan.units,
    rescannedPerEdit: scanned / samples,
    /**
     * The edits whose last analysis was moved (analysisReuse.ts), those whose last analysis was moved once the
     * changed sentences' findings were found again, those whose findings were moved but a code changed (the rules
     * again), those whose findings came out the same (the last diagnostics moved), and the others, with their times.
     */
    reusedEdits: {
      share: reusedMs.length / samples,
      p50Ms: reusedMs.length ? distribution(reusedMs).p50 : 0,
      refoundShare: refoundMs.length / samples,
      refoundP50Ms: refoundMs.length ? distribution(refoundMs).p50 : 0,
      findingsMovedShare: findingsMovedMs.length / samples,
      findingsMovedP50Ms: findingsMovedMs.length ? distribution(findingsMovedMs).p50 : 0,
      fromEditShare: fromEditMs.length / samples,
      fromEditP50Ms: fromEditMs.length ? distribution(fromEditMs).p50 : 0,
      rulesShare: rulesMs.length / samples,
      rulesP50Ms: rulesMs.length ? distribution(rulesMs).p50 : 0,
      othersP50Ms: analysedMs.length ? distribution(analysedMs).p50 : 0,
    },
    hoverMs: distribution(hover),
    /** The young collections run between samples as the server runs them (none when Node has no `gc`). */
    youngSweeps: { enabled: sweep.enabled, count: sweep.collections, meanMs: sweep.collections ? sweep.collectMs / sweep.collections : 0 },
  };
}


/**
 * The rows above on notes shaped like real dictated reports (reportNote): throughput against the baseline,
 * the outline, and the server-side work for a whole note and after a one-character edit at each of
 * `reportServerSizes` (fewer samples for a note of 1 MB, which takes tens of milliseconds a run).
 */
function reports(services: CalxServices, config: BenchCoreConfig) {
  const note = (bytes: number, k = 0) => reportNote(bytes, config.seed + 30 + k);
  return {
    throughput: throughput(services, config, config.reportSizes.map((bytes) => note(bytes))),
    outline: outline(services, config, (bytes) => note(bytes, 1)),
    server: config.reportServerSizes.map((bytes, k) =>
      serverSide(services, config, note(bytes, 2 + k), bytes > 512 * 1024 ? Math.max(10, Math.round(config.samples / 4)) : config.samples),
    ),
  };
}

function search(services: CalxServices, config: BenchCoreConfig) {
  const first = time(() => searchCodes(services.codes, services.alphabeticIndex(), 'calcific tend', 50));
  const measure = (queries: string[]) => {
    const xs: number[] = [];
    for (let i = 0; i < config.samples; i++) {
      const q = queries[i % queries.length]!;
      xs.push(time(() => searchCodes(services.codes, services.alphabeticIndex(), q, 50)));
    }
    return distribution(xs);
  };
  return { firstQueryMs: first, prefixMs: measure(PREFIX_QUERIES), wordMs: measure(WORD_QUERIES) };
}

function main() {
  const [mode, ...args] = process.argv.slice(2);
  const t = performance.now();
  const services = loadServices(findDataDir(__dirname));
  const loadMs = performance.now() - t;
  if (mode === 'profile') {
    const text = syntheticNote(Number(args[0] ?? 51200), 7);
    analyzeNote(text, services);
    const started = performance.now();
    let runs = 0;
    while (performance.now() - started < Number(args[1] ?? 3) * 1000 || runs < 2) {
      analyzeNote(text, services);
      runs++;
    }
    process.stdout.write(`${JSON.stringify({ chars: text.length, runs, msPerRun: (performance.now() - started) / runs })}\n`);
    return;
  }
  const config = JSON.parse(args[0] ?? '{}') as BenchCoreConfig;
  if (mode === 'reports') {
    process.stdout.write(`${JSON.stringify({ loadMs, reports: reports(services, config) })}\n`);
    return;
  }
  const result = {
    loadMs,
    throughput: throughput(services, config, config.sizes.map((bytes) => syntheticNote(bytes, config.seed))),
    repetitive: repetitive(services, config),
    outline: outline(services, config, (bytes) => syntheticNote(bytes, config.seed + 2)),
    server: serverSide(services, config, syntheticNote(config.serverNoteBytes, config.seed + 1)),
    search: search(services, config),
    reports: reports(services, config),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main();
