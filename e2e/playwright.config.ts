// Playwright: the app's deterministic in-browser audio loop (e2e/browser-loop.e2e.ts) against the
// built renderer served by `vite preview`, in Debian's Chromium (never a downloaded browser).
// Run with `npm run e2e`. Vitest never picks up *.e2e.ts.
import { defineConfig } from '@playwright/test';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-gpu',
];

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
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
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
