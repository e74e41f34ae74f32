import type { CodeIndex } from '../codes/codeIndex';
import type { CptCatalog } from '../cpt/cptCatalog';
import type { CodeMention } from '../text/codeMentions';

export type Severity = 'error' | 'warning' | 'information' | 'hint';
/** A severity a user may configure per rule; "off" disables the rule. */
export type SeveritySetting = Severity | 'off';

/** The data every analysis needs: the code set and the CPT catalog, loaded once. */
export interface CalxServices {
  codes: CodeIndex;
  cpt: CptCatalog;
}

/** What a rule sees of one note. */
export interface RuleContext extends CalxServices {
  text: string;
  mentions: readonly CodeMention[];
}

/** A problem a rule found, located by UTF-16 offsets into the note. */
export interface RuleFinding {
  start: number;
  end: number;
  message: string;
  /** What a quick fix needs, carried in the LSP diagnostic's `data` so code actions stay stateless. */
  data?: Record<string, unknown>;
}

export interface Diagnostic extends RuleFinding {
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
