import { orList } from '../codes/describe';
import type { CodeIndex } from '../codes/codeIndex';
import { isManifestation } from '../codes/manifestation';
import { codeRefs, refCovers, RefIndex, refLabel, type CodeRef } from '../codes/noteRefs';
import { reportedMentions } from '../codes/setAside';
import type { CodeSuggestion } from '../findings/findings';
import { firstStartingAt } from '../text/byStart';
import type { CodeMention } from '../text/codeMentions';
import type { Rule, RuleFinding } from './types';

/**
 * "Code first" notes and the etiology/manifestation convention (Guidelines I.A.13), as a coder applies them:
 * - a code written before the code its note says to code first (N29 before E83.59, I25.84 before I25.10) is
 *   reported, with the swap;
 * - a manifestation code (title "in ... classified elsewhere", italic in the book) written first or alone is
 *   reported: it never is;
 * - a code-first note whose condition is not coded is a requirement only when the record documents that
 *   condition: the code's own title names it (I25.84 "Coronary atherosclerosis due to calcified coronary
 *   lesion" documents coronary atherosclerosis), or a finding's documented cause (metastatic calcification due
 *   to hypercalcemia: E83.52 first). Conditional notes ("such as", "if applicable", "any", a list of
 *   alternatives such as I50's hypertensive, postoperative, obstetric or rheumatic heart failure, pregnancy
 *   codes) never ask for a condition nobody documented.
 */
const CONDITIONAL = /such as|if applicable|\bany\b|if known|if present|when present/i;

/** A "code first" note in scope of a code: where it is, its text and the codes it names. */
interface CodeFirst {
  from: string;
  note: string;
  refs: CodeRef[];
  /**
   * True when the code's own title or inclusion terms name the note's condition ("coronary atherosclerosis" in
   * I25.84's title) and the note is no example or alternative: the code documents the condition, so its code
   * is required even when none is written.
   */
  required: boolean;
}

/** The words a note names its condition by: "coronary atherosclerosis (I25.1-, I25.7-)" -> "coronary atherosclerosis". */
const conditionWords = (note: string) => note.replace(/\(.*$/, '').trim().toLowerCase();

/** Pregnancy, childbirth and the puerperium (chapter 15): such codes apply only to a documented pregnancy. */
const pregnancyOnly = (refs: readonly CodeRef[]) => refs.every((r) => r.from.startsWith('O'));

/**
 * The code-first notes of each code, by code set: a pure function of the data, asked again for every mention of
 * every analysis, so worked out once per code.
 */
const requirements = new WeakMap<CodeIndex, Map<string, readonly CodeFirst[]>>();

function codeFirstOf(codes: CodeIndex, code: string): readonly CodeFirst[] {
  let byCode = requirements.get(codes);
  if (!byCode) requirements.set(codes, (byCode = new Map()));
  let found = byCode.get(code);
  if (!found) {
    const list: CodeFirst[] = [];
    const own = [codes.get(code)?.title ?? '', ...codes.ownNotes(code).inclusionTerm ?? []].map((t) => t.toLowerCase());
    for (const { from, notes } of codes.notesInScope(code)) {
      const all = notes.codeFirst ?? [];
      // "underlying disease, such as:", "any associated:", ", if applicable": examples or conditions; several
      // notes with codes are alternatives ("heart failure due to hypertension", "... following surgery").
      const conditional = all.some((n) => CONDITIONAL.test(n)) || all.filter((n) => codeRefs(n).length > 0).length > 1;
      for (const note of all) {
        const refs = codeRefs(note);
        if (refs.length === 0 || refs.some((r) => refCovers(r, code))) continue;
        const words = conditionWords(note);
        const required = !conditional && !pregnancyOnly(refs) && !refs.some((r) => r.to) && words.length > 0 && own.some((t) => t.includes(words));
        list.push({ from, note, refs, required });
      }
    }
    found = Object.freeze(list);
    byCode.set(code, found);
  }
  return found;
}

export const sequencing: Rule = {
  id: 'sequencing',
  description: 'A code whose "code first" note (or etiology/manifestation convention) is not honoured by the codes written before it.',
  defaultSeverity: 'warning',
  check(ctx) {
    const { codes, model, findings: noteFindings } = ctx;
    // In text order (mentions never share a start): an index in `icd` orders mentions as their offsets do. A
    // code the note sets aside ("I25.84 not supported") neither needs nor honours a code-first note.
    const icd = reportedMentions(ctx).filter((m) => m.system === 'icd10cm' && !m.family && codes.has(m.code));
    const findings: RuleFinding[] = [];
    // The first mention that honours each requirement (-1 for none), found once per requirement, not once per
    // mention that has it (a note that writes one code a thousand times), and by category, not by trying every
    // mention (a note that lists thousands of distinct codes).
    const byRef = new RefIndex(icd.map((m, k) => ({ code: m.code, k })));
    const honouring = new Map<CodeFirst, number>();
    const firstHonouring = (requirement: CodeFirst): number => {
      let first = honouring.get(requirement);
      if (first === undefined) {
        first = -1;
        for (const r of requirement.refs) {
          const hit = byRef.first(r);
          if (hit && (first < 0 || hit.k < first)) first = hit.k;
        }
        honouring.set(requirement, first);
      }
      return first;
    };
    // The first code that may stand first: a manifestation code never does.
    const firstEtiology = icd.findIndex((m) => !isManifestation(codes, m.code));
    icd.forEach((m, k) => {
      let reported = false;
      // One report per code to move before it ("amyloidosis (E85.-)", "E70-E88": E85.9). Made only when needed:
      // most codes have no code-first note.
      let moves: Set<string> | undefined;
      const all = codeFirstOf(codes, m.code);
      // Examples of the underlying condition ("such as: Alzheimer's (G30.-) ... hypothyroidism (E00-E03.-)") are
      // alternatives: one written before the code honours the note, and another code of the list written after
      // it is a condition of its own ("G30.9 F02.80, hypothyroidism E03.9").
      let honoured: Set<string> | undefined;
      for (const r of all) {
        const first = firstHonouring(r);
        if (first >= 0 && first < k) (honoured ??= new Set()).add(r.from);
      }
      for (const requirement of all) {
        const { from, note, refs } = requirement;
        const first = firstHonouring(requirement);
        if (first >= 0 && first < k) continue; // an underlying condition's code is written before it
        if (!requirement.required && honoured?.has(from)) continue; // another example of the note's condition is
        // A code never honours its own requirement (codeFirstOf drops notes naming the code itself): the first
        // that honours it, if any, comes after it.
        const after = first >= 0 ? icd[first] : undefined;
        if (!after && !requirement.required) continue; // a condition the record may not have: nothing to ask
        if (after && moves?.has(after.code)) continue;
        if (after) (moves ??= new Set()).add(after.code);
        reported = true;
        findings.push({
          start: m.start,
          end: m.end,
          message: after
            ? `${m.code} is written before ${after.code}: code first ${note} (at ${from}); sequence ${after.code} before ${m.code}.`
            : `${m.code} needs its underlying condition coded first: ${note} (at ${from}); add ${orList(refs.map((r) => `${refLabel(r)}-`), 4)} before it.`,
          data: { code: m.code, codeFirst: refs.map((r) => r.from), ...(after ? { move: after.code } : {}) },
        });
      }
      if (reported || !isManifestation(codes, m.code) || (firstEtiology >= 0 && firstEtiology < k)) return;
      const alone = firstEtiology < 0;
      const notes = codeFirstOf(codes, m.code).map((r) => r.note);
      const which = notes.length ? ` (code first ${orList(notes, 4)})` : '';
      findings.push({
        start: m.start,
        end: m.end,
        message: `${m.code} ${codes.get(m.code)!.title} is a manifestation code: it is never ${alone ? 'reported alone' : 'sequenced first'}; code the underlying condition before it${which}.`,
        data: { code: m.code, manifestation: true },
      });
    });
    // Etiology before manifestation for findings whose cause is documented with them (the cause's code may be
    // added: the note documents it). The finding's code is the one its coding suggests, or one written in its
    // own sentence ("calcification of the right thigh muscle due to hypercalcemia: M61.451, E83.52"). Findings
    // with the same coding in the same sentence ask the same question: answered once, and a code written once
    // is reported once per message, however many findings point at it.
    const verdicts = new Map<CodeSuggestion, Map<number, Verdict | undefined>>();
    const placesByCoding = new Map<CodeSuggestion, CodingPlaces>();
    const reported = new Set<string>();
    for (const f of noteFindings) {
      if (f.coding.codeFirst.length === 0) continue;
      let bySentence = verdicts.get(f.coding);
      if (!bySentence) verdicts.set(f.coding, (bySentence = new Map()));
      let verdict = bySentence.get(f.sentence);
      if (!bySentence.has(f.sentence)) {
        let places = placesByCoding.get(f.coding);
        if (!places) placesByCoding.set(f.coding, (places = codingPlaces(icd, f.coding)));
        verdict = unhonouredManifestation(icd, places, model.sentences[f.sentence]!, f.start);
        bySentence.set(f.sentence, verdict);
      }
      if (!verdict) continue;
      const { written, after } = verdict;
      const first = orList(f.coding.codeFirst, 4);
      const message = after
        ? `${written.code} (${f.preferred.toLowerCase()}) is written before ${after.code}, its documented underlying condition: sequence ${after.code} first.`
        : `${written.code} (${f.preferred.toLowerCase()}) is written without its documented underlying condition before it: sequence ${first} first.`;
      const key = `${written.start}\u0000${message}`;
      if (reported.has(key)) continue;
      reported.add(key);
      findings.push({
        start: written.start,
        end: written.end,
        message,
        data: { code: written.code, codeFirst: f.coding.codeFirst, ...(after ? { move: after.code } : { add: f.coding.codeFirst }) },
      });
    }
    return findings;
  },
};

/** A finding's code written without its cause's code before it, and the cause's code written after it, if any. */
interface Verdict {
  written: CodeMention;
  after?: CodeMention;
}

/**
 * Where a coding's codes stand in the note, found once per coding (not once per sentence: a note of a
 * thousand such lines must not try every code for each): the first code it suggests, and its causes' codes.
 */
interface CodingPlaces {
  isCause: (code: string) => boolean;
  /** A code of the finding's own category ("M61.451" for a calcification of muscle): what its sentence may write for it. */
  isOwn: (code: string) => boolean;
  /** The first mention of a code the coding suggests, anywhere in the note. */
  elsewhere: CodeMention | undefined;
  /** The mentions of the coding's causes, in text order. */
  causes: CodeMention[];
}

function codingPlaces(icd: readonly CodeMention[], coding: CodeSuggestion): CodingPlaces {
  const causePrefixes = coding.codeFirst.map((c) => c.replace(/-$/, ''));
  const isCause = (code: string) => causePrefixes.some((c) => code.startsWith(c));
  const suggested = (m: CodeMention) => coding.suggested.includes(m.code) || (coding.family !== undefined && m.code.startsWith(coding.family));
  const categories = new Set([coding.family, coding.unspecified, ...coding.suggested].filter((c): c is string => c !== undefined).map((c) => c.slice(0, 3)));
  const isOwn = (code: string) => categories.has(code.slice(0, 3));
  return { isCause, isOwn, elsewhere: icd.find(suggested), causes: icd.filter((m) => isCause(m.code)) };
}

function unhonouredManifestation(icd: readonly CodeMention[], places: CodingPlaces, sentence: { start: number; end: number }, findingStart: number): Verdict | undefined {
  const { isCause, isOwn, elsewhere, causes } = places;
  // Mentions are in text order: the sentence's codes are found by binary search, not by trying every mention.
  let written: CodeMention | undefined;
  for (let k = firstStartingAt(icd, sentence.start); k < icd.length && icd[k]!.end <= sentence.end; k++) {
    // A code of its own category, or one written after the finding's words: another diagnosis before it on
    // the same line ("NSTEMI I21.4; coronary artery disease with calcified coronary lesion I25.10 I25.84") is
    // not this finding's code.
    if (!isCause(icd[k]!.code) && (isOwn(icd[k]!.code) || icd[k]!.start >= findingStart)) {
      written = icd[k];
      break;
    }
  }
  if (!written || (elsewhere && elsewhere.start < written.start)) written = elsewhere;
  if (!written) return undefined;
  const at = written.start;
  if (causes[0] && causes[0].start < at) return undefined;
  const after = causes[firstStartingAt(causes, at + 1)];
  return after ? { written, after } : { written };
}
