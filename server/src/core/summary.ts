/**
 * The coding summary of one note: the codes the documentation supports, in a sensible sequence, each with
 * its evidence; the open queries (what is missing); and the codes already written. Exportable as
 * Markdown, CSV and JSON.
 */
import type { NoteAnalysis } from './analyze';
import type { Finding } from './findings/findings';
import type { CodeIndex } from './codes/codeIndex';
import { isManifestation } from './codes/manifestation';
import { refCovers } from './codes/noteRefs';
import { setAsideLabel, setAsideMentions, type SetAside } from './codes/setAside';
import { excludes1Of } from './rules/excludes1Conflict';
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
  /**
   * "etiology" codes come first (code first / etiology-manifestation), then the findings' codes; a
   * "manifestation" code ("in diseases classified elsewhere", such as N29 for nephrocalcinosis) follows the
   * code it is paired with.
   */
  role: 'etiology' | 'finding' | 'manifestation';
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
  written: Array<{
    system: string;
    code: string;
    title?: string;
    line: number;
    problems: string[];
    /** The note's own words that set the code aside ("not applicable", "instead of"): no code it reports. */
    setAside?: { kind: SetAside['kind']; words: string };
  }>;
}

const current = (f: Finding) => !f.context.negated && !f.context.hypothetical && !f.context.experiencer && !f.context.historical;

export function codingSummary(analysis: NoteAnalysis, services: CalxServices): CodingSummary {
  const { codes, lexicon } = services;
  const text = analysis.model.text;
  const lineOf = (offset: number) => analysis.model.lineOf(offset);
  const evidence = (start: number, end: number): SummaryEvidence => ({ text: text.slice(start, end), start, end, line: lineOf(start) });
  const byCode = new Map<string, SummaryCode>();
  const evidenceStarts = new Map<string, Set<number>>();
  // Where a code stands in its finding's code-first list (the seed's order: hyperparathyroidism before the
  // hypercalcemia it causes), the manifestation code each code is paired with, and the condition each finding
  // code is for (concept and family: one condition is listed once).
  const firstRank = new Map<string, number>();
  const pairedWith = new Map<string, string>();
  const conditionOf = new Map<string, string>();
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
  const asked = new Set<string>();
  const current_ = analysis.findings.filter(current);
  // A condition whose cause one of its mentions documents is not queried for its cause at another mention.
  const conditionKey = (f: Finding) => `${f.conceptId}\u0000${f.site?.value ?? ''}\u0000${f.laterality?.value ?? ''}`;
  const causeDocumented = new Set(current_.filter((f) => f.etiologies.some((e) => e.via !== 'note')).map(conditionKey));
  for (const f of current_) {
    // Uncertain findings are not coded as established (outpatient rules); they still get their queries.
    if (!f.context.uncertain) {
      for (const e of f.etiologies.filter((x) => x.via !== 'note')) {
        for (const code of closestCodes(codes, lexicon.etiologies.get(e.value)?.codes ?? [], text.slice(e.start, e.end))) {
          const rank = f.coding.codeFirst.findIndex((first) => code.startsWith(first.replace(/-$/, '')));
          if (codes.isBillable(code) && rank >= 0) {
            add(code, 'etiology', evidence(e.start, e.end));
            firstRank.set(code, Math.min(rank, firstRank.get(code) ?? rank));
          }
        }
      }
      const manifestations = (lexicon.concepts.get(f.conceptId)?.sequencing?.useAdditional ?? []).filter(
        (c) => codes.isBillable(c) && isManifestation(codes, c),
      );
      for (const code of f.coding.suggested) {
        add(code, 'finding', evidence(f.start, f.end));
        if (!conditionOf.has(code)) conditionOf.set(code, `${f.conceptId}\u0000${f.coding.family ?? code}\u0000${f.laterality?.value ?? ''}`);
        for (const m of manifestations) {
          add(m, 'manifestation', evidence(f.start, f.end));
          if (!pairedWith.has(code)) pairedWith.set(code, m);
        }
      }
    }
    if (f.coding.missing.length) {
      const missing = f.coding.missing.map((m) => m.attribute).filter((m) => m !== 'etiology' || !causeDocumented.has(conditionKey(f)));
      const key = `${conditionKey(f)}\u0000${missing.join(',')}`;
      if (missing.length === 0 || asked.has(key)) continue; // one query per condition and missing detail
      asked.add(key);
      queries.push({
        concept: f.preferred,
        missing,
        evidence: evidence(f.start, f.end),
        ...(f.coding.unspecified ? { asDocumented: f.coding.unspecified } : {}),
        options: [...new Set(f.coding.missing.filter((m) => missing.includes(m.attribute)).flatMap((m) => m.options))].slice(0, 12),
      });
    }
  }
  // A code dropped for another (its condition coded there) hands its manifestation to that one.
  const replaced = new Map<string, string>();
  dropDuplicateConditions(byCode, conditionOf, codes, replaced);
  dropExcluded(byCode, codes, replaced);
  for (const [gone, kept] of replaced) {
    const m = pairedWith.get(gone);
    if (m !== undefined && !pairedWith.has(kept)) pairedWith.set(kept, m);
  }
  const roleOrder = (c: SummaryCode) => (c.role === 'etiology' ? 0 : 1);
  const sorted = [...byCode.values()]
    .filter((c) => c.role !== 'manifestation')
    .sort(
      (a, b) =>
        roleOrder(a) - roleOrder(b) ||
        (a.role === 'etiology' ? (firstRank.get(a.code) ?? 0) - (firstRank.get(b.code) ?? 0) : 0) ||
        a.evidence[0]!.start - b.evidence[0]!.start,
    );
  // Each manifestation right after the code it is paired with (etiology, then manifestation: E83.59, N29).
  const ordered: SummaryCode[] = [];
  for (const c of sorted) {
    ordered.push(c);
    const m = pairedWith.get(c.code);
    const entry = m === undefined ? undefined : byCode.get(m);
    if (entry && !ordered.includes(entry)) ordered.push(entry);
  }
  const problemsAt = new Map<number, string[]>();
  for (const d of analysis.diagnostics) {
    const list = problemsAt.get(d.start);
    if (list) list.push(d.ruleId);
    else problemsAt.set(d.start, [d.ruleId]);
  }
  const aside = setAsideMentions({ text, model: analysis.model, mentions: analysis.mentions, context: services.context });
  const written = analysis.mentions.map((m) => {
    const set = aside.get(m);
    return {
      system: m.system === 'icd10cm' ? 'ICD-10-CM' : 'CPT',
      code: m.code,
      ...(m.system === 'icd10cm' ? (codes.get(m.code) ? { title: codes.get(m.code)!.title } : {}) : services.cpt.get(m.code) ? { title: services.cpt.get(m.code)!.text } : {}),
      line: lineOf(m.start),
      problems: [...(problemsAt.get(m.start) ?? [])],
      ...(set ? { setAside: { kind: set.kind, words: text.slice(set.start, set.end) } } : {}),
    };
  });
  return { fiscalYear: codes.fiscalYear, codes: ordered, queries, written };
}

const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function summaryToCsv(summary: CodingSummary): string {
  const rows = [['section', 'code', 'title', 'detail', 'lines']];
  summary.codes.forEach((c, i) => rows.push(['suggested', c.code, c.title, `${i + 1}${c.role === 'etiology' ? ' (code first)' : c.role === 'manifestation' ? ' (manifestation, after its etiology)' : ''}`, c.evidence.map((e) => e.line).join(' ')]));
  for (const q of summary.queries) rows.push(['query', q.asDocumented ?? '', q.concept, `missing ${q.missing.join(', ')}`, String(q.evidence.line)]);
  for (const w of summary.written) rows.push(['written', w.code, w.title ?? '', [asideText(w.setAside), ...w.problems].filter(Boolean).join(' '), String(w.line)]);
  return `${rows.map((r) => r.map(csvCell).join(',')).join('\n')}\n`;
}

export function summaryToMarkdown(summary: CodingSummary): string {
  const out = [`# Coding summary (ICD-10-CM FY${summary.fiscalYear})`, '', '## Suggested codes, in sequence', ''];
  if (summary.codes.length === 0) out.push('_None supported by the documentation yet._');
  summary.codes.forEach((c, i) => {
    const lines = c.evidence.map((e) => `line ${e.line} "${e.text}"`).join('; ');
    out.push(`${i + 1}. **${c.code}** ${c.title}${c.role === 'etiology' ? ' _(code first)_' : c.role === 'manifestation' ? ' _(manifestation: after its etiology)_' : ''} — ${lines}`);
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
    const aside = w.setAside ? ` _(${asideText(w.setAside)})_` : '';
    out.push(`- ${w.system} **${w.code}** ${w.title ?? '(unknown)'}, line ${w.line}${aside}${problems}`);
  }
  return `${out.join('\n')}\n`;
}

/** 'set aside in the note: "not applicable"', 'written negated: "No"'; '' for a code the note reports. */
function asideText(aside: CodingSummary['written'][number]['setAside']): string {
  if (!aside) return '';
  return `${setAsideLabel(aside.kind)}: "${aside.words}"`;
}

/** Titles of codes that say less than a sibling for the same condition would: unspecified, other or multiple sites. */
const VAGUE = /\b(?:unspecified|other site|multiple sites)\b/i;

/**
 * One condition, one code: where mentions of the same condition (concept, family, side) gave a specific code
 * and a vaguer one (M61.551 right thigh and M61.58 other site for the same ossification), the vaguer goes, its
 * evidence kept with the specific one.
 */
function dropDuplicateConditions(byCode: Map<string, SummaryCode>, conditionOf: ReadonlyMap<string, string>, codes: CodeIndex, replaced: Map<string, string>): void {
  const byCondition = new Map<string, string[]>();
  for (const [code, key] of conditionOf) byCondition.set(key, [...(byCondition.get(key) ?? []), code]);
  for (const group of byCondition.values()) {
    const specific = group.filter((c) => !VAGUE.test(codes.get(c)?.title ?? ''));
    if (group.length < 2 || specific.length === 0) continue;
    for (const c of group) {
      if (specific.includes(c)) continue;
      byCode.get(specific[0]!)!.evidence.push(...byCode.get(c)!.evidence);
      byCode.delete(c);
      replaced.set(c, specific[0]!);
    }
  }
}

/**
 * Excludes1 pairs are never both listed: a code whose Excludes1 note names another listed code ("E83.5
 * Excludes1 hyperparathyroidism (E21.0-E21.3)": the calcium disorder of hyperparathyroidism is classified to
 * E21) goes, its evidence kept with the code that classifies the condition. Of two that exclude each other
 * (N25.81 and E21.1), the first listed stays.
 */
function dropExcluded(byCode: Map<string, SummaryCode>, codes: CodeIndex, replaced: Map<string, string>): void {
  const listed = [...byCode.keys()];
  for (const a of listed) {
    if (!byCode.has(a)) continue;
    const excludes = (x: string, y: string) => excludes1Of(codes, x).some((n) => n.refs.some((r) => refCovers(r, y)));
    const other = listed.find((b) => b !== a && byCode.has(b) && excludes(a, b));
    if (!other) continue;
    const mutual = excludes(other, a);
    const [gone, kept] = mutual && listed.indexOf(other) > listed.indexOf(a) ? [other, a] : [a, other];
    byCode.get(kept)!.evidence.push(...byCode.get(gone)!.evidence);
    byCode.delete(gone);
    replaced.set(gone, kept);
  }
}

/** Words of a title that say nothing of the condition: "not elsewhere classified" is the default's mark. */
const EMPTY_WORDS = new Set(['of', 'the', 'and', 'in', 'with', 'not', 'elsewhere', 'classified', 'nec', 'unspecified']);
const wordsOf = (t: string) => t.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w && !EMPTY_WORDS.has(w));

/**
 * Of a cause's billable codes in the same category set (secondary hyperparathyroidism: N25.81 of renal origin,
 * E21.1 not elsewhere classified), the ones whose titles the documented words fit best: each title word the
 * words name counts for it, each they do not name against. Codes of different families are all kept.
 */
function closestCodes(codes: CodeIndex, candidates: readonly string[], documented: string): string[] {
  const billable = candidates.filter((c) => codes.isBillable(c));
  if (billable.length < 2) return [...candidates];
  const words = new Set(wordsOf(documented));
  const score = (c: string) => wordsOf(codes.get(c)!.title).reduce((n, w) => n + (words.has(w) ? 1 : -1), 0);
  const best = Math.max(...billable.map(score));
  return [billable.find((c) => score(c) === best)!, ...candidates.filter((c) => !billable.includes(c))];
}
