/**
 * Searching like a coder: a set of coder queries (test/fixtures/search/coder-queries.tsv), each with the code the
 * official alphabetic index and the tabular give, run through "Search codes" and through word completion at the
 * end of a line. The expected codes come from the index and the tabular, never from what Calx answers.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeNote } from '../../server/src/core/analyze';
import { searchCodes } from '../../server/src/core/codes/search';
import { completeAt } from '../../server/src/core/completion';
import { REPO_ROOT, services } from '../support/services';

interface CoderQuery {
  query: string;
  /** Codes a coder may take, the index's answer first. */
  expected: string[];
  /** The index path that leads there. */
  path: string;
}

const QUERIES: CoderQuery[] = readFileSync(join(REPO_ROOT, 'test/fixtures/search/coder-queries.tsv'), 'utf8')
  .split('\n')
  .filter((line) => line.length > 0 && !line.startsWith('#'))
  .map((line) => {
    const [query, expected, path] = line.split('\t');
    return { query: query!, expected: expected!.split(' '), path: path! };
  });

interface Score {
  top1: number;
  top3: number;
  misses: string[];
}

function score(answer: (query: string) => string[]): Score {
  let top1 = 0;
  let top3 = 0;
  const misses: string[] = [];
  for (const { query, expected } of QUERIES) {
    const codes = answer(query);
    if (expected.includes(codes[0] ?? '')) top1++;
    if (codes.slice(0, 3).some((c) => expected.includes(c))) top3++;
    else misses.push(`${query} -> ${codes.slice(0, 3).join(' ') || '(nothing)'} (want ${expected[0]})`);
  }
  return { top1: top1 / QUERIES.length, top3: top3 / QUERIES.length, misses };
}

const report = (what: string, s: Score) =>
  console.log(`      ${what}: top-1 ${s.top1.toFixed(3)}, top-3 ${s.top3.toFixed(3)} on ${QUERIES.length} queries`);

describe('searching like a coder (coder-queries.tsv)', () => {
  it('holds at least 100 queries, each expecting billable FY2027 codes', () => {
    assert.ok(QUERIES.length >= 100, `${QUERIES.length} queries`);
    const notBillable = QUERIES.flatMap((q) => q.expected.filter((c) => !services().codes.isBillable(c)));
    assert.deepEqual(notBillable, []);
  });

  it('"Search codes" finds the index\'s code in the top 3', function () {
    this.timeout(60000);
    const s = score((q) => searchCodes(services().codes, services().alphabeticIndex(), q, 10, services()).map((h) => h.code));
    report('search', s);
  });

  it('word completion at the end of a line finds the index\'s code in the top 3', function () {
    this.timeout(60000);
    const s = score((q) => {
      const text = `Dx: ${q}`;
      const result = completeAt(analyzeNote(text, services()), text.length, services());
      return (result?.items ?? []).map((i) => i.code);
    });
    report('completion', s);
  });
});
