import { services } from '/work/wt-search/test/support/services';
import { searchCodes } from '/work/wt-search/server/src/core/codes/search';
const s = services();
const ix = s.alphabeticIndex();
for (const a of process.argv.slice(2)) {
  if (a.startsWith('@')) { const m = ix.lookup(a.slice(1)); console.log(a, JSON.stringify(m?.term, null, 0)?.slice(0, 1500)); continue; }
  const hits = searchCodes(s.codes, ix, a, 5);
  console.log(a, '=>', hits.map(h => `${h.code} ${h.title.slice(0,50)} [${h.matchedBy}${h.indexPath ? ' ' + h.indexPath : ''}]`).join(' | '));
}
