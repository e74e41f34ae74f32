import { readFileSync } from 'node:fs';
import { loadCodeIndex } from './server/src/core/codes/loadCodeData';
import { loadAnatomy } from './server/src/core/attributes/anatomy';
import { loadLexiconFile } from './server/src/core/lexicon/loadLexicon';
import { Lexicon } from './server/src/core/lexicon/lexicon';
import { loadContextLexicon } from './server/src/core/context/loadContext';
import { buildTextModel } from './server/src/core/text/textModel';
import { findFindings } from './server/src/core/findings/findings';
const services = { codes: loadCodeIndex('data/icd10cm'), anatomy: loadAnatomy('data/lexicon/anatomy.json'), lexicon: new Lexicon([{ name: 'calcification', file: loadLexiconFile('data/lexicon/calcification.json') }]), context: loadContextLexicon('data/context') };
for (const f of process.argv.slice(2)) {
  const text = readFileSync(f, 'utf8');
  console.log('==', f);
  for (const x of findFindings(buildTextModel(text), services)) {
    const ctx = Object.entries(x.context).map(([k, v]) => `${k}(${v!.phrase}/${v!.via})`).join(' ');
    console.log(`${JSON.stringify(x.text)} [${x.conceptId}] ${x.section} ${ctx} site=${x.site?.value ?? '-'}(${x.site?.via ?? ''}) side=${x.laterality?.value ?? '-'}(${x.laterality?.via ?? ''}) etio=${x.etiologies.map(e=>e.value+'/'+e.via).join(',')} fam=${x.coding.family} sugg=${x.coding.suggested} unspec=${x.coding.unspecified ?? ''} missing=${x.coding.missing.map(m=>m.attribute).join(',')} first=${x.coding.codeFirst}`);
  }
}
