// Bundles the CLI (and the benchmark) into out/cli/ with esbuild, so `latency-lab` starts without
// transpiling TypeScript. Runs as the package's `prepare` script, i.e. after every `npm install`.
//
//   node src-main/tools/build-cli.mjs                  # out/cli/latency-lab.mjs and out/cli/bench.mjs
//   node src-main/tools/build-cli.mjs --package        # src-main/cli/dist/latency-lab.mjs, for `npm pack`
//   node src-main/tools/build-cli.mjs --clean-package  # removes src-main/cli/dist again (postpack)
//
// The CLI package (src-main/cli) runs the last two as its prepack and postpack scripts, so its
// tarball holds the bundle itself: it has no dependencies and needs no install script, which npm 11
// does not run for global installs anyway.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const packageDist = fileURLToPath(new URL('../cli/dist/', import.meta.url));

const common = {
  absWorkingDir: root,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  // fft.js is CommonJS; give the ESM bundle a require() for it.
  // The video codecs are a native module (loaded by the A/V commands only when they run).
  external: ['@napi-rs/webcodecs'],
  // What is imported dynamically (mediabunny, by the A/V commands) goes to a chunk of its own, so
  // the other commands start without reading it (2 MB).
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  banner: { js: "import { createRequire as __latencyLabRequire } from 'node:module'; const require = __latencyLabRequire(import.meta.url);" },
  plugins: [englishZodMessagesOnly()],
};

/**
 * zod re-exports its error messages in every language as `z.locales` (370 kB of the bundle's 1.1
 * MB, about 10 ms of every start, which the speed bench counts); nothing here uses them, and its
 * English default is imported on its own (zod/v4/classic/schemas.js). The bundle keeps `en` only.
 */
function englishZodMessagesOnly() {
  return {
    name: 'english-zod-messages-only',
    setup(b) {
      b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
        contents: 'export { default as en } from "./en.js";',
        resolveDir: dirname(args.path),
      }));
    },
  };
}

if (process.argv.includes('--clean-package')) {
  rmSync(packageDist, { recursive: true, force: true });
} else if (process.argv.includes('--package')) {
  rmSync(packageDist, { recursive: true, force: true });
  await build({ ...common, entryPoints: { 'latency-lab': 'src-main/cli/latency-lab.ts', 'transform-helper': 'src-main/cli/transform-helper.ts' }, outdir: packageDist, sourcemap: false });
} else {
  // Chunk names carry a hash of their contents: without this, every build leaves the last one's behind.
  rmSync(fileURLToPath(new URL('../../out/cli/chunks/', import.meta.url)), { recursive: true, force: true });
  await build({
    ...common,
    entryPoints: {
      'latency-lab': 'src-main/cli/latency-lab.ts',
      // The thread that shares the analysis' large FFTs (src-main/cli/transform-thread.ts), a file of its own beside the CLI.
      'transform-helper': 'src-main/cli/transform-helper.ts',
      bench: 'src-main/tools/bench.ts',
      'memory-bench': 'src-main/tools/memory-bench.ts',
    },
    outdir: 'out/cli',
    sourcemap: true,
  });
}
