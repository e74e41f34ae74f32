import { orList } from '../codes/describe';
import type { CodeIndex } from '../codes/codeIndex';
import { codeRefs, refCovers, refLabel, type CodeRef } from '../codes/noteRefs';
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
    const icd = mentions.filter((m) => m.system === 'icd10cm' && !m.family && codes.has(m.code));
    const findings: RuleFinding[] = [];
    for (const m of icd) {
      for (const { from, note, refs } of codeFirstOf(codes, m.code)) {
        const before = icd.find((o) => o.start < m.start && refs.some((r) => refCovers(r, o.code)));
        if (before) continue;
        const after = icd.find((o) => o.start > m.start && refs.some((r) => refCovers(r, o.code)));
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
    }
    // Etiology before manifestation for findings whose cause is documented with them.
    for (const f of noteFindings) {
      if (f.coding.codeFirst.length === 0) continue;
      const written = icd.find((m) => f.coding.suggested.includes(m.code) || (f.coding.family !== undefined && m.code.startsWith(f.coding.family)));
      if (!written) continue;
      const first = (code: string) => f.coding.codeFirst.some((c) => code.startsWith(c.replace(/-$/, '')));
      if (icd.some((o) => o.start < written.start && first(o.code))) continue;
      findings.push({
        start: written.start,
        end: written.end,
        message: `${written.code} (${f.preferred.toLowerCase()}) is written without its documented underlying condition before it: sequence ${orList(f.coding.codeFirst, 4)} first.`,
        data: { code: written.code, codeFirst: f.coding.codeFirst },
      });
    }
    return findings;
  },
};
