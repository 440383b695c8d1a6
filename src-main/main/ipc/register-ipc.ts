/**
 * Registers exactly the contract's channels with ipcMain.handle, each answering through the router
 * (sender check, validation, typed errors). Returns the function that removes them again.
 */
import type { IpcMain } from 'electron';
import type { IpcRouter } from './ipc-router';

export function registerIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, router: IpcRouter): () => void {
  for (const channel of router.channels) {
    ipcMain.handle(channel, (event, ...args: unknown[]) => router.dispatch(channel, event.senderFrame, args));
  }
  return () => {
    for (const channel of router.channels) ipcMain.removeHandler(channel);
  };
}
