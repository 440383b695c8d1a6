#!/usr/bin/env node
// Launcher for the `latency-lab` command. Installed from the packed tarball (`npm run pack:cli`), it
// runs the bundle the tarball holds (dist/); in the repository, the one `npm install` builds (out/cli).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const packed = new URL('../dist/latency-lab.mjs', import.meta.url);
const built = new URL('../../../out/cli/latency-lab.mjs', import.meta.url);
const bundle = [packed, built].find((url) => existsSync(fileURLToPath(url)));
if (!bundle) {
  process.stderr.write('latency-lab: the CLI is not built yet; run `npm run build:cli` in the Latency Lab folder\n');
  process.exit(2);
}
await import(bundle.href);
