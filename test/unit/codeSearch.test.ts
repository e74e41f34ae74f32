/**
 * Searching like a coder: a set of coder queries (test/fixtures/search/coder-queries.tsv), each with the code the
 * official alphabetic index and the tabular give, run through "Search codes" and through word completion at the
 * end of a line. The expected codes come from the index and the tabular, never from what Calx answers.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeNote } from '../../server/src/core/analyze';
import { clearSearchCaches, searchCodes, searchWork } from '../../server/src/core/codes/search';
import { completeAt, QUERY_WINDOW, queryWords } from '../../server/src/core/completion';
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
    assert.ok(s.top3 >= 0.95 && s.top1 >= 0.85, `top-1 ${s.top1.toFixed(3)}, top-3 ${s.top3.toFixed(3)}; missed:\n${s.misses.join('\n')}`);
  });

  it('word completion at the end of a line finds the index\'s code in the top 3', function () {
    this.timeout(60000);
    const s = score((q) => {
      const text = `Dx: ${q}`;
      const result = completeAt(analyzeNote(text, services()), text.length, services());
      return (result?.items ?? []).map((i) => i.code);
    });
    report('completion', s);
    assert.ok(s.top3 >= 0.95 && s.top1 >= 0.85, `top-1 ${s.top1.toFixed(3)}, top-3 ${s.top3.toFixed(3)}; missed:\n${s.misses.join('\n')}`);
  });
});

/** The note after accepting the first completion item (or the one labelled `code`) at the `|`. */
function accept(marked: string, code?: string): string {
  const offset = marked.indexOf('|');
  const text = marked.replace('|', '');
  const result = completeAt(analyzeNote(text, services()), offset, services());
  assert.ok(result, `no completion for ${marked.length > 80 ? `${marked.slice(0, 20)}...` : marked}`);
  const item = code ? result.items.find((i) => i.code === code) : result.items[0];
  assert.ok(item, `no item ${code}: ${result.items.slice(0, 5).map((i) => i.code).join(' ')}`);
  const start = item.replaceStart ?? result.replaceStart;
  return text.slice(0, start) + item.insertText + text.slice(result.replaceEnd);
}

describe('word completion replaces every query word the item accounts for', () => {
  it('site and side after the condition', () => {
    assert.equal(accept('Dx: calcific tendinitis right shoulder|'), 'Dx: M75.31');
  });
  it('site and side before the condition, after an earlier sentence', () => {
    assert.equal(accept('Pain in the right shoulder. Right shoulder calcific tend|'), 'Pain in the right shoulder. M75.31');
  });
  it('words of the clause the code does not account for stay', () => {
    assert.equal(accept('Patient has chondrocalcinosis knee|'), 'Patient has M11.269');
  });
  it('a second choice replaces only its own words', () => {
    assert.equal(accept('Assessment: kidney stone left|'), 'Assessment: N20.0');
  });
});

describe('word completion on a very long line reads only the end of the line', () => {
  const LONG = 200_000;
  it(`a line of ${LONG} characters then a query: the same items as after a short line`, () => {
    const short = 'calcific tendinitis right shoulder';
    const long = `${'x'.repeat(LONG)} ${short}`;
    const a = completeAt(analyzeNote(short, services()), short.length, services())!;
    const b = completeAt(analyzeNote(long, services()), long.length, services())!;
    assert.deepEqual(
      b.items.map((i) => [i.code, i.replaceStart! - LONG - 1]),
      a.items.map((i) => [i.code, i.replaceStart!]),
    );
    assert.equal(accept(`${long}|`), `${'x'.repeat(LONG)} M75.31`);
  });
  it(`a word of ${LONG} letters at the cursor is no query (the window cuts it)`, () => {
    const text = 'x'.repeat(LONG);
    assert.equal(completeAt(analyzeNote(text, services()), text.length, services()), undefined);
  });
  it('the query is read from a window of bounded size before the cursor', () => {
    const text = `${'word '.repeat(40_000)}calcific tend`;
    const from = text.length - QUERY_WINDOW;
    const q = queryWords(text, from, text.length)!;
    assert.equal(q.query, 'word word word word word word calcific tend');
    assert.ok(q.words.every((w) => w.start >= from));
  });
});

describe('what a search keeps across queries (followed subtrees, code families)', () => {
  /** Queries a coder types on a letter or a word at a time, and the bench's word queries. */
  const typed = (q: string) => Array.from({ length: q.length - 1 }, (_, i) => q.slice(0, i + 2));
  const SEQUENCE = [
    ...typed('calcific tendinitis right shoulder'),
    ...typed('kidney stone left'),
    ...QUERIES.slice(0, 40).map((q) => q.query),
    'heterotopic ossification',
    'coronary calc',
    'gout',
    'myositis',
    'calcific tendinitis right shoulder',
  ];
  const search = (q: string) => searchCodes(services().codes, services().alphabeticIndex(), q, 400, services());

  it('answers every query of a typed sequence exactly as a search that keeps nothing', function () {
    this.timeout(60000);
    clearSearchCaches();
    const kept = SEQUENCE.map(search);
    const fresh = SEQUENCE.map((q) => {
      clearSearchCaches();
      return search(q);
    });
    kept.forEach((hits, i) => assert.deepEqual(hits, fresh[i], SEQUENCE[i]));
  });

  it('a query asked again walks no index subtree and lists no code family again', () => {
    clearSearchCaches();
    const first = { ...searchWork };
    const answer = search('calcific tendinitis right shoulder');
    assert.ok(searchWork.nodesWalked > first.nodesWalked && searchWork.familiesListed > first.familiesListed);
    const again = { ...searchWork };
    assert.deepEqual(search('calcific tendinitis right shoulder'), answer);
    assert.deepEqual(searchWork, again);
  });

  it('completion builds the documentation of the items it returns only', () => {
    const text = 'Dx: calcification';
    const analysis = analyzeNote(text, services());
    const codes = services().codes;
    const original = codes.notesInScope;
    const asked: string[] = [];
    codes.notesInScope = function (code: string) {
      asked.push(code);
      return original.call(this, code);
    };
    try {
      const result = completeAt(analysis, text.length, services())!;
      assert.ok(result.isIncomplete, 'more matches than one page');
      assert.deepEqual(asked, result.items.map((i) => i.code));
    } finally {
      codes.notesInScope = original;
    }
  });
});
