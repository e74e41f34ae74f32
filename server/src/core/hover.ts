/**
 * Hover content for what sits under the cursor, as Markdown. Pure: the LSP adapter only converts offsets.
 */
import type { NoteAnalysis } from './analyze';
import type { CodeIndex, CodeInfo } from './codes/codeIndex';
import type { NoteSet } from './codes/schema';
import { orList } from './codes/describe';
import type { CptCatalog } from './cpt/cptCatalog';
import type { Finding } from './findings/findings';
import type { CalxServices } from './rules/types';
import type { CodeMention } from './text/codeMentions';

export interface HoverResult {
  start: number;
  end: number;
  markdown: string;
}

/** The hover for the code at `offset` (a cursor just after a code still counts), if any. */
export function hoverAt(analysis: NoteAnalysis, offset: number, services: CalxServices): HoverResult | undefined {
  const mention = analysis.mentions.find((m) => m.start <= offset && offset <= m.end);
  if (mention) {
    const markdown =
      mention.system === 'icd10cm' ? icdHover(mention, services.codes) : cptHover(mention, services.cpt);
    return { start: mention.start, end: mention.end, markdown };
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

function icdHover(mention: CodeMention, codes: CodeIndex): string {
  const year = `ICD-10-CM FY${codes.fiscalYear}`;
  const info = codes.get(mention.code);
  if (!info) {
    const deletion = codes.deletions(mention.code).at(-1);
    if (deletion) {
      const successors = deletion.replacedBy.filter((c) => codes.has(c));
      const lines = successors.map((c) => `- ${c} ${codes.get(c)!.title}`);
      return [
        `**${mention.code}** ${deletion.title}`,
        `**Deleted** on ${deletion.effective} (FY${deletion.fiscalYear}); not valid in ${year}.`,
        successors.length ? `Replaced by:\n${lines.join('\n')}` : 'No direct successor in the addenda.',
      ].join('\n\n');
    }
    return `**${mention.code}**\n\nNot an ICD-10-CM code in ${year}.`;
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
  const notes = notesSection(info, codes);
  if (notes) parts.push(notes);
  parts.push(relatives(info, codes));
  return parts.join('\n\n');
}

const NOTE_LABELS: Array<[keyof NoteSet, string]> = [
  ['inclusionTerm', 'Inclusion terms'],
  ['includes', 'Includes'],
  ['excludes1', 'Excludes1 (not coded here)'],
  ['excludes2', 'Excludes2 (not included here)'],
  ['codeFirst', 'Code first'],
  ['useAdditionalCode', 'Use additional code'],
  ['codeAlso', 'Code also'],
];

/**
 * The tabular notes that apply to the code, its own and inherited (category, block, chapter), each with where
 * it is written. Inclusion terms only from the code and its parent (they name what those cover), "includes"
 * from codes only (a block's or chapter's is too broad to help).
 */
function notesSection(info: CodeInfo, codes: CodeIndex): string | undefined {
  const code = info.code;
  const scope = codes.notesInScope(code);
  const applies = (kind: keyof NoteSet, from: string) =>
    kind === 'inclusionTerm' ? from === code || from === info.parent : kind === 'includes' ? codes.has(from) : true;
  const lines: string[] = [];
  for (const [kind, label] of NOTE_LABELS) {
    const items = scope
      .filter(({ from }) => applies(kind, from))
      .flatMap(({ from, notes }) => (notes[kind] as string[] | undefined)?.map((n) => (from === code ? n : `${n} _(at ${from})_`)) ?? []);
    if (items.length === 0) continue;
    const shown = items.slice(0, 8);
    const more = items.length > shown.length ? `\n  - … ${items.length - shown.length} more` : '';
    lines.push(`**${label}**\n${shown.map((n) => `  - ${n}`).join('\n')}${more}`);
  }
  const seventh = codes.seventhCharacters(code);
  if (seventh) {
    lines.push(`**7th characters** _(at ${seventh.from})_: ${seventh.values.map((v) => `${v.char} ${v.text}`).join('; ')}`);
  }
  return lines.length ? lines.join('\n\n') : undefined;
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
    const where = e.via === 'note' ? ' (elsewhere in the note; the provider must state the link)' : '';
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
