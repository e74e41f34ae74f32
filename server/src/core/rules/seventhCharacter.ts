import { orList } from '../codes/describe';
import type { CodeIndex } from '../codes/codeIndex';
import { deepFreeze } from '../freeze';
import { setAsideClause, setAsideOf } from '../codes/setAside';
import type { Rule, RuleFinding } from './types';

export interface SeventhCharacterProblem {
  message: string;
  replacements: string[];
}

/**
 * A code written without its required 7th character, with a 7th character its category does not allow,
 * or without the X placeholders before it. Shared with invalid-code, which leaves these codes to this rule.
 */
export function seventhCharacterProblem(codes: CodeIndex, code: string): SeventhCharacterProblem | undefined {
  // Asked by three rules for every code of every analysis, and a pure function of the code set: memoised per
  // code set (results frozen and shared; a table that somehow grows past its cap starts over).
  let table = PROBLEMS.get(codes);
  if (!table || table.size >= MAX_PROBLEMS) PROBLEMS.set(codes, (table = new Map()));
  let problem = table.get(code);
  if (problem === undefined) {
    const found = findProblem(codes, code);
    problem = found ? deepFreeze(found) : null;
    table.set(code, problem);
  }
  return problem ?? undefined;
}

const PROBLEMS = new WeakMap<CodeIndex, Map<string, SeventhCharacterProblem | null>>();
const MAX_PROBLEMS = 10_000;

function findProblem(codes: CodeIndex, code: string): SeventhCharacterProblem | undefined {
  const info = codes.get(code);
  if (info && !info.billable) {
    const children = codes.children(code);
    const seventh = codes.seventhCharacters(code);
    if (seventh && children.length > 0 && children.every((c) => c.code.length === 8 && c.billable)) {
      const values = seventh.values.filter((v) => codes.has(code + v.char));
      return {
        message: `${code} ${info.title} needs a 7th character: ${orList(values.map((v) => `${code}${v.char} (${v.text})`), 4)}.`,
        replacements: values.map((v) => code + v.char),
      };
    }
    return undefined;
  }
  if (info) return undefined;
  // Missing placeholder: "T07A" for T07.XXXA, "S00.00A" for S00.00XA.
  const bare = code.replace('.', '');
  for (let n = 1; n <= 3; n++) {
    const padded = bare.slice(0, -1).padEnd(bare.length - 1 + n, 'X') + bare.slice(-1);
    const candidate = padded.length > 3 ? `${padded.slice(0, 3)}.${padded.slice(3)}` : padded;
    if (candidate.length === 8 && codes.isBillable(candidate)) {
      return { message: `${code} lacks the placeholder X before its 7th character: ${candidate} (${codes.get(candidate)!.title}).`, replacements: [candidate] };
    }
  }
  // A 7th character the category does not define.
  if (code.length === 8) {
    const base = code.slice(0, 7);
    const baseInfo = codes.get(base) ?? codes.get(base.replace(/X+$/, '').replace(/\.$/, ''));
    const seventh = baseInfo ? codes.seventhCharacters(baseInfo.code) : undefined;
    if (baseInfo && seventh) {
      const allowed = seventh.values.filter((v) => codes.has(base + v.char));
      if (allowed.length > 0) {
        return {
          message: `${code}: "${code[7]}" is not a 7th character of ${base} (${seventh.from} allows ${orList(allowed.map((v) => `${v.char} ${v.text}`), 6)}).`,
          replacements: allowed.map((v) => base + v.char),
        };
      }
    }
  }
  return undefined;
}

export const seventhCharacter: Rule = {
  id: 'seventh-character',
  description: 'ICD-10-CM code missing its required 7th character, with a 7th character its category does not allow, or without the X placeholder.',
  defaultSeverity: 'error',
  check(ctx) {
    const findings: RuleFinding[] = [];
    for (const m of ctx.mentions) {
      if (m.system !== 'icd10cm' || m.family) continue;
      const problem = seventhCharacterProblem(ctx.codes, m.code);
      if (!problem) continue;
      // As invalid-code: a code the note sets aside is still written, but nothing reports it.
      const aside = setAsideOf(ctx, m);
      const finding: RuleFinding = { start: m.start, end: m.end, message: problem.message, data: { code: m.code, replacements: problem.replacements } };
      if (aside) {
        finding.message = `${problem.message.replace(/\.$/, '')}${setAsideClause(ctx.text, aside)}.`;
        finding.severity = 'information';
      }
      findings.push(finding);
    }
    return findings;
  },
};
