/**
 * The `app://latency-lab/` protocol: serves the built renderer (out/renderer) with the CSP as a
 * response header (the build also has it as a <meta> tag), nosniff, no referrer, and a
 * Permissions-Policy that leaves the page only the microphone and speaker selection. Only GET/HEAD,
 * only the app's host, only files inside the root (no `..`, no encoded separators, no symlinks out).
 * A plain function over the Fetch API's Request/Response, so it is tested in Node.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, sep } from 'node:path';
import type { CustomScheme } from 'electron';
import { APP_HOST, APP_SCHEME } from './app-location';

/**
 * standard: a real origin and relative URLs; secure: a secure context (getUserMedia needs one);
 * supportFetchAPI + corsEnabled: module scripts and workers load from it. No bypassCSP.
 */
export const APP_SCHEME_DEFINITION = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true, stream: true },
} as const satisfies CustomScheme;

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.wav': 'audio/wav',
};

export const PERMISSIONS_POLICY = 'camera=(), geolocation=(), microphone=(self), speaker-selection=(self), usb=(), serial=(), hid=(), bluetooth=(), payment=(), display-capture=()';

export interface AppProtocolOptions {
  /** The built renderer folder (out/renderer). */
  rootDir: string;
  contentSecurityPolicy: string;
}

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' } });
}

/**
 * The file a request maps to, or an HTTP status. Exported for tests. `/` is index.html.
 */
export function resolveAppPath(url: string, rootDir: string): { file: string } | { status: number } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { status: 400 };
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST || parsed.username !== '' || parsed.password !== '') return { status: 404 };
  let pathname: string;
  try {
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return { status: 400 };
  }
  if (pathname.includes('\0') || pathname.includes('\\') || /(^|\/)\.\.(\/|$)/.test(pathname)) return { status: 403 };
  if (pathname === '/' || pathname === '') pathname = '/index.html';
  const file = join(rootDir, ...pathname.split('/').filter((part) => part !== '' && part !== '.'));
  const rel = relative(rootDir, file);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) return { status: 403 };
  return { file };
}

export function createAppProtocolHandler(options: AppProtocolOptions): (request: Request) => Promise<Response> {
  let realRoot: Promise<string> | null = null;
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'method not allowed');
    const resolved = resolveAppPath(request.url, options.rootDir);
    if ('status' in resolved) return plain(resolved.status, resolved.status === 404 ? 'not found' : 'refused');
    try {
      realRoot ??= realpath(options.rootDir);
      const [root, real] = await Promise.all([realRoot, realpath(resolved.file)]);
      const rel = relative(root, real);
      if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return plain(403, 'refused');
      if (!(await stat(real)).isFile()) return plain(404, 'not found');
      const body = request.method === 'HEAD' ? null : await readFile(real);
      return new Response(body, {
        status: 200,
        headers: {
          'Content-Type': MIME_TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream',
          'Content-Security-Policy': options.contentSecurityPolicy,
          'X-Content-Type-Options': 'nosniff',
          'Referrer-Policy': 'no-referrer',
          'Cross-Origin-Opener-Policy': 'same-origin',
          'Permissions-Policy': PERMISSIONS_POLICY,
          'Cache-Control': 'no-cache',
        },
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return plain(404, 'not found');
      return plain(500, 'the file could not be read');
    }
  };
}
