/**
 * Accuracy of Calx on the development corpus (issue 16): synthetic notes in real report styles
 * (test/corpus/notes) with gold annotations written by hand (test/corpus/gold), never produced by Calx.
 *
 *   npm run eval            the table, the per-class breakdown and every miss / false alarm (file:line)
 *   npm run eval -- --json  the measures as JSON
 *
 * It is a report: it always exits 0. test/unit/corpus.test.ts runs the same evaluation and holds floors.
 * The corpus is synthetic (no PHI), so printing its words is allowed here; never run this on real notes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { analyzeNote } from '../server/src/core/analyze';
import type { Anatomy } from '../server/src/core/attributes/anatomy';
import type { Finding } from '../server/src/core/findings/findings';
import { loadServices } from '../server/src/core/loadServices';
import type { CalxServices, Diagnostic } from '../server/src/core/rules/types';

export const CORPUS_DIR = join(__dirname, '..', 'test', 'corpus');

const span = { text: z.string().min(1), start: z.number().int().nonnegative(), end: z.number().int().positive() };

export const goldMentionSchema = z.strictObject({
  ...span,
  /** A lexicon concept id, or "other:<words>" for a concept the lexicon lacks. */
  concept: z.string().min(1),
  negated: z.boolean(),
  context: z.enum(['historical', 'hypothetical', 'uncertain', 'experiencer']).nullable(),
  /** An anatomy id of data/lexicon/anatomy.json, or "other:<words>" when the vocabulary lacks the site; null: none documented. */
  site: z.string().min(1).nullable(),
  /** The documented side; "none": the note documents no side for it; null: not scored. */
  side: z.enum(['right', 'left', 'bilateral', 'none']).nullable(),
  /** The ICD-10-CM code a coder would assign, when clear. */
  code: z.string().nullable(),
  /** Failure classes of issue 16 this mention exercises. */
  tags: z.array(z.string().min(1)).optional(),
});

export const goldNoteSchema = z.strictObject({
  note: z.string().regex(/^[a-z0-9-]+\.txt$/),
  style: z.string().min(1),
  mentions: z.array(goldMentionSchema),
  /** Codes truly written in the note (ICD-10-CM or CPT). */
  codes: z.array(z.strictObject({ ...span, system: z.enum(['icd10cm', 'cpt']) })),
});

export type GoldNote = z.infer<typeof goldNoteSchema>;
export type GoldMention = z.infer<typeof goldMentionSchema>;

export interface CorpusNote {
  name: string;
  text: string;
  gold: GoldNote;
}

/** Reads and validates the corpus; a gold span outside its note or not equal to the note's words is an error. */
export function loadCorpus(dir = CORPUS_DIR): CorpusNote[] {
  const notes: CorpusNote[] = [];
  for (const file of readdirSync(join(dir, 'notes')).filter((f) => f.endsWith('.txt')).sort()) {
    const text = readFileSync(join(dir, 'notes', file), 'utf8');
    const goldPath = join(dir, 'gold', file.replace(/\.txt$/, '.json'));
    const parsed = goldNoteSchema.safeParse(JSON.parse(readFileSync(goldPath, 'utf8')));
    if (!parsed.success) throw new Error(`${goldPath}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const gold = parsed.data;
    if (gold.note !== file) throw new Error(`${goldPath}: names note ${gold.note}, expected ${file}`);
    for (const s of [...gold.mentions, ...gold.codes]) {
      if (s.end > text.length || s.start >= s.end) throw new Error(`${goldPath}: span ${s.start}-${s.end} outside the note`);
      if (text.slice(s.start, s.end) !== s.text) throw new Error(`${goldPath}: span ${s.start}-${s.end} is not "${s.text}"`);
    }
    notes.push({ name: file, text, gold });
  }
  return notes;
}

export interface Rate {
  hit: number;
  total: number;
}
const rate = (r: Rate): number => (r.total === 0 ? 1 : r.hit / r.total);

export interface Issue {
  kind: 'miss' | 'false-positive' | 'negation' | 'context' | 'site' | 'side' | 'side-false' | 'code' | 'false-code-match' | 'warning';
  file: string;
  line: number;
  span: string;
  detail: string;
  tags: string[];
}

export interface CorpusMeasures {
  notes: number;
  goldMentions: number;
  recall: Rate;
  precision: Rate;
  negation: Rate;
  context: Rate;
  /** Site read from Calx's site evidence, as the brief of issue 16 defines it. */
  site: Rate;
  /** The same, or with no evidence the organ the concept's name fixes ("gallstones"). */
  siteOrOrgan: Rate;
  side: Rate;
  /** Gold side "none" (no side documented) where Calx gives none. */
  noSide: Rate;
  code: Rate;
  falseCodeMatches: number;
  writtenCodes: number;
  warnings: number;
  /** Per failure class (gold tags): mentions of the class and how many were read right on every scored field. */
  classes: Record<string, Rate>;
  issues: Issue[];
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }): boolean => a.start < b.end && b.start < a.end;

/**
 * The organ a concept's own name fixes ("gallstones": gallbladder), written for this evaluation: the second site
 * measure counts it as read when Calx records no site evidence for the finding.
 */
const CONCEPT_ORGAN: Readonly<Record<string, string>> = {
  'aortic-calcification': 'aorta', 'aortic-atherosclerosis': 'aorta', 'calcific-aortitis': 'aorta',
  'coronary-artery-calcification': 'coronary-artery', 'calcified-coronary-lesion': 'coronary-artery',
  'aortic-valve-calcification': 'aortic-valve', 'calcific-aortic-stenosis': 'aortic-valve',
  'mitral-annular-calcification': 'mitral-valve', 'mitral-valve-calcification': 'mitral-valve',
  'myocardial-calcification': 'heart', 'pericardial-calcification': 'pericardium',
  'intracranial-calcification': 'brain', 'basal-ganglia-calcification': 'basal-ganglia', 'pineal-calcification': 'pineal-gland',
  'pulmonary-calcification': 'lung', 'calcified-pulmonary-nodule': 'lung', 'calcified-lymph-node': 'lymph-node',
  'breast-calcification': 'breast', 'breast-microcalcification': 'breast',
  nephrocalcinosis: 'kidney', 'renal-calcification': 'kidney', 'renal-calculus': 'kidney',
  'ureteral-calculus': 'ureter', 'ureteral-calcification': 'ureter', 'bladder-calculus': 'bladder', 'bladder-calcification': 'bladder',
  'prostatic-calculus': 'prostate', 'bile-duct-calculus': 'bile-duct', 'gallbladder-calculus': 'gallbladder',
  'porcelain-gallbladder': 'gallbladder', 'salivary-calculus': 'salivary-gland', 'pancreatic-calcification': 'pancreas',
  'splenic-calcification': 'spleen', 'adrenal-calcification': 'adrenal', phlebolith: 'vein',
  'calcific-tendinitis-of-shoulder': 'shoulder', 'intervertebral-disc-calcification': 'vertebrae',
  'ossification-of-posterior-longitudinal-ligament': 'vertebrae', 'calcinosis-cutis': 'skin', 'pellegrini-stieda': 'knee',
};

/** A free-text gold site ("other:tympanic membrane") is read when Calx's site evidence names the same words. */
/** Calx's site is read when it is the gold one or a region of it (the lumbar spine for "vertebrae"). */
function siteRead(text: string, f: Finding, gold: string, orNamedOrgan: boolean, anatomy: Anatomy): boolean {
  if (f.site) {
    if (anatomy.within(f.site.value, gold)) return true;
    if (!gold.startsWith('other:')) return false;
    const words = text.slice(f.site.start, f.site.end).toLowerCase();
    return gold.slice('other:'.length).toLowerCase() === words;
  }
  return orNamedOrgan && CONCEPT_ORGAN[f.conceptId] === gold;
}

function calxSide(f: Finding): string {
  return f.laterality?.value ?? 'none';
}

/** Pairs gold and found mentions one to one: spans overlap, the largest overlap first, in text order. */
function pair(gold: readonly GoldMention[], found: readonly Finding[]): Map<GoldMention, Finding> {
  const candidates: Array<{ g: GoldMention; f: Finding; shared: number }> = [];
  for (const g of gold) for (const f of found) if (overlaps(g, f)) candidates.push({ g, f, shared: Math.min(g.end, f.end) - Math.max(g.start, f.start) });
  candidates.sort((a, b) => b.shared - a.shared || a.g.start - b.g.start);
  const pairs = new Map<GoldMention, Finding>();
  const used = new Set<Finding>();
  for (const { g, f } of candidates) {
    if (pairs.has(g) || used.has(f)) continue;
    pairs.set(g, f);
    used.add(f);
  }
  return pairs;
}

function calxContext(f: Finding): string | null {
  const c = f.context;
  return c.experiencer ? 'experiencer' : c.hypothetical ? 'hypothetical' : c.historical ? 'historical' : c.uncertain ? 'uncertain' : null;
}

export function evaluateCorpus(services: CalxServices, notes: readonly CorpusNote[] = loadCorpus()): CorpusMeasures {
  const m: CorpusMeasures = {
    notes: notes.length,
    goldMentions: 0,
    recall: { hit: 0, total: 0 },
    precision: { hit: 0, total: 0 },
    negation: { hit: 0, total: 0 },
    context: { hit: 0, total: 0 },
    site: { hit: 0, total: 0 },
    siteOrOrgan: { hit: 0, total: 0 },
    side: { hit: 0, total: 0 },
    noSide: { hit: 0, total: 0 },
    code: { hit: 0, total: 0 },
    falseCodeMatches: 0,
    writtenCodes: 0,
    warnings: 0,
    classes: {},
    issues: [],
  };
  for (const { name, text, gold } of notes) {
    const analysis = analyzeNote(text, services);
    const found = analysis.findings;
    const pairs = pair(gold.mentions, found);
    const issue = (kind: Issue['kind'], at: { start: number; end: number }, detail: string, tags: string[] = []): void => {
      m.issues.push({ kind, file: name, line: lineOf(text, at.start), span: text.slice(at.start, at.end), detail, tags });
    };
    m.goldMentions += gold.mentions.length;
    m.writtenCodes += gold.codes.length;
    for (const g of gold.mentions) {
      const tags = g.tags ?? [];
      const f = pairs.get(g);
      m.recall.total++;
      let right = f !== undefined;
      if (!f) {
        issue('miss', g, `not found (gold ${g.concept}${g.negated ? ', negated' : ''})`, tags);
      } else {
        m.recall.hit++;
        m.negation.total++;
        if (Boolean(f.context.negated) === g.negated) m.negation.hit++;
        else {
          right = false;
          issue('negation', g, `gold ${g.negated ? 'negated' : 'affirmed'}, Calx ${f.context.negated ? 'negated' : 'affirmed'}`, tags);
        }
        m.context.total++;
        if (calxContext(f) === g.context) m.context.hit++;
        else {
          right = false;
          issue('context', g, `gold context ${g.context ?? 'none'}, Calx ${calxContext(f) ?? 'none'}`, tags);
        }
        if (g.site !== null) {
          m.site.total++;
          m.siteOrOrgan.total++;
          if (siteRead(text, f, g.site, true, services.anatomy)) m.siteOrOrgan.hit++;
          if (siteRead(text, f, g.site, false, services.anatomy)) m.site.hit++;
          else {
            right = false;
            const implied = !f.site && CONCEPT_ORGAN[f.conceptId] === g.site ? ' (its concept names the organ)' : '';
            issue('site', g, `gold site ${g.site}, Calx ${f.site?.value ?? 'none'}${implied}`, tags);
          }
        }
        if (g.side === 'none') {
          m.noSide.total++;
          if (calxSide(f) === 'none') m.noSide.hit++;
          else {
            right = false;
            issue('side-false', g, `no side documented, Calx ${calxSide(f)} from "${text.slice(f.laterality!.start, f.laterality!.end)}"`, tags);
          }
        } else if (g.side !== null) {
          m.side.total++;
          if (calxSide(f) === g.side) m.side.hit++;
          else {
            right = false;
            issue('side', g, `gold side ${g.side}, Calx ${calxSide(f)}`, tags);
          }
        }
        if (g.code !== null) {
          m.code.total++;
          // The code Calx gives as documented: its first suggestion, else the family's unspecified code.
          const top = f.coding.suggested[0] ?? f.coding.unspecified;
          if (top === g.code) m.code.hit++;
          else {
            right = false;
            issue('code', g, `gold code ${g.code}, Calx ${top ?? 'none'}`, tags);
          }
        }
      }
      for (const tag of tags) {
        const r = (m.classes[tag] ??= { hit: 0, total: 0 });
        r.total++;
        if (right) r.hit++;
      }
    }
    const matched = new Set(pairs.values());
    for (const f of found) {
      m.precision.total++;
      if (matched.has(f) || gold.mentions.some((g) => overlaps(g, f))) m.precision.hit++;
      else issue('false-positive', f, `Calx ${f.conceptId}${f.context.negated ? ' (negated)' : ''} is no gold mention`);
    }
    for (const d of analysis.diagnostics) falseCodeOrWarning(m, d, gold, issue);
  }
  return m;
}

function falseCodeOrWarning(m: CorpusMeasures, d: Diagnostic, gold: GoldNote, issue: (kind: Issue['kind'], at: Diagnostic, detail: string) => void): void {
  if (d.severity === 'error') {
    if (!gold.codes.some((c) => overlaps(c, d))) {
      m.falseCodeMatches++;
      issue('false-code-match', d, `${d.ruleId}: error on words that are no written code`);
    }
  } else if (d.severity === 'warning') {
    m.warnings++;
    issue('warning', d, `${d.ruleId}: ${d.message}`);
  }
}

const pct = (r: Rate): string => `${rate(r).toFixed(3)} (${r.hit}/${r.total})`;

export function formatReport(m: CorpusMeasures, details = true): string {
  const lines: string[] = [];
  lines.push(`Calx on the development corpus: ${m.notes} notes, ${m.goldMentions} gold mentions, ${m.writtenCodes} written codes`, '');
  lines.push('| measure | value |', '|---|---|');
  lines.push(`| calcification mentions found (recall) | ${pct(m.recall)} |`);
  lines.push(`| precision | ${pct(m.precision)} |`);
  lines.push(`| negation accuracy on matched mentions | ${pct(m.negation)} |`);
  lines.push(`| other context (historical/hypothetical/uncertain/experiencer) on matched mentions | ${pct(m.context)} |`);
  lines.push(`| site read when the note documents one (Calx's site evidence) | ${pct(m.site)} |`);
  lines.push(`| site read, counting the organ a concept's name fixes ("gallstones") | ${pct(m.siteOrOrgan)} |`);
  lines.push(`| side right when the note documents one | ${pct(m.side)} |`);
  lines.push(`| no side given when the note documents none | ${pct(m.noSide)} |`);
  lines.push(`| top-1 code when gold has a code | ${pct(m.code)} |`);
  lines.push(`| error diagnostics that are false code matches | ${m.falseCodeMatches} |`);
  lines.push(`| warnings (each a possible false alarm) | ${m.warnings} |`, '');
  lines.push('Per failure class (mentions read right on every scored field / mentions of the class):');
  for (const [tag, r] of Object.entries(m.classes).sort((a, b) => a[0].localeCompare(b[0]))) lines.push(`  ${tag.padEnd(28)} ${pct(r)}`);
  const kinds = new Map<string, number>();
  for (const i of m.issues) if (i.kind !== 'warning') kinds.set(i.kind, (kinds.get(i.kind) ?? 0) + 1);
  lines.push('', 'Errors by kind: ' + [...kinds].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', '));
  if (details) {
    lines.push('', 'Misses, false positives and wrong attributes (file:line  kind  "span"  what differed):');
    for (const i of m.issues) lines.push(`  ${i.file}:${i.line}  ${i.kind}  "${i.span}"  ${i.detail}${i.tags.length ? `  [${i.tags.join(',')}]` : ''}`);
  }
  return lines.join('\n');
}

export function measuresJson(m: CorpusMeasures): Record<string, number> {
  return {
    notes: m.notes,
    goldMentions: m.goldMentions,
    recall: rate(m.recall),
    precision: rate(m.precision),
    negation: rate(m.negation),
    context: rate(m.context),
    site: rate(m.site),
    siteOrOrgan: rate(m.siteOrOrgan),
    side: rate(m.side),
    noSide: rate(m.noSide),
    code: rate(m.code),
    falseCodeMatches: m.falseCodeMatches,
    warnings: m.warnings,
  };
}

if (require.main === module) {
  try {
    const m = evaluateCorpus(loadServices(join(__dirname, '..', 'data')));
    console.log(process.argv.includes('--json') ? JSON.stringify(measuresJson(m), null, 1) : formatReport(m));
  } catch (e) {
    console.error(`eval-corpus: ${e instanceof Error ? e.message : String(e)}`);
  }
  process.exitCode = 0;
}
