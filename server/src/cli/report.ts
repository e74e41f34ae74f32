/**
 * The CLI's report formats: plain data per file (the JSON schema documented in docs/cli-json.md), text for
 * people, and SARIF 2.1.0 for code-scanning tools. Positions are 1-based lines and UTF-16 columns.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeNote, type NoteAnalysis } from '../core/analyze';
import type { Evidence, Finding } from '../core/findings/findings';
import { RULES } from '../core/rules';
import type { CalxServices } from '../core/rules/types';

export interface Position {
  offset: number;
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}

export interface FileReport {
  file: string;
  document: TextDocument;
  analysis: NoteAnalysis;
}

/** The analysis of one note's text, named `file` in the reports. */
export function analyseFile(file: string, text: string, services: CalxServices): FileReport {
  return { file, document: TextDocument.create(`file:///${file}`, 'plaintext', 1, text), analysis: analyzeNote(text, services) };
}

const position = (d: TextDocument, offset: number): Position => {
  const p = d.positionAt(offset);
  return { offset, line: p.line + 1, character: p.character + 1 };
};
const range = (d: TextDocument, start: number, end: number): Range => ({ start: position(d, start), end: position(d, end) });

function evidenceJson<T>(d: TextDocument, e: Evidence<T> | undefined) {
  return e ? { value: e.value, text: d.getText().slice(e.start, e.end), via: e.via, range: range(d, e.start, e.end) } : null;
}

function findingJson(d: TextDocument, f: Finding, services: CalxServices) {
  const context = (name: keyof Finding['context']) => {
    const t = f.context[name];
    return t ? { trigger: t.phrase, via: t.via, range: range(d, t.start, t.end) } : null;
  };
  return {
    concept: f.conceptId,
    preferred: f.preferred,
    category: f.category,
    text: f.text,
    range: range(d, f.start, f.end),
    section: f.section,
    negated: context('negated'),
    uncertain: context('uncertain'),
    hypothetical: context('hypothetical'),
    historical: context('historical'),
    experiencer: context('experiencer'),
    site: evidenceJson(d, f.site),
    laterality: evidenceJson(d, f.laterality),
    etiology: f.etiologies.map((e) => evidenceJson(d, e)),
    measure: f.measure ? { value: f.measure.value, range: range(d, f.measure.start, f.measure.end) } : null,
    codes: {
      family: f.coding.family ?? null,
      suggested: f.coding.suggested.map((code) => ({ code, title: services.codes.get(code)?.title ?? null })),
      unspecified: f.coding.unspecified ?? null,
      candidates: [...new Set(f.coding.missing.flatMap((m) => m.options))],
      missing: f.coding.missing.map((m) => m.attribute),
      axes: f.coding.missing.map((m) => ({ attribute: m.attribute, name: m.name ?? null, choices: m.choices ?? [] })),
      codeFirst: f.coding.codeFirst,
    },
  };
}

/** One file's entry in the JSON report (schema: docs/cli-json.md). */
export function fileJson({ file, document: d, analysis }: FileReport, services: CalxServices) {
  return {
    file,
    findings: analysis.findings.map((f) => findingJson(d, f, services)),
    codes: analysis.mentions.map((m) => {
      const info = m.system === 'icd10cm' ? services.codes.get(m.code) : undefined;
      return {
        system: m.system,
        code: m.code,
        text: m.text,
        range: range(d, m.start, m.end),
        title: m.system === 'icd10cm' ? (info?.title ?? null) : (services.cpt.get(m.code)?.text ?? null),
        billable: m.system === 'icd10cm' ? (info?.billable ?? null) : null,
        modifiers: m.modifiers.map((x) => x.code),
      };
    }),
    diagnostics: analysis.diagnostics.map((x) => ({
      rule: x.ruleId,
      severity: x.severity,
      message: x.message,
      range: range(d, x.start, x.end),
    })),
  };
}

const CONTEXT_WORDS: Record<keyof Finding['context'], string> = {
  negated: 'negated',
  uncertain: 'uncertain',
  hypothetical: 'hypothetical',
  historical: 'historical',
  experiencer: 'not the patient',
};

/** The text report of one file. */
export function fileText({ file, document: d, analysis }: FileReport, services: CalxServices): string {
  const at = (offset: number) => {
    const p = d.positionAt(offset);
    return `${p.line + 1}:${p.character + 1}`.padEnd(7);
  };
  const lines = [file];
  if (analysis.findings.length + analysis.mentions.length === 0) lines.push('  no findings, no codes');
  for (const f of analysis.findings) {
    const context = Object.entries(f.context)
      .map(([k, t]) => `${CONTEXT_WORDS[k as keyof Finding['context']]} by "${t.phrase}"${t.via === 'section' ? ' (section)' : t.via === 'note' ? ' (elsewhere in the note)' : ''}`)
      .join(', ');
    const attrs = [
      f.site && `site ${services.anatomy.site(f.site.value)?.preferred ?? f.site.value}`,
      f.laterality && `side ${f.laterality.value}`,
      ...f.etiologies.map((e) => `cause ${services.lexicon.etiologies.get(e.value)?.preferred ?? e.value}${e.via === 'note' ? ' (elsewhere in note)' : e.via === 'mention' ? ' (at another mention)' : ''}`),
    ].filter(Boolean);
    const c = f.coding;
    const code = c.suggested.length
      ? `-> ${c.suggested.join(' + ')}`
      : c.unspecified
        ? `-> ${c.unspecified} as documented`
        : c.family
          ? `-> ${c.family}-`
          : '-> no code yet';
    const missing = c.missing.length ? `; missing ${c.missing.map((m) => m.attribute).join(', ')}` : '';
    const first = c.codeFirst.length ? `; code first ${c.codeFirst.join('/')}` : '';
    lines.push(
      `  ${at(f.start)} finding   ${f.preferred} "${f.text}"${context ? ` [${context}]` : ''}${attrs.length ? ` ${attrs.join(', ')}` : ''} ${code}${missing}${first}`,
    );
  }
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
  for (const x of analysis.diagnostics) lines.push(`  ${at(x.start)} ${x.severity.padEnd(7)} ${x.ruleId}: ${x.message}`);
  return `${lines.join('\n')}\n`;
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', information: 'note', hint: 'note' } as const;

/** A SARIF 2.1.0 log of all files' diagnostics. */
export function sarif(reports: FileReport[], version: string): object {
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: {
          driver: {
            name: 'calx',
            version,
            rules: RULES.map((r) => ({ id: r.id, shortDescription: { text: r.description } })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: reports.flatMap(({ file, document: d, analysis }) =>
          analysis.diagnostics.map((x) => {
            const s = d.positionAt(x.start);
            const e = d.positionAt(x.end);
            return {
              ruleId: x.ruleId,
              level: SARIF_LEVEL[x.severity],
              message: { text: x.message },
              locations: [
                {
                  physicalLocation: {
                    artifactLocation: { uri: file },
                    region: { startLine: s.line + 1, startColumn: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 },
                  },
                },
              ],
            };
          }),
        ),
      },
    ],
  };
}
