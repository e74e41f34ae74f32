/**
 * The coding summary of one note: the codes the documentation supports, in a sensible sequence, each with
 * its evidence; the open queries (what is missing); and the codes already written. Exportable as
 * Markdown, CSV and JSON.
 */
import type { NoteAnalysis } from './analyze';
import type { Finding } from './findings/findings';
import type { CalxServices } from './rules/types';

export interface SummaryEvidence {
  text: string;
  start: number;
  end: number;
  /** 1-based line of the evidence. */
  line: number;
}

export interface SummaryCode {
  code: string;
  title: string;
  /** Why it is listed: the findings (or etiology) that support it. */
  evidence: SummaryEvidence[];
  /** "etiology" codes come first (code first / etiology-manifestation), then the findings' codes. */
  role: 'etiology' | 'finding';
}

export interface SummaryQuery {
  concept: string;
  missing: string[];
  evidence: SummaryEvidence;
  /** The code assigned as documented, if any (the unspecified one). */
  asDocumented?: string;
  options: string[];
}

export interface CodingSummary {
  fiscalYear: number;
  codes: SummaryCode[];
  queries: SummaryQuery[];
  written: Array<{ system: string; code: string; title?: string; line: number; problems: string[] }>;
}

const current = (f: Finding) => !f.context.negated && !f.context.hypothetical && !f.context.experiencer && !f.context.historical;

export function codingSummary(analysis: NoteAnalysis, services: CalxServices): CodingSummary {
  const { codes, lexicon } = services;
  const text = analysis.model.text;
  const lineOf = (offset: number) => analysis.model.lineOf(offset);
  const evidence = (start: number, end: number): SummaryEvidence => ({ text: text.slice(start, end), start, end, line: lineOf(start) });
  const byCode = new Map<string, SummaryCode>();
  const evidenceStarts = new Map<string, Set<number>>();
  const add = (code: string, role: SummaryCode['role'], ev: SummaryEvidence) => {
    const entry = byCode.get(code) ?? { code, title: codes.get(code)?.title ?? '', evidence: [], role };
    const starts = evidenceStarts.get(code) ?? new Set<number>();
    evidenceStarts.set(code, starts);
    if (!starts.has(ev.start)) {
      starts.add(ev.start);
      entry.evidence.push(ev);
    }
    if (role === 'etiology') entry.role = 'etiology';
    byCode.set(code, entry);
  };
  const queries: SummaryQuery[] = [];
  for (const f of analysis.findings.filter(current)) {
    // Uncertain findings are not coded as established (outpatient rules); they still get their queries.
    if (!f.context.uncertain) {
      for (const e of f.etiologies.filter((x) => x.via !== 'note')) {
        for (const code of lexicon.etiologies.get(e.value)?.codes ?? []) {
          if (codes.isBillable(code) && f.coding.codeFirst.some((first) => code.startsWith(first.replace(/-$/, '')))) {
            add(code, 'etiology', evidence(e.start, e.end));
          }
        }
      }
      for (const code of f.coding.suggested) add(code, 'finding', evidence(f.start, f.end));
    }
    if (f.coding.missing.length) {
      queries.push({
        concept: f.preferred,
        missing: f.coding.missing.map((m) => m.attribute),
        evidence: evidence(f.start, f.end),
        ...(f.coding.unspecified ? { asDocumented: f.coding.unspecified } : {}),
        options: [...new Set(f.coding.missing.flatMap((m) => m.options))].slice(0, 12),
      });
    }
  }
  const ordered = [...byCode.values()].sort(
    (a, b) => (a.role === b.role ? 0 : a.role === 'etiology' ? -1 : 1) || a.evidence[0]!.start - b.evidence[0]!.start,
  );
  const problemsAt = new Map<number, string[]>();
  for (const d of analysis.diagnostics) {
    const list = problemsAt.get(d.start);
    if (list) list.push(d.ruleId);
    else problemsAt.set(d.start, [d.ruleId]);
  }
  const written = analysis.mentions.map((m) => ({
    system: m.system === 'icd10cm' ? 'ICD-10-CM' : 'CPT',
    code: m.code,
    ...(m.system === 'icd10cm' ? (codes.get(m.code) ? { title: codes.get(m.code)!.title } : {}) : services.cpt.get(m.code) ? { title: services.cpt.get(m.code)!.text } : {}),
    line: lineOf(m.start),
    problems: [...(problemsAt.get(m.start) ?? [])],
  }));
  return { fiscalYear: codes.fiscalYear, codes: ordered, queries, written };
}

const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function summaryToCsv(summary: CodingSummary): string {
  const rows = [['section', 'code', 'title', 'detail', 'lines']];
  summary.codes.forEach((c, i) => rows.push(['suggested', c.code, c.title, `${i + 1}${c.role === 'etiology' ? ' (code first)' : ''}`, c.evidence.map((e) => e.line).join(' ')]));
  for (const q of summary.queries) rows.push(['query', q.asDocumented ?? '', q.concept, `missing ${q.missing.join(', ')}`, String(q.evidence.line)]);
  for (const w of summary.written) rows.push(['written', w.code, w.title ?? '', w.problems.join(' '), String(w.line)]);
  return `${rows.map((r) => r.map(csvCell).join(',')).join('\n')}\n`;
}

export function summaryToMarkdown(summary: CodingSummary): string {
  const out = [`# Coding summary (ICD-10-CM FY${summary.fiscalYear})`, '', '## Suggested codes, in sequence', ''];
  if (summary.codes.length === 0) out.push('_None supported by the documentation yet._');
  summary.codes.forEach((c, i) => {
    const lines = c.evidence.map((e) => `line ${e.line} "${e.text}"`).join('; ');
    out.push(`${i + 1}. **${c.code}** ${c.title}${c.role === 'etiology' ? ' _(code first)_' : ''} — ${lines}`);
  });
  out.push('', '## Open queries', '');
  if (summary.queries.length === 0) out.push('_None._');
  for (const q of summary.queries) {
    const as = q.asDocumented ? ` (as documented: ${q.asDocumented})` : '';
    out.push(`- ${q.concept}, line ${q.evidence.line}: missing ${q.missing.join(', ')}${as}`);
  }
  out.push('', '## Codes written in the note', '');
  if (summary.written.length === 0) out.push('_None._');
  for (const w of summary.written) {
    const problems = w.problems.length ? ` — ${w.problems.join(', ')}` : '';
    out.push(`- ${w.system} **${w.code}** ${w.title ?? '(unknown)'}, line ${w.line}${problems}`);
  }
  return `${out.join('\n')}\n`;
}
