/**
 * Quick fixes, rebuilt from a diagnostic alone (its rule id, range and `data`) and the current text, so
 * the server keeps no state between publishing a diagnostic and fixing it. A fix whose target text no
 * longer matches what the diagnostic was about is refused (the note changed in between).
 */
import type { NoteAnalysis } from './analyze';
import type { MissingAttribute } from './findings/findings';
import { providerQuery } from './query';
import type { CalxServices } from './rules/types';

export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

export interface CodeActionEntry {
  title: string;
  edits: TextEdit[];
  isPreferred: boolean;
}

/** What the LSP adapter passes in for one diagnostic: the rule, where it is, and its data. */
export interface DiagnosticRef {
  ruleId: string;
  start: number;
  end: number;
  data?: Record<string, unknown>;
}

const REPLACEMENT_RULES = new Set([
  'header-code',
  'invalid-code',
  'seventh-character',
  'unspecified-code',
  'shoulder-calcific-tendinitis',
  'ossification-vs-calcification',
]);
const MAX_REPLACEMENTS = 5;

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function codeActionsFor(d: DiagnosticRef, analysis: NoteAnalysis, services: CalxServices): CodeActionEntry[] {
  const text = analysis.model.text;
  const data = d.data ?? {};
  const actions: CodeActionEntry[] = [];
  const code = typeof data.code === 'string' ? data.code : undefined;
  // The written code must still be there, as the diagnostic saw it (case and dots aside).
  const stillThere = code !== undefined && normalize(text.slice(d.start, d.end)) === normalize(code);

  if (REPLACEMENT_RULES.has(d.ruleId) && stillThere) {
    const replacements = strings(data.replacements).filter((c) => services.codes.isBillable(c));
    const shown = replacements.slice(0, MAX_REPLACEMENTS);
    for (const r of shown) {
      actions.push({
        title: `Replace ${code} with ${r} (${services.codes.get(r)!.title})`,
        edits: [{ start: d.start, end: d.end, newText: r }],
        isPreferred: shown.length === 1,
      });
    }
  }
  if (d.ruleId === 'cpt-modifier' && typeof data.removeStart === 'number' && typeof data.removeEnd === 'number') {
    if (text.slice(data.removeStart, data.removeEnd) === `-${String(data.modifier)}`) {
      actions.push({ title: `Remove modifier ${String(data.modifier)} from ${code}`, edits: [{ start: data.removeStart, end: data.removeEnd, newText: '' }], isPreferred: true });
    }
  }
  if (d.ruleId === 'sequencing' && stillThere) {
    const move = typeof data.move === 'string' ? data.move : undefined;
    const other = move ? analysis.mentions.find((m) => m.code === move && m.start > d.end) : undefined;
    if (other) {
      // Swap the two codes' text: the underlying condition moves first.
      actions.push({
        title: `Sequence ${other.code} before ${code}`,
        edits: [
          { start: d.start, end: d.end, newText: text.slice(other.start, other.end) },
          { start: other.start, end: other.end, newText: text.slice(d.start, d.end) },
        ],
        isPreferred: true,
      });
    } else {
      const first = strings(data.codeFirst).find((c) => services.codes.isBillable(c));
      if (first) actions.push({ title: `Add ${first} before ${code}`, edits: [{ start: d.start, end: d.start, newText: `${first}, ` }], isPreferred: false });
    }
  }
  const missing = data.missing as MissingAttribute | undefined;
  if ((d.ruleId === 'missing-site' || d.ruleId === 'missing-laterality' || d.ruleId === 'missing-etiology' || d.ruleId === 'missing-detail') && missing) {
    const finding = analysis.findings.find((f) => f.start === d.start && f.end === d.end && f.conceptId === data.conceptId);
    if (finding) {
      const query = providerQuery(finding, missing, strings(data.options), analysis, services);
      const lineEnd = lineEndAt(text, d.end);
      const eol = text.includes('\r\n') ? '\r\n' : '\n';
      actions.push({
        title: `Insert provider query: ${missing} of ${finding.preferred.toLowerCase()}`,
        edits: [{ start: lineEnd, end: lineEnd, newText: eol + query.replace(/\n/g, eol) }],
        isPreferred: false,
      });
    }
  }
  if (d.ruleId !== 'suppression') actions.push(suppression(d, text));
  return actions;
}

/** Suppress this rule on this line, with a reason to fill in: the comment goes on its own line above. */
function suppression(d: DiagnosticRef, text: string): CodeActionEntry {
  const lineStart = text.lastIndexOf('\n', d.start - 1) + 1;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return {
    title: `Suppress ${d.ruleId} here (write the reason after the colon)`,
    edits: [{ start: lineStart, end: lineStart, newText: `[calx-ignore ${d.ruleId}: ]${eol}` }],
    isPreferred: false,
  };
}

function lineEndAt(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  if (nl === -1) return text.length;
  return text[nl - 1] === '\r' ? nl - 1 : nl;
}

const normalize = (s: string) => s.replace('.', '').toUpperCase();
