/**
 * npm run eval:negex -- <kit file> [--errors]
 *
 * Negation on the NegEx / ConText test kit (Chapman et al.: annotated sentences, each with the concept it is
 * about and whether that concept is "Negated", "Affirmed" or "Possible"). The kit is third-party text and is
 * never committed or downloaded here: give the path of a copy (a tab-separated file, `rsAnnotations-1-120-random.txt`
 * or `Annotations-1-120.txt` of the NegEx distribution).
 *
 * Each row's concept becomes a custom term (a concept of a custom term file, as `calx.terms.file` loads one;
 * alone in its lexicon, so no longer term hides it), each sentence is analysed as a note, and the finding of
 * the row's concept gives Calx's answer: negated or not. A concept Calx does not find counts as not negated. Prints precision,
 * recall and F1 of "Negated", accuracy, and the confusion counts; `--errors` also lists the row numbers
 * that differ (never the sentences: the kit is clinical text).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeNote } from '../server/src/core/analyze';
import { Lexicon } from '../server/src/core/lexicon/lexicon';
import { parseLexicon } from '../server/src/core/lexicon/loadLexicon';
import { LEXICON_LIMITS, normalizePhrase } from '../server/src/core/lexicon/schema';
import { loadServices } from '../server/src/core/loadServices';
import { tokenize } from '../server/src/core/text/tokens';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface KitRow {
  /** 1-based line of the row in the kit file (the header is line 1). */
  line: number;
  concept: string;
  sentence: string;
  negated: boolean;
}

/** Splits one tab-separated line; a field wrapped in double quotes may hold tabs and doubled quotes. */
function splitTsv(line: string): string[] {
  return line.split('\t').map((f) => (f.length >= 2 && f.startsWith('"') && f.endsWith('"') ? f.slice(1, -1).replace(/""/g, '"') : f));
}

/** The kit's rows: the header names the concept, sentence and negation columns (either file of the kit). */
export function parseKit(text: string): KitRow[] {
  const lines = text.split(/\r?\n/);
  const header = splitTsv(lines[0] ?? '').map((h) => h.trim().toLowerCase());
  const col = (test: (h: string) => boolean, what: string): number => {
    const i = header.findIndex(test);
    if (i < 0) throw new Error(`the kit's header has no ${what} column`);
    return i;
  };
  const concept = col((h) => h === 'concept' || h === 'condition', 'concept');
  const sentence = col((h) => h === 'sentence', 'sentence');
  const negation = col((h) => h.startsWith('negation'), 'negation');
  const rows: KitRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i]!.trim() === '') continue;
    const f = splitTsv(lines[i]!);
    const status = (f[negation] ?? '').trim().toLowerCase();
    if (!f[concept]?.trim() || !f[sentence]?.trim() || !status) throw new Error(`kit line ${i + 1}: expected concept, sentence and negation status`);
    rows.push({ line: i + 1, concept: f[concept]!.trim(), sentence: f[sentence]!, negated: status === 'negated' });
  }
  return rows;
}

/**
 * The phrase a kit concept is matched by: a plain phrase as a term file takes it (its words, the punctuation
 * a term may not hold read as spaces), cut to the lexicon's limits (a few kit "concepts" are whole clauses);
 * undefined when nothing of it is left.
 */
export function conceptPhrase(concept: string): string | undefined {
  const text = concept.replace(/[^\p{L}\p{N}\s'-]+/gu, ' ').replace(/\s+/g, ' ').trim();
  const tokens = tokenize(text);
  let end = Math.min(tokens.length, LEXICON_LIMITS.phraseTokens);
  while (end > 0 && (tokens.end(end - 1) > LEXICON_LIMITS.phraseLength || tokens.isPunct(end - 1))) end--;
  return end > 0 ? text.slice(0, tokens.end(end - 1)).toLowerCase() : undefined;
}

export interface KitResult {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  /** Rows whose concept Calx did not find in the sentence (counted as not negated). */
  notFound: number;
  /** Lines of the rows Calx got wrong. */
  wrong: number[];
}

export function evaluateKit(rows: readonly KitRow[], dataDir = `${ROOT}/data`): KitResult {
  // Each concept is the only custom term of its own lexicon: another kit concept or a shipped term that
  // contains it ("alcohol use" around "alcohol") would otherwise hide it behind the longer match.
  const keyOf = (p: string) => normalizePhrase(p).replace(/[\s-]+/g, '');
  const byKey = new Map<string, { phrase: string; rows: KitRow[] }>();
  const result: KitResult = { tp: 0, fp: 0, fn: 0, tn: 0, notFound: 0, wrong: [] };
  const services = loadServices(dataDir);
  const answers = new Map<KitRow, boolean | undefined>();
  for (const r of rows) {
    const phrase = conceptPhrase(r.concept);
    if (phrase === undefined) {
      answers.set(r, undefined);
      continue;
    }
    const group = byKey.get(keyOf(phrase)) ?? { phrase, rows: [] };
    group.rows.push(r);
    byKey.set(keyOf(phrase), group);
  }
  for (const { phrase, rows: group } of byKey.values()) {
    const file = parseLexicon(
      {
        schemaVersion: 1,
        name: 'NegEx test kit concept',
        description: 'Built by scripts/eval-negex.ts from the kit file given on the command line.',
        concepts: [{ id: 'kit-concept', preferred: phrase, variants: [phrase], category: 'other', definition: 'A concept of the NegEx test kit.' }],
      },
      'negex-kit',
    );
    const withKit = { ...services, lexicon: new Lexicon([{ name: 'negex-kit', file }]) };
    for (const row of group) {
      const found = analyzeNote(row.sentence, withKit).findings;
      // The kit writes its concept in capitals inside the sentence: prefer that occurrence, and not a label ("ALLERGIES:").
      const marked = found.filter((f) => {
        const text = row.sentence.slice(f.start, f.end);
        return text === text.toUpperCase() && !/^\s*:/.test(row.sentence.slice(f.end));
      });
      const finding = marked[0] ?? found[0];
      answers.set(row, finding ? Boolean(finding.context.negated) : undefined);
    }
  }
  for (const row of rows) {
    const answer = answers.get(row);
    if (answer === undefined) result.notFound++;
    const negated = answer === true;
    if (negated && row.negated) result.tp++;
    else if (negated) result.fp++;
    else if (row.negated) result.fn++;
    else result.tn++;
    if (negated !== row.negated) result.wrong.push(row.line);
  }
  return result;
}

export function formatKitResult(r: KitResult): string {
  const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
  const precision = ratio(r.tp, r.tp + r.fp);
  const recall = ratio(r.tp, r.tp + r.fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const total = r.tp + r.fp + r.fn + r.tn;
  return [
    `NegEx test kit: ${total} annotated sentences, ${r.tp + r.fn} negated (${r.notFound} concepts not found, counted as not negated)`,
    '',
    '| measure | value |',
    '|---|---|',
    `| precision of "Negated" | ${precision.toFixed(3)} (${r.tp}/${r.tp + r.fp}) |`,
    `| recall of "Negated" | ${recall.toFixed(3)} (${r.tp}/${r.tp + r.fn}) |`,
    `| F1 of "Negated" | ${f1.toFixed(3)} |`,
    `| accuracy | ${ratio(r.tp + r.tn, total).toFixed(3)} (${r.tp + r.tn}/${total}) |`,
    '',
    `confusion: true negated ${r.tp}, false negated ${r.fp}, missed negated ${r.fn}, true not negated ${r.tn}`,
  ].join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--'));
  if (!file) {
    console.error('usage: npm run eval:negex -- <kit file> [--errors]   (the NegEx test kit, e.g. rsAnnotations-1-120-random.txt; it is not shipped)');
    process.exit(2);
  }
  if (!existsSync(file)) {
    console.error(`eval:negex: no kit file at ${file}. Give the path of a copy of the NegEx test kit (it is not shipped with Calx).`);
    process.exit(2);
  }
  try {
    const result = evaluateKit(parseKit(readFileSync(file, 'utf8')));
    console.log(formatKitResult(result));
    if (args.includes('--errors')) console.log(`\nrows read wrong (kit lines): ${result.wrong.join(' ')}`);
  } catch (e) {
    console.error(`eval:negex failed: ${(e as Error).message}`);
    process.exit(1);
  }
}
