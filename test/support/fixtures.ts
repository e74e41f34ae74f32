/**
 * Annotated fixture notes: the note text, with expectation lines under the line they point at.
 *
 *     Assessment: M75.3 today.
 *                 ^^^^^ error header-code: M75.3 Calcific tendinitis of shoulder is a header, ...
 *
 * A caret line starts with spaces then carets; carets count UTF-16 code units of the line above (an
 * emoji takes two). Lines starting with "#!" are comments. Everything else is the note, line endings
 * included, so CRLF fixtures test CRLF. UPDATE_EXPECT=1 rewrites the expectation lines from the output.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Expectation {
  start: number;
  end: number;
  /** "error header-code: message" */
  label: string;
}

export interface Fixture {
  text: string;
  expectations: Expectation[];
}

const CARET_LINE = /^( *)(\^+) (.*)$/;

export function parseFixture(source: string): Fixture {
  const lines = source.split(/(?<=\n)/);
  let text = '';
  let previousLineStart = 0;
  const expectations: Expectation[] = [];
  for (const line of lines) {
    const body = line.replace(/\r?\n$/, '');
    if (body.startsWith('#!')) continue;
    const caret = CARET_LINE.exec(body);
    if (caret) {
      const start = previousLineStart + caret[1]!.length;
      expectations.push({ start, end: start + caret[2]!.length, label: caret[3]! });
      continue;
    }
    previousLineStart = text.length;
    text += line;
  }
  return { text, expectations };
}

/** Rewrites a fixture file with the actual findings under their lines (keeps line endings and comments). */
export function writeFixture(path: string, fixture: Fixture, actual: Expectation[]): void {
  const eol = fixture.text.includes('\r\n') ? '\r\n' : '\n';
  const comments = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.startsWith('#!'));
  const out: string[] = [...comments.map((c) => c + eol)];
  let offset = 0;
  for (const line of fixture.text.split(/(?<=\n)/)) {
    out.push(line);
    const lineEnd = offset + line.replace(/\r?\n$/, '').length;
    for (const e of actual.filter((a) => a.start >= offset && a.start <= lineEnd && (a.start < lineEnd || a.end === a.start))) {
      out.push(`${' '.repeat(e.start - offset)}${'^'.repeat(Math.max(1, e.end - e.start))} ${e.label}${eol}`);
    }
    offset += line.length;
  }
  writeFileSync(path, out.join(''));
}

/**
 * One `it` per annotated fixture in `dir`: `actual(text)` gives the spans and labels the code produces, which
 * must equal the fixture's expectations exactly (UPDATE_EXPECT=1 writes them instead).
 */
export function describeFixtures(title: string, dir: string, actual: (text: string) => Expectation[]): void {
  describe(title, () => {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.txt')).sort()) {
      it(file, () => {
        const path = join(dir, file);
        const fixture = parseFixture(readFileSync(path, 'utf8'));
        const found = actual(fixture.text);
        if (process.env.UPDATE_EXPECT) writeFixture(path, fixture, found);
        else assert.deepEqual(found, fixture.expectations);
      });
    }
  });
}
