/**
 * Compliant provider queries (AHIMA/ACDIS "Guidelines for Achieving a Compliant Query Practice", 2022):
 * the query quotes this note's clinical indicators with their line numbers, asks an open question, offers
 * clinically reasonable options drawn from the code family plus "Other (please specify)" and "Clinically
 * undetermined", and never mentions payment, reimbursement or quality scores.
 */
import type { NoteAnalysis } from './analyze';
import type { Finding, MissingAttribute } from './findings/findings';
import type { CalxServices } from './rules/types';

const QUESTION: Record<MissingAttribute, (what: string) => string> = {
  site: (what) => `Based on your clinical judgment, can the anatomic site of the ${what} be further specified?`,
  laterality: (what) => `Based on your clinical judgment, can the side (laterality) of the ${what} be further specified?`,
  etiology: (what) => `Based on your clinical judgment, can the cause (etiology) of the ${what} be further specified?`,
  detail: (what) => `Based on your clinical judgment, can the ${what} be further specified?`,
};

/** The indicators: the finding's sentence, and the sentences that document its site, side or candidate causes. */
function indicators(f: Finding, missing: MissingAttribute, analysis: NoteAnalysis, services: CalxServices): string[] {
  const { model } = analysis;
  const text = model.text;
  const chosen = new Set<number>([f.sentence]);
  const sentenceOf = (offset: number) => model.sentences.findIndex((s) => s.start <= offset && offset < s.end);
  for (const e of [f.site, f.laterality, ...f.etiologies]) if (e) chosen.add(sentenceOf(e.start));
  // The sentences that document a cause the etiology query offers.
  if (missing === 'etiology') for (const c of causesInRecord(f, analysis, services)) chosen.add(sentenceOf(c.start));
  // Other mentions of the same site (an imaging report's side, an exam finding).
  if (f.site) {
    const siteId = f.site.value;
    for (const m of services.anatomy.siteMatcher.match(text, model.tokens)) {
      if (m.value === siteId) chosen.add(sentenceOf(m.start));
    }
  }
  return [...chosen]
    .filter((i) => i >= 0 && !model.sentences[i]!.header)
    .sort((a, b) => a - b)
    .slice(0, 6)
    .map((i) => {
      const s = model.sentences[i]!;
      const section = model.sections[s.section]!;
      const where = section.title ? ` (${section.title})` : '';
      return `- Line ${model.lineOf(s.start)}: "${text.slice(s.start, s.end).replace(/\s+/g, ' ')}"${where}`;
    });
}

/**
 * The causes the record documents for an etiology query: the finding's own evidence, then every cause named
 * in the note (a crush injury in the history for a calcification of the thigh muscle), each once.
 */
function causesInRecord(f: Finding, analysis: NoteAnalysis, services: CalxServices): Array<{ value: string; start: number }> {
  const seen = new Set<string>();
  const all = [...f.etiologies, ...services.lexicon.etiologyMatcher.match(analysis.model.text, analysis.model.tokens)];
  return all.filter((m) => !seen.has(m.value) && seen.add(m.value)).map((m) => ({ value: m.value, start: m.start }));
}

/** Clinically reasonable options for the missing attribute, from the record, the code family and the lexicon. */
function options(f: Finding, missing: MissingAttribute, optionCodes: string[], analysis: NoteAnalysis, services: CalxServices): string[] {
  const { codes, lexicon } = services;
  if (missing === 'etiology') {
    const concept = lexicon.concepts.get(f.conceptId);
    // The causes the record documents come first (a trauma in the history for a muscle calcification): they are
    // what the indicators support; then the causes that change the family, then those sequenced first.
    const ids = new Set([...causesInRecord(f, analysis, services).map((m) => m.value), ...(concept?.codeFamilies.flatMap((r) => r.etiologies ?? []) ?? [])]);
    const first = concept?.sequencing?.codeFirst ?? [];
    for (const e of lexicon.etiologies.values()) {
      if (e.codes.some((c) => first.some((x) => c.startsWith(x.replace(/-$/, '')) || x.startsWith(c)))) ids.add(e.id);
    }
    return [...ids].map((id) => lexicon.etiologies.get(id)?.preferred ?? id).slice(0, 8);
  }
  const titles = optionCodes.map((c) => codes.get(c)?.title).filter((t): t is string => t !== undefined);
  if (missing === 'site' || missing === 'detail') {
    // One option per choice, in the official titles' words ("thigh", "with obstruction").
    const choices = f.coding.missing.find((m) => m.attribute === missing)?.choices ?? [];
    return [...new Set(choices.length ? choices : titles)].slice(0, 10);
  }
  const out = titles.slice(0, 6);
  const right = titles.find((t) => /\bright\b/i.test(t));
  const left = titles.find((t) => /\bleft\b/i.test(t));
  if (right && left && !titles.some((t) => /bilateral/i.test(t))) out.push('Both sides (right and left)');
  return out;
}

/** The query text for one finding and one missing attribute: a draft the user sends (never inserted by itself). */
export function providerQuery(
  f: Finding,
  missing: MissingAttribute,
  optionCodes: string[],
  analysis: NoteAnalysis,
  services: CalxServices,
): string {
  const what = f.preferred.toLowerCase();
  const lines = [
    `[Provider query (draft by Calx; review before sending)]`,
    `Clinical indicators in this record:`,
    ...indicators(f, missing, analysis, services),
    QUESTION[missing](what),
    ...options(f, missing, optionCodes, analysis, services).map((o) => `[ ] ${o}`),
    '[ ] Other (please specify): ____',
    '[ ] Clinically undetermined',
    `[End of query]`,
  ];
  return lines.join('\n');
}
