/**
 * Parser for a user's LICENSED CPT descriptor file (CSV or TSV: code, descriptor, extra columns ignored).
 *
 * Invariants:
 * - Pure and total: never throws; every problem becomes a `CptFileError` with a 1-based line.
 * - Error messages never contain descriptor text, nor the content of an invalid code cell (a file with swapped
 *   columns would otherwise copy licensed text into logs). Only a validated code may be named.
 */
import { cptDescriptorRowSchema } from './schema';

/** A problem in the descriptor file. */
export interface CptFileError {
  /** 1-based line where the offending record starts (a quoted field may span several lines). */
  line: number;
  /** What is wrong, naming at most the CPT code, never the descriptor. */
  message: string;
}

/** The outcome of parsing a descriptor file: whatever was usable, plus the problems found. */
export interface CptDescriptorFileResult {
  /** Licensed descriptor by CPT code; the first row wins when a code repeats. */
  entries: ReadonlyMap<string, string>;
  /** Problems in file order. */
  errors: CptFileError[];
}

/** One record after splitting, before validation. */
interface RawRecord {
  /** 1-based line where the record starts. */
  line: number;
  /** Cells in column order, unquoted. */
  fields: string[];
}

type Delimiter = ',' | '\t';

const BOM = '\uFEFF';
const LINE_BREAK = /\r\n|\n|\r/;

/** Parses CSV (RFC 4180 quoting) or TSV text; see the module comment for the guarantees. */
export function parseCptDescriptorFile(text: string): CptDescriptorFileResult {
  const nulIndex = text.indexOf('\0');
  if (nulIndex !== -1) {
    // A spreadsheet (.xlsx) or UTF-16 export picked by mistake: rows parsed from it would be noise.
    const error = { line: lineOfOffset(text, nulIndex), message: 'file contains NUL bytes; it looks binary, not CSV or TSV text' };
    return { entries: new Map(), errors: [error] };
  }
  const body = text.startsWith(BOM) ? text.slice(BOM.length) : text;
  const errors: CptFileError[] = [];
  const records = detectDelimiter(body) === '\t' ? splitTsv(body) : splitCsv(body, errors);
  const entries = collectEntries(dropHeader(records.filter(isNonBlank)), errors);
  errors.sort((a, b) => a.line - b.line);
  return { entries, errors };
}

/**
 * The first separator after the first cell decides, because the first cell is a code (or a header word) and
 * contains neither a comma nor a tab. Quoted text is skipped so a quoted header cell cannot mislead.
 */
function detectDelimiter(text: string): Delimiter {
  const firstLine = text.split(LINE_BREAK).find((line) => line.trim() !== '') ?? '';
  let inQuotes = false;
  for (const ch of firstLine) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === ',' || ch === '\t')) return ch;
  }
  return ',';
}

/**
 * TSV has no quoting: licensed tab-delimited exports contain literal double quotes in descriptors, which a
 * quote-aware reader would mangle.
 */
function splitTsv(text: string): RawRecord[] {
  return text.split(LINE_BREAK).map((line, index) => ({ line: index + 1, fields: line.split('\t') }));
}

/**
 * RFC 4180 reader, lenient where the RFC is silent: a quote inside an unquoted cell is kept literally, text after a
 * closing quote is appended, and CR, LF and CRLF all end a record. Line breaks inside quotes become `\n`.
 */
function splitCsv(text: string, errors: CptFileError[]): RawRecord[] {
  const records: RawRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let inQuotes = false;
  let atFieldStart = true;
  let i = 0;
  while (i < text.length) {
    const ch = text.charAt(i);
    const breakLength = lineBreakLength(text, i);
    if (inQuotes) {
      if (ch === '"' && text.charAt(i + 1) === '"') {
        field += '"';
        i += 2;
      } else if (ch === '"') {
        inQuotes = false;
        i += 1;
      } else if (breakLength > 0) {
        field += '\n';
        line += 1;
        i += breakLength;
      } else {
        field += ch;
        i += 1;
      }
      continue;
    }
    if (ch === '"' && atFieldStart) {
      inQuotes = true;
      atFieldStart = false;
      i += 1;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
      atFieldStart = true;
      i += 1;
    } else if (breakLength > 0) {
      fields.push(field);
      records.push({ line: recordLine, fields });
      fields = [];
      field = '';
      atFieldStart = true;
      line += 1;
      recordLine = line;
      i += breakLength;
    } else {
      field += ch;
      atFieldStart = false;
      i += 1;
    }
  }
  if (inQuotes) {
    // Everything after the opening quote was swallowed into one cell; keeping it would invent a descriptor.
    errors.push({ line: recordLine, message: 'quoted field is never closed; the rest of the file was ignored' });
  } else {
    fields.push(field);
    records.push({ line: recordLine, fields });
  }
  return records;
}

/** 2 for CRLF, 1 for a lone CR or LF, 0 otherwise. */
function lineBreakLength(text: string, index: number): number {
  const ch = text.charAt(index);
  if (ch === '\n') return 1;
  if (ch !== '\r') return 0;
  return text.charAt(index + 1) === '\n' ? 2 : 1;
}

function isNonBlank(record: RawRecord): boolean {
  return record.fields.some((cell) => cell.trim() !== '');
}

/**
 * Only the first record can be a header. It is one when its first cell is not a code and does not start with a
 * digit: `Code` or `HCPCS` is a header, while `2300` is a data row with a mistyped code and must be reported.
 */
function dropHeader(records: RawRecord[]): RawRecord[] {
  const firstCell = records[0]?.fields[0]?.trim() ?? '';
  const looksLikeHeader = firstCell !== '' && !/^\d/.test(firstCell);
  return looksLikeHeader ? records.slice(1) : records;
}

function collectEntries(records: RawRecord[], errors: CptFileError[]): Map<string, string> {
  const entries = new Map<string, string>();
  const lineByCode = new Map<string, number>();
  for (const record of records) {
    const row = validateRecord(record);
    if (typeof row === 'string') {
      errors.push({ line: record.line, message: row });
      continue;
    }
    const firstLine = lineByCode.get(row.code);
    if (firstLine !== undefined) {
      errors.push({ line: record.line, message: `code ${row.code}: duplicate of line ${firstLine}; this row is ignored` });
      continue;
    }
    lineByCode.set(row.code, record.line);
    entries.set(row.code, row.descriptor);
  }
  return entries;
}

/** The validated row, or an error message built only from schema messages and a validated code. */
function validateRecord(record: RawRecord): { code: string; descriptor: string } | string {
  const code = (record.fields[0] ?? '').trim().toUpperCase();
  const descriptor = (record.fields[1] ?? '').trim();
  const result = cptDescriptorRowSchema.safeParse({ code, descriptor });
  if (result.success) return result.data;
  const codeIsValid = !result.error.issues.some((issue) => issue.path[0] === 'code');
  const detail = result.error.issues.map((issue) => issue.message).join('; ');
  return codeIsValid ? `code ${code}: ${detail}` : detail;
}

function lineOfOffset(text: string, offset: number): number {
  return text.slice(0, offset).split(LINE_BREAK).length;
}
