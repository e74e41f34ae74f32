import {
  CompletionItemKind,
  CompletionTriggerKind,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
  type CompletionParams,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { NoteAnalysis } from '../../core/analyze';
import { completeAt } from '../../core/completion';
import type { CalxServices } from '../../core/rules/types';

/**
 * Position in -> core completion at the offset -> items that replace exactly the typed prefix. A "."
 * trigger completes codes only; word queries run when completion is invoked (VS Code also invokes it as
 * quick suggestions while typing, so a word query only lists codes whose titles contain every word typed).
 */
export function provideCompletion(
  document: TextDocument,
  params: CompletionParams,
  analysis: NoteAnalysis,
  services: CalxServices,
): CompletionList | null {
  const explicit = params.context?.triggerKind !== CompletionTriggerKind.TriggerCharacter;
  const result = completeAt(analysis, document.offsetAt(params.position), services, { explicit });
  if (!result) return null;
  const range = { start: document.positionAt(result.replaceStart), end: document.positionAt(result.replaceEnd) };
  const items = result.items.map((e, i): CompletionItem => ({
    label: e.code,
    labelDetails: { description: e.billable ? e.title : `${e.title} (header)` },
    kind: e.billable ? CompletionItemKind.Value : CompletionItemKind.Module,
    detail: `${e.system === 'cpt' ? 'CPT' : 'ICD-10-CM'} ${e.code}${e.billable ? '' : ' · header, not billable'}`,
    documentation: { kind: MarkupKind.Markdown, value: `**${e.code}** ${e.title}\n\n${e.documentation}` },
    // Keep every item through the client's fuzzy filter: the server already matched words and titles.
    filterText: e.replaceStart === undefined ? result.typed : document.getText().slice(e.replaceStart, result.replaceEnd),
    sortText: String(i).padStart(4, '0'),
    textEdit: { range: e.replaceStart === undefined ? range : { ...range, start: document.positionAt(e.replaceStart) }, newText: e.insertText },
    ...(e.reopen ? { command: { title: 'Show the codes below this header', command: 'editor.action.triggerSuggest' } } : {}),
  }));
  return { isIncomplete: result.isIncomplete, items };
}
