/**
 * Settings that name files Calx reads. In an untrusted workspace VS Code gives the extension only their user
 * values (package.json `capabilities.untrustedWorkspaces.restrictedConfigurations`), so a folder cloned from
 * somewhere cannot make Calx read a file of its choosing. VS Code hides the workspace values from the
 * extension entirely, so to tell the user why a file is not used we look at the workspace's settings files
 * ourselves, as text, without evaluating anything. Plain logic, no `vscode` import.
 */
export const RESTRICTED_SETTINGS = ['calx.terms.file', 'calx.cpt.descriptorFile'] as const;

/**
 * The restricted settings that a settings file (`.vscode/settings.json` or a `.code-workspace` file, JSON with
 * comments) sets to a non-empty value, as `"calx.terms.file": "..."` or nested in a `"calx": { ... }` object.
 */
export function restrictedSettingsIn(text: string): string[] {
  const found = new Set<string>();
  for (const key of RESTRICTED_SETTINGS) {
    const flat = new RegExp(`"${key.replace(/\./g, '\\.')}"\\s*:\\s*"[^"]`);
    if (flat.test(text)) found.add(key);
  }
  // Nested form {"calx": {"terms": {"file": "x"}}}: rare in settings.json; name both when a calx object sets a
  // "file" or "descriptorFile" key.
  if (/"calx"\s*:\s*\{/.test(text)) {
    if (/"terms"\s*:\s*\{[^}]*"file"\s*:\s*"[^"]/.test(text)) found.add('calx.terms.file');
    if (/"descriptorFile"\s*:\s*"[^"]/.test(text)) found.add('calx.cpt.descriptorFile');
  }
  return RESTRICTED_SETTINGS.filter((k) => found.has(k));
}

export function restrictedModeMessage(keys: readonly string[]): string {
  return (
    `Calx: this workspace is not trusted, so Calx does not read the ${keys.length === 1 ? 'file' : 'files'} named by its workspace ` +
    `${keys.length === 1 ? 'setting' : 'settings'} ${keys.join(' and ')}. Calx still checks notes with its own data and with ` +
    `files from your user settings. Trust the workspace to use them.`
  );
}
