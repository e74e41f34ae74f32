/**
 * The bench's soak row (issue 18): many notes open in one server, edited for minutes as a user types, and the
 * server's memory over time. Over LSP stdio (dist/server.js with the extension's Node flags): open `notes`
 * synthetic notes of `noteBytes`, then `editsPerSecond` edits for `seconds`, in bursts at random places of
 * random notes (characters typed one by one, sometimes a line break, sometimes a backspace), each burst
 * followed by a documentSymbol request (VS Code asks for the outline when typing pauses). The server's RSS is
 * read after opening, every `sampleSeconds` and at the end; its live heap after a forced collection (through
 * bench-memory.cjs) after opening and at the end.
 *
 * Run alone: node --import tsx scripts/bench-openNotes.ts (CALX_BENCH_LOAD_SECONDS, default 180), after
 * `npm run build`; prints one JSON object.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SERVER_ENV, SERVER_NODE_FLAGS } from '../client/src/serverFlags';
import { TestClient } from '../test/support/lspClient';
import { prng, syntheticNote } from '../test/support/syntheticNotes';
import { distribution, type Distribution } from './bench-stats';

export interface OpenNotesOptions {
  notes: number;
  noteBytes: number;
  editsPerSecond: number;
  seconds: number;
  /** How often RSS is read during the run. */
  sampleSeconds: number;
  seed: number;
  /** Where bench-memory.cjs writes the server's memory on SIGUSR2. */
  memoryFile: string;
  root: string;
}

export interface OpenNotesResult {
  notes: number;
  noteBytes: number;
  seconds: number;
  edits: number;
  /** Server RSS (MB): right after the notes were opened, then every `sampleSeconds`, then at the end. */
  rssMb: Array<{ atSeconds: number; rss: number }>;
  /** Live heap (MB) after a forced full collection: after opening, at the end. */
  liveHeapMb: { opened: number; end: number };
  peakRssMb: number;
  /** RSS at the end over RSS after opening (the target: at most 1.5). */
  rssGrowth: number;
  documentSymbolMs: Distribution;
}

const MB = 1e6;

/** The server's VmRSS or VmHWM, in MB. */
function procStatusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return (Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) * 1024) / MB;
}

/** The server's live heap (MB) after a full collection, asked through bench-memory.cjs (SIGUSR2). */
async function liveHeapMb(pid: number, memoryFile: string): Promise<number> {
  rmSync(memoryFile, { force: true });
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 200; i++) {
    await new Promise((r) => setTimeout(r, 20));
    try {
      return (JSON.parse(readFileSync(memoryFile, 'utf8')) as { heapUsed: number }).heapUsed / MB;
    } catch {
      // not written (completely) yet
    }
  }
  return NaN;
}

export async function openNotesUnderEdits(o: OpenNotesOptions): Promise<OpenNotesResult> {
  rmSync(o.memoryFile, { force: true });
  const execArgv = [...SERVER_NODE_FLAGS, '--require', join(o.root, 'scripts', 'bench-memory.cjs')];
  const client = new TestClient({ ...SERVER_ENV, CALX_BENCH_MEMORY_FILE: o.memoryFile }, { execArgv });
  const pid = client.process.pid!;
  let stopping = false;
  client.process.once('exit', (code, signal) => {
    if (stopping) return;
    process.stderr.write(`bench: the soak server exited (code ${code}, signal ${signal}); its stderr ends:\n${client.stderr.slice(-2000)}\n`);
    process.exit(1);
  });
  await client.initialize({ waitForSettings: true });
  const documents: TextDocument[] = [];
  for (let i = 0; i < o.notes; i++) {
    const uri = `file:///bench/soak-${i}.txt`;
    const text = syntheticNote(o.noteBytes, o.seed + i);
    documents.push(TextDocument.create(uri, 'plaintext', 1, text));
    await client.open(uri, text);
  }
  // RSS as the notes left it (no collection forced), then the live heap (one forced).
  const rssMb = [{ atSeconds: 0, rss: procStatusMb(pid, 'VmRSS') }];
  const heapOpened = await liveHeapMb(pid, o.memoryFile);
  const started = performance.now();
  const rnd = prng(o.seed);
  const outline: number[] = [];
  const pendingOutlines: Array<Promise<unknown>> = [];
  let edits = 0;
  let nextSample = o.sampleSeconds;
  // A burst: 1 to 12 keystrokes at one place of one note.
  let burst = { note: 0, offset: 0, left: 0 };
  const interval = 1000 / o.editsPerSecond;
  for (let due = started; performance.now() - started < o.seconds * 1000; due += interval) {
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (burst.left === 0) {
      const note = Math.floor(rnd() * documents.length);
      burst = { note, offset: Math.floor(rnd() * documents[note]!.getText().length), left: 1 + Math.floor(rnd() * 12) };
    }
    const document = documents[burst.note]!;
    const r = rnd();
    const at = document.positionAt(burst.offset);
    // 10% backspace, 8% line break, else a letter or a space.
    const change =
      r < 0.1 && burst.offset > 0
        ? { range: { start: document.positionAt(burst.offset - 1), end: at }, text: '' }
        : { range: { start: at, end: at }, text: r < 0.18 ? '\n' : r < 0.3 ? ' ' : String.fromCharCode(97 + Math.floor(rnd() * 26)) };
    burst.offset += change.text.length === 0 ? -1 : 1;
    const edited = TextDocument.update(document, [change], document.version + 1);
    documents[burst.note] = edited;
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: edited.uri, version: edited.version }, contentChanges: [change] });
    edits++;
    if (--burst.left === 0) {
      const t0 = performance.now();
      pendingOutlines.push(
        client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: edited.uri } }).then(() => outline.push(performance.now() - t0)),
      );
    }
    const atSeconds = (performance.now() - started) / 1000;
    if (atSeconds >= nextSample) {
      rssMb.push({ atSeconds: Math.round(atSeconds), rss: procStatusMb(pid, 'VmRSS') });
      nextSample += o.sampleSeconds;
    }
  }
  await Promise.all(pendingOutlines);
  // The last edits analysed (debounce) before the end is read.
  await new Promise((r) => setTimeout(r, 500));
  const end = { atSeconds: Math.round((performance.now() - started) / 1000), rss: procStatusMb(pid, 'VmRSS') };
  rssMb.push(end);
  const peakRssMb = procStatusMb(pid, 'VmHWM');
  const heapEnd = await liveHeapMb(pid, o.memoryFile);
  stopping = true;
  await client.stop();
  return {
    notes: o.notes,
    noteBytes: o.noteBytes,
    seconds: o.seconds,
    edits,
    rssMb,
    liveHeapMb: { opened: heapOpened, end: heapEnd },
    peakRssMb,
    rssGrowth: end.rss / rssMb[0]!.rss,
    documentSymbolMs: distribution(outline),
  };
}

if (require.main === module) {
  const root = join(__dirname, '..');
  void openNotesUnderEdits({
    notes: Number(process.env.CALX_BENCH_LOAD_NOTES ?? 50),
    noteBytes: 100 * 1024,
    editsPerSecond: 20,
    seconds: Number(process.env.CALX_BENCH_LOAD_SECONDS ?? 180),
    sampleSeconds: 30,
    seed: 1800,
    memoryFile: join(root, 'bench-results', '.soak-memory.json'),
    root,
  }).then((result) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`));
}
