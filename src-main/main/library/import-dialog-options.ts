/** The open dialog for importing a report: one JSON file. */
import type { OpenDialogOptions } from 'electron';

export const IMPORT_DIALOG_OPTIONS = {
  title: 'Import a Latency Lab report',
  buttonLabel: 'Import',
  properties: ['openFile', 'dontAddToRecent'],
  filters: [
    { name: 'Latency Lab report (JSON)', extensions: ['json'] },
    { name: 'All files', extensions: ['*'] },
  ],
} as const satisfies OpenDialogOptions;

/** The chosen path of an open dialog's result, or null when cancelled. */
export function chosenPath(result: { canceled: boolean; filePaths: string[] }): string | null {
  if (result.canceled || result.filePaths.length !== 1) return null;
  return result.filePaths[0] || null;
}
