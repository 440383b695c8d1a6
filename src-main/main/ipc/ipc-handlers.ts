/** The handler of every contract channel, over the library, the exporter, the settings and the import dialog. */
import type { Exporter } from '../export/export-measurement';
import type { Library } from '../library/library-store';
import type { SettingsStore } from '../settings/settings-store';
import type { IpcHandlers } from './ipc-router';

export interface IpcHandlerDeps {
  library: Library;
  exporter: Exporter;
  settings: SettingsStore;
  /** Shows the open dialog for a report JSON; the chosen path, or null when cancelled. */
  chooseReportFile(): Promise<string | null>;
}

export function createIpcHandlers(deps: IpcHandlerDeps): IpcHandlers {
  return {
    'library:list': () => deps.library.list(),
    'library:save': ({ report, audio }) => deps.library.save(report, audio),
    'library:open': ({ id }) => deps.library.open(id),
    'library:rename': ({ id, title }) => deps.library.rename(id, title.trim()),
    'library:remove': async ({ id }) => {
      await deps.library.remove(id);
      return null;
    },
    'library:import': async () => {
      const path = await deps.chooseReportFile();
      return path ? deps.library.importReportFile(path) : null;
    },
    'export:measurement': ({ report, audio, format }) => deps.exporter.exportMeasurement(report, audio, format),
    'settings:load': () => deps.settings.load(),
    'settings:save': ({ settings }) => {
      deps.settings.save(settings);
      return null;
    },
  };
}
