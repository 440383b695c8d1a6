import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomClaim } from '../../../shared/claims/claims-catalogue';
import { DEFAULT_APP_SETTINGS, type IpcErrorData } from '../../../shared/contract/ipc-contract';
import { toIpcErrorData } from '../ipc/ipc-error';
import { StoreError } from '../store-error';
import { createSettingsStore, MAX_SETTINGS_BYTES } from './settings-store';

let base: string;
let n = 0;
const folder = () => join(base, `case-${++n}`);

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'latency-lab-settings-'));
});
afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

function loadError(load: () => unknown): IpcErrorData {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(StoreError);
    return toIpcErrorData(error);
  }
  throw new Error('expected a StoreError');
}

describe('settings store', () => {
  it('defaults when there is no file; saves atomically and loads what was saved', () => {
    const dir = folder();
    const store = createSettingsStore(join(dir, 'settings.json'));
    const defaults = store.load();
    expect(defaults).toEqual(DEFAULT_APP_SETTINGS);
    defaults.baselines.push({ inputDeviceLabel: 'x', outputDeviceLabel: 'y', baselineMs: 1, confidence: 1, measuredAt: '2026-01-01T00:00:00Z' });
    expect(DEFAULT_APP_SETTINGS.baselines).toEqual([]); // a copy was returned
    const claim = createCustomClaim({ type: 'up-to', name: 'My soundbar', maxMs: 60 });
    if (!claim.ok) throw new Error(claim.errors.join());
    const settings = { videoLatencyMs: 22, customClaims: [claim.claim], baselines: [{ inputDeviceLabel: 'USB mic', outputDeviceLabel: 'HDMI', baselineMs: 12.25, confidence: 0.97, measuredAt: '2026-03-01T12:00:00.000Z' }] };
    store.save(settings);
    expect(readdirSync(dir)).toEqual(['settings.json']);
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toEqual(settings);
    expect(createSettingsStore(join(dir, 'settings.json')).load()).toEqual(settings);
  });

  it('refuses to save invalid settings and keeps the file', () => {
    const dir = folder();
    const store = createSettingsStore(join(dir, 'settings.json'));
    store.save({ videoLatencyMs: 5, customClaims: [], baselines: [] });
    expect(() => store.save({ videoLatencyMs: Number.NaN, customClaims: [], baselines: [] })).toThrow();
    expect(store.load().videoLatencyMs).toBe(5);
  });

  it.each([
    ['not JSON', '{"videoLatencyMs": 1', /not JSON/],
    ['wrong types', '{"videoLatencyMs": "fast", "customClaims": [], "baselines": []}', /videoLatencyMs/],
    ['unknown keys', '{"videoLatencyMs": 0, "customClaims": [], "baselines": [], "x": 1}', /Unrecognized key/],
    ['an array', '[]', /\(root\)/],
  ])('a damaged file (%s) is moved aside and reported; then the defaults load', (_what, content, reason) => {
    const dir = folder();
    const path = join(dir, 'settings.json');
    const store = createSettingsStore(path, () => new Date('2026-03-01T12:00:00.000Z'));
    store.save(DEFAULT_APP_SETTINGS);
    writeFileSync(path, content);
    const error = loadError(() => store.load());
    expect(error.code).toBe('INVALID_FILE');
    expect(error.message).toMatch(reason);
    expect(error.message).toContain('settings.damaged-2026-03-01T12-00-00-000Z.json');
    expect(readFileSync(join(dir, 'settings.damaged-2026-03-01T12-00-00-000Z.json'), 'utf8')).toBe(content);
    expect(existsSync(path)).toBe(false);
    expect(store.load()).toEqual(DEFAULT_APP_SETTINGS);
  });

  it('a huge file is not read', () => {
    const dir = folder();
    const path = join(dir, 'settings.json');
    const store = createSettingsStore(path);
    store.save(DEFAULT_APP_SETTINGS);
    truncateSync(path, MAX_SETTINGS_BYTES + 1);
    expect(loadError(() => store.load()).message).toMatch(/too large/);
  });
});
