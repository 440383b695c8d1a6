// The main process's wiring, without the Electron binary: main.ts is bundled with esbuild, with
// 'electron' replaced by a recording fake, and run in this process. Checks what only main.ts does:
// the order (privileged scheme and sandbox before ready), the single-instance lock, the handlers on
// the sessions, the app:// protocol with the shared CSP, exactly the contract's IPC
// channels, the window's options and URL, the menu, and hardening of every web contents.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IPC_CHANNELS } from '../../shared/contract/ipc-contract';
import { CONTENT_SECURITY_POLICY } from '../../shared/contract/content-security-policy';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// main sends the shared policy as a header, whatever the built page says.
const CSP = CONTENT_SECURITY_POLICY;

/** The fake 'electron' module: records every call in globalThis.__electron. */
const FAKE_ELECTRON = `
const log = [];
const state = globalThis.__electronConfig;
const record = (what, ...args) => { log.push(what); return args; };
const handlers = { app: {}, ipc: {}, protocol: {}, sessions: {} };
function fakeSession(name) {
  const s = { name, permissionRequest: null, permissionCheck: null, device: null, beforeRequest: null };
  handlers.sessions[name] = s;
  return {
    setPermissionRequestHandler: (h) => { record('session.setPermissionRequestHandler:' + name); s.permissionRequest = h; },
    setPermissionCheckHandler: (h) => { record('session.setPermissionCheckHandler:' + name); s.permissionCheck = h; },
    setDevicePermissionHandler: (h) => { record('session.setDevicePermissionHandler:' + name); s.device = h; },
    webRequest: { onBeforeRequest: (h) => { record('session.onBeforeRequest:' + name); s.beforeRequest = h; } },
  };
}
const windows = [];
export class BrowserWindow {
  constructor(options) {
    record('new BrowserWindow');
    this.options = options;
    this.listeners = {};
    this.loaded = null;
    this.webContents = { isDestroyed: () => false, getURL: () => this.loaded ?? '', sent: [], send: (channel, value) => this.webContents.sent.push([channel, value]) };
    windows.push(this);
  }
  static getAllWindows() { return windows; }
  maximize() { record('maximize'); }
  once(event, fn) { this.listeners[event] = fn; }
  on(event, fn) { this.listeners[event] = fn; }
  loadURL(url) { record('loadURL ' + url); this.loaded = url; return Promise.resolve(); }
  loadFile(path) { return Promise.resolve(); }
  getNormalBounds() { return { x: 10, y: 20, width: 1000, height: 700 }; }
  isMaximized() { return false; }
  isMinimized() { return false; }
  show() {}
  focus() {}
  restore() {}
  destroy() {}
}
export const app = {
  isPackaged: false,
  name: 'Latency Lab',
  enableSandbox: () => record('app.enableSandbox'),
  requestSingleInstanceLock: () => { record('app.requestSingleInstanceLock'); return state.lock; },
  quit: () => record('app.quit'),
  exit: (code) => record('app.exit ' + code),
  on: (event, fn) => { record('app.on ' + event); handlers.app[event] = fn; },
  whenReady: () => { record('app.whenReady'); return Promise.resolve(); },
  getPath: (name) => { if (name === 'userData') return state.userData; return state.documents; },
};
export const protocol = {
  registerSchemesAsPrivileged: (schemes) => { record('protocol.registerSchemesAsPrivileged'); handlers.protocol.schemes = schemes; },
  handle: (scheme, fn) => { record('protocol.handle ' + scheme); handlers.protocol[scheme] = fn; },
};
export const session = { defaultSession: fakeSession('default'), fromPartition: (name) => fakeSession(name) };
export const ipcMain = {
  handle: (channel, fn) => { record('ipcMain.handle ' + channel); handlers.ipc[channel] = fn; },
  removeHandler: () => {},
};
export const Menu = {
  buildFromTemplate: (template) => template,
  setApplicationMenu: (menu) => { record('Menu.setApplicationMenu'); handlers.menu = menu; },
};
export const screen = {
  getPrimaryDisplay: () => ({ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1080 } }),
  getAllDisplays: () => [{ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
};
export const dialog = { showSaveDialog: async () => ({ canceled: true }), showOpenDialog: async () => ({ canceled: true, filePaths: [] }) };
export const shell = { openExternal: async (url) => record('shell.openExternal ' + url), trashItem: async () => {} };
globalThis.__electron = { log, handlers, windows };
`;

interface Recorded {
  log: string[];
  handlers: {
    app: Record<string, (...args: unknown[]) => void>;
    ipc: Record<string, (event: unknown, ...args: unknown[]) => Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>>;
    protocol: Record<string, unknown> & { schemes?: Array<{ scheme: string; privileges: Record<string, boolean> }> };
    sessions: Record<string, { permissionRequest: ((...a: unknown[]) => void) | null; permissionCheck: ((...a: unknown[]) => boolean) | null; device: ((...a: unknown[]) => boolean) | null; beforeRequest: unknown }>;
    menu?: Array<{ label?: string; submenu?: Array<{ id?: string; accelerator?: string; click?: () => void }> }>;
  };
  windows: Array<{ options: { webPreferences: Record<string, unknown>; width: number }; listeners: Record<string, () => void>; webContents: { sent: Array<[string, unknown]> } }>;
}

let dir: string;
let bundle: string;
let runs = 0;

/** Runs the bundled main process with a fresh fake; resolves once onReady has had its turn. */
async function runMain(lock: boolean): Promise<Recorded> {
  const userData = join(dir, `user-data-${++runs}`);
  (globalThis as unknown as { __electronConfig: unknown }).__electronConfig = { lock, userData, documents: join(dir, 'documents') };
  await import(`${pathToFileURL(bundle).href}?run=${runs}`);
  await new Promise((resolve) => setTimeout(resolve, 50));
  return (globalThis as unknown as { __electron: Recorded }).__electron;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'latency-lab-main-'));
  // The layout of out/: main/main.mjs next to preload/ and renderer/.
  mkdirSync(join(dir, 'out', 'main'), { recursive: true });
  mkdirSync(join(dir, 'out', 'renderer'), { recursive: true });
  writeFileSync(join(dir, 'out', 'renderer', 'index.html'), `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="${CSP.replace(/'/g, '&#39;')}"><title>Latency Lab</title></head></html>`);
  writeFileSync(join(dir, 'fake-electron.mjs'), FAKE_ELECTRON);
  bundle = join(dir, 'out', 'main', 'main.mjs');
  await build({
    absWorkingDir: ROOT,
    entryPoints: ['src-main/main/main.ts'],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
    alias: { electron: join(dir, 'fake-electron.mjs') },
  });
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('main process wiring', () => {
  let e: Recorded;
  beforeAll(async () => {
    e = await runMain(true);
  });

  it('registers app:// as privileged and enables the sandbox before ready, and takes the single-instance lock', () => {
    const before = e.log.slice(0, e.log.indexOf('app.whenReady'));
    expect(before).toEqual(expect.arrayContaining(['protocol.registerSchemesAsPrivileged', 'app.enableSandbox', 'app.requestSingleInstanceLock', 'app.on second-instance', 'app.on web-contents-created']));
    expect(e.handlers.protocol.schemes).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    expect(e.log).not.toContain('app.quit');
  });

  it('serves the built page on app:// with the shared CSP as a header', async () => {
    const handle = e.handlers.protocol.app as (request: Request) => Promise<Response>;
    const response = await handle(new Request('app://latency-lab/index.html'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(CSP);
    expect((await handle(new Request('app://latency-lab/../../etc/passwd'))).status).not.toBe(200);
  });

  it('installs the permission policy on the default session and a deny-all one on the PDF session', () => {
    const main = e.handlers.sessions.default;
    let granted: boolean | null = null;
    main.permissionRequest?.(null, 'media', (g: boolean) => (granted = g), { requestingUrl: 'app://latency-lab/index.html', isMainFrame: true, mediaTypes: ['audio'] });
    expect(granted).toBe(true);
    // The camera, for the A/V page's webcam recording; never the screen.
    main.permissionRequest?.(null, 'media', (g: boolean) => (granted = g), { requestingUrl: 'app://latency-lab/index.html', isMainFrame: true, mediaTypes: ['video'] });
    expect(granted).toBe(true);
    main.permissionRequest?.(null, 'media', (g: boolean) => (granted = g), { requestingUrl: 'app://latency-lab/index.html', isMainFrame: true, mediaTypes: ['desktop'] });
    expect(granted).toBe(false);
    expect(main.permissionCheck?.(null, 'geolocation', 'app://latency-lab', { isMainFrame: true })).toBe(false);
    expect(main.device?.({})).toBe(false);
    const pdf = e.handlers.sessions['latency-lab-pdf'];
    pdf.permissionRequest?.(null, 'media', (g: boolean) => (granted = g), { requestingUrl: 'file:///tmp/report.html', mediaTypes: ['audio'] });
    expect(granted).toBe(false);
    expect(pdf.permissionCheck?.()).toBe(false);
    expect(pdf.beforeRequest).toBeTypeOf('function');
  });

  it('handles exactly the contract channels, for the app page only', async () => {
    const channels = Object.keys(e.handlers.ipc).sort();
    expect(channels).toEqual(Object.values(IPC_CHANNELS).sort());
    const list = e.handlers.ipc['library:list'];
    expect(await list({ senderFrame: { url: 'app://latency-lab/index.html', parent: null } }, {})).toEqual({ ok: true, value: { entries: [], unreadable: [] } });
    expect((await list({ senderFrame: { url: 'https://evil.example/', parent: null } }, {})).error?.code).toBe('FORBIDDEN');
  });

  it('opens one secure window on app://latency-lab/index.html with the CJS preload', () => {
    expect(e.windows).toHaveLength(1);
    const prefs = e.windows[0].options.webPreferences;
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, allowRunningInsecureContent: false, experimentalFeatures: false, webviewTag: false });
    expect(String(prefs.preload)).toBe(join(dir, 'out', 'preload', 'preload.cjs'));
    expect(e.log).toContain('loadURL app://latency-lab/index.html');
  });

  it('remembers the window state on close', () => {
    e.windows[0].listeners.close();
    const state = JSON.parse(readFileSync(join(dir, 'user-data-1', 'window-state.json'), 'utf8')) as unknown;
    expect(state).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: false });
  });

  it('sets the application menu, whose commands go to the app page', () => {
    const file = e.handlers.menu?.find((m) => m.label === '&File');
    const item = file?.submenu?.find((i) => i.id === 'library');
    expect(item?.accelerator).toBe('CmdOrCtrl+L');
    item?.click?.();
    expect(e.windows[0].webContents.sent).toEqual([['menu:command', 'library']]);
  });

  it('hardens every web contents the app creates', () => {
    const calls: string[] = [];
    const contents = {
      on: (event: string) => calls.push(event),
      setWindowOpenHandler: () => calls.push('setWindowOpenHandler'),
    };
    e.handlers.app['web-contents-created']({}, contents);
    expect(calls.sort()).toEqual(['setWindowOpenHandler', 'will-attach-webview', 'will-frame-navigate', 'will-navigate', 'will-redirect']);
  });
});

describe('a second instance', () => {
  it('quits at once when the lock is held by the first one', async () => {
    const e = await runMain(false);
    const run = e.log.slice(e.log.lastIndexOf('app.requestSingleInstanceLock'));
    expect(run).toContain('app.quit');
    expect(run).not.toContain('app.whenReady');
  });
});
