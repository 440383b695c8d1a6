/**
 * The application menu as data (Electron's MenuItemConstructorOptions), built by a plain function
 * so tests check it without Electron's Menu: the platform's standard roles (the app menu on macOS;
 * Edit, View, Window, Help) plus File with the app's commands, which are sent to the renderer as
 * MenuCommand values. Reload and the developer tools exist only in development.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommandData } from '../../../shared/contract/ipc-contract';

export interface AppMenuOptions {
  platform: NodeJS.Platform;
  isDev: boolean;
  appName: string;
  /** Sends a command to the main window's renderer. */
  sendCommand(command: MenuCommandData): void;
}

export interface MenuCommandItem {
  command: MenuCommandData;
  label: string;
  accelerator: string;
}

export const FILE_MENU_COMMANDS: readonly MenuCommandItem[] = [
  { command: 'new-measurement', label: 'New Measurement', accelerator: 'CmdOrCtrl+N' },
  { command: 'open-report', label: 'Open Report…', accelerator: 'CmdOrCtrl+O' },
  { command: 'export', label: 'Export…', accelerator: 'CmdOrCtrl+E' },
  { command: 'library', label: 'Library', accelerator: 'CmdOrCtrl+L' },
  { command: 'settings', label: 'Settings', accelerator: 'CmdOrCtrl+,' },
];

export function buildAppMenuTemplate(options: AppMenuOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const commandItem = (item: MenuCommandItem): MenuItemConstructorOptions => ({
    id: item.command,
    label: item.label,
    accelerator: item.accelerator,
    click: () => options.sendCommand(item.command),
  });
  const [newMeasurement, openReport, exportItem, library, settings] = FILE_MENU_COMMANDS.map(commandItem);

  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    template.push({
      label: options.appName,
      submenu: [
        { role: 'about' },
        { type: 'separator' },
        settings,
        { type: 'separator' },
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    });
  }
  template.push({
    label: '&File',
    submenu: [
      newMeasurement,
      openReport,
      { type: 'separator' },
      exportItem,
      { type: 'separator' },
      library,
      ...(mac ? [] : [settings]),
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit' },
    ],
  });
  template.push({
    label: '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(mac ? [{ role: 'pasteAndMatchStyle' } as const, { role: 'delete' } as const] : [{ role: 'delete' } as const]),
      { type: 'separator' },
      { role: 'selectAll' },
    ],
  });
  template.push({
    label: '&View',
    submenu: [
      ...(options.isDev ? [{ role: 'reload' } as const, { role: 'forceReload' } as const, { role: 'toggleDevTools' } as const, { type: 'separator' } as const] : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  });
  template.push({
    label: '&Window',
    role: 'windowMenu',
    submenu: mac ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }] : [{ role: 'minimize' }, { role: 'close' }],
  });
  template.push({
    label: '&Help',
    role: 'help',
    // macOS adds its help search here; elsewhere the About panel lives in Help.
    submenu: mac ? [] : [{ role: 'about' }],
  });
  return template;
}
