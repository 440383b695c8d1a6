/**
 * The object the preload exposes as `window.latencyLab`, built over the part of ipcRenderer it
 * needs, so it is tested in Node. Named methods only: each sends one plain object on its own
 * channel and returns the main process's IpcResult; no ipcRenderer, no generic invoke, no event
 * object ever reaches the page. Channel names are typed against shared/contract/ipc-contract.ts but written
 * out here, so the preload bundle stays free of zod and the report schema.
 */
import type { IPC_CHANNELS, LatencyLabBridge, MENU_COMMAND_CHANNEL } from '../../shared/contract/ipc-contract';

// A mismatch with the contract's names fails to compile.
export const BRIDGE_CHANNELS: typeof IPC_CHANNELS = {
  libraryList: 'library:list',
  librarySave: 'library:save',
  libraryOpen: 'library:open',
  libraryRename: 'library:rename',
  libraryRemove: 'library:remove',
  libraryImport: 'library:import',
  exportMeasurement: 'export:measurement',
  settingsLoad: 'settings:load',
  settingsSave: 'settings:save',
};
export const BRIDGE_MENU_CHANNEL: typeof MENU_COMMAND_CHANNEL = 'menu:command';

/** The part of Electron's ipcRenderer the bridge uses. */
export interface BridgeIpc {
  invoke(channel: string, payload: unknown): Promise<unknown>;
  on(channel: string, listener: (event: unknown, value: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, value: unknown) => void): unknown;
}

export function createBridge(ipc: BridgeIpc): LatencyLabBridge {
  const C = BRIDGE_CHANNELS;
  // The main process answers every invoke with an IpcResult (validated there).
  const invoke = <T>(channel: string, payload: object) => ipc.invoke(channel, payload) as Promise<T>;
  return {
    library: {
      list: () => invoke(C.libraryList, {}),
      save: (report, audio) => invoke(C.librarySave, { report, audio }),
      open: (id) => invoke(C.libraryOpen, { id }),
      rename: (id, title) => invoke(C.libraryRename, { id, title }),
      remove: (id) => invoke(C.libraryRemove, { id }),
      importReport: () => invoke(C.libraryImport, {}),
    },
    exportMeasurement: (report, audio, format) => invoke(C.exportMeasurement, { report, audio, format }),
    settings: {
      load: () => invoke(C.settingsLoad, {}),
      save: (settings) => invoke(C.settingsSave, { settings }),
    },
    onMenuCommand(handler) {
      // Only the command crosses into the page, never the event (it holds the sender).
      const listener = (_event: unknown, command: unknown) => handler(command);
      ipc.on(BRIDGE_MENU_CHANNEL, listener);
      return () => {
        ipc.removeListener(BRIDGE_MENU_CHANNEL, listener);
      };
    },
  };
}
