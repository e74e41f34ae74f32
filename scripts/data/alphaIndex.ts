import sax from 'sax';
import type { IndexTerm } from '../../server/src/core/codes/schema';

export type { IndexTerm };

export interface AlphaIndex {
  version: string;
  title: string;
  /** Column headings of a table index (Neoplasm, Drugs): the names of `cells` positions, after the term column. */
  columns?: string[];
  terms: IndexTerm[];
}

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();
const FIELDS = new Set(['code', 'manif', 'subcat', 'seecat', 'see', 'seeAlso']);

/**
 * Streams an index XML into nested terms: the alphabetic indexes (diseases, external causes), and the
 * tables (Neoplasm, Drugs and Chemicals), whose terms carry one code per column in `cells`.
 */
export function parseAlphaIndex(xml: string): AlphaIndex {
  const parser = sax.parser(true, { trim: false, normalize: false });
  const out: AlphaIndex = { version: '', title: '', terms: [] };
  const terms: IndexTerm[] = [];
  const texts: string[] = [];
  const tags: string[] = [];
  const cols: number[] = [];
  let titleText = '';
  let nemodText = '';
  let inNemod = false;

  parser.onerror = (e) => {
    throw new Error(`index XML: ${e.message}`);
  };
  parser.onopentag = (node) => {
    tags.push(node.name);
    cols.push(Number((node.attributes as Record<string, string>).col ?? 0));
    texts.push('');
    if (node.name === 'mainTerm' || node.name === 'term') {
      const term: IndexTerm = { t: '' };
      const parent = terms[terms.length - 1];
      if (parent) (parent.terms ??= []).push(term);
      else out.terms.push(term);
      terms.push(term);
    } else if (node.name === 'title') {
      titleText = '';
      nemodText = '';
    } else if (node.name === 'nemod') {
      inNemod = true;
    }
  };
  parser.ontext = (t) => {
    if (tags[tags.length - 1] === 'title' && !inNemod) titleText += t;
    if (inNemod) nemodText += t;
    texts[texts.length - 1] += t;
  };
  parser.onclosetag = (name) => {
    tags.pop();
    const col = cols.pop() ?? 0;
    const text = collapse(texts.pop() ?? '');
    const term = terms[terms.length - 1];
    const parentTag = tags[tags.length - 1];
    if (name === 'nemod') {
      inNemod = false;
      return;
    }
    if (name === 'mainTerm' || name === 'term') {
      terms.pop();
      return;
    }
    if (name === 'head' && parentTag === 'indexHeading' && col >= 2) (out.columns ??= [])[col - 2] = text;
    if (name === 'version' && parentTag === 'ICD10CM.index') out.version = text;
    if (name === 'title' && parentTag === 'ICD10CM.index') out.title = text;
    if (!term || (parentTag !== 'mainTerm' && parentTag !== 'term')) return;
    if (name === 'title') {
      term.t = collapse(titleText);
      if (nemodText.trim()) term.nemod = collapse(nemodText);
    } else if (name === 'cell' && col >= 2) {
      // "--" (Drugs) and "-" (Neoplasms) mark a column with no code for this term.
      const cells = (term.cells ??= new Array<string>(out.columns?.length ?? col - 1).fill(''));
      cells[col - 2] = text === '--' || text === '-' ? '' : text;
    } else if (name === 'manif' && !/^[A-Z][0-9][0-9A-Z]/.test(text)) {
      // One Neoplasm-table entry puts words, not a code, in <manif> ("book-leaf (mouth)"): they qualify the term.
      term.nemod = term.nemod ? `${term.nemod} (${text})` : `(${text})`;
    } else if (FIELDS.has(name)) {
      const key = name as 'code' | 'manif' | 'subcat' | 'seecat' | 'see' | 'seeAlso';
      if (term[key] !== undefined) throw new Error(`index term "${term.t}" has two <${name}>`);
      term[key] = text;
    }
  };
  parser.write(xml).close();
  // Put `terms` last in every object so the written JSON reads top-down.
  const reorder = (term: IndexTerm): IndexTerm => {
    const { terms: sub, ...rest } = term;
    return sub ? { ...rest, terms: sub.map(reorder) } : rest;
  };
  out.terms = out.terms.map(reorder);
  return out;
}
