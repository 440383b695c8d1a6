// Unit and integration tests (vitest). Playwright specs in e2e/ are run by `npm run e2e` instead.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['shared/**/*.test.ts', 'src-main/**/*.test.ts', 'src-renderer/**/*.test.{ts,tsx}'],
    // The DSP tests are CPU-bound; two workers match the two cores of the CI machines.
    maxWorkers: 2,
    testTimeout: 60_000,
    // Set-up hooks run the built CLI to make their files: on a busy 2-core machine that can take
    // far longer than vitest's default 10 s, which then skips the whole file.
    hookTimeout: 180_000,
  },
});
