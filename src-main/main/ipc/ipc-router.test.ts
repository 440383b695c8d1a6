import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS, IPC_CONTRACT, IPC_LIMITS, type IpcResult } from '../../../shared/contract/ipc-contract';
import { REPORT_SCHEMA_VERSION } from '../../../shared/report/report-schema';
import { createExporter } from '../export/export-measurement';
import { createLibrary } from '../library/library-store';
import { clickFixture, cloneReport, type Fixture } from '../library/test-fixtures';
import { sampleAvReport } from '../../../shared/report/av-report-test-fixtures';
import { createSettingsStore } from '../settings/settings-store';
import { appLocation } from '../window/app-location';
import { createIpcHandlers } from './ipc-handlers';
import { createIpcRouter, type IpcHandlers, type IpcRouter } from './ipc-router';
import { registerIpc } from './register-ipc';
import { isTrustedSender, type SenderFrame } from './sender-policy';

const APP = appLocation();
const FRAME: SenderFrame = { url: 'app://latency-lab/index.html', parent: null };

let base: string;
let n = 0;
let fixture: Fixture;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'latency-lab-ipc-'));
  fixture = clickFixture();
});

afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

/** A router over real handlers in a fresh folder, with a scripted import and save dialog. */
function setup() {
  const dir = join(base, `case-${++n}`);
  const trash = vi.fn(async (_path: string) => undefined);
  const dialogs = { importPath: null as string | null, savePath: null as string | null };
  const logs: string[] = [];
  const library = createLibrary(join(dir, 'library'), { trashItem: trash, warn: (m) => logs.push(m) });
  const handlers = createIpcHandlers({
    library,
    exporter: createExporter({
      chooseSavePath: async () => dialogs.savePath,
      printHtmlToPdf: async () => new TextEncoder().encode('%PDF-1.7 fake'),
      defaultDirectory: () => dir,
    }),
    settings: createSettingsStore(join(dir, 'settings.json')),
    chooseReportFile: async () => dialogs.importPath,
  });
  const router = createIpcRouter(handlers, { isTrustedSender: (frame) => isTrustedSender(frame, APP), log: (m) => logs.push(m) });
  const call = (channel: string, payload: unknown, frame: SenderFrame | null = FRAME) => router.dispatch(channel, frame, [payload]);
  return { dir, router, call, trash, dialogs, logs, library };
}

function expectError(result: IpcResult<unknown>, code: string, message?: RegExp): void {
  expect(result.ok, JSON.stringify(result).slice(0, 300)).toBe(false);
  if (result.ok) return;
  expect(result.error.code).toBe(code);
  if (message) expect(result.error.message).toMatch(message);
  expect(result.error.message.length).toBeLessThanOrEqual(4000);
}

function valueOf<T>(result: IpcResult<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** A Float32Array claiming a length it does not have (so limits are tested without allocating them). */
function claimedLength(length: number): Float32Array {
  const samples = new Float32Array(4);
  Object.defineProperty(samples, 'length', { value: length });
  return samples;
}

describe('channels', () => {
  it('the contract has exactly the documented channels', () => {
    expect(Object.keys(IPC_CONTRACT).sort()).toEqual(Object.values(IPC_CHANNELS).sort());
    expect(setup().router.channels.slice().sort()).toEqual(Object.values(IPC_CHANNELS).sort());
  });

  it('unknown channels are refused', async () => {
    const { call } = setup();
    for (const channel of ['library:delete-everything', 'shell:openExternal', '', '__proto__', 'constructor', 'toString', 'x'.repeat(100_000)]) {
      expectError(await call(channel, {}), 'INVALID_REQUEST', /unknown channel/);
    }
  });

  it('exactly one argument', async () => {
    const { router } = setup();
    expectError(await router.dispatch('library:list', FRAME, []), 'INVALID_REQUEST', /exactly one argument/);
    expectError(await router.dispatch('library:list', FRAME, [{}, {}]), 'INVALID_REQUEST', /exactly one argument/);
  });
});

describe('sender', () => {
  const untrusted: Array<[string, SenderFrame | null]> = [
    ['no frame', null],
    ['another site', { url: 'https://evil.example/index.html', parent: null }],
    ['a look-alike host', { url: 'app://latency-lab.evil/index.html', parent: null }],
    ['file://', { url: 'file:///home/user/index.html', parent: null }],
    ['a data: URL', { url: 'data:text/html,<script>1</script>', parent: null }],
    ['about:blank', { url: 'about:blank', parent: null }],
    ['a subframe of the app', { url: 'app://latency-lab/index.html', parent: { url: 'app://latency-lab/index.html' } }],
    ['credentials in the URL', { url: 'app://user:pw@latency-lab/index.html', parent: null }],
  ];

  it.each(untrusted)('refuses %s (FORBIDDEN) before parsing or running anything', async (_what, frame) => {
    const { call, trash } = setup();
    expectError(await call('library:remove', { id: 'some-measurement' }, frame), 'FORBIDDEN');
    expectError(await call('library:list', 'not even an object', frame), 'FORBIDDEN');
    expect(trash).not.toHaveBeenCalled();
  });

  it('in development only the local dev server is the app', () => {
    const dev = appLocation('http://localhost:5173/');
    expect(isTrustedSender({ url: 'http://localhost:5173/', parent: null }, dev)).toBe(true);
    expect(isTrustedSender({ url: 'http://localhost:5174/', parent: null }, dev)).toBe(false);
    expect(isTrustedSender({ url: 'app://latency-lab/index.html', parent: null }, dev)).toBe(false);
    expect(isTrustedSender({ url: 'http://localhost:5173/', parent: null }, APP)).toBe(false);
  });
});

describe('malformed payloads are INVALID_REQUEST', () => {
  const validAudio = () => ({ sampleRate: 48000, reference: new Float32Array(480), capture: new Float32Array(960) });
  const cases: Array<[string, string, () => unknown, RegExp?]> = [
    ['list: undefined', 'library:list', () => undefined],
    ['list: null', 'library:list', () => null],
    ['list: a string', 'library:list', () => 'list'],
    ['list: extra key', 'library:list', () => ({ path: '/etc' }), /Unrecognized key/],
    ['open: path traversal', 'library:open', () => ({ id: '../../etc' }), /id must be/],
    ['open: absolute path', 'library:open', () => ({ id: '/etc/passwd' })],
    ['open: dots', 'library:open', () => ({ id: '..' })],
    ['open: NUL byte', 'library:open', () => ({ id: 'abcdef\0.json' })],
    ['open: number', 'library:open', () => ({ id: 42 })],
    ['open: huge string', 'library:open', () => ({ id: 'a'.repeat(10_000_000) })],
    ['open: missing id', 'library:open', () => ({})],
    ['open: extra key', 'library:open', () => ({ id: 'abcdef-1', path: '../x' }), /Unrecognized key/],
    ['open: array', 'library:open', () => ['abcdef-1']],
    ['rename: too long title', 'library:rename', () => ({ id: 'abcdef-1', title: 'x'.repeat(IPC_LIMITS.titleChars + 1) }), /at most 200/],
    ['rename: 10 MB title', 'library:rename', () => ({ id: 'abcdef-1', title: 'x'.repeat(10_000_000) })],
    ['rename: NUL in title', 'library:rename', () => ({ id: 'abcdef-1', title: 'a\0b' }), /control characters/],
    ['rename: newline in title', 'library:rename', () => ({ id: 'abcdef-1', title: 'a\nb' }), /control characters/],
    ['rename: empty title', 'library:rename', () => ({ id: 'abcdef-1', title: '   ' }), /empty/],
    ['rename: title not a string', 'library:rename', () => ({ id: 'abcdef-1', title: { toString: 'x' } })],
    ['rename: traversal id', 'library:rename', () => ({ id: '../../../../tmp/x', title: 'ok' })],
    ['remove: traversal id', 'library:remove', () => ({ id: '..\\..\\Windows' })],
    ['save: report missing', 'library:save', () => ({ audio: null })],
    ['save: audio missing', 'library:save', () => ({ report: fixture.report })],
    ['save: not a report', 'library:save', () => ({ report: { kind: 'nope' }, audio: null }), /not a Latency Lab report/],
    ['save: newer report', 'library:save', () => ({ report: { ...cloneReport(fixture.report), schemaVersion: REPORT_SCHEMA_VERSION + 1 }, audio: null }), /newer than this Latency Lab/],
    ['save: report with a bad id', 'library:save', () => ({ report: { ...cloneReport(fixture.report), id: '../../etc' }, audio: null }), /id must be/],
    ['save: report title too long', 'library:save', () => ({ report: { ...cloneReport(fixture.report), title: 'x'.repeat(201) }, audio: null })],
    ['save: samples as a plain array', 'library:save', () => ({ report: fixture.report, audio: { ...validAudio(), reference: [0, 0.5] } }), /Float32Array/],
    ['save: samples as Float64Array', 'library:save', () => ({ report: fixture.report, audio: { ...validAudio(), capture: new Float64Array(10) } }), /Float32Array/],
    ['save: empty samples', 'library:save', () => ({ report: fixture.report, audio: { ...validAudio(), capture: new Float32Array(0) } }), /1 to/],
    ['save: too many frames', 'library:save', () => ({ report: fixture.report, audio: { ...validAudio(), capture: claimedLength(IPC_LIMITS.audioFrames + 1) } }), /1 to 172800000 frames/],
    ['save: NaN samples', 'library:save', () => ({ report: fixture.report, audio: { ...validAudio(), reference: Float32Array.of(0, Number.NaN) } }), /sample 1 is NaN/],
    ['save: infinite samples', 'library:save', () => ({ report: fixture.report, audio: { ...validAudio(), reference: Float32Array.of(Number.POSITIVE_INFINITY) } }), /Infinity/],
    ['save: sample rate 0', 'library:save', () => ({ report: fixture.report, audio: { ...validAudio(), sampleRate: 0 } })],
    ['save: absurd sample rate', 'library:save', () => ({ report: fixture.report, audio: { ...validAudio(), sampleRate: 1e9 } })],
    ['save: fractional sample rate', 'library:save', () => ({ report: fixture.report, audio: { ...validAudio(), sampleRate: 48000.5 } })],
    ['save: extra key in audio', 'library:save', () => ({ report: fixture.report, audio: { ...validAudio(), path: '/tmp/x.wav' } }), /Unrecognized key/],
    ['export: unknown format', 'export:measurement', () => ({ report: fixture.report, audio: null, format: 'exe' })],
    ['export: no format', 'export:measurement', () => ({ report: fixture.report, audio: null })],
    ['export: extra key (a path)', 'export:measurement', () => ({ report: fixture.report, audio: null, format: 'json', path: '/etc/passwd' }), /Unrecognized key/],
    ['settings: missing', 'settings:save', () => ({})],
    ['settings: NaN video latency', 'settings:save', () => ({ settings: { videoLatencyMs: Number.NaN, customClaims: [], baselines: [] } })],
    ['settings: huge video latency', 'settings:save', () => ({ settings: { videoLatencyMs: 1e12, customClaims: [], baselines: [] } })],
    ['settings: extra key', 'settings:save', () => ({ settings: { videoLatencyMs: 0, customClaims: [], baselines: [], admin: true } }), /Unrecognized key/],
    ['settings: bad claim', 'settings:save', () => ({ settings: { videoLatencyMs: 0, customClaims: [{ id: 'X Y' }], baselines: [] } })],
    ['settings: too many baselines', 'settings:save', () => ({
      settings: { videoLatencyMs: 0, customClaims: [], baselines: Array.from({ length: IPC_LIMITS.baselines + 1 }, () => ({ inputDeviceLabel: 'a', outputDeviceLabel: 'b', baselineMs: 10, confidence: 0.9, measuredAt: '2026-03-01T12:00:00Z' })) },
    }) ],
  ];

  it.each(cases)('%s', async (_name, channel, payload, message) => {
    const { call, trash, dir } = setup();
    const result = await call(channel, payload());
    expectError(result, 'INVALID_REQUEST', message);
    if (!result.ok) expect(result.error.message).toMatch(new RegExp(`^invalid ${channel} request: `));
    expect(trash).not.toHaveBeenCalled();
    expect(existsSync(join(dir, 'library'))).toBe(false);
    expect(existsSync(join(dir, 'settings.json'))).toBe(false);
  });

  it('audio longer than 30 minutes is refused even within the frame limit', async () => {
    const { call } = setup();
    const long = new Float32Array(30 * 60 * 8000 + 1);
    expectError(await call('library:save', { report: fixture.report, audio: { sampleRate: 8000, reference: long, capture: new Float32Array(10) } }), 'INVALID_REQUEST', /over the 1800 s limit/);
  });
});

describe('every channel over real files', () => {
  it('save, list, open, rename, remove', async () => {
    const { call, trash, dir } = setup();
    const entry = valueOf(await call('library:save', { report: fixture.report, audio: fixture.audio })) as { id: string; hasAudio: boolean };
    expect(entry).toMatchObject({ id: fixture.report.id, hasAudio: true });
    const list = valueOf(await call('library:list', {})) as { entries: Array<{ id: string }>; unreadable: unknown[] };
    expect(list.entries.map((e) => e.id)).toEqual([entry.id]);
    expect(list.unreadable).toEqual([]);
    const opened = valueOf(await call('library:open', { id: entry.id })) as { report: unknown; audio: { capture: Float32Array } };
    expect(opened.report).toEqual(fixture.report);
    expect(opened.audio.capture).toBeInstanceOf(Float32Array);
    expect(opened.audio.capture.length).toBe(fixture.audio.capture.length);
    const renamed = valueOf(await call('library:rename', { id: entry.id, title: '  Sofa  ' })) as { title: string };
    expect(renamed.title).toBe('Sofa');
    expect(valueOf(await call('library:remove', { id: entry.id }))).toBeNull();
    expect(trash).toHaveBeenCalledWith(join(dir, 'library', entry.id));
    expectError(await call('library:open', { id: 'not-there-1' }), 'NOT_FOUND');
  });

  it('import: cancelled is null, a bad file is INVALID_FILE with the reason, a good one gets a new id', async () => {
    const { call, dialogs, dir } = setup();
    expect(valueOf(await call('library:import', {}))).toBeNull();
    const bad = join(base, `bad-${n}.json`);
    writeFileSync(bad, '{"kind":"latency-lab-report","schemaVersion":7}');
    dialogs.importPath = bad;
    expectError(await call('library:import', {}), 'INVALID_FILE', /bad-\d+\.json cannot be imported: .*schemaVersion 7, newer/);
    const good = join(base, `good-${n}.json`);
    writeFileSync(good, JSON.stringify(fixture.report));
    dialogs.importPath = good;
    const entry = valueOf(await call('library:import', {})) as { id: string; hasAudio: boolean };
    expect(entry.id).not.toBe(fixture.report.id);
    expect(entry.hasAudio).toBe(false);
    expect(existsSync(join(dir, 'library', entry.id, 'report.json'))).toBe(true);
  });

  it('export: cancelled, saved, and the measurement-cannot-be-exported errors', async () => {
    const { call, dialogs, dir } = setup();
    expect(valueOf(await call('export:measurement', { report: fixture.report, audio: null, format: 'json' }))).toEqual({ saved: false, location: null });
    dialogs.savePath = join(dir, 'out.json');
    mkdirSync(dir, { recursive: true });
    expect(valueOf(await call('export:measurement', { report: fixture.report, audio: null, format: 'json' }))).toEqual({ saved: true, location: join(dir, 'out.json') });
    expect(JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'))).toEqual(fixture.report);
    expectError(await call('export:measurement', { report: fixture.report, audio: null, format: 'wav-capture' }), 'NOT_EXPORTABLE', /no stored audio/);
    expectError(await call('export:measurement', { report: fixture.report, audio: null, format: 'csv-frequency-response' }), 'NOT_EXPORTABLE');
  });

  it('A/V: saved without audio, listed, opened, exported as HTML; with audio or as WAV refused', async () => {
    const { call, dialogs, dir } = setup();
    const report = sampleAvReport({ id: 'av-ipc-0001' });
    const entry = valueOf(await call('library:save', { report, audio: null })) as { id: string; kind: string; avUncertaintyMs: number };
    expect(entry).toMatchObject({ id: 'av-ipc-0001', kind: 'av', avUncertaintyMs: report.analysis.av!.uncertaintyMs });
    expect(valueOf(await call('library:open', { id: entry.id }))).toEqual({ report, audio: null });
    expectError(await call('library:save', { report, audio: fixture.audio }), 'INVALID_REQUEST', /an A\/V measurement keeps no audio/);
    mkdirSync(dir, { recursive: true });
    dialogs.savePath = join(dir, 'av.html');
    expect(valueOf(await call('export:measurement', { report, audio: null, format: 'html' }))).toEqual({ saved: true, location: join(dir, 'av.html') });
    expect(readFileSync(join(dir, 'av.html'), 'utf8')).toContain('Latency Lab A/V report');
    expectError(await call('export:measurement', { report, audio: null, format: 'wav-impulse-response' }), 'NOT_EXPORTABLE', /no frequency response or impulse response/);
  });

  it('settings: camera offsets are kept; duplicate names and out-of-range offsets refused', async () => {
    const { call } = setup();
    const camera = { name: 'Phone 240 fps', offsetMs: 12.5, uncertaintyMs: 1.1, measuredAt: '2026-12-06T10:00:00.000Z', method: 'pattern on a display of known offset 0 ms', videoFps: 240 };
    const settings = { videoLatencyMs: 0, customClaims: [], baselines: [], cameraOffsets: [camera] };
    expect(valueOf(await call('settings:save', { settings }))).toBeNull();
    expect(valueOf(await call('settings:load', {}))).toEqual(settings);
    expectError(await call('settings:save', { settings: { ...settings, cameraOffsets: [camera, camera] } }), 'INVALID_REQUEST', /camera names must be unique/);
    expectError(await call('settings:save', { settings: { ...settings, cameraOffsets: [{ ...camera, offsetMs: 5000 }] } }), 'INVALID_REQUEST');
  });

  it('settings: defaults, then what was saved', async () => {
    const { call } = setup();
    expect(valueOf(await call('settings:load', {}))).toEqual({ videoLatencyMs: 0, customClaims: [], baselines: [] });
    const settings = { videoLatencyMs: 35, customClaims: [], baselines: [{ inputDeviceLabel: 'USB mic', outputDeviceLabel: 'Speakers', baselineMs: 11.5, confidence: 0.98, measuredAt: '2026-03-01T12:00:00.000Z' }] };
    expect(valueOf(await call('settings:save', { settings }))).toBeNull();
    expect(valueOf(await call('settings:load', {}))).toEqual(settings);
  });
});

describe('handler failures', () => {
  function routerWith(handler: () => unknown) {
    const logs: string[] = [];
    const handlers = Object.fromEntries(Object.values(IPC_CHANNELS).map((c) => [c, handler])) as unknown as IpcHandlers;
    const router: IpcRouter = createIpcRouter(handlers, { isTrustedSender: () => true, log: (m) => logs.push(m) });
    return { router, logs };
  }

  it('a thrown bug is INTERNAL, logged with its stack, and its message kept short', async () => {
    const { router, logs } = routerWith(() => {
      throw new TypeError('x is undefined');
    });
    expectError(await router.dispatch('library:list', FRAME, [{}]), 'INTERNAL', /internal error: x is undefined/);
    expect(logs.join('\n')).toMatch(/library:list failed: TypeError: x is undefined/);
  });

  it('file-system errors become NOT_FOUND, EXISTS or IO with a plain reason', async () => {
    const fsError = (code: string) => Object.assign(new Error(`${code}: something, open '/x'`), { code });
    expectError(await routerWith(() => Promise.reject(fsError('ENOSPC'))).router.dispatch('library:list', FRAME, [{}]), 'IO', /^the disk is full/);
    expectError(await routerWith(() => Promise.reject(fsError('EACCES'))).router.dispatch('library:list', FRAME, [{}]), 'IO', /^permission denied/);
    expectError(await routerWith(() => Promise.reject(fsError('ENOENT'))).router.dispatch('library:list', FRAME, [{}]), 'NOT_FOUND');
    expectError(await routerWith(() => Promise.reject(fsError('EEXIST'))).router.dispatch('library:list', FRAME, [{}]), 'EXISTS');
  });

  it('an answer that breaks the contract is not sent', async () => {
    const { router, logs } = routerWith(() => ({ entries: [{ id: '../../etc' }], unreadable: [] }));
    expectError(await router.dispatch('library:list', FRAME, [{}]), 'INTERNAL', /answer to library:list was invalid/);
    expect(logs.join('\n')).toMatch(/invalid response/);
  });
});

describe('registerIpc', () => {
  it('registers exactly the contract channels with ipcMain.handle, passing the sender frame and all arguments', async () => {
    const registered = new Map<string, (event: { senderFrame: SenderFrame | null }, ...args: unknown[]) => Promise<unknown>>();
    const ipcMain = {
      handle: vi.fn((channel: string, listener: (event: { senderFrame: SenderFrame | null }, ...args: unknown[]) => Promise<unknown>) => {
        registered.set(channel, listener);
      }),
      removeHandler: vi.fn((channel: string) => {
        registered.delete(channel);
      }),
    };
    const { router } = setup();
    const unregister = registerIpc(ipcMain as never, router);
    expect([...registered.keys()].sort()).toEqual(Object.values(IPC_CHANNELS).sort());
    const list = registered.get('library:list');
    expect(await list?.({ senderFrame: FRAME }, {})).toEqual({ ok: true, value: { entries: [], unreadable: [] } });
    expect(await list?.({ senderFrame: { url: 'https://evil.example/', parent: null } }, {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await list?.({ senderFrame: FRAME }, {}, 'extra')).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    unregister();
    expect(registered.size).toBe(0);
  });
});
