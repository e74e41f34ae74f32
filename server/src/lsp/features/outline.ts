import { firstStartingAt } from '../../core/text/byStart';
import { InlayHintKind, SymbolKind, type DocumentSymbol, type InlayHint, type Range } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { NoteAnalysis } from '../../core/analyze';
import type { CalxServices } from '../../core/rules/types';

const range = (d: TextDocument, start: number, end: number): Range => ({ start: d.positionAt(start), end: d.positionAt(end) });

interface Span {
  start: number;
  end: number;
}

/**
 * The items of each section (an item is in the section its start falls in), in their order. Sections are in
 * text order and do not overlap, so each item finds its section by binary search: a note's outline costs its
 * items, not its items times its sections (filtering every item for every section took 3.7 s on a 2 MB note).
 */
export function itemsBySection<T extends { start: number }>(sections: readonly Span[], items: readonly T[]): T[][] {
  const out = sections.map((): T[] => []);
  for (const item of items) {
    // The last section starting at or before the item.
    let lo = 0;
    let hi = sections.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (sections[mid]!.start <= item.start) lo = mid;
      else hi = mid - 1;
    }
    const section = sections[lo];
    if (section && item.start >= section.start && item.start < section.end) out[lo]!.push(item);
  }
  return out;
}

/** The outline: sections, with the findings and codes written in each. */
export function provideDocumentSymbols(document: TextDocument, analysis: NoteAnalysis, services: CalxServices): DocumentSymbol[] {
  const { sections } = analysis.model;
  const findings = itemsBySection(sections, analysis.findings);
  const mentions = itemsBySection(sections, analysis.mentions);
  return sections
    .map((section, i) => {
      // Each child with its start, to sort by (findings first where a finding and a code start together).
      const children: Array<[number, DocumentSymbol]> = [
        ...findings[i]!.map((f): [number, DocumentSymbol] => {
          const context = Object.keys(f.context);
          const code = f.coding.suggested.join(' + ') || f.coding.unspecified || f.coding.family || 'no code yet';
          const at = range(document, f.start, f.end);
          return [f.start, { name: f.preferred, detail: `${code}${context.length ? ` · ${context.join(', ')}` : ''}`, kind: SymbolKind.Event, range: at, selectionRange: at }];
        }),
        ...mentions[i]!.map((m): [number, DocumentSymbol] => {
          const at = range(document, m.start, m.end);
          const detail = m.system === 'icd10cm' ? (services.codes.get(m.code)?.title ?? 'not in the code set') : (services.cpt.get(m.code)?.text ?? 'CPT');
          return [m.start, { name: m.code, detail, kind: SymbolKind.Constant, range: at, selectionRange: at }];
        }),
      ].sort((a, b) => a[0] - b[0]);
      return {
        name: section.title || 'Note',
        detail: section.kind,
        kind: SymbolKind.Namespace,
        range: range(document, section.start, Math.max(section.start, section.end)),
        selectionRange: range(document, section.start, section.contentStart),
        children: children.map(([, symbol]) => symbol),
      };
    })
    .filter((s) => s.children.length > 0);
}

/**
 * The spans, in text order and not overlapping (a note's code mentions), that reach into [from, to]: found by
 * binary search, so a request for the lines on screen costs those lines, not the whole note.
 */
export function spansIn<T extends Span>(spans: readonly T[], from: number, to: number): T[] {
  let lo = firstStartingAt(spans, from);
  // A span that starts before `from` may still reach it.
  while (lo > 0 && spans[lo - 1]!.end >= from) lo--;
  const out: T[] = [];
  for (let i = lo; i < spans.length && spans[i]!.start <= to; i++) if (spans[i]!.end >= from) out.push(spans[i]!);
  return out;
}

/** After a bare code, its title (unless the title, or its first words, already follow it in the text). */
export function provideInlayHints(document: TextDocument, analysis: NoteAnalysis, services: CalxServices, from: number, to: number): InlayHint[] {
  const text = analysis.model.text;
  const hints: InlayHint[] = [];
  for (const m of spansIn(analysis.mentions, from, to)) {
    if (m.system !== 'icd10cm') continue;
    const info = services.codes.get(m.code);
    if (!info) continue;
    const after = text.slice(m.end, m.end + 60).toLowerCase();
    const firstWords = info.title.toLowerCase().split(/\s+/).slice(0, 2).join(' ');
    if (after.includes(firstWords)) continue;
    hints.push({
      position: document.positionAt(m.end),
      label: ` ${info.title}${info.billable ? '' : ' (header)'}`,
      kind: InlayHintKind.Type,
      paddingLeft: false,
    });
  }
  return hints;
}
