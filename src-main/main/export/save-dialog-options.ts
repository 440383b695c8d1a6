/** The OS save dialog for an export: asks before replacing a file (also on Linux), may create folders. */
import type { SaveDialogOptions } from 'electron';
import type { SaveDialogRequest } from './export-measurement';

export function saveDialogOptions(request: SaveDialogRequest): SaveDialogOptions {
  return {
    title: request.title,
    defaultPath: request.defaultPath,
    filters: request.filters,
    properties: ['showOverwriteConfirmation', 'createDirectory', 'dontAddToRecent'],
  };
}

/** The chosen path of a save dialog's result, or null when cancelled. */
export function savedPath(result: { canceled: boolean; filePath?: string }): string | null {
  if (result.canceled || !result.filePath) return null;
  return result.filePath;
}
