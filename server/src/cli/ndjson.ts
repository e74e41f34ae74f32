/**
 * `calx check --format ndjson`: a streaming batch mode for audits of many notes (a pipeline, or one
 * long-lived process per Spark partition). Standard input is a stream of records, one JSON object a line:
 * `{"id": "n1", "text": "..."}` (the note itself) or `{"id": "n2", "path": "notes/a.txt"}` (a file, read with the
 * checks of the file mode). Standard output gets one JSON line per record, in input order, as soon as it is
 * done: `{"id", "line", ...FileReport fields}` or `{"id", "line", "error"}` for a record that was not analysed.
 *
 * Memory stays constant whatever the input's length: one record is read, analysed and written at a time,
 * output waits for a slow reader (drain), and a line longer than --max-file-size is not kept: its bytes are
 * counted and dropped up to the next line break, and it is reported too large. A bad record (not JSON, no id,
 * no text or path, too large, binary, a file that cannot be read) gets its error line; the stream goes on.
 * Errors never contain note text (JSON.parse's messages quote the input, so they are not passed on).
 * Progress (records, MB, rates; never text) goes to stderr every few seconds, and a summary line at the end.
 */
import { once } from 'node:events';
import { relative } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { checkNoteText, decodeNoteBytes, firstInvalidUtf8, formatBytes } from '../core/inputGuard';
import type { CalxServices } from '../core/rules/types';
import { readInput } from './inputs';
import { analyseFile, fileJson } from './report';

const NEWLINE = 0x0a;
/** How much of a line that is too long is kept to find its id (`{"id": ...` written first, as Calx's Spark job does). */
const ID_PREFIX = 512;
const PROGRESS_MS = 5000;

export interface NdjsonOptions {
  maxFileSize: number;
  /** Where progress and the closing summary go (stderr). */
  log: (line: string) => void;
  now?: () => number;
}

export interface NdjsonSummary {
  records: number;
  bad: number;
  errors: number;
  warnings: number;
}

type Id = string | number;

/** Checks records from `input` and writes one result line each to `output`; resolves when the input has ended. */
export async function checkRecords(input: Readable, output: Writable, services: CalxServices, options: NdjsonOptions): Promise<NdjsonSummary> {
  const now = options.now ?? Date.now;
  const summary: NdjsonSummary = { records: 0, bad: 0, errors: 0, warnings: 0 };
  const started = now();
  let bytesIn = 0;
  let lastProgress = started;
  let lineNo = 0;
  const progress = (final: boolean) => {
    const seconds = Math.max((now() - started) / 1000, 1e-3);
    const mb = bytesIn / 1e6;
    const rate = `${mb.toFixed(1)} MB in ${seconds.toFixed(1)} s (${(mb / seconds).toFixed(2)} MB/s, ${Math.round(summary.records / seconds)} records/s)`;
    const counts = `${summary.records} record(s), ${summary.bad} bad, ${summary.errors} error(s), ${summary.warnings} warning(s)`;
    options.log(final ? `calx: ${counts}; ${rate}` : `calx: ${summary.records} record(s) so far, ${rate}`);
  };

  const write = async (result: object) => {
    if (!output.write(`${JSON.stringify(result)}\n`)) await once(output, 'drain');
  };

  const handle = async (line: Buffer) => {
    lineNo++;
    bytesIn += line.length + 1;
    const end = line.length > 0 && line[line.length - 1] === 0x0d ? line.length - 1 : line.length;
    const bytes = line.subarray(0, end);
    if (isBlank(bytes)) return;
    summary.records++;
    const result = analyseRecord(bytes, lineNo, services, options.maxFileSize);
    if ('error' in result) summary.bad++;
    else
      for (const d of result.diagnostics) {
        if (d.severity === 'error') summary.errors++;
        if (d.severity === 'warning') summary.warnings++;
      }
    await write(result);
    if (now() - lastProgress >= PROGRESS_MS) {
      lastProgress = now();
      progress(false);
    }
  };

  const tooLong = async (prefix: Buffer, length: number) => {
    lineNo++;
    bytesIn += length + 1;
    summary.records++;
    summary.bad++;
    await write({
      id: leadingId(prefix),
      line: lineNo,
      error: `is over the limit of ${formatBytes(options.maxFileSize)} (a line of ${formatBytes(length)}, skipped without being kept)`,
    });
  };

  /** The current line's bytes so far (never more than maxFileSize of them), or only its start once it is too long. */
  let parts: Buffer[] = [];
  let partLength = 0;
  let overLimit: { prefix: Buffer; length: number } | undefined;
  const take = (piece: Buffer) => {
    if (overLimit) {
      overLimit.length += piece.length;
    } else if (partLength + piece.length > options.maxFileSize) {
      const prefix = Buffer.concat([...parts, piece.subarray(0, ID_PREFIX)]).subarray(0, ID_PREFIX);
      overLimit = { prefix: Buffer.from(prefix), length: partLength + piece.length };
      parts = [];
      partLength = 0;
    } else {
      parts.push(Buffer.from(piece));
      partLength += piece.length;
    }
  };
  const endLine = async () => {
    if (overLimit) {
      const { prefix, length } = overLimit;
      overLimit = undefined;
      await tooLong(prefix, length);
    } else {
      const line = Buffer.concat(parts, partLength);
      parts = [];
      partLength = 0;
      await handle(line);
    }
  };

  for await (const chunk of input as AsyncIterable<Buffer>) {
    let from = 0;
    for (let nl = chunk.indexOf(NEWLINE, from); nl >= 0; nl = chunk.indexOf(NEWLINE, from)) {
      take(chunk.subarray(from, nl));
      await endLine();
      from = nl + 1;
    }
    if (from < chunk.length) take(chunk.subarray(from));
  }
  if (overLimit || partLength > 0) await endLine();
  progress(true);
  return summary;
}

/** The result line of one record: its FileReport with the id, or its error. */
function analyseRecord(bytes: Buffer, line: number, services: CalxServices, maxFileSize: number) {
  const fail = (id: Id | null, error: string) => ({ id, line, error });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail(leadingId(bytes), `is not valid UTF-8 (first bad byte at offset ${firstInvalidUtf8(bytes)} of the line)`);
  }
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    return fail(null, 'is not valid JSON');
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return fail(null, 'is not a JSON object ({"id": ..., "text": ...} or {"id": ..., "path": ...})');
  const fields = record as Record<string, unknown>;
  const id = fields.id;
  if (!isId(id)) return fail(null, 'has no "id" (a string or a finite number)');
  const hasText = typeof fields.text === 'string';
  const hasPath = typeof fields.path === 'string';
  if (hasText === hasPath) return fail(id, 'needs either "text" (the note, a string) or "path" (a file to read), not both');
  let file: string;
  let note: string;
  if (hasText) {
    file = '<stdin>';
    note = fields.text as string;
    const problem = checkNoteText(note, maxFileSize);
    if (problem) return fail(id, problem.reason);
  } else {
    const path = fields.path as string;
    file = relative(process.cwd(), path) || path;
    try {
      const read = readInput(path, maxFileSize);
      if (read.problem) return fail(id, read.problem.reason);
      const decoded = decodeNoteBytes(read.bytes, maxFileSize);
      if (decoded.problem) return fail(id, decoded.problem.reason);
      note = decoded.text;
    } catch (e) {
      return fail(id, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).name})`);
    }
  }
  return { id, line, ...fileJson(analyseFile(file, note, services), services) };
}

const isId = (value: unknown): value is Id => typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));

function isBlank(bytes: Buffer): boolean {
  for (const b of bytes) if (b !== 0x20 && b !== 0x09) return false;
  return true;
}

/** The id of a record whose line starts `{"id": <string or number>` (only the id is read, never the text). */
function leadingId(start: Buffer): Id | null {
  const match = /^\s*\{\s*"id"\s*:\s*("(?:[^"\\\n]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*[,}]/.exec(start.toString('utf8'));
  if (!match) return null;
  try {
    const id: unknown = JSON.parse(match[1]!);
    return isId(id) ? id : null;
  } catch {
    return null;
  }
}
