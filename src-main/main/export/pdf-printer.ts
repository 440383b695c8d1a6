/**
 * Prints the HTML report to PDF in a hidden, sandboxed window with JavaScript disabled, in its own
 * in-memory session, loaded from a temporary file (data: URLs are capped at 2 MB in Chromium, and a
 * report with charts can be larger). A4, no backgrounds. The window factory is injected (Electron's
 * BrowserWindow in the app, a fake in tests); the options are plain data tested as such.
 */
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserWindowConstructorOptions, PrintToPDFOptions } from 'electron';
import type { PrintHtmlToPdf } from './export-measurement';

/** The print window's session: in memory (no "persist:"), shared with nothing else. */
export const PDF_PARTITION = 'latency-lab-pdf';

export const PDF_WINDOW_OPTIONS = {
  show: false,
  width: 794,
  height: 1123,
  webPreferences: {
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    javascript: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    partition: PDF_PARTITION,
  },
} as const satisfies BrowserWindowConstructorOptions;

export const PDF_PRINT_OPTIONS = {
  pageSize: 'A4',
  printBackground: false,
  landscape: false,
  // Inches; about 15 mm all round.
  margins: { top: 0.6, bottom: 0.6, left: 0.6, right: 0.6 },
} as const satisfies PrintToPDFOptions;

export const PDF_TIMEOUT_MS = 60_000;

/** The part of a BrowserWindow the printer uses. */
export interface PdfWindow {
  loadFile(path: string): Promise<void>;
  webContents: { printToPDF(options: PrintToPDFOptions): Promise<Uint8Array> };
  destroy(): void;
}

/** Folder prefix of the temporary HTML files (inside the OS temp dir). */
export const PDF_TEMP_PREFIX = 'latency-lab-pdf-';

/**
 * The OS temp dir with symlinks resolved (macOS's /var is /private/var), so the file URL the
 * window loads and the one the request filter allows are spelled the same.
 */
export function pdfTempRoot(): string {
  try {
    return realpathSync(tmpdir());
  } catch {
    return tmpdir();
  }
}

/**
 * For the print session's request filter: only the temporary report files and inline data: URLs
 * load; anything else (a remote image a title might smuggle in, any network request) is cancelled.
 */
export function isPdfRequestAllowed(url: string, tempRoot: string = pdfTempRoot()): boolean {
  if (url.startsWith('data:')) return true;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'file:') return false;
  const prefix = pathToFileURL(join(tempRoot, PDF_TEMP_PREFIX)).href;
  return parsed.href.startsWith(prefix) && !parsed.pathname.includes('/../') && parsed.href.endsWith('/report.html');
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

export function createPdfPrinter(createWindow: (options: typeof PDF_WINDOW_OPTIONS) => PdfWindow, tempRoot: string = pdfTempRoot(), timeoutMs = PDF_TIMEOUT_MS): PrintHtmlToPdf {
  return async (html) => {
    const dir = mkdtempSync(join(tempRoot, PDF_TEMP_PREFIX));
    if (!dir.startsWith(tempRoot + sep) && dir !== tempRoot) throw new Error('unexpected temporary folder');
    const file = join(dir, 'report.html');
    let window: PdfWindow | null = null;
    try {
      writeFileSync(file, html, { encoding: 'utf8', mode: 0o600 });
      window = createWindow(PDF_WINDOW_OPTIONS);
      await withTimeout(window.loadFile(file), timeoutMs, 'Loading the report for printing');
      const pdf = await withTimeout(window.webContents.printToPDF(PDF_PRINT_OPTIONS), timeoutMs, 'Printing the report to PDF');
      return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
    } finally {
      window?.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
