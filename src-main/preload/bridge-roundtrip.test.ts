// The whole path a renderer call takes, in Node: the renderer's host (electron-host.ts) over the
// preload's bridge (preload-bridge.ts) over a fake ipcRenderer that structured-clones every payload
// like Electron's IPC, into the main process's router with the real handlers over temp folders.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createElectronHost } from '../../src-renderer/host/electron-host';
import { HostError, type MenuCommand } from '../../src-renderer/host/host-api';
import { createExporter } from '../main/export/export-measurement';
import { createLibrary } from '../main/library/library-store';
import { clickFixture, type Fixture } from '../main/library/test-fixtures';
import { createSettingsStore } from '../main/settings/settings-store';
import { appLocation } from '../main/window/app-location';
import { createIpcHandlers } from '../main/ipc/ipc-handlers';
import { createIpcRouter } from '../main/ipc/ipc-router';
import { BRIDGE_MENU_CHANNEL, createBridge } from './preload-bridge';
import { isTrustedSender, type SenderFrame } from '../main/ipc/sender-policy';

let dir: string;
let fixture: Fixture;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'latency-lab-roundtrip-'));
  fixture = clickFixture();
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function connect(frame: SenderFrame) {
  const location = appLocation();
  const router = createIpcRouter(
    createIpcHandlers({
      library: createLibrary(join(dir, 'library'), { trashItem: async () => undefined, warn: () => undefined }),
      exporter: createExporter({ chooseSavePath: async (r) => join(dir, r.defaultPath.split('/').pop() ?? 'x'), printHtmlToPdf: async () => new Uint8Array(4), defaultDirectory: () => dir }),
      settings: createSettingsStore(join(dir, 'settings.json')),
      chooseReportFile: async () => null,
    }),
    { isTrustedSender: (f) => isTrustedSender(f, location), log: () => undefined },
  );
  const listeners = new Map<string, Set<(event: unknown, value: unknown) => void>>();
  const bridge = createBridge({
    // Electron's IPC serializes with the structured clone algorithm, both ways.
    invoke: async (channel, payload) => structuredClone(await router.dispatch(channel, frame, [structuredClone(payload)])),
    on: (channel, listener) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener)),
    removeListener: (channel, listener) => listeners.get(channel)?.delete(listener),
  });
  const send = (channel: string, value: unknown) => listeners.get(channel)?.forEach((l) => l({ sender: 'secret' }, structuredClone(value)));
  return { host: createElectronHost(bridge), send };
}

describe('renderer → preload → main round trip', () => {
  it('saves, lists, opens (audio as Float32Array), renames, exports, with settings', async () => {
    const { host } = connect({ url: 'app://latency-lab/index.html', parent: null });
    const entry = await host.library.save(fixture.report, fixture.audio);
    expect(entry.id).toBe(fixture.report.id);
    expect((await host.library.list()).map((e) => e.id)).toEqual([entry.id]);
    const opened = await host.library.open(entry.id);
    expect(opened.report).toEqual(fixture.report);
    expect(opened.audio?.capture).toBeInstanceOf(Float32Array);
    expect(Buffer.from(opened.audio?.capture.buffer ?? new ArrayBuffer(0)).equals(Buffer.from(fixture.audio.capture.buffer))).toBe(true);
    expect((await host.library.rename(entry.id, 'Renamed')).title).toBe('Renamed');
    const reopened = await host.library.open(entry.id);
    const exported = await host.exportMeasurement(reopened.report, reopened.audio, 'json');
    expect(exported.saved).toBe(true);
    expect(JSON.parse(readFileSync(exported.location as string, 'utf8')).title).toBe('Renamed');
    await host.settings.save({ videoLatencyMs: 40, customClaims: [], baselines: [] });
    expect((await host.settings.load()).videoLatencyMs).toBe(40);
  });

  it('main-process refusals arrive as HostError with the reason', async () => {
    const { host } = connect({ url: 'app://latency-lab/index.html', parent: null });
    await expect(host.library.open('../../etc')).rejects.toThrow(HostError);
    await expect(host.library.open('../../etc')).rejects.toThrow(/Invalid library:open request: id: id must be/);
    await expect(host.library.rename('missing-one', 'x')).rejects.toThrow(/There is no measurement "missing-one"/);
    await expect(host.library.save({ ...fixture.report, title: 'x'.repeat(500) }, null)).rejects.toThrow(/title/);
  });

  it('a page that is not the app is refused', async () => {
    const { host } = connect({ url: 'https://evil.example/', parent: null });
    await expect(host.library.list()).rejects.toThrow(/This request did not come from the app/);
  });

  it('menu commands reach the app without the event', () => {
    const { host, send } = connect({ url: 'app://latency-lab/index.html', parent: null });
    const received: MenuCommand[] = [];
    const off = host.onMenuCommand((c) => received.push(c));
    send(BRIDGE_MENU_CHANNEL, 'export');
    off();
    send(BRIDGE_MENU_CHANNEL, 'library');
    expect(received).toEqual(['export']);
  });
});
