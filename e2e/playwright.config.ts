// Playwright against the built renderer served by `vite preview`, in Debian's Chromium (never a
// downloaded browser): the deterministic in-browser audio loop (browser-loop.e2e.ts), the real OS
// audio path on the PulseAudio rig (real-audio.e2e.ts; skipped without the rig unless
// LATLAB_REQUIRE_AUDIO_RIG=1), screenshots of every screen with an axe scan (screens.e2e.ts; headful
// when DISPLAY is set, e.g. under `xvfb-run -a`), and the Electron app (electron-app.e2e.ts).
// Run with `npm run e2e`. Vitest never picks up *.e2e.ts.
import fs from 'node:fs';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './support/chromium';

if (!fs.existsSync(CHROMIUM_PATH)) {
  throw new Error(
    `The end-to-end tests run in Debian's Chromium, which is not at ${CHROMIUM_PATH}. ` +
      'Install it (sudo apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium binary; never `npx playwright install`.',
  );
}

export default defineConfig({
  testDir: '.',
  testMatch: '*.e2e.ts',
  outputDir: '../test-results',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 60_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: 'http://127.0.0.1:4173',
    viewport: { width: 1280, height: 800 },
    browserName: 'chromium',
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
      // Playwright mutes headless audio by default; the loop needs the output to be rendered.
      ignoreDefaultArgs: ['--mute-audio'],
    },
    trace: 'retain-on-failure',
  },
  webServer: {
    command: 'npm run build:web && npx vite preview --config src-renderer/vite.config.ts --port 4173 --strictPort --host 127.0.0.1',
    cwd: '..',
    url: 'http://127.0.0.1:4173',
    timeout: 240_000,
    reuseExistingServer: !process.env.CI,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
