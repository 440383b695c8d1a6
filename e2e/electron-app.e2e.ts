/**
 * The desktop app end to end with Playwright's Electron driver: launches the built app (out/,
 * `npm run build`), measures through the deterministic in-browser audio loop (support/audio-loop.ts,
 * installed as an init script in the app's window), saves to the library, exports (the native save
 * dialog is answered from the main process), and reopens the measurement from the library. Also
 * checks the shell's security settings from outside: app:// origin with the CSP header, sandboxed
 * renderer without Node, the bridge's named methods only, new windows and navigation denied.
 *
 * The Electron binary comes from GitHub and cannot be downloaded everywhere: where it is missing
 * (node_modules/electron/path.txt + dist/<path>, or ELECTRON_OVERRIDE_DIST_PATH, as
 * src-main/tools/ensure-electron.mjs checks) every test here is skipped with that message.
 * Never require('electron') to find out: that would try to download it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, type ElectronApplication, expect, type Page, test } from '@playwright/test';
import type { Report } from '../shared/report/report-schema';
import { decodeWav } from '../shared/io/wav-file';
import { installAudioLoop, type LoopConfig } from './support/audio-loop';
import { LOOP_DELAY_FRAMES, loopFilters } from './support/loop-filter';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * A stored or exported report, read as JSON (the schema module imports JSON without an import
 * attribute, which Playwright's Node ESM loader refuses; the main process validated it already).
 */
function readReport(path: string): Report {
  const report = JSON.parse(readFileSync(path, 'utf8')) as Report;
  expect(report.kind).toBe('latency-lab-report');
  return report;
}
const ELECTRON_DIR = join(ROOT, 'node_modules', 'electron');

/** Where the Electron binary is, or null (checked by files only). */
function electronBinary(): string | null {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) return existsSync(override) ? override : null;
  const pathFile = join(ELECTRON_DIR, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(ELECTRON_DIR, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

const binary = electronBinary();
const electronAvailable = binary !== null;
const SKIP_REASON =
  'Electron binary not installed: node_modules/electron/dist is missing (it is downloaded from GitHub by `npx install-electron`, ' +
  'or set ELECTRON_OVERRIDE_DIST_PATH). The main-process handlers are covered by the vitest suites in src-main/.';

test.describe.configure({ mode: 'serial' });
test.skip(!electronAvailable, SKIP_REASON);

let app: ElectronApplication;
let page: Page;
let userDataRoot: string;
let exportDir: string;
let savedTitle = '';
let measuredMedianMs = 0;

/** Answers the next native save dialogs with `path` (the main process's dialog module is patched). */
async function answerSaveDialog(path: string): Promise<void> {
  await app.evaluate(({ dialog }, filePath) => {
    const answer = async () => ({ canceled: false, filePath });
    (dialog as unknown as { showSaveDialog: typeof answer }).showSaveDialog = answer;
  }, path);
}

test.beforeAll(async () => {
  test.setTimeout(300_000);
  // The built app: main, preload and renderer.
  if (!['out/main/main.js', 'out/preload/preload.cjs', 'out/renderer/index.html'].every((p) => existsSync(join(ROOT, p)))) {
    execFileSync(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'inherit' });
  }
  userDataRoot = mkdtempSync(join(tmpdir(), 'latency-lab-electron-e2e-'));
  exportDir = join(userDataRoot, 'exports');
  mkdirSync(exportDir, { recursive: true });
  const rootUser = typeof process.getuid === 'function' && process.getuid() === 0;
  app = await electron.launch({
    executablePath: binary ?? undefined,
    // --no-sandbox only where Chromium refuses to start otherwise (root in CI containers).
    args: [ROOT, `--user-data-dir=${join(userDataRoot, 'user-data')}`, ...(rootUser ? ['--no-sandbox'] : [])],
    cwd: ROOT,
    env: { ...process.env, XDG_CONFIG_HOME: join(userDataRoot, 'config'), ELECTRON_ENABLE_LOGGING: '1' },
    timeout: 120_000,
  });
  const config: LoopConfig = { delayFrames: LOOP_DELAY_FRAMES, filters: loopFilters(), silent: false };
  await app.context().addInitScript(installAudioLoop, config);
  // Record instead of opening the OS browser.
  await app.evaluate(({ shell }) => {
    const opened: string[] = [];
    (globalThis as unknown as { __opened: string[] }).__opened = opened;
    shell.openExternal = async (url: string) => {
      opened.push(url);
    };
  });
  page = await app.firstWindow();
  // The init script applies from the next document on: reload once so the loop is installed.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'New measurement' })).toBeVisible({ timeout: 60_000 });
});

test.afterAll(async () => {
  await app?.close().catch(() => undefined);
  if (userDataRoot) rmSync(userDataRoot, { recursive: true, force: true });
});

test('the window is the sandboxed app page on app:// with the CSP header and only the bridge', async () => {
  expect(page.url()).toBe('app://latency-lab/index.html');
  const userData = await app.evaluate(({ app: electronApp }) => electronApp.getPath('userData'));
  expect(userData.startsWith(userDataRoot), `userData ${userData} is not in the test's folder`).toBe(true);
  const inPage = await page.evaluate(async () => {
    const response = await fetch('app://latency-lab/index.html');
    const bridge = (window as unknown as { latencyLab?: Record<string, unknown> }).latencyLab;
    return {
      csp: response.headers.get('content-security-policy'),
      meta: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? null,
      node: typeof (globalThis as unknown as { require?: unknown }).require !== 'undefined' || typeof (globalThis as unknown as { process?: unknown }).process !== 'undefined',
      bridgeKeys: bridge ? Object.keys(bridge).sort() : null,
      libraryKeys: bridge ? Object.keys(bridge.library as object).sort() : null,
      isSecureContext: window.isSecureContext,
    };
  });
  expect(inPage.csp).toBeTruthy();
  expect(inPage.csp).toBe(inPage.meta);
  expect(inPage.node).toBe(false);
  expect(inPage.bridgeKeys).toEqual(['exportMeasurement', 'library', 'onMenuCommand', 'settings']);
  expect(inPage.libraryKeys).toEqual(['importReport', 'list', 'open', 'remove', 'rename', 'save']);
  expect(inPage.isSecureContext).toBe(true);
});

test('new windows and navigation away from the app are denied; links go to the OS browser', async () => {
  const opened = await page.evaluate(() => window.open('https://example.com/help') === null);
  expect(opened).toBe(true);
  expect(app.windows()).toHaveLength(1);
  await page.evaluate(() => {
    window.location.href = 'file:///etc/passwd';
  });
  await page.waitForTimeout(500);
  expect(page.url()).toBe('app://latency-lab/index.html');
  const external = await app.evaluate(() => (globalThis as unknown as { __opened: string[] }).__opened);
  expect(external).toEqual(['https://example.com/help']);
});

test('measure on the audio loop, save to the library, export JSON, PDF and WAV', async () => {
  test.setTimeout(240_000);
  await expect(page.getByLabel('Microphone (input)')).toHaveValue('loop-mic');
  await page.getByRole('radio', { name: 'Click train' }).check();
  await page.getByLabel('Run length').fill('6');
  await page.getByRole('button', { name: 'Start measurement' }).click();
  await expect(page.getByRole('button', { name: 'Results', exact: true })).toHaveAttribute('aria-current', 'page', { timeout: 120_000 });

  await page.getByRole('button', { name: 'Save to library' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved to the library with its audio.' })).toBeVisible();
  const libraryDir = join(await app.evaluate(({ app: electronApp }) => electronApp.getPath('userData')), 'library');
  const ids = readdirSync(libraryDir).filter((name) => !name.startsWith('.'));
  expect(ids).toHaveLength(1);
  expect(readdirSync(join(libraryDir, ids[0])).sort()).toEqual(['capture.wav', 'report.json', 'stimulus.wav']);
  const stored = readReport(join(libraryDir, ids[0], 'report.json'));
  expect(stored.analysis.status).toBe('ok');
  savedTitle = stored.title;
  measuredMedianMs = stored.analysis.latency?.medianMs ?? Number.NaN;
  // The loop is 600 frames plus the filter's delay: the measurement is in that neighbourhood.
  const rate = stored.signal.sampleRate;
  expect(measuredMedianMs).toBeGreaterThan((LOOP_DELAY_FRAMES / rate) * 1000);
  expect(measuredMedianMs).toBeLessThan((LOOP_DELAY_FRAMES / rate) * 1000 + 1);

  await page.getByRole('button', { name: 'Export…' }).click();
  const exports: Array<[string, string]> = [
    ['Report (JSON)', 'report.json'],
    ['Report (PDF)', 'report.pdf'],
    ['Capture (WAV)', 'capture.wav'],
    ['Latency events (CSV)', 'events.csv'],
  ];
  for (const [label, file] of exports) {
    await answerSaveDialog(join(exportDir, file));
    await page.getByRole('button', { name: label, exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: `${label} saved as ${join(exportDir, file)}` })).toBeVisible({ timeout: 60_000 });
  }
  expect(readReport(join(exportDir, 'report.json')).analysis.latency?.medianMs).toBe(measuredMedianMs);
  expect(readFileSync(join(exportDir, 'report.pdf')).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const wav = decodeWav(new Uint8Array(readFileSync(join(exportDir, 'capture.wav'))));
  expect(wav.format).toBe('float32');
  expect(wav.sampleRate).toBe(rate);
  expect(readFileSync(join(exportDir, 'events.csv'), 'utf8').split('\n')[0]).toBe('time_s,latency_ms,confidence,status,peak_to_noise_db');
});

test('reopen the measurement from the library', async () => {
  await page.getByRole('button', { name: 'Library', exact: true }).click();
  // One measurement in the library: its Open button (named after its title).
  const open = page.getByRole('button', { name: /^Open “/ });
  await expect(open).toHaveCount(1);
  if (savedTitle) await expect(open).toHaveAccessibleName(`Open “${savedTitle}”`);
  await open.click();
  await expect(page.getByRole('button', { name: 'Results', exact: true })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('button', { name: 'Saved in library' })).toBeDisabled();
  // The reopened measurement has its audio: the WAV exports are available.
  await page.getByRole('button', { name: 'Export…' }).click();
  await expect(page.getByRole('button', { name: 'Stimulus (WAV)', exact: true })).toBeEnabled();
});

test('the File menu has the commands and sends them to the page', async () => {
  const items = await app.evaluate(({ Menu }) => {
    const file = Menu.getApplicationMenu()?.items.find((i) => i.label.replace('&', '') === 'File');
    return file?.submenu?.items.filter((i) => i.id).map((i) => ({ id: i.id, accelerator: i.accelerator ?? null })) ?? [];
  });
  expect(items.map((i) => i.id)).toEqual(expect.arrayContaining(['new-measurement', 'open-report', 'export', 'library']));
  await app.evaluate(({ Menu }) => {
    Menu.getApplicationMenu()?.getMenuItemById('new-measurement')?.click();
  });
  await expect(page.getByRole('button', { name: 'Measure', exact: true })).toHaveAttribute('aria-current', 'page');
});
