/** The browser host's settings, in localStorage, each part validated with the contract's schemas. */
import { claimSchema, type Claim } from '../../../shared/claims/claims-catalogue';
import { appSettingsSchema, cameraOffsetSchema, IPC_LIMITS, storedBaselineSchema } from '../../../shared/contract/ipc-contract';
import { type AppSettings, DEFAULT_SETTINGS, type HostApi, HostError, type StoredBaseline } from '../host-api';
import { storageError } from './browser-errors';

export const SETTINGS_KEY = 'latency-lab.settings';

const isStoredBaseline = (value: unknown): value is StoredBaseline => storedBaselineSchema.safeParse(value).success;

/**
 * Settings from stored data: each part validated on its own, so one bad custom profile or
 * baseline is dropped rather than losing everything; anything unusable falls back to defaults.
 */
export function sanitizeSettings(data: unknown): AppSettings {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return structuredCloneSettings(DEFAULT_SETTINGS);
  const d = data as Record<string, unknown>;
  const video = appSettingsSchema.shape.videoLatencyMs.safeParse(d.videoLatencyMs);
  const videoLatencyMs = video.success ? video.data : DEFAULT_SETTINGS.videoLatencyMs;
  const customClaims: Claim[] = [];
  const ids = new Set<string>();
  if (Array.isArray(d.customClaims)) {
    for (const item of d.customClaims) {
      const parsed = claimSchema.safeParse(item);
      if (parsed.success && parsed.data.kind === 'custom' && !ids.has(parsed.data.id) && customClaims.length < IPC_LIMITS.customClaims) {
        ids.add(parsed.data.id);
        customClaims.push(parsed.data);
      }
    }
  }
  const baselines = Array.isArray(d.baselines) ? d.baselines.filter(isStoredBaseline).slice(-IPC_LIMITS.baselines).map((b) => ({ ...b })) : [];
  const settings: AppSettings = { videoLatencyMs, customClaims, baselines };
  const calibrations = appSettingsSchema.shape.micCalibrations.safeParse(d.micCalibrations);
  if (calibrations.success && calibrations.data !== undefined) settings.micCalibrations = calibrations.data;
  // Camera offsets: each kept on its own merits, the first of a name wins.
  if (Array.isArray(d.cameraOffsets)) {
    const names = new Set<string>();
    const cameraOffsets = [];
    for (const item of d.cameraOffsets) {
      const parsed = cameraOffsetSchema.safeParse(item);
      if (parsed.success && !names.has(parsed.data.name) && cameraOffsets.length < 100) {
        names.add(parsed.data.name);
        cameraOffsets.push(parsed.data);
      }
    }
    settings.cameraOffsets = cameraOffsets;
  }
  return settings;
}

function structuredCloneSettings(s: AppSettings): AppSettings {
  return { videoLatencyMs: s.videoLatencyMs, customClaims: [...s.customClaims], baselines: [...s.baselines] };
}

function localStorageOrNull(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // access denied (e.g. storage disabled for the site)
  }
}

export const browserSettings: HostApi['settings'] = {
  async load() {
    const storage = localStorageOrNull();
    const text = storage?.getItem(SETTINGS_KEY) ?? null;
    if (text === null) return structuredCloneSettings(DEFAULT_SETTINGS);
    try {
      return sanitizeSettings(JSON.parse(text));
    } catch {
      return structuredCloneSettings(DEFAULT_SETTINGS);
    }
  },
  async save(next) {
    const storage = localStorageOrNull();
    if (!storage) throw new HostError('This browser does not allow this site to store settings (site data is blocked).');
    const clean = sanitizeSettings(next);
    try {
      storage.setItem(SETTINGS_KEY, JSON.stringify(clean));
    } catch (error) {
      throw storageError('The settings could not be saved', error);
    }
  },
};
