/**
 * The files that `calx.terms.file` and `calx.cpt.descriptorFile` name, loaded off the request path and again
 * only when the path or the file changed. Every settings change used to read and compile them again, in one
 * synchronous block (a large term file froze the server for seconds each time); a FIFO, `/dev/stdin` or
 * `/dev/zero` froze it for good or ran it out of memory. Now the file is looked at (`stat`, which opens nothing)
 * on each change of settings, read (core/userFile.ts: regular files under a size cap, asynchronously) and built
 * only when its stamp (path, kind, size, mtime, inode) differs from the one last loaded, and what is refused is
 * told once per stamp, by path and reason, never with the file's content.
 */
import { sameStamp, readUserFile, stampFile, type FileStamp } from '../core/userFile';

export class UserFileSetting<T> {
  private last?: { stamp: FileStamp; value: T | undefined };

  /**
   * @param what the file as the user knows it ("custom term file"), starting each message
   * @param build the value from the file's text; throws an Error whose message names the problem, never the content
   * @param tell a warning shown to the user (paths are the user's own; logs get the reason only)
   */
  constructor(
    private readonly what: string,
    private readonly maxBytes: number,
    private readonly build: (text: string, path: string) => T,
    private readonly tell: (message: string) => void,
    private readonly log: (message: string) => void,
  ) {}

  /** The value built from `path` ('' for none): the last one while the file is unchanged, else read and built again. */
  async get(path: string): Promise<T | undefined> {
    if (!path) {
      this.last = undefined;
      return undefined;
    }
    if (this.last && sameStamp(this.last.stamp, await stampFile(path))) return this.last.value;
    const read = await readUserFile(path, this.maxBytes);
    let value: T | undefined;
    if (read.problem !== undefined) {
      this.log(`${this.what} not used: it ${read.problem}`);
      this.tell(`Calx: ${this.what} not used: ${path} ${read.problem}.`);
    } else {
      try {
        value = this.build(read.text, path);
      } catch (e) {
        this.log(`${this.what} not used: invalid`);
        this.tell(`Calx: ${this.what} not used: ${(e as Error).message}`);
      }
    }
    this.last = { stamp: read.stamp, value };
    return value;
  }
}
