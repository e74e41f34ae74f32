/**
 * An edit the analysis cannot see reuses the last analysis, moved (server/src/core/analysisReuse.ts): exact
 * ranges after such an edit, the edits that must not be reused, and, after random typing in many note shapes,
 * the analysis with the document's cache equal to a fresh one.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { analyzeNote, type NoteAnalysis } from '../../server/src/core/analyze';
import { ScanCache } from '../../server/src/core/noteScan';
import { tokenize } from '../../server/src/core/text/tokens';
import { services } from '../support/services';
import { CONCEPTS, NEGATIONS, prng, reportNote, SIDES, syntheticNote } from '../support/syntheticNotes';

/**
 * Analyses `before` (unless `cache` has seen a version already), then `after` with the same cache: the analysis
 * (checked equal to a fresh one), whether the last one was moved, and how many analyses the cache made of each
 * kind: [last analysis moved, moved after its changed sentences were found again, findings moved and rules run
 * again, diagnostics moved, findings before the edit kept and those from it on found again].
 */
function edited(before: string, after: string, cache = new ScanCache()): { analysis: NoteAnalysis; reused: boolean; kinds: number[] } {
  if (cache.generation === 0) analyzeNote(before, services(), { cache });
  const analysis = analyzeNote(after, services(), { cache });
  assert.deepEqual(analysis, analyzeNote(after, services()), 'the same as a fresh analysis');
  return { analysis, reused: cache.reusedAnalyses === 1, kinds: [cache.reusedAnalyses, cache.refoundAnalyses, cache.movedFindings, cache.reusedDiagnostics, cache.foundFromEdit] };
}

/** `text` with `words` typed at `at`. */
const typed = (text: string, at: number, words: string) => `${text.slice(0, at)}${words}${text.slice(at)}`;

const REPORT = [
  'CT ABDOMEN AND PELVIS WITHOUT CONTRAST',
  '',
  'FINDINGS: The liver is normal in size. The patient tolerated the examination well and remained calm and cooperative throughout the entire study today. There is a 6 mm calculus in the left renal pelvis. Scattered vascular calcifications.',
  'IMPRESSION: Left nephrolithiasis. Coded N20.9.',
  '',
].join('\n');

describe('analysis reuse after an edit the analysis cannot see', () => {
  it('moves the last findings and diagnostics by the length of a word typed in prose', () => {
    const before = REPORT;
    const at = before.indexOf('calm');
    const after = `${before.slice(0, at)}very ${before.slice(at)}`;
    const { analysis, reused } = edited(before, after);
    assert.equal(reused, true);
    const calculus = analysis.findings.find((f) => f.text === 'calculus')!;
    assert.deepEqual([calculus.start, calculus.end], [after.indexOf('calculus'), after.indexOf('calculus') + 'calculus'.length]);
    assert.deepEqual([calculus.laterality?.start, calculus.laterality?.value], [after.indexOf('left renal'), 'left']);
    assert.deepEqual(
      analysis.diagnostics.map((d) => [d.ruleId, after.slice(d.start, d.end)]),
      [['unspecified-code', 'N20.9']],
    );
  });

  it('analyses afresh when the edit adds a finding, a side, a line break or an upper-case title, or types near a code', () => {
    const at = REPORT.indexOf('calm');
    const insert = (text: string) => REPORT.slice(0, at) + text + REPORT.slice(at);
    // "calcified" makes a finding, "left" a side; a line break moves every later line.
    for (const words of ['calcified ', 'left ', '\n']) assert.equal(edited(REPORT, insert(words)).reused, false, JSON.stringify(words));
    // A negation in a sentence with no finding negates nothing: reused.
    assert.equal(edited(REPORT, insert('no ')).reused, true);
    // A letter typed into the title line (it stops being upper case), and one typed into a header's line.
    const title = REPORT.indexOf('PELVIS');
    assert.equal(edited(REPORT, `${REPORT.slice(0, title)}x${REPORT.slice(title)}`).reused, false);
    const header = REPORT.indexOf('The liver');
    assert.equal(edited(REPORT, `${REPORT.slice(0, header)}Overall, ${REPORT.slice(header)}`).reused, false);
    // A word typed on the line of a written code (the words next to a code may set it aside: "not applicable").
    const code = REPORT.indexOf('Coded');
    assert.equal(edited(REPORT, `${REPORT.slice(0, code)}Was ${REPORT.slice(code)}`).reused, false);
  });

  it('finds the findings of the sentence an edit changed again and moves the last analysis when they come out the same', () => {
    // "6 mm" -> "6 mmx": the sentence holds a finding and "mm" is a word the analysis reads, so its findings are
    // found again; they come out the same (moved), so the rest of the note's findings and all diagnostics are moved.
    const cache = new ScanCache();
    const after = typed(REPORT, REPORT.indexOf('mm calculus') + 2, 'x');
    const { analysis, kinds } = edited(REPORT, after, cache);
    assert.deepEqual(kinds, [0, 1, 0, 0, 0]);
    const calculus = analysis.findings.find((f) => f.text === 'calculus')!;
    assert.deepEqual([calculus.start, calculus.laterality?.start, calculus.site?.start], [after.indexOf('calculus'), after.indexOf('left renal'), after.indexOf('renal pelvis')]);
    assert.deepEqual(
      analysis.diagnostics.map((d) => [d.ruleId, after.slice(d.start, d.end)]),
      [['unspecified-code', 'N20.9']],
    );
    // The side typed away: the sentence's matches differ, so the findings from it on are found again.
    const side = after.indexOf('left renal');
    const noSide = `${after.slice(0, side)}${after.slice(side + 'left '.length)}`;
    assert.deepEqual(edited(after, noSide, cache).kinds, [0, 1, 0, 0, 1]);
  });

  it('finds the findings of the sentences next to a changed one again when they may read its first or last words', () => {
    // "Scattered" -> "Scatxtered": the calculus sentence before ends within the words a finding reads past its
    // sentence, so its findings are found again with the changed sentence's; both come out the same.
    const after = typed(REPORT, REPORT.indexOf('Scattered') + 4, 'x');
    const { analysis, kinds } = edited(REPORT, after);
    assert.deepEqual(kinds, [0, 1, 0, 0, 0]);
    assert.deepEqual(
      analysis.findings.map((f) => [f.text, f.start]),
      [
        ['calculus', after.indexOf('calculus')],
        ['vascular calcifications', after.indexOf('vascular calcifications')],
        ['nephrolithiasis', after.indexOf('nephrolithiasis')],
      ],
    );
  });

  it('reads only the known words right next to a code on its line for whether the note sets it aside', () => {
    const coded = REPORT.replace('Coded N20.9.', 'Coded N20.9 by radiology coder Smith yesterday afternoon.');
    // "after noon": a word split past the first unknown word after the code ("radiology"), which ends what
    // the set-aside decision reads; the sentence holds the code, so it is found again, and comes out the same.
    const afterNoon = typed(coded, coded.indexOf('noon'), ' ');
    const split = edited(coded, afterNoon);
    assert.deepEqual(split.kinds, [0, 1, 0, 0, 0]);
    assert.deepEqual(
      split.analysis.diagnostics.map((d) => [d.ruleId, afterNoon.slice(d.start, d.end)]),
      [['unspecified-code', 'N20.9']],
    );
    // "N20.9 not applicable": the words next to the code set it aside; the rules run again and say nothing.
    const aside = edited(coded, typed(coded, coded.indexOf(' by radiology'), ' not applicable'));
    assert.deepEqual([aside.kinds[0], aside.kinds[1], aside.kinds[3]], [0, 0, 0]);
    assert.deepEqual(aside.analysis.diagnostics.map((d) => d.ruleId), []);
  });

  it('moves the last findings but runs the rules again when the edit changed a written code', () => {
    // "N20.9" -> "N20.90": findings read no code, so the sentence's findings are found again and the others
    // moved; the rules read the codes, so they run again.
    const after = typed(REPORT, REPORT.indexOf('N20.9') + 'N20.9'.length, '0');
    const { analysis, kinds } = edited(REPORT, after);
    assert.deepEqual(kinds, [0, 0, 1, 0, 0]);
    assert.deepEqual(
      analysis.diagnostics.map((d) => [d.ruleId, after.slice(d.start, d.end)]),
      [['invalid-code', 'N20.90']],
    );
  });

  it('finds every finding again when a finding elsewhere reads the changed sentence, or it names a cause', () => {
    // "The calculus" restates the calculus of the sentence before and takes its site and side from there.
    const restated = 'FINDINGS: Both kidneys were imaged. There is a 6 mm calculus in the left renal pelvis, similar to the prior study. The calculus is nonobstructing.\n';
    const after = typed(restated, restated.indexOf('similar') + 3, 'x');
    const { analysis, kinds } = edited(restated, after);
    assert.deepEqual([kinds[0], kinds[1]], [0, 0]);
    const second = analysis.findings.filter((f) => f.text === 'calculus')[1]!;
    assert.deepEqual([second.site?.start, second.site?.via], [after.indexOf('renal pelvis'), 'section']);
    // A cause's context is read by findings anywhere ("due to hyperparathyroidism" for a calcification named
    // elsewhere): a word the context lexicon knows changed in its sentence ("the" -> "thex") finds everything
    // again; the findings come out the same, so the diagnostics are moved.
    const cause = `${REPORT}Known hyperparathyroidism, treated in the past with surgery and followed closely.\n`;
    assert.deepEqual(edited(cause, typed(cause, cause.lastIndexOf('the past') + 3, 'x')).kinds, [0, 0, 0, 1, 0]);
  });

  it('keeps the findings before a sentence whose matches changed and finds those from it on again', () => {
    // "nephrolithiasis" -> "nephroxlithiasis": the impression's finding is gone. The findings before it are kept
    // (the same objects), those after the changed sentence found again, and the rules run again.
    const cache = new ScanCache();
    const before = analyzeNote(REPORT, services(), { cache }).findings;
    const after = typed(REPORT, REPORT.indexOf('nephrolithiasis') + 6, 'x');
    const { analysis, kinds } = edited(REPORT, after, cache);
    assert.deepEqual(kinds, [0, 0, 0, 0, 1]);
    assert.deepEqual([analysis.findings[0] === before[0], analysis.findings[1] === before[1]], [true, true]);
    assert.deepEqual(
      analysis.findings.map((f) => [f.text, f.start, f.laterality?.value]),
      [
        ['calculus', after.indexOf('calculus'), 'left'],
        ['vascular calcifications', after.indexOf('vascular calcifications'), undefined],
      ],
    );
    assert.deepEqual(
      analysis.diagnostics.map((d) => [d.ruleId, after.slice(d.start, d.end)]),
      [['unspecified-code', 'N20.9']],
    );
    // "calcifications" -> "calcifxications": the calculus sentence before may read the changed sentence's first
    // words (FORWARD_REACH), so its findings are found again too (new objects), the same.
    const typo = edited(REPORT, typed(REPORT, REPORT.indexOf('calcifications') + 5, 'x'));
    assert.deepEqual(typo.kinds, [0, 0, 0, 0, 1]);
    assert.deepEqual(typo.analysis.findings.map((f) => f.text), ['calculus', 'nephrolithiasis']);
  });

  it('moves the evidence a kept finding has after the changed sentences (a cause the note names later)', () => {
    const note =
      'FINDINGS: Heterotopic ossification about the right hip. The patient tolerated the examination well and remained calm throughout. The left knee is normal. Small calcified granuloma in the right lung.\nHISTORY: Spinal cord injury with T6 paraplegia since 2024.\n';
    const cache = new ScanCache();
    const last = analyzeNote(note, services(), { cache });
    const [ossification, question] = [last.findings[0]!, last.diagnostics[0]!];
    const after = typed(note, note.indexOf('knee') + 2, 'x');
    const { analysis, kinds } = edited(note, after, cache);
    assert.deepEqual(kinds, [0, 0, 0, 0, 1]);
    assert.equal(analysis.findings[0], ossification);
    // The findings from the edit on came out as they were: the last diagnostics are moved, not made again.
    assert.equal(analysis.diagnostics[0], question);
    assert.deepEqual(
      ossification.etiologies.map((e) => [e.value, e.start, e.via]),
      [
        ['spinal-cord-injury', after.indexOf('Spinal'), 'note'],
        ['paralysis', after.indexOf('paraplegia'), 'note'],
      ],
    );
    assert.deepEqual(
      analysis.diagnostics.map((d) => [d.ruleId, after.slice(d.start, d.end)]),
      [['missing-etiology', 'Heterotopic ossification']],
    );
  });

  it('moves the last diagnostics when the findings found from the edit on come out as they were', () => {
    // "liver" -> "lixver": the sentence names no place any more, but no finding read it: the findings from it on
    // are found again, the same, so the last diagnostics are moved (the same objects) instead of the rules run.
    const cache = new ScanCache();
    const [diagnostic] = analyzeNote(REPORT, services(), { cache }).diagnostics;
    const after = typed(REPORT, REPORT.indexOf('liver') + 2, 'x');
    const { analysis, kinds } = edited(REPORT, after, cache);
    assert.deepEqual(kinds, [0, 0, 0, 0, 1]);
    assert.equal(analysis.diagnostics[0], diagnostic);
    assert.deepEqual([diagnostic!.ruleId, after.slice(diagnostic!.start, diagnostic!.end)], ['unspecified-code', 'N20.9']);
  });

  it('finds every finding again when the changed sentence named the only mention of an organ an earlier finding asked about', () => {
    // "MAC" counts only where the note names the heart or a valve: "heart" typed away drops the MAC before it.
    const echo = 'ECHO: Moderate MAC. The heart is mildly enlarged, with normal function.\n';
    const after = typed(echo, echo.indexOf('heart') + 2, 'x');
    const { analysis, kinds } = edited(echo, after);
    assert.deepEqual(kinds, [0, 0, 0, 0, 0]);
    assert.deepEqual(analysis.findings.map((f) => f.text), []);
    // Named again elsewhere, the heart is still in the note: the findings from the changed sentence on are found again.
    const twice = `${echo}The heart valves are thickened.\n`;
    const both = edited(twice, typed(twice, twice.indexOf('heart') + 2, 'x'));
    assert.deepEqual(both.kinds, [0, 0, 0, 0, 1]);
    assert.deepEqual(both.analysis.findings.map((f) => f.text), ['MAC']);
  });

  it('finds the findings from a changed sentence that names a cause on again when the findings before affirm that cause earlier', () => {
    // "End stage renal disease" -> "Endx stage ...": the assessment's cause changed. The calciphylaxis before read
    // the cause where the note first affirms it, in its own sentence, before the edit: it is kept.
    const note =
      'FINDINGS: Calciphylaxis of the left thigh due to end stage renal disease. The patient tolerated the examination well and remained calm throughout.\nASSESSMENT: End stage renal disease, followed by the nephrology clinic weekly. Calcinosis cutis of the fingertips.\n';
    const cache = new ScanCache();
    const calciphylaxis = analyzeNote(note, services(), { cache }).findings[0];
    const after = typed(note, note.indexOf('End stage') + 3, 'x');
    const { analysis, kinds } = edited(note, after, cache);
    assert.deepEqual(kinds, [0, 0, 0, 0, 1]);
    assert.equal(analysis.findings[0], calciphylaxis);
    assert.deepEqual(
      analysis.findings.map((f) => [f.text, f.start, f.etiologies.map((e) => [e.value, e.start])]),
      [
        ['Calciphylaxis', after.indexOf('Calciphylaxis'), [['esrd', after.indexOf('end stage')]]],
        ['Calcinosis cutis', after.indexOf('Calcinosis'), []],
      ],
    );
  });

  it('finds every finding again when a mention after the edit states the cause of one before it', () => {
    // The impression's "neurogenic" links the paraplegia to its heterotopic ossification, and that cause is
    // carried to the findings' earlier mention of the same condition (restatedCauses.ts). Negated, or no longer
    // "neurogenic", it carries nothing: the earlier mention is asked its cause again.
    const note = 'BILATERAL HIPS\nIndication: Spinal cord injury with T6 paraplegia since 2024.\nFindings: Extensive heterotopic ossification about both hips. Hip joints otherwise preserved.\nImpression: Bilateral neurogenic heterotopic ossification. Bladder calculi.\n';
    for (const after of [typed(note, note.indexOf('Bilateral neurogenic'), 'No '), typed(note, note.indexOf('neurogenic') + 3, 'x')]) {
      const { analysis, kinds } = edited(note, after);
      assert.deepEqual(kinds, [0, 0, 0, 0, 0]);
      const first = analysis.findings[0]!;
      assert.deepEqual([first.start, first.etiologies.map((e) => e.via), first.coding.suggested], [after.indexOf('heterotopic'), ['note', 'note'], ['M61.551', 'M61.552']]);
      assert.deepEqual(analysis.diagnostics[0] && [analysis.diagnostics[0].ruleId, after.slice(analysis.diagnostics[0].start, analysis.diagnostics[0].end)], ['missing-etiology', 'heterotopic ossification']);
    }
  });

  it('keeps a cause carried back to a mention before the edit when the mention after it that states it is unchanged', () => {
    const note =
      'BILATERAL HIPS\nIndication: Spinal cord injury with T6 paraplegia since 2024.\nFindings: Extensive heterotopic ossification about both hips. Hip joints otherwise preserved and the patient was cooperative. The left knee is normal.\nImpression: Bilateral neurogenic heterotopic ossification.\n';
    const after = typed(note, note.indexOf('knee') + 2, 'x');
    const { analysis, kinds } = edited(note, after);
    assert.deepEqual(kinds, [0, 0, 0, 0, 1]);
    const [first, impression] = analysis.findings;
    assert.deepEqual(
      [first!.etiologies.map((e) => [e.via, e.start]), first!.coding.suggested, impression!.start],
      [[['mention', after.indexOf('Spinal')], ['mention', after.indexOf('paraplegia')]], ['M61.251', 'M61.252'], after.indexOf('neurogenic')],
    );
    assert.deepEqual(analysis.diagnostics.map((d) => d.ruleId), []);
  });

  it('carries the cause a kept mention states to the mentions of the same condition found again after it', () => {
    // "knee" -> "knxee": the findings from the exam's sentence on are found again; the assessment's mention before
    // it, kept, states the cause of the fingertips' calcinosis (restatedCauses.ts), as a full analysis finds.
    const note = 'ASSESSMENT: Calcinosis cutis in CREST syndrome.\nEXAM: The left knee is normal. Calcinosis cutis at the fingertips of both hands.\n';
    const after = typed(note, note.indexOf('knee') + 2, 'x');
    const { analysis, kinds } = edited(note, after);
    assert.deepEqual(kinds, [0, 0, 0, 0, 1]);
    assert.deepEqual(
      analysis.findings.map((f) => [f.start, f.etiologies.map((e) => [e.via, e.start]), f.coding.suggested]),
      [
        [after.indexOf('Calcinosis'), [['sentence', after.indexOf('CREST')]], ['M34.1']],
        [after.lastIndexOf('Calcinosis'), [['mention', after.indexOf('CREST')]], ['M34.1']],
      ],
    );
  });

  it('analyses afresh under other severities', () => {
    const cache = new ScanCache();
    analyzeNote(REPORT, services(), { cache });
    const at = REPORT.indexOf('calm');
    const after = `${REPORT.slice(0, at)}x${REPORT.slice(at)}`;
    const analysis = analyzeNote(after, services(), { cache, severities: { 'missing-etiology': 'off' } });
    assert.equal(cache.reusedAnalyses, 0);
    assert.deepEqual(analysis, analyzeNote(after, services(), { severities: { 'missing-etiology': 'off' } }));
  });
});

/** Keystrokes and small edits as a person types them: letters, spaces, punctuation, words of every vocabulary, deletions. */
const TYPED = ['e', 'a', 'x', 's', 'n', ' ', ' ', '.', ',', ':', 'T', '1', '\n', '\n\n', 'the ', 'It ', 'no ', 'history of ', 'mother ', 'ruled out ', 'LEFT: ', ...SIDES, ...CONCEPTS.slice(0, 6), ...NEGATIONS.slice(0, 3)];

/** What a coder types next to a written code: the words that set one aside, modifiers, separators, arrows. */
const NEAR_CODES = ['e', 'x', ' ', ' ', ',', '-', '50', 'LT', 'not ', 'no ', 'was ', 'deleted ', 'ruled out ', 'not applicable ', 'and ', 'or ', ' -> ', '~~', 'Deleted codes: ', 'instead of ', 'N/A ', 'Z87.891 '];
const CODE_LIKE = /\b(?:[A-Z]\d{2}(?:\.\w{1,4})?|\d{5})\b/g;

/**
 * Types `edits` random edits into `text`, each analysed with the cache and compared with a fresh analysis;
 * `nearCodes`: each within 60 characters of something shaped like a code, from NEAR_CODES.
 */
function typeInto(text: string, edits: number, seed: number, nearCodes = false): { reused: number; refound: number; fromEdit: number; rules: number; edits: number } {
  const random = prng(seed);
  const cache = new ScanCache();
  analyzeNote(text, services(), { cache });
  for (let i = 0; i < edits; i++) {
    const codes = nearCodes ? [...text.matchAll(CODE_LIKE)] : [];
    const near = codes.length > 0 ? codes[Math.floor(random() * codes.length)]!.index : undefined;
    const at = near === undefined ? Math.floor(random() * (text.length + 1)) : Math.max(0, Math.min(text.length, near + Math.floor(random() * 120) - 60));
    const remove = random() < 0.25 ? 1 + Math.floor(random() * 3) : 0;
    const typed = nearCodes ? NEAR_CODES : TYPED;
    const insert = remove > 0 && random() < 0.5 ? '' : typed[Math.floor(random() * typed.length)]!;
    text = text.slice(0, at) + insert + text.slice(at + remove);
    const cached = analyzeNote(text, services(), { cache });
    assert.deepEqual(cached, analyzeNote(text, services()), `edit ${i} (seed ${seed})`);
    // The note's tokens as one list, patched from the last list where an edit allows (noteScan.ts), as a fresh cut.
    if (i % 3 === 0) assert.deepEqual(cached.model.tokens.toArray(), tokenize(text).toArray(), `tokens after edit ${i} (seed ${seed})`);
  }
  return { reused: cache.reusedAnalyses, refound: cache.refoundAnalyses + cache.movedFindings, fromEdit: cache.foundFromEdit, rules: cache.reusedDiagnostics, edits };
}

describe('analysis reuse: the same analysis as a fresh one after random typing', () => {
  it('in every note of the development corpus', () => {
    const dir = join(__dirname, '..', 'corpus', 'notes');
    let reused = 0;
    let rules = 0;
    let edits = 0;
    for (const [k, file] of readdirSync(dir).sort().entries()) {
      const run = typeInto(readFileSync(join(dir, file), 'utf8'), 6, k + 1);
      reused += run.reused;
      rules += run.rules;
      edits += run.edits;
    }
    // Not a test of nothing: some analyses were reused (short, dense notes: few), more diagnostics, and many
    // edits needed everything again.
    assert.ok(reused > edits * 0.02 && rules > edits * 0.1 && reused + rules < edits * 0.9, `${reused} analyses and ${rules} diagnostics of ${edits} reused`);
  });

  it('in report-shaped and clinic notes', () => {
    let reused = 0;
    let refound = 0;
    let fromEdit = 0;
    let rules = 0;
    let edits = 0;
    fc.assert(
      fc.property(fc.nat(1000), fc.boolean(), (seed, report) => {
        const run = typeInto(report ? reportNote(6000, seed) : syntheticNote(3000, seed), 12, seed);
        reused += run.reused;
        refound += run.refound;
        fromEdit += run.fromEdit;
        rules += run.rules;
        edits += run.edits;
      }),
      { seed: 20261204, numRuns: 40 },
    );
    assert.ok(
      reused > edits * 0.15 && refound > edits * 0.03 && fromEdit > edits * 0.05 && rules > edits * 0.01,
      `${reused} analyses (${refound} after finding sentences again), ${fromEdit} from the edit on and ${rules} diagnostics of ${edits} reused`,
    );
  });

  it('next to the codes written in report-shaped and clinic notes and coder worksheets', () => {
    let reused = 0;
    let edits = 0;
    fc.assert(
      fc.property(fc.nat(1000), fc.boolean(), (seed, report) => {
        const run = typeInto(report ? reportNote(6000, seed) : syntheticNote(3000, seed), 10, seed, true);
        reused += run.reused + run.refound;
        edits += run.edits;
      }),
      { seed: 20261205, numRuns: 30 },
    );
    const dir = join(__dirname, '..', 'corpus', 'notes');
    for (const [k, file] of readdirSync(dir).filter((f) => f.startsWith('aside-')).sort().entries()) {
      const run = typeInto(readFileSync(join(dir, file), 'utf8'), 10, 500 + k, true);
      reused += run.reused + run.refound;
      edits += run.edits;
    }
    assert.ok(reused > edits * 0.1, `${reused} of ${edits} reused`);
  });
});
