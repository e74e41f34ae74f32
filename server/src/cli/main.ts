/**
 * calx check [files|dirs|-] [--format text|json] [--no-fail]
 *
 * Batch review of notes with the same core as the language server. Exit status: 0 clean, 1 when an
 * error-severity diagnostic was found, 2 on a usage or I/O problem.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeNote, type NoteAnalysis } from '../core/analyze';
import { findDataDir, loadServices } from '../core/loadServices';
import type { CalxServices } from '../core/rules/types';

const NOTE_EXTENSIONS = new Set(['.txt', '.note', '.opnote', '.md']);

interface Options {
  format: 'text' | 'json';
  inputs: string[];
  /** Exit 0 even when errors were found (for demos such as `npm start`); usage errors still exit 2. */
  noFail: boolean;
}

function usage(message?: string): never {
  if (message) process.stderr.write(`calx: ${message}\n`);
  process.stderr.write('usage: calx check [files|dirs|-] [--format text|json] [--no-fail]\n');
  process.exit(2);
}

function parseArgs(argv: string[]): Options {
  const [command, ...rest] = argv;
  if (command !== 'check') usage(command ? `unknown command "${command}"` : undefined);
  const options: Options = { format: 'text', inputs: [], noFail: false };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '--format' || arg.startsWith('--format=')) {
      const value = arg.includes('=') ? arg.split('=')[1] : rest[++i];
      if (value !== 'text' && value !== 'json') usage(`--format takes text or json`);
      options.format = value;
    } else if (arg === '--no-fail') options.noFail = true;
    else if (arg.startsWith('--')) usage(`unknown option ${arg}`);
    else options.inputs.push(arg);
  }
  if (options.inputs.length === 0) options.inputs.push('-');
  return options;
}

/** Files to check, in a stable order: directories are walked for note-like extensions. */
function expand(inputs: string[]): string[] {
  const files: string[] = [];
  const walk = (path: string) => {
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const name of readdirSync(path).sort()) {
        const child = join(path, name);
        if (statSync(child).isDirectory() || NOTE_EXTENSIONS.has(extname(name).toLowerCase())) walk(child);
      }
    } else files.push(path);
  };
  for (const input of inputs) {
    if (input === '-') files.push('-');
    else walk(input);
  }
  return files;
}

interface FileReport {
  file: string;
  document: TextDocument;
  analysis: NoteAnalysis;
}

function reportJson(reports: FileReport[], services: CalxServices): string {
  const position = (d: TextDocument, offset: number) => {
    const p = d.positionAt(offset);
    return { offset, line: p.line + 1, character: p.character + 1 };
  };
  return JSON.stringify(
    {
      tool: 'calx',
      codeSet: { system: 'ICD-10-CM', fiscalYear: services.codes.fiscalYear, effective: services.codes.effective },
      files: reports.map(({ file, document, analysis }) => ({
        file,
        codes: analysis.mentions.map((m) => {
          const info = m.system === 'icd10cm' ? services.codes.get(m.code) : undefined;
          return {
            system: m.system,
            code: m.code,
            text: m.text,
            start: position(document, m.start),
            end: position(document, m.end),
            title: m.system === 'icd10cm' ? info?.title ?? null : services.cpt.get(m.code)?.text ?? null,
            billable: m.system === 'icd10cm' ? info?.billable ?? null : null,
            modifiers: m.modifiers.map((x) => x.code),
          };
        }),
        diagnostics: analysis.diagnostics.map((d) => ({
          rule: d.ruleId,
          severity: d.severity,
          message: d.message,
          start: position(document, d.start),
          end: position(document, d.end),
        })),
      })),
    },
    null,
    2,
  );
}

function reportText(reports: FileReport[], services: CalxServices): string {
  const lines: string[] = [`Calx · ICD-10-CM FY${services.codes.fiscalYear} (effective ${services.codes.effective})`, ''];
  let errors = 0;
  let warnings = 0;
  for (const { file, document, analysis } of reports) {
    lines.push(file);
    const at = (offset: number) => {
      const p = document.positionAt(offset);
      return `${p.line + 1}:${p.character + 1}`.padEnd(7);
    };
    if (analysis.mentions.length === 0) lines.push('  no codes written');
    for (const m of analysis.mentions) {
      if (m.system === 'icd10cm') {
        const info = services.codes.get(m.code);
        const status = !info ? 'not in code set' : info.billable ? 'billable' : 'header';
        lines.push(`  ${at(m.start)} ICD-10-CM ${m.code.padEnd(8)} ${info?.title ?? '-'} (${status})`);
      } else {
        const found = services.cpt.get(m.code);
        const mods = m.modifiers.length ? `-${m.modifiers.map((x) => x.code).join('-')}` : '';
        lines.push(`  ${at(m.start)} CPT       ${(m.code + mods).padEnd(8)} ${found?.text ?? 'not in the curated set'}`);
      }
    }
    for (const d of analysis.diagnostics) {
      if (d.severity === 'error') errors++;
      if (d.severity === 'warning') warnings++;
      lines.push(`  ${at(d.start)} ${d.severity.padEnd(7)} ${d.ruleId}: ${d.message}`);
    }
    lines.push('');
  }
  lines.push(`${reports.length} file(s), ${errors} error(s), ${warnings} warning(s)`);
  return lines.join('\n');
}

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  let files: string[];
  try {
    files = expand(options.inputs);
  } catch (e) {
    usage((e as Error).message);
  }
  const services = loadServices(findDataDir(__dirname));
  const reports: FileReport[] = [];
  for (const file of files) {
    const text = readFileSync(file === '-' ? 0 : file, 'utf8');
    const name = file === '-' ? '<stdin>' : relative(process.cwd(), file) || file;
    const document = TextDocument.create(`file:///${name}`, 'plaintext', 1, text);
    reports.push({ file: name, document, analysis: analyzeNote(text, services) });
  }
  process.stdout.write(`${options.format === 'json' ? reportJson(reports, services) : reportText(reports, services)}\n`);
  const failed = reports.some((r) => r.analysis.diagnostics.some((d) => d.severity === 'error'));
  process.exitCode = failed && !options.noFail ? 1 : 0;
}

main();
