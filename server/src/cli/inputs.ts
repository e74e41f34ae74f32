/**
 * What `calx check` reads: the inputs named on the command line, with directories walked for notes, and
 * each input's bytes read up to the size limit. Nothing here stops the run: an entry that cannot be listed,
 * followed or read comes back with the reason it is skipped, and the others are still checked.
 */
import { closeSync, fstatSync, lstatSync, openSync, readdirSync, readSync, statSync, type Dirent, type Stats } from 'node:fs';
import { extname, join } from 'node:path';
import { sizeProblem, streamTooLarge, type InputProblem } from '../core/inputGuard';

const NOTE_EXTENSIONS = new Set(['.txt', '.note', '.opnote', '.md']);
/** Bytes asked for per read: a pipe hands over at most 64 KiB at a time anyway. */
const CHUNK = 64 * 1024;

/** An input to check (`-` is standard input), or one to skip with the reason (said as "it <reason>"). */
export interface Input {
  path: string;
  skip?: string;
}

/**
 * The inputs in a stable order. Directories are walked in name order for regular files with a note-like
 * extension (a FIFO or device in a directory is never opened: it could block or never end); a directory met
 * again through a link (one back to an ancestor, or the same one named twice) is walked once. Files, devices
 * and FIFOs named on the command line are read as asked.
 */
export function listInputs(args: readonly string[]): Input[] {
  const inputs: Input[] = [];
  /** Directories walked, as device:inode, so a link back to an ancestor is not followed forever. */
  const walked = new Set<string>();
  const walk = (path: string, stats: Stats) => {
    const id = `${stats.dev}:${stats.ino}`;
    if (walked.has(id)) return;
    walked.add(id);
    let entries: Dirent[];
    try {
      entries = readdirSync(path, { withFileTypes: true });
    } catch (e) {
      inputs.push({ path, skip: `is a directory that cannot be read (${errorCode(e)})` });
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const name = entry.name;
      const child = join(path, name);
      const isNote = NOTE_EXTENSIONS.has(extname(name).toLowerCase());
      if (entry.isFile()) {
        if (isNote) inputs.push({ path: child });
      } else if (entry.isDirectory() || entry.isSymbolicLink()) {
        // A link is followed; a broken one could have been a note or a directory of notes, so it is said.
        const target = statOrSkip(child);
        if (target?.isDirectory()) walk(child, target);
        else if (target && isNote) inputs.push(target.isFile() ? { path: child } : { path: child, skip: notRegular(target) });
      } else if (isNote) inputs.push({ path: child, skip: notRegular(entry) });
    }
  };
  const statOrSkip = (path: string): Stats | undefined => {
    try {
      return statSync(path);
    } catch (e) {
      inputs.push({ path, skip: unreachable(path, e) });
      return undefined;
    }
  };
  for (const arg of args) {
    const stats = arg === '-' ? undefined : statOrSkip(arg);
    if (arg === '-') inputs.push({ path: '-' });
    else if (stats?.isDirectory()) walk(arg, stats);
    else if (stats) inputs.push({ path: arg });
  }
  return inputs;
}

/** Why a path could not be followed: a broken link, a link loop, or another error by its code. */
function unreachable(path: string, e: unknown): string {
  const code = errorCode(e);
  if (code === 'ELOOP') return 'is a link loop (ELOOP)';
  if (code === 'ENOENT') return isLink(path) ? 'is a link to something missing (ENOENT)' : 'does not exist (ENOENT)';
  return `cannot be read (${code})`;
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function notRegular(entry: Dirent | Stats): string {
  const what = entry.isFIFO() ? 'a FIFO' : entry.isSocket() ? 'a socket' : entry.isCharacterDevice() || entry.isBlockDevice() ? 'a device' : 'a special file';
  return `is ${what}, not a regular file: only regular files are read from a directory`;
}

const errorCode = (e: unknown) => (e as NodeJS.ErrnoException).code ?? (e as Error).name;

/**
 * The bytes of an input, never more than `maxFileSize` + 1 of them: a regular file over the limit is refused
 * by its size before any read, and standard input, a device or a FIFO is read until it ends or passes the
 * limit, where reading stops (an endless stream costs one byte over the limit, not all the memory there is).
 * Throws the error of opening or reading (the caller says "cannot be read").
 */
export function readInput(path: string, maxFileSize: number): { bytes: Buffer; problem?: undefined } | { problem: InputProblem } {
  const fd = path === '-' ? 0 : openSync(path, 'r');
  try {
    const stats = fstatSync(fd);
    if (stats.isFile()) {
      const tooLarge = sizeProblem(stats.size, maxFileSize);
      if (tooLarge) return { problem: tooLarge };
    }
    const chunks: Buffer[] = [];
    const scratch = Buffer.allocUnsafe(Math.min(CHUNK, maxFileSize + 1));
    let total = 0;
    for (;;) {
      const n = readSome(fd, scratch, Math.min(scratch.length, maxFileSize + 1 - total));
      if (n === 0) break;
      chunks.push(Buffer.from(scratch.subarray(0, n)));
      total += n;
      // A regular file that grew since fstat ends here too, like a stream.
      if (total > maxFileSize) return { problem: streamTooLarge(total, maxFileSize) };
    }
    return { bytes: Buffer.concat(chunks, total) };
  } finally {
    if (fd !== 0) closeSync(fd);
  }
}

/** One read of up to `length` bytes; waits and tries again when a non-blocking standard input has none yet. */
function readSome(fd: number, into: Buffer, length: number): number {
  for (;;) {
    try {
      return readSync(fd, into, 0, length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(WAIT, 0, 0, 10);
    }
  }
}
const WAIT = new Int32Array(new SharedArrayBuffer(4));
