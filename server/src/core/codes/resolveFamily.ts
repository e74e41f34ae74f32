/**
 * From a code family and what the note documents, the most specific billable code(s) and what is missing to
 * go further. The axes are read from the official titles of the family's children, not hand-listed: the
 * children of M75.3 differ only by side ("right shoulder", "left shoulder", "unspecified shoulder"); those of
 * M61.4 by site, then side.
 */
import type { Anatomy, Side } from '../attributes/anatomy';
import type { CodeIndex, CodeInfo } from './codeIndex';
import { tokenizeWords } from './words';
import { deepFreeze } from '../freeze';

/**
 * What a family's children differ by: the side, the anatomic site, or another detail of the condition
 * (obstruction, cholecystitis, acuity, a complication), read from the words the children's titles add.
 */
export type Axis = 'site' | 'laterality' | 'detail';

export interface MissingAxis {
  axis: Axis;
  /** The billable codes documentation of this axis would lead to (all of them below the stopping point). */
  options: string[];
  /**
   * What each specific child says of the axis, in the official titles' words: the sites ("thigh", "lower
   * leg"), the sides, or the detail ("with obstruction", "without obstruction").
   */
  choices: string[];
  /** For a detail axis: the words its choices share ("obstruction"), empty when they share none. */
  name?: string;
}

export interface FamilyResolution {
  /** The family the walk started from (e.g. "M61.4"). */
  family: string;
  /** The billable code(s) the documentation supports; two for a bilateral condition without a bilateral code. */
  codes: string[];
  /** Where the walk stopped when documentation ran out (a header), else the last code reached. */
  reached: string;
  /** The code that would be assigned as things stand: the "unspecified" child at the stopping point. */
  unspecified?: string;
  /** Axes the documentation lacks, in the order the code family needs them. */
  missing: MissingAxis[];
}

export interface Documentation {
  /** Site id of the anatomy vocabulary. */
  site?: string;
  side?: Side;
}

const SIDE_WORDS: Record<string, Side | 'unspecified'> = { right: 'right', left: 'left', bilateral: 'bilateral', unspecified: 'unspecified' };

/** A title's words (as `tokenizeWords` makes them) with where each stands in the title. */
function titleWords(title: string): Array<{ word: string; start: number; end: number }> {
  const out: Array<{ word: string; start: number; end: number }> = [];
  for (const m of title.matchAll(/[\p{L}\p{N}]+/gu)) {
    for (const word of tokenizeWords(m[0])) out.push({ word, start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/**
 * What sets each child apart from its siblings, in their titles' words: each title less the words every
 * sibling's title has (as often as each has them), so "Other calcification of muscle, other site" keeps
 * "other site", "Other intervertebral disc disorders, lumbar region" keeps "lumbar" and "Calcific tendinitis
 * of right shoulder" keeps "right". An only child keeps what it adds to its parent's title. With `text`, the
 * same stretch as the title writes it ("hand and finger(s)").
 */
function distinctWords(children: readonly CodeInfo[], parent: CodeInfo): Array<{ added: string[]; text: string }> {
  const titles = children.map((c) => titleWords(c.title));
  const common = new Map<string, number>();
  const counts = (words: ReadonlyArray<{ word: string }>) => {
    const m = new Map<string, number>();
    for (const w of words) m.set(w.word, (m.get(w.word) ?? 0) + 1);
    return m;
  };
  if (titles.length > 1) {
    const [first, ...rest] = titles.map(counts);
    for (const [word, n] of first!) {
      const min = Math.min(n, ...rest.map((r) => r.get(word) ?? 0));
      if (min > 0) common.set(word, min);
    }
  } else {
    for (const [word, n] of counts(titleWords(parent.title))) common.set(word, n);
  }
  return children.map((child, k) => {
    const left = new Map(common);
    const added = titles[k]!.filter((w) => {
      const n = left.get(w.word) ?? 0;
      if (n > 0) left.set(w.word, n - 1);
      return n === 0;
    });
    // As the title writes it: what it adds to its parent's title when it extends it ("with obstruction"),
    // else the stretch of its distinct words.
    const tail = extendsTitle(child.title, parent.title) ? child.title.slice(parent.title.length).replace(/^[\s,:;-]+/, '') : '';
    const first = added[0];
    const last = added[added.length - 1];
    let text = tail;
    if (!text && first && last) {
      let end = last.end;
      // A closing bracket belongs to the words it closes: "finger(s)".
      while (end < child.title.length && child.title[end] === ')') end++;
      text = child.title.slice(first.start, end);
    }
    return { added: added.map((w) => w.word), text };
  });
}

/** "Calculus of gallbladder without cholecystitis, with obstruction" extends "Calculus of gallbladder without cholecystitis". */
function extendsTitle(title: string, parentTitle: string): boolean {
  return title.length > parentTitle.length && title.toLowerCase().startsWith(parentTitle.toLowerCase()) && !/[\p{L}\p{N}]/u.test(title[parentTitle.length]!);
}

function containsPhrase(words: string[], phrase: string): boolean {
  const p = tokenizeWords(phrase);
  for (let i = 0; i + p.length <= words.length; i++) if (p.every((w, k) => words[i + k] === w)) return true;
  return false;
}

/**
 * Resolutions by code set and anatomy: a pure function of immutable data, asked again for every finding of
 * every analysis with the same few (family, site, side). Results are frozen: callers copy what they keep.
 */
const resolved = new WeakMap<CodeIndex, WeakMap<Anatomy, Map<string, FamilyResolution>>>();

export function resolveFamily(codes: CodeIndex, anatomy: Anatomy, family: string, doc: Documentation): FamilyResolution {
  let byAnatomy = resolved.get(codes);
  if (!byAnatomy) resolved.set(codes, (byAnatomy = new WeakMap()));
  let cache = byAnatomy.get(anatomy);
  if (!cache) byAnatomy.set(anatomy, (cache = new Map()));
  const key = `${family}|${doc.site ?? ''}|${doc.side ?? ''}`;
  let result = cache.get(key);
  if (!result) {
    result = deepFreeze(resolveUncached(codes, anatomy, family, doc));
    cache.set(key, result);
  }
  return result;
}

function resolveUncached(codes: CodeIndex, anatomy: Anatomy, family: string, doc: Documentation): FamilyResolution {
  const start = codes.get(family);
  if (!start) return { family, codes: [], reached: family, missing: [] };
  let node = start;
  const missing: MissingAxis[] = [];
  for (let guard = 0; !node.billable && guard < 8; guard++) {
    const children = codes.children(node.code);
    if (children.length === 0) break;
    const words = distinctWords(children, node).map((w, k) => ({ child: children[k]!, ...w }));
    const sideOf = (w: string[]) => w.map((x) => SIDE_WORDS[x]).find((x) => x !== undefined);
    const bySide = words.filter((w) => sideOf(w.added) !== undefined);
    const siteTerms = doc.site ? anatomy.site(doc.site)?.titleTerms ?? [] : [];
    // Title terms in order of preference: "hip" where a family names the hip, else "thigh" (ICD-10-CM's
    // muscle and tendon families put the hip with the thigh).
    const bySite = siteTerms.flatMap((t) => words.filter((w) => containsPhrase(w.added, t)));
    const axis: Axis = bySide.length >= Math.max(2, words.length - 1) ? 'laterality' : namesSites(anatomy, words) ? 'site' : 'detail';

    if (axis === 'laterality') {
      // The sided children name a place ("right leg", "bilateral legs") and the documented site is part of
      // another limb (a hand): the family's "other" child is the code ("other extremity" I70.208), whatever the side.
      const other = doc.site ? otherPlaceChild(anatomy, doc.site, bySide, words) : undefined;
      if (other) {
        node = other.child;
        continue;
      }
      if (doc.side) {
        const exact = bySide.find((w) => sideOf(w.added) === doc.side);
        if (exact) {
          node = exact.child;
          continue;
        }
        if (doc.side === 'bilateral') {
          // Guidelines I.B.13: no bilateral code -> report the right and the left code.
          const pair = (['right', 'left'] as const).map((s) => bySide.find((w) => sideOf(w.added) === s)?.child);
          if (pair[0] && pair[1]) return { family, codes: pair.flatMap((c) => leafOrSelf(codes, c!)), reached: node.code, missing };
        }
      }
      const specific = words.filter((w) => sideOf(w.added) !== 'unspecified');
      missing.push({ axis, options: billableCodes(codes, node, specific.map((w) => w.child)), choices: choicesOf(specific) });
      return stop(codes, family, node, words.find((w) => sideOf(w.added) === 'unspecified')?.child, missing);
    }
    if (axis === 'detail') {
      // Nothing in the note says which: the child the index takes when the detail is not documented is the
      // unspecified one or, for "with X" / "without X", the one without (Calculus, gallbladder K80.20).
      const specific = words.filter((w) => !w.added.includes('unspecified'));
      const fallback = words.find((w) => w.added.includes('unspecified')) ?? words.find((w) => w.added[0] === 'without');
      missing.push({ axis, options: billableCodes(codes, node, specific.map((w) => w.child)), choices: choicesOf(specific), name: sharedWords(node, children) });
      return stop(codes, family, node, fallback?.child, missing);
    }
    // Site axis: the child whose added words name the documented site; "other site" when the family has it.
    const chosen = bySite[0] ?? (doc.site ? words.find((w) => containsPhrase(w.added, 'other site')) : undefined);
    if (chosen) {
      node = chosen.child;
      continue;
    }
    const specific = words.filter((w) => !w.added.includes('unspecified'));
    missing.push({ axis: 'site', options: billableCodes(codes, node, specific.map((w) => w.child)), choices: choicesOf(specific) });
    return stop(codes, family, node, words.find((w) => w.added.includes('unspecified'))?.child, missing);
  }
  return { family, codes: node.billable ? [node.code] : [], reached: node.code, missing };
}

/**
 * The child for a place outside the one every sided child names: `site` is part of a whole of the anatomy (a
 * limb), each sided child's words name a site ("right leg": the leg) and none of those holds `site`; then the
 * child whose words say "other" without a side. Undefined when a sided child names no site (the side is all it
 * adds) or `site` is no part of a whole (an artery, an organ: nothing says it lies outside the named place).
 */
function otherPlaceChild(anatomy: Anatomy, site: string, bySide: ReadonlyArray<{ added: string[] }>, words: ReadonlyArray<{ child: CodeInfo; added: string[] }>): { child: CodeInfo } | undefined {
  const whole = anatomy.site(site)?.partOf;
  if (!whole) return undefined;
  const sided = bySide.filter((w) => !w.added.includes('unspecified'));
  if (sided.length === 0) return undefined;
  for (const w of sided) {
    const places = [...anatomy.sites.values()].filter((s) => s.titleTerms.some((t) => containsPhrase(w.added, t)));
    if (places.length === 0 || places.some((p) => anatomy.within(site, p.id))) return undefined;
  }
  return words.find((w) => w.added.includes('other') && !w.added.some((x) => SIDE_WORDS[x] !== undefined));
}

/** Words of a title that name a site without being one ("other site", "multiple sites", "site unspecified"). */
const SITE_WORDS = new Set(['site', 'sites', 'region', 'regions', 'part', 'parts']);

/**
 * Do the children differ by place? Some child's distinct words name a site of the anatomy vocabulary, or
 * its title says "site" or "region" ("..., lumbar region").
 */
function namesSites(anatomy: Anatomy, words: ReadonlyArray<{ child: CodeInfo; added: string[] }>): boolean {
  const terms = anatomy.allTitleTerms;
  return words.some((w) => tokenizeWords(w.child.title).some((x) => SITE_WORDS.has(x)) || terms.some((t) => containsPhrase(w.added, t)));
}

/** The children's own words for the axis, each once, in the tabular's order ("thigh", "with obstruction"). */
function choicesOf(words: ReadonlyArray<{ text: string }>): string[] {
  return [...new Set(words.map((w) => w.text).filter((c) => c.length > 0))];
}

/**
 * What a detail axis is about: the words every child's title has and the parent's has not, less "with",
 * "without" and the like ("obstruction" under "Calculus of gallbladder without cholecystitis").
 */
const LINK_WORDS = new Set(['with', 'without', 'and', 'or', 'of', 'other', 'in', 'the', 'a', 'not', 'no', 'unspecified']);
function sharedWords(parent: CodeInfo, children: readonly CodeInfo[]): string {
  const inParent = new Set(tokenizeWords(parent.title));
  const [first, ...rest] = children.map((c) => tokenizeWords(c.title));
  if (!first) return '';
  return first.filter((x, i) => !LINK_WORDS.has(x) && !inParent.has(x) && first.indexOf(x) === i && rest.every((r) => r.includes(x))).join(' ');
}

function leafOrSelf(codes: CodeIndex, info: CodeInfo): string[] {
  if (info.billable) return [info.code];
  const unspecified = codes.children(info.code).find((c) => tokenizeWords(c.title).includes('unspecified'));
  return unspecified ? [unspecified.code] : [];
}

const unspecifiedCount = (title: string) => tokenizeWords(title).filter((w) => w === 'unspecified').length;

/**
 * The specific billable codes below these children: unspecified-side or -site codes are what a query avoids.
 * Counted against the family's own title, which may itself say "Unspecified atherosclerosis ...".
 */
function billableCodes(codes: CodeIndex, node: CodeInfo, children: CodeInfo[]): string[] {
  const base = unspecifiedCount(node.title);
  return children.flatMap((c) =>
    codes
      .billableDescendants(c.code)
      .filter((d) => unspecifiedCount(d.title) <= base)
      .map((d) => d.code),
  );
}

function stop(codes: CodeIndex, family: string, node: CodeInfo, unspecifiedChild: CodeInfo | undefined, missing: MissingAxis[]): FamilyResolution {
  const unspecified = unspecifiedChild ? leafOrSelf(codes, unspecifiedChild)[0] : undefined;
  return { family, codes: [], reached: node.code, unspecified, missing };
}
