/**
 * The bench row of `calx check --format ndjson` (issue 19, item 3): one calx process (one core for the analysis)
 * reading NOTES real-shaped notes as JSON lines from a file on standard input and writing its results to a
 * file; MB/s and notes/s over the wall time, and again after the start-up (the same run on one note).
 *
 * "Real-shaped": the report-shaped notes of the other issue 19 rows (reportNote: paragraphs of 10-40
 * sentences, capitalised headers inline, few blank lines), 3 to 20 KB each.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prng, reportNote } from '../test/support/syntheticNotes';

/** A report-shaped note (test/support/syntheticNotes.ts's reportNote) of 3 to 20 KB, chosen by `seed`. */
export function realShapedNote(seed: number): string {
  return reportNote(3_000 + Math.floor(prng(seed)() * 17_000), seed);
}

export interface NdjsonThroughput {
  notes: number;
  megabytes: number;
  wallMs: number;
  startupMs: number;
  notesPerS: number;
  mbPerS: number;
  notesPerSAfterStartup: number;
  mbPerSAfterStartup: number;
}

export function ndjsonThroughput(cli: string, notes: number, seed: number, reps: number): NdjsonThroughput {
  const dir = mkdtempSync(join(tmpdir(), 'calx-bench-ndjson-'));
  try {
    const input = join(dir, 'notes.jsonl');
    const one = join(dir, 'one.jsonl');
    let bytes = 0;
    const lines: string[] = [];
    for (let i = 0; i < notes; i++) {
      const text = realShapedNote(seed + i);
      bytes += Buffer.byteLength(text);
      lines.push(JSON.stringify({ id: `note-${i}`, text }));
    }
    writeFileSync(input, `${lines.join('\n')}\n`);
    writeFileSync(one, `${lines[0]}\n`);
    const run = (file: string) => {
      const [stdin, stdout] = [openSync(file, 'r'), openSync(join(dir, 'results.jsonl'), 'w')];
      try {
        const t0 = performance.now();
        const result = spawnSync(process.execPath, [cli, 'check', '--format', 'ndjson', '--no-fail', '-'], { stdio: [stdin, stdout, 'pipe'] });
        const ms = performance.now() - t0;
        if (result.status !== 0) throw new Error(`calx check --format ndjson exited ${result.status}: ${result.stderr}`);
        return ms;
      } finally {
        closeSync(stdin);
        closeSync(stdout);
      }
    };
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const wallMs = median(Array.from({ length: reps }, () => run(input)));
    if (statSync(join(dir, 'results.jsonl')).size === 0) throw new Error('calx check --format ndjson wrote nothing');
    const startupMs = median(Array.from({ length: reps }, () => run(one)));
    const megabytes = bytes / 1e6;
    return {
      notes,
      megabytes,
      wallMs,
      startupMs,
      notesPerS: notes / (wallMs / 1000),
      mbPerS: megabytes / (wallMs / 1000),
      notesPerSAfterStartup: notes / ((wallMs - startupMs) / 1000),
      mbPerSAfterStartup: megabytes / ((wallMs - startupMs) / 1000),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
