import { afterEach, describe, expect, it, vi } from 'vitest';
import type { IpcResult, LatencyLabBridge } from '../../shared/contract/ipc-contract';
import { createElectronHost, electronBridge, ElectronHostError } from './electron-host';
import { HostError, type MenuCommand } from './host-api';

const ok = <T>(value: T): Promise<IpcResult<T>> => Promise.resolve({ ok: true, value });

/** A bridge whose every method is a mock answering `ok(null)` unless overridden. */
function fakeBridge() {
  const menuListeners = new Set<(command: unknown) => void>();
  const bridge = {
    library: {
      list: vi.fn(() => ok({ entries: [], unreadable: [] })),
      save: vi.fn(() => ok(null)),
      open: vi.fn(() => ok(null)),
      rename: vi.fn(() => ok(null)),
      remove: vi.fn(() => ok(null)),
      importReport: vi.fn(() => ok(null)),
    },
    exportMeasurement: vi.fn(() => ok({ saved: false, location: null })),
    settings: { load: vi.fn(() => ok({ videoLatencyMs: 0, customClaims: [], baselines: [] })), save: vi.fn(() => ok(null)) },
    onMenuCommand: vi.fn((handler: (command: unknown) => void) => {
      menuListeners.add(handler);
      return () => menuListeners.delete(handler);
    }),
  };
  const emit = (command: unknown) => menuListeners.forEach((l) => l(command));
  return { bridge, typed: bridge as unknown as LatencyLabBridge, emit, menuListeners };
}

async function hostError(promise: Promise<unknown>): Promise<ElectronHostError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(HostError);
    expect(error).toBeInstanceOf(ElectronHostError);
    return error as ElectronHostError;
  }
  throw new Error('expected a HostError');
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('electronBridge', () => {
  it('null outside Electron (no window, no bridge, an incomplete bridge)', () => {
    expect(electronBridge()).toBeNull();
    vi.stubGlobal('window', {});
    expect(electronBridge()).toBeNull();
    vi.stubGlobal('window', { latencyLab: { library: { list() {} } } });
    expect(electronBridge()).toBeNull();
    vi.stubGlobal('window', { latencyLab: 'x' });
    expect(electronBridge()).toBeNull();
  });

  it('the preload bridge when it is there', () => {
    const { typed } = fakeBridge();
    vi.stubGlobal('window', { latencyLab: typed });
    expect(electronBridge()).toBe(typed);
  });
});

describe('createElectronHost', () => {
  it('is the electron host and passes every call through with its arguments', async () => {
    const { bridge, typed } = fakeBridge();
    const host = createElectronHost(typed);
    expect(host.kind).toBe('electron');
    const report = { id: 'r' } as never;
    const audio = { sampleRate: 48000, reference: new Float32Array(1), capture: new Float32Array(1) };
    bridge.library.list.mockReturnValueOnce(ok({ entries: [{ id: 'abcdef' }], unreadable: [] }) as never);
    expect(await host.library.list()).toEqual([{ id: 'abcdef' }]);
    await host.library.save(report, audio);
    expect(bridge.library.save).toHaveBeenCalledWith(report, audio);
    const opened = { report: { kind: 'latency-lab-report', title: 'Audio' }, audio: null };
    bridge.library.open.mockReturnValueOnce(ok(opened) as never);
    expect(await host.library.open('abcdef')).toBe(opened);
    expect(bridge.library.open).toHaveBeenCalledWith('abcdef');
    // An A/V measurement: openAny passes it through, open (for audio measurements) says where it opens.
    const av = { report: { kind: 'latency-lab-av-report', title: 'Lip sync' }, audio: null };
    bridge.library.open.mockReturnValue(ok(av) as never);
    expect(await host.library.openAny('abcdef')).toBe(av);
    await expect(host.library.open('abcdef')).rejects.toThrow(/"Lip sync" is an A\/V \(lip-sync\) measurement, not an audio one/);
    bridge.library.open.mockReset();
    await host.library.rename('abcdef', 'New title');
    expect(bridge.library.rename).toHaveBeenCalledWith('abcdef', 'New title');
    expect(await host.library.remove('abcdef')).toBeUndefined();
    expect(bridge.library.remove).toHaveBeenCalledWith('abcdef');
    expect(await host.library.importReport()).toBeNull();
    expect(await host.exportMeasurement(report, null, 'pdf')).toEqual({ saved: false, location: null });
    expect(bridge.exportMeasurement).toHaveBeenCalledWith(report, null, 'pdf');
    expect(await host.settings.load()).toEqual({ videoLatencyMs: 0, customClaims: [], baselines: [] });
    const settings = { videoLatencyMs: 5, customClaims: [], baselines: [] };
    expect(await host.settings.save(settings)).toBeUndefined();
    expect(bridge.settings.save).toHaveBeenCalledWith(settings);
  });

  it("turns the main process's typed errors into HostError with its message and code", async () => {
    const { bridge, typed } = fakeBridge();
    const host = createElectronHost(typed);
    bridge.library.open.mockReturnValueOnce(Promise.resolve({ ok: false, error: { code: 'NOT_FOUND', message: 'there is no measurement "x"' } }) as never);
    const error = await hostError(host.library.open('abcdef'));
    expect(error.message).toBe('There is no measurement "x"');
    expect(error.code).toBe('NOT_FOUND');
    expect(error.name).toBe('ElectronHostError');
    bridge.exportMeasurement.mockReturnValueOnce(Promise.resolve({ ok: false, error: { code: 'NOT_EXPORTABLE', message: 'This measurement has no stored audio.' } }) as never);
    expect((await hostError(host.exportMeasurement({} as never, null, 'wav-capture'))).code).toBe('NOT_EXPORTABLE');
  });

  it('a bridge that throws or answers nonsense is a HostError too', async () => {
    const { bridge, typed } = fakeBridge();
    const host = createElectronHost(typed);
    bridge.settings.load.mockReturnValueOnce(Promise.reject(new Error("Error invoking remote method 'settings:load': reply was never sent")) as never);
    const unreachable = await hostError(host.settings.load());
    expect(unreachable.code).toBe('UNREACHABLE');
    expect(unreachable.message).toMatch(/did not answer.*reply was never sent/);
    bridge.settings.load.mockReturnValueOnce(Promise.resolve('nonsense') as never);
    expect((await hostError(host.settings.load())).code).toBe('UNREACHABLE');
    bridge.settings.load.mockReturnValueOnce(Promise.resolve({ ok: false, error: 'x' }) as never);
    expect((await hostError(host.settings.load())).code).toBe('UNREACHABLE');
  });

  it('logs unreadable library entries and lists the readable ones', async () => {
    const { bridge, typed } = fakeBridge();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    bridge.library.list.mockReturnValueOnce(ok({ entries: [{ id: 'good-one' }], unreadable: [{ folder: 'broken-1', reason: 'not valid JSON' }] }) as never);
    expect(await createElectronHost(typed).library.list()).toEqual([{ id: 'good-one' }]);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/broken-1.*not valid JSON/));
  });

  it('menu commands: valid ones reach the handler, anything else is ignored; unsubscribe works', () => {
    const { typed, emit, menuListeners } = fakeBridge();
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const host = createElectronHost(typed);
    const received: MenuCommand[] = [];
    const unsubscribe = host.onMenuCommand((command) => received.push(command));
    for (const command of ['new-measurement', 'open-report', 'export', 'library', 'settings', 'rm -rf /', 42, null, { command: 'export' }]) emit(command);
    expect(received).toEqual(['new-measurement', 'open-report', 'export', 'library', 'settings']);
    unsubscribe();
    expect(menuListeners.size).toBe(0);
    emit('library');
    expect(received).toHaveLength(5);
  });
});
