// Vite config of the renderer: used on its own for the browser build (`npm run web`, e2e tests)
// and by electron.vite.config.ts for the desktop app.
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin, type UserConfig } from 'vite';
import { CONTENT_SECURITY_POLICY } from '../shared/contract/content-security-policy';

export { CONTENT_SECURITY_POLICY };

/**
 * The Content-Security-Policy (shared/contract/content-security-policy.ts) as a <meta> tag, because file://
 * and app:// pages are also checked without headers. Only in builds: the dev server's HMR needs
 * inline scripts.
 */
export function contentSecurityPolicy(): Plugin {
  return {
    name: 'latency-lab-csp',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }],
  };
}

export const rendererRoot = fileURLToPath(new URL('.', import.meta.url));

export const rendererConfig: UserConfig = {
  root: rendererRoot,
  base: './',
  plugins: [react(), contentSecurityPolicy()],
  worker: { format: 'es' },
  build: { target: 'chrome130', sourcemap: true },
};

export default defineConfig({
  ...rendererConfig,
  build: { ...rendererConfig.build, outDir: fileURLToPath(new URL('../out/web', import.meta.url)), emptyOutDir: true },
  server: { port: 5173, strictPort: false },
  preview: { port: 4173, strictPort: false },
});
