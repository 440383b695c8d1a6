// @vitest-environment jsdom
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseReportText, REPORT_SCHEMA_VERSION } from '../../shared/report/report-schema';
import { decodeWav } from '../../shared/io/wav-file';
import { fixtureAudio, okReport, refusedReport } from '../test-support/test-fixtures';
import { refusedAvReport, sampleAvReport } from '../../shared/report/av-report-test-fixtures';
import { parseStoredReportText } from '../../shared/report/av-report';
import { createBrowserHost, exportFileName, sanitizeSettings, SETTINGS_KEY, titleSlug } from './browser-host';
import { DEFAULT_SETTINGS, type HostApi, HostError } from './host-api';

interface Download {
  blob: Blob;
  fileName: string;
}

let downloads: Download[];
let host: HostApi;

beforeEach(() => {
  downloads = [];
  localStorage.clear();
  host = createBrowserHost({ indexedDB: new IDBFactory(), download: (blob, fileName) => downloads.push({ blob, fileName }) });
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** Makes the next file picker "choose" a file with this text (or cancel with null). */
function pickFile(text: string | null, name = 'report.json'): void {
  vi.spyOn(HTMLInputElement.prototype, 'click').mockImplementation(function (this: HTMLInputElement) {
    if (text === null) {
      this.dispatchEvent(new Event('cancel'));
      return;
    }
    const file = new File([text], name, { type: 'application/json' });
    Object.defineProperty(this, 'files', { value: [file], configurable: true });
    this.dispatchEvent(new Event('change'));
  });
}

async function expectHostError(promise: Promise<unknown>, pattern: RegExp): Promise<HostError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HostError);
  expect((error as HostError).message).toMatch(pattern);
  return error as HostError;
}

const blobText = (blob: Blob): Promise<string> => blob.text();

describe('browser host library', () => {
  it('saves, lists and opens a measurement with its audio', async () => {
    const report = okReport({ frequencyResponse: true, id: 'measure-1' });
    const audio = fixtureAudio();
    const entry = await host.library.save(report, audio);
    expect(entry).toMatchObject({ id: 'measure-1', title: report.title, status: 'ok', hasAudio: true, claimId: 'speaker-jbl-flip-6' });
    expect(entry.medianMs).toBeCloseTo(report.analysis.latency!.medianMs, 9);

    const list = await host.library.list();
    expect(list).toEqual([entry]);

    const opened = await host.library.open('measure-1');
    expect(opened.report).toEqual(report);
    expect(opened.audio).not.toBeNull();
    expect(opened.audio!.sampleRate).toBe(48000);
    expect(opened.audio!.capture).toBeInstanceOf(Float32Array);
    expect(Array.from(opened.audio!.capture)).toEqual(Array.from(audio.capture));
    expect(Array.from(opened.audio!.reference)).toEqual(Array.from(audio.reference));
  });

  it('saves a report without audio and a refused report', async () => {
    await host.library.save(refusedReport({ id: 'refused-1' }), null);
    const opened = await host.library.open('refused-1');
    expect(opened.audio).toBeNull();
    expect(opened.report.analysis.status).toBe('refused');
    const [entry] = await host.library.list();
    expect(entry).toMatchObject({ status: 'refused', medianMs: null, hasAudio: false });
  });

  it('never overwrites another measurement with the same id', async () => {
    const first = okReport({ id: 'same-id-1', title: 'First' });
    const second = okReport({ id: 'same-id-1', title: 'Second' });
    await host.library.save(first, null);
    const entry = await host.library.save(second, fixtureAudio());
    expect(entry.id).not.toBe('same-id-1');
    expect((await host.library.open('same-id-1')).report.title).toBe('First');
    expect((await host.library.open(entry.id)).report.title).toBe('Second');
    expect((await host.library.open(entry.id)).report.id).toBe(entry.id);
    expect(await host.library.list()).toHaveLength(2);
  });

  it('renames a measurement, title in the report too, and validates the title', async () => {
    await host.library.save(okReport({ id: 'rename-1' }), null);
    const entry = await host.library.rename('rename-1', '  Echo Studio, aux out  ');
    expect(entry.title).toBe('Echo Studio, aux out');
    expect((await host.library.list())[0].title).toBe('Echo Studio, aux out');
    expect((await host.library.open('rename-1')).report.title).toBe('Echo Studio, aux out');
    await expectHostError(host.library.rename('rename-1', '   '), /must not be empty/);
    await expectHostError(host.library.rename('rename-1', 'x'.repeat(201)), /at most 200 characters/);
    await expectHostError(host.library.rename('missing-1', 'Title'), /no measurement with id "missing-1"/);
    expect((await host.library.open('rename-1')).report.title).toBe('Echo Studio, aux out');
  });

  it('removes a measurement and its audio', async () => {
    await host.library.save(okReport({ id: 'remove-1' }), fixtureAudio());
    await host.library.save(okReport({ id: 'keep-1' }), null);
    await host.library.remove('remove-1');
    expect((await host.library.list()).map((e) => e.id)).toEqual(['keep-1']);
    await expectHostError(host.library.open('remove-1'), /no measurement with id "remove-1"/);
  });

  it('gives a HostError for a corrupt stored report instead of crashing', async () => {
    const factory = new IDBFactory();
    const corruptHost = createBrowserHost({ indexedDB: factory });
    await corruptHost.library.save(okReport({ id: 'corrupt-1' }), null);
    // Damage the stored report behind the host's back.
    await new Promise<void>((resolve, reject) => {
      const request = factory.open('latency-lab', 1);
      request.onsuccess = () => {
        const tx = request.result.transaction('reports', 'readwrite');
        tx.objectStore('reports').put({ id: 'corrupt-1', report: { kind: 'latency-lab-report', schemaVersion: 1, title: 42 } });
        tx.oncomplete = () => {
          request.result.close();
          resolve();
        };
        tx.onerror = () => reject(tx.error);
      };
      request.onerror = () => reject(request.error);
    });
    await expectHostError(corruptHost.library.open('corrupt-1'), /"corrupt-1" is damaged .*report is invalid/);
  });

  it('lists a measurement whose stored entry has an older layout, rebuilt from its report', async () => {
    const factory = new IDBFactory();
    const oldHost = createBrowserHost({ indexedDB: factory });
    const report = okReport({ id: 'old-layout-1' });
    await oldHost.library.save(report, fixtureAudio(500));
    await new Promise<void>((resolve, reject) => {
      const request = factory.open('latency-lab', 1);
      request.onsuccess = () => {
        const tx = request.result.transaction('entries', 'readwrite');
        tx.objectStore('entries').put({ id: 'old-layout-1', title: report.title, createdAt: report.createdAt, status: 'ok' });
        tx.oncomplete = () => {
          request.result.close();
          resolve();
        };
        tx.onerror = () => reject(tx.error);
      };
      request.onerror = () => reject(request.error);
    });
    const listed = await oldHost.library.list();
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: 'old-layout-1', title: report.title, status: 'ok', hasAudio: true, claimId: 'speaker-jbl-flip-6' });
    expect(listed[0].medianMs).toBeCloseTo(report.analysis.latency!.medianMs, 9);
  });

  it('imports a valid report under a new id and leaves the older one untouched', async () => {
    const original = okReport({ id: 'original-1', title: 'Original' });
    await host.library.save(original, fixtureAudio());
    pickFile(JSON.stringify({ ...original, title: 'Imported copy' }));
    const entry = await host.library.importReport();
    expect(entry).not.toBeNull();
    expect(entry!.id).not.toBe('original-1');
    expect(entry!.title).toBe('Imported copy');
    expect(entry!.hasAudio).toBe(false);
    const imported = await host.library.open(entry!.id);
    expect(imported.report.id).toBe(entry!.id);
    expect(imported.audio).toBeNull();
    const older = await host.library.open('original-1');
    expect(older.report).toEqual(original);
    expect(older.audio).not.toBeNull();
    expect(await host.library.list()).toHaveLength(2);
  });

  it('resolves null when the file picker is cancelled', async () => {
    pickFile(null);
    expect(await host.library.importReport()).toBeNull();
    expect(await host.library.list()).toEqual([]);
  });

  it.each([
    ['invalid JSON', '{"kind": "latency-lab-report", ', /not valid JSON/],
    ['a JSON file that is not a report', JSON.stringify({ hello: 'world' }), /not a Latency Lab report: "kind"/],
    ['a report from a newer version', JSON.stringify({ ...okReport(), schemaVersion: REPORT_SCHEMA_VERSION + 1 }), /newer than this Latency Lab understands/],
    ['a report with an invalid field', JSON.stringify({ ...okReport(), createdAt: 'yesterday' }), /createdAt/],
  ])('refuses to import %s, saying why, and stores nothing', async (_what, text, reason) => {
    pickFile(text, 'bad.json');
    const error = await expectHostError(host.library.importReport(), reason);
    expect(error.message).toContain('"bad.json" cannot be imported');
    expect(await host.library.list()).toEqual([]);
  });
});

describe('browser host library: A/V measurements', () => {
  it('saves, lists with offset ± uncertainty, opens (openAny) and renames an A/V report; open() says it is not audio', async () => {
    const report = sampleAvReport({ id: 'av-browser-1' });
    const entry = await host.library.save(report, null);
    expect(entry).toMatchObject({ id: 'av-browser-1', kind: 'av', hasAudio: false, avOffsetMs: report.analysis.av!.offsetMs, avUncertaintyMs: report.analysis.av!.uncertaintyMs });
    await host.library.save(refusedAvReport('av-browser-2'), null);
    const listed = await host.library.list();
    expect(listed.map((e) => [e.id, e.kind, e.status]).sort()).toEqual([['av-browser-1', 'av', 'ok'], ['av-browser-2', 'av', 'refused']]);
    const opened = await host.library.openAny('av-browser-1');
    expect(opened).toEqual({ report, audio: null });
    await expectHostError(host.library.open('av-browser-1'), /is an A\/V \(lip-sync\) measurement, not an audio one/);
    const renamed = await host.library.rename('av-browser-1', 'Bedroom TV');
    expect(renamed).toMatchObject({ title: 'Bedroom TV', kind: 'av' });
    expect((await host.library.openAny('av-browser-1')).report.title).toBe('Bedroom TV');
  });

  it('refuses audio with an A/V report, and an invalid A/V report, storing nothing', async () => {
    await expectHostError(host.library.save(sampleAvReport(), fixtureAudio()), /an A\/V measurement keeps no audio/);
    await expectHostError(host.library.save({ ...sampleAvReport(), analysis: { status: 'ok', warnings: [] } } as never, null), /cannot be saved: the A\/V report is invalid: analysis\.av/);
    expect(await host.library.list()).toEqual([]);
  });

  it('imports an A/V report (as av-analyze --report writes it) and exports it as JSON, HTML and events CSV; WAV refused with the reason', async () => {
    pickFile(JSON.stringify(sampleAvReport({ title: 'From the CLI' })), 'av.json');
    const entry = await host.library.importReport();
    expect(entry).toMatchObject({ kind: 'av', title: 'From the CLI' });
    const { report } = await host.library.openAny(entry!.id);
    await host.exportMeasurement(report, null, 'json');
    expect(parseStoredReportText(await blobText(downloads[0].blob))).toEqual(report);
    await host.exportMeasurement(report, null, 'html');
    expect(await blobText(downloads[1].blob)).toContain('Latency Lab A/V report');
    await host.exportMeasurement(report, null, 'csv-events');
    expect((await blobText(downloads[2].blob)).split('\n')[0]).toBe('event,time_s,offset_ms,confidence,flash_std_err_ms,click_peak_to_noise_db,status');
    await expectHostError(host.exportMeasurement(report, null, 'wav-capture'), /cannot be exported in that form: an A\/V \(lip-sync\) measurement keeps no audio/);
    expect(downloads).toHaveLength(3);
  });
});

describe('browser host exports', () => {
  it('names files latency-lab-<date>-<title-slug>.<ext>', () => {
    const report = okReport({ title: 'Flip 6 — living room (Bluetooth)!', createdAt: '2026-03-01T12:34:56.789Z' });
    expect(exportFileName(report, 'json')).toBe('latency-lab-2026-03-01-flip-6-living-room-bluetooth.json');
    expect(exportFileName(report, 'html')).toBe('latency-lab-2026-03-01-flip-6-living-room-bluetooth.html');
    expect(exportFileName(report, 'csv-events')).toBe('latency-lab-2026-03-01-flip-6-living-room-bluetooth-events.csv');
    expect(exportFileName(report, 'csv-frequency-response')).toBe('latency-lab-2026-03-01-flip-6-living-room-bluetooth-frequency-response.csv');
    expect(exportFileName(report, 'wav-capture')).toBe('latency-lab-2026-03-01-flip-6-living-room-bluetooth-capture.wav');
    expect(exportFileName(report, 'wav-stimulus')).toBe('latency-lab-2026-03-01-flip-6-living-room-bluetooth-stimulus.wav');
    expect(titleSlug('')).toBe('measurement');
    expect(titleSlug('Überraschung')).toBe('uberraschung');
  });

  it('exports pretty-printed JSON that parses back to the same report', async () => {
    const report = okReport({ frequencyResponse: true });
    const result = await host.exportMeasurement(report, null, 'json');
    expect(result).toEqual({ saved: true, location: 'latency-lab-2026-03-01-flip-6-in-the-living-room.json' });
    expect(downloads).toHaveLength(1);
    expect(downloads[0].blob.type).toBe('application/json');
    const text = await blobText(downloads[0].blob);
    expect(text).toContain(`\n  "schemaVersion": ${REPORT_SCHEMA_VERSION}`);
    expect(parseReportText(text)).toEqual(report);
  });

  it('exports the frequency response and events as CSV', async () => {
    const report = okReport({ frequencyResponse: true });
    await host.exportMeasurement(report, null, 'csv-frequency-response');
    await host.exportMeasurement(report, null, 'csv-events');
    const fr = await blobText(downloads[0].blob);
    expect(downloads[0].fileName).toMatch(/-frequency-response\.csv$/);
    const dataLines = fr.split('\n').filter((l) => /^\d/.test(l));
    expect(dataLines.length).toBe(report.analysis.frequencyResponse!.points.length);
    expect(dataLines[0].split(',')).toHaveLength(3);
    const events = (await blobText(downloads[1].blob)).trim().split('\n');
    expect(events[0]).toBe('time_s,latency_ms,confidence,status,peak_to_noise_db');
    expect(events).toHaveLength(1 + report.analysis.latency!.events.length);
  });

  it('exports a self-contained HTML report', async () => {
    const report = okReport();
    await host.exportMeasurement(report, null, 'html');
    expect(downloads[0].fileName).toMatch(/\.html$/);
    expect(downloads[0].blob.type).toBe('text/html');
    const html = await blobText(downloads[0].blob);
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('Flip 6 in the living room');
  });

  it('exports the capture and the stimulus as float32 WAV', async () => {
    const audio = fixtureAudio(1000);
    await host.exportMeasurement(okReport(), audio, 'wav-capture');
    await host.exportMeasurement(okReport(), audio, 'wav-stimulus');
    const capture = decodeWav(new Uint8Array(await downloads[0].blob.arrayBuffer()));
    const stimulus = decodeWav(new Uint8Array(await downloads[1].blob.arrayBuffer()));
    expect(downloads.map((d) => d.fileName)).toEqual([
      'latency-lab-2026-03-01-flip-6-in-the-living-room-capture.wav',
      'latency-lab-2026-03-01-flip-6-in-the-living-room-stimulus.wav',
    ]);
    expect(capture.sampleRate).toBe(48000);
    expect(capture.format).toBe('float32');
    expect(Array.from(capture.channels[0])).toEqual(Array.from(audio.capture));
    expect(Array.from(stimulus.channels[0])).toEqual(Array.from(audio.reference));
  });

  it('writes the same WAV bytes as the desktop (one renderer): INFO tags name the measurement', async () => {
    const audio = fixtureAudio(1000);
    await host.exportMeasurement(okReport(), audio, 'wav-capture');
    const capture = decodeWav(new Uint8Array(await downloads[0].blob.arrayBuffer()));
    expect(capture.info).toMatchObject({ ISFT: 'Latency Lab', INAM: `${okReport().title} (capture)` });
  });

  it('refuses what a measurement cannot provide, with a HostError and no download', async () => {
    await expectHostError(host.exportMeasurement(okReport(), null, 'wav-capture'), /no stored audio/);
    await expectHostError(host.exportMeasurement(okReport(), null, 'csv-frequency-response'), /no frequency response/);
    await expectHostError(host.exportMeasurement(refusedReport(), null, 'csv-events'), /no latency events/);
    expect(downloads).toEqual([]);
  });
});

describe('browser host settings', () => {
  it('loads defaults when nothing is stored, and round-trips what is saved', async () => {
    expect(await host.settings.load()).toEqual(DEFAULT_SETTINGS);
    const settings = {
      videoLatencyMs: 35,
      customClaims: [
        {
          id: 'custom-my-soundbar',
          kind: 'custom' as const,
          name: 'My soundbar',
          expectation: { type: 'up-to' as const, maxMs: 60, statistic: 'median' as const },
          claimText: 'up to 60 ms',
          source: { file: 'user', article: 'My soundbar', location: 'custom profile', quote: 'My soundbar: up to 60 ms (median)' },
        },
      ],
      baselines: [{ inputDeviceLabel: 'USB mic', outputDeviceLabel: 'Headphones', baselineMs: 12.5, confidence: 0.97, measuredAt: '2026-02-01T10:00:00.000Z' }],
    };
    await host.settings.save(settings);
    expect(await host.settings.load()).toEqual(settings);
    // A new host (a reload) reads the same.
    expect(await createBrowserHost({ indexedDB: new IDBFactory() }).settings.load()).toEqual(settings);
  });

  it('falls back to defaults for corrupt localStorage, without crashing', async () => {
    localStorage.setItem(SETTINGS_KEY, '{not json');
    expect(await host.settings.load()).toEqual(DEFAULT_SETTINGS);
    localStorage.setItem(SETTINGS_KEY, '"a string"');
    expect(await host.settings.load()).toEqual(DEFAULT_SETTINGS);
    localStorage.setItem(SETTINGS_KEY, JSON.stringify({ videoLatencyMs: 'fast', customClaims: [{ id: 'Not Kebab' }], baselines: [{ baselineMs: 'x' }] }));
    expect(await host.settings.load()).toEqual(DEFAULT_SETTINGS);
  });

  it('keeps the valid parts of partly damaged settings', () => {
    const good = { inputDeviceLabel: 'Mic', outputDeviceLabel: 'Out', baselineMs: 9, confidence: 0.9, measuredAt: '2026-01-01T00:00:00Z' };
    const settings = sanitizeSettings({ videoLatencyMs: 40, customClaims: [null, 5], baselines: [good, { ...good, confidence: 7 }] });
    expect(settings).toEqual({ videoLatencyMs: 40, customClaims: [], baselines: [good] });
    expect(sanitizeSettings({ videoLatencyMs: -5 }).videoLatencyMs).toBe(0);
    expect(sanitizeSettings({ videoLatencyMs: Number.NaN }).videoLatencyMs).toBe(0);
  });

  it('has no menu commands: onMenuCommand returns a no-op unsubscribe', () => {
    const unsubscribe = host.onMenuCommand(() => undefined);
    expect(typeof unsubscribe).toBe('function');
    expect(() => unsubscribe()).not.toThrow();
    expect(host.kind).toBe('browser');
  });
});
