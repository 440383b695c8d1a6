#!/usr/bin/env node
// Launcher for the `latency-lab` command: runs the bundle that `npm install` builds (prepare).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../../../out/cli/latency-lab.mjs', import.meta.url);
if (!existsSync(fileURLToPath(bundle))) {
  process.stderr.write('latency-lab: the CLI is not built yet; run `npm run build:cli` in the Latency Lab folder\n');
  process.exit(2);
}
await import(bundle.href);
