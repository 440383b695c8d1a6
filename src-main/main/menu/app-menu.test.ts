import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import type { MenuCommandData } from '../../../shared/contract/ipc-contract';
import { menuCommandSchema } from '../../../shared/contract/ipc-contract';
import { buildAppMenuTemplate, FILE_MENU_COMMANDS } from './app-menu';

function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? items(item.submenu) : [])]);
}
const roles = (template: MenuItemConstructorOptions[]) => items(template).map((i) => i.role).filter((r) => r !== undefined);
const submenu = (template: MenuItemConstructorOptions[], label: string) => {
  const menu = template.find((m) => m.label === label);
  if (!menu || !Array.isArray(menu.submenu)) throw new Error(`no ${label} menu`);
  return menu.submenu;
};

function build(platform: NodeJS.Platform, isDev: boolean) {
  const sendCommand = vi.fn((_command: MenuCommandData) => undefined);
  return { template: buildAppMenuTemplate({ platform, isDev, appName: 'Latency Lab', sendCommand }), sendCommand };
}

describe('application menu template', () => {
  it.each(['linux', 'win32', 'darwin'] as const)('%s: File has every command with its accelerator, each sending its MenuCommand', (platform) => {
    const { template, sendCommand } = build(platform, false);
    const all = items(template);
    for (const { command, accelerator } of FILE_MENU_COMMANDS) {
      const item = all.find((i) => i.id === command);
      expect(item, command).toBeDefined();
      expect(item?.accelerator).toBe(accelerator);
      (item?.click as () => void)();
      expect(sendCommand).toHaveBeenLastCalledWith(command);
      expect(menuCommandSchema.safeParse(command).success).toBe(true);
    }
    expect(FILE_MENU_COMMANDS.map((c) => [c.command, c.accelerator])).toEqual([
      ['new-measurement', 'CmdOrCtrl+N'],
      ['open-report', 'CmdOrCtrl+O'],
      ['export', 'CmdOrCtrl+E'],
      ['library', 'CmdOrCtrl+L'],
      ['settings', 'CmdOrCtrl+,'],
    ]);
    expect(sendCommand).toHaveBeenCalledTimes(5);
    expect(new Set(all.map((i) => i.accelerator).filter(Boolean)).size).toBe(5);
  });

  it('Edit has the standard editing roles; View has zoom and full screen', () => {
    const { template } = build('linux', false);
    expect(roles(submenu(template, '&Edit'))).toEqual(expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']));
    expect(roles(submenu(template, '&View'))).toEqual(expect.arrayContaining(['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']));
    expect(template.map((m) => m.label)).toEqual(['&File', '&Edit', '&View', '&Window', '&Help']);
    expect(template.find((m) => m.label === '&Window')?.role).toBe('windowMenu');
    expect(template.find((m) => m.label === '&Help')?.role).toBe('help');
    expect(roles(submenu(template, '&File'))).toContain('quit');
  });

  it('reload and the developer tools only in development', () => {
    for (const platform of ['linux', 'darwin'] as const) {
      expect(roles(build(platform, false).template)).not.toEqual(expect.arrayContaining(['reload']));
      expect(roles(build(platform, false).template)).not.toContain('toggleDevTools');
      expect(roles(build(platform, false).template)).not.toContain('forceReload');
      expect(roles(build(platform, true).template)).toEqual(expect.arrayContaining(['reload', 'forceReload', 'toggleDevTools']));
    }
  });

  it('macOS: the app menu first, with About, Settings, Services, Hide and Quit', () => {
    const { template } = build('darwin', false);
    expect(template[0].label).toBe('Latency Lab');
    const app = submenu(template, 'Latency Lab');
    expect(roles(app)).toEqual(['about', 'services', 'hide', 'hideOthers', 'unhide', 'quit']);
    expect(app.some((i) => i.id === 'settings')).toBe(true);
    expect(submenu(template, '&File').some((i) => i.id === 'settings')).toBe(false);
    expect(roles(submenu(template, '&File'))).toContain('close');
    expect(roles(submenu(template, '&Window'))).toEqual(expect.arrayContaining(['minimize', 'zoom', 'front']));
  });
});
