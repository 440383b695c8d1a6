/**
 * The Electron main process, kept thin: it wires Electron's APIs to plain, tested functions
 * (window/, ipc/, library/, export/, menu/, settings/) and holds no logic of its own.
 *
 * Security: one sandboxed, context-isolated window without Node; the page is served from the
 * privileged app:// scheme with the CSP as a header; navigation, redirects, new windows and
 * <webview> are denied; permissions are limited to the microphone and speaker selection for the
 * app's own origin; IPC only on the contract's channels, from the app's own frame, validated.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, screen, session, shell } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MENU_COMMAND_CHANNEL, type MenuCommandData, menuCommandSchema } from '../../shared/contract/ipc-contract';
import { createExporter } from './export/export-measurement';
import { createPdfPrinter, isPdfRequestAllowed, PDF_PARTITION } from './export/pdf-printer';
import { saveDialogOptions, savedPath } from './export/save-dialog-options';
import { createIpcHandlers } from './ipc/ipc-handlers';
import { createIpcRouter } from './ipc/ipc-router';
import { registerIpc } from './ipc/register-ipc';
import { isTrustedSender } from './ipc/sender-policy';
import { chosenPath, IMPORT_DIALOG_OPTIONS } from './library/import-dialog-options';
import { createLibrary } from './library/library-store';
import { buildAppMenuTemplate } from './menu/app-menu';
import { createSettingsStore } from './settings/settings-store';
import { APP_SCHEME, appLocation, isAppUrl } from './window/app-location';
import { APP_SCHEME_DEFINITION, createAppProtocolHandler } from './window/app-protocol';
import { CONTENT_SECURITY_POLICY } from '../../shared/contract/content-security-policy';
import { hardenSession } from './window/session-hardening';
import { hardenWebContents } from './window/web-contents-hardening';
import { SECURE_WEB_PREFERENCES, mainWindowOptions } from './window/window-options';
import { createWindowStateStore } from './window/window-state';

const mainDir = fileURLToPath(new URL('.', import.meta.url));
const rendererDir = join(mainDir, '../renderer');
const preloadPath = join(mainDir, '../preload/preload.cjs');
// The dev server only in development (electron-vite dev); a packaged app always serves app://.
const location = appLocation(app.isPackaged ? null : process.env.ELECTRON_RENDERER_URL);

let mainWindow: BrowserWindow | null = null;

// Before 'ready': app:// is a standard, secure scheme; every renderer is sandboxed.
protocol.registerSchemesAsPrivileged([APP_SCHEME_DEFINITION]);
app.enableSandbox();

function sendMenuCommand(command: MenuCommandData): void {
  const contents = mainWindow?.webContents;
  if (!contents || contents.isDestroyed() || !isAppUrl(contents.getURL(), location)) return;
  contents.send(MENU_COMMAND_CHANNEL, menuCommandSchema.parse(command));
}

function focusMainWindow(): void {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

function createMainWindow(): void {
  const stateStore = createWindowStateStore(join(app.getPath('userData'), 'window-state.json'));
  const primary = screen.getPrimaryDisplay();
  const workAreas = [primary, ...screen.getAllDisplays().filter((d) => d.id !== primary.id)].map((d) => d.workArea);
  const state = stateStore.load(workAreas);
  const options = mainWindowOptions(preloadPath, state);
  const win = new BrowserWindow({
    ...options,
    // Spelled out here as well, so reviewers and Electronegativity see them at the constructor.
    webPreferences: {
      ...options.webPreferences,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  win.on('close', () => {
    try {
      stateStore.save({ ...win.getNormalBounds(), maximized: win.isMaximized() });
    } catch (error) {
      console.warn(`The window position could not be saved: ${(error as Error).message}`);
    }
  });
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  mainWindow = win;
  win.loadURL(location.indexUrl).catch((error: Error) => console.error(`The app page failed to load: ${error.message}`));
}

async function onReady(): Promise<void> {
  const userData = app.getPath('userData');

  hardenSession(session.defaultSession, location);
  const pdfSession = session.fromPartition(PDF_PARTITION);
  pdfSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  pdfSession.setPermissionCheckHandler(() => false);
  pdfSession.setDevicePermissionHandler(() => false);
  pdfSession.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isPdfRequestAllowed(details.url) }));

  if (!location.dev) {
    protocol.handle(APP_SCHEME, createAppProtocolHandler({ rootDir: rendererDir, contentSecurityPolicy: CONTENT_SECURITY_POLICY }));
  }

  const library = createLibrary(join(userData, 'library'), { trashItem: (path) => shell.trashItem(path) });
  const leftovers = library.cleanupInterruptedSaves();
  if (leftovers.length > 0) console.warn(`Removed ${leftovers.length} interrupted save(s) from the library: ${leftovers.join(', ')}`);

  const exporter = createExporter({
    chooseSavePath: async (request) => {
      const options = saveDialogOptions(request);
      return savedPath(mainWindow ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options));
    },
    printHtmlToPdf: createPdfPrinter(
      (options) =>
        new BrowserWindow({
          ...options,
          webPreferences: {
            ...SECURE_WEB_PREFERENCES,
            ...options.webPreferences,
            sandbox: true,
            contextIsolation: true,
            nodeIntegration: false,
            javascript: false,
            disableBlinkFeatures: 'Auxclick',
          },
        }),
    ),
    defaultDirectory: () => app.getPath('documents'),
  });

  const handlers = createIpcHandlers({
    library,
    exporter,
    settings: createSettingsStore(join(userData, 'settings.json')),
    chooseReportFile: async () => {
      const options = { ...IMPORT_DIALOG_OPTIONS, properties: [...IMPORT_DIALOG_OPTIONS.properties], filters: IMPORT_DIALOG_OPTIONS.filters.map((f) => ({ name: f.name, extensions: [...f.extensions] })) };
      return chosenPath(mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options));
    },
  });
  registerIpc(ipcMain, createIpcRouter(handlers, { isTrustedSender: (frame) => isTrustedSender(frame, location) }));

  Menu.setApplicationMenu(Menu.buildFromTemplate(buildAppMenuTemplate({ platform: process.platform, isDev: location.dev, appName: app.name, sendCommand: sendMenuCommand })));

  createMainWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow();
  });
}

function start(): void {
  // A second launch hands over to the first instance, which comes to the front.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('second-instance', focusMainWindow);
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, {
      location,
      openExternal: (url) => {
        shell.openExternal(url).catch((error: Error) => console.warn(`Could not open ${url}: ${error.message}`));
      },
    });
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.whenReady().then(onReady).catch((error: unknown) => {
    console.error('Latency Lab could not start:', error);
    app.exit(1);
  });
}

start();
