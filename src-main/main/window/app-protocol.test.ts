import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_SCHEME_DEFINITION, createAppProtocolHandler, PERMISSIONS_POLICY, resolveAppPath } from './app-protocol';

const CSP = "default-src 'self'; script-src 'self'";
let base: string;
let root: string;
let handle: (request: Request) => Promise<Response>;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'latency-lab-protocol-'));
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!DOCTYPE html><title>Latency Lab</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'worker.mjs'), 'self.onmessage = () => {}');
  writeFileSync(join(root, 'assets', 'style.css'), 'body{}');
  writeFileSync(join(root, 'assets', 'file with space.svg'), '<svg/>');
  writeFileSync(join(base, 'secret.txt'), 'secret');
  symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'link.txt'));
  handle = createAppProtocolHandler({ rootDir: root, contentSecurityPolicy: CSP });
});

afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

const get = (url: string, method = 'GET') => handle(new Request(url, { method }));

describe('app:// scheme', () => {
  it('is standard and secure (a real origin, a secure context for the microphone), never bypasses CSP', () => {
    expect(APP_SCHEME_DEFINITION.scheme).toBe('app');
    expect(APP_SCHEME_DEFINITION.privileges).toMatchObject({ standard: true, secure: true, supportFetchAPI: true });
    expect('bypassCSP' in APP_SCHEME_DEFINITION.privileges).toBe(false);
  });
});

describe('the app protocol handler', () => {
  it('serves index.html for / with the CSP and the other security headers', async () => {
    for (const url of ['app://latency-lab/', 'app://latency-lab/index.html', 'app://latency-lab/index.html?x=1#top']) {
      const response = await get(url);
      expect(response.status, url).toBe(200);
      expect(await response.text()).toContain('<title>Latency Lab</title>');
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('content-security-policy')).toBe(CSP);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('permissions-policy')).toBe(PERMISSIONS_POLICY);
    }
    expect(PERMISSIONS_POLICY).toContain('camera=()');
    expect(PERMISSIONS_POLICY).toContain('microphone=(self)');
  });

  it('serves assets with their types (module scripts and workers as JavaScript)', async () => {
    expect((await get('app://latency-lab/assets/index-abc.js')).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await get('app://latency-lab/assets/worker.mjs')).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await get('app://latency-lab/assets/style.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
    const svg = await get('app://latency-lab/assets/file%20with%20space.svg');
    expect(svg.status).toBe(200);
    expect(await svg.text()).toBe('<svg/>');
  });

  it('HEAD has headers and no body; other methods are refused', async () => {
    const head = await get('app://latency-lab/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await get('app://latency-lab/index.html', 'POST')).status).toBe(405);
  });

  it('never leaves the renderer folder', async () => {
    for (const url of [
      'app://latency-lab/../secret.txt',
      'app://latency-lab/%2e%2e/secret.txt',
      'app://latency-lab/assets/%2e%2e/%2e%2e/secret.txt',
      'app://latency-lab/assets/..%2f..%2fsecret.txt',
      'app://latency-lab/..%5csecret.txt',
      'app://latency-lab/%00index.html',
      'app://latency-lab/assets/link.txt',
      'app://latency-lab//etc/passwd',
    ]) {
      const response = await get(url);
      expect([400, 403, 404], url).toContain(response.status);
      expect(await response.text(), url).not.toContain('secret');
    }
  });

  it('other hosts, missing files and folders are 404', async () => {
    expect((await get('app://evil/index.html')).status).toBe(404);
    expect((await get('app://latency-lab/missing.js')).status).toBe(404);
    expect((await get('app://latency-lab/assets')).status).toBe(404);
    expect((await get('app://latency-lab/assets/')).status).toBe(404);
  });
});

describe('resolveAppPath', () => {
  it('maps URLs to files inside the root only', () => {
    expect(resolveAppPath('app://latency-lab/', '/r')).toEqual({ file: join('/r', 'index.html') });
    expect(resolveAppPath('app://latency-lab/a/b.js', '/r')).toEqual({ file: join('/r', 'a', 'b.js') });
    // The URL parser already resolves encoded dot segments, inside the root.
    expect(resolveAppPath('app://latency-lab/a/%2e%2e/%2e%2e/x', '/r')).toEqual({ file: join('/r', 'x') });
    expect(resolveAppPath('app://latency-lab/a/..%2f..%2fx', '/r')).toEqual({ status: 403 });
    expect(resolveAppPath('app://latency-lab/%E0%A4%A', '/r')).toEqual({ status: 400 });
    expect(resolveAppPath('https://latency-lab/index.html', '/r')).toEqual({ status: 404 });
  });
});
