/**
 * The bench row of `calx check --format ndjson` (issue 19, item 3): one calx process (one core for the analysis)
 * reading NOTES real-shaped notes as JSON lines from a file on standard input and writing its results to a
 * file; MB/s and notes/s over the wall time, and again after the start-up (the same run on one note).
 *
 * "Real-shaped": dictated notes as they come out of an EHR, long paragraphs of 10 to 40 sentences, each opened
 * by a capitalised header inline ("HISTORY OF PRESENT ILLNESS: The patient ..."), few blank lines; 3 to 6
 * paragraphs, about 3 to 20 KB. The sentences are test/support/syntheticNotes.ts's, so findings, codes and
 * negations are as dense as in the other rows.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HEADERS, prng, sentence } from '../test/support/syntheticNotes';

export function realShapedNote(seed: number): string {
  const rnd = prng(seed);
  const paragraphs: string[] = [];
  const count = 3 + Math.floor(rnd() * 4);
  for (let p = 0; p < count; p++) {
    const sentences = Array.from({ length: 10 + Math.floor(rnd() * 31) }, () => sentence(rnd));
    paragraphs.push(`${HEADERS[Math.floor(rnd() * HEADERS.length)]}: ${sentences.join(' ')}`);
  }
  // Mostly one line break between paragraphs; now and then a blank line.
  return `${paragraphs.map((para, i) => (i > 0 && rnd() < 0.2 ? `\n${para}` : para)).join('\n')}\n`;
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
