/**
 * JSON from a user's file, parsed with errors that never quote the file. `JSON.parse` quotes the text around
 * an error ("Unexpected token 'P', "Patient Qu"... is not valid JSON"), and a setting may point at a note picked
 * by mistake: its words would reach the message and the log. So a syntax error is located again by a small
 * scanner of our own and told as line, column and kind only. Pure: no I/O, never throws.
 */

/** Where and how a JSON text is broken; nothing of the text itself. */
export interface JsonSyntaxError {
  /** 1-based line (LF, CRLF and CR end a line). */
  line: number;
  /** 1-based column in UTF-16 code units. */
  column: number;
  /** What is wrong, in words that never quote the text ("unexpected character", "unterminated string"). */
  kind: string;
}

const BOM = '\ufeff';

/** The parsed value, or where the text stops being JSON. A leading byte order mark is skipped. */
export function parseJsonText(text: string): { value: unknown; error?: undefined } | { value?: undefined; error: JsonSyntaxError } {
  const body = text.startsWith(BOM) ? text.slice(BOM.length) : text;
  try {
    return { value: JSON.parse(body) };
  } catch {
    const found = locateJsonError(body) ?? { offset: 0, kind: 'not valid JSON' };
    return { error: { ...lineAndColumn(body, found.offset), kind: found.kind } };
  }
}

/** "line 3, column 7: unexpected character". */
export function describeJsonError(error: JsonSyntaxError): string {
  return `line ${error.line}, column ${error.column}: ${error.kind}`;
}

interface Located {
  offset: number;
  kind: string;
}

/**
 * The first offset where `text` is not JSON (RFC 8259), or undefined when it is. Iterative (an explicit stack of
 * open brackets), so deep nesting cannot overflow the call stack.
 */
export function locateJsonError(text: string): Located | undefined {
  const n = text.length;
  const open: string[] = [];
  let i = 0;
  // value: a value must come; firstValue: after '[' (']' may come); key / firstKey: likewise in an object;
  // after: a value ended (',' or a closing bracket, or the end at the top level).
  let state: 'value' | 'firstValue' | 'key' | 'firstKey' | 'after' = 'value';
  for (;;) {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
    if (i >= n) return state === 'after' && open.length === 0 ? undefined : { offset: i, kind: 'unexpected end of the file' };
    const c = text[i]!;
    if (state === 'after') {
      const top = open[open.length - 1];
      if (top === undefined) return { offset: i, kind: 'unexpected text after the JSON value' };
      if (c === ',') {
        state = top === '{' ? 'key' : 'value';
        i++;
      } else if (c === (top === '{' ? '}' : ']')) {
        open.pop();
        i++;
      } else return { offset: i, kind: top === '{' ? "expected ',' or '}'" : "expected ',' or ']'" };
      continue;
    }
    if (state === 'firstKey' || state === 'key') {
      if (state === 'firstKey' && c === '}') {
        open.pop();
        i++;
        state = 'after';
        continue;
      }
      if (c !== '"') return { offset: i, kind: 'expected a property name in double quotes' };
      const end = scanString(text, i);
      if (typeof end !== 'number') return end;
      i = end;
      while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
      if (i >= n) return { offset: i, kind: 'unexpected end of the file' };
      if (text[i] !== ':') return { offset: i, kind: "expected ':' after a property name" };
      i++;
      state = 'value';
      continue;
    }
    if (state === 'firstValue' && c === ']') {
      open.pop();
      i++;
      state = 'after';
      continue;
    }
    if (c === '{' || c === '[') {
      open.push(c);
      i++;
      state = c === '{' ? 'firstKey' : 'firstValue';
      continue;
    }
    const end = c === '"' ? scanString(text, i) : c === '-' || (c >= '0' && c <= '9') ? scanNumber(text, i) : scanLiteral(text, i);
    if (typeof end !== 'number') return end;
    i = end;
    state = 'after';
  }
}

/** Offset after the string that starts at `start` (a double quote), or the error in it. */
function scanString(text: string, start: number): number | Located {
  for (let i = start + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22) return i + 1;
    if (code < 0x20) return { offset: i, kind: 'control character in a string (a line break or tab must be escaped)' };
    if (code === 0x5c) {
      const next = text[i + 1];
      if (next === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return { offset: i, kind: 'invalid \\u escape in a string' };
        i += 5;
      } else if (next !== undefined && '"\\/bfnrt'.includes(next)) i++;
      else return { offset: i, kind: 'invalid escape in a string' };
    }
  }
  return { offset: start, kind: 'unterminated string' };
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

function scanNumber(text: string, start: number): number | Located {
  NUMBER.lastIndex = start;
  const match = NUMBER.exec(text);
  if (!match) return { offset: start, kind: 'invalid number' };
  const end = start + match[0].length;
  // "01", "1.", "1e": the number stops early and what follows is no separator.
  const after = text[end];
  if (after !== undefined && /[0-9.eE+-]/.test(after)) return { offset: end, kind: 'invalid number' };
  return end;
}

function scanLiteral(text: string, start: number): number | Located {
  for (const literal of ['true', 'false', 'null']) if (text.startsWith(literal, start)) return start + literal.length;
  return { offset: start, kind: 'unexpected character' };
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
