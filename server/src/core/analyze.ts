/**
 * The analysis facade: one note in, plain findings out. The CLI, the language server and the tests all
 * call this; nothing here knows about LSP or VS Code.
 */
import { TitleStems } from './codes/titleStems';
import { findFindings, type Finding } from './findings/findings';
import { RULES } from './rules';
import type { CalxServices, Diagnostic, SeveritySetting } from './rules/types';
import { applySuppressions, byPosition } from './suppression';
import { scanNote, type ScanCache, type Scanners } from './noteScan';
import type { CodeMention } from './text/codeMentions';
import { buildTextModel, type TextModel } from './text/textModel';

export interface AnalysisOptions {
  /** Severity per rule id; a rule set to "off" does not run. Unknown ids are ignored. */
  severities?: Readonly<Record<string, SeveritySetting>>;
  /**
   * The document's scan cache: paragraphs the last analysis scanned are reused, so an edit rescans only
   * what it touched. The results are the same with or without it. The next analysis with the same cache
   * moves the reused paragraphs' tokens and matches in place, so an analysis made with a cache is good until
   * the next one made with it: keep only the latest.
   */
  cache?: ScanCache;
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

/** One set of scanners per services object, so a document's cache stays valid while the services do. */
const SCANNERS = new WeakMap<CalxServices, Scanners>();

export function scannersOf(services: CalxServices): Scanners {
  let scanners = SCANNERS.get(services);
  if (!scanners) {
    const { codes, cpt, lexicon, anatomy } = services;
    const titleStems = new TitleStems(codes);
    scanners = {
      codes: {
        isIcdKnown: (code) => codes.has(code) || codes.deletions(code).length > 0,
        isCptKnown: (code) => cpt.isKnown(code),
        icdPattern: codes.shapes.pattern,
        titleStems: (code) => titleStems.of(code),
      },
      concepts: lexicon.conceptMatcher,
      etiologies: lexicon.etiologyMatcher,
      sites: anatomy.siteMatcher,
      sides: anatomy.sideMatcher,
      removals: anatomy.removalMatcher,
    };
    SCANNERS.set(services, scanners);
  }
  return scanners;
}

export function analyzeNote(text: string, services: CalxServices, options: AnalysisOptions = {}): NoteAnalysis {
  const scan = scanNote(text, scannersOf(services), options.cache);
  const { mentions } = scan;
  const model = buildTextModel(text, scan);
  const findings = findFindings(model, services, scan);
  const diagnostics: Diagnostic[] = [];
  const context = { ...services, text, model, mentions, findings };
  for (const rule of RULES) {
    const configured = options.severities?.[rule.id];
    if (configured === 'off') continue;
    for (const finding of rule.check(context)) {
      // A rule may lower its own severity for one finding (a historical mention: information at most).
      const severity = configured ?? finding.severity ?? rule.defaultSeverity;
      const { start, end, message, data } = finding;
      diagnostics.push(data === undefined ? { start, end, message, ruleId: rule.id, severity } : { start, end, message, data, ruleId: rule.id, severity });
    }
  }
  diagnostics.sort(byPosition);
  return { model, mentions, findings, diagnostics: applySuppressions(text, diagnostics) };
}
