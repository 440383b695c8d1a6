// `npm start` without the Electron binary: when the download fails, the user sees our one message
// (what to do), not the installer's raw `TypeError: fetch failed` stack trace.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('./ensure-electron.mjs', import.meta.url));
const ELECTRON = fileURLToPath(new URL('../../node_modules/electron/', import.meta.url));
const binaryInstalled = existsSync(join(ELECTRON, 'path.txt'));

describe('ensure-electron (npm start)', () => {
  it.skipIf(binaryInstalled)('a failed download prints only the message, no stack trace', () => {
    const cache = mkdtempSync(join(tmpdir(), 'latency-lab-electron-cache-'));
    try {
      // Port 9 (discard) refuses at once: the download fails without touching the network.
      const env = { ...process.env, ELECTRON_MIRROR: 'http://127.0.0.1:9/', electron_config_cache: cache, ELECTRON_OVERRIDE_DIST_PATH: '' };
      const result = spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8', env, timeout: 120_000 });
      expect(result.status).toBe(1);
      expect(result.stdout.trim()).toBe('Downloading the Electron binary (once)...');
      const lines = result.stderr.trim().split('\n');
      expect(lines, result.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^Could not download the Electron binary .*npm run web/);
      expect(result.stderr).not.toMatch(/TypeError|fetch failed|\n\s+at /);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });
});
