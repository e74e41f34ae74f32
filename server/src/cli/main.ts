/**
 * calx check [files|dirs|-] [--format text|json|sarif|ndjson] [--terms FILE] [--max-file-size BYTES] [--no-fail]
 *
 * Batch review of notes with the same core as the language server. Files are read and reported one at a
 * time (text and JSON are written as they are done), with progress on stderr for many files.
 * Exit status: 0 clean, 1 when an error-severity diagnostic was found, 2 on a usage or input problem.
 * A file that cannot be read, is over --max-file-size (default 2 MB), binary (NUL bytes) or not valid UTF-8, a
 * broken link, a link loop or an unreadable directory (inputs.ts) is skipped with one line on stderr and listed
 * in the JSON summary; the other files are still checked. Then the status is 2 unless an error finding
 * already made it 1 (1 says "fix the notes", 2 "not everything was checked"; both fail a CI job). --no-fail
 * does not hide skipped files.
 * --format ndjson (ndjson.ts) reads records from standard input and writes one result line each as it goes; a bad
 * record gets an error line and counts like a skipped file (exit 2 unless an error finding made it 1).
 */
import { relative } from 'node:path';
import { decodeNoteBytes, DEFAULT_MAX_FILE_SIZE } from '../core/inputGuard';
import { Lexicon } from '../core/lexicon/lexicon';
import { loadLexiconFile } from '../core/lexicon/loadLexicon';
import { findDataDir, loadServices, loadShippedLexiconFile, SHIPPED_LEXICON } from '../core/loadServices';
import type { CalxServices } from '../core/rules/types';
import { listInputs, readInput } from './inputs';
import { checkRecords } from './ndjson';
import { analyseFile, fileJson, fileText, sarif, type FileReport } from './report';

const VERSION = '0.1.0';
const PROGRESS_EVERY = 25;

interface Options {
  format: 'text' | 'json' | 'sarif' | 'ndjson';
  inputs: string[];
  terms?: string;
  /** Exit 0 even when errors were found (for demos such as `npm start`); usage errors still exit 2. */
  noFail: boolean;
  /** Files larger than this many bytes are skipped. */
  maxFileSize: number;
}

function usage(message?: string): never {
  if (message) process.stderr.write(`calx: ${message}\n`);
  process.stderr.write('usage: calx check [files|dirs|-] [--format text|json|sarif|ndjson] [--terms FILE] [--max-file-size BYTES] [--no-fail]\n');
  process.exit(2);
}

function parseArgs(argv: string[]): Options {
  const [command, ...rest] = argv;
  if (command !== 'check') usage(command ? `unknown command "${command}"` : undefined);
  const options: Options = { format: 'text', inputs: [], noFail: false, maxFileSize: DEFAULT_MAX_FILE_SIZE };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const [flag, inline] = arg.startsWith('--') ? (arg.split(/=(.*)/s, 2) as [string, string | undefined]) : [arg, undefined];
    const value = () => inline ?? rest[++i] ?? usage(`${flag} needs a value`);
    if (flag === '--format') {
      const format = value();
      if (format !== 'text' && format !== 'json' && format !== 'sarif' && format !== 'ndjson') usage('--format takes text, json, sarif or ndjson');
      options.format = format;
    } else if (flag === '--terms') options.terms = value();
    else if (flag === '--no-fail') options.noFail = true;
    else if (flag === '--max-file-size') {
      options.maxFileSize = Number(value());
      if (!Number.isInteger(options.maxFileSize) || options.maxFileSize < 1) usage('--max-file-size takes a number of bytes');
    }
    else if (flag.startsWith('--')) usage(`unknown option ${flag}`);
    else options.inputs.push(arg);
  }
  if (options.inputs.length === 0) options.inputs.push('-');
  if (options.format === 'ndjson' && options.inputs.some((input) => input !== '-')) {
    usage('--format ndjson reads its records from standard input (-); name files in records: {"id": ..., "path": ...}');
  }
  return options;
}

/** The shipped services, with the user's custom term file added to the lexicon when given. */
function servicesWithTerms(terms: string | undefined): CalxServices {
  const dataDir = findDataDir(__dirname);
  const services = loadServices(dataDir);
  if (!terms) return services;
  const shipped = loadShippedLexiconFile(dataDir);
  const custom = loadLexiconFile(terms, {
    externalConceptIds: shipped.concepts.map((c) => c.id),
    externalEtiologyIds: shipped.etiologies.map((e) => e.id),
  });
  return { ...services, lexicon: new Lexicon([{ name: SHIPPED_LEXICON, file: shipped }, { name: terms, file: custom }], services.anatomy) };
}

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  let services: CalxServices;
  try {
    services = servicesWithTerms(options.terms);
  } catch (e) {
    usage((e as Error).message);
  }
  if (options.format === 'ndjson') {
    // A reader that goes away (a closed pipe) ends the run; it is not a crash with a stack trace.
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      process.stderr.write(`calx: standard output closed (${e.code ?? e.name}); stopping\n`);
      process.exit(2);
    });
    void checkRecords(process.stdin, process.stdout, services, { maxFileSize: options.maxFileSize, log: (line) => process.stderr.write(`${line}\n`) }).then(
      (summary) => (process.exitCode = summary.errors > 0 && !options.noFail ? 1 : summary.bad > 0 ? 2 : 0),
      (e: NodeJS.ErrnoException) => {
        process.stderr.write(`calx: standard input could not be read (${e.code ?? e.name}); stopping\n`);
        process.exitCode = 2;
      },
    );
    return;
  }
  const files = listInputs(options.inputs);
  const out = (s: string) => process.stdout.write(s);
  const reports: FileReport[] = [];
  let errors = 0;
  let warnings = 0;
  /** Files not checked, with the reason (said on stderr as they are met). */
  const skipped: Array<{ file: string; reason: string }> = [];
  let written = 0;
  if (options.format === 'text') out(`Calx · ICD-10-CM FY${services.codes.fiscalYear} (effective ${services.codes.effective})\n\n`);
  if (options.format === 'json') {
    const head = {
      tool: 'calx',
      version: VERSION,
      codeSet: { system: 'ICD-10-CM', fiscalYear: services.codes.fiscalYear, effective: services.codes.effective },
      lexicons: services.lexicon.sources,
    };
    out(`${JSON.stringify(head, null, 2).replace(/\n}$/, ',\n  "files": [\n')}`);
  }
  files.forEach(({ path: file, skip }, i) => {
    const name = file === '-' ? '<stdin>' : relative(process.cwd(), file) || file;
    let text: string;
    try {
      if (skip) throw new SkipFile(skip);
      const read = readInput(file, options.maxFileSize);
      if (read.problem) throw new SkipFile(read.problem.reason);
      const decoded = decodeNoteBytes(read.bytes, options.maxFileSize);
      if (decoded.problem) throw new SkipFile(decoded.problem.reason);
      text = decoded.text;
    } catch (e) {
      const reason = e instanceof SkipFile ? e.message : `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).name})`;
      skipped.push({ file: name, reason });
      process.stderr.write(`calx: skipped ${name}: it ${reason}\n`);
      return;
    }
    const report = analyseFile(name, text, services);
    for (const d of report.analysis.diagnostics) {
      if (d.severity === 'error') errors++;
      if (d.severity === 'warning') warnings++;
    }
    if (options.format === 'text') out(`${fileText(report, services)}\n`);
    else if (options.format === 'json') {
      const entry = JSON.stringify(fileJson(report, services), null, 2).replace(/^/gm, '    ');
      out(`${written++ > 0 ? ',\n' : ''}${entry}`);
    } else reports.push(report);
    if (files.length > PROGRESS_EVERY && (i + 1) % PROGRESS_EVERY === 0) process.stderr.write(`calx: ${i + 1}/${files.length} files\n`);
  });
  const checked = files.length - skipped.length;
  if (options.format === 'text') out(`${checked} file(s), ${errors} error(s), ${warnings} warning(s)${skipped.length ? `, ${skipped.length} skipped` : ''}\n`);
  if (options.format === 'json') out(`\n  ],\n  "summary": ${JSON.stringify({ files: checked, errors, warnings, ...(skipped.length ? { skipped } : {}) })}\n}\n`);
  if (options.format === 'sarif') out(`${JSON.stringify(sarif(reports, VERSION), null, 2)}\n`);
  process.exitCode = errors > 0 && !options.noFail ? 1 : skipped.length > 0 ? 2 : 0;
}

/**
 * A file Calx will not analyse (too large, binary, not UTF-8, a broken link, an unreadable directory): skipped,
 * said so, the rest still checked.
 */
class SkipFile extends Error {}

main();
