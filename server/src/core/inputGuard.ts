/**
 * What Calx refuses to analyse, and why, in one place for the language server and the CLI: notes over the
 * size limit, binary content, and text that is not UTF-8. A refused note is not analysed at all; the caller
 * says so once, clearly, and keeps everything else working. Pure: no I/O, never throws.
 *
 * How text is judged:
 * - Size is counted in UTF-8 bytes (what the file weighs on disk), so the CLI and the editor agree.
 * - A NUL character means binary: text formats never contain one (git and grep use the same test).
 * - Invalid UTF-8: the CLI decodes bytes with a fatal decoder and names the first bad byte. The editor sends
 *   text it already decoded, where each invalid sequence became U+FFFD; a run of REPLACEMENT_RUN of them, or
 *   more than REPLACEMENT_SHARE of the characters (at least REPLACEMENT_MIN), means the file was not UTF-8
 *   text. A few isolated U+FFFD (a pasted symbol, one mis-encoded accent) are analysed like any character.
 */

/** Default size limit: 2 MiB, a hundred times the longest operative report. */
export const DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024;

const REPLACEMENT_RUN = 4;
const REPLACEMENT_SHARE = 0.05;
const REPLACEMENT_MIN = 16;

export type InputProblemKind = 'too-large' | 'binary' | 'invalid-utf8';

export interface InputProblem {
  kind: InputProblemKind;
  /** One sentence for a person, without any of the note's text ("is 2,097,153 bytes, over the limit of 2,097,152 bytes"). */
  reason: string;
}

/** "2,097,152 bytes", "1 byte": an exact size, digits grouped by thousands (the same in every locale). */
export function formatBytes(bytes: number): string {
  return `${String(bytes).replace(/\B(?=(\d{3})+$)/g, ',')} ${bytes === 1 ? 'byte' : 'bytes'}`;
}

/** UTF-8 length of a JavaScript string, without allocating (lone surrogates count as U+FFFD, 3 bytes). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Exact sizes, so a note one byte over the limit does not read "is 2 MB, over the 2 MB limit". */
export function sizeProblem(bytes: number, maxFileSize: number): InputProblem | undefined {
  if (bytes <= maxFileSize) return undefined;
  return { kind: 'too-large', reason: `is ${formatBytes(bytes)}, over the limit of ${formatBytes(maxFileSize)}` };
}

/**
 * A stream (standard input, a device, a FIFO) whose end was not waited for: reading stopped once `read`
 * bytes had passed the limit.
 */
export function streamTooLarge(read: number, maxFileSize: number): InputProblem {
  return { kind: 'too-large', reason: `is over the limit of ${formatBytes(maxFileSize)} (reading stopped after ${formatBytes(read)})` };
}

/** Text from an editor (already decoded): too large, binary, or decoded from something that was not UTF-8. */
export function checkNoteText(text: string, maxFileSize = DEFAULT_MAX_FILE_SIZE): InputProblem | undefined {
  // UTF-8 takes at most three bytes per UTF-16 unit: skip the count when the answer is sure.
  if (text.length * 3 > maxFileSize) {
    const tooLarge = sizeProblem(utf8Length(text), maxFileSize);
    if (tooLarge) return tooLarge;
  }
  if (text.includes('\0')) return { kind: 'binary', reason: 'looks binary (it contains NUL characters), not like a text note' };
  if (text.includes('\ufffd')) {
    let replacements = 0;
    let run = 0;
    for (let i = text.indexOf('\ufffd'); i >= 0 && i < text.length; i++) {
      if (text.charCodeAt(i) === 0xfffd) {
        replacements++;
        if (++run >= REPLACEMENT_RUN) break;
      } else run = 0;
    }
    if (run >= REPLACEMENT_RUN || (replacements >= REPLACEMENT_MIN && replacements > text.length * REPLACEMENT_SHARE)) {
      return {
        kind: 'invalid-utf8',
        reason: 'is not valid UTF-8 text (it was decoded with many replacement characters); reopen it with its encoding',
      };
    }
  }
  return undefined;
}

/**
 * Bytes from a file (the CLI): too large, binary, or not valid UTF-8; else the decoded text. A byte order mark
 * is kept as U+FEFF, as `readFileSync(file, 'utf8')` keeps it, so offsets count it like before.
 */
export function decodeNoteBytes(
  bytes: Uint8Array,
  maxFileSize = DEFAULT_MAX_FILE_SIZE,
): { text: string; problem?: undefined } | { text?: undefined; problem: InputProblem } {
  const tooLarge = sizeProblem(bytes.length, maxFileSize);
  if (tooLarge) return { problem: tooLarge };
  if (bytes.includes(0)) return { problem: { kind: 'binary', reason: 'looks binary (it contains NUL bytes), not like a text note' } };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    return { problem: { kind: 'invalid-utf8', reason: `is not valid UTF-8 (first bad byte at offset ${firstInvalidUtf8(bytes)})` } };
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence (the decoder does not say). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    for (let k = 1; k < length; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    // Overlong 3/4-byte forms, UTF-16 surrogates and code points above U+10FFFF.
    const second = bytes[i + 1]!;
    if ((b === 0xe0 && second < 0xa0) || (b === 0xed && second > 0x9f) || (b === 0xf0 && second < 0x90) || (b === 0xf4 && second > 0x8f)) return i;
    i += length;
  }
  return bytes.length;
}
