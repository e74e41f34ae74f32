/**
 * The structure a compound site names: in "renal artery", "right vertebral artery" or "hilar and paratracheal
 * lymph nodes" the organ word says which artery or node, and the head noun (the vessel, the node) is the site.
 * A tendon or muscle is the other way round: "supraspinatus tendon" is a tendon of the shoulder, and its code
 * axis is the limb, so only vessels and lymph nodes take their modifiers in.
 */
import { ADJECTIVE_ENDING } from '../attributes/anatomy';
import type { PhraseMatch } from '../text/phraseMatcher';
import type { Tokens } from '../text/tokens';
import { wordSet } from '../text/vocabulary';

/** Structures named by the words before them: which artery, vein or lymph node. */
export const NAMED_BY_MODIFIERS: ReadonlySet<string> = new Set(['artery', 'vein', 'lymph-node']);

/** Words for a vessel or node that do not say which one: a header "VESSELS:" or "calcified nodes" names no structure. */
const GENERIC = wordSet(['artery', 'arteries', 'arterial', 'arterioles', 'vessel', 'vessels', 'vascular', 'vein', 'veins', 'venous', 'lymph node', 'lymph nodes', 'node', 'nodes', 'nodal']);

/** A vessel or lymph node the note names ("iliac artery", "carotid", "renal artery", "hilar lymph nodes"), not just the word for one. */
export function isNamedStructure(m: PhraseMatch<string>): boolean {
  return NAMED_BY_MODIFIERS.has(m.value) && !GENERIC.has(m.phrase);
}

/** Words that join two modifiers of one head ("hilar and paratracheal", "renal/mesenteric"). */
const JOINERS = wordSet(['and', 'or', ',', '/', '-', '&']);
/** Tokens a modifier may stand from its head ("hilar and mediastinal lymph nodes"). */
const MODIFIER_REACH = 3;

/**
 * The sites of a note with each vessel or lymph node joined to the places that modify it: one match with the
 * head's value spanning "renal artery". A head inside a concept's own words ("renal arterial calcification")
 * takes in no place outside them: there the concept names the vessel and the organ says where it is. `inConcept(t)`:
 * is token t in a concept's match? Sites are in text order and do not overlap; so is the result. Linear.
 */
export function joinModifiedStructures(sites: readonly PhraseMatch<string>[], tokens: Tokens, isTissue: (site: string) => boolean, inConcept: (t: number) => boolean): PhraseMatch<string>[] {
  const out: PhraseMatch<string>[] = [];
  for (const site of sites) {
    if (!NAMED_BY_MODIFIERS.has(site.value)) {
      out.push(site);
      continue;
    }
    // Take in the places just before it, while each one modifies what follows (and is in the concept's words
    // when the head is: "calcified mediastinal lymph nodes").
    let first = site;
    while (out.length > 0) {
      const before = out[out.length - 1]!;
      if (isTissue(before.value) || !modifies(before, first, tokens) || (inConcept(site.tokenStart) && !inConcept(before.tokenStart))) break;
      out.pop();
      first = before;
    }
    // The joined match's phrase is no vocabulary word: it names which structure.
    out.push(first === site ? site : { ...site, start: first.start, tokenStart: first.tokenStart, phrase: `${first.phrase} ${site.phrase}` });
  }
  return out;
}

/** Does the place `m` modify the structure or place `next` after it: next to it, or an adjective joined by "and" and adjectives? */
function modifies(m: PhraseMatch<string>, next: PhraseMatch<string>, tokens: Tokens): boolean {
  const gap = next.tokenStart - m.tokenEnd;
  if (gap === 0) return true;
  if (gap > MODIFIER_REACH || !ADJECTIVE_ENDING.test(tokens.norm(m.tokenEnd - 1))) return false;
  for (let t = m.tokenEnd; t < next.tokenStart; t++) {
    const w = tokens.norm(t);
    if (!JOINERS.has(w) && (tokens.isPunct(t) || !ADJECTIVE_ENDING.test(w))) return false;
  }
  return true;
}
