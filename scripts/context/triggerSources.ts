/**
 * Parsers of the NegEx / ConText / pyConTextNLP trigger lists (see ../shared/data/context/README.md) into
 * Calx trigger records. Every record says which file it came from; nothing is invented here.
 */
import {
  CONTEXT_CATEGORIES as CATEGORIES,
  type ContextCategory as Category,
  TRIGGER_ROLES as ROLES,
  type TriggerRecord,
  type TriggerRole as Role,
} from '../../server/src/core/context/schema';
import { expandPattern, NotExpandable } from './expandPattern';

export { CATEGORIES, ROLES, type Category, type Role, type TriggerRecord };

/** A source entry that produced no record, and why. */
export interface SkippedEntry {
  source: string;
  line: number;
  entry: string;
  reason: string;
}

export interface ParsedList {
  records: TriggerRecord[];
  skipped: SkippedEntry[];
}

/**
 * NegEx tags. PREP/POSP ("possible") become `uncertain`; CONJ ends the scope of negation and possibility
 * alike, as in NegEx, which keeps both in one list. ONEW ("one word" triggers of the ConText history list:
 * "s/p", "prior") is read as a pre-trigger: Calx scopes every trigger to its sentence.
 */
const NEGEX_TAGS: Record<string, Array<{ category: Category | 'list'; role: Role }>> = {
  PREN: [{ category: 'list', role: 'pre' }],
  POST: [{ category: 'list', role: 'post' }],
  PREP: [{ category: 'uncertain', role: 'pre' }],
  POSP: [{ category: 'uncertain', role: 'post' }],
  PSEU: [{ category: 'list', role: 'pseudo' }],
  ONEW: [{ category: 'list', role: 'pre' }],
};

/**
 * A NegEx-format list: `phrase<TAB><TAB>[TAG]` per line (CRLF or LF). `category` is the list's own
 * category (negation for the NegEx lists, historical / hypothetical / experiencer for the ConText ones).
 */
export function parseNegexList(text: string, source: string, category: Category): ParsedList {
  const records: TriggerRecord[] = [];
  const skipped: SkippedEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const m = /^(.*?)\s*\[([A-Z]+)\]$/.exec(line);
    if (!m) {
      skipped.push({ source, line: i + 1, entry: line, reason: 'not "phrase<TAB><TAB>[TAG]"' });
      return;
    }
    const phrase = cleanPhrase(m[1]!);
    const tag = m[2]!;
    if (!isPhrase(phrase)) {
      skipped.push({ source, line: i + 1, entry: line, reason: 'not a plain phrase' });
      return;
    }
    if (tag === 'CONJ') {
      // NegEx applies its conjunctions to negation and possibility; ConText lists to their own category.
      const categories: Category[] = category === 'negated' ? ['negated', 'uncertain'] : [category];
      for (const c of categories) records.push({ phrase, category: c, role: 'terminate', source });
      return;
    }
    const mapped = NEGEX_TAGS[tag];
    if (!mapped) {
      skipped.push({ source, line: i + 1, entry: line, reason: `unknown tag [${tag}]` });
      return;
    }
    for (const { category: c, role } of mapped) records.push({ phrase, category: c === 'list' ? category : c, role, source });
  });
  return { records, skipped };
}

/**
 * pyConTextNLP types. PROBABLE_NEGATED_EXISTENCE ("probably not": "denies", "no significant") counts as
 * negated, except the phrases that say a condition is not excluded, which keep it open (see
 * NOT_EXCLUDED). FUTURE and INDICATION ("at risk for", "rule out", "evaluate for") are hypothetical: the
 * finding is a reason or a prospect, not a fact. Existence, acuity and DEFINITE_EXISTENCE types carry no
 * Calx context and are skipped (counted).
 */
const KB_TYPES: Record<string, Category | 'terminate' | 'pseudo-negated'> = {
  DEFINITE_NEGATED_EXISTENCE: 'negated',
  PROBABLE_NEGATED_EXISTENCE: 'negated',
  AMBIVALENT_EXISTENCE: 'uncertain',
  PROBABLE_EXISTENCE: 'uncertain',
  HYPOTHETICAL: 'hypothetical',
  FUTURE: 'hypothetical',
  INDICATION: 'hypothetical',
  HISTORICAL: 'historical',
  FAMILY: 'experiencer',
  PSEUDONEG: 'pseudo-negated',
  CONJ: 'terminate',
};

const KB_DIRECTIONS: Record<string, Role> = {
  forward: 'pre',
  backward: 'post',
  backwards: 'post',
  bidirectional: 'both',
  terminate: 'terminate',
};

/**
 * "cannot be completely excluded", "is not entirely excluded", "might be ruled out": probably-negated in
 * pyConText, but for a coder the condition is still possible (an uncertain diagnosis), not absent.
 */
const NOT_EXCLUDED = /\b(cannot|not)\b.*\b(excluded?|ruled out)\b|\bmight be ruled out\b|^questionable$/;

/** The pyConTextNLP lexical KB: `Lex, Type, Regex, Direction, ...` (tab-separated, header row). */
export function parseLexicalKb(text: string, source: string): ParsedList & { expanded: number } {
  const records: TriggerRecord[] = [];
  const skipped: SkippedEntry[] = [];
  let expanded = 0;
  const lines = text.split(/\r?\n/);
  const header = lines[0]?.split('\t') ?? [];
  const col = (name: string) => {
    const i = header.findIndex((h) => h.trim().toLowerCase() === name);
    if (i < 0) throw new Error(`${source}: no "${name}" column in the header`);
    return i;
  };
  const [lexCol, typeCol, regexCol, dirCol] = [col('lex'), col('type'), col('regex'), col('direction')];
  lines.slice(1).forEach((raw, i) => {
    const lineNo = i + 2;
    if (raw.trim() === '') return;
    const cells = raw.split('\t');
    const lex = (cells[lexCol] ?? '').trim();
    const type = (cells[typeCol] ?? '').trim();
    const regex = (cells[regexCol] ?? '').trim();
    const direction = (cells[dirCol] ?? '').trim().toLowerCase();
    const entry = regex ? `${lex} | ${type} | ${regex} | ${direction}` : `${lex} | ${type} | ${direction}`;
    const skip = (reason: string) => skipped.push({ source, line: lineNo, entry, reason });

    const kind = KB_TYPES[type];
    if (!kind) return skip(`type ${type || '(none)'} carries no Calx context`);
    const role = kind === 'terminate' ? 'terminate' : kind === 'pseudo-negated' ? 'pseudo' : KB_DIRECTIONS[direction];
    if (!role) return skip(`unknown direction "${direction}"`);

    // pyConTextNLP matches the Regex column when it is filled and the Lex otherwise (as a regex too:
    // some lexes are written "(no|nothing) convincing").
    let phrases: string[];
    try {
      phrases = expandPattern(regex || lex).map(cleanPhrase);
    } catch (e) {
      if (e instanceof NotExpandable) return skip(`pattern not expandable (${e.message})`);
      throw e;
    }
    if (phrases.length === 0 || !phrases.every(isPhrase)) return skip('not a plain phrase');
    if (phrases.length > 1 || phrases[0] !== cleanPhrase(lex)) expanded++;

    const categories: Category[] =
      kind === 'terminate' ? [...CATEGORIES] : kind === 'pseudo-negated' ? ['negated'] : [kind];
    for (const phrase of phrases) {
      for (const category of categories) {
        const c = category === 'negated' && type === 'PROBABLE_NEGATED_EXISTENCE' && NOT_EXCLUDED.test(phrase) ? 'uncertain' : category;
        records.push({ phrase, category: c, role, source });
      }
    }
  });
  return { records, skipped, expanded };
}

/** Lower case, single spaces, no surrounding blanks. */
export function cleanPhrase(s: string): string {
  return s.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Words, digits and the punctuation clinical abbreviations use ("r/o", "s/p", "father's", "history, physical"). */
export function isPhrase(s: string): boolean {
  return /^[a-z0-9](?:[a-z0-9 '/.,;&-]*[a-z0-9.;])?$/.test(s) || s === ';';
}
