// electron-vite: the main process and preload (src-main/) and the renderer (src-renderer/).
import { defineConfig } from 'electron-vite';
import { fileURLToPath } from 'node:url';
import { rendererConfig } from './src-renderer/vite.config';

const path = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  main: {
    build: {
      outDir: path('./out/main'),
      rolldownOptions: { input: { main: path('./src-main/main/main.ts') } },
    },
  },
  preload: {
    build: {
      outDir: path('./out/preload'),
      // A sandboxed preload must be CommonJS.
      rolldownOptions: { input: { preload: path('./src-main/preload/preload.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    ...rendererConfig,
    build: {
      ...rendererConfig.build,
      outDir: path('./out/renderer'),
      rolldownOptions: { input: { index: path('./src-renderer/index.html') } },
    },
  },
});
