import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAlphabeticIndex, loadCodeIndex } from '../../server/src/core/codes/loadCodeData';
import type { AlphabeticIndex } from '../../server/src/core/codes/alphabeticIndex';
import type { CodeIndex } from '../../server/src/core/codes/codeIndex';
import { loadCuratedCptFile } from '../../server/src/core/cpt/loadCpt';
import { loadLexiconFile, normalizePhrase, parseLexicon } from '../../server/src/core/lexicon/loadLexicon';
import type { LexiconConcept, LexiconFile } from '../../server/src/core/lexicon/schema';
import { REPO_ROOT } from '../support/services';

const LEXICON_PATH = join(REPO_ROOT, 'data', 'lexicon', 'calcification.json');
const ICD10CM_DIR = join(REPO_ROOT, 'data', 'icd10cm');

/** Every concept named in the seed documents and the issue; renaming one breaks users' settings, so pin them. */
const REQUIRED_CONCEPTS = [
  'calcification', 'microcalcification', 'dystrophic-calcification', 'metastatic-calcification', 'calcinosis',
  'calcinosis-cutis', 'calcinosis-circumscripta', 'calcinosis-universalis', 'tumoral-calcinosis', 'calciphylaxis',
  'ossification', 'calcific-tendinitis', 'calcific-tendinitis-of-shoulder', 'calcific-bursitis', 'calcification-of-muscle',
  'paralytic-calcification-of-muscle', 'heterotopic-ossification', 'myositis-ossificans', 'myositis-ossificans-traumatica',
  'myositis-ossificans-progressiva', 'chondrocalcinosis', 'familial-chondrocalcinosis', 'cppd-disease',
  'hydroxyapatite-deposition-disease', 'vascular-calcification', 'medial-arterial-calcification', 'aortic-calcification',
  'aortic-atherosclerosis', 'coronary-artery-calcification', 'calcified-coronary-lesion', 'aortic-valve-calcification',
  'calcific-aortic-stenosis', 'mitral-annular-calcification', 'phlebolith', 'intracranial-calcification',
  'basal-ganglia-calcification', 'pineal-calcification', 'pulmonary-calcification', 'calcified-granuloma',
  'calcified-pulmonary-nodule', 'calcified-lymph-node', 'breast-calcification', 'breast-microcalcification',
  'nephrocalcinosis', 'renal-calculus', 'ureteral-calculus', 'bladder-calculus', 'bile-duct-calculus', 'salivary-calculus',
];

/** The etiology ids the anatomy/etiology resolver and the seeds' coding notes rely on. */
const REQUIRED_ETIOLOGIES = [
  'ckd', 'esrd', 'primary-hyperparathyroidism', 'secondary-hyperparathyroidism', 'hyperparathyroidism', 'hypoparathyroidism',
  'hypercalcemia', 'hyperphosphatemia', 'vitamin-d-toxicity', 'milk-alkali', 'malignancy', 'systemic-sclerosis',
  'crest-syndrome', 'dermatomyositis', 'lupus', 'trauma', 'burns', 'paralysis', 'spinal-cord-injury',
  'traumatic-brain-injury', 'surgery', 'arthroplasty', 'atherosclerosis', 'diabetes', 'tuberculosis', 'sarcoidosis',
  'renal-failure', 'idiopathic',
];

function shippedJson(): { concepts: Array<Record<string, unknown>>; etiologies: Array<Record<string, unknown>> } & Record<string, unknown> {
  return JSON.parse(readFileSync(LEXICON_PATH, 'utf8'));
}

interface TinyRule {
  code: string;
  sites?: string[];
  etiologies?: string[];
}
interface TinyLexicon {
  schemaVersion: number;
  name: string;
  description: string;
  concepts: Array<{ id: string; variants: string[]; codeFamilies: TinyRule[] } & Record<string, unknown>>;
  etiologies: Array<{ id: string; variants: string[]; codes: string[] } & Record<string, unknown>>;
}

/** A small valid file to break on purpose; plain objects, so tests can mutate copies. */
function tinyLexicon(): TinyLexicon {
  return {
    schemaVersion: 1,
    name: 'test lexicon',
    description: 'Two concepts and one etiology.',
    concepts: [
      {
        id: 'calcific-tendinitis',
        preferred: 'Calcific tendinitis',
        variants: ['calcific tendinitis', 'calcific tendonitis'],
        category: 'dystrophic-calcification',
        definition: 'Calcium deposits in a tendon.',
        codeFamilies: [{ code: 'M75.3', sites: ['shoulder'] }, { code: 'M65.2' }],
        axes: ['site', 'laterality'],
      },
      {
        id: 'calcification-of-muscle',
        preferred: 'Calcification of muscle',
        variants: ['muscle calcification'],
        category: 'calcification',
        definition: 'Calcium deposits in muscle.',
        codeFamilies: [{ code: 'M61.2', etiologies: ['paralysis'] }, { code: 'M61.4' }],
      },
    ],
    etiologies: [{ id: 'paralysis', preferred: 'Paralysis', variants: ['paraplegia'], codes: ['G82.2'] }],
  };
}

function rejection(json: unknown, options?: Parameters<typeof parseLexicon>[2]): string {
  try {
    parseLexicon(json, 'custom.json', options);
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail('expected the lexicon to be rejected');
}

/** A code as written in `sequencing` (`I25.1-`, `N18.-`) without its family marker. */
const bareCode = (ref: string) => ref.replace(/\.?-$/, '');

describe('calcification lexicon (shipped data)', () => {
  let lexicon: LexiconFile;
  let codes: CodeIndex;
  let alphabeticIndex: AlphabeticIndex;
  before(() => {
    lexicon = loadLexiconFile(LEXICON_PATH);
    codes = loadCodeIndex(ICD10CM_DIR);
    alphabeticIndex = loadAlphabeticIndex(ICD10CM_DIR);
  });
  const concept = (id: string): LexiconConcept => {
    const found = lexicon.concepts.find((c) => c.id === id);
    assert.ok(found, `missing concept ${id}`);
    return found;
  };

  it('validates and is deeply frozen', () => {
    assert.equal(lexicon.schemaVersion, 1);
    assert.ok(Object.isFrozen(lexicon));
    assert.ok(Object.isFrozen(lexicon.concepts));
    assert.ok(Object.isFrozen(lexicon.concepts[0]!.variants));
    assert.ok(Object.isFrozen(lexicon.concepts[0]!.codeFamilies[0]));
  });

  it('has every required concept and etiology', () => {
    const conceptIds = new Set(lexicon.concepts.map((c) => c.id));
    assert.deepEqual(REQUIRED_CONCEPTS.filter((id) => !conceptIds.has(id)), []);
    const etiologyIds = new Set(lexicon.etiologies.map((e) => e.id));
    assert.deepEqual(REQUIRED_ETIOLOGIES.filter((id) => !etiologyIds.has(id)), []);
  });

  it('names only codes that exist in the FY2027 code set', () => {
    const missing: string[] = [];
    const check = (code: string, where: string) => {
      if (!codes.has(code)) missing.push(`${where}: ${code}`);
    };
    lexicon.concepts.forEach((c, i) => {
      c.codeFamilies.forEach((rule, r) => check(rule.code, `concepts[${i}].codeFamilies[${r}]`));
      const s = c.sequencing;
      for (const ref of [...(s?.codeFirst ?? []), ...(s?.useAdditional ?? []), ...(s?.codeAlso ?? [])]) {
        check(bareCode(ref), `concepts[${i}].sequencing (${c.id})`);
      }
    });
    lexicon.etiologies.forEach((e, i) => e.codes.forEach((code, k) => check(code, `etiologies[${i}].codes[${k}]`)));
    assert.deepEqual(missing, []);
  });

  it('gives index paths that all resolve in the FY2027 alphabetic index', () => {
    const unresolved = lexicon.concepts.flatMap((c) =>
      c.indexTerms.filter((path) => !alphabeticIndex.lookup(path)).map((path) => `${c.id}: ${path}`),
    );
    assert.deepEqual(unresolved, []);
  });

  it('names only CPT codes of the curated catalog', () => {
    const cpt = loadCuratedCptFile(join(REPO_ROOT, 'data', 'cpt', 'curated.json'));
    const unknown = lexicon.concepts.flatMap((c) => c.relatedCpt.filter((code) => !cpt.get(code)?.curated).map((code) => `${c.id}: ${code}`));
    assert.deepEqual(unknown, []);
  });

  it('lists laterality whenever a family splits by side, and etiology only where the cause must be documented', () => {
    const problems: string[] = [];
    for (const c of lexicon.concepts) {
      const sided = c.codeFamilies.some((rule) => codes.billableDescendants(rule.code).some((d) => /\b(right|left)\b/i.test(d.title)));
      if (sided && !c.axes.includes('laterality')) problems.push(`${c.id}: laterality`);
      // The etiology axis means "code it compliantly only with the cause documented" (missing-etiology asks for
      // it): a rule or a code-first note must depend on it. A cause that only refines (rheumatic valve disease,
      // familial CPPD) stays a rule condition without the axis, so it is used when written but never queried.
      const causeMatters =
        c.codeFamilies.some((rule) => rule.etiologies) || (c.sequencing?.codeFirst?.length ?? 0) > 0 || (c.sequencing?.codeAlso?.length ?? 0) > 0;
      if (c.axes.includes('etiology') && !causeMatters && !['metastatic-calcification', 'calcinosis'].includes(c.category)) {
        problems.push(`${c.id}: etiology axis with nothing that depends on the cause`);
      }
      if (c.codeFamilies.some((rule) => rule.sites && !rule.etiologies) && !c.axes.includes('site')) problems.push(`${c.id}: site`);
    }
    assert.deepEqual(problems, []);
    for (const id of ['heterotopic-ossification', 'myositis-ossificans', 'calcification-of-muscle', 'metastatic-calcification', 'calciphylaxis']) {
      assert.ok(concept(id).axes.includes('etiology'), `${id} needs its cause documented`);
    }
  });

  it('sends calcific tendinitis of the shoulder to M75.3, because M65.2 has no shoulder codes (the seeds\' M65.21x)', () => {
    assert.equal(codes.get('M65.21'), undefined);
    assert.deepEqual(codes.children('M75.3').map((c) => c.code), ['M75.30', 'M75.31', 'M75.32']);
    const tendinitis = concept('calcific-tendinitis');
    assert.deepEqual(tendinitis.codeFamilies.map((r) => [r.code, r.sites ?? []]), [['M75.3', ['shoulder']], ['M65.2', []]]);
    assert.deepEqual(concept('calcific-tendinitis-of-shoulder').axes, ['laterality']);
    assert.equal(concept('calcific-bursitis').codeFamilies[0]!.code, 'M75.3');
  });

  it('keeps heterotopic ossification out of the calcification codes', () => {
    const ho = concept('heterotopic-ossification');
    assert.deepEqual(ho.codeFamilies.map((r) => [r.code, r.etiologies ?? []]), [
      ['M61.2', ['paralysis', 'spinal-cord-injury']],
      ['M61.3', ['burns']],
      ['M61.0', ['trauma']],
      ['M61.5', ['traumatic-brain-injury']],
      ['M61.5', ['arthroplasty', 'surgery']],
      ['M61.5', []],
    ]);
    assert.ok(!ho.codeFamilies.some((r) => r.code === 'M61.4' || r.code === 'M61.9'));
    assert.ok(concept('calcification-of-muscle').distinguishFrom.some((d) => d.id === 'heterotopic-ossification'));
  });

  it('sequences I25.84 after the coronary atherosclerosis code, as the FY2027 tabular says', () => {
    assert.deepEqual(codes.ownNotes('I25.84').codeFirst, ['coronary atherosclerosis (I25.1-, I25.7-, I25.81-)']);
    const lesion = concept('calcified-coronary-lesion');
    assert.deepEqual(lesion.sequencing?.codeFirst, ['I25.1-', 'I25.7-', 'I25.81-']);
    const cac = concept('coronary-artery-calcification');
    assert.equal(cac.codeFamilies[0]!.code, 'I25.10');
    assert.deepEqual(cac.sequencing?.useAdditional, ['I25.84']);
    assert.ok(cac.abbreviations.includes('CAC'));
    assert.ok(cac.variants.includes('Agatston score'));
  });

  it('codes renal secondary hyperparathyroidism to N25.81, not the seeds\' E21.1', () => {
    assert.equal(codes.get('N25.81')?.title, 'Secondary hyperparathyroidism of renal origin');
    const shpt = lexicon.etiologies.find((e) => e.id === 'secondary-hyperparathyroidism')!;
    assert.deepEqual(shpt.codes, ['N25.81', 'E21.1']);
    assert.ok(concept('metastatic-calcification').sequencing?.codeFirst?.includes('N25.81'));
  });

  it('claims each phrase for one concept or etiology only', () => {
    const owners = new Map<string, string>();
    for (const entry of [...lexicon.concepts, ...lexicon.etiologies]) {
      for (const phrase of [...entry.variants, ...entry.abbreviations]) {
        const key = normalizePhrase(phrase);
        assert.ok(!owners.has(key) || owners.get(key) === entry.id, `${phrase}: ${owners.get(key)} and ${entry.id}`);
        owners.set(key, entry.id);
      }
    }
  });
});

describe('lexicon schema', () => {
  it('normalises case, accents, hyphens, spaces and apostrophes alike', () => {
    assert.equal(normalizePhrase('Mönckeberg’s  Medial-Calcific sclerosis'), 'monckeberg s medial calcific sclerosis');
    assert.equal(normalizePhrase('pseudo-gout'), normalizePhrase('Pseudo Gout'));
    assert.equal(normalizePhrase("Fahr's disease"), normalizePhrase('fahr s disease'));
    assert.notEqual(normalizePhrase('pseudogout'), normalizePhrase('pseudo gout'));
  });

  it('accepts the tiny lexicon', () => {
    const parsed = parseLexicon(tinyLexicon(), 'custom.json');
    assert.deepEqual(parsed.concepts[0]!.abbreviations, []);
    assert.deepEqual(parsed.concepts[1]!.axes, []);
  });

  it('rejects a variant claimed by two concepts, naming both JSON paths', () => {
    const json = tinyLexicon();
    json.concepts[1]!.variants.push('Calcific-Tendonitis');
    const message = rejection(json);
    assert.match(message, /^custom\.json: invalid lexicon \(1 issue\):/);
    assert.match(message, /concepts\[1\]\.variants\[1\]: "Calcific-Tendonitis" is already claimed by concept "calcific-tendinitis" at concepts\[0\]\.variants\[1\]/);
  });

  it('rejects a variant that repeats another of the same concept after normalisation', () => {
    const json = tinyLexicon();
    json.concepts[0]!.variants.push('Calcific  tendinitis');
    assert.match(rejection(json), /concepts\[0\]\.variants\[2\]: "Calcific {2}tendinitis" repeats concepts\[0\]\.variants\[0\]/);
  });

  it('rejects a closed compound that another concept claims in hyphenated form', () => {
    const json = tinyLexicon();
    json.concepts[0]!.variants.push('myo-calcification');
    json.concepts[1]!.variants.push('myocalcification');
    assert.match(
      rejection(json),
      /concepts\[1\]\.variants\[1\]: "myocalcification" is already claimed by concept "calcific-tendinitis" at concepts\[0\]\.variants\[2\] \("myocalcification" is its closed compound\)/,
    );
  });

  it('rejects a phrase shared by a concept and an etiology', () => {
    const json = tinyLexicon();
    json.etiologies[0]!.variants.push('muscle calcification');
    assert.match(rejection(json), /etiologies\[0\]\.variants\[1\]: "muscle calcification" is already claimed by concept "calcification-of-muscle"/);
  });

  it('rejects unknown etiology and site ids with their JSON paths', () => {
    const json = tinyLexicon();
    json.concepts[1]!.codeFamilies[0]!.etiologies = ['paralysis', 'quadriplegia'];
    json.concepts[0]!.codeFamilies[0]!.sites = ['rotator-cuff'];
    const message = rejection(json);
    assert.match(message, /concepts\[1\]\.codeFamilies\[0\]\.etiologies\[1\]: unknown etiology id "quadriplegia"/);
    assert.match(message, /concepts\[0\]\.codeFamilies\[0\]\.sites\[0\]: unknown site id "rotator-cuff"/);
  });

  it('accepts etiology ids defined elsewhere when the caller names them', () => {
    const json = tinyLexicon();
    json.concepts[1]!.codeFamilies[0]!.etiologies = ['spinal-cord-injury'];
    assert.match(rejection(json), /unknown etiology id "spinal-cord-injury"/);
    assert.doesNotThrow(() => parseLexicon(json, 'custom.json', { externalEtiologyIds: ['spinal-cord-injury'] }));
  });

  it('rejects duplicate concept ids and malformed ICD-10-CM codes', () => {
    const json = tinyLexicon();
    json.concepts[1]!.id = 'calcific-tendinitis';
    assert.match(rejection(json), /concepts\[1\]\.id: duplicate concept id "calcific-tendinitis" \(first defined at concepts\[0\]\.id\)/);

    const badCodes = tinyLexicon();
    badCodes.concepts[0]!.codeFamilies[1]!.code = 'M65.2-';
    badCodes.etiologies[0]!.codes = ['g82.2'];
    const message = rejection(badCodes);
    assert.match(message, /concepts\[0\]\.codeFamilies\[1\]\.code: must be an ICD-10-CM code/);
    assert.match(message, /etiologies\[0\]\.codes\[0\]: must be an ICD-10-CM code/);
  });

  it('rejects patterns instead of plain phrases', () => {
    for (const variant of ['calcif.*', 'calcific (tendinitis|tendonitis)', 'calc[a-z]+', 'a\\b']) {
      const json = tinyLexicon();
      json.concepts[0]!.variants.push(variant);
      assert.match(rejection(json), /concepts\[0\]\.variants\[2\]: must be a plain phrase/, variant);
    }
  });

  it('rejects a default rule that hides the rules after it', () => {
    const json = tinyLexicon();
    json.concepts[0]!.codeFamilies.reverse();
    assert.match(rejection(json), /concepts\[0\]\.codeFamilies\[0\]: rule for M65\.2 has no conditions, so the 1 rule\(s\) after it can never apply/);
  });

  it('accepts a team\'s own non-calcification term file', () => {
    const custom = {
      schemaVersion: 1,
      name: 'Gout terms (team Rheum)',
      description: 'A custom term file: tophaceous gout, using the shipped etiology list.',
      concepts: [
        {
          id: 'gouty-tophus',
          preferred: 'Gouty tophus',
          variants: ['gouty tophus', 'gouty tophi', 'tophus', 'tophi', 'tophaceous gout', 'chronic tophaceous gout'],
          category: 'other',
          definition: 'A chalky nodule of urate crystals in or near a joint, the sign of long-standing gout.',
          indexTerms: ['Tophi'],
          codeFamilies: [
            { code: 'M1A.3', etiologies: ['ckd', 'renal-failure'], note: 'Chronic gout due to renal impairment; 7th character 1 = with tophus.' },
            { code: 'M1A.9', note: 'Chronic gout, unspecified; 7th character 1 = with tophus.' },
          ],
          axes: ['site', 'laterality', 'etiology'],
          distinguishFrom: [{ id: 'calcinosis-cutis', reason: 'Both are chalky skin nodules; tophi are urate, calcinosis is calcium.' }],
        },
      ],
    };
    const shipped = loadLexiconFile(LEXICON_PATH);
    const parsed = parseLexicon(custom, 'gout.json', {
      externalEtiologyIds: shipped.etiologies.map((e) => e.id),
      externalConceptIds: shipped.concepts.map((c) => c.id),
    });
    assert.equal(parsed.concepts[0]!.codeFamilies[1]!.code, 'M1A.9');
    assert.deepEqual(parsed.etiologies, []);
    const codes = loadCodeIndex(ICD10CM_DIR);
    assert.equal(codes.get('M1A.9XX1')?.title, 'Chronic gout, unspecified, with tophus (tophi)');
    assert.ok(loadAlphabeticIndex(ICD10CM_DIR).lookup('Tophi'));
  });

  it('reports a missing or non-JSON file with its path', () => {
    assert.throws(() => loadLexiconFile(join(REPO_ROOT, 'data', 'lexicon', 'no-such-file.json')), /Cannot read lexicon file .*no-such-file\.json/);
    assert.throws(() => parseLexicon({ ...shippedJson(), schemaVersion: 2 }, 'x.json'), /x\.json: invalid lexicon \(1 issue\):\n {2}schemaVersion: /);
  });
});
