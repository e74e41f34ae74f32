/**
 * "Calx: Search ICD-10-CM codes": a quick pick whose items come from the server (`calx/searchCodes`) as the
 * user types. Choosing a billable code inserts it at the cursor; choosing a header (not billable) shows the
 * codes under it instead, so a header is never inserted.
 *
 * Testing hook: `executeCommand('calx.searchCodes', { query, pick })` runs the same search and choice logic
 * without the UI (`pick` is a code, or a path of codes through headers) and returns what it saw and inserted.
 */
import * as vscode from 'vscode';
import type { SearchCodesItem, SearchCodesParams, SearchCodesResult } from '../../../server/src/lsp/protocol';

export interface CodePickItem extends vscode.QuickPickItem {
  code: string;
  billable: boolean;
}

export interface SearchCodesArgs {
  query: string;
  /** The code to choose, or codes to choose one after the other (headers first, e.g. ["M75.3", "M75.31"]). */
  pick?: string | string[];
}

export interface SearchOutcome {
  /** The items of the last list shown (or computed, with the testing hook). */
  items: Array<Pick<CodePickItem, 'code' | 'billable' | 'label' | 'description' | 'detail'>>;
  /** The code inserted into the editor (or copied to the clipboard when no editor was active). */
  inserted?: string;
  /** Where it went. */
  target?: 'editor' | 'clipboard';
}

type Search = (params: SearchCodesParams, token?: vscode.CancellationToken) => Promise<SearchCodesResult>;

const DEBOUNCE_MS = 120;
const LIMIT = 60;
/** Codes under a header: enough for any category's subtree the user will scroll through. */
const CHILDREN_LIMIT = 300;

export function toPickItem(item: SearchCodesItem, fiscalYear: number): CodePickItem {
  const where = item.matchedBy === 'index' && item.indexPath ? `Index: ${item.indexPath}` : undefined;
  if (item.billable) {
    return {
      code: item.code,
      billable: true,
      label: item.code,
      description: item.title,
      detail: [`Billable in FY${fiscalYear}`, where].filter(Boolean).join(' · '),
      alwaysShow: true, // the server has filtered; VS Code must not filter again on the label
    };
  }
  return {
    code: item.code,
    billable: false,
    label: `$(list-tree) ${item.code}`,
    description: item.title,
    detail: ['Header, not billable: choose it to see the codes under it', where].filter(Boolean).join(' · '),
    alwaysShow: true,
  };
}

/** The items for a query, in the server's order (codes, then title words, then index entries). */
async function searchItems(search: Search, query: string, token?: vscode.CancellationToken): Promise<CodePickItem[]> {
  if (!query.trim()) return [];
  const result = await search({ query, limit: LIMIT }, token);
  return result.items.map((i) => toPickItem(i, result.fiscalYear));
}

/** The codes below a header (its descendants, billable and sub-headers), in code order. */
async function childItems(search: Search, header: string, token?: vscode.CancellationToken): Promise<CodePickItem[]> {
  const result = await search({ query: header, limit: CHILDREN_LIMIT }, token);
  return result.items
    .filter((i) => i.matchedBy === 'code' && i.code !== header && i.code.startsWith(header))
    .map((i) => toPickItem(i, result.fiscalYear));
}

const plain = (items: readonly CodePickItem[]): SearchOutcome['items'] =>
  items.map(({ code, billable, label, description, detail }) => ({ code, billable, label, description, detail }));

export async function searchCodesCommand(search: Search, args?: SearchCodesArgs): Promise<SearchOutcome | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (args && typeof args.query === 'string') return searchWithoutUi(search, editor, args);

  const chosen = await new Promise<{ item?: CodePickItem; items: CodePickItem[] }>((resolve) => {
    const qp = vscode.window.createQuickPick<CodePickItem>();
    qp.title = 'Calx: Search ICD-10-CM codes';
    qp.placeholder = 'A code (M75.3), words of a title (calcific tendinitis shoulder) or an index term (calcification, pineal)';
    qp.matchOnDescription = false;
    qp.matchOnDetail = false;
    let shown = '';
    let timer: ReturnType<typeof setTimeout> | undefined;
    let cts: vscode.CancellationTokenSource | undefined;
    let done = false;

    const run = (query: string, list: (token: vscode.CancellationToken) => Promise<CodePickItem[]>, title?: string) => {
      cts?.cancel();
      const mine = (cts = new vscode.CancellationTokenSource());
      shown = query.trim();
      qp.busy = true;
      list(mine.token).then(
        (items) => {
          if (mine.token.isCancellationRequested || done) return;
          qp.items = items;
          qp.title = title ?? 'Calx: Search ICD-10-CM codes';
          qp.busy = false;
        },
        () => {
          // Cancelled (a newer query) or the server is restarting: keep the list, stop the spinner.
          if (cts === mine) qp.busy = false;
        },
      );
    };
    qp.onDidChangeValue((value) => {
      clearTimeout(timer);
      if (value.trim() === shown) return; // our own value change after choosing a header
      timer = setTimeout(() => run(value, (t) => searchItems(search, value, t)), DEBOUNCE_MS);
    });
    qp.onDidAccept(() => {
      const item = qp.selectedItems[0] ?? qp.activeItems[0];
      if (!item) return;
      if (!item.billable) {
        // A header is not reportable: show what is below it, and let the user refine from there.
        clearTimeout(timer);
        run(item.code, (t) => childItems(search, item.code, t), `Codes under ${item.code} ${item.description ?? ''}`.trim());
        qp.value = item.code;
        return;
      }
      done = true;
      resolve({ item, items: [...qp.items] });
      qp.hide();
    });
    qp.onDidHide(() => {
      done = true;
      clearTimeout(timer);
      cts?.cancel();
      resolve({ items: [...qp.items] });
      qp.dispose();
    });
    qp.show();
  });
  if (!chosen.item) return { items: plain(chosen.items) };
  return { items: plain(chosen.items), ...(await insertCode(editor, chosen.item.code)) };
}

async function searchWithoutUi(search: Search, editor: vscode.TextEditor | undefined, args: SearchCodesArgs): Promise<SearchOutcome> {
  let items = await searchItems(search, args.query);
  const picks = args.pick === undefined ? [] : Array.isArray(args.pick) ? args.pick : [args.pick];
  for (const code of picks) {
    const item = items.find((i) => i.code === code);
    if (!item) throw new Error(`calx.searchCodes: ${code} is not among the items (${items.map((i) => i.code).join(', ')})`);
    if (!item.billable) {
      items = await childItems(search, item.code);
      continue;
    }
    return { items: plain(items), ...(await insertCode(editor, item.code)) };
  }
  return { items: plain(items) };
}

async function insertCode(editor: vscode.TextEditor | undefined, code: string): Promise<Pick<SearchOutcome, 'inserted' | 'target'>> {
  if (editor && !editor.document.isClosed) {
    const ok = await editor.edit((b) => {
      for (const selection of editor.selections) b.replace(selection, code);
    });
    if (ok) return { inserted: code, target: 'editor' };
  }
  await vscode.env.clipboard.writeText(code);
  void vscode.window.showInformationMessage(`Calx: ${code} copied to the clipboard (no editor to insert it into).`);
  return { inserted: code, target: 'clipboard' };
}
