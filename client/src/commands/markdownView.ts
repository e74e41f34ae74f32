import * as vscode from 'vscode';

/**
 * Shows a Markdown document beside the editor: in the Markdown preview, or as Markdown text when `preview` is
 * false or the preview is unavailable (the built-in Markdown extension is disabled).
 */
export async function showMarkdownBeside(uri: vscode.Uri, preview = true): Promise<void> {
  if (preview) {
    try {
      await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
      return;
    } catch {
      // fall back to the text
    }
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
}
