import { CodeActionKind, type CodeAction, type CodeActionParams } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { NoteAnalysis } from '../../core/analyze';
import { codeActionsFor } from '../../core/codeActions';
import type { CalxServices } from '../../core/rules/types';

/**
 * Diagnostics in (from the request's context, with their data) -> core fixes -> workspace edits. Stateless:
 * a fix is rebuilt from the diagnostic and the document as it is now; the edits carry the document version
 * so an editor applies them only to the text they were made for.
 */
export function provideCodeActions(
  document: TextDocument,
  params: CodeActionParams,
  analysis: NoteAnalysis,
  services: CalxServices,
): CodeAction[] {
  const out: CodeAction[] = [];
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== 'calx' || typeof diagnostic.code !== 'string') continue;
    const start = document.offsetAt(diagnostic.range.start);
    const end = document.offsetAt(diagnostic.range.end);
    const data = diagnostic.data && typeof diagnostic.data === 'object' ? (diagnostic.data as Record<string, unknown>) : undefined;
    for (const action of codeActionsFor({ ruleId: diagnostic.code, start, end, ...(data ? { data } : {}) }, analysis, services)) {
      out.push({
        title: action.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: action.isPreferred,
        edit: {
          documentChanges: [
            {
              textDocument: { uri: document.uri, version: document.version },
              edits: action.edits.map((e) => ({
                range: { start: document.positionAt(e.start), end: document.positionAt(e.end) },
                newText: e.newText,
              })),
            },
          ],
        },
      });
    }
  }
  return out;
}
