/**
 * The analysis facade: one note in, plain findings out. The CLI, the language server and the tests all
 * call this; nothing here knows about LSP or VS Code.
 */
import { reuseAnalysis, reuseDiagnostics, type KeptAnalysis } from './analysisReuse';
import { TitleStems } from './codes/titleStems';
import { findFindings, newRecord, type Finding, type FindingsRecord } from './findings/findings';
import { RULES } from './rules';
import type { CalxServices, Diagnostic, RuleContext, SeveritySetting } from './rules/types';
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
    const { codes, cpt, lexicon, anatomy, context } = services;
    const titleStems = new TitleStems(codes);
    scanners = {
      codes: {
        isIcdKnown: (code) => codes.has(code) || codes.deletions(code).length > 0,
        isCptKnown: (code) => cpt.isKnown(code),
        icdPattern: codes.shapes.pattern,
        titleStems: (code) => titleStems.of(code),
        replacements: context.codeReplacements,
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

/** Per document (its scan cache), what its last analysis found, for the next one to reuse (analysisReuse.ts). */
const KEPT = new WeakMap<ScanCache, KeptAnalysis>();

export function analyzeNote(text: string, services: CalxServices, options: AnalysisOptions = {}): NoteAnalysis {
  const { cache } = options;
  const scan = scanNote(text, scannersOf(services), cache);
  const { mentions } = scan;
  const model = buildTextModel(text, scan);
  const severities = options.severities ? JSON.stringify(options.severities) : '';
  const kept = cache && KEPT.get(cache);
  const same = kept !== undefined && kept.services === services && kept.severities === severities;
  // An edit the analysis cannot see moves the last analysis; one that leaves the findings as they were, its diagnostics.
  // An edit in sentences with findings that leaves them as they were moves it too, once they are found again.
  const reused = same ? reuseAnalysis(kept, cache!, text, () => model, (only, record) => findFindings(model, services, scan, { only, record })) : undefined;
  // What the findings recorded (their restatement keys, the organs they asked about, those that may take a cause)
  // for the next analysis's partial runs: kept only with a cache.
  const record: FindingsRecord | undefined = reused ? (reused.record ?? kept!.record) : cache ? newRecord() : undefined;
  const findings = reused?.findings ?? findFindings(model, services, scan, { record });
  // Found again or moved, the findings may still need the rules again (a code typed: analysisReuse.ts); found
  // again from the edit on, they may have come out as they were.
  const reusedDiagnostics = reused && !reused.fromEdit ? reused.diagnostics : same ? reuseDiagnostics(kept, cache!, text, findings, reused?.keptFindings) : undefined;
  const diagnostics = reusedDiagnostics ?? runRules({ ...services, text, model, mentions, findings }, options.severities);
  if (cache) {
    // The older version of the text the scan before this one held is no longer needed.
    cache.previousLayout = undefined;
    if (reused?.fromEdit) cache.foundFromEdit++;
    else if (reused && !reused.diagnostics) cache.movedFindings++;
    else if (reused?.refound) cache.refoundAnalyses++;
    else if (reused) cache.reusedAnalyses++;
    else if (reusedDiagnostics) cache.reusedDiagnostics++;
    // Reused findings and diagnostics had their words made their own (analysisReuse.ts): not again.
    // Found again from the edit on, the findings after it are new and share the new text's storage.
    KEPT.set(cache, { generation: cache.generation, services, severities, findings, record: record!, diagnostics, findingsDetached: reused !== undefined && !reused.fromEdit, diagnosticsDetached: reusedDiagnostics !== undefined });
  }
  return { model, mentions, findings, diagnostics: applySuppressions(text, diagnostics, scan.suppressions) };
}

/** Every rule that is not off, over the note; in text order, before suppressions. */
function runRules(context: RuleContext, severities: AnalysisOptions['severities']): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const rule of RULES) {
    const configured = severities?.[rule.id];
    if (configured === 'off') continue;
    for (const finding of rule.check(context)) {
      // A rule may lower its own severity for one finding (a historical mention: information at most).
      const severity = configured ?? finding.severity ?? rule.defaultSeverity;
      const { start, end, message, data } = finding;
      diagnostics.push(data === undefined ? { start, end, message, ruleId: rule.id, severity } : { start, end, message, data, ruleId: rule.id, severity });
    }
  }
  diagnostics.sort(byPosition);
  return diagnostics;
}
