import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expandPattern, NotExpandable } from '../../scripts/context/expandPattern';
import { parseLexicalKb, parseNegexList } from '../../scripts/context/triggerSources';
import { renderContextData } from '../../scripts/build-context';
import { DataFileError } from '../../server/src/core/codes/loadCodeData';
import {
  annotateContext,
  ContextLexicon,
  type ContextFlags,
  MAX_SCOPE_TOKENS,
  tokenSpanOf,
} from '../../server/src/core/context/contextDetector';
import { loadContextLexicon } from '../../server/src/core/context/loadContext';
import { type TriggerRecord, triggersFileSchema } from '../../server/src/core/context/schema';
import { buildTextModel } from '../../server/src/core/text/textModel';
import { REPO_ROOT } from '../support/services';

const CONTEXT_DIR = join(REPO_ROOT, 'data', 'context');
let lexicon: ContextLexicon | undefined;
const realLexicon = () => (lexicon ??= loadContextLexicon(CONTEXT_DIR));

/** [phrase, start, end, via] of each flag: compact enough for a table, exact enough to pin offsets. */
type Compact = Partial<Record<keyof ContextFlags, [string, number, number, ContextFlags[keyof ContextFlags] extends infer T ? (T extends { via: infer V } ? V : never) : never]>>;

/** The context of the `nth` occurrence of `target` in `text`. */
function contextOfText(text: string, target: string, lex: ContextLexicon = realLexicon(), nth = 0): Compact {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(target, at + 1);
  assert.ok(at >= 0, `"${target}" not in the text`);
  const model = buildTextModel(text);
  const span = tokenSpanOf(model, at, at + target.length);
  assert.ok(span, `no tokens under "${target}"`);
  const flags = annotateContext(model, lex).contextOf(span.tokenStart, span.tokenEnd);
  const out: Compact = {};
  for (const [category, t] of Object.entries(flags) as Array<[keyof ContextFlags, NonNullable<ContextFlags[keyof ContextFlags]>]>) {
    if (t.via === 'sentence') assert.equal(foldForCheck(text.slice(t.start, t.end)), foldForCheck(t.phrase), 'offsets cover the trigger');
    out[category] = [t.phrase, t.start, t.end, t.via];
  }
  return out;
}
const foldForCheck = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ');

describe('context detection (real lexicon)', () => {
  // [what it pins, note text, finding, expected flags]
  const table: Array<[string, string, string, Compact]> = [
    ['pre-negation', 'No calcification.', 'calcification', { negated: ['no', 0, 2, 'sentence'] }],
    ['multi-word trigger, longest first', 'There is no evidence of calcific tendinitis.', 'calcific tendinitis', { negated: ['no evidence of', 9, 23, 'sentence'] }],
    ['negative for', 'Urinalysis negative for calculi.', 'calculi', { negated: ['negative for', 11, 23, 'sentence'] }],
    ['list: last item', 'No fracture, effusion or calcification.', 'calcification', { negated: ['no', 0, 2, 'sentence'] }],
    ['list: middle item', 'No fracture, effusion or calcification.', 'effusion', { negated: ['no', 0, 2, 'sentence'] }],
    ['list with "and"', 'Denies fever and calcinosis.', 'calcinosis', { negated: ['denies', 0, 6, 'sentence'] }],
    ['pseudo-trigger "no change" is not a negation', 'There is no change in the calcification.', 'calcification', {}],
    ['pseudo-trigger "not only"', 'The mass is not only calcified but enlarged.', 'calcified', {}],
    ['a pseudo-trigger also ends the scope of an earlier trigger', 'No effusion and no change in the calcification.', 'calcification', {}],
    ['terminator "but"', 'There is no fracture but calcification is present.', 'calcification', {}],
    ['terminator "however"', 'No fracture, however calcific tendinitis is seen.', 'calcific tendinitis', {}],
    ['before the terminator still negated', 'There is no fracture but calcification is present.', 'fracture', { negated: ['no', 9, 11, 'sentence'] }],
    ['terminator ";" (Calx)', 'No fracture; calcific tendinitis.', 'calcific tendinitis', {}],
    ['post-negation', 'Calcification was not seen.', 'Calcification', { negated: ['not seen', 18, 26, 'sentence'] }],
    ['post-trigger scope stops at a terminator', 'Calcification present but fracture ruled out.', 'Calcification', {}],
    ['post-negation "none" (Calx)', 'Calcification: none.', 'Calcification', { negated: ['none', 15, 19, 'sentence'] }],
    ['a bare "not" does not negate backward (Calx exclusion)', 'Calcification is present, not hemorrhage.', 'Calcification', {}],
    ['"not identified" (Calx post-negation)', 'Calcification is not identified.', 'Calcification', { negated: ['not identified', 17, 31, 'sentence'] }],
    ['"resolved" negates backward only (Calx exclusion)', 'Pain resolved after barbotage of the calcific deposit.', 'calcific deposit', {}],
    ['"resolved" after the finding', 'Calcific tendinitis, resolved.', 'Calcific tendinitis', {
      negated: ['resolved', 21, 29, 'sentence'],
      historical: ['resolved', 21, 29, 'sentence'],
    }],
    ['"evaluate for" is an indication, not a negation (Calx exclusion)', 'Evaluate for calcific tendinitis.', 'calcific tendinitis', { hypothetical: ['evaluate for', 0, 12, 'sentence'] }],
    ['"rule out" is uncertain (NegEx) and hypothetical (pyConText indication)', 'MRI to rule out calcific tendinitis.', 'calcific tendinitis', {
      uncertain: ['rule out', 7, 15, 'sentence'],
      hypothetical: ['rule out', 7, 15, 'sentence'],
    }],
    ['"r/o" with its punctuation token', 'Shoulder pain, r/o calcific tendinitis.', 'calcific tendinitis', {
      uncertain: ['r/o', 15, 18, 'sentence'],
      hypothetical: ['r/o', 15, 18, 'sentence'],
    }],
    ['"cannot rule out": uncertain, and hypothetical by the "rule out" inside it', 'Cannot rule out calcification.', 'calcification', {
      uncertain: ['cannot rule out', 0, 15, 'sentence'],
      hypothetical: ['rule out', 7, 15, 'sentence'],
    }],
    ['possible', 'Possible calcification of the aortic valve.', 'calcification', { uncertain: ['possible', 0, 8, 'sentence'] }],
    ['cannot be excluded (post)', 'Calcific tendinitis cannot be excluded.', 'Calcific tendinitis', { uncertain: ['cannot be excluded', 20, 38, 'sentence'] }],
    ['concern for (Calx)', 'Findings concerning for calcinosis; concern for calciphylaxis.', 'calciphylaxis', { uncertain: ['concern for', 36, 47, 'sentence'] }],
    ['closest trigger of the axis wins', 'No fracture, possible calcification.', 'calcification', { uncertain: ['possible', 13, 21, 'sentence'] }],
    ['hypothetical "if"', 'Return if calcification persists.', 'calcification', { hypothetical: ['if', 7, 9, 'sentence'] }],
    ['historical "history of"', 'Patient has a history of heterotopic ossification.', 'heterotopic ossification', { historical: ['history of', 14, 24, 'sentence'] }],
    ['historical "s/p"', 'S/p excision of calcified mass.', 'calcified mass', { historical: ['s/p', 0, 3, 'sentence'] }],
    ['comparison words are not historical (Calx exclusion)', 'Stable calcified granuloma, unchanged from prior exam.', 'calcified granuloma', {}],
    ['"54-year-old" is not historical', '54-year-old woman with calcific tendinitis.', 'calcific tendinitis', {}],
    ['experiencer', 'Mother had calciphylaxis.', 'calciphylaxis', { experiencer: ['mother', 0, 6, 'sentence'] }],
    ['experiencer ends at "patient"', 'Mother had gout; patient has calcific tendinitis.', 'calcific tendinitis', {}],
    ['negated and other experiencer together', 'No family history of calcinosis.', 'calcinosis', {
      negated: ['no', 0, 2, 'sentence'],
      experiencer: ['family history of', 3, 20, 'sentence'],
    }],
    ['FAMILY HISTORY section -> experiencer', 'FAMILY HISTORY:\nCalciphylaxis in an aunt.\n\nSOCIAL HISTORY: Quit smoking.', 'Calciphylaxis', {
      experiencer: ['FAMILY HISTORY', 0, 14, 'section'],
    }],
    ['section context ends with the section', 'FAMILY HISTORY: Gout.\nASSESSMENT: Calciphylaxis.', 'Calciphylaxis', {}],
    ['a sentence trigger of the category wins over the section', 'FAMILY HISTORY: Mother had calciphylaxis.', 'calciphylaxis', { experiencer: ['mother', 16, 22, 'sentence'] }],
    ['negation inside a FAMILY HISTORY section', 'FAMILY HISTORY: No calciphylaxis.', 'calciphylaxis', {
      negated: ['no', 16, 18, 'sentence'],
      experiencer: ['FAMILY HISTORY', 0, 14, 'section'],
    }],
    ['PAST MEDICAL HISTORY section -> historical', 'HPI: Shoulder pain.\nPAST MEDICAL HISTORY: Calcific tendinitis.', 'Calcific tendinitis', {
      historical: ['PAST MEDICAL HISTORY', 20, 40, 'section'],
    }],
    ['PAST SURGICAL HISTORY section -> historical', 'Past Surgical History:\n  Excision of calcified mass 2019.', 'calcified mass', {
      historical: ['Past Surgical History', 0, 21, 'section'],
    }],
    ['a header line carries no scope', 'RULE OUT: calcific tendinitis.', 'calcific tendinitis', {}],
    ['CRLF text', 'IMPRESSION:\r\nNo acute fracture.\r\nNo calcification.\r\n', 'calcification', { negated: ['no', 33, 35, 'sentence'] }],
    ['an emoji before the trigger (UTF-16 offsets)', 'Pain 😣. No calcification.', 'calcification', { negated: ['no', 9, 11, 'sentence'] }],
    ['a combining accent before the finding', 'No Mo\u0308nckeberg sclerosis.', 'Mo\u0308nckeberg sclerosis', { negated: ['no', 0, 2, 'sentence'] }],
    ['a trigger never applies to a finding it overlaps', 'Negative for calcification.', 'Negative for calcification', {}],
    ['the next sentence is out of scope', 'No fracture. Calcification of the tendon.', 'Calcification', {}],
    // Issue 16: phrase structure ends a scope.
    ['negation stops at a finite verb: a new clause in unpunctuated dictation', 'there is no pleural effusion the heart is enlarged there is dense calcification of the aortic valve', 'calcification', {}],
    ['negation stops at another finite verb ("contains")', 'there is no biliary dilatation the gallbladder contains several small gallstones', 'gallstones', {}],
    ['a history stops at a finite verb too (dictated indication)', 'dictated history flank pain comparison none findings the liver is normal there is a calculus in the left renal pelvis', 'calculus', {}],
    ['a verb\'s negation covers its clause, verbs included', 'I do not think there is calcification of the aortic valve.', 'calcification', { negated: ['not', 5, 8, 'sentence'] }],
    ['a label ends a negation: the colon of an inline header', 'Study performed without contrast INDICATION: nephrolithiasis.', 'nephrolithiasis', {}],
    ['a label\'s colon ends a post-negation\'s backward scope', 'Renal calculus in the left kidney: sinus fat absent.', 'Renal calculus', {}],
    ['the end of the parenthesis a trigger stands in ends its scope', '(prior images not available) calcified granuloma in the left lower lobe.', 'calcified granuloma', {}],
    ['a parenthesis opened after the trigger does not end it', 'Negative for calcification (aortic or mitral) and calculi.', 'calculi', { negated: ['negative for', 0, 12, 'sentence'] }],
    ['an uncertainty word right after a negation is part of what is negated ("no signs of")', 'No radiographic signs of calcific tendinitis.', 'calcific tendinitis', { negated: ['no', 0, 2, 'sentence'] }],
    ['"no findings suggesting" negates', 'No findings suggesting nephrocalcinosis.', 'nephrocalcinosis', { negated: ['no', 0, 2, 'sentence'] }],
    ['a trigger inside the finding does not end a scope over it ("free" in "free fluid")', 'No free fluid in the pelvis.', 'free fluid', { negated: ['no', 0, 2, 'sentence'] }],
    ['a reporting verb ends a negation too', 'no hydronephrosis the CT revealed a calculus in the left kidney', 'calculus', {}],
    ['"without change" is a pseudo-trigger (Calx)', 'Anchor in position without change and calcific deposit at the greater tuberosity.', 'calcific deposit', {}],
    ['"positive for" ends a negation (Calx terminator)', 'No hydronephrosis and positive for nephrolithiasis.', 'nephrolithiasis', {}],
    ['an inline "impression" header ends a negation (Calx terminator)', 'findings no hydronephrosis impression nonobstructing left renal calculus', 'renal calculus', {}],
    ['a study cited with its year is a prior study: what it showed is history', 'A chest CT from 2019 showed a calcified granuloma.', 'calcified granuloma', { historical: ['ct from 2019', 8, 20, 'sentence'] }],
    ['a dated study as the label of the finding\'s line', 'Echo 2021: mild mitral annular calcification.', 'mitral annular calcification', { historical: ['echo 2021', 0, 9, 'sentence'] }],
    ['a year after "since" dates a comparison, not a finding', 'Calcified granuloma, unchanged since 2019.', 'Calcified granuloma', {}],
    ['"was negative for" is read before the shorter "was negative" (Calx)', 'Renal ultrasound was negative for nephrocalcinosis.', 'nephrocalcinosis', { negated: ['was negative for', 17, 33, 'sentence'] }],
    ['"may show" (Calx hypothetical)', 'A repeat CT may show further calcification.', 'further calcification', { hypothetical: ['may show', 12, 20, 'sentence'] }],
    ['a coordinated clause with its own subject ends a verb\'s negation', 'He is not in pain and he has calcific tendinitis of the shoulder.', 'calcific tendinitis', {}],
    ['a trigger in a parenthesis opened after the negation does not end it', 'Negative for calculi (neither renal nor ureteral), or nephrocalcinosis.', 'nephrocalcinosis', { negated: ['negative for', 0, 12, 'sentence'] }],
    ['negation still governs the noun phrase before its verb', 'No calcification is seen.', 'calcification', { negated: ['no', 0, 2, 'sentence'] }],
    ['negation stops at a comma that opens an interpretation', 'Calcifications without edema, consistent with calcified neurocysticercosis.', 'calcified', {}],
    ['"in keeping with" after a comma too', 'No hemorrhage, in keeping with calcified neurocysticercosis.', 'calcified', {}],
    ['"stable" ends a negation (Calx terminator)', 'impression no acute process stable calcified nodule', 'calcified nodule', {}],
    ['"X, likely Y": a two-way trigger after a comma qualifies Y only', 'Calcified subcarinal lymph node, likely sequela of granulomatous disease.', 'Calcified subcarinal lymph node', {}],
    ['"X, likely Y" still governs Y', 'Focal density, likely calcification.', 'calcification', { uncertain: ['likely', 15, 21, 'sentence'] }],
    ['"X, likely." at the end still governs X', 'Small calcification, likely.', 'calcification', { uncertain: ['likely', 21, 27, 'sentence'] }],
    ['a history stops at "with"', 'Changes of prior lumpectomy with dystrophic calcifications.', 'dystrophic calcifications', {}],
    ['a history stops at "and" before a modifier of its own', 'History of diabetes and marked vascular calcifications.', 'vascular calcifications', {}],
    ['a history still covers a plain coordinated item', 'History of diabetes and kidney stones.', 'kidney stones', { historical: ['history of', 0, 10, 'sentence'] }],
    ['a comparison is not history: "unchanged from 3 months ago"', 'Calcific deposit in the supraspinatus, unchanged from 3 months ago.', 'Calcific deposit', {}],
    ['"at that time" (Calx historical)', 'Seen 6 weeks ago; radiographs at that time showed a calcific deposit.', 'calcific deposit', { historical: ['at that time', 30, 42, 'sentence'] }],
    ['attributive "suspicious" describes a finding (Calx exclusion)', 'Suspicious grouped calcifications, BI-RADS 4B.', 'grouped calcifications', {}],
    ['"suspicious for" still makes it uncertain (Calx)', 'Density suspicious for calcification.', 'calcification', { uncertain: ['suspicious for', 8, 22, 'sentence'] }],
    ['"can be seen with" (Calx uncertain)', 'Chondrocalcinosis, which can be seen with CPPD.', 'CPPD', { uncertain: ['can be seen with', 25, 41, 'sentence'] }],
    ['"could also show" (Calx hypothetical)', 'Sarcoidosis could also show nodal calcification.', 'nodal calcification', { hypothetical: ['could also show', 12, 27, 'sentence'] }],
    ['"recalled from screening" is not a screening indication (Calx pseudo-trigger)', 'Recalled from screening for left breast calcifications.', 'breast calcifications', {}],
  ];
  for (const [what, text, target, expected] of table) {
    it(`${what}: ${JSON.stringify(text)} / ${target}`, () => assert.deepEqual(contextOfText(text, target), expected));
  }

  it('lists every trigger found with its scope, pseudo-triggers and terminators included', () => {
    const text = 'No change in size; no calcification but effusion.';
    const model = buildTextModel(text);
    const found = annotateContext(model, realLexicon()).triggers
      .filter((t) => t.category === 'negated')
      .map((t) => [t.phrase, t.role, text.slice(t.start, t.end), t.forward[1] - t.forward[0]]);
    assert.deepEqual(found, [
      ['no change', 'pseudo', 'No change', 0],
      [';', 'terminate', ';', 0],
      ['no', 'pre', 'no', 1],
      ['but', 'terminate', 'but', 0],
    ]);
  });

  it('annotates a 1 MB note in well under a second, and a sentence without punctuation too', function () {
    this.timeout(20000);
    const base = readFileSync(join(REPO_ROOT, 'examples', 'clinic-note.txt'), 'utf8');
    const note = base.repeat(Math.ceil(1_000_000 / base.length));
    const runOn = 'no calcification and possible mass if history of mother '.repeat(18000);
    for (const text of [note, runOn]) {
      const model = buildTextModel(text);
      const t0 = performance.now();
      const annotations = annotateContext(model, realLexicon());
      for (let i = 0; i < model.tokens.length; i += 5) annotations.contextOf(i, i + 1);
      const ms = performance.now() - t0;
      assert.ok(ms < 1000, `annotate + contextOf took ${ms.toFixed(0)} ms`);
    }
  });
});

describe('context rules (literal lexicon)', () => {
  const t = (phrase: string, category: TriggerRecord['category'], role: TriggerRecord['role']): TriggerRecord => ({ phrase, category, role, source: 'test' });
  const lex = new ContextLexicon([
    t('no', 'negated', 'pre'),
    t('but', 'negated', 'terminate'),
    t('sister', 'experiencer', 'pre'),
    t('patient', 'experiencer', 'terminate'),
    t('free', 'negated', 'post'),
    t('history', 'historical', 'pre'),
    t('history and physical', 'historical', 'pseudo'),
  ]);

  it('a terminator ends only its own category', () => {
    const text = 'Sister has no gout but patient has calcinosis.';
    assert.deepEqual(contextOfText(text, 'calcinosis', lex), {});
    assert.deepEqual(contextOfText('Sister has no gout but calcinosis.', 'calcinosis', lex), { experiencer: ['sister', 0, 6, 'sentence'] });
  });

  it(`caps the scope at ${MAX_SCOPE_TOKENS} tokens`, () => {
    const filler = Array.from({ length: MAX_SCOPE_TOKENS }, (_, i) => `w${i}`);
    assert.deepEqual(contextOfText(`no ${filler.slice(1).join(' ')} calcinosis`, 'calcinosis', lex), { negated: ['no', 0, 2, 'sentence'] });
    assert.deepEqual(contextOfText(`no ${filler.join(' ')} calcinosis`, 'calcinosis', lex), {});
    assert.deepEqual(contextOfText(`calcinosis ${filler.slice(1).join(' ')} free`, 'calcinosis', lex).negated?.[0], 'free');
    assert.deepEqual(contextOfText(`calcinosis ${filler.join(' ')} free`, 'calcinosis', lex), {});
  });

  it('a pseudo-trigger hides the trigger inside it', () => {
    assert.deepEqual(contextOfText('History and physical: calcinosis of the fingers.', 'calcinosis', lex), {});
    assert.deepEqual(contextOfText('History calcinosis.', 'calcinosis', lex), { historical: ['history', 0, 7, 'sentence'] });
  });

  it('rejects a phrase without tokens', () => {
    assert.throws(() => new ContextLexicon([t('   ', 'negated', 'pre')]), /triggers\[0\]: phrase "   " has no tokens/);
  });
});

describe('loadContextLexicon', () => {
  it('loads the committed triggers', () => {
    assert.ok(realLexicon().phraseCount > 700, String(realLexicon().phraseCount));
  });

  it('fails with a DataFileError when the file is missing', () => {
    assert.throws(() => loadContextLexicon(join(REPO_ROOT, 'test', 'fixtures')), DataFileError);
  });

  it('names the JSON path of a duplicate trigger', () => {
    const rec = { phrase: 'no', category: 'negated', role: 'pre', source: 'x' };
    const result = triggersFileSchema.safeParse({ schemaVersion: 1, triggers: [rec, { ...rec, source: 'y' }] });
    assert.equal(result.success, false);
    assert.deepEqual(result.error?.issues.map((i) => [i.path.join('.'), i.message]), [['triggers.1', 'duplicate of triggers[0] (no / negated / pre)']]);
  });
});

describe('build-context', () => {
  it('expands the simple regexes of the pyConTextNLP lexicon into phrases', () => {
    assert.deepEqual(expandPattern('(is|was) negative'), ['is negative', 'was negative']);
    assert.deepEqual(expandPattern('no sign(s)?'), ['no signs', 'no sign']);
    assert.deepEqual(expandPattern('(r/o|rule out|\\br o\\b|r\\.o\\.)'), ['r/o', 'rule out', 'r o', 'r.o.']);
    assert.deepEqual(expandPattern('no[\\s]*definite'), ['no definite']);
    assert.throws(() => expandPattern('\\bchronic[a-z]*\\b'), NotExpandable);
    assert.throws(() => expandPattern('(interval)\\b[\\d\\D\\s]*increase'), NotExpandable);
  });

  it('reads NegEx lists with CRLF and maps their tags', () => {
    const { records, skipped } = parseNegexList('no\t\t[PREN]\r\nr/o\t\t[PREP]\r\nbut\t\t[CONJ]\r\nno change\t\t[PSEU]\r\nodd line\r\n', 'n.txt', 'negated');
    assert.deepEqual(records.map((r) => `${r.phrase}/${r.category}/${r.role}`), [
      'no/negated/pre',
      'r/o/uncertain/pre',
      'but/negated/terminate',
      'but/uncertain/terminate',
      'no change/negated/pseudo',
    ]);
    assert.deepEqual(skipped, [{ source: 'n.txt', line: 5, entry: 'odd line', reason: 'not "phrase<TAB><TAB>[TAG]"' }]);
  });

  it('maps pyConTextNLP types and directions, keeping "not excluded" phrases uncertain', () => {
    const kb = [
      'Lex\tType\tRegex\tDirection\tCodes',
      'is negative\tDEFINITE_NEGATED_EXISTENCE\t(is|was) negative\tbackward\t',
      'cannot totally exclude\tPROBABLE_NEGATED_EXISTENCE\t\tforward\t',
      'denies\tPROBABLE_NEGATED_EXISTENCE\t\tforward\t',
      'rule out\tINDICATION\t\tforward\t',
      'evidence\tDEFINITE_EXISTENCE\t\tforward\t',
      'chronic\tHISTORICAL\t\\bchronic[a-z]*\\b\tbidirectional\t',
    ].join('\n');
    const { records, skipped } = parseLexicalKb(kb, 'kb.tsv');
    assert.deepEqual(records.map((r) => `${r.phrase}/${r.category}/${r.role}`), [
      'is negative/negated/post',
      'was negative/negated/post',
      'cannot totally exclude/uncertain/pre',
      'denies/negated/pre',
      'rule out/hypothetical/pre',
    ]);
    assert.deepEqual(skipped.map((s) => [s.line, s.reason]), [
      [6, 'type DEFINITE_EXISTENCE carries no Calx context'],
      [7, 'pattern not expandable (character class [a-z])'],
    ]);
  });

  const source = join(REPO_ROOT, '..', 'shared', 'data', 'context');
  it('reproduces the committed data/context byte for byte from the official lists', function () {
    if (!existsSync(source)) this.skip(); // the official lists sit beside the repo, not in every clone
    const files = renderContextData(source, join(CONTEXT_DIR, 'additions.json'));
    for (const [name, text] of Object.entries(files)) {
      assert.ok(text === readFileSync(join(CONTEXT_DIR, name), 'utf8'), `${name} differs from a fresh build: run npx tsx scripts/build-context.ts`);
    }
  });
});
