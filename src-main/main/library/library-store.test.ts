import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { REPORT_SCHEMA_VERSION } from '../../../shared/report/report-schema';
import { decodeWav } from '../../../shared/io/wav-file';
import type { IpcErrorData } from '../../../shared/contract/ipc-contract';
import { toIpcErrorData } from '../ipc/ipc-error';
import { StoreError } from '../store-error';
import { createLibrary, SAVING_PREFIX } from './library-store';
import { isLibraryId, newLibraryId } from './library-id';
import { clickFixture, cloneReport, type Fixture } from './test-fixtures';
import { refusedAvReport, sampleAvReport } from '../../../shared/report/av-report-test-fixtures';

let base: string;
let n = 0;
let fixture: Fixture;

/** Bit-exact comparison (vitest's toEqual walks typed arrays element by element, slowly). */
function sameSamples(a: Float32Array | undefined, b: Float32Array): boolean {
  return a !== undefined && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** A library in a fresh folder, with a recording trash and warnings collected. */
function library(trashItem: (path: string) => Promise<void> = async () => undefined) {
  const root = join(base, `lib-${++n}`, 'library');
  const warnings: string[] = [];
  const lib = createLibrary(root, { trashItem, warn: (m) => warnings.push(m) });
  return { lib, root, warnings };
}

function ipcError(fn: () => unknown): IpcErrorData {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(StoreError);
    return toIpcErrorData(error);
  }
  throw new Error('expected a StoreError');
}

async function ipcErrorAsync(fn: () => Promise<unknown>): Promise<IpcErrorData> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(StoreError);
    return toIpcErrorData(error);
  }
  throw new Error('expected a StoreError');
}

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'latency-lab-library-'));
  fixture = clickFixture();
});

afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

describe('library ids', () => {
  it('new ids match the strict pattern, sort by time and differ', () => {
    const a = newLibraryId(new Date('2026-03-01T12:00:00Z'));
    const b = newLibraryId(new Date('2026-03-01T12:00:01Z'));
    expect(a).toMatch(/^20260301-120000-[0-9a-f]{8}$/);
    expect(isLibraryId(a)).toBe(true);
    expect(a < b).toBe(true);
    expect(newLibraryId()).not.toBe(newLibraryId());
  });

  it('refuses anything a path could be built from', () => {
    for (const bad of ['../../etc', '..', '.', 'a/b/c/d', 'abc\\def', 'abc\0defgh', '', 'short', 'x'.repeat(65), 'ünicode-id', 'C:\\Windows', '/etc/passwd', 'abc def', 42, null]) {
      expect(isLibraryId(bad), String(bad)).toBe(false);
    }
  });
});

describe('save', () => {
  it('writes <id>/report.json, capture.wav and stimulus.wav (float32, bit-exact) and nothing else', () => {
    const { lib, root } = library();
    const entry = lib.save(fixture.report, fixture.audio);
    expect(entry.id).toBe(fixture.report.id);
    expect(entry.hasAudio).toBe(true);
    expect(entry.title).toBe(fixture.report.title);
    expect(readdirSync(root)).toEqual([entry.id]);
    expect(readdirSync(join(root, entry.id)).sort()).toEqual(['capture.wav', 'report.json', 'stimulus.wav']);
    const stored = JSON.parse(readFileSync(join(root, entry.id, 'report.json'), 'utf8')) as unknown;
    expect(stored).toEqual(fixture.report);
    const capture = decodeWav(new Uint8Array(readFileSync(join(root, entry.id, 'capture.wav'))));
    expect(capture.format).toBe('float32');
    expect(capture.sampleRate).toBe(fixture.audio.sampleRate);
    expect(capture.channels).toHaveLength(1);
    expect(sameSamples(capture.channels[0], fixture.audio.capture)).toBe(true);
    const stimulus = decodeWav(new Uint8Array(readFileSync(join(root, entry.id, 'stimulus.wav'))));
    expect(sameSamples(stimulus.channels[0], fixture.audio.reference)).toBe(true);
  });

  it('without audio stores only report.json', () => {
    const { lib, root } = library();
    const entry = lib.save(fixture.report, null);
    expect(entry.hasAudio).toBe(false);
    expect(readdirSync(join(root, entry.id))).toEqual(['report.json']);
    expect(lib.open(entry.id).audio).toBeNull();
  });

  it('never overwrites: a second save of the same report gets a new id and the first stays intact', () => {
    const { lib, root } = library();
    const first = lib.save(fixture.report, fixture.audio);
    const changed = { ...cloneReport(fixture.report), title: 'Second copy' };
    const second = lib.save(changed, null);
    expect(second.id).not.toBe(first.id);
    expect(isLibraryId(second.id)).toBe(true);
    expect(lib.open(first.id).report.title).toBe(fixture.report.title);
    expect(sameSamples(lib.open(first.id).audio?.capture, fixture.audio.capture)).toBe(true);
    const opened = lib.open(second.id);
    expect(opened.report.title).toBe('Second copy');
    expect(opened.report.id).toBe(second.id);
    expect(readdirSync(root).sort()).toEqual([first.id, second.id].sort());
  });

  it('an existing (even empty) folder with the id is not replaced', () => {
    const { lib, root } = library();
    mkdirSync(join(root, fixture.report.id), { recursive: true });
    writeFileSync(join(root, fixture.report.id, 'keep.txt'), 'mine');
    const entry = lib.save(fixture.report, null);
    expect(entry.id).not.toBe(fixture.report.id);
    expect(readFileSync(join(root, fixture.report.id, 'keep.txt'), 'utf8')).toBe('mine');
    mkdirSync(join(root, 'empty-folder-id'));
    const again = lib.save({ ...cloneReport(fixture.report), id: 'empty-folder-id' }, null);
    expect(again.id).not.toBe('empty-folder-id');
    expect(readdirSync(join(root, 'empty-folder-id'))).toEqual([]);
  });

  it('a failed save leaves no folder behind', () => {
    const { lib, root } = library();
    const bad = { sampleRate: 48000, reference: new Float32Array([0, Number.NaN]), capture: new Float32Array(4) };
    expect(() => lib.save(fixture.report, bad)).toThrow();
    expect(readdirSync(root)).toEqual([]);
  });
});

describe('list', () => {
  it('lists every measurement, with the fields the renderer shows', () => {
    const { lib } = library();
    expect(lib.list()).toEqual({ entries: [], unreadable: [] }); // no folder yet
    const a = lib.save(fixture.report, fixture.audio);
    const b = lib.save({ ...cloneReport(fixture.report), id: 'second-measurement', title: 'Kitchen' }, null);
    const { entries, unreadable } = lib.list();
    expect(unreadable).toEqual([]);
    expect(entries.map((e) => e.id).sort()).toEqual([a.id, b.id].sort());
    const first = entries.find((e) => e.id === a.id);
    expect(first).toMatchObject({ title: fixture.report.title, status: 'ok', hasAudio: true, signalKind: 'click', inputDevice: 'USB mic', outputDevice: 'JBL Flip 6' });
    expect(first?.medianMs).toBeCloseTo(42.5, 1);
    expect(entries.find((e) => e.id === b.id)?.hasAudio).toBe(false);
  });

  it('tolerates and reports corrupt entries without failing, and ignores hidden folders and stray files', () => {
    const { lib, root, warnings } = library();
    const good = lib.save(fixture.report, fixture.audio);
    const folder = (name: string, report?: string) => {
      mkdirSync(join(root, name));
      if (report !== undefined) writeFileSync(join(root, name, 'report.json'), report);
    };
    folder('not-json-000', '{ "schemaVersion": 1, ');
    folder('empty-file-000', '');
    folder('no-report-000');
    folder('wrong-kind-000', JSON.stringify({ kind: 'something-else' }));
    folder('from-future-000', JSON.stringify({ ...cloneReport(fixture.report), schemaVersion: REPORT_SCHEMA_VERSION + 1 }));
    folder('bad-field-0000', JSON.stringify({ ...cloneReport(fixture.report), title: 7 }));
    folder('not a library id!');
    folder(`${SAVING_PREFIX}half-written-1234`, '{"partial":');
    folder('.DS_Store-dir');
    writeFileSync(join(root, 'stray-file.txt'), 'x');
    const { entries, unreadable } = lib.list();
    expect(entries.map((e) => e.id)).toEqual([good.id]);
    const reasons = Object.fromEntries(unreadable.map((u) => [u.folder, u.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['bad-field-0000', 'empty-file-000', 'from-future-000', 'no-report-000', 'not a library id!', 'not-json-000', 'wrong-kind-000']);
    expect(reasons['not-json-000']).toMatch(/not valid JSON/);
    expect(reasons['from-future-000']).toMatch(/newer than this Latency Lab/);
    expect(reasons['bad-field-0000']).toMatch(/title/);
    expect(reasons['wrong-kind-000']).toMatch(/not a Latency Lab report/);
    expect(reasons['no-report-000']).toMatch(/ENOENT|no such file/);
    expect(reasons['not a library id!']).toMatch(/not a library id/);
    expect(warnings).toHaveLength(7);
  });
});

describe('open', () => {
  it('returns the validated report and the audio', () => {
    const { lib } = library();
    const entry = lib.save(fixture.report, fixture.audio);
    const opened = lib.open(entry.id);
    expect(opened.report).toEqual(fixture.report);
    expect(opened.audio?.sampleRate).toBe(fixture.audio.sampleRate);
    expect(sameSamples(opened.audio?.reference, fixture.audio.reference)).toBe(true);
    expect(sameSamples(opened.audio?.capture, fixture.audio.capture)).toBe(true);
  });

  it('the folder name is the id, even when report.json says otherwise', () => {
    const { lib, root } = library();
    mkdirSync(join(root, 'copied-folder'), { recursive: true });
    writeFileSync(join(root, 'copied-folder', 'report.json'), JSON.stringify(fixture.report));
    expect(lib.open('copied-folder').report.id).toBe('copied-folder');
    expect(lib.list().entries[0].id).toBe('copied-folder');
  });

  it('NOT_FOUND for a missing measurement, INVALID_REQUEST for an id that is not one, INVALID_FILE for a damaged one', () => {
    const { lib, root } = library();
    expect(ipcError(() => lib.open('no-such-measurement')).code).toBe('NOT_FOUND');
    for (const bad of ['../../etc', '..', 'a/../../b', '/etc/passwd', 'abc\0defgh']) expect(ipcError(() => lib.open(bad)).code).toBe('INVALID_REQUEST');
    mkdirSync(join(root, 'damaged-0001'), { recursive: true });
    writeFileSync(join(root, 'damaged-0001', 'report.json'), 'garbage');
    const damaged = ipcError(() => lib.open('damaged-0001'));
    expect(damaged.code).toBe('INVALID_FILE');
    expect(damaged.message).toMatch(/damaged-0001.*not valid JSON/);
  });

  it('a damaged WAV opens the report without audio, leaves the file and says why in the log', () => {
    const { lib, root, warnings } = library();
    const entry = lib.save(fixture.report, fixture.audio);
    writeFileSync(join(root, entry.id, 'capture.wav'), 'RIFF....WAVE');
    const opened = lib.open(entry.id);
    expect(opened.report).toEqual(fixture.report);
    expect(opened.audio).toBeNull();
    expect(warnings.join('\n')).toMatch(/audio of ".*" cannot be read/);
    expect(readFileSync(join(root, entry.id, 'capture.wav'), 'utf8')).toBe('RIFF....WAVE');
  });
});

describe('rename', () => {
  it('updates the title in report.json atomically, keeping everything else', () => {
    const { lib, root } = library();
    const entry = lib.save(fixture.report, fixture.audio);
    const renamed = lib.rename(entry.id, 'Living room, sofa position');
    expect(renamed).toEqual({ ...entry, title: 'Living room, sofa position' });
    expect(readdirSync(join(root, entry.id)).sort()).toEqual(['capture.wav', 'report.json', 'stimulus.wav']);
    const opened = lib.open(entry.id);
    expect(opened.report).toEqual({ ...fixture.report, title: 'Living room, sofa position' });
    expect(sameSamples(opened.audio?.capture, fixture.audio.capture)).toBe(true);
  });

  it('NOT_FOUND for a missing measurement', () => {
    const { lib } = library();
    expect(ipcError(() => lib.rename('no-such-measurement', 'x')).code).toBe('NOT_FOUND');
  });
});

describe('remove', () => {
  it('moves the folder to the OS trash', async () => {
    const trash = vi.fn(async () => undefined);
    const { lib, root } = library(trash);
    const entry = lib.save(fixture.report, null);
    await lib.remove(entry.id);
    expect(trash).toHaveBeenCalledWith(join(root, entry.id));
  });

  it('when the trash fails nothing is deleted and the error says so', async () => {
    const { lib, root } = library(async () => {
      throw new Error('no trash on this system');
    });
    const entry = lib.save(fixture.report, null);
    const error = await ipcErrorAsync(() => lib.remove(entry.id));
    expect(error.code).toBe('IO');
    expect(error.message).toMatch(/no trash on this system.*nothing was deleted/);
    expect(existsSync(join(root, entry.id, 'report.json'))).toBe(true);
  });

  it('NOT_FOUND and INVALID_REQUEST never reach the trash', async () => {
    const trash = vi.fn(async () => undefined);
    const { lib } = library(trash);
    expect((await ipcErrorAsync(() => lib.remove('no-such-measurement'))).code).toBe('NOT_FOUND');
    expect((await ipcErrorAsync(() => lib.remove('../../etc'))).code).toBe('INVALID_REQUEST');
    expect(trash).not.toHaveBeenCalled();
  });
});

describe('import', () => {
  it('adds a valid report under a new id without touching the original file', () => {
    const { lib } = library();
    const file = join(base, `import-${++n}.json`);
    const text = JSON.stringify(fixture.report);
    writeFileSync(file, text);
    const first = lib.importReportFile(file);
    const second = lib.importReportFile(file);
    expect(first.id).not.toBe(fixture.report.id);
    expect(second.id).not.toBe(first.id);
    expect(first.hasAudio).toBe(false);
    expect(lib.open(first.id).report).toEqual({ ...fixture.report, id: first.id });
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(lib.list().entries).toHaveLength(2);
  });

  it('refuses bad files with the reason, adding nothing', () => {
    const { lib, root } = library();
    const cases: Array<[string, string, string, RegExp]> = [
      ['not-json.json', 'hello', 'INVALID_FILE', /not-json\.json.*not valid JSON/],
      ['array.json', '[]', 'INVALID_FILE', /not a JSON object/],
      ['future.json', JSON.stringify({ ...cloneReport(fixture.report), schemaVersion: 99 }), 'INVALID_FILE', /schemaVersion 99, newer than this Latency Lab/],
      ['invalid.json', JSON.stringify({ ...cloneReport(fixture.report), createdAt: 'yesterday' }), 'INVALID_FILE', /createdAt/],
    ];
    for (const [name, content, code, message] of cases) {
      const file = join(base, `${++n}-${name}`);
      writeFileSync(file, content);
      const error = ipcError(() => lib.importReportFile(file));
      expect(error.code, name).toBe(code);
      expect(error.message, name).toMatch(message);
    }
    expect(ipcError(() => lib.importReportFile(join(base, 'missing.json'))).code).toBe('NOT_FOUND');
    expect(existsSync(root) ? readdirSync(root) : []).toEqual([]);
  });

  it('refuses a file over 50 MB before reading it', () => {
    const { lib } = library();
    const file = join(base, `huge-${++n}.json`);
    writeFileSync(file, '');
    truncateSync(file, 50 * 1024 * 1024 + 1); // sparse: no real disk use
    const error = ipcError(() => lib.importReportFile(file));
    expect(error.code).toBe('TOO_LARGE');
    expect(error.message).toMatch(/huge-\d+\.json: the file is 52428801 bytes/);
  });

  it('refuses a FIFO, a device and a folder without reading (or waiting on) them', () => {
    const { lib, root } = library();
    const fifo = join(base, `pipe-${++n}.json`);
    execFileSync('mkfifo', [fifo]);
    expect(ipcError(() => lib.importReportFile(fifo))).toMatchObject({ code: 'INVALID_FILE', message: expect.stringMatching(/pipe-\d+\.json: it is a named pipe \(FIFO\), not a report file/) });
    expect(ipcError(() => lib.importReportFile('/dev/zero'))).toMatchObject({ code: 'INVALID_FILE', message: 'zero: it is a device, not a report file' });
    expect(ipcError(() => lib.importReportFile(base))).toMatchObject({ code: 'INVALID_FILE', message: expect.stringMatching(/it is a folder, not a report file/) });
    expect(existsSync(root) ? readdirSync(root) : []).toEqual([]);
  });
});

describe('cleanupInterruptedSaves', () => {
  it('removes only the hidden folders of interrupted saves', () => {
    const { lib, root } = library();
    const entry = lib.save(fixture.report, null);
    mkdirSync(join(root, `${SAVING_PREFIX}abc-123`));
    writeFileSync(join(root, `${SAVING_PREFIX}abc-123`, 'report.json'), '{');
    mkdirSync(join(root, '.other'));
    expect(lib.cleanupInterruptedSaves()).toEqual([`${SAVING_PREFIX}abc-123`]);
    expect(readdirSync(root).sort()).toEqual(['.other', entry.id]);
  });
});

describe('A/V measurements', () => {
  it('saves an A/V report (no audio), lists it with its offset ± uncertainty, opens, renames and imports it', () => {
    const { lib, root } = library();
    const report = sampleAvReport({ id: 'av-store-0001' });
    const entry = lib.save(report, null);
    expect(entry).toMatchObject({ id: 'av-store-0001', kind: 'av', hasAudio: false, avOffsetMs: report.analysis.av!.offsetMs, avUncertaintyMs: report.analysis.av!.uncertaintyMs });
    expect(readdirSync(join(root, 'av-store-0001'))).toEqual(['report.json']);
    lib.save(refusedAvReport('av-store-0002'), null);
    expect(lib.list().entries.map((e) => [e.id, e.kind, e.status])).toEqual([['av-store-0001', 'av', 'ok'], ['av-store-0002', 'av', 'refused']]);
    expect(lib.open('av-store-0001')).toEqual({ report, audio: null });
    expect(lib.rename('av-store-0001', 'Soundbar').title).toBe('Soundbar');
    expect(lib.open('av-store-0001').report.title).toBe('Soundbar');
    const file = join(base, `av-import-${++n}.json`);
    writeFileSync(file, JSON.stringify(report));
    const imported = lib.importReportFile(file);
    expect(imported.kind).toBe('av');
    expect(lib.open(imported.id).report).toEqual({ ...report, id: imported.id });
  });

  it('refuses audio with an A/V report and an invalid A/V report file, with the reason', () => {
    const { lib } = library();
    expect(ipcError(() => lib.save(sampleAvReport(), { sampleRate: 48000, reference: new Float32Array(4), capture: new Float32Array(4) }))).toMatchObject({ code: 'INVALID_FILE', message: expect.stringMatching(/keeps no audio/) });
    const file = join(base, `av-bad-${++n}.json`);
    writeFileSync(file, JSON.stringify({ ...sampleAvReport(), schemaVersion: 7 }));
    expect(ipcError(() => lib.importReportFile(file)).message).toMatch(/A\/V report has schemaVersion 7, newer than this Latency Lab understands/);
    expect(lib.list().entries).toEqual([]);
  });
});
