import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeNote } from '../../server/src/core/analyze';
import type { Finding } from '../../server/src/core/findings/findings';
import { parseFixture, writeFixture, type Expectation } from '../support/fixtures';
import { REPO_ROOT, services } from '../support/services';

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'findings');

/**
 * One line per finding: concept, context flags with their trigger, site/side/etiology with where they were
 * found, and the code outcome. Compact so that a fixture reads like a coder's worksheet.
 */
export function describeFinding(f: Finding, text: string): string {
  const parts = [f.conceptId];
  for (const [flag, trigger] of Object.entries(f.context)) {
    parts.push(`${flag}(${trigger.via === 'section' ? 'section' : JSON.stringify(text.slice(trigger.start, trigger.end))})`);
  }
  const ev = (name: string, e: { value: string; start: number; end: number; via: string } | undefined) =>
    e && parts.push(`${name}=${e.value}@${e.via === 'concept' || e.via === 'sentence' ? JSON.stringify(text.slice(e.start, e.end)) : e.via}`);
  ev('site', f.site);
  ev('side', f.laterality);
  for (const e of f.etiologies) ev('cause', e);
  const c = f.coding;
  if (c.suggested.length) parts.push(`code=${c.suggested.join('+')}`);
  else if (c.unspecified) parts.push(`unspecified=${c.unspecified}`);
  else if (c.family) parts.push(`family=${c.family}`);
  if (c.missing.length) parts.push(`missing=${c.missing.map((m) => m.attribute).join(',')}`);
  if (c.codeFirst.length) parts.push(`first=${c.codeFirst.join(',')}`);
  return parts.join(' ');
}

function check(file: string): void {
  const path = join(DIR, file);
  const fixture = parseFixture(readFileSync(path, 'utf8'));
  const actual: Expectation[] = analyzeNote(fixture.text, services()).findings.map((f) => ({
    start: f.start,
    end: f.end,
    label: describeFinding(f, fixture.text),
  }));
  if (process.env.UPDATE_EXPECT) return writeFixture(path, fixture, actual);
  assert.deepEqual(actual, fixture.expectations);
}

describe('findings on annotated fixture notes', () => {
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.txt')).sort()) {
    it(file, () => check(file));
  }
});
