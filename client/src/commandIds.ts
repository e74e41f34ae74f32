/** Command ids contributed in package.json (`contributes.commands`); the e2e tests call them too. */
export const COMMANDS = {
  searchCodes: 'calx.searchCodes',
  showCodingSummary: 'calx.showCodingSummary',
  exportCodingSummary: 'calx.exportCodingSummary',
  insertProviderQuery: 'calx.insertProviderQuery',
  /** Run by the server's provider query actions with the draft (server/src/core/codeActions.ts). */
  openProviderQuery: 'calx.openProviderQuery',
  restartServer: 'calx.restartServer',
  showOutput: 'calx.showOutput',
  showCodeEntry: 'calx.showCodeEntry',
} as const;

/** Context key: the active editor holds a document Calx analyses (used in `when` clauses of menus). */
export const ACTIVE_NOTE_CONTEXT = 'calx.activeNote';

/** The code actions that "Calx: Insert provider query" opens: quick fixes whose title starts with this (the server's PROVIDER_QUERY_TITLE). */
export const PROVIDER_QUERY_TITLE_PREFIX = 'Draft provider query';
