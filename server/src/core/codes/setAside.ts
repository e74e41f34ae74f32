/**
 * Codes a note writes but sets aside in its own words: a coder's worksheet, a CDI query answer or a corrected
 * code list names a code and says, in the same clause, that it is not assigned ("Z87.891 not applicable,
 * active smoker: F17.210", "use F17.210 instead of Z87.891", "~~M75.30~~ -> M75.31"). Such a code is still
 * written (hover, the code list and the invalid-code rule see it) but is no code the note reports, so the
 * rules that pair codes or ask for a better one (Excludes1, sequencing, header, unspecified, CPT bundling)
 * leave it out. The one place that decides it; rules ask `reportedMentions` or `setAsideOf`.
 *
 * Decided by phrase structure around the code, never by its sentence: only words right next to the code
 * count, within its clause and line.
 * - Right after it (after "-", ":", "(", "=" and a copula or "code": data/context/code-set-aside.json's
 *   `between`): a set-aside phrase ("not applicable", "N/A", "does not apply", "deleted", "changed to",
 *   "replaced by"), or a context trigger that negates backwards ("N20.0 ruled out", "N20.0 resolved").
 * - Right before it (after "(", and for set-aside phrases after ":" and "code"): a set-aside phrase
 *   ("instead of", "in place of", "changed from", "delete", "avoid"), or a context trigger that negates forwards
 *   ("not Z87.891", "rather than", "no N20.0", "without N13.2"). The longest trigger ending at the code
 *   decides, so "not ruled out N20.0" (uncertain) and "no change" (pseudo) set nothing aside, and neither do
 *   "r/o" and "rule out": an uncertain diagnosis is coded as established for an inpatient stay.
 * - A code with an arrow to another code after it ("M75.30 -> M75.31"), or struck out in Markdown ("~~Z87.891~~").
 * - A label ending in ":" sets aside the whole code list after it on its line ("Deleted codes: Z87.891, Z72.0"),
 *   and words after a code set aside the codes coordinated with it ("M65.20 and M75.30 do not apply").
 * - A code cited as the place of a tabular instruction ("Excludes1 at M65.2") is assigned by nobody either.
 * A negation further away ("No hydronephrosis. N20.1", "N20.1, no hydronephrosis"), a history ("Z87.891
 * history of tobacco use") or a code the negated one is contrasted with ("F17.210 not Z87.891": F17.210) is not
 * touched. A negated code ("No N20.0 today") names a condition stated absent: it is not assigned either
 * (`kind` "negated" tells it from a coder's set-aside).
 */
import type { ContextLexicon } from '../context/contextDetector';
import { tokenSpanOf } from '../context/contextDetector';
import { CODE_ARROW, escapeRegExp, type CodeMention } from '../text/codeMentions';
import { hasLineBreak } from '../text/lines';
import type { TextModel } from '../text/textModel';
import type { Tokens } from '../text/tokens';
import { wordSet } from '../text/vocabulary';

export interface SetAside {
  /** The words that set the code aside ("not applicable", "instead of", "->", "~~"). */
  start: number;
  end: number;
  /** "set-aside": words about the code (a coder's verdict, an edit); "negated": the condition coded is stated absent. */
  kind: 'set-aside' | 'negated';
}

/** What the decision reads of an analysis (a rule's context has it all). */
export interface SetAsideInput {
  text: string;
  model: TextModel;
  mentions: readonly CodeMention[];
  context: ContextLexicon;
}

/** Tokens a set-aside phrase of the data has at most, with the copulas and "code" between (the data's longest is 4). */
const WINDOW = 8;
/** Punctuation that may stand between a code and the words after it: "Z87.891 - not applicable", "Z87.891 (N/A)". */
const AFTER_PUNCT = wordSet(['-', '–', '—', ':', '(', '[', '=']);
/** ... and before it: "(not Z87.891)"; a label's colon only for set-aside phrases ("Deleted: Z87.891"). */
const BEFORE_PUNCT = wordSet(['(', '[']);
/** The axis the context triggers of negation and uncertainty share (contextDetector's AXIS), and its bit. */
const NEGATION_AXIS = 0;
const NEGATION_BIT = 1 << NEGATION_AXIS;
const ARROW = new RegExp(`[ \\t]*(?:${CODE_ARROW})[ \\t]*`, 'y');
/** What separates the items of a code list under a label ("Z87.891, Z72.0", "Z87.891 and Z72.0"). */
const LIST_SEPARATOR = /^[ \t]*(?:[,;/&]|and|or)?[ \t]*$/i;

/** Per context lexicon, per analysis (its mention list), the mentions the note sets aside. */
const CACHE = new WeakMap<ContextLexicon, WeakMap<readonly CodeMention[], ReadonlyMap<CodeMention, SetAside>>>();

/**
 * Per context lexicon, each code mention's decision, relative to the mention's start (null: not set aside).
 * A scan keeps a unit's mention objects while the unit's text is unchanged (noteScan.ts), moving them with it,
 * and the decision reads only the mention's line, which lies in its unit: a mention seen before is decided.
 */
const DECIDED = new WeakMap<ContextLexicon, WeakMap<CodeMention, { start: number; end: number; kind: SetAside['kind'] } | null>>();

/** The mentions the note sets aside, with the words that do it (worked out once per analysis). */
export function setAsideMentions(input: SetAsideInput): ReadonlyMap<CodeMention, SetAside> {
  let byMentions = CACHE.get(input.context);
  if (!byMentions) CACHE.set(input.context, (byMentions = new WeakMap()));
  let found = byMentions.get(input.mentions);
  if (!found) byMentions.set(input.mentions, (found = decide(input)));
  return found;
}

/**
 * The decisions of the mentions decided before, and of the runs of mentions not seen before (whole units, so
 * whole lines: a code list's label or coordination is read with them), in text order.
 */
function decide(input: SetAsideInput): Map<CodeMention, SetAside> {
  let decided = DECIDED.get(input.context);
  if (!decided) DECIDED.set(input.context, (decided = new WeakMap()));
  const out = new Map<CodeMention, SetAside>();
  const { mentions } = input;
  for (let k = 0; k < mentions.length; ) {
    const m = mentions[k]!;
    const known = decided.get(m);
    if (known !== undefined) {
      if (known) out.set(m, { start: m.start + known.start, end: m.start + known.end, kind: known.kind });
      k++;
      continue;
    }
    let end = k + 1;
    while (end < mentions.length && decided.get(mentions[end]!) === undefined) end++;
    const run = mentions.slice(k, end);
    const found = findSetAside({ ...input, mentions: run });
    for (const r of run) {
      const aside = found.get(r);
      decided.set(r, aside ? { start: aside.start - r.start, end: aside.end - r.start, kind: aside.kind } : null);
      if (aside) out.set(r, aside);
    }
    k = end;
  }
  return out;
}

/** The words that set `mention` aside, if the note does. */
export function setAsideOf(input: SetAsideInput, mention: CodeMention): SetAside | undefined {
  return setAsideMentions(input).get(mention);
}

/**
 * The pairs of codes the note writes as one replacing the other on a line ("Z87.891 replaced by F17.210", "N13.2
 * instead of N20.1", "M75.30 -> M75.31"; the data's replacement phrases and the arrows): alternatives, never
 * reported together, whatever else the note lists ("Provider list: ..., Z87.891" above the revision). Each pair as
 * its two codes sorted and joined by "|".
 */
export function replacedPairs(input: SetAsideInput): ReadonlySet<string> {
  const aside = setAsideMentions(input);
  const out = new Set<string>();
  if (aside.size === 0) return out;
  const { text, mentions } = input;
  const replacement = replacementWords(input.context);
  mentions.forEach((m, k) => {
    const a = aside.get(m);
    if (!a || !replacement.test(text.slice(a.start, a.end))) return;
    // The code on the phrase's other side: the next one after words that follow the code, the one before words that precede it.
    const after = a.start >= writtenEnd(m);
    const other = after ? mentions[k + 1] : mentions[k - 1];
    if (!other || (after ? other.start < a.end : writtenEnd(other) > a.start)) return;
    if (hasLineBreak(text, Math.min(m.start, other.start), Math.max(m.end, other.end))) return;
    out.add([m.code, other.code].sort().join('|'));
  });
  return out;
}

/** Per context lexicon: a replacement phrase or an arrow, as whole words of a set-aside span. */
const REPLACEMENT_WORDS = new WeakMap<ContextLexicon, RegExp>();
function replacementWords(context: ContextLexicon): RegExp {
  let re = REPLACEMENT_WORDS.get(context);
  if (!re) {
    const phrases = context.codeReplacements.map((p) => p.trim().split(/\s+/).map(escapeRegExp).join('\\s+'));
    re = new RegExp(`(?:^|\\s)(?:${[...phrases, CODE_ARROW].join('|')})(?:\\s|$)`, 'i');
    REPLACEMENT_WORDS.set(context, re);
  }
  return re;
}

/** The mentions the note does not set aside: the codes it reports, in text order. */
export function reportedMentions(input: SetAsideInput): readonly CodeMention[] {
  const aside = setAsideMentions(input);
  return aside.size === 0 ? input.mentions : input.mentions.filter((m) => !aside.has(m));
}

/** ` (set aside in the note: "not applicable")`: what a message about a set-aside code adds. */
export function setAsideClause(text: string, aside: SetAside): string {
  return ` (${setAsideLabel(aside.kind)}: "${text.slice(aside.start, aside.end)}")`;
}

/** How messages, hovers and the coding summary name the way a code is set aside. */
export function setAsideLabel(kind: SetAside['kind']): string {
  return kind === 'negated' ? 'written negated' : 'set aside in the note';
}

function findSetAside({ text, model, mentions, context }: SetAsideInput): Map<CodeMention, SetAside> {
  const out = new Map<CodeMention, SetAside>();
  const { tokens } = model;
  let label: { aside: SetAside; listEnd: number } | undefined;
  const struck = text.includes('~~') ? struckSpans(text) : [];
  let previousAfter: SetAside | undefined;
  mentions.forEach((m, k) => {
    // A CPT code's modifiers are part of what is set aside: "20551-50 changed to 20551-LT".
    const span = tokenSpanOf(model, m.start, writtenEnd(m));
    if (!span) return;
    // An item of a list a set-aside label governs ("Deleted codes: Z87.891, Z72.0").
    if (label && LIST_SEPARATOR.test(text.slice(label.listEnd, m.start))) {
      out.set(m, label.aside);
      label.listEnd = m.end;
      return;
    }
    label = undefined;
    let before = wordsBefore(text, tokens, context, span.tokenStart);
    // Words that set aside the code before them are not read again for the code after them: in "M75.30
    // deleted M75.31 added" or "N21.0 ruled out N13.2" only the first is set aside.
    if (before && before.aside.start === previousAfter?.start) before = undefined;
    const after = wordsAfter(text, tokens, context, span.tokenEnd);
    previousAfter = after;
    const aside = after ?? before?.aside ?? arrowed(text, m, mentions[k + 1]) ?? struckAt(struck, m);
    if (!aside) return;
    out.set(m, aside);
    if (after) for (const item of coordinated(text, mentions, k, out)) out.set(item, after);
    if (before?.label && aside === before.aside) label = { aside, listEnd: m.end };
  });
  return out;
}

/**
 * The codes coordinated with mention `k` before it, which the words after it govern too: "M65.20 and M75.30
 * do not apply", "Z72.0, Z87.891 or Z71.6 not coded". A list joined by commas alone ("Final: F17.210, Z87.891
 * N/A") is no coordination: there only the code next to the words is set aside.
 */
function coordinated(text: string, mentions: readonly CodeMention[], k: number, aside: ReadonlyMap<CodeMention, SetAside>): CodeMention[] {
  const items: CodeMention[] = [];
  let conjoined = false;
  // A code already set aside ends the walk: a long list is walked once, not once per verdict in it.
  for (let j = k - 1; j >= 0 && !aside.has(mentions[j]!); j--) {
    const between = text.slice(mentions[j]!.end, mentions[j + 1]!.start);
    if (!LIST_SEPARATOR.test(between) || between.includes(';')) break;
    conjoined ||= /[/&]|\b(?:and|or)\b/i.test(between);
    items.push(mentions[j]!);
  }
  return conjoined ? items : [];
}

/** Where the code as written ends: after its CPT modifiers, if any. */
const writtenEnd = (m: CodeMention): number => m.modifiers.at(-1)?.end ?? m.end;

/** Set-aside words right after the code (token `end` is the first after it). */
function wordsAfter(text: string, tokens: Tokens, context: ContextLexicon, end: number): SetAside | undefined {
  let j = end;
  while (j < tokens.length && !tokens.newlineBefore(j) && AFTER_PUNCT.has(tokens.norm(j))) j++;
  if (j >= tokens.length || tokens.newlineBefore(j)) return undefined;
  const limit = lineLimit(tokens, j);
  // A trigger that negates what precedes it ("N20.0 ruled out"); "not ruled out" (uncertain) does not, nor
  // one that may as well negate the words after it ("N20.1 ruled out obstruction": read forward).
  if (context.matchAt(tokens, j, limit, NEGATION_BIT) && negates(context, 'backward')) {
    const end = context.foundEnd(NEGATION_AXIS);
    const forward = context.foundEntries(NEGATION_AXIS).some((e) => e.forward);
    if (!forward || end >= tokens.length || tokens.newlineBefore(end) || tokens.isPunct(end)) {
      return { start: tokens.start(j), end: tokens.end(end - 1), kind: 'negated' };
    }
  }
  for (let fillers = 0, at = j; fillers <= 3 && at < limit; fillers++) {
    const found = context.codeSetAside.matchAt(text, tokens, at, limit);
    if (!found) return undefined;
    if (found.value === 'after' || found.value === 'both') return { start: found.start, end: found.end, kind: 'set-aside' };
    if (found.value !== 'between') return undefined;
    at = found.tokenEnd;
  }
  return undefined;
}

/** The negation-axis trigger `matchAt` just found negates (no uncertainty, no pseudo-trigger) in that direction. */
function negates(context: ContextLexicon, direction: 'forward' | 'backward'): boolean {
  const entries = context.foundEntries(NEGATION_AXIS);
  return entries.every((e) => e.category === 'negated' && !e.pseudo) && entries.some((e) => e[direction]);
}

/** Set-aside words right before the code (token `start` is its first); `label` when a colon follows them. */
function wordsBefore(text: string, tokens: Tokens, context: ContextLexicon, start: number): { aside: SetAside; label: boolean } | undefined {
  if (tokens.newlineBefore(start)) return undefined;
  let p = start;
  while (p > 0 && !tokens.newlineBefore(p) && BEFORE_PUNCT.has(tokens.norm(p - 1))) p--;
  const negated = negationEnding(context, tokens, p);
  if (negated) return { aside: negated, label: false };
  // A label's colon and "code" between: "Deleted: Z87.891", "instead of code Z87.891".
  let q = start;
  let label = false;
  while (q > 0 && !tokens.newlineBefore(q)) {
    const norm = tokens.norm(q - 1);
    if (BEFORE_PUNCT.has(norm) || norm === ':') {
      label ||= norm === ':';
      q--;
      continue;
    }
    const filler = phraseEnding(text, tokens, context, q);
    if (filler?.value !== 'between') break;
    q = filler.tokenStart;
  }
  const found = phraseEnding(text, tokens, context, q);
  if (!found || (found.value !== 'before' && found.value !== 'both')) return undefined;
  return { aside: { start: found.start, end: found.end, kind: 'set-aside' }, label };
}

/** The longest set-aside phrase of the data that ends right before token `p`, on its line. */
function phraseEnding(text: string, tokens: Tokens, context: ContextLexicon, p: number) {
  for (let k = lineStartWithin(tokens, p); k < p; k++) {
    const found = context.codeSetAside.matchAt(text, tokens, k, p);
    if (found && found.tokenEnd === p) return found;
  }
  return undefined;
}

/** The longest negation or uncertainty trigger that ends right before token `p`: a set-aside when it negates forwards. */
function negationEnding(context: ContextLexicon, tokens: Tokens, p: number): SetAside | undefined {
  for (let k = lineStartWithin(tokens, p); k < p; k++) {
    if (!context.matchAt(tokens, k, p, NEGATION_BIT) || context.foundEnd(NEGATION_AXIS) !== p) continue;
    return negates(context, 'forward') ? { start: tokens.start(k), end: tokens.end(p - 1), kind: 'negated' } : undefined;
  }
  return undefined;
}

/** The first token a phrase ending before token `p` may start at: within the window, on `p`'s line. */
function lineStartWithin(tokens: Tokens, p: number): number {
  let k = p;
  while (k > 0 && p - k < WINDOW && !tokens.newlineBefore(k)) k--;
  return k;
}

/** The token after the last one a phrase starting at token `j` may hold: within the window, on `j`'s line. */
function lineLimit(tokens: Tokens, j: number): number {
  let k = j + 1;
  while (k < tokens.length && k - j < WINDOW && !tokens.newlineBefore(k)) k++;
  return k;
}

/** "M75.30 -> M75.31": the code an arrow leads away from, to the next code. */
function arrowed(text: string, m: CodeMention, next: CodeMention | undefined): SetAside | undefined {
  if (!next) return undefined;
  const end = writtenEnd(m);
  ARROW.lastIndex = end;
  const arrow = ARROW.exec(text);
  if (!arrow || end + arrow[0].length !== next.start) return undefined;
  const trimmed = arrow[0].trim();
  const start = end + arrow[0].indexOf(trimmed);
  return { start, end: start + trimmed.length, kind: 'set-aside' };
}

/** The Markdown strikethroughs of the text ("~~Z87.891~~"), each on one line, in text order: [open, close). */
function struckSpans(text: string): Array<[number, number]> {
  return [...text.matchAll(/~~(?:(?!~~)[^\r\n])+~~/g)].map((m) => [m.index, m.index + m[0].length]);
}

/** "~~Z87.891~~", "~~Z87.891 history of tobacco use~~": a code inside a strikethrough. */
function struckAt(spans: ReadonlyArray<[number, number]>, m: CodeMention): SetAside | undefined {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid]![1] <= m.start) lo = mid + 1;
    else hi = mid;
  }
  const span = spans[lo];
  return span && span[0] + 2 <= m.start && m.end <= span[1] - 2 ? { start: span[0], end: span[0] + 2, kind: 'set-aside' } : undefined;
}
