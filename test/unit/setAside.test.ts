import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyzeNote } from '../../server/src/core/analyze';
import { DataFileError } from '../../server/src/core/codes/loadCodeData';
import { replacedPairs, reportedMentions, setAsideMentions } from '../../server/src/core/codes/setAside';
import { ContextLexicon } from '../../server/src/core/context/contextDetector';
import { loadContextLexicon } from '../../server/src/core/context/loadContext';
import { codeSetAsideFileSchema } from '../../server/src/core/context/schema';
import { REPO_ROOT, services } from '../support/services';

/** Each code mention as "code: kind \"words\"" or "code: counts", with the words checked against the text. */
function decisions(text: string): string[] {
  const { model, mentions } = analyzeNote(text, services());
  const aside = setAsideMentions({ text, model, mentions, context: services().context });
  return mentions.map((m) => {
    const a = aside.get(m);
    return a ? `${text.slice(m.start, m.end)}@${m.start}: ${a.kind} "${text.slice(a.start, a.end)}"@${a.start}` : `${text.slice(m.start, m.end)}@${m.start}: counts`;
  });
}

/** The pairs of codes the text writes as one replacing the other (replacedPairs). */
function replaced(text: string): string[] {
  const { model, mentions } = analyzeNote(text, services());
  return [...replacedPairs({ text, model, mentions, context: services().context })].sort();
}

describe('codes a note writes as replacing one another (codes/setAside.ts, replacedPairs)', () => {
  it('pairs the code a replacement phrase or an arrow sets aside with the code on its other side, on one line', () => {
    assert.deepEqual(replaced('Codes: Z87.891 replaced by F17.210. Codes: N13.2 instead of N20.1. Codes: M75.30 -> M75.31. Codes: E78.5 has been changed to E78.00.'), [
      'E78.00|E78.5',
      'F17.210|Z87.891',
      'M75.30|M75.31',
      'N13.2|N20.1',
    ]);
    // Set aside by other words ("not applicable", "deleted"), or across a line break: no pair.
    assert.deepEqual(replaced('Codes: Z87.891 not applicable, F17.210. Codes: I25.84 deleted I25.10.\nCodes: M75.30 changed to\nM75.31'), []);
  });
});

describe('codes a note sets aside (codes/setAside.ts)', () => {
  it('reads the set-aside words right after a code, after a dash, colon or copula', () => {
    assert.deepEqual(decisions('HISTORY: current smoker. Z87.891 not applicable, active smoker: F17.210.'), [
      'Z87.891@25: set-aside "not applicable"@33',
      'F17.210@64: counts',
    ]);
    assert.deepEqual(decisions('Dx: Z87.891 - N/A. Dx: I25.84 was deleted. Dx: M75.30 has been changed to M75.31.'), [
      'Z87.891@4: set-aside "N/A"@14',
      'I25.84@23: set-aside "deleted"@34',
      'M75.30@47: set-aside "changed to"@63',
      'M75.31@74: counts',
    ]);
    // A coder's worksheet revises a code: the code revised is set aside, the one it became counts.
    assert.deepEqual(decisions('M61.50 revised to M61.252. F17.210 revised from Z72.0.'), [
      'M61.50@0: set-aside "revised to"@7',
      'M61.252@18: counts',
      'F17.210@27: counts',
      'Z72.0@48: set-aside "revised from"@35',
    ]);
  });

  it('reads the words right before a code: set-aside phrases, a label with its list, and forward negations', () => {
    assert.deepEqual(decisions('Use F17.210 instead of code Z87.891. Tobacco: F17.210 (not Z72.0).'), [
      'F17.210@4: counts',
      'Z87.891@28: set-aside "instead of"@12',
      'F17.210@46: counts',
      'Z72.0@59: negated "not"@55',
    ]);
    assert.deepEqual(decisions('Deleted codes: Z87.891, Z72.0. Kept: F17.210'), [
      'Z87.891@15: set-aside "Deleted"@0',
      'Z72.0@24: set-aside "Deleted"@0',
      'F17.210@37: counts',
    ]);
  });

  it('sets aside codes coordinated before the words, an arrow\'s source, a struck code and a cited category', () => {
    assert.deepEqual(decisions('Coder: M65.20 and M75.30 do not apply; ~~Z87.891~~ F17.210; M75.30 -> M75.31; M65.28 (Excludes1 at M65.2, calcific tendinitis)'), [
      'M65.20@7: set-aside "do not apply"@25',
      'M75.30@18: set-aside "do not apply"@25',
      'Z87.891@41: set-aside "~~"@39',
      'F17.210@51: counts',
      'M75.30@60: set-aside "->"@67',
      'M75.31@70: counts',
      'M65.28@78: counts',
      'M65.2@99: set-aside "Excludes1 at"@86',
    ]);
    // A statement about a pair sets neither aside.
    assert.deepEqual(decisions('Dx: M65.28 and M75.30 are not reported together.'), ['M65.28@4: counts', 'M75.30@15: counts']);
    // A list joined by commas alone: only the code next to the words.
    assert.deepEqual(decisions('Final codes: F17.210, Z87.891 N/A'), ['F17.210@13: counts', 'Z87.891@22: set-aside "N/A"@30']);
  });

  it('keeps a code that a negation near it does not govern, a history, and a rule-out', () => {
    assert.deepEqual(decisions('Dx: Z87.891 history of tobacco use. Dx: N20.1, no hydronephrosis. No fever. N13.2'), [
      'Z87.891@4: counts',
      'N20.1@40: counts',
      'N13.2@76: counts',
    ]);
    // "r/o", "rule out" and "not ruled out" make a diagnosis uncertain, not absent; "no change" is no negation.
    assert.deepEqual(decisions('Dx: r/o N20.1. Dx: rule out N21.0. Dx: not ruled out N13.2. Dx: no change N20.0 stone'), [
      'N20.1@8: counts',
      'N21.0@28: counts',
      'N13.2@53: counts',
      'N20.0@74: counts',
    ]);
    // "No." and "No:" are a number's label, not a negation.
    assert.deepEqual(decisions('Dx No. N20.1. Claim No: Z87.891'), ['N20.1@7: counts', 'Z87.891@24: counts']);
  });

  it('marks a code written negated ("No N13.2", "N21.0 ruled out") as negated', () => {
    assert.deepEqual(decisions('Dx: N20.1. No N13.2 today. Dx: N21.0 ruled out.'), [
      'N20.1@4: counts',
      'N13.2@14: negated "No"@11',
      'N21.0@31: negated "ruled out"@37',
    ]);
  });

  it('reads set-aside words between two codes for the first only; a two-way negation after a code only at its clause end, else forward', () => {
    assert.deepEqual(decisions('Dx: M75.30 deleted M75.31 added. Dx: N21.0 ruled out N13.2 per CT. Dx: N20.1 ruled out obstruction'), [
      'M75.30@4: set-aside "deleted"@11',
      'M75.31@19: counts',
      'N21.0@37: counts',
      'N13.2@53: negated "ruled out"@43',
      'N20.1@71: counts',
    ]);
  });

  it('sets aside a CPT code with its modifiers', () => {
    assert.deepEqual(decisions('CPT 23000. 23412 not billed. 20551-50 changed to 20551-LT.'), [
      '23000@4: counts',
      '23412@11: set-aside "not billed"@17',
      '20551@29: set-aside "changed to"@38',
      '20551@49: counts',
    ]);
  });

  it('leaves the mention list as it is when nothing is set aside', () => {
    const text = 'Dx: M75.31, E83.52.';
    const { model, mentions } = analyzeNote(text, services());
    assert.equal(reportedMentions({ text, model, mentions, context: services().context }), mentions);
  });

  it('reads its words from data/context/code-set-aside.json, validated: a repeated phrase or an unknown reason is named', () => {
    assert.ok(loadContextLexicon(join(REPO_ROOT, 'data', 'context')).codeSetAside.startWords().includes('instead'));
    const bad = codeSetAsideFileSchema.safeParse({
      about: '',
      phrases: [
        { phrase: 'deleted', where: 'after', reason: 'edit' },
        { phrase: 'deleted', where: 'before', reason: 'typo' },
      ],
      reasons: { edit: 'x' },
    });
    assert.equal(bad.success, false);
    assert.deepEqual(bad.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`), ['phrases.1.phrase: "deleted" is listed twice', 'phrases.1.reason: unknown reason "typo"']);
    assert.throws(() => loadContextLexicon(join(REPO_ROOT, 'test', 'fixtures')), DataFileError);
    // A lexicon built from literals (tests) has no set-aside words and sets nothing aside.
    assert.deepEqual(new ContextLexicon([{ phrase: 'no', category: 'negated', role: 'pre', source: 'calx' }]).codeSetAside.startWords(), []);
  });
});
