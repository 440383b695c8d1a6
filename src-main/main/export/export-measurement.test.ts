import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ExportFormatData } from '../../../shared/contract/ipc-contract';
import { LATENCY_EVENTS_CSV_HEADER } from '../../../shared/report/report-csv';
import { parseReportText, REPORT_SCHEMA_VERSION } from '../../../shared/report/report-schema';
import { decodeWav } from '../../../shared/io/wav-file';
import { toIpcErrorData } from '../ipc/ipc-error';
import { clickFixture, cloneReport, type Fixture, noiseFixture } from '../library/test-fixtures';
import { exportFileName, titleSlug } from '../../../shared/report/export-file';
import { createExporter, type SaveDialogRequest } from './export-measurement';
import { saveDialogOptions, savedPath } from './save-dialog-options';

let base: string;
let n = 0;
let clicks: Fixture;
let noise: Fixture;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'latency-lab-export-'));
  clicks = clickFixture();
  noise = noiseFixture();
});

afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

/** An exporter whose dialog answers `answer(request)`, with a fake PDF printer. */
function exporter(answer: (request: SaveDialogRequest) => string | null) {
  const dir = join(base, `case-${++n}`);
  mkdirSync(dir);
  const requests: SaveDialogRequest[] = [];
  const printed: string[] = [];
  const printHtmlToPdf = vi.fn(async (html: string) => {
    printed.push(html);
    return new TextEncoder().encode('%PDF-1.7\n% fake\n%%EOF\n');
  });
  const ex = createExporter({
    chooseSavePath: async (request) => {
      requests.push(request);
      return answer(request);
    },
    printHtmlToPdf,
    defaultDirectory: () => join(dir, 'Documents'),
  });
  return { ex, dir, requests, printed, printHtmlToPdf };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('default file names', () => {
  it('latency-lab-<date>-<slug>[-what].<ext>, only [a-z0-9-.]', () => {
    expect(exportFileName(clicks.report, 'json')).toBe('latency-lab-2026-03-01-flip-6-in-the-living-room.json');
    expect(exportFileName(clicks.report, 'csv-events')).toBe('latency-lab-2026-03-01-flip-6-in-the-living-room-events.csv');
    expect(exportFileName(clicks.report, 'csv-frequency-response')).toBe('latency-lab-2026-03-01-flip-6-in-the-living-room-frequency-response.csv');
    expect(exportFileName(clicks.report, 'wav-capture')).toBe('latency-lab-2026-03-01-flip-6-in-the-living-room-capture.wav');
    expect(exportFileName(clicks.report, 'pdf')).toMatch(/\.pdf$/);
  });

  it('titles cannot smuggle paths, device names or control characters', () => {
    for (const title of ['../../etc/passwd', 'C:\\Windows\\system32', 'CON', 'a\0b\nc', '   ', '😀😀', '.hidden', 'x'.repeat(500)]) {
      const name = exportFileName({ ...clicks.report, title }, 'json');
      expect(name, title).toMatch(/^latency-lab-2026-03-01-[a-z0-9-]+\.json$/);
      expect(name.length).toBeLessThan(100);
    }
    expect(titleSlug('Küche – Sonos Era 100!')).toBe('kuche-sonos-era-100');
    expect(titleSlug('///')).toBe('measurement');
  });
});

describe('exportMeasurement', () => {
  it('asks with a sensible default path and filter, and writes the pretty, versioned JSON report', async () => {
    const { ex, dir, requests } = exporter(() => join(dir, 'report.json'));
    const result = await ex.exportMeasurement(clicks.report, clicks.audio, 'json');
    expect(result).toEqual({ saved: true, location: join(dir, 'report.json') });
    expect(requests[0]).toEqual({
      title: 'Export Latency Lab report (JSON)',
      defaultPath: join(dir, 'Documents', 'latency-lab-2026-03-01-flip-6-in-the-living-room.json'),
      filters: [{ name: 'Latency Lab report (JSON)', extensions: ['json'] }],
    });
    const text = readFileSync(join(dir, 'report.json'), 'utf8');
    expect(text.startsWith(`{\n  "schemaVersion": ${REPORT_SCHEMA_VERSION},\n  "kind": "latency-lab-report"`)).toBe(true);
    expect(parseReportText(text)).toEqual(clicks.report);
  });

  it('the next dialog opens in the folder used last', async () => {
    const { ex, dir, requests } = exporter(() => (requests.length === 1 ? join(dir, 'first.json') : null));
    await ex.exportMeasurement(clicks.report, null, 'json');
    await ex.exportMeasurement(clicks.report, null, 'csv-events');
    expect(requests[1].defaultPath).toBe(join(dir, 'latency-lab-2026-03-01-flip-6-in-the-living-room-events.csv'));
  });

  it('cancelled: nothing written', async () => {
    const { ex, dir } = exporter(() => null);
    expect(await ex.exportMeasurement(clicks.report, clicks.audio, 'json')).toEqual({ saved: false, location: null });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('CSV of the frequency response (REW: comment header, hz,db,phase lines) and of the events', async () => {
    const { ex, dir, requests } = exporter(() => join(dir, `export-${requests.length}.csv`));
    const fr = await ex.exportMeasurement(noise.report, null, 'csv-frequency-response');
    const frLines = readFileSync(fr.location as string, 'utf8').trimEnd().split('\n');
    expect(frLines[0].startsWith('*')).toBe(true);
    const data = frLines.filter((l) => !l.startsWith('*'));
    expect(data.length).toBeGreaterThan(20);
    for (const line of data.filter((l) => /^\d/.test(l))) expect(line).toMatch(/^\d+(\.\d+)?,-?\d+(\.\d+)?,-?\d+(\.\d+)?$/);
    const events = await ex.exportMeasurement(clicks.report, null, 'csv-events');
    const eventLines = readFileSync(events.location as string, 'utf8').trimEnd().split('\n');
    expect(eventLines[0]).toBe(LATENCY_EVENTS_CSV_HEADER);
    expect(eventLines).toHaveLength(1 + (clicks.report.analysis.latency?.events.length ?? 0));
    expect(readdirSync(dir).sort()).toEqual(['export-1.csv', 'export-2.csv']);
  });

  it('a click measurement has no frequency response: NOT_EXPORTABLE before any dialog', async () => {
    const { ex, requests } = exporter(() => 'never');
    const error = await rejection(ex.exportMeasurement(clicks.report, clicks.audio, 'csv-frequency-response'));
    expect(toIpcErrorData(error)).toEqual({ code: 'NOT_EXPORTABLE', message: expect.stringMatching(/cannot be exported in that form: the report has no frequency response: a click train/) });
    expect(requests).toEqual([]);
  });

  it('HTML: the self-contained report', async () => {
    const { ex, dir } = exporter(() => join(dir, 'report.html'));
    await ex.exportMeasurement(clicks.report, null, 'html');
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/i);
    expect(html).toContain('Flip 6 in the living room');
    expect(html).not.toMatch(/<script\b[^>]*\bsrc=|<link\b[^>]*\bhref="https?:/i);
  });

  it('PDF: the same HTML, printed by the injected printer', async () => {
    const { ex, dir, printed } = exporter(() => join(dir, 'report.pdf'));
    await ex.exportMeasurement(clicks.report, null, 'pdf');
    expect(printed).toHaveLength(1);
    expect(printed[0]).toContain('Flip 6 in the living room');
    expect(readFileSync(join(dir, 'report.pdf'), 'utf8').startsWith('%PDF-')).toBe(true);
  });

  it('WAV capture and stimulus: mono float32, bit-exact', async () => {
    const { ex, dir } = exporter((r) => join(dir, r.defaultPath.endsWith('-capture.wav') ? 'capture.wav' : 'stimulus.wav'));
    await ex.exportMeasurement(clicks.report, clicks.audio, 'wav-capture');
    await ex.exportMeasurement(clicks.report, clicks.audio, 'wav-stimulus');
    const capture = decodeWav(new Uint8Array(readFileSync(join(dir, 'capture.wav'))));
    const stimulus = decodeWav(new Uint8Array(readFileSync(join(dir, 'stimulus.wav'))));
    expect(capture.format).toBe('float32');
    expect(capture.sampleRate).toBe(48000);
    expect(capture.channels).toHaveLength(1);
    expect(Buffer.from(capture.channels[0].buffer).equals(Buffer.from(clicks.audio.capture.buffer))).toBe(true);
    expect(Buffer.from(stimulus.channels[0].buffer).equals(Buffer.from(clicks.audio.reference.buffer))).toBe(true);
  });

  it('WAV without audio: NOT_EXPORTABLE, no dialog', async () => {
    const { ex, requests } = exporter(() => 'never');
    const error = await rejection(ex.exportMeasurement(clicks.report, null, 'wav-stimulus'));
    expect(toIpcErrorData(error).code).toBe('NOT_EXPORTABLE');
    expect(requests).toEqual([]);
  });

  it('a refused analysis has no events to export', async () => {
    const refused = cloneReport(clicks.report);
    refused.analysis = { status: 'refused', error: { code: 'SILENT_CAPTURE', message: 'silent', advice: 'check the microphone' }, warnings: [] };
    const { ex } = exporter(() => 'never');
    expect(toIpcErrorData(await rejection(ex.exportMeasurement(refused, null, 'csv-events'))).code).toBe('NOT_EXPORTABLE');
  });

  it('replacing a file the dialog confirmed is atomic; a name without the extension gets it and is never overwritten', async () => {
    const { ex, dir } = exporter((r) => (r.filters[0].extensions[0] === 'json' ? join(dir, 'existing.json') : join(dir, 'events')));
    writeFileSync(join(dir, 'existing.json'), 'old');
    await ex.exportMeasurement(clicks.report, null, 'json');
    expect(parseReportText(readFileSync(join(dir, 'existing.json'), 'utf8'))).toEqual(clicks.report);
    expect(readdirSync(dir)).toEqual(['existing.json']);
    // "events" -> events.csv, which did not exist
    expect(await ex.exportMeasurement(clicks.report, null, 'csv-events')).toEqual({ saved: true, location: join(dir, 'events.csv') });
    // again: events.csv exists now and the dialog only confirmed "events": refused
    const error = await rejection(ex.exportMeasurement(clicks.report, null, 'csv-events'));
    expect(toIpcErrorData(error).code).toBe('EXISTS');
    expect(readdirSync(dir).sort()).toEqual(['events.csv', 'existing.json']);
  });

  it('writing into a folder that vanished fails with NOT_FOUND and leaves nothing', async () => {
    const { ex, dir } = exporter(() => join(dir, 'gone', 'report.json'));
    expect(toIpcErrorData(await rejection(ex.exportMeasurement(clicks.report, null, 'json'))).code).toBe('NOT_FOUND');
    expect(existsSync(join(dir, 'gone'))).toBe(false);
  });

  it('every format has a distinct default name', () => {
    const formats: ExportFormatData[] = ['json', 'csv-frequency-response', 'csv-events', 'html', 'pdf', 'wav-capture', 'wav-stimulus'];
    expect(new Set(formats.map((f) => exportFileName(clicks.report, f))).size).toBe(formats.length);
  });
});

describe('save dialog options', () => {
  it('ask before replacing (also on Linux) and allow new folders', () => {
    const options = saveDialogOptions({ title: 'Export', defaultPath: '/home/u/x.json', filters: [{ name: 'JSON', extensions: ['json'] }] });
    expect(options.properties).toContain('showOverwriteConfirmation');
    expect(options.properties).toContain('createDirectory');
    expect(options.defaultPath).toBe('/home/u/x.json');
    expect(savedPath({ canceled: true, filePath: '/x' })).toBeNull();
    expect(savedPath({ canceled: false, filePath: '' })).toBeNull();
    expect(savedPath({ canceled: false, filePath: '/x.json' })).toBe('/x.json');
  });
});
