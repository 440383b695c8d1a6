import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPdfPrinter, isPdfRequestAllowed, PDF_PRINT_OPTIONS, PDF_TEMP_PREFIX, PDF_WINDOW_OPTIONS, type PdfWindow } from './pdf-printer';

let temp: string;

beforeAll(() => {
  temp = mkdtempSync(join(tmpdir(), 'latency-lab-pdf-test-'));
});

afterAll(() => {
  rmSync(temp, { recursive: true, force: true });
});

/** A fake BrowserWindow recording what the printer does with it. */
function fakeWindow(behaviour: { load?: () => Promise<void>; print?: () => Promise<Uint8Array> } = {}) {
  const calls: string[] = [];
  let loadedHtml = '';
  let options: unknown = null;
  const create = (o: unknown): PdfWindow => {
    options = o;
    return {
      loadFile: async (path) => {
        calls.push(`load ${path}`);
        loadedHtml = readFileSync(path, 'utf8');
        await behaviour.load?.();
      },
      webContents: {
        printToPDF: async (printOptions) => {
          calls.push(`print ${JSON.stringify(printOptions)}`);
          return behaviour.print ? behaviour.print() : new TextEncoder().encode('%PDF-1.7 fake');
        },
      },
      destroy: () => {
        calls.push('destroy');
      },
    };
  };
  return { create, calls, loaded: () => loadedHtml, options: () => options };
}

describe('PDF window and print options', () => {
  it('a hidden, sandboxed, isolated window with JavaScript off, in its own session', () => {
    expect(PDF_WINDOW_OPTIONS.show).toBe(false);
    expect(PDF_WINDOW_OPTIONS.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      javascript: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
    });
    expect(PDF_WINDOW_OPTIONS.webPreferences.partition).not.toMatch(/^persist:/);
    expect('preload' in PDF_WINDOW_OPTIONS.webPreferences).toBe(false);
  });

  it('A4, no backgrounds', () => {
    expect(PDF_PRINT_OPTIONS.pageSize).toBe('A4');
    expect(PDF_PRINT_OPTIONS.printBackground).toBe(false);
  });
});

describe('createPdfPrinter', () => {
  it('loads the HTML from a temp file, prints A4, destroys the window and removes the file', async () => {
    const fake = fakeWindow();
    const print = createPdfPrinter(fake.create, temp);
    const pdf = await print('<!DOCTYPE html><h1>Report</h1>');
    expect(new TextDecoder().decode(pdf)).toBe('%PDF-1.7 fake');
    expect(fake.options()).toBe(PDF_WINDOW_OPTIONS);
    expect(fake.loaded()).toBe('<!DOCTYPE html><h1>Report</h1>');
    expect(fake.calls[0]).toMatch(new RegExp(`^load ${join(temp, PDF_TEMP_PREFIX).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\w+/report\\.html$`));
    expect(fake.calls[1]).toBe(`print ${JSON.stringify(PDF_PRINT_OPTIONS)}`);
    expect(fake.calls[2]).toBe('destroy');
    expect(readdirSync(temp)).toEqual([]);
  });

  it('a failed load or print still destroys the window and removes the file', async () => {
    for (const behaviour of [{ load: () => Promise.reject(new Error('ERR_FAILED')) }, { print: () => Promise.reject(new Error('printing failed')) }]) {
      const fake = fakeWindow(behaviour);
      await expect(createPdfPrinter(fake.create, temp)('<p>x</p>')).rejects.toThrow(/ERR_FAILED|printing failed/);
      expect(fake.calls.at(-1)).toBe('destroy');
      expect(readdirSync(temp)).toEqual([]);
    }
  });

  it('a print that never finishes times out', async () => {
    const fake = fakeWindow({ print: () => new Promise(() => undefined) });
    await expect(createPdfPrinter(fake.create, temp, 50)('<p>x</p>')).rejects.toThrow(/took longer than/);
    expect(fake.calls.at(-1)).toBe('destroy');
    expect(existsSync(temp) && readdirSync(temp)).toEqual([]);
  });
});

describe('isPdfRequestAllowed (the print session loads nothing but the report)', () => {
  it('allows the temp report file and data: URLs only', () => {
    const report = pathToFileURL(join(temp, `${PDF_TEMP_PREFIX}abc123`, 'report.html')).href;
    expect(isPdfRequestAllowed(report, temp)).toBe(true);
    expect(isPdfRequestAllowed('data:image/png;base64,iVBORw0KGgo=', temp)).toBe(true);
    for (const url of [
      'https://example.com/track.png',
      'http://127.0.0.1:8080/',
      'file:///etc/passwd',
      pathToFileURL(join(temp, `${PDF_TEMP_PREFIX}abc123`, 'other.html')).href,
      pathToFileURL(join(temp, 'elsewhere', 'report.html')).href,
      `${pathToFileURL(join(temp, `${PDF_TEMP_PREFIX}abc123`)).href}/../../etc/report.html`,
      'app://latency-lab/index.html',
      'not a url',
    ]) {
      expect(isPdfRequestAllowed(url, temp), url).toBe(false);
    }
  });
});
