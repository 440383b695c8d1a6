// Vite config of the renderer: used on its own for the browser build (`npm run web`, e2e tests)
// and by electron.vite.config.ts for the desktop app.
import react from '@vitejs/plugin-react';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
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

/**
 * The policy for the development server (`npm run web`, `npm run dev`): the app's policy, plus the
 * SHA-256 hashes of the inline scripts the dev server itself adds to index.html (React Fast
 * Refresh's preamble), so they run and nothing else inline does. Hot reload's WebSocket is
 * same-origin, which connect-src 'self' allows.
 */
export function devContentSecurityPolicy(html: string): string {
  const hashes: string[] = [];
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    if (/\bsrc\s*=/.test(match[1]) || match[2] === '') continue;
    hashes.push(`'sha256-${createHash('sha256').update(match[2], 'utf8').digest('base64')}'`);
  }
  return CONTENT_SECURITY_POLICY.replace("script-src 'self'", ["script-src 'self'", ...hashes].join(' '));
}

/**
 * Sends the Content-Security-Policy header from the development server too: the built page carries
 * it in a <meta> tag (contentSecurityPolicy above), the dev server's page did not carry it at all.
 */
export function devServerContentSecurityPolicy(): Plugin {
  return {
    name: 'latency-lab-dev-csp',
    apply: 'serve',
    configureServer(server) {
      let policy: Promise<string> | null = null;
      server.middlewares.use((_request, response, next) => {
        policy ??= server
          .transformIndexHtml('/index.html', readFileSync(fileURLToPath(new URL('./index.html', import.meta.url)), 'utf8'))
          .then(devContentSecurityPolicy);
        policy.then((value) => {
          response.setHeader('Content-Security-Policy', value);
          next();
        }, next);
      });
    },
  };
}

export const rendererRoot = fileURLToPath(new URL('.', import.meta.url));

export const rendererConfig: UserConfig = {
  root: rendererRoot,
  base: './',
  plugins: [react(), contentSecurityPolicy(), devServerContentSecurityPolicy()],
  worker: { format: 'es' },
  build: { target: 'chrome130', sourcemap: true },
};

export default defineConfig({
  ...rendererConfig,
  build: { ...rendererConfig.build, outDir: fileURLToPath(new URL('../out/web', import.meta.url)), emptyOutDir: true },
  server: { port: 5173, strictPort: false },
  // The preview serves the build, whose <meta> tag carries the policy; the header says the same.
  preview: { port: 4173, strictPort: false, headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY } },
});
