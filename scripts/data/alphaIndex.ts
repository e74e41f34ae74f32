import sax from 'sax';
import type { IndexTerm } from '../../server/src/core/codes/schema';

export type { IndexTerm };

export interface AlphaIndex {
  version: string;
  title: string;
  terms: IndexTerm[];
}

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();
const FIELDS = new Set(['code', 'manif', 'subcat', 'seecat', 'see', 'seeAlso']);

/** Streams an index XML (diseases or external causes) into nested terms. */
export function parseAlphaIndex(xml: string): AlphaIndex {
  const parser = sax.parser(true, { trim: false, normalize: false });
  const out: AlphaIndex = { version: '', title: '', terms: [] };
  const terms: IndexTerm[] = [];
  const texts: string[] = [];
  const tags: string[] = [];
  let titleText = '';
  let nemodText = '';
  let inNemod = false;

  parser.onerror = (e) => {
    throw new Error(`index XML: ${e.message}`);
  };
  parser.onopentag = (node) => {
    tags.push(node.name);
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
    if (name === 'version' && parentTag === 'ICD10CM.index') out.version = text;
    if (name === 'title' && parentTag === 'ICD10CM.index') out.title = text;
    if (!term || (parentTag !== 'mainTerm' && parentTag !== 'term')) return;
    if (name === 'title') {
      term.t = collapse(titleText);
      if (nemodText.trim()) term.nemod = collapse(nemodText);
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
