import { InlayHintKind, SymbolKind, type DocumentSymbol, type InlayHint, type Range } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { NoteAnalysis } from '../../core/analyze';
import type { CalxServices } from '../../core/rules/types';

const range = (d: TextDocument, start: number, end: number): Range => ({ start: d.positionAt(start), end: d.positionAt(end) });

/** The outline: sections, with the findings and codes written in each. */
export function provideDocumentSymbols(document: TextDocument, analysis: NoteAnalysis, services: CalxServices): DocumentSymbol[] {
  const { sections } = analysis.model;
  return sections
    .map((section) => {
      const inside = (start: number) => start >= section.start && start < section.end;
      const children: DocumentSymbol[] = [
        ...analysis.findings.filter((f) => inside(f.start)).map((f): DocumentSymbol => {
          const context = Object.keys(f.context);
          const code = f.coding.suggested.join(' + ') || f.coding.unspecified || f.coding.family || 'no code yet';
          return {
            name: f.preferred,
            detail: `${code}${context.length ? ` · ${context.join(', ')}` : ''}`,
            kind: SymbolKind.Event,
            range: range(document, f.start, f.end),
            selectionRange: range(document, f.start, f.end),
          };
        }),
        ...analysis.mentions.filter((m) => inside(m.start)).map((m): DocumentSymbol => ({
          name: m.code,
          detail: m.system === 'icd10cm' ? (services.codes.get(m.code)?.title ?? 'not in the code set') : (services.cpt.get(m.code)?.text ?? 'CPT'),
          kind: SymbolKind.Constant,
          range: range(document, m.start, m.end),
          selectionRange: range(document, m.start, m.end),
        })),
      ].sort((a, b) => document.offsetAt(a.range.start) - document.offsetAt(b.range.start));
      return {
        name: section.title || 'Note',
        detail: section.kind,
        kind: SymbolKind.Namespace,
        range: range(document, section.start, Math.max(section.start, section.end)),
        selectionRange: range(document, section.start, section.contentStart),
        children,
      };
    })
    .filter((s) => s.children.length > 0);
}

/** After a bare code, its title (unless the title, or its first words, already follow it in the text). */
export function provideInlayHints(document: TextDocument, analysis: NoteAnalysis, services: CalxServices, from: number, to: number): InlayHint[] {
  const text = analysis.model.text;
  const hints: InlayHint[] = [];
  for (const m of analysis.mentions) {
    if (m.end < from || m.start > to || m.system !== 'icd10cm') continue;
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
