/**
 * Code search for people: a code prefix ("M75.", "m61.4"), words of a title or inclusion term
 * ("calcific tend"), or an alphabetic-index path ("Calcification, pineal"). Exact and prefix matches of
 * codes first, then title words, then index entries.
 */
import type { AlphabeticIndex } from './alphabeticIndex';
import { normalizeCode, type CodeIndex } from './codeIndex';

export interface SearchHit {
  code: string;
  title: string;
  billable: boolean;
  matchedBy: 'code' | 'title' | 'index';
  indexPath?: string;
}

const CODE_START = /^[A-Za-z][0-9][0-9A-Za-z]?\.?[0-9A-Za-z]{0,4}$/;

export function searchCodes(codes: CodeIndex, index: AlphabeticIndex | undefined, query: string, limit = 50): SearchHit[] {
  const q = query.trim();
  if (!q) return [];
  const hits: SearchHit[] = [];
  const seen = new Set<string>();
  const push = (code: string, matchedBy: SearchHit['matchedBy'], indexPath?: string) => {
    const info = codes.get(code);
    if (!info || seen.has(code) || hits.length >= limit) return;
    seen.add(code);
    hits.push({ code, title: info.title, billable: info.billable, matchedBy, ...(indexPath ? { indexPath } : {}) });
  };
  if (CODE_START.test(q)) {
    const exact = normalizeCode(q);
    if (exact) push(exact, 'code');
    for (const info of codes.prefixSearch(q, limit)) push(info.code, 'code');
  }
  for (const hit of codes.wordSearch(q, limit)) push(hit.code, 'title');
  if (index && hits.length < limit) {
    for (const entry of index.search(q, limit)) {
      const code = entry.term.code?.replace(/-$/, '').replace(/\.$/, '');
      if (code) push(code, 'index', entry.label);
    }
  }
  return hits;
}
