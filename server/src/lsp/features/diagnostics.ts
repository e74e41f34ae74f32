import { DiagnosticSeverity, type Diagnostic as LspDiagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, Severity } from '../../core/rules/types';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Core diagnostic (UTF-16 offsets) -> LSP diagnostic (positions through the document, never by hand). */
export function toLspDiagnostic(document: TextDocument, d: Diagnostic): LspDiagnostic {
  return {
    range: { start: document.positionAt(d.start), end: document.positionAt(d.end) },
    severity: SEVERITY[d.severity],
    code: d.ruleId,
    source: 'calx',
    message: d.message,
    ...(d.data ? { data: d.data } : {}),
  };
}
