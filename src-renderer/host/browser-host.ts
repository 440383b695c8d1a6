/**
 * The host for a plain browser (`npm run web`): the library lives in IndexedDB, exports are
 * downloads, PDF goes through the print dialog, settings live in localStorage.
 *
 * Its parts live in browser/: the IndexedDB library, the exports, the settings.
 */
import type { HostApi } from './host-api';
import { createBrowserExporter } from './browser/browser-exports';
import { defaultDownload } from './download';
import { browserSettings } from './browser/browser-settings';
import { createIdbLibrary } from './browser/idb-library';

export { exportFileName, titleSlug } from '../../shared/report/export-file';
export { DB_NAME, MAX_TITLE_LENGTH, newReportId, validateTitle } from './browser/idb-library';
export { sanitizeSettings, SETTINGS_KEY } from './browser/browser-settings';

export interface BrowserHostOptions {
  /** The IndexedDB factory; default `globalThis.indexedDB`. Tests pass fake-indexeddb's. */
  indexedDB?: IDBFactory;
  /** Hands a finished file to the user; default: an `<a download>` click. */
  download?: (blob: Blob, fileName: string) => void;
}

export function createBrowserHost(options: BrowserHostOptions = {}): HostApi {
  return {
    kind: 'browser',
    library: createIdbLibrary(options.indexedDB ?? globalThis.indexedDB),
    exportMeasurement: createBrowserExporter(options.download ?? defaultDownload),
    settings: browserSettings,
    onMenuCommand: () => () => undefined,
  };
}
