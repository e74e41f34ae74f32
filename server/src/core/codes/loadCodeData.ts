/**
 * Reads data/icd10cm/ once. Kept apart from CodeIndex so the index itself stays a pure data structure that
 * tests can build from literals.
 *
 * Validation happens once per build, not once per start: scripts/build-data.ts validates every file it
 * writes (with the schemas of schema.ts and the cross-record checks of CodeIndex and AlphabeticIndex) and
 * records its size and sha256 in provenance.json. A file whose bytes match that record is parsed without
 * re-validation (hashing 17 MB takes about 10 ms; validating it, about 200 ms). Any other file (edited by
 * hand, corrupted, from another build, a checkout with changed line endings) is validated in full, so a
 * malformed file still fails with a DataFileError that names the file and the JSON path or line.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { Sliced } from '../sliced';
import { AlphabeticIndex } from './alphabeticIndex';
import { CodeIndex, type CodeTableOptions, type DerivedData } from './codeIndex';
import {
  changesFileSchema,
  CODE_TABLE_HEADER,
  codesFileSchema,
  derivedFileSchema,
  DATA_SCHEMA_VERSION,
  dataFilesSchema,
  describeZodError,
  indexFileSchema,
  notesFileSchema,
  type ChangesFile,
  type CodesFile,
  type DataFiles,
  type DerivedFile,
  type IndexFile,
  type NotesFile,
} from './schema';

/** A data file that is missing, not JSON, or not of the expected shape. */
export class DataFileError extends Error {
  override name = 'DataFileError';
}

/** The generated files of data/icd10cm/, in the order build-data.ts writes them. */
export const GENERATED_FILES = ['codes.json', 'codes.tsv', 'notes.json', 'changes.json', 'index.json', 'derived.json'] as const;
export type GeneratedFile = (typeof GENERATED_FILES)[number];

/** The sha256 of some bytes, as written in provenance.json. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The integrity records of provenance.json; none when it is missing, unreadable or of another schema version. */
function readIntegrity(dir: string): DataFiles['files'] {
  try {
    const parsed = dataFilesSchema.safeParse(JSON.parse(readFileSync(join(dir, 'provenance.json'), 'utf8')));
    return parsed.success && parsed.data.schemaVersion === DATA_SCHEMA_VERSION ? parsed.data.files : {};
  } catch {
    return {};
  }
}

/** A generated file's text, and whether its bytes are those build-data.ts validated. */
interface DataText {
  text: string;
  verified: boolean;
}

/** Reads the generated files of one data/icd10cm folder, checking each against provenance.json. */
export class CodeDataReader {
  private readonly integrity: DataFiles['files'];

  constructor(readonly dir: string) {
    this.integrity = readIntegrity(dir);
  }

  read(name: GeneratedFile): DataText {
    return new Sliced(this.readSlices(name)).finish();
  }

  /** `read`, pausable (see Sliced): it yields after each piece of the file. */
  *readSlices(name: GeneratedFile): Generator<void, DataText, void> {
    let file: { text: string; bytes: number; sha256: string };
    try {
      file = yield* readTextFile(join(this.dir, name));
    } catch (e) {
      throw new DataFileError(`cannot read ${name} in ${this.dir}: ${(e as Error).message}`);
    }
    const record = this.integrity[name];
    return { text: file.text, verified: record !== undefined && record.bytes === file.bytes && record.sha256 === file.sha256 };
  }

  /** A JSON file: parsed, and validated unless verified. */
  json<T extends z.ZodType>(name: GeneratedFile, schema: T): z.infer<T> {
    const { text, verified } = this.read(name);
    return parseJson(name, text, schema, !verified);
  }
}

/** Bytes read at a time: decoded pieces this large go straight to V8's large-object space. */
const CHUNK_BYTES = 1 << 18;

/**
 * A UTF-8 file's text, size and sha256, read a piece at a time through one small buffer (yielding after each,
 * see Sliced). Reading a 9 MB file whole would take a 9 MB buffer from the C heap, which keeps that space (and
 * grows by it) after it is freed.
 */
function* readTextFile(path: string): Generator<void, { text: string; bytes: number; sha256: string }, void> {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafeSlow(CHUNK_BYTES);
    const hash = createHash('sha256');
    const decoder = new TextDecoder('utf-8');
    const parts: string[] = [];
    let bytes = 0;
    for (let n; (n = readSync(fd, buffer, 0, CHUNK_BYTES, null)) > 0; bytes += n) {
      const chunk = buffer.subarray(0, n);
      hash.update(chunk);
      parts.push(decoder.decode(chunk, { stream: true }));
      yield;
    }
    parts.push(decoder.decode());
    return { text: parts.join(''), bytes, sha256: hash.digest('hex') };
  } finally {
    closeSync(fd);
  }
}

/** Parses a generated JSON file; with `validate`, checks it against its schema (errors name the JSON path). */
export function parseJson<T extends z.ZodType>(name: string, text: string, schema: T, validate: boolean): z.infer<T> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new DataFileError(`cannot read ${name}: ${(e as Error).message}`);
  }
  if (!validate) return json as z.infer<T>;
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new DataFileError(`invalid ${name}:\n${describeZodError(parsed.error, name)}`);
  return parsed.data;
}

/** The rows of codes.tsv after its header line (a view of the text, not a copy). */
export function codeTableRows(text: string): string {
  const headerEnd = text.indexOf('\n');
  const header = (headerEnd < 0 ? text : text.slice(0, headerEnd)).replace(/\r$/, '');
  if (header !== CODE_TABLE_HEADER) {
    throw new DataFileError(`invalid codes.tsv: line 1 is not the header "${CODE_TABLE_HEADER.replaceAll('\t', '<TAB>')}"`);
  }
  return headerEnd < 0 ? '' : text.slice(headerEnd + 1);
}

/**
 * Loads the code set (codes, notes, changes, and what the build derived from them) from a data/icd10cm folder.
 * derived.json is used only together with the files it was worked out from, all with their recorded bytes;
 * otherwise (a file edited, line endings changed) the code shapes and telling stems are worked out from the
 * codes on first use, as for a code set built from anything else.
 */
export function loadCodeIndex(icd10cmDir: string, reader = new CodeDataReader(icd10cmDir)): CodeIndex {
  const codes = reader.json('codes.json', codesFileSchema);
  const table = reader.read('codes.tsv');
  const notes = reader.json('notes.json', notesFileSchema);
  const changesText = reader.read('changes.json');
  const changes = parseJson('changes.json', changesText.text, changesFileSchema, !changesText.verified);
  const derivedText = reader.read('derived.json');
  const derived = parseJson('derived.json', derivedText.text, derivedFileSchema, !derivedText.verified);
  const trusted = table.verified && changesText.verified && derivedText.verified;
  return codeIndexOf(codes, table.text, notes, changes, { validateRows: !table.verified, ...(trusted ? { derived: derivedData(derived) } : {}) });
}

/** derived.json as the code index keeps it. */
function derivedData({ codeShapes, titleStems }: DerivedFile): DerivedData {
  return { codeShapes: { ...codeShapes, seconds: new Map(codeShapes.seconds) }, titleStems };
}

/** A CodeIndex of parsed files and the text of codes.tsv; its cross-record errors as a DataFileError. */
function codeIndexOf(codes: CodesFile, table: string, notes: NotesFile, changes: ChangesFile, options: CodeTableOptions): CodeIndex {
  try {
    return new CodeIndex(codes, codeTableRows(table), notes, changes, options);
  } catch (e) {
    if (e instanceof DataFileError) throw e;
    throw new DataFileError(`invalid code set: ${(e as Error).message}`);
  }
}

/** The code set of generated texts (codes, notes, changes), validated in full; build-data.ts works out derived.json from it. */
export function validatedCodeIndex(texts: Readonly<Record<'codes.json' | 'codes.tsv' | 'notes.json' | 'changes.json', string>>): CodeIndex {
  const codes = parseJson('codes.json', texts['codes.json'], codesFileSchema, true);
  const notes = parseJson('notes.json', texts['notes.json'], notesFileSchema, true);
  const changes = parseJson('changes.json', texts['changes.json'], changesFileSchema, true);
  return codeIndexOf(codes, texts['codes.tsv'], notes, changes, { validateRows: true });
}

/**
 * Validates generated files in full, as a load of files that match no checksum would (build-data.ts runs it
 * on what it is about to write). Throws a DataFileError naming the file and the JSON path or line.
 */
export function validateGeneratedFiles(texts: Readonly<Record<GeneratedFile, string>>): { codes: CodeIndex; index: AlphabeticIndex } {
  const codes = validatedCodeIndex(texts);
  parseJson('derived.json', texts['derived.json'], derivedFileSchema, true);
  const index = new AlphabeticIndex(parseJson('index.json', texts['index.json'], indexFileSchema, true));
  return { codes, index };
}

/** Loads the alphabetic index (larger, and needed only for index look-ups and word completion). */
export function loadAlphabeticIndex(icd10cmDir: string, reader = new CodeDataReader(icd10cmDir)): AlphabeticIndex {
  return new Sliced(alphabeticIndexSlices(reader)).finish();
}

/** Main terms parsed between two pauses of a sliced load. */
const TERMS_PER_SLICE = 256;

/**
 * Loads index.json pausably (see Sliced), so that a server can load it between requests: it yields after
 * each piece of the file read and every 256 main terms parsed. build-data.ts writes one main term per line
 * (scripts/data/jsonLines.ts), so a verified file is parsed a line at a time; any other file is parsed and
 * validated whole, as every data file is.
 */
export function* alphabeticIndexSlices(reader: CodeDataReader): Generator<void, AlphabeticIndex, void> {
  const { text, verified } = yield* reader.readSlices('index.json');
  const lines = verified ? termLines(text) : undefined;
  if (!lines) return new AlphabeticIndex(parseJson('index.json', text, indexFileSchema, !verified));
  const parse = (json: string): unknown => {
    try {
      return JSON.parse(json);
    } catch (e) {
      throw new DataFileError(`cannot read index.json: ${(e as Error).message}`);
    }
  };
  const index = new AlphabeticIndex(parse(`${text.slice(0, lines.headerEnd)}[]\n}`) as IndexFile);
  let parsed = 0;
  for (let at = lines.start; at < lines.end; ) {
    const newline = text.indexOf('\n', at);
    const lineEnd = newline < 0 || newline > lines.end ? lines.end : newline;
    const comma = text.charCodeAt(lineEnd - 1) === 44 /* , */ ? 1 : 0;
    index.addMainTerm(parse(text.slice(at, lineEnd - comma)) as IndexFile['terms'][number]);
    at = lineEnd + 1;
    if (++parsed % TERMS_PER_SLICE === 0) yield;
  }
  return index;
}

/**
 * Where the main terms of index.json start and end, and where the header before them ends (after `"terms": `),
 * when the file has the layout build-data.ts writes: `"terms": [` on a line of its own, then one term per line,
 * then `]` and `}`. Undefined otherwise.
 */
function termLines(text: string): { headerEnd: number; start: number; end: number } | undefined {
  const head = '\n"terms": [\n';
  const tail = '\n]\n}\n';
  const at = text.indexOf(head);
  if (at < 0 || !text.endsWith(tail)) return undefined;
  return { headerEnd: at + head.length - 2, start: at + head.length, end: text.length - tail.length };
}
