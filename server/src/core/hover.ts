/**
 * Hover content for what sits under the cursor, as Markdown. Pure: the LSP adapter only converts offsets.
 */
import type { NoteAnalysis } from './analyze';
import { setAsideLabel, setAsideOf } from './codes/setAside';
import type { CodeIndex, CodeInfo } from './codes/codeIndex';
import type { NoteSet } from './codes/schema';
import { orList } from './codes/describe';
import type { CptCatalog } from './cpt/cptCatalog';
import type { Finding } from './findings/findings';
import type { CalxServices } from './rules/types';
import type { CodeMention } from './text/codeMentions';

export interface HoverOptions {
  /**
   * The link that opens a code's full entry (every note, nothing folded), when the editor can follow one: then
   * long groups of notes that do not change the code choice fold behind it. Without it nothing folds.
   */
  entryLink?: (code: string) => string;
}

export interface HoverResult {
  start: number;
  end: number;
  markdown: string;
}

/** `s` with its first letter in upper case. */
const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The hover for the code at `offset` (a cursor just after a code still counts), if any. */
export function hoverAt(analysis: NoteAnalysis, offset: number, services: CalxServices, options: HoverOptions = {}): HoverResult | undefined {
  const mention = analysis.mentions.find((m) => m.start <= offset && offset <= m.end);
  if (mention) {
    const markdown =
      mention.system === 'icd10cm' ? icdHover(mention.code, services.codes, options.entryLink) : cptHover(mention, services.cpt);
    // A code the note sets aside in its own words ("Z87.891 not applicable") is no code it reports: say so first.
    const { text } = analysis.model;
    const aside = setAsideOf({ text, model: analysis.model, mentions: analysis.mentions, context: services.context }, mention);
    const note = aside
      ? `_${capitalised(setAsideLabel(aside.kind))}: "${markdownText(text.slice(aside.start, aside.end))}". Not counted as a reported code: Excludes1, sequencing and the other rules that pair codes leave it out._\n\n`
      : '';
    return { start: mention.start, end: mention.end, markdown: note + markdown };
  }
  const finding = analysis.findings.find((f) => f.start <= offset && offset <= f.end);
  if (finding) return { start: finding.start, end: finding.end, markdown: findingHover(finding, analysis, services) };
  for (const m of analysis.mentions) {
    const modifier = m.modifiers.find((x) => x.start <= offset && offset <= x.end);
    if (modifier) {
      const info = services.cpt.modifier(modifier.code);
      const text = info ? info.summary : 'Not a modifier Calx knows.';
      return { start: modifier.start, end: modifier.end, markdown: `**CPT modifier ${modifier.code}**\n\n${text}` };
    }
  }
  return undefined;
}

/**
 * The full entry of an ICD-10-CM code as a Markdown document: what its hover says, with every note of the code
 * and of each level above it, nothing folded. Undefined for a code not in the code set.
 */
export function codeEntryMarkdown(code: string, codes: CodeIndex): string | undefined {
  const info = codes.get(code);
  if (!info) return undefined;
  return `# ${info.code} ${info.title}\n\n${icdHover(info.code, codes, undefined).replace(/^.*\n\n/, '')}\n`;
}

function icdHover(code: string, codes: CodeIndex, entryLink: HoverOptions['entryLink']): string {
  const year = `ICD-10-CM FY${codes.fiscalYear}`;
  const info = codes.get(code);
  if (!info) {
    const deletion = codes.deletions(code).at(-1);
    if (deletion) {
      const successors = deletion.replacedBy.filter((c) => codes.has(c));
      const lines = successors.map((c) => `- ${c} ${codes.get(c)!.title}`);
      return [
        `**${code}** ${deletion.title}`,
        `**Deleted** on ${deletion.effective} (FY${deletion.fiscalYear}); not valid in ${year}.`,
        successors.length ? `Replaced by:\n${lines.join('\n')}` : 'No direct successor in the addenda.',
      ].join('\n\n');
    }
    return `**${code}**\n\nNot an ICD-10-CM code in ${year}.`;
  }
  const crumb = codes.breadcrumb(info.code)!;
  const status = info.billable
    ? `Billable · ${year} (effective ${codes.effective})`
    : `**Header, not billable** · ${year}: report ${orList(codes.billableDescendants(info.code).map((c) => c.code), 8)}`;
  const path = [
    `Chapter ${crumb.chapter.id} ${crumb.chapter.title}`,
    `${crumb.block.id} ${crumb.block.title}`,
    ...crumb.codes.slice(0, -1).map((c) => `${c.code} ${c.title}`),
  ].join(' › ');
  const parts = [`**${info.code}** ${info.title}`, status, path];
  const subdivided = codes.deletions(info.code).find((d) => d.nowHeader);
  if (subdivided) {
    // The addenda list such a code as added (as a header) in the year it was subdivided: it is not new.
    const header = info.billable ? '' : `Became a header in FY${subdivided.fiscalYear}: report one of its codes. `;
    parts.push(`${header}Billable until FY${subdivided.fiscalYear - 1}; subdivided on ${subdivided.effective}.`);
  }
  const added = codes.addedInYear(info.code);
  if (added && added !== subdivided?.fiscalYear) parts.push(`New in FY${added}.`);
  const revision = codes.revision(info.code);
  if (revision) parts.push(`Title revised in FY${revision.fiscalYear} (was: ${revision.from}).`);
  if (info.tabularYear === 0) {
    parts.push(`No tabular notes of its own (newer than the FY${codes.notesFiscalYear} tabular); notes of its ancestors apply.`);
  }
  const notes = notesSection(info, codes, entryLink?.(info.code));
  if (notes) parts.push(notes);
  parts.push(relatives(info, codes));
  return parts.join('\n\n');
}

/** How each kind of tabular note is labelled, in the order the tabular prints them. */
const NOTE_LABELS: Array<[Exclude<keyof NoteSet, 'sevenChrNote' | 'sevenChrDef'>, string]> = [
  ['notes', 'Note'],
  ['includes', 'Includes'],
  ['inclusionTerm', 'Inclusion terms'],
  ['excludes1', 'Excludes1 (not coded here)'],
  ['excludes2', 'Excludes2 (not included here)'],
  ['codeFirst', 'Code first'],
  ['useAdditionalCode', 'Use additional code'],
  ['codeAlso', 'Code also'],
];

/**
 * Notes that may fold in a hover: they describe what a code covers. Excludes1, code first, use additional
 * code, code also and the 7th characters change the code choice and are never folded.
 */
const FOLDABLE: ReadonlySet<keyof NoteSet> = new Set(['notes', 'includes', 'inclusionTerm', 'excludes2']);
/**
 * A foldable group shows at most this many items, and no more once this many characters are shown; a group
 * that would hide fewer than two items shows them all.
 */
const FOLD_ITEMS = 5;
const FOLD_CHARS = 600;

/** Note text as Markdown: the characters that would start emphasis, code or HTML are escaped. */
export function markdownText(text: string): string {
  return text.replace(/[\\`*_<>]/g, (c) => `\\${c}`);
}

/**
 * A list of notes; an item that ends with ":" ("code to identify:") introduces the items after it, which are
 * indented under it.
 */
function noteList(items: readonly string[]): string {
  let lead = false;
  return items
    .map((n) => {
      const line = `${lead ? '    ' : ''}- ${markdownText(n)}`;
      if (n.endsWith(':')) lead = true;
      return line;
    })
    .join('\n');
}

/** How many items of a foldable group a hover shows. */
function shownCount(items: readonly string[]): number {
  let chars = 0;
  let shown = 0;
  while (shown < items.length && shown < FOLD_ITEMS && (shown === 0 || chars + items[shown]!.length <= FOLD_CHARS)) {
    chars += items[shown]!.length;
    shown++;
  }
  return items.length - shown < 2 ? items.length : shown;
}

/** The heading of the notes written at one level: the code itself, an ancestor, the block or the chapter. */
function levelHeading(from: string, info: CodeInfo, codes: CodeIndex): string {
  if (from === info.code) return `**At ${from}** (this code)`;
  const ancestor = codes.get(from);
  if (ancestor) return `**At ${from}** ${ancestor.title}`;
  const crumb = codes.breadcrumb(info.code)!;
  if (from === crumb.block.id) return `**At block ${from}** ${crumb.block.title}`;
  return `**At ${from}** ${crumb.chapter.title}`;
}

/**
 * Every tabular note that applies to the code: its own and those of each level above it (subcategories,
 * category, block, chapter), nearest first, each level's notes by kind in the tabular's order. With a link to
 * the full entry, long groups of foldable notes show their first items and the link; without one nothing folds.
 */
function notesSection(info: CodeInfo, codes: CodeIndex, entryLink: string | undefined): string | undefined {
  const levels: string[] = [];
  for (const { from, notes } of codes.notesInScope(info.code)) {
    const groups: string[] = [];
    for (const [kind, label] of NOTE_LABELS) {
      const items = notes[kind];
      if (!items) continue;
      const shown = entryLink && FOLDABLE.has(kind) ? shownCount(items) : items.length;
      const folded = items.length - shown;
      const more = folded > 0 ? `\n- … ${folded} more: [Show all notes](${entryLink})` : '';
      groups.push(`_${label}_\n${noteList(items.slice(0, shown))}${more}`);
    }
    if (notes.sevenChrNote || notes.sevenChrDef) {
      const lead = notes.sevenChrNote?.map(markdownText).join(' ') ?? '';
      const own = info.code.length === 8 ? info.code[7] : undefined;
      const values = (notes.sevenChrDef ?? []).map((v) => `- ${v.char} ${markdownText(v.text)}${v.char === own ? ' **(this code)**' : ''}`);
      groups.push([`_7th characters_${lead ? `: ${lead}` : ''}`, ...values].join('\n'));
    }
    if (groups.length) levels.push([levelHeading(from, info, codes), ...groups].join('\n\n'));
  }
  return levels.length ? levels.join('\n\n') : undefined;
}

/** A header's children; a billable code's siblings (they differ by side or site). */
function relatives(info: CodeInfo, codes: CodeIndex): string {
  const list = (items: CodeInfo[]) => {
    const shown = items.slice(0, 10).map((c) => `- ${c.code} ${c.title}${c.billable ? '' : ' (header)'}`);
    return shown.join('\n') + (items.length > 10 ? `\n- … ${items.length - 10} more` : '');
  };
  if (!info.billable) return `**Codes below it**\n${list(codes.children(info.code))}`;
  const siblings = info.parent ? codes.children(info.parent).filter((c) => c.code !== info.code) : [];
  return siblings.length ? `**Siblings**\n${list(siblings)}` : 'No siblings.';
}

function cptHover(mention: CodeMention, cpt: CptCatalog): string {
  const found = cpt.get(mention.code);
  if (!found) return `**CPT ${mention.code}**\n\nNot in Calx's curated CPT set; set \`calx.cpt.descriptorFile\` to a licensed descriptor file to see its text.`;
  const source =
    found.textSource === 'licensed-file' ? 'Licensed CPT descriptor' : "Calx's plain-language summary (not the AMA descriptor)";
  const parts = [`**CPT ${found.code}** ${found.text}`, `_${source}_`];
  const notes = found.curated?.notes ?? [];
  if (notes.length) parts.push(notes.map((n) => `- ${n.text}`).join('\n'));
  for (const m of mention.modifiers) {
    const info = cpt.modifier(m.code);
    parts.push(`Modifier **${m.code}**: ${info ? info.summary : 'not a modifier Calx knows'}`);
  }
  return parts.join('\n\n');
}

const CONTEXT_LABEL: Record<keyof Finding['context'], string> = {
  negated: 'Negated',
  uncertain: 'Uncertain',
  hypothetical: 'Hypothetical',
  historical: 'Historical',
  experiencer: 'Not the patient',
};

/**
 * A calcification finding: what the concept is, its context with the trigger, the documented site, side and
 * cause with where each was found, the code the documentation supports and what is missing.
 */
function findingHover(f: Finding, analysis: NoteAnalysis, services: CalxServices): string {
  const { codes, lexicon, anatomy } = services;
  const text = analysis.model.text;
  const concept = lexicon.concepts.get(f.conceptId);
  const quote = (start: number, end: number) => `"${text.slice(start, end)}" (line ${analysis.model.lineOf(start)})`;
  const parts = [`**${f.preferred}** · ${f.category.replace(/-/g, ' ')}`];
  if (concept?.definition) parts.push(concept.definition);
  const context = Object.entries(f.context).map(
    ([k, t]) =>
      `${CONTEXT_LABEL[k as keyof Finding['context']]}: ${t.via === 'section' ? `section ${quote(t.start, t.end)}` : t.via === 'note' ? `elsewhere in the note: ${quote(t.start, t.end)}` : `by ${quote(t.start, t.end)}`}`,
  );
  parts.push(context.length ? context.join(' · ') : 'Current finding for this patient.');
  const documented: string[] = [];
  if (f.site) documented.push(`- Site: ${anatomy.site(f.site.value)?.preferred ?? f.site.value}, from ${quote(f.site.start, f.site.end)}`);
  if (f.laterality) documented.push(`- Side: ${f.laterality.value}, from ${quote(f.laterality.start, f.laterality.end)}`);
  for (const e of f.etiologies) {
    const where =
      e.via === 'note' ? ' (elsewhere in the note; the provider must state the link)' : e.via === 'mention' ? ' (stated with another mention of this finding)' : '';
    documented.push(`- Cause: ${lexicon.etiologies.get(e.value)?.preferred ?? e.value}, from ${quote(e.start, e.end)}${where}`);
  }
  if (documented.length) parts.push(documented.join('\n'));
  const c = f.coding;
  const titled = (code: string) => `${code} ${codes.get(code)?.title ?? ''}`.trim();
  if (c.suggested.length) parts.push(`Suggested: ${c.suggested.map((code) => `**${titled(code)}**`).join(' + ')}`);
  else if (c.unspecified) parts.push(`As documented: **${titled(c.unspecified)}** (unspecified)`);
  else if (c.family) parts.push(`Code family: ${titled(c.family)}`);
  for (const m of c.missing) {
    const options = m.options.length ? `: ${orList(m.options, 6)}` : '';
    parts.push(`Missing ${m.attribute}${options}`);
  }
  if (c.codeFirst.length) parts.push(`Code first: ${c.codeFirst.join(', ')}`);
  if (c.familyNote) parts.push(`_${c.familyNote}_`);
  return parts.join('\n\n');
}
