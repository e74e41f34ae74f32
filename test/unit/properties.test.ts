/**
 * Property and fuzz tests of the core (fast-check, fixed seed): whatever the text — random Unicode with
 * surrogate pairs, lone surrogates and combining marks, garbled clinical prose, very long lines, thousands of
 * findings — analyzeNote never throws, every range it returns lies inside the note on UTF-16 boundaries (never
 * between the two halves of a surrogate pair), and the same text always gives the same analysis.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeNote, scannersOf, type NoteAnalysis } from '../../server/src/core/analyze';
import { searchCodes } from '../../server/src/core/codes/search';
import { hoverAt } from '../../server/src/core/hover';
import { annotateContext } from '../../server/src/core/context/contextDetector';
import { paragraphBounds, ScanCache, scanNote, type NoteScan } from '../../server/src/core/noteScan';
import { findCodeMentions, labelledListStarts } from '../../server/src/core/text/codeMentions';
import { lineStartAt } from '../../server/src/core/text/lines';
import { EarlierSites } from '../../server/src/core/findings/findings';
import { SentenceScopes } from '../../server/src/core/findings/reportStructure';
import { refCovers, RefIndex } from '../../server/src/core/codes/noteRefs';
import { distance, firstOfEachValue, indexByValue, nearestBy } from '../../server/src/core/findings/nearest';
import { findHeaders, headerKey, headerOfLine, KNOWN_HEADERS, knownHeaderKind } from '../../server/src/core/text/sections';
import { buildTextModel } from '../../server/src/core/text/textModel';
import { foldCase, tokenize, tokensOf, type Token } from '../../server/src/core/text/tokens';
import { candidateStarts, type PhraseMatch } from '../../server/src/core/text/phraseMatcher';
import { splitSentences } from '../../server/src/core/text/sentences';
import { codingSummary, summaryToCsv, summaryToMarkdown } from '../../server/src/core/summary';
import { services } from '../support/services';
import { CAUSES, CODES, CONCEPTS, CPT, HEADERS, HEDGES, NEGATIONS, reportNote, SIDES, SITES, syntheticNote } from '../support/syntheticNotes';

/** One seed for every property: a failure is reproducible, and the run time is stable. */
const SEED = 20261001;
const RUNS = Number(process.env.CALX_FUZZ_RUNS ?? 150);
const params = (numRuns = RUNS): fc.Parameters<unknown> => ({ seed: SEED, numRuns, endOnFailure: true });

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;
/** True when `offset` falls between a high surrogate and the low surrogate that completes it. */
const splitsPair = (text: string, offset: number) =>
  offset > 0 && offset < text.length && isHigh(text.charCodeAt(offset - 1)) && isLow(text.charCodeAt(offset));

const OFFSET_KEYS = ['start', 'end', 'contentStart'] as const;

/**
 * Walks the whole analysis (so ranges added later are checked too) and returns every offset problem as
 * "path: reason". Any object with numeric start/end is a range.
 */
function rangeProblems(text: string, value: unknown, path = 'analysis', out: string[] = []): string[] {
  if (out.length > 5 || value === null || typeof value !== 'object') return out;
  if (Array.isArray(value)) {
    value.forEach((v, i) => rangeProblems(text, v, `${path}[${i}]`, out));
    return out;
  }
  const record = value as Record<string, unknown>;
  for (const key of OFFSET_KEYS) {
    const offset = record[key];
    if (typeof offset !== 'number') continue;
    if (!Number.isInteger(offset) || offset < 0 || offset > text.length) out.push(`${path}.${key}=${offset} outside 0..${text.length}`);
    else if (splitsPair(text, offset)) out.push(`${path}.${key}=${offset} splits a surrogate pair`);
  }
  if (typeof record.start === 'number' && typeof record.end === 'number' && record.start > record.end) {
    out.push(`${path}: start ${record.start} > end ${record.end}`);
  }
  for (const [key, child] of Object.entries(record)) if (key !== 'text' || typeof child !== 'string') rangeProblems(text, child, `${path}.${key}`, out);
  return out;
}

/** The invariants every analysis keeps, plus the consumers of an analysis (hover, summary) not throwing. */
function checkAnalysis(text: string): NoteAnalysis {
  const analysis = analyzeNote(text, services());
  assert.deepEqual(rangeProblems(text, analysis), []);
  for (const m of analysis.mentions) assert.equal(text.slice(m.start, m.end), m.text, 'a mention quotes the note');
  for (const f of analysis.findings) assert.equal(text.slice(f.start, f.end), f.text, 'a finding quotes the note');
  for (const d of analysis.diagnostics) assert.ok(d.message.length > 0 && d.ruleId.length > 0);
  // Hover at places something was found (at most 200, spread over the note), and at both ends of the text.
  const found = [...analysis.mentions.map((m) => m.start), ...analysis.findings.map((f) => f.end)];
  const step = Math.max(1, Math.floor(found.length / 200));
  const offsets = new Set([0, text.length, ...found.filter((_, i) => i % step === 0)]);
  for (const offset of offsets) {
    const hover = hoverAt(analysis, offset, services());
    if (hover) assert.deepEqual(rangeProblems(text, hover, 'hover'), []);
  }
  const summary = codingSummary(analysis, services());
  summaryToCsv(summary);
  summaryToMarkdown(summary);
  return analysis;
}

/** The tokenizer as it was before its ASCII scanner: every token cut by the TOKEN regular expression. */
function referenceTokens(text: string, offset: number): Token[] {
  const TOKEN = /(\p{L}[\p{L}\p{M}\p{N}]*(?:['’][\p{L}\p{M}]+)*)|(\p{N}+(?:[.,]\p{N}+)*[\p{L}]*)|([^\s])/gu;
  const tokens: Token[] = [];
  let previousEnd = 0;
  for (const m of text.matchAll(TOKEN)) {
    const start = m.index;
    const newline = text.slice(previousEnd, start).includes('\n');
    const kind: Token['kind'] = m[1] !== undefined ? 'word' : m[2] !== undefined ? 'number' : 'punct';
    tokens.push({
      start: offset + start,
      end: offset + start + m[0].length,
      kind,
      norm: kind === 'punct' ? m[0] : foldCase(m[0]),
      spaceBefore: tokens.length === 0 || start > previousEnd,
      newlineBefore: tokens.length === 0 || newline,
    });
    previousEnd = start + m[0].length;
  }
  return tokens;
}

// ---- arbitraries ----------------------------------------------------------------------------------------

/** Any UTF-16 code unit, so lone surrogates, halves of pairs in the wrong order and NULs all occur. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const EMOJI = ['😣', '🦴', '👩🏽‍⚕️', '🇺🇸', '❤️'];
const COMBINING = ['\u0301', '\u0308', '\u0327', '\u20dd', '\u0336\u0336'];
const ODD = ['\r\n', '\n', '\r', '\t', '\u2028', '\u00a0', '\ufeff', '\u200b', '\ufffd', '\0', 'İ', 'ß', 'ﬁ', 'Σ', '：', '-', '.', ',', ';', ':'];
const CLINICAL = [...CONCEPTS, ...SITES, ...SIDES, ...CAUSES, ...NEGATIONS, ...HEDGES, ...CODES, ...CPT, ...HEADERS.map((h) => `\n${h}:`)];

/** Garbled clinical prose: lexicon phrases, codes, headers and triggers shuffled with emoji, marks and noise. */
const garbledNote = fc
  .array(
    fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(...CLINICAL) },
      { weight: 3, arbitrary: fc.constantFrom(...ODD) },
      { weight: 2, arbitrary: fc.constantFrom(...EMOJI) },
      { weight: 2, arbitrary: fc.constantFrom(...COMBINING) },
      { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
      { weight: 1, arbitrary: fc.string({ unit: codeUnit, maxLength: 4 }) },
    ),
    { maxLength: 120 },
  )
  .chain((parts) => fc.constantFrom(' ', '', '  ', '\n').map((sep) => parts.join(sep)));

/** Edits to a realistic note: insert noise, delete or duplicate a span, at positions that may split anything. */
const edit = fc.record({
  at: fc.nat(),
  remove: fc.nat({ max: 40 }),
  insert: fc.oneof(fc.constantFrom(...EMOJI, ...COMBINING, ...ODD, ...CLINICAL), fc.string({ unit: codeUnit, maxLength: 3 })),
});
/** A realistic note: the synthetic clinic note, or one shaped like a dictated report (long lines, inline headers). */
const startNote = (seed: number, report: boolean) => (report ? reportNote(2500, seed) : syntheticNote(1500, seed));
const editedNote = fc.record({ seed: fc.nat(1000), report: fc.boolean(), edits: fc.array(edit, { maxLength: 25 }) }).map(({ seed, report, edits }) => {
  let text = startNote(seed, report);
  for (const e of edits) {
    const at = e.at % (text.length + 1);
    text = text.slice(0, at) + e.insert + text.slice(at + e.remove);
  }
  return text;
});

// ---- properties -----------------------------------------------------------------------------------------

/** The paragraph scan of `text` equals what a scan of the whole note at once finds. */
function assertScanIsWhole(text: string, scan: NoteScan): void {
  // A blank line between line breaks as the LSP counts them (CRLF, LF, a lone CR: text/lines.ts).
  const blankLine = /(?:\r\n|\r(?!\n)|\n)[^\S\r\n]*(?:\r\n|\r(?!\n)|\n)/;
  const scanners = scannersOf(services());
  const whole = buildTextModel(text);
  const model = buildTextModel(text, scan);
  assert.deepEqual(model.tokens, whole.tokens);
  assert.deepEqual(model.sections, whole.sections);
  assert.deepEqual(model.sentences, whole.sentences);
  assert.deepEqual(scan.mentions, findCodeMentions(text, scanners.codes));
  // Only phrases split by a blank line differ: a paragraph scan never joins them.
  const within = <T>(matches: PhraseMatch<T>[]) => matches.filter((m) => !blankLine.test(text.slice(m.start, m.end)));
  assert.deepEqual(scan.concepts, within(scanners.concepts.match(text, whole.tokens)));
  assert.deepEqual(scan.etiologies, within(scanners.etiologies.match(text, whole.tokens)));
  assert.deepEqual(scan.sites, within(scanners.sites.match(text, whole.tokens)));
  assert.deepEqual(scan.sides, within(scanners.sides.match(text, whole.tokens)));
  assert.deepEqual(scan.removals, within(scanners.removals.match(text, whole.tokens)));
  // Context with the scan's per-sentence memos, filled by a first search and read by a second: the same
  // triggers as a search of the whole note without them.
  const reference = annotateContext(whole, services().context).triggers;
  assert.deepEqual(annotateContext(model, services().context, scan.sentenceMemos).triggers, reference);
  assert.deepEqual(annotateContext(model, services().context, scan.sentenceMemos).triggers, reference);
}

describe('core properties (fast-check, fixed seed)', function () {
  this.timeout(60000);
  before(() => services()); // load once, outside the timed properties

  it('never throws and keeps every range inside the note on random Unicode (surrogate pairs, combining marks)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => void checkAnalysis(text)), params());
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => void checkAnalysis(text)), params());
  });

  it('never throws on arbitrary UTF-16 code units (lone surrogates, NULs, U+FFFD)', () => {
    fc.assert(fc.property(fc.string({ unit: codeUnit, maxLength: 400 }), (text) => void checkAnalysis(text)), params());
  });

  it('never throws and keeps ranges on UTF-16 boundaries on garbled clinical prose', () => {
    fc.assert(fc.property(garbledNote, (text) => void checkAnalysis(text)), params());
  });

  it('survives random edits of a realistic note (deletions that split words, pairs and CRLF)', () => {
    fc.assert(fc.property(editedNote, (text) => void checkAnalysis(text)), params(Math.ceil(RUNS / 2)));
  });

  it('is deterministic: the same text gives the same analysis, whatever was analysed before', () => {
    fc.assert(
      fc.property(garbledNote, editedNote, (a, b) => {
        const first = analyzeNote(a, services());
        analyzeNote(b, services());
        assert.deepEqual(analyzeNote(a, services()), first);
      }),
      params(Math.ceil(RUNS / 3)),
    );
  });

  it('tokenizes exactly as the TOKEN regular expression (the ASCII scanner and its fallback)', () => {
    const pieces = fc.oneof(
      fc.constantFrom(...CLINICAL, ...EMOJI, ...COMBINING, ...ODD, "o'neil's", "abc'", "x'1", "d’s", '5µg', '10²', '1,2.3a', '6.', '.5', 'ab1c', 'é', 'İ'),
      fc.string({ unit: codeUnit, maxLength: 3 }),
      fc.string({ unit: 'grapheme-ascii', maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 40 }), fc.constantFrom('', ' ', "'", '.', '\n'), fc.nat(50), (parts, sep, offset) => {
        const text = parts.join(sep);
        assert.deepEqual(tokenize(text, offset).toArray(), referenceTokens(text, offset));
      }),
      params(RUNS * 3),
    );
  });

  it('matches on the interned word forms and ids exactly as on every token\'s full form (every vocabulary word is registered)', () => {
    const scanners = scannersOf(services());
    const matchers = [scanners.concepts, scanners.etiologies, scanners.sites, scanners.sides];
    const words = new Set(matchers.flatMap((m) => m.startWords()));
    // Exact-case abbreviations ("CPPD", "R", "L") as well: their forms are registered by their matcher alone.
    const { lexicon } = services();
    const abbreviations = [...lexicon.concepts.values(), ...lexicon.etiologies.values()].flatMap((e) => e.abbreviations);
    const abbreviated = fc
      .array(fc.constantFrom(...abbreviations, 'R', 'L', 'R.', 'L-', 'Dr.', 'mg.', 'b.i.d.', '1.', '-', '•'), { maxLength: 60 })
      .chain((parts) => fc.constantFrom(' ', '\n').map((sep) => parts.join(sep)));
    fc.assert(
      fc.property(fc.oneof(garbledNote, editedNote, abbreviated), (text) => {
        const model = buildTextModel(text);
        const interned = model.tokens;
        // The reference: every token's form spelled out, none left to the vocabulary, and no word ids: every
        // look-up by form.
        const full = tokensOf(interned.toArray(), text, false);
        for (const m of matchers) assert.deepEqual(m.match(text, interned), m.match(text, full));
        assert.deepEqual(candidateStarts(interned, words), candidateStarts(full, words));
        assert.deepEqual(splitSentences(text, interned, model.sections), splitSentences(text, full, model.sections));
        const fullModel = { text, tokens: full, sentences: model.sentences, sections: model.sections, lineOf: model.lineOf.bind(model) };
        assert.deepEqual(annotateContext(model, services().context).triggers, annotateContext(fullModel, services().context).triggers);
      }),
      params(),
    );
  });

  it('finds the nearest match from the finding outwards exactly as a scan of the whole sentence would', () => {
    /** The reference: every span looked at, the first with the smallest key kept. */
    const minBy = <T>(xs: readonly T[], key: (x: T) => number, keep: (x: T) => boolean) => {
      let best: T | undefined;
      let bestKey = Infinity;
      for (const x of xs) if (keep(x) && key(x) < bestKey) [best, bestKey] = [x, key(x)];
      return best;
    };
    // Spans in text order that do not overlap (gaps and lengths of 0 to 3 tokens), each with a penalty added to its
    // distance (0 for most, as sides have; 1000 for some, as tissues have), some not kept.
    const spans = fc.array(fc.record({ gap: fc.nat(3), length: fc.integer({ min: 1, max: 3 }), penalty: fc.constantFrom(0, 0, 0, 1, 1000), kept: fc.boolean() }), { maxLength: 40 });
    fc.assert(
      fc.property(spans, fc.nat(150), fc.integer({ min: 1, max: 4 }), (shapes, targetStart, targetLength) => {
        let at = 0;
        const xs = shapes.map((s, i) => {
          const span = { id: i, tokenStart: at + s.gap, tokenEnd: at + s.gap + s.length, penalty: s.penalty, kept: s.kept };
          at = span.tokenEnd;
          return span;
        });
        const target = { tokenStart: targetStart % (at + 5), tokenEnd: (targetStart % (at + 5)) + targetLength };
        const key = (x: (typeof xs)[number]) => x.penalty + distance(target, x);
        for (const keep of [() => true, (x: (typeof xs)[number]) => x.kept]) {
          assert.equal(nearestBy(xs, target, key, keep)?.id, minBy(xs, key, keep)?.id);
          // Only spans that overlap the target, searched within 0 tokens of it.
          const overlapping = (x: (typeof xs)[number]) => keep(x) && x.tokenStart < target.tokenEnd && target.tokenStart < x.tokenEnd;
          assert.equal(nearestBy(xs, target, key, overlapping, 0)?.id, minBy(xs, key, overlapping)?.id);
        }
      }),
      params(RUNS * 4),
    );
  });

  it("finds each cause's first mention outside the finding exactly as filtering the whole sentence would", () => {
    // Matches in text order (gaps of 0 to 3 characters, lengths of 1 to 12) naming a few causes, and a finding
    // anywhere over them: some causes only inside it, some both inside and outside, some not at all.
    const matches = fc.array(fc.record({ gap: fc.nat(3), length: fc.integer({ min: 1, max: 12 }), value: fc.constantFrom('ckd', 'esrd', 'hpt', 'burns') }), { maxLength: 40 });
    fc.assert(
      fc.property(matches, fc.nat(300), fc.integer({ min: 1, max: 40 }), (shapes, targetStart, targetLength) => {
        let at = 0;
        const xs = shapes.map((m, id) => {
          const match = { id, start: at + m.gap, end: at + m.gap + m.length, value: m.value };
          at = match.end;
          return match;
        });
        const target = { start: targetStart % (at + 5), end: (targetStart % (at + 5)) + targetLength };
        const seen = new Set<string>();
        const reference = xs.filter((m) => !(m.start < target.end && target.start < m.end)).filter((m) => !seen.has(m.value) && seen.add(m.value));
        assert.deepEqual(
          firstOfEachValue(xs, indexByValue(xs), target).map((m) => m.id),
          reference.map((m) => m.id),
        );
      }),
      params(RUNS * 4),
    );
  });

  it('finds the codes a "CPT" label governs exactly as matching the label and its list back to the line start (LF, CRLF, lone CR)', () => {
    // The label's former test, run on the line up to each five-character code.
    const LABELLED = /\bCPT\s*(?:codes?)?\s*[:#]?\s*(?:\d{4}[0-9FTU](?:-[0-9A-Z]{2})*\s*(?:,|;|\/|and|&)?\s*)*$/i;
    const FIVE = /(?<![\p{L}\p{N}.\-])\d{4}[0-9FTU]/gu;
    // Labels followed by lists (codes with modifiers, separators, blanks and line breaks), loose items and look-alikes.
    const blank = fc.constantFrom('', '', ' ', '  ', '\t', '\n', '\r\n', '\r', '\u2028', '\u00a0');
    const label = fc
      .tuple(fc.constantFrom('CPT', 'cpt', 'Cpt', 'xCPT', 'CPTs'), blank, fc.constantFrom('', '', 'code', 'codes', 'codex'), blank, fc.constantFrom('', ':', '#'), blank)
      .map((parts) => parts.join(''));
    const item = fc
      .tuple(
        fc.constantFrom('20551', '76942', '1234F', '1234t', '99213', '123456', '2055', 'x'),
        fc.array(fc.constantFrom('-50', '-LT', '-lt', '-5A', '-', '-L'), { maxLength: 3 }).map((mods) => mods.join('')),
        blank,
        fc.constantFrom('', '', ',', ';', '/', '&', 'and', 'AND', 'andy', '.'),
        blank,
      )
      .map((parts) => parts.join(''));
    const piece = fc.oneof(
      { weight: 3, arbitrary: fc.tuple(label, fc.array(item, { maxLength: 8 })).map(([l, items]) => l + items.join('')) },
      { weight: 2, arbitrary: item },
      { weight: 1, arbitrary: fc.constantFrom('.', 'x', 'é', '1', ' ', '\n', 'and') },
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 6 }), (parts) => {
        const text = parts.join('');
        const starts = labelledListStarts(text);
        for (const m of text.matchAll(FIVE)) {
          const line = text.slice(lineStartAt(text, m.index), m.index);
          assert.equal(starts.has(m.index), LABELLED.test(line), `${JSON.stringify(text)} at ${m.index}`);
        }
      }),
      params(RUNS * 8),
    );
  });

  it('finds the first code a note reference covers by category exactly as trying every code', () => {
    const code = fc
      .tuple(fc.constantFrom('M75', 'M76', 'M7A', 'N20', 'C00', 'C50', 'D49', 'E83'), fc.constantFrom('', '.1', '.12', '.3', '.31', '.9', '.90X'))
      .map(([category, rest]) => category + rest);
    const ref = fc.oneof(
      code.map((from) => ({ from })),
      fc.tuple(code, fc.constantFrom('M75', 'M79', 'N20', 'D49', 'C00')).map(([from, to]) => ({ from, to })),
    );
    fc.assert(
      fc.property(fc.array(code, { maxLength: 25 }), ref, (codes, r) => {
        const items = codes.map((c, id) => ({ id, code: c }));
        assert.equal(new RefIndex(items).first(r)?.id, items.find((m) => refCovers(r, m.code))?.id);
      }),
      params(RUNS * 8),
    );
  });

  it("finds the last place before a finding in its section exactly as walking back over every site", () => {
    // Sites in text order over sections numbered in text order (some of unknown section), places and tissues.
    const sites = fc.array(fc.record({ gap: fc.nat(3), value: fc.constantFrom('shoulder', 'hip', 'tendon', 'muscle', 'tendon'), newSection: fc.boolean(), known: fc.nat(9) }), { maxLength: 40 });
    fc.assert(
      fc.property(sites, fc.nat(150), fc.nat(12), (shapes, targetStart, targetSection) => {
        let at = 0;
        let section = 0;
        const xs = shapes.map((s, id) => {
          if (s.newSection) section++;
          const m = { id, value: s.value, start: at + s.gap, end: at + s.gap + 1, tokenStart: at + s.gap, tokenEnd: at + s.gap + 1, section: s.known > 0 ? section : undefined };
          at = m.tokenEnd;
          return m;
        });
        const target = { value: 'calcification', start: targetStart % (at + 3), end: (targetStart % (at + 3)) + 1, tokenStart: targetStart % (at + 3), tokenEnd: (targetStart % (at + 3)) + 1 };
        // The finding's section is at least that of every site before it.
        const before = xs.filter((m) => m.tokenEnd <= target.tokenStart);
        const sectionIndex = Math.max(targetSection % 4, ...before.map((m) => m.section ?? 0));
        // The reference: every site before the finding, from the nearest back, until the section starts.
        let expected: (typeof xs)[number] | undefined;
        for (let k = before.length - 1; k >= 0; k--) {
          const m = before[k]!;
          if (m.section !== undefined && m.section < sectionIndex) break;
          if (m.section === sectionIndex && m.value !== 'tendon' && m.value !== 'muscle') {
            expected = m;
            break;
          }
        }
        const found = new EarlierSites(xs, (k) => xs[k]!.section).lastBefore(target, sectionIndex);
        assert.equal(found?.id, expected?.id);
      }),
      params(RUNS * 4),
    );
  });

  it('cuts header lines exactly as /^[ \\t]*([^\\r\\n]*)$/gm (CR, LF, CRLF, U+2028, leading blanks)', () => {
    const pieces = fc.oneof(
      fc.constantFrom(...HEADERS.map((h) => `${h}:`), 'ASSESSMENT/PLAN', 'IMPRESSION', 'NO ACUTE FINDINGS', 'Findings: none', 'BP: 120/80'),
      // Headers in lower case (known names with a colon), and lines that only look like headers.
      fc.constantFrom('hpi:', 'a/p:', 'impression: stable', 'pmh :', 'no acute findings', '\u00a0IMPRESSION', '\vPLAN:', '\fIMPRESSION', 'É: x'),
      fc.constantFrom('\n', '\r', '\r\n', '\u2028', '\u2029', ' ', '\t', '  \t', ':', 'x'),
      fc.string({ unit: codeUnit, maxLength: 3 }),
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 30 }), fc.nat(50), (parts, offset) => {
        const text = parts.join('');
        const expected = [...text.matchAll(/^[ \t]*([^\r\n]*)$/gm)].flatMap((m) => {
          const header = m[1] ? headerOfLine(m[1], offset + m.index + m[0].length - m[1].length) : undefined;
          return header ? [header] : [];
        });
        assert.deepEqual(findHeaders(text, offset), expected);
      }),
      params(RUNS * 3),
    );
  });

  it('looks a header up only when it may fold to a known name, with the answers of the plain look-up (accents, ligatures, punctuation runs)', () => {
    const names = [...KNOWN_HEADERS.keys()];
    // Every known name, also with a combining accent on each letter and a mark between words (they fold away).
    for (const name of names) {
      for (const title of [name, name.toUpperCase(), name.replace(/[a-z]/g, '$&\u0301'), name.replace(/ /g, ' \u00b7\u0301 / ')]) {
        assert.equal(knownHeaderKind(title), KNOWN_HEADERS.get(name), title);
      }
    }
    const pieces = fc.oneof(
      fc.constantFrom(...names, ...names.map((n) => n.toUpperCase()), ...names.map((n) => n.replace(/ /g, ' / '))),
      fc.constantFrom('É', 'é', 'e\u0301', 'İ', 'ß', 'ﬁ', 'K', 'Å', '😀', '\u0301', ' ', '  ', '/', '-', '&', '1', 'x'),
      fc.string({ unit: codeUnit, maxLength: 3 }),
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 8 }), (parts) => {
        const title = parts.join('');
        assert.equal(knownHeaderKind(title), KNOWN_HEADERS.get(headerKey(title)));
      }),
      params(RUNS * 10),
    );
  });

  it('scans unit by unit (paragraphs, lines that end a sentence) exactly as the whole note (tokens, sections, sentences, codes, matches)', () => {
    // Doubled, every paragraph's text stands twice: one scan serves two places.
    fc.assert(
      fc.property(fc.oneof(garbledNote, editedNote), fc.boolean(), (note, doubled) => {
        const text = doubled ? `${note}\n\n${note}` : note;
        assertScanIsWhole(text, scanNote(text, scannersOf(services())));
      }),
      params(),
    );
  });

  it('gives the same analysis with the document scan cache as without, edit after edit', () => {
    // Besides character edits: whole paragraphs or lines cut out, moved to the front (reused scans then stand
    // at another place, first in the note included) or copied to the front (the same text twice: one scan for
    // two places). Clinic notes and notes shaped like dictated reports (long lines, no blank line between sections).
    const step = fc.oneof(
      { weight: 4, arbitrary: edit.map((e) => ({ ...e, paragraph: 'none' as const })) },
      {
        weight: 2,
        arbitrary: fc.record({ at: fc.nat(), remove: fc.constant(0), insert: fc.constant(''), paragraph: fc.constantFrom('cut' as const, 'move' as const, 'copy' as const) }),
      },
    );
    fc.assert(
      fc.property(fc.nat(1000), fc.boolean(), fc.array(step, { minLength: 1, maxLength: 12 }), (seed, report, edits) => {
        const cache = new ScanCache();
        let text = startNote(seed, report);
        analyzeNote(text, services(), { cache });
        for (const e of edits) {
          if (e.paragraph !== 'none') {
            // A paragraph, or a line (a scan unit when it ends a sentence).
            const bounds = e.at % 2 ? paragraphBounds(text) : [...text.matchAll(/[^\r\n]*(?:\r\n|\r|\n|$)/g)].map((m): [number, number] => [m.index, m.index + m[0].length]);
            const [start, end] = bounds[e.at % bounds.length]!;
            const chosen = text.slice(start, end);
            const rest = text.slice(0, start) + text.slice(end);
            text = e.paragraph === 'cut' ? rest : e.paragraph === 'move' ? chosen + rest : chosen + text;
          } else {
            const at = e.at % (text.length + 1);
            text = text.slice(0, at) + e.insert + text.slice(at + e.remove);
          }
          const cached = analyzeNote(text, services(), { cache });
          assert.deepEqual(cached, analyzeNote(text, services()));
          // Not only the same with and without the cache: right (a scan shared by two places, moved for one).
          const whole = buildTextModel(text);
          assert.deepEqual([cached.model.tokens, cached.model.sentences], [whole.tokens, whole.sentences]);
          assertScanIsWhole(text, scanNote(text, scannersOf(services()), cache));
        }
      }),
      params(Math.ceil(RUNS / 3)),
    );
  });

  it("reads inline headers from the scan cache's sentence memos exactly as from the text, edit after edit", () => {
    // SentenceScopes keeps each sentence's inline header ("RIGHT BREAST: ...", "Impression: ...") in the scan's
    // sentence memo; the memo outlives the analysis while the sentence's unit is unchanged, moved or copied.
    let headers = 0;
    fc.assert(
      fc.property(fc.nat(1000), fc.array(edit, { minLength: 1, maxLength: 12 }), (seed, edits) => {
        const cache = new ScanCache();
        const scanners = scannersOf(services());
        let text = reportNote(2500, seed);
        const scopesOf = (memos: boolean) => {
          const scan = scanNote(text, scanners, cache);
          const model = buildTextModel(text, scan);
          const scopes = new SentenceScopes(model, scan.sides, memos ? scan.sentenceMemos : undefined);
          return model.sentences.map((_, s) => {
            const h = scopes.inlineHeaderOf(s);
            return [h, h >= 0 ? scopes.inlineHeaderKind(h) : null, scopes.admits(s, 'left'), scopes.admits(s, 'right')];
          });
        };
        scopesOf(true);
        for (const e of edits) {
          const at = e.at % (text.length + 1);
          const header = ['LEFT KIDNEY: ', 'Impression: ', ''][e.at % 3]!;
          text = header ? text.slice(0, at) + header + text.slice(at) : text.slice(0, at) + e.insert + text.slice(at + e.remove);
          const cached = scopesOf(true);
          assert.deepEqual(cached, scopesOf(false));
          headers += cached.filter(([, kind]) => kind === 'impression').length;
        }
      }),
      params(Math.ceil(RUNS / 3)),
    );
    assert.ok(headers > 0, 'some sentences were under an inline Impression header');
  });

  it("answers contextOf from the scan cache's sentence memos exactly as from a fresh search, edit after edit", () => {
    // Each sentence's scoped triggers are kept in its memo (relative to the sentence) while its unit is unchanged.
    let flagged = 0;
    fc.assert(
      fc.property(fc.nat(1000), fc.boolean(), fc.array(edit, { minLength: 1, maxLength: 12 }), (seed, report, edits) => {
        const cache = new ScanCache();
        const scanners = scannersOf(services());
        let text = startNote(seed, report);
        const contexts = (memos: boolean) => {
          const scan = scanNote(text, scanners, cache);
          const context = annotateContext(buildTextModel(text, scan), services().context, memos ? scan.sentenceMemos : undefined);
          // Twice with the memos: the second reads what the first kept.
          return [...scan.concepts, ...scan.etiologies, ...scan.sites].map((m) => [context.contextOf(m.tokenStart, m.tokenEnd), context.contextOf(m.tokenStart, m.tokenEnd)]);
        };
        contexts(true);
        for (const e of edits) {
          const at = e.at % (text.length + 1);
          text = text.slice(0, at) + e.insert + text.slice(at + e.remove);
          const cached = contexts(true);
          assert.deepEqual(cached, contexts(false));
          flagged += cached.filter(([c]) => Object.keys(c!).length > 0).length;
        }
      }),
      params(Math.ceil(RUNS / 3)),
    );
    assert.ok(flagged > 0, 'some matches had a context');
  });

  it('handles very long lines without a line break (one dictated run-on paragraph)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...CLINICAL, ...EMOJI, ','), { minLength: 3000, maxLength: 6000 }), (parts) => {
        const text = parts.join(' ').replace(/\n/g, ' ');
        checkAnalysis(text);
      }),
      params(4),
    );
    // One 200,000-character token and one line of 100,000 punctuation marks.
    checkAnalysis('M'.repeat(200_000));
    checkAnalysis('.,;:-'.repeat(20_000));
  });

  it('reports thousands of findings with exact ranges', () => {
    const line = 'Calcific tendinitis of the right shoulder 😣, M75.3; no calcinosis cutis; T52.8X1A. Mother had CPPD.\r\n';
    const text = line.repeat(2000);
    const analysis = checkAnalysis(text);
    assert.ok(analysis.findings.length >= 6000, `${analysis.findings.length} findings`);
    assert.ok(analysis.diagnostics.length >= 4000, `${analysis.diagnostics.length} diagnostics`);
    // The last line's findings sit exactly where the first line's do, one line length per repetition.
    const first = analysis.findings.filter((f) => f.end <= line.length).map((f) => [f.conceptId, f.start, f.end]);
    const last = analysis.findings
      .filter((f) => f.start >= line.length * 1999)
      .map((f) => [f.conceptId, f.start - line.length * 1999, f.end - line.length * 1999]);
    assert.deepEqual(last, first);
  });

  it('code search never throws on random queries and answers at most the limit', () => {
    const index = services().alphabeticIndex();
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: codeUnit, maxLength: 30 }), fc.constantFrom(...CODES, ...CONCEPTS, 'M75.', 'm', 'calc', ',', ' ')),
        fc.integer({ min: 1, max: 60 }),
        (query, limit) => {
          const hits = searchCodes(services().codes, index, query, limit);
          assert.ok(hits.length <= limit);
          for (const h of hits) assert.ok(services().codes.has(h.code));
        },
      ),
      params(),
    );
  });
});
