/**
 * npm run data:build [-- --source DIR] [-- --out DIR]
 *
 * Rebuilds data/icd10cm/ from the official CMS/CDC release files. Deterministic: the same sources give
 * the same bytes (no timestamps, sorted output), so a test can compare a rebuild with what is committed.
 * Next October, point --source at the new release's files; the newest file of each kind is used.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAlphaIndex } from './data/alphaIndex';
import { effectiveDate } from './data/codeFormat';
import { parseCodesFile } from './data/codesFile';
import { checkIndexCodes, collectNotes, composeCodeSet, describeChanges } from './data/compose';
import { stringifyLines } from './data/jsonLines';
import { parseOrderAddenda } from './data/orderAddenda';
import { parseOrderFile } from './data/orderFile';
import { discoverSources, newest, readSourceText, type SourceFile } from './data/sources';
import { parseTabular } from './data/tabular';
import { GENERATED_FILES, sha256, validatedCodeIndex, validateGeneratedFiles, type GeneratedFile } from '../server/src/core/codes/loadCodeData';
import { CODE_TABLE_HEADER, DATA_SCHEMA_VERSION } from '../server/src/core/codes/schema';
import { tellingStems } from '../server/src/core/codes/titleStems';


export interface BuildOptions {
  source: string;
  out: string;
  log?: (line: string) => void;
}

export function buildData({ source, out, log = () => {} }: BuildOptions): void {
  const sources = discoverSources(source);
  const used: SourceFile[] = [];
  const use = (s: SourceFile | undefined, what: string): SourceFile => {
    if (!s) throw new Error(`no ${what} found under ${source}`);
    used.push(s);
    return s;
  };

  // The target year is the newest year any code list speaks for.
  const targetYear = Math.max(
    ...sources.filter((s) => ['codes', 'order', 'order-addenda'].includes(s.kind)).map((s) => s.fiscalYear),
  );
  const tabularSource = use(newest(sources, 'tabular', targetYear), 'tabular XML');
  log(`target FY${targetYear}; tabular ${tabularSource.path}`);
  const tabular = parseTabular(readSourceText(tabularSource));
  const tabularCodes = new Set(tabular.diags.map((d) => d.code));

  const fullOrder = newest(sources, 'order', targetYear);
  let codeSet;
  if (fullOrder?.fiscalYear === targetYear) {
    const { billable, headers } = parseOrderFile(readSourceText(use(fullOrder, 'order file')));
    codeSet = composeCodeSet({ targetYear, billable, headers, tabular, tabularYear: tabularSource.fiscalYear });
  } else {
    const codesSource = use(newest(sources, 'codes', targetYear - 1), `FY${targetYear - 1} codes file`);
    if (codesSource.fiscalYear !== targetYear - 1) throw new Error(`need the FY${targetYear - 1} codes file`);
    const billable = parseCodesFile(readSourceText(codesSource));
    // Headers of the base year are the tabular's codes that are not billable (the order file's 0 rows).
    const headers = new Map(
      tabular.diags.filter((d) => !billable.has(d.code)).map((d) => [d.code, d.title] as [string, string]),
    );
    const addendaSource = use(
      sources.find((s) => s.kind === 'order-addenda' && s.fiscalYear === targetYear),
      `FY${targetYear} order addenda`,
    );
    const addenda = parseOrderAddenda(readSourceText(addendaSource));
    codeSet = composeCodeSet({ targetYear, billable, headers, addenda, tabular, tabularYear: tabularSource.fiscalYear });
  }
  const billableCount = codeSet.codes.filter((c) => c.billable).length;
  log(`FY${targetYear}: ${billableCount} billable codes, ${codeSet.codes.length - billableCount} headers`);

  // Deleted / added / retitled codes of every addenda up to the target year (older ones explain old notes).
  const changes = sources
    .filter((s) => s.kind === 'order-addenda' && s.fiscalYear <= targetYear)
    .sort((a, b) => a.fiscalYear - b.fiscalYear)
    .map((s) => describeChanges(s.fiscalYear, parseOrderAddenda(readSourceText(use(s, 'order addenda')))))
    .filter((c) => c.added.length + c.deleted.length + c.revised.length > 0);

  const codeFlags = new Map(codeSet.codes.map((c) => [c.code, c.billable]));
  const notes = collectNotes(tabular, new Set(codeFlags.keys()));

  const indexSource = use(newest(sources, 'index', targetYear), 'alphabetic index XML');
  // The other indexes and tables of the release, when present: external causes, neoplasms, drugs and chemicals.
  const extra = (
    [
      ['eindex', 'external-causes', 'external cause index'],
      ['neoplasm', 'neoplasms', 'Table of Neoplasms'],
      ['drug', 'drugs', 'Table of Drugs and Chemicals'],
    ] as const
  ).flatMap(([kind, id, what]) => {
    const found = newest(sources, kind, targetYear);
    return found ? [{ id, source: use(found, what) }] : [];
  });
  const indexes = [{ id: 'diseases', source: indexSource }, ...extra].map(({ id, source: s }) => {
    const parsed = parseAlphaIndex(readSourceText(s));
    const check = checkIndexCodes(parsed, codeFlags);
    log(`index ${id} (FY${s.fiscalYear}): ${check.terms} terms, ${check.notInCodeSet.length} codes not in FY${targetYear}`);
    return { id, title: parsed.title, fiscalYear: s.fiscalYear, parsed, check };
  });

  const files = {} as Record<GeneratedFile, string>;
  const write = (name: GeneratedFile, text: string) => (files[name] = text);
  write(
    'codes.json',
    stringifyLines(
      {
        schemaVersion: DATA_SCHEMA_VERSION,
        fiscalYear: targetYear,
        effective: effectiveDate(targetYear),
        chapters: tabular.chapters.map(({ id, title, range }) => ({ id, title, range })),
        blocks: tabular.blocks.map(({ id, title, chapter, first, last }) => ({ id, title, chapter, first, last })),
      },
      ['chapters', 'blocks'],
    ),
  );
  // One row per code (code, title, billable 0/1, parent, tabular year), tab-separated: no JSON to parse at
  // start, the titles stay in one string, and it diffs line by line.
  write(
    'codes.tsv',
    `${[CODE_TABLE_HEADER, ...codeSet.codes.map((c) => [c.code, c.title, c.billable ? 1 : 0, c.parent, c.tabularYear].join('\t'))].join('\n')}\n`,
  );
  write(
    'notes.json',
    stringifyLines(
      { schemaVersion: DATA_SCHEMA_VERSION, fiscalYear: tabularSource.fiscalYear, ...notes },
      ['chapters', 'blocks', 'codes'],
    ),
  );
  write(
    'changes.json',
    stringifyLines(
      {
        schemaVersion: DATA_SCHEMA_VERSION,
        years: changes.map((c) => c.fiscalYear),
        deleted: changes.flatMap((c) => c.deleted),
        added: changes.flatMap((c) => c.added.map((a) => ({ ...a, fiscalYear: c.fiscalYear }))),
        revised: changes.flatMap((c) => c.revised.map((r) => ({ ...r, fiscalYear: c.fiscalYear }))),
      },
      ['deleted', 'added', 'revised'],
    ),
  );
  write(
    'index.json',
    stringifyLines(
      {
        schemaVersion: DATA_SCHEMA_VERSION,
        indexes: indexes.map((i) => ({
          id: i.id,
          title: i.title,
          fiscalYear: i.fiscalYear,
          ...(i.parsed.columns ? { columns: i.parsed.columns } : {}),
        })),
        // One main term per line; each line says which index it belongs to.
        terms: indexes.flatMap((i) => i.parsed.terms.map((t) => ({ index: i.id, ...t }))),
      },
      ['terms'],
    ),
  );

  // What depends only on the files above is worked out here once rather than at every start (the first note
  // with a code in it would otherwise wait for scans of every code and title): the code shapes and which title
  // words tell a code apart.
  const codeIndex = validatedCodeIndex(files);
  const { positions, seconds, pattern, prefixPattern } = codeIndex.shapes;
  write(
    'derived.json',
    stringifyLines(
      {
        schemaVersion: DATA_SCHEMA_VERSION,
        codeShapes: { positions, seconds: [...seconds], pattern, prefixPattern },
        titleStems: tellingStems(codeIndex),
      },
      ['titleStems'],
    ),
  );

  // The server trusts files whose bytes match these records without validating them again: validate them here.
  validateGeneratedFiles(files);
  mkdirSync(out, { recursive: true });
  for (const name of GENERATED_FILES) writeFileSync(join(out, name), files[name]);

  const noteCount = (set: Record<string, Record<string, unknown[]>>) => {
    const counts: Record<string, number> = {};
    for (const n of Object.values(set)) for (const [k, v] of Object.entries(n)) counts[k] = (counts[k] ?? 0) + v.length;
    return Object.fromEntries(Object.entries(counts).sort());
  };
  const provenance = {
    schemaVersion: DATA_SCHEMA_VERSION,
    codeSet: 'ICD-10-CM',
    fiscalYear: targetYear,
    effective: effectiveDate(targetYear),
    publisher: 'CMS and CDC/NCHS (U.S. government works, public domain)',
    sources: [...new Map(used.map((s) => [s.path, s])).values()]
      .sort((a, b) => a.path.localeCompare(b.path))
      .map(({ kind, path, fiscalYear, april, bytes, sha256 }) => ({ kind, path, fiscalYear, april, bytes, sha256 })),
    // What this build wrote and validated; a file that no longer matches is validated again at load.
    files: Object.fromEntries(
      GENERATED_FILES.map((name) => {
        const bytes = Buffer.from(files[name], 'utf8');
        return [name, { bytes: bytes.length, sha256: sha256(bytes) }];
      }),
    ),
    counts: {
      billable: billableCount,
      headers: codeSet.codes.length - billableCount,
      chapters: tabular.chapters.length,
      blocks: tabular.blocks.length,
      tabularDiags: tabularCodes.size,
      codesWithOwnNotes: Object.keys(notes.codes).length,
      notesByKind: noteCount(notes.codes as Record<string, Record<string, unknown[]>>),
      codesWithoutTabularEntry: codeSet.withoutTabularEntry.length,
      deleted: Object.fromEntries(changes.map((c) => [c.fiscalYear, c.deleted.length])),
      indexes: Object.fromEntries(indexes.map((i) => [i.id, { ...i.check, notInCodeSet: i.check.notInCodeSet.length }])),
    },
    codesWithoutTabularEntry: codeSet.withoutTabularEntry,
    categoriesPlacedByOrder: codeSet.placedByOrder,
    indexCodesNotInCodeSet: Object.fromEntries(indexes.map((i) => [i.id, i.check.notInCodeSet])),
  };
  writeFileSync(join(out, 'provenance.json'), `${JSON.stringify(provenance, null, 2)}\n`);
  log(`wrote ${out}`);
}

function parseArgs(argv: string[]): { source: string; out: string } {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const args = { source: resolve(root, '..', 'shared', 'data', 'icd10cm'), out: join(root, 'data', 'icd10cm') };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2);
    const value = inline ?? argv[++i];
    if (flag === '--source' && value) args.source = resolve(value);
    else if (flag === '--out' && value) args.out = resolve(value);
    else throw new Error(`usage: build-data [--source DIR] [--out DIR] (got ${argv.join(' ')})`);
  }
  return args;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { source, out } = parseArgs(process.argv.slice(2));
    buildData({ source, out, log: (line) => console.log(line) });
  } catch (e) {
    console.error(`data:build failed: ${(e as Error).message}`);
    process.exit(1);
  }
}
