/**
 * The analysis facade: one note in, plain findings out. The CLI, the language server and the tests all
 * call this; nothing here knows about LSP or VS Code.
 */
import { RULES } from './rules';
import type { CalxServices, Diagnostic, SeveritySetting } from './rules/types';
import { findCodeMentions, type CodeMention } from './text/codeMentions';

export interface AnalysisOptions {
  /** Severity per rule id; a rule set to "off" does not run. Unknown ids are ignored. */
  severities?: Readonly<Record<string, SeveritySetting>>;
}

export interface NoteAnalysis {
  /** Codes written in the note, in text order. */
  mentions: CodeMention[];
  /** Problems found, in text order. */
  diagnostics: Diagnostic[];
}

export function analyzeNote(text: string, services: CalxServices, options: AnalysisOptions = {}): NoteAnalysis {
  const { codes, cpt } = services;
  const mentions = findCodeMentions(text, {
    isIcdKnown: (code) => codes.has(code) || codes.deletions(code).length > 0,
    isCptKnown: (code) => cpt.isKnown(code),
  });
  const diagnostics: Diagnostic[] = [];
  for (const rule of RULES) {
    const severity = options.severities?.[rule.id] ?? rule.defaultSeverity;
    if (severity === 'off') continue;
    for (const finding of rule.check({ text, mentions, codes, cpt })) {
      diagnostics.push({ ...finding, ruleId: rule.id, severity });
    }
  }
  diagnostics.sort((a, b) => a.start - b.start || a.end - b.end || a.ruleId.localeCompare(b.ruleId));
  return { mentions, diagnostics };
}
