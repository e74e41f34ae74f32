import type { Anatomy } from '../attributes/anatomy';
import type { CodeIndex } from '../codes/codeIndex';
import { codeRefs, refCovers, RefIndex, type CodeRef } from '../codes/noteRefs';
import { replacedPairs, reportedMentions } from '../codes/setAside';
import { deepFreeze } from '../freeze';
import { TISSUES } from '../findings/findings';
import type { CodeMention } from '../text/codeMentions';
import { tokenize } from '../text/tokens';
import type { Rule, RuleFinding } from './types';

/** An Excludes1 note in scope of a code: where it is, its text and the codes it names. */
interface Excludes1 {
  from: string;
  note: string;
  refs: readonly CodeRef[];
}

/**
 * The Excludes1 notes in scope of each code (its own and its category's), by code set: a pure function of the
 * data, asked again for every code of every analysis, so worked out once per code (a table that somehow grows
 * past its cap starts over).
 */
const EXCLUDES1 = new WeakMap<CodeIndex, Map<string, readonly Excludes1[]>>();
const MAX_CODES = 20_000;

export function excludes1Of(codes: CodeIndex, code: string): readonly Excludes1[] {
  let byCode = EXCLUDES1.get(codes);
  if (!byCode || byCode.size >= MAX_CODES) EXCLUDES1.set(codes, (byCode = new Map()));
  let found = byCode.get(code);
  if (!found) {
    const list: Excludes1[] = [];
    for (const { from, notes } of codes.notesInScope(code)) {
      if (!codes.has(from)) continue;
      for (const note of notes.excludes1 ?? []) list.push({ from, note, refs: codeRefs(note) });
    }
    found = deepFreeze(list);
    byCode.set(code, found);
  }
  return found;
}

/**
 * The places a code's official title names ("Calcific tendinitis, right upper arm": upper arm), by site id
 * with the title's words; worked out once per code like the notes.
 */
const TITLE_SITES = new WeakMap<Anatomy, Map<string, ReadonlyMap<string, string>>>();
function titleSites(anatomy: Anatomy, codes: CodeIndex, code: string): ReadonlyMap<string, string> {
  let byCode = TITLE_SITES.get(anatomy);
  if (!byCode || byCode.size >= MAX_CODES) TITLE_SITES.set(anatomy, (byCode = new Map()));
  let sites = byCode.get(code);
  if (!sites) {
    const title = codes.get(code)?.title ?? '';
    const found = new Map<string, string>();
    // Tissues ("muscle", "tendon") say what, not where: only places count.
    for (const m of anatomy.siteMatcher.match(title, tokenize(title))) if (!TISSUES.has(m.value) && !found.has(m.value)) found.set(m.value, title.slice(m.start, m.end));
    byCode.set(code, (sites = found));
  }
  return sites;
}

/**
 * The sites that set two codes apart when both titles name sites and they share none (M65.221 "upper arm",
 * M75.31 "shoulder"): then the two may be separate conditions at separate places, the exception the
 * guidelines make to Excludes1 for unrelated conditions (I.A.12.a), which only the documentation can settle.
 */
function separateSites(anatomy: Anatomy, codes: CodeIndex, a: string, b: string): [string, string] | undefined {
  const sa = titleSites(anatomy, codes, a);
  const sb = titleSites(anatomy, codes, b);
  if (sa.size === 0 || sb.size === 0) return undefined;
  for (const id of sa.keys()) if (sb.has(id)) return undefined;
  return [[...sa.values()].join(', '), [...sb.values()].join(', ')];
}

/**
 * Two codes written in the same note where one's Excludes1 note (its own or inherited from its category)
 * names the other: "NOT CODED HERE", the two are not reported together. Block and chapter notes are left
 * out: they name broad groups ("myopathy in scleroderma (M34.-)") and would flag unrelated pairs, and so are
 * codes the note sets aside ("Z87.891 not applicable, active smoker: F17.210"; codes/setAside.ts). When the two
 * titles name different sites the pair is a warning that says so: the same condition must not be coded twice,
 * but one at each of two places may both be reported.
 */
export const excludes1Conflict: Rule = {
  id: 'excludes1-conflict',
  description: 'Two ICD-10-CM codes in the note where an Excludes1 note of one names the other (they are not reported together).',
  defaultSeverity: 'error',
  check(ctx) {
    const { codes, anatomy } = ctx;
    // Each code the note reports once, at its first mention: a repeated code finds the same pairs, which are
    // reported once; a code the note sets aside ("Z87.891 not applicable") is paired with nothing.
    const first = new Map<string, CodeMention>();
    for (const m of reportedMentions(ctx)) if (m.system === 'icd10cm' && !m.family && !first.has(m.code) && codes.has(m.code)) first.set(m.code, m);
    const icd = [...first.values()];
    const byRef = new RefIndex(icd);
    const findings: RuleFinding[] = [];
    // Codes the note writes as one replacing the other are alternatives, never reported together.
    const reported = new Set<string>(replacedPairs(ctx));
    for (const a of icd) {
      for (const { from, note, refs } of excludes1Of(codes, a.code)) {
        for (const ref of refs) {
          const b = refCovers(ref, a.code) ? undefined : byRef.first(ref);
          if (!b) continue;
          const key = [a.code, b.code].sort().join('|');
          if (reported.has(key)) continue;
          reported.add(key);
          const message = `${a.code} and ${b.code} are not reported together: Excludes1 at ${from} ("${note}").`;
          const data = { code: a.code, conflictsWith: b.code, note, notedAt: from };
          const sites = separateSites(anatomy, codes, a.code, b.code);
          if (!sites) {
            findings.push({ start: a.start, end: a.end, message, data });
            continue;
          }
          const [here, there] = sites;
          findings.push({
            start: a.start,
            end: a.end,
            message: `${message} They name different sites (${here}; ${there}): if these are separate conditions, both may be reported (Excludes1 exception for unrelated conditions).`,
            data,
            severity: 'warning',
          });
        }
      }
    }
    return findings;
  },
};
