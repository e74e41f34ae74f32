import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { NoteAnalysis } from '../../core/analyze';
import { codeActionsFor, type DiagnosticRef } from '../../core/codeActions';
import type { CalxServices } from '../../core/rules/types';

/**
 * Diagnostics in (from the request's context, with their data) -> core fixes -> workspace edits. Stateless:
 * a fix is rebuilt from the diagnostic and the document as it is now; the edits carry the document version
 * so an editor applies them only to the text they were made for. Each diagnostic is taken on its own: one
 * that is not well formed (no range, a position outside the document, data that is not an object) gets no
 * fix, and the others still get theirs.
 */
export function provideCodeActions(
  document: TextDocument,
  params: CodeActionParams,
  analysis: NoteAnalysis,
  services: CalxServices,
): CodeAction[] {
  const out: CodeAction[] = [];
  const diagnostics: unknown = params.context?.diagnostics;
  for (const diagnostic of Array.isArray(diagnostics) ? (diagnostics as Diagnostic[]) : []) {
    const ref = diagnosticRef(document, diagnostic);
    if (!ref) continue;
    for (const action of codeActionsFor(ref, analysis, services)) {
      out.push({
        title: action.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: action.isPreferred,
        ...(action.edits.length
          ? {
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
            }
          : {}),
        ...(action.command ? { command: { title: action.title, ...action.command } } : {}),
      });
    }
  }
  return out;
}

/** A Calx diagnostic of the request as the core takes it, or undefined when it is not one or not well formed. */
function diagnosticRef(document: TextDocument, diagnostic: Diagnostic): DiagnosticRef | undefined {
  if (diagnostic === null || typeof diagnostic !== 'object') return undefined;
  if (diagnostic.source !== 'calx' || typeof diagnostic.code !== 'string') return undefined;
  const range: unknown = diagnostic.range;
  if (range === null || typeof range !== 'object') return undefined;
  const start = offsetOf(document, (range as { start?: unknown }).start);
  const end = offsetOf(document, (range as { end?: unknown }).end);
  if (start === undefined || end === undefined || start > end) return undefined;
  const data: unknown = diagnostic.data;
  const isObject = data !== null && typeof data === 'object' && !Array.isArray(data);
  return { ruleId: diagnostic.code, start, end, ...(isObject ? { data: data as Record<string, unknown> } : {}) };
}

/**
 * The offset of a position in the document, or undefined when it is not a position of this document
 * (TextDocument.offsetAt clamps a line or a character past the end, which would move the range).
 */
function offsetOf(document: TextDocument, position: unknown): number | undefined {
  if (position === null || typeof position !== 'object') return undefined;
  const { line, character } = position as { line?: unknown; character?: unknown };
  if (!Number.isInteger(line) || !Number.isInteger(character) || (line as number) < 0 || (character as number) < 0) return undefined;
  const offset = document.offsetAt({ line: line as number, character: character as number });
  const back = document.positionAt(offset);
  return back.line === line && back.character === character ? offset : undefined;
}
