import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeNote } from '../../server/src/core/analyze';
import { parseFixture, writeFixture, type Expectation } from '../support/fixtures';
import { REPO_ROOT, services } from '../support/services';

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'rules');

/** Runs the analysis on an annotated note and compares every diagnostic: range, severity, rule, message. */
function check(file: string): void {
  const path = join(DIR, file);
  const fixture = parseFixture(readFileSync(path, 'utf8'));
  const actual: Expectation[] = analyzeNote(fixture.text, services()).diagnostics.map((d) => ({
    start: d.start,
    end: d.end,
    label: `${d.severity} ${d.ruleId}: ${d.message}`,
  }));
  if (process.env.UPDATE_EXPECT) {
    writeFixture(path, fixture, actual);
    return;
  }
  assert.deepEqual(actual, fixture.expectations);
}

describe('rules on annotated fixture notes', () => {
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.txt')).sort()) {
    it(file, () => check(file));
  }
});
