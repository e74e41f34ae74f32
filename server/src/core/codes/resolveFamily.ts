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

export type Axis = 'site' | 'laterality';

export interface MissingAxis {
  axis: Axis;
  /** The billable codes documentation of this axis would lead to (all of them below the stopping point). */
  options: string[];
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

/**
 * The words a child's title adds to its parent's: the tail when the child's title extends the parent's
 * ("Other calcification of muscle, other site" -> "other site"), else the words the parent lacks
 * ("Calcific tendinitis of right shoulder" under "... of shoulder" -> "right").
 */
function addedWords(child: CodeInfo, parent: CodeInfo): string[] {
  const childWords = tokenizeWords(child.title);
  const parentWords = tokenizeWords(parent.title);
  if (parentWords.every((w, i) => childWords[i] === w)) return childWords.slice(parentWords.length);
  const inParent = new Set(parentWords);
  return childWords.filter((w) => !inParent.has(w));
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
    const words = children.map((c) => ({ child: c, added: addedWords(c, node) }));
    const sideOf = (w: string[]) => w.map((x) => SIDE_WORDS[x]).find((x) => x !== undefined);
    const bySide = words.filter((w) => sideOf(w.added) !== undefined);
    const siteTerms = doc.site ? anatomy.site(doc.site)?.titleTerms ?? [] : [];
    // Title terms in order of preference: "hip" where a family names the hip, else "thigh" (ICD-10-CM's
    // muscle and tendon families put the hip with the thigh).
    const bySite = siteTerms.flatMap((t) => words.filter((w) => containsPhrase(w.added, t)));
    const axis: Axis = bySide.length >= Math.max(2, words.length - 1) ? 'laterality' : 'site';

    if (axis === 'laterality') {
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
      missing.push({ axis, options: billableCodes(codes, node, words.filter((w) => sideOf(w.added) !== 'unspecified').map((w) => w.child)) });
      return stop(codes, family, node, words.find((w) => sideOf(w.added) === 'unspecified')?.child, missing);
    }
    // Site axis: the child whose added words name the documented site; "other site" when the family has it.
    const chosen = bySite[0] ?? (doc.site ? words.find((w) => containsPhrase(w.added, 'other site')) : undefined);
    if (chosen) {
      node = chosen.child;
      continue;
    }
    const specific = words.filter((w) => !w.added.includes('unspecified'));
    missing.push({ axis: 'site', options: billableCodes(codes, node, specific.map((w) => w.child)) });
    return stop(codes, family, node, words.find((w) => w.added.includes('unspecified'))?.child, missing);
  }
  return { family, codes: node.billable ? [node.code] : [], reached: node.code, missing };
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
