/**
 * npm run data:coverage
 *
 * Writes data/lexicon/index-coverage.json from the committed ICD-10-CM data (data/icd10cm/index.json, the
 * FY2023 alphabetic index; codes.tsv, the FY2027 codes and tabular titles) and the hand-written anatomy and
 * lexicon: every subterm path under the calcification family's main terms with its code, the anatomy site
 * each subterm names, and the body parts the anatomy lacks as generated sites. Deterministic (index order,
 * no timestamps), so a test rebuilds it and compares bytes.
 *
 * A subterm names a body part when the anatomy already knows its words, or when its words are a body part by
 * the official data: named in the tabular title of its code or a code above it ("sclera": H15.89 "Other
 * disorders of sclera"), or a main term of the index that only sends the coder on ("Trachea -- see condition").
 * Any other subterm is a type ("metastatic", "familial"); places under a type ("Chondrocalcinosis, familial,
 * knee") and within a tissue ("Calcification, bursa, ankle") are listed with their own codes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAnatomy, type Anatomy } from '../server/src/core/attributes/anatomy';
import { indexCoverageFileSchema, type IndexCoverageFile } from '../server/src/core/attributes/indexCoverage';
import type { AlphabeticIndex } from '../server/src/core/codes/alphabeticIndex';
import type { CodeIndex } from '../server/src/core/codes/codeIndex';
import { loadAlphabeticIndex, loadCodeIndex } from '../server/src/core/codes/loadCodeData';
import { loadLexiconFile } from '../server/src/core/lexicon/loadLexicon';
import type { IndexFile, IndexTerm } from '../server/src/core/codes/schema';
import { tokenizeWords } from '../server/src/core/codes/words';
import { tokenize } from '../server/src/core/text/tokens';
import { stringifyLines } from './data/jsonLines';

/** The main terms of the calcification family (issue 16): their subterms are the coverage. */
export const COVERED_MAIN_TERMS = [
  'Calcification',
  'Calcinosis',
  'Calciphylaxis',
  'Calculus, calculi, calculous',
  'Lithiasis',
  'Chondrocalcinosis',
  'Ossification',
  'Nephrocalcinosis',
] as const;

/** A subterm that joins another condition ("with", "in (due to)"): a combination, not a site or a type. */
const CONNECTIVE = /^(with|without|in)\b|^due to\b/i;
/** "specified site NEC", "specified type NEC": a residual; its subterms are places within the tissue. */
const RESIDUAL = /\bNEC\b/;

const key = (s: string) => tokenizeWords(s).join(' ');
/** English adjective endings: a word so ending takes no plural and, before "and", qualifies a later noun. */
const ADJECTIVE = /(al|ar|ary|ic|ous|ile)$/;

interface Context {
  index: AlphabeticIndex;
  codes: CodeIndex;
  anatomy: Anatomy;
  /** Body parts by the index: the noun of each "see condition" main term -> its adjective ("prostatic"). */
  bodyParts: Map<string, string | undefined>;
  /** The other way: an adjective -> its noun ("intestinal" -> "Intestine"). */
  nounOf: Map<string, string>;
  /** The phrases tabular titles name as the place of a condition ("sclera", "bladder", "intestine"). */
  placeWords: Set<string>;
  /** Phrases titles write after "right" or "left" ("right ovary" -> ovary). */
  sidedPlaces: Set<string>;
  /** Index words for a hand-written site that it lacks ("sublingual duct"). */
  moreVariants: IndexCoverageFile['siteVariants'];
  /** The lexicon's cause words -> cause id ("tuberculous" -> tuberculosis). */
  causes: Map<string, string>;
}

export function buildIndexCoverage(root: string): string {
  const dataDir = join(root, 'data');
  const index = loadAlphabeticIndex(join(dataDir, 'icd10cm'));
  const codes = loadCodeIndex(join(dataDir, 'icd10cm'));
  const anatomy = parseAnatomy(JSON.parse(readFileSync(join(dataDir, 'lexicon', 'anatomy.json'), 'utf8')), 'anatomy.json');
  const bodyParts = new Map<string, string | undefined>();
  // Every main term of the diseases index that only sends the coder on ("Prostate, prostatic -- see condition").
  const indexFile = JSON.parse(readFileSync(join(dataDir, 'icd10cm', 'index.json'), 'utf8')) as IndexFile;
  for (const t of indexFile.terms) {
    if (t.index !== 'diseases' || !/^condition\b/i.test(t.see ?? t.seeAlso ?? '')) continue;
    const [noun, adjective] = t.t.split(',').map((s) => s.trim());
    if (noun && !bodyParts.has(key(noun))) bodyParts.set(key(noun), adjective);
  }
  const nounOf = new Map([...bodyParts].flatMap(([noun, adjective]) => (adjective ? [[key(adjective), noun] as [string, string]] : [])));
  const titles = readFileSync(join(dataDir, 'icd10cm', 'codes.tsv'), 'utf8').split('\n').slice(1).map((row) => row.split('\t')[1] ?? '');
  const causes = new Map<string, string>();
  for (const e of loadLexiconFile(join(dataDir, 'lexicon', 'calcification.json')).etiologies) {
    for (const v of [e.preferred, ...e.variants]) if (!causes.has(key(v))) causes.set(key(v), e.id);
  }
  const cx: Context = { index, codes, anatomy, bodyParts, nounOf, placeWords: placePhrases(titles), sidedPlaces: sidedPhrases(titles), moreVariants: [], causes };

  const file: IndexCoverageFile = {
    schemaVersion: 1,
    description:
      'Generated by scripts/build-index-coverage.ts; do not edit. Every subterm path of the ICD-10-CM alphabetic index under the calcification main terms, with its code and the anatomy site it names; sites are the body parts the hand-written anatomy.json lacks, in the index and title wording.',
    sources: ['data/icd10cm/index.json', 'data/icd10cm/codes.tsv', 'data/lexicon/anatomy.json', 'data/lexicon/calcification.json'],
    mainTerms: [],
    sites: [],
    siteVariants: [],
    entries: [],
    left: [],
  };
  const generated = new Map<string, IndexCoverageFile['sites'][number]>();
  for (const name of COVERED_MAIN_TERMS) {
    const main = index.mainTerm(name);
    if (!main) throw new Error(`the index has no main term "${name}"`);
    const target = main.see ? index.lookup(main.see) : undefined;
    file.mainTerms.push(target ? { term: name, see: target.path[0]!.t } : { term: name });
    if (target) continue;
    if (main.code) file.entries.push({ path: name, code: main.code });
    for (const s1 of main.terms ?? []) walkSubterm(cx, file, generated, name, s1);
  }
  file.sites = [...generated.values()];
  file.siteVariants = cx.moreVariants;
  // Validated as the loader will read it, so a bad build fails here and not in the editor.
  indexCoverageFileSchema.parse(file);
  return stringifyLines(file as unknown as Record<string, unknown>, ['mainTerms', 'sites', 'siteVariants', 'entries', 'left']);
}

function walkSubterm(cx: Context, file: IndexCoverageFile, generated: Map<string, IndexCoverageFile['sites'][number]>, main: string, s1: IndexTerm): void {
  const path = `${main}, ${s1.t}`;
  if (CONNECTIVE.test(s1.t) || RESIDUAL.test(s1.t)) return;
  const code = codeOf(cx, s1);
  const site = siteOf(cx, generated, path, s1, code);
  // Two organs at once ("gallbladder and bile duct" K80.70): the first is the site, the other goes with it.
  const both = code && !site ? s1.t.split(' and ').map((w) => coveredBy(cx.anatomy, w)) : [];
  const organs = both.length === 2 && both[0] && both[1] ? { site: both[0], and: both[1] } : undefined;
  const type = code && !site && !organs ? typeWords(cx, s1.t) : undefined;
  if (code) file.entries.push({ path, code, ...(site ? { site, ...familyOf(cx, s1, code) } : {}), ...(organs ?? {}), ...(type ? { type } : {}) });
  if (!code && (s1.see || s1.seeAlso) && !site) file.left.push({ path, reason: `see ${s1.see ?? s1.seeAlso}` });
  else if (code && !site && !organs) file.left.push({ path, reason: 'names no site (a type)' });
  // Places within a tissue ("bursa, ankle"), also through a residual ("muscle, specified type NEC, thigh"),
  // and places of a type ("familial, knee").
  for (const s2 of s1.terms ?? []) {
    // Conditions documented with the finding ("gallbladder, with, cholecystitis, acute" K80.00).
    if (site && !organs && /^with\b/i.test(s2.t)) walkWith(file, `${path}, ${s2.t}`, site, s2, []);
    if (CONNECTIVE.test(s2.t)) continue;
    const residual = RESIDUAL.test(s2.t);
    if (residual && s2.code) file.entries.push({ path: `${path}, ${s2.t}`, code: s2.code, ...(site ? { site } : {}) });
    const places = residual ? (s2.terms ?? []).map((s3) => ({ term: s3, path: `${path}, ${s2.t}, ${s3.t}` })) : [{ term: s2, path: `${path}, ${s2.t}` }];
    for (const { term, path: p } of places) {
      if (CONNECTIVE.test(term.t) || RESIDUAL.test(term.t)) continue;
      const c2 = codeOf(cx, term);
      if (!c2) continue;
      const place = matchedSite(cx.anatomy, term.t);
      // A cause the lexicon knows, under a site ("adrenal, tuberculous" B90.8): chosen when the note states it.
      const cause = place || residual ? undefined : cx.causes.get(key(term.t));
      // Else a type of the site's finding, written before it ("congenital" calculus of the kidney: Q63.8).
      const type = place || residual || cause || !site ? undefined : key(term.t);
      if (site) file.entries.push({ path: p, code: c2, site, ...(place ? { place } : {}), ...(cause ? { cause } : {}), ...(type ? { type } : {}) });
      else file.entries.push({ path: p, code: c2, ...(place ? { place } : {}) });
    }
  }
}

type Condition = NonNullable<IndexCoverageFile['entries'][number]['with']>[number];

/**
 * The combinations the index lists under a site's "with" ("Calculus, gallbladder, with, cholecystitis, acute,
 * with, obstruction" K80.01): each path with a code becomes an entry whose conditions are the words a note
 * documents with the finding. A condition is a head word and the words that qualify it ("acute"
 * cholecystitis); a subterm under a condition qualifies it, "with X" adds one. Conditions of several words
 * joined by a comma or naming another index entry ("bile duct calculus, see ...") are left out.
 */
function walkWith(file: IndexCoverageFile, path: string, site: string, term: IndexTerm, conditions: Condition[]): void {
  const inline = term.t.replace(/^with\b\s*/i, '');
  // "with" alone introduces conditions; "with obstruction" is one.
  const children = inline ? [{ t: inline, term }] : (term.terms ?? []).map((t) => ({ t: t.t, term: t }));
  for (const { t, term: node } of children) {
    const condition = conditionOf(t);
    if (condition) walkCondition(file, inline ? path : `${path}, ${t}`, site, node, [...conditions, condition]);
  }
}

function walkCondition(file: IndexCoverageFile, path: string, site: string, term: IndexTerm, conditions: Condition[]): void {
  if (term.code) file.entries.push({ path, code: term.code, site, with: conditions });
  for (const child of term.terms ?? []) {
    if (/^with\b/i.test(child.t)) walkWith(file, `${path}, ${child.t}`, site, child, conditions);
    else if (!RESIDUAL.test(child.t) && !CONNECTIVE.test(child.t)) {
      // A qualifier of the last condition ("acute" cholecystitis).
      const words = key(child.t).split(' ');
      if (words.length === 0 || child.t.includes(',')) continue;
      const last = conditions[conditions.length - 1]!;
      walkCondition(file, `${path}, ${child.t}`, site, child, [...conditions.slice(0, -1), { head: last.head, qualifiers: [...last.qualifiers, ...words] }]);
    }
  }
}

/** "chronic cholecystitis" -> head cholecystitis, qualifier chronic; a list or a cross-reference is none. */
function conditionOf(words: string): Condition | undefined {
  if (/,|\(| or /.test(words)) return undefined;
  const all = key(words).split(' ').filter((w) => w.length > 0);
  if (all.length === 0 || all.length > 3) return undefined;
  return { head: all[all.length - 1]!, qualifiers: all.slice(0, -1) };
}

/**
 * A subterm that names no site, as the words a note writes right before the main term's noun ("xanthine"
 * calculus, "choroid plexus" calcification): one plain phrase, not a list ("duct, gland or region") and not a
 * condition of its own the main term qualifies ("Anuria" R34: calculous anuria).
 */
function typeWords(cx: Context, words: string): string | undefined {
  if (/,| or | and /.test(words)) return undefined;
  const own = cx.index.mainTerm(words.charAt(0).toUpperCase() + words.slice(1));
  if (own && own.code && !/^condition\b/i.test(own.see ?? own.seeAlso ?? '')) return undefined;
  return key(words);
}

/** The subterm's code, or that of the entry its "see" names inside the covered main terms. */
function codeOf(cx: Context, term: IndexTerm): string | undefined {
  if (term.code) return term.code;
  if (!term.see) return undefined;
  const target = cx.index.lookup(term.see);
  if (!target || !COVERED_MAIN_TERMS.some((m) => m === target.path[0]!.t)) return undefined;
  return target.term.code;
}

/** "parotid duct or gland" -> parotid duct, parotid gland; "tooth, teeth" -> tooth, teeth. */
export function expandSubterm(words: string): string[] {
  const alternatives = words.split(/,\s*|\s+or\s+/).map((s) => s.trim()).filter((s) => s.length > 0);
  const first = alternatives[0]!.split(/\s+/);
  const modifier = first.length > 1 ? first.slice(0, -1).join(' ') : '';
  return [...new Set(alternatives.map((a, k) => (k > 0 && modifier && !a.includes(' ') ? `${modifier} ${a}` : a).toLowerCase()))];
}

/** The hand-written site one of whose phrases is all the words (singular or plural), if one is. */
function coveredBy(anatomy: Anatomy, words: string): string | undefined {
  for (const form of [words, `${words}s`]) {
    const tokens = tokenize(form);
    const m = anatomy.siteMatcher.match(form, tokens);
    if (m.length === 1 && m[0]!.tokenStart === 0 && m[0]!.tokenEnd === tokens.length) return m[0]!.value;
  }
  return undefined;
}

/** The one hand-written site the words name ("shoulder region" -> shoulder), if exactly one. */
function matchedSite(anatomy: Anatomy, words: string): string | undefined {
  for (const form of [words, `${words}s`]) {
    const found = new Set(anatomy.siteMatcher.match(form, tokenize(form)).map((m) => m.value));
    if (found.size === 1) return [...found][0];
  }
  return undefined;
}

function siteOf(cx: Context, generated: Map<string, IndexCoverageFile['sites'][number]>, path: string, term: IndexTerm, code: string | undefined): string | undefined {
  let forms = expandSubterm(term.t);
  if (forms.some((f) => / and /.test(f))) return undefined; // two organs at once ("gallbladder and bile duct")
  const known = forms.map((f) => coveredBy(cx.anatomy, f)).find((s) => s !== undefined);
  // The other forms of a subterm the anatomy knows by one ("sublingual duct or gland") are that site too.
  const unknown = known ? forms.filter((f) => f.includes(' ') && matchedSite(cx.anatomy, f) === undefined) : [];
  if (known && unknown.length > 0 && !cx.moreVariants.some((v) => v.site === known && v.variants.join() === unknown.join())) {
    cx.moreVariants.push({ site: known, variants: unknown, from: path });
  }
  // The index's adjective for a part the anatomy knows by its noun ("Subcutaneous, subcuticular -- see condition").
  if (known) {
    const adjectives = forms.flatMap((f) => numberForms(f).map((n) => cx.bodyParts.get(n))).filter((a): a is string => a !== undefined);
    const unread = [...new Set(adjectives.map((a) => a.toLowerCase()))].filter((a) => matchedSite(cx.anatomy, a) === undefined);
    if (unread.length > 0 && !cx.moreVariants.some((v) => v.site === known && unread.every((a) => v.variants.includes(a)))) {
      cx.moreVariants.push({ site: known, variants: unread, from: path });
    }
  }
  // Words of which a site names only a part ("idiopathic infantile arterial") are a type of finding there.
  if (!known && forms.some((f) => matchedSite(cx.anatomy, f) !== undefined)) return undefined;
  const main = path.slice(0, path.length - term.t.length - 2);
  if (known) {
    // A part the anatomy folds into a larger site that the index codes apart ("pleura" in lung: J94.8, not
    // J98.4) becomes a site of its own.
    const site = cx.anatomy.site(known)!;
    if (site.titleTerms.some((t) => forms.includes(t.toLowerCase())) || site.preferred === forms[0]) return known;
    const own = (cx.index.mainTerm(main.split(',')[0]!) ?? cx.index.lookup(main)?.term)?.terms?.find((t) => site.titleTerms.some((tt) => key(tt) === key(t.t)));
    if (!own || !code || codeOf(cx, own) === code) return known;
  } else if (!code || term.see || !isBodyPart(cx, forms, code)) return undefined;
  // An adjective ("intestinal") stands for its noun, the index's name of the part ("intestine").
  const noun = forms.some((f) => cx.placeWords.has(key(f))) ? undefined : adjectiveOfPlace(cx, forms, code!);
  if (noun) forms = [...new Set([noun, ...forms])];
  const id = key(forms[0]!).replace(/ /g, '-');
  if (!generated.has(id)) {
    const variants = new Set<string>();
    for (const f of forms) {
      variants.add(f);
      if (forms.length === 1 && !/(s|x|a|ae|i|y)$/.test(f) && !ADJECTIVE.test(f)) variants.add(`${f}s`);
      const adjective = numberForms(f).map((n) => cx.bodyParts.get(n)).find((a) => a !== undefined);
      if (adjective) variants.add(adjective.toLowerCase());
    }
    // Paired when its own codes have sides, when it was folded into a paired site (pleura in lung), or when
    // some title names its right or left one ("left ovary").
    const family = code!.replace(/-$/, '');
    const lateral =
      [family, ...cx.codes.billableDescendants(family).map((d) => d.code)].some((c) => /\b(right|left)\b/i.test(cx.codes.get(c)?.title ?? '')) ||
      (known !== undefined && cx.anatomy.site(known)!.lateral) ||
      forms.some((f) => cx.sidedPlaces.has(key(f)));
    generated.set(id, { id, preferred: forms[0]!, lateral, titleTerms: forms, variants: [...variants], from: path });
  }
  return id;
}

/**
 * A body part by the official data: some tabular title names it as the place of a condition ("Other disorders
 * of sclera", "Calculus in bladder", "Other impaction of intestine" for "intestinal"), the noun itself or the
 * noun of its adjective ("Intestine, intestinal -- see condition").
 */
function isBodyPart(cx: Context, forms: string[], code: string): boolean {
  return forms.some((f) => cx.placeWords.has(key(f))) || adjectiveOfPlace(cx, forms, code) !== undefined;
}

/**
 * The noun of an adjective subterm ("intestinal" -> "intestine") when the titles of its own code or those
 * above it name the noun as the place ("Other impaction of intestine"); only there, since an adjective's
 * noun may be no body part at all ("familial": "Family").
 */
function adjectiveOfPlace(cx: Context, forms: string[], code: string): string | undefined {
  const family = code.replace(/-$/, '');
  const chain = placePhrases([cx.codes.get(family), ...cx.codes.ancestors(family)].map((c) => c?.title ?? ''));
  for (const f of forms) {
    const noun = cx.nounOf.get(key(f));
    // The titles may name it in the other number ("Bronchi, bronchial": "Other diseases of bronchus").
    const named = noun === undefined ? undefined : numberForms(noun).find((n) => chain.has(n));
    if (named) return named;
  }
  return undefined;
}

/**
 * A noun in both numbers, English and Latin, normalised ("bronchus" and "bronchi", "vertebra" and
 * "vertebrae", "diverticulum" and "diverticula"): the index and the titles name a part in either.
 */
function numberForms(noun: string): string[] {
  const n = key(noun);
  const pairs: Array<[RegExp, string]> = [[/us$/, 'i'], [/i$/, 'us'], [/um$/, 'a'], [/a$/, 'ae'], [/ae$/, 'a'], [/is$/, 'es'], [/s$/, ''], [/$/, 's']];
  return [...new Set([n, ...pairs.filter(([end]) => end.test(n)).map(([end, other]) => n.replace(end, other))])];
}

/** Every phrase that follows "of", "in" or "on" in a title, up to the end, a comma, "and", "or", "with", ... */
function placePhrases(titles: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const title of titles) {
    for (const m of title.matchAll(/\b(?:of|in|on)(?: the)? ([^,;()[\]]+)/gi)) {
      const words = key(m[1]!).split(' ');
      // Each stretch up to a joining word: "of ovary, fallopian tube and broad ligament" -> ovary; "kidney and ureter" -> kidney, ureter.
      // An adjective before "and"/"or" qualifies the noun after ("of urinary and pelvic organs"): no place.
      let run: string[] = [];
      for (const w of [...words, '']) {
        if (['', 'and', 'or', 'with', 'without', 'due', 'not', 'in', 'of', 'as', 'to', 'following', 'during', 'other'].includes(w)) {
          const shared = (w === 'and' || w === 'or') && ADJECTIVE.test(run[run.length - 1] ?? '');
          if (run.length && !shared) out.add(run.join(' '));
          run = [];
        } else run.push(w);
      }
    }
  }
  return out;
}

/** The one- and two-word phrases right after "right" or "left" in titles ("left ovary", "right fallopian tube"). */
function sidedPhrases(titles: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const title of titles) {
    for (const m of title.matchAll(/\b(?:right|left) ([a-z]+)(?: ([a-z]+))?/gi)) {
      out.add(key(m[1]!));
      if (m[2]) out.add(key(`${m[1]} ${m[2]}`));
    }
  }
  return out;
}

/** For a tissue whose places have codes ("bursa, ankle" M71.47-): the family they share, when another. */
function familyOf(cx: Context, term: IndexTerm, code: string): { family?: string } {
  const places = (term.terms ?? []).flatMap((t) => (RESIDUAL.test(t.t) && t.terms ? t.terms : [t])).map((t) => codeOf(cx, t)?.replace(/-$/, ''));
  const list = places.filter((c): c is string => c !== undefined && !CONNECTIVE.test(c));
  if (list.length < 2) return {};
  let prefix = list[0]!;
  for (const c of list) while (!c.startsWith(prefix)) prefix = prefix.slice(0, -1);
  prefix = prefix.replace(/\.$/, '');
  return cx.codes.has(prefix) && prefix !== code ? { family: prefix } : {};
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const out = join(root, 'data', 'lexicon', 'index-coverage.json');
  writeFileSync(out, buildIndexCoverage(root));
  console.log(`wrote ${out}`);
}
