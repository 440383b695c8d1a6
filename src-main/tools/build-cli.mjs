// Bundles the CLI (and the benchmark) into out/cli/ with esbuild, so `latency-lab` starts without
// transpiling TypeScript. Runs as the package's `prepare` script, i.e. after every `npm install`.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
await build({
  absWorkingDir: root,
  entryPoints: { 'latency-lab': 'src-main/cli/latency-lab.ts', bench: 'src-main/tools/bench.ts' },
  outdir: 'out/cli',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // fft.js is CommonJS; give the ESM bundle a require() for it.
  banner: { js: "import { createRequire as __latencyLabRequire } from 'node:module'; const require = __latencyLabRequire(import.meta.url);" },
});
