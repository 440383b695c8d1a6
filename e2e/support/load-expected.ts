/**
 * Loads expected.ts for the tests. It imports the shared analysis, which imports the claims
 * catalogue JSON without an import attribute (fine for bundlers, not for Node's ESM loader that
 * Playwright's test runner uses), so it is bundled with esbuild first, as the CLI is.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type * as Expected from './expected';

type ExpectedModule = typeof Expected;

let loaded: Promise<ExpectedModule> | null = null;

export function loadExpected(): Promise<ExpectedModule> {
  loaded ??= (async () => {
    const here = path.dirname(fileURLToPath(import.meta.url));
    const outfile = path.join(os.tmpdir(), `latency-lab-e2e-expected-${process.pid}.mjs`);
    await build({ entryPoints: [path.join(here, 'expected.ts')], bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'error' });
    return (await import(pathToFileURL(outfile).href)) as ExpectedModule;
  })();
  return loaded;
}
