/**
 * Sentences built from the ICD-10-CM alphabetic index: every subterm path under the main terms of the
 * calcification family ("Calculus, calculi, calculous, prostate" -> N42.0) written the ways notes write it
 * ("Calculus of the prostate.", "Prostate calculus.", "Prostate calculi.", "Prostatic calculus."), with the
 * code the index gives. Walks the index itself (never the generated coverage), so it checks the coverage.
 */
import type { AlphabeticIndex } from '../../server/src/core/codes/alphabeticIndex';
import type { IndexTerm } from '../../server/src/core/codes/schema';
import { tokenizeWords } from '../../server/src/core/codes/words';

/** The main terms whose paths are walked, with the nouns notes use for them (singular, plural). */
export const INDEX_MAIN_TERMS: ReadonlyArray<{ term: string; nouns: readonly string[] }> = [
  { term: 'Calcification', nouns: ['calcification', 'calcifications'] },
  { term: 'Calcinosis', nouns: ['calcinosis'] },
  { term: 'Calciphylaxis', nouns: ['calciphylaxis'] },
  { term: 'Calculus, calculi, calculous', nouns: ['calculus', 'calculi'] },
  { term: 'Lithiasis', nouns: ['lithiasis'] },
  { term: 'Chondrocalcinosis', nouns: ['chondrocalcinosis'] },
  { term: 'Ossification', nouns: ['ossification', 'ossifications'] },
  { term: 'Nephrocalcinosis', nouns: ['nephrocalcinosis'] },
];

export interface IndexSentence {
  /** The index path, as coders write it. */
  path: string;
  sentence: string;
  /** The code the index gives ("M71.47-": a header that needs more characters). */
  code: string;
}

/** A subterm that joins another condition ("with", "in (due to)"): a combination, not a site or type. */
const CONNECTIVE = /^(with|without|in)\b|^due to\b/i;
/** "specified site NEC", "specified type NEC": a residual the words of a note cannot name. */
const RESIDUAL = /\bNEC\b/;

/** Paths whose code comes from a "see" reference are followed only inside these main terms. */
function followSee(index: AlphabeticIndex, term: IndexTerm): string | undefined {
  if (term.code) return term.code;
  if (!term.see) return undefined;
  const target = index.lookup(term.see);
  const main = target?.path[0]?.t;
  if (!target || !INDEX_MAIN_TERMS.some((m) => m.term === main)) return undefined;
  return target.term.code;
}

/** The adjective the index gives a body part ("Prostate, prostatic -- see condition"), if any. */
function adjectiveOf(index: AlphabeticIndex, site: string): string | undefined {
  for (const term of index.search(site, 20)) {
    const t = term.term;
    if (term.label !== t.t || !/^condition/i.test(t.see ?? t.seeAlso ?? '')) continue;
    const [noun, adjective] = t.t.split(',').map((s) => s.trim());
    if (adjective && noun && tokenizeWords(noun).join(' ') === tokenizeWords(site).join(' ')) return adjective;
  }
  return undefined;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Every path: the main term alone when it has a code, each subterm (one level: a site or a type), and each
 * subterm of those (a site within a tissue: "bursa, ankle"; a type of a site: "kidney, congenital"). Paths
 * through a connective ("with", "in") or a residual ("specified NEC") are left out; see `skippedPaths`.
 */
export function indexSentences(index: AlphabeticIndex, isSite: (words: string) => boolean): IndexSentence[] {
  const out: IndexSentence[] = [];
  for (const { term: name, nouns } of INDEX_MAIN_TERMS) {
    const main = index.mainTerm(name);
    if (!main) throw new Error(`no main term ${name}`);
    const ownCode = followSee(index, main);
    const mainTerm = main.see ? index.lookup(main.see)?.term : main;
    if (ownCode) for (const noun of nouns) out.push({ path: name, sentence: `${capital(noun)}.`, code: ownCode });
    for (const s1 of mainTerm?.terms ?? []) {
      if (CONNECTIVE.test(s1.t) || RESIDUAL.test(s1.t)) continue;
      const code1 = followSee(index, s1);
      const path1 = `${name}, ${s1.t}`;
      const site1 = isSite(s1.t);
      if (code1) out.push(...oneLevel(index, path1, s1.t, site1, nouns, code1));
      // A residual level ("muscle, specified type NEC") is passed through to the sites under it.
      const level2 = (s1.terms ?? []).flatMap((s2) => (RESIDUAL.test(s2.t) && s2.terms ? s2.terms.map((s3) => ({ s2: s3, via: `${s2.t}, ` })) : [{ s2, via: '' }]));
      for (const { s2, via } of level2) {
        if (CONNECTIVE.test(s2.t) || RESIDUAL.test(s2.t)) continue;
        const code2 = followSee(index, s2);
        if (!code2) continue;
        const path2 = `${path1}, ${via}${s2.t}`;
        if (site1 && isSite(s2.t)) {
          // A place within a tissue: "Calcification of the ankle bursa.", "Ankle bursa calcification."; a tissue
          // within an organ the index names by its adjective: "cerebral, artery" is the cerebral artery.
          const place = ADJECTIVE.test(s1.t) ? `${s1.t} ${s2.t}` : `${s2.t} ${s1.t}`;
          for (const noun of nouns) {
            out.push({ path: path2, sentence: `${capital(noun)} of the ${place}.`, code: code2 });
            out.push({ path: path2, sentence: `${capital(place)} ${noun}.`, code: code2 });
          }
        } else if (site1) {
          // A type of the site's finding: "Congenital calculus of the kidney."
          out.push({ path: path2, sentence: `${capital(s2.t)} ${nouns[0]} of the ${s1.t}.`, code: code2 });
        }
      }
    }
  }
  return out;
}

/** English adjective endings ("cerebral", "renal", "biliary"): such a subterm qualifies the noun under it. */
const ADJECTIVE = /(al|ar|ary|ic|ous|ile)$/;

function oneLevel(index: AlphabeticIndex, path: string, words: string, site: boolean, nouns: readonly string[], code: string): IndexSentence[] {
  const out: IndexSentence[] = [];
  const add = (sentence: string) => out.push({ path, sentence, code });
  if (!site) {
    // A type ("metastatic", "mammographic"): written before the noun.
    add(`${capital(words)} ${nouns[0]}.`);
    return out;
  }
  for (const noun of nouns) {
    add(`${capital(noun)} of the ${words}.`);
    add(`${capital(words)} ${noun}.`);
  }
  const adjective = adjectiveOf(index, words);
  if (adjective) for (const noun of nouns) add(`${capital(adjective)} ${noun}.`);
  return out;
}
