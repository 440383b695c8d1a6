/**
 * App settings in `<userData>/settings.json`, validated with the contract's schema on every load
 * and save and written atomically. A missing file means the defaults. A damaged file is moved aside
 * (`settings.damaged-<time>.json`, so nothing is lost) and reported as INVALID_FILE; the app then
 * runs on the defaults.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { appSettingsSchema, type AppSettingsData, DEFAULT_APP_SETTINGS } from '../../../shared/contract/ipc-contract';
import { writeFileAtomic } from '../../fs/atomic-write';
import { StoreError } from '../store-error';

/** Far more than any real settings file (200 claims, 500 baselines). */
export const MAX_SETTINGS_BYTES = 10 * 1024 * 1024;

export interface SettingsStore {
  load(): AppSettingsData;
  save(settings: AppSettingsData): void;
}

export function createSettingsStore(path: string, now: () => Date = () => new Date()): SettingsStore {
  function moveAside(reason: string): never {
    const stamp = now().toISOString().replace(/[:.]/g, '-');
    const aside = join(dirname(path), `settings.damaged-${stamp}.json`);
    let where = '';
    try {
      renameSync(path, aside);
      where = ` It was kept as ${aside}.`;
    } catch {
      // leave it where it is
    }
    throw new StoreError('invalid-file', `the settings file is damaged (${reason}).${where}`);
  }

  return {
    load() {
      if (!existsSync(path)) return structuredClone(DEFAULT_APP_SETTINGS);
      if (statSync(path).size > MAX_SETTINGS_BYTES) moveAside('it is too large');
      let data: unknown;
      try {
        data = JSON.parse(readFileSync(path, 'utf8'));
      } catch (error) {
        moveAside(`not JSON: ${(error as Error).message}`);
      }
      const result = appSettingsSchema.safeParse(data);
      if (!result.success) moveAside(result.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
      return result.data;
    },
    save(settings) {
      const valid = appSettingsSchema.parse(settings);
      mkdirSync(dirname(path), { recursive: true });
      writeFileAtomic(path, `${JSON.stringify(valid, null, 2)}\n`);
    },
  };
}
