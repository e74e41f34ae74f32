import { dotted } from './codeFormat';

/** One row of a CMS order-file addenda ("Add:", "Delete:", "Revise from:", "Revise to:"). */
export interface AddendaRow {
  action: 'add' | 'delete' | 'revise-from' | 'revise-to';
  /** Dotted code, e.g. "D69.1". */
  code: string;
  /** True for billable rows (order-file flag 1), false for headers (flag 0). */
  billable: boolean;
  shortTitle: string;
  longTitle: string;
}

export interface AddendaSummary {
  /** e.g. { 2026: 74719, 2027: 74879 } from "74879 codes in icd10cm_order_2027.txt". */
  codes: Record<number, number>;
  headers: Record<number, number>;
}

export interface OrderAddenda {
  rows: AddendaRow[];
  summary: AddendaSummary;
}

const ACTIONS: Record<string, AddendaRow['action']> = {
  'Add:': 'add',
  'Delete:': 'delete',
  'Revise from:': 'revise-from',
  'Revise to:': 'revise-to',
};

/*
 * Layout (icd10OrderFiles.pdf, shifted by the 13-character action prefix): flag at column 13,
 * code in columns 15-22, short title in 23-82, long title from 84. The short title is padded to 60
 * characters, so fixed columns are safer than splitting on runs of spaces (titles contain them).
 */
const ROW = /^(Add:|Delete:|Revise from:|Revise to:)\s+([01]) (\S+)\s+/;

export function parseOrderAddenda(text: string): OrderAddenda {
  const rows: AddendaRow[] = [];
  const summary: AddendaSummary = { codes: {}, headers: {} };
  let block: 'codes' | 'headers' | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/\s+$/, '');
    const m = ROW.exec(line);
    if (m) {
      if (line[13] !== m[2] || line.slice(15, 23).trim() !== m[3]) {
        throw new Error(`addenda row not in the fixed-width layout: ${line.slice(0, 30)}`);
      }
      rows.push({
        action: ACTIONS[m[1]!]!,
        billable: m[2] === '1',
        code: dotted(m[3]!),
        shortTitle: line.slice(23, 83).trim(),
        longTitle: line.slice(84).trim(),
      });
      continue;
    }
    if (/^Headers\s*$/.test(line)) block = 'headers';
    else if (/^Codes\s*$/.test(line)) block = 'codes';
    const count = /^\s*(\d+) (?:codes|headers) in icd10cm_order_(\d{4})\.txt/.exec(line);
    if (count && block) summary[block][Number(count[2])] = Number(count[1]);
  }
  return { rows, summary };
}
