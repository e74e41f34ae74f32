/**
 * The analysis facade: one note in, plain findings out. The CLI, the language server and the tests all
 * call this; nothing here knows about LSP or VS Code.
 */
import { findFindings, type Finding } from './findings/findings';
import { RULES } from './rules';
import type { CalxServices, Diagnostic, SeveritySetting } from './rules/types';
import { applySuppressions } from './suppression';
import { findCodeMentions, type CodeMention } from './text/codeMentions';
import { buildTextModel, type TextModel } from './text/textModel';

export interface AnalysisOptions {
  /** Severity per rule id; a rule set to "off" does not run. Unknown ids are ignored. */
  severities?: Readonly<Record<string, SeveritySetting>>;
}

export interface NoteAnalysis {
  /** Tokens, sentences and sections of the note. */
  model: TextModel;
  /** Codes written in the note, in text order. */
  mentions: CodeMention[];
  /** Lexicon concepts found, with context, attributes and code suggestions, in text order. */
  findings: Finding[];
  /** Problems found, in text order. */
  diagnostics: Diagnostic[];
}

export function analyzeNote(text: string, services: CalxServices, options: AnalysisOptions = {}): NoteAnalysis {
  const { codes, cpt } = services;
  const mentions = findCodeMentions(text, {
    isIcdKnown: (code) => codes.has(code) || codes.deletions(code).length > 0,
    isCptKnown: (code) => cpt.isKnown(code),
  });
  const model = buildTextModel(text);
  const findings = findFindings(model, services);
  const diagnostics: Diagnostic[] = [];
  for (const rule of RULES) {
    const configured = options.severities?.[rule.id];
    if (configured === 'off') continue;
    for (const finding of rule.check({ ...services, text, model, mentions, findings })) {
      // A rule may lower its own severity for one finding (a historical mention: information at most).
      const severity = configured ?? finding.severity ?? rule.defaultSeverity;
      const { severity: _own, ...rest } = finding;
      diagnostics.push({ ...rest, ruleId: rule.id, severity });
    }
  }
  diagnostics.sort((a, b) => a.start - b.start || a.end - b.end || a.ruleId.localeCompare(b.ruleId));
  return { model, mentions, findings, diagnostics: applySuppressions(text, diagnostics) };
}
