import { orList } from '../codes/describe';
import type { CodeIndex } from '../codes/codeIndex';
import { codeRefs, refCovers, RefIndex, refLabel, type CodeRef } from '../codes/noteRefs';
import type { CodeSuggestion } from '../findings/findings';
import type { CodeMention } from '../text/codeMentions';
import type { Rule, RuleFinding } from './types';

/**
 * A "code first" note not honoured: the code must follow its underlying condition's code (I25.84 after an
 * I25.1- code). Reported when the underlying code is written after it or not at all, and for a finding whose
 * cause is documented (metastatic calcification in hypercalcemia: E83.52 first) when its code is written
 * without the cause's code before it.
 */
const CONDITIONAL = /such as|if applicable|any associated|any current|any causal|if known/i;

/** A plain "code first" note in scope of a code: where it is, its text and the codes it names. */
interface CodeFirst {
  from: string;
  note: string;
  refs: CodeRef[];
}

/**
 * The code-first notes each code must honour, by code set: a pure function of the data, asked again for every
 * mention of every analysis, so worked out once per code.
 */
const requirements = new WeakMap<CodeIndex, Map<string, readonly CodeFirst[]>>();

function codeFirstOf(codes: CodeIndex, code: string): readonly CodeFirst[] {
  let byCode = requirements.get(codes);
  if (!byCode) requirements.set(codes, (byCode = new Map()));
  let found = byCode.get(code);
  if (!found) {
    const list: CodeFirst[] = [];
    for (const { from, notes } of codes.notesInScope(code)) {
      // "underlying disease, such as:", "any associated:", ", if applicable": examples or conditions, not
      // a requirement that these codes be present; only plain code-first notes are enforced.
      if ((notes.codeFirst ?? []).some((n) => CONDITIONAL.test(n))) continue;
      for (const note of notes.codeFirst ?? []) {
        const refs = codeRefs(note);
        // Ranges ("C00-D49") in code-first notes name whole chapters: too broad to require here.
        if (refs.length === 0 || refs.some((r) => r.to)) continue;
        if (refs.some((r) => refCovers(r, code))) continue;
        list.push({ from, note, refs });
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
  check({ mentions, codes, findings: noteFindings }) {
    // In text order (mentions never share a start): an index in `icd` orders mentions as their offsets do.
    const icd = mentions.filter((m) => m.system === 'icd10cm' && !m.family && codes.has(m.code));
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
    icd.forEach((m, k) => {
      for (const requirement of codeFirstOf(codes, m.code)) {
        const { from, note, refs } = requirement;
        const first = firstHonouring(requirement);
        if (first >= 0 && first < k) continue; // an underlying condition's code is written before it
        // None before it, and a code never honours its own requirement (codeFirstOf drops notes naming the code
        // itself): the first that honours it, if any, comes after it.
        const after = first >= 0 ? icd[first] : undefined;
        const wanted = orList(refs.map((r) => `${refLabel(r)}-`), 4);
        findings.push({
          start: m.start,
          end: m.end,
          message: after
            ? `${m.code} is written before ${after.code}: code first ${note} (at ${from}); sequence ${after.code} before ${m.code}.`
            : `${m.code} needs its underlying condition coded first: ${note} (at ${from}); add ${wanted} before it.`,
          data: { code: m.code, codeFirst: refs.map((r) => r.from), ...(after ? { move: after.code } : {}) },
        });
      }
    });
    // Etiology before manifestation for findings whose cause is documented with them. Findings with the same
    // coding (one shared suggestion object) ask the same question: answered once per coding, and a code written
    // once is reported once per message, however many findings point at it.
    const verdicts = new Map<CodeSuggestion, CodeMention | undefined>();
    const reported = new Set<string>();
    for (const f of noteFindings) {
      if (f.coding.codeFirst.length === 0) continue;
      let written = verdicts.get(f.coding);
      if (!verdicts.has(f.coding)) {
        written = unhonouredManifestation(icd, f.coding);
        verdicts.set(f.coding, written);
      }
      if (!written) continue;
      const message = `${written.code} (${f.preferred.toLowerCase()}) is written without its documented underlying condition before it: sequence ${orList(f.coding.codeFirst, 4)} first.`;
      const key = `${written.start}\u0000${message}`;
      if (reported.has(key)) continue;
      reported.add(key);
      findings.push({ start: written.start, end: written.end, message, data: { code: written.code, codeFirst: f.coding.codeFirst } });
    }
    return findings;
  },
};

/** The first code written for a coding whose cause's code is not written before it, if there is one. */
function unhonouredManifestation(icd: readonly CodeMention[], coding: CodeSuggestion): CodeMention | undefined {
  const written = icd.find((m) => coding.suggested.includes(m.code) || (coding.family !== undefined && m.code.startsWith(coding.family)));
  if (!written) return undefined;
  const first = (code: string) => coding.codeFirst.some((c) => code.startsWith(c.replace(/-$/, '')));
  return icd.some((o) => o.start < written.start && first(o.code)) ? undefined : written;
}
