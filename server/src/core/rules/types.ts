import type { Anatomy } from '../attributes/anatomy';
import type { AlphabeticIndex } from '../codes/alphabeticIndex';
import type { CodeIndex } from '../codes/codeIndex';
import type { ContextLexicon } from '../context/contextDetector';
import type { CptCatalog } from '../cpt/cptCatalog';
import type { Finding } from '../findings/findings';
import type { Lexicon } from '../lexicon/lexicon';
import type { CodeMention } from '../text/codeMentions';
import type { TextModel } from '../text/textModel';

export type Severity = 'error' | 'warning' | 'information' | 'hint';
/** A severity a user may configure per rule; "off" disables the rule. */
export type SeveritySetting = Severity | 'off';

/** The data every analysis needs, loaded once: code set, CPT catalog, lexicon, anatomy, context triggers. */
export interface CalxServices {
  codes: CodeIndex;
  cpt: CptCatalog;
  lexicon: Lexicon;
  anatomy: Anatomy;
  context: ContextLexicon;
  /** The alphabetic index, loaded on first use (search and completion need it; diagnostics do not). */
  alphabeticIndex(): AlphabeticIndex;
  /**
   * Loads the alphabetic index until `performance.now()` passes `deadline` (see Sliced), for a server that
   * loads it between requests; call again to go on. True once it is loaded.
   */
  warmAlphabeticIndex(deadline: number): boolean;
}

/** What a rule sees of one note. */
export interface RuleContext extends CalxServices {
  text: string;
  model: TextModel;
  mentions: readonly CodeMention[];
  findings: readonly Finding[];
}

/** A problem a rule found, located by UTF-16 offsets into the note. */
export interface RuleFinding {
  start: number;
  end: number;
  message: string;
  /** What a quick fix needs, carried in the LSP diagnostic's `data` so code actions stay stateless. */
  data?: Record<string, unknown>;
  /** The rule's own severity for this finding when it differs from its default (a configured one wins). */
  severity?: Severity;
}

export interface Diagnostic extends Omit<RuleFinding, 'severity'> {
  /** The rule's stable id, the LSP diagnostic's `code`, what users configure and suppress. */
  ruleId: string;
  severity: Severity;
}

/** One rule per file, in the registry of rules/index.ts. */
export interface Rule {
  /** Stable id (kebab-case), never renamed: users' settings and suppressions name it. */
  id: string;
  /** One sentence for settings and documentation. */
  description: string;
  defaultSeverity: Severity;
  check(ctx: RuleContext): RuleFinding[];
}
