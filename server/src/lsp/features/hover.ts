import { MarkupKind, type Hover, type Position } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { NoteAnalysis } from '../../core/analyze';
import { hoverAt, type HoverOptions } from '../../core/hover';
import type { CalxServices } from '../../core/rules/types';

/** Position in -> core hover at the offset -> Markdown and range out. */
export function provideHover(
  document: TextDocument,
  position: Position,
  analysis: NoteAnalysis,
  services: CalxServices,
  options: HoverOptions = {},
): Hover | null {
  const found = hoverAt(analysis, document.offsetAt(position), services, options);
  if (!found) return null;
  return {
    contents: { kind: MarkupKind.Markdown, value: found.markdown },
    range: { start: document.positionAt(found.start), end: document.positionAt(found.end) },
  };
}
