/**
 * Which documents Calx analyses: the `calx.documents.languages` and `calx.documents.filePatterns` settings
 * turned into a document selector. Plain data in and out (no `vscode` import), so it is unit-tested directly.
 */

/** One entry of a VS Code / LSP document selector (the subset Calx produces). */
export interface NoteFilter {
  language?: string;
  scheme: 'file' | 'untitled';
  pattern?: string;
}

export const DEFAULT_LANGUAGES: readonly string[] = ['plaintext', 'markdown', 'clinical-note'];

export interface DocumentSettings {
  selector: NoteFilter[];
  /** One line per value that was ignored, e.g. `calx.documents.languages[2]: expected a non-empty string`. */
  problems: string[];
}

/**
 * Languages match saved files and untitled buffers; file patterns (globs such as `**\/*.rad`) match saved files
 * of any language. A value of the wrong type is reported and the default used; entries that are not non-empty
 * strings are dropped one by one, the others still apply.
 */
export function documentSettings(languages: unknown, filePatterns: unknown): DocumentSettings {
  const problems: string[] = [];
  const strings = (value: unknown, name: string, fallback: readonly string[]): string[] => {
    if (value === undefined || value === null) return [...fallback];
    if (!Array.isArray(value)) {
      problems.push(`calx.documents.${name}: expected an array of strings; using the default`);
      return [...fallback];
    }
    const out: string[] = [];
    value.forEach((v, i) => {
      if (typeof v === 'string' && v.trim() !== '') {
        if (!out.includes(v.trim())) out.push(v.trim());
      } else problems.push(`calx.documents.${name}[${i}]: expected a non-empty string; ignored`);
    });
    return out;
  };
  const langs = strings(languages, 'languages', DEFAULT_LANGUAGES);
  const patterns = strings(filePatterns, 'filePatterns', []);
  const selector: NoteFilter[] = [
    ...langs.flatMap((language): NoteFilter[] => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    ...patterns.map((pattern): NoteFilter => ({ scheme: 'file', pattern })),
  ];
  if (selector.length === 0) problems.push('calx.documents: no language and no file pattern: Calx analyses no document');
  return { selector, problems };
}

/** True when two selectors select the same documents (same entries in the same order). */
export function sameSelector(a: readonly NoteFilter[], b: readonly NoteFilter[]): boolean {
  return a.length === b.length && a.every((f, i) => f.scheme === b[i]!.scheme && f.language === b[i]!.language && f.pattern === b[i]!.pattern);
}
