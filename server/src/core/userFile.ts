/**
 * Reading a file a user's setting points at (custom terms, licensed CPT descriptors) without trusting it.
 * A path may name anything: `/dev/zero` (endless), a FIFO or `/dev/stdin` (a read that never returns), a
 * directory, a 500 MB export. Only a regular file under a size cap is read, asynchronously, so the server keeps
 * answering meanwhile. The file is first looked at with `stat` (which opens nothing, so a FIFO cannot block),
 * then opened non-blocking and checked again on the open handle (the path may have been swapped in between),
 * and read to at most `maxBytes + 1` bytes (it may grow while read). Problems are sentences for a person that
 * never quote the file.
 */
import { constants, promises as fs, type Stats } from 'node:fs';
import { formatBytes, sizeProblem } from './inputGuard';

/** The most a custom term file may weigh: 4 MiB, 32 times Calx's own lexicon. */
export const MAX_TERMS_FILE_SIZE = 4 * 1024 * 1024;
/** The most a licensed CPT descriptor file may weigh: 16 MiB, several times a full CPT export with extra columns. */
export const MAX_CPT_DESCRIPTOR_FILE_SIZE = 16 * 1024 * 1024;

/** What a path named when it was looked at: reading again is needed only when this changes. */
export interface FileStamp {
  path: string;
  /** "regular file", "directory", "named pipe (FIFO)", "device", "socket", or "missing". */
  kind: string;
  size: number;
  mtimeMs: number;
  ino: number;
}

export type UserFileRead = { stamp: FileStamp; text: string; problem?: undefined } | { stamp: FileStamp; text?: undefined; problem: string };

const REGULAR = 'regular file';

/** Looks at `path` without opening it. Never throws: a missing or unreadable path is a stamp of its own kind. */
export async function stampFile(path: string): Promise<FileStamp> {
  try {
    return stampOf(path, await fs.stat(path));
  } catch (e) {
    return { path, kind: errorKind(e), size: 0, mtimeMs: 0, ino: 0 };
  }
}

/** True when both stamps describe the same file in the same state (path, kind, size, mtime, inode). */
export function sameStamp(a: FileStamp | undefined, b: FileStamp | undefined): boolean {
  return !!a && !!b && a.path === b.path && a.kind === b.kind && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
}

/**
 * Reads `path` as UTF-8 text when it is a regular file of at most `maxBytes` bytes, else says why not. Never
 * throws. `stamp` is what was read (or refused), for `sameStamp` on the next look.
 */
export async function readUserFile(path: string, maxBytes: number): Promise<UserFileRead> {
  const first = await stampFile(path);
  const refused = refusal(first, maxBytes);
  if (refused) return { stamp: first, problem: refused };
  let handle: fs.FileHandle | undefined;
  try {
    // O_NONBLOCK: if the path became a FIFO since the stat, opening it must not wait for a writer.
    handle = await fs.open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const stamp = stampOf(path, await handle.stat());
    const changed = refusal(stamp, maxBytes);
    if (changed) return { stamp, problem: changed };
    const buffer = Buffer.alloc(Math.min(stamp.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) {
        if (length > maxBytes) return { stamp, problem: `grew over the limit of ${formatBytes(maxBytes)} while it was read` };
        break;
      }
    }
    return { stamp, text: buffer.toString('utf8', 0, length) };
  } catch (e) {
    return { stamp: first, problem: `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'unknown error'})` };
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

function refusal(stamp: FileStamp, maxBytes: number): string | undefined {
  if (stamp.kind === 'missing') return 'does not exist';
  if (stamp.kind !== REGULAR) return stamp.kind.startsWith('cannot') ? stamp.kind : `is a ${stamp.kind}, not a regular file`;
  return sizeProblem(stamp.size, maxBytes)?.reason;
}

function stampOf(path: string, stats: Stats): FileStamp {
  const kind = stats.isFile()
    ? REGULAR
    : stats.isDirectory()
      ? 'directory'
      : stats.isFIFO()
        ? 'named pipe (FIFO)'
        : stats.isCharacterDevice() || stats.isBlockDevice()
          ? 'device'
          : stats.isSocket()
            ? 'socket'
            : 'special file';
  return { path, kind, size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino };
}

/** "missing", or "cannot be looked at (EACCES)": the error's code only (its message repeats the path). */
function errorKind(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
  return `cannot be looked at (${code ?? 'unknown error'})`;
}
