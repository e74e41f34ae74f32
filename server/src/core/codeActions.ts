/**
 * Quick fixes, rebuilt from a diagnostic and the current text, so the server keeps no state between
 * publishing a diagnostic and fixing it. What the editor sends back (a range it may have moved with edits, and
 * the `data` as published) only says which diagnostic is meant: the fix is made from the diagnostic the
 * current text gives at that range, about the same subject (the same code, modifier, concept and missing
 * attribute), and every fix of a diagnostic the current text no longer gives is refused. So a fix never
 * trusts an offset or a code list from an older text: a code typed on (M75.3 -> M75.31) is a longer token,
 * and an edit above a diagnostic moves nothing but its range.
 */
import type { NoteAnalysis } from './analyze';
import type { MissingAttribute } from './findings/findings';
import { providerQuery } from './query';
import type { CalxServices, Diagnostic } from './rules/types';
import { firstStartingAt } from './text/byStart';
import { lineBreakOf, lineEndAt, lineStartAt } from './text/lines';

export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

export interface CodeActionEntry {
  title: string;
  edits: TextEdit[];
  isPreferred: boolean;
  /** A command the editor runs instead of (or after) the edits: a provider query draft to open. */
  command?: { command: string; arguments: unknown[] };
}

/** The title of a provider query action starts with this (the client's "Calx: Insert provider query" looks for it). */
export const PROVIDER_QUERY_TITLE = 'Draft provider query';
/**
 * The client command a provider query action runs, with `{ title, text }`: it opens the draft where the user
 * chooses. Editors without it (any LSP editor but VS Code) still show the draft's title.
 */
export const OPEN_PROVIDER_QUERY_COMMAND = 'calx.openProviderQuery';

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
const QUERY_RULES = new Set(['missing-site', 'missing-laterality', 'missing-etiology', 'missing-detail']);
const MAX_REPLACEMENTS = 5;

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function codeActionsFor(d: DiagnosticRef, analysis: NoteAnalysis, services: CalxServices): CodeActionEntry[] {
  const current = diagnosticNow(d, analysis);
  if (!current || current.ruleId === 'suppression') return [];
  const text = analysis.model.text;
  const data = current.data ?? {};
  const actions: CodeActionEntry[] = [];
  const code = typeof data.code === 'string' ? data.code : undefined;
  const { start, end } = current;

  if (REPLACEMENT_RULES.has(current.ruleId) && code) {
    const replacements = strings(data.replacements).filter((c) => services.codes.isBillable(c));
    const shown = replacements.slice(0, MAX_REPLACEMENTS);
    for (const r of shown) {
      actions.push({
        title: `Replace ${code} with ${r} (${services.codes.get(r)!.title})`,
        edits: [{ start, end, newText: r }],
        isPreferred: shown.length === 1,
      });
    }
  }
  // The diagnostic is on the modifier 50 of a code reported once per side: that line becomes the right side's
  // and a line for the left side follows it, so neither side is lost.
  if (current.ruleId === 'cpt-modifier' && data.modifier === '50' && text[start - 1] === '-') {
    const lineEnd = lineEndAt(text, end);
    actions.push({
      title: `Report ${code} on two lines, RT and LT (not modifier 50)`,
      edits: [
        { start, end, newText: 'RT' },
        { start: lineEnd, end: lineEnd, newText: `${lineBreakOf(text)}${code}-LT` },
      ],
      isPreferred: true,
    });
  }
  if (current.ruleId === 'sequencing' && code) {
    const move = typeof data.move === 'string' ? data.move : undefined;
    const other = move ? analysis.mentions.find((m) => m.code === move && m.start > end) : undefined;
    if (other) {
      actions.push({ title: `Sequence ${other.code} before ${code}`, edits: moveBefore(text, start, end, other), isPreferred: true });
    } else {
      // Only a cause the note documents is ever added; a code-first note alone documents nothing.
      const first = strings(data.add).find((c) => services.codes.isBillable(c));
      if (first) actions.push({ title: `Add ${first} before ${code}`, edits: [{ start, end: start, newText: `${first}, ` }], isPreferred: false });
    }
  }
  const missing = data.missing as MissingAttribute | undefined;
  if (QUERY_RULES.has(current.ruleId) && missing) {
    const finding = analysis.findings.find((f) => f.start === start && f.end === end && f.conceptId === data.conceptId);
    if (finding) {
      // A query is a draft the user sends, not part of the note: the editor opens it (a new document, the
      // clipboard or the cursor, the user's choice); the note is not edited.
      const title = `${PROVIDER_QUERY_TITLE}: ${missing} of ${finding.preferred.toLowerCase()}`;
      const query = providerQuery(finding, missing, strings(data.options), analysis, services);
      actions.push({ title, edits: [], isPreferred: false, command: { command: OPEN_PROVIDER_QUERY_COMMAND, arguments: [{ title, text: query }] } });
    }
  }
  actions.push(suppression(current, text));
  return actions;
}

/**
 * Moves the code at `other` to just before the code at start..end: "E83.59, N29, N25.81" -> "N25.81, E83.59,
 * N29" (a swap would put N29 before E83.59). The separator before `other` on its line (", " or "; ") goes with it;
 * without one the two codes' texts are swapped.
 */
function moveBefore(text: string, start: number, end: number, other: { start: number; end: number }): TextEdit[] {
  const moved = text.slice(other.start, other.end);
  const separator = /[,;][ \t]*$/.exec(text.slice(end, other.start));
  if (!separator) {
    return [
      { start, end, newText: moved },
      { start: other.start, end: other.end, newText: text.slice(start, end) },
    ];
  }
  const cut = end + separator.index;
  return [
    { start, end: start, newText: `${moved}${text.slice(cut, cut + 1)} ` },
    { start: cut, end: other.end, newText: '' },
  ];
}

/** What a diagnostic is about: the editor's copy and the current one must agree on each that the current one has. */
const SUBJECT = ['code', 'modifier', 'conceptId', 'missing'] as const;

/**
 * The diagnostic the current text gives at `d`'s range, of `d`'s rule and about `d`'s subject; undefined when
 * there is none (the text under it changed, or `d` is malformed: no data, a bad range, an unknown rule).
 * Rules report whole tokens (a code, a modifier, a finding's words), so a token that grew or shrank under
 * `d` has another range and is not found.
 */
function diagnosticNow(d: DiagnosticRef, analysis: NoteAnalysis): Diagnostic | undefined {
  if (!Number.isInteger(d.start) || !Number.isInteger(d.end)) return undefined;
  const seen = d.data !== null && typeof d.data === 'object' ? d.data : {};
  const all = analysis.diagnostics; // in text order (byPosition)
  for (let i = firstStartingAt(all, d.start); i < all.length && all[i]!.start === d.start; i++) {
    const now = all[i]!;
    if (now.end === d.end && now.ruleId === d.ruleId && SUBJECT.every((k) => now.data?.[k] === undefined || now.data[k] === seen[k])) return now;
  }
  return undefined;
}

/** Suppress this rule on this line, with a reason to fill in: the comment goes on its own line above. */
function suppression(d: Diagnostic, text: string): CodeActionEntry {
  const lineStart = lineStartAt(text, d.start);
  return {
    title: `Suppress ${d.ruleId} here (write the reason after the colon)`,
    edits: [{ start: lineStart, end: lineStart, newText: `[calx-ignore ${d.ruleId}: ]${lineBreakOf(text)}` }],
    isPreferred: false,
  };
}
