/**
 * Calx's own LSP requests (beyond the standard protocol), shared by the server and the VS Code client.
 * Plain data only: the client imports this file for its types and method names.
 */

/** `calx/searchCodes`: live search over ICD-10-CM codes, titles and the alphabetic index. */
export const SEARCH_CODES = 'calx/searchCodes';
export interface SearchCodesParams {
  query: string;
  /** At most this many items (default 50). */
  limit?: number;
}
export interface SearchCodesItem {
  code: string;
  title: string;
  billable: boolean;
  /** Where it was found: "code", "title" or "index" (then `indexPath` says which entry). */
  matchedBy: 'code' | 'title' | 'index';
  indexPath?: string;
}
export interface SearchCodesResult {
  fiscalYear: number;
  items: SearchCodesItem[];
}

/** `calx/codingSummary`: the summary of one open note in the three export formats. */
export const CODING_SUMMARY = 'calx/codingSummary';
export interface CodingSummaryParams {
  uri: string;
}
export interface CodingSummaryResult {
  markdown: string;
  csv: string;
  /** The summary as data (see core/summary.ts CodingSummary). */
  json: unknown;
  findingCount: number;
  fiscalYear: number;
}

/** `calx/status` notification (server -> client): what the status bar shows for a note. */
export const STATUS = 'calx/status';
export interface StatusParams {
  uri: string;
  fiscalYear: number;
  findingCount: number;
  problemCount: number;
}

/** `calx/codeEntry`: the full entry of an ICD-10-CM code as Markdown (every note, nothing folded). */
export const CODE_ENTRY = 'calx/codeEntry';
export interface CodeEntryParams {
  code: string;
}
export interface CodeEntryResult {
  code: string;
  markdown: string;
}

/**
 * The client command that shows a code's full entry (`calx.showCodeEntry`, argument: the code). A client that
 * runs it says so in its initialization options (`{ codeEntryCommand: true }`): then hovers fold long groups of
 * notes behind a link to it; for other clients nothing folds.
 */
export const SHOW_CODE_ENTRY_COMMAND = 'calx.showCodeEntry';
export interface CalxInitializationOptions {
  codeEntryCommand?: boolean;
}

/** The command link a hover writes to open a code's full entry. */
export function codeEntryCommandUri(code: string): string {
  return `command:${SHOW_CODE_ENTRY_COMMAND}?${encodeURIComponent(JSON.stringify([code]))}`;
}
