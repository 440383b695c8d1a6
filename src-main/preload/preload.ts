/**
 * The preload (sandboxed, CommonJS): exposes `window.latencyLab` (ipc/preload-bridge.ts), a fixed
 * set of named methods, and nothing else: no ipcRenderer, no generic invoke, no Node. Validation
 * happens in the main process.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { BRIDGE_GLOBAL } from '../../shared/contract/ipc-contract';
import { createBridge } from './preload-bridge';

const GLOBAL_NAME: typeof BRIDGE_GLOBAL = 'latencyLab';

contextBridge.exposeInMainWorld(
  GLOBAL_NAME,
  createBridge({
    invoke: (channel, payload) => ipcRenderer.invoke(channel, payload),
    on: (channel, listener) => ipcRenderer.on(channel, listener),
    removeListener: (channel, listener) => ipcRenderer.removeListener(channel, listener),
  }),
);
