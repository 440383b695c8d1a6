import { EventEmitter } from 'node:events';
import type { Session, WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { appLocation } from './app-location';
import { hardenSession } from './session-hardening';
import { hardenWebContents } from './web-contents-hardening';
import { mainWindowOptions, SECURE_WEB_PREFERENCES } from './window-options';
import { CONTENT_SECURITY_POLICY, contentSecurityPolicy } from '../../../src-renderer/vite.config';

const APP = appLocation();

/** A fake WebContents: an EventEmitter with setWindowOpenHandler. */
function fakeContents() {
  const emitter = new EventEmitter();
  let openHandler: ((details: { url: string }) => { action: string }) | null = null;
  const contents = Object.assign(emitter, {
    setWindowOpenHandler: (handler: (details: { url: string }) => { action: string }) => {
      openHandler = handler;
    },
  });
  const event = (url: string) => ({ url, preventDefault: vi.fn() });
  return { contents: contents as unknown as WebContents, emitter, event, open: (url: string) => openHandler?.({ url }) };
}

describe('hardenWebContents', () => {
  it('cancels navigation away from the app and opens safe links in the OS browser', () => {
    const openExternal = vi.fn();
    const { contents, emitter, event } = fakeContents();
    hardenWebContents(contents, { location: APP, openExternal, log: () => undefined });
    const inside = event('app://latency-lab/index.html');
    emitter.emit('will-navigate', inside, inside.url);
    expect(inside.preventDefault).not.toHaveBeenCalled();
    const link = event('https://example.com/');
    emitter.emit('will-navigate', link, link.url);
    expect(link.preventDefault).toHaveBeenCalled();
    expect(openExternal).toHaveBeenCalledWith('https://example.com/');
    const file = event('file:///etc/passwd');
    emitter.emit('will-navigate', file, file.url);
    expect(file.preventDefault).toHaveBeenCalled();
    expect(openExternal).toHaveBeenCalledTimes(1);
  });

  it('cancels redirects and frame navigations away from the app, and every <webview>', () => {
    const { contents, emitter, event } = fakeContents();
    hardenWebContents(contents, { location: APP, openExternal: vi.fn(), log: () => undefined });
    const redirect = event('https://evil.example/');
    emitter.emit('will-redirect', redirect, redirect.url);
    expect(redirect.preventDefault).toHaveBeenCalled();
    const frame = { ...event('https://evil.example/frame'), isMainFrame: false };
    emitter.emit('will-frame-navigate', frame);
    expect(frame.preventDefault).toHaveBeenCalled();
    const ownFrame = { ...event('app://latency-lab/index.html'), isMainFrame: false };
    emitter.emit('will-frame-navigate', ownFrame);
    expect(ownFrame.preventDefault).not.toHaveBeenCalled();
    // The main frame's navigations are decided by will-navigate (which also opens links externally).
    const main = { ...event('https://example.com/'), isMainFrame: true };
    emitter.emit('will-frame-navigate', main);
    expect(main.preventDefault).not.toHaveBeenCalled();
    const webview = { preventDefault: vi.fn() };
    emitter.emit('will-attach-webview', webview, {}, { src: 'app://latency-lab/index.html' });
    expect(webview.preventDefault).toHaveBeenCalled();
  });

  it('denies every new window', () => {
    const openExternal = vi.fn();
    const { contents, open } = fakeContents();
    hardenWebContents(contents, { location: APP, openExternal, log: () => undefined });
    expect(open('app://latency-lab/index.html')).toEqual({ action: 'deny' });
    expect(open('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(open('https://example.com/')).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledOnce();
  });
});

describe('hardenSession', () => {
  it('installs request, check and device handlers with the policy', () => {
    const handlers: Record<string, (...args: never[]) => unknown> = {};
    const session = {
      setPermissionRequestHandler: (h: (...args: never[]) => unknown) => (handlers.request = h),
      setPermissionCheckHandler: (h: (...args: never[]) => unknown) => (handlers.check = h),
      setDevicePermissionHandler: (h: (...args: never[]) => unknown) => (handlers.device = h),
    } as unknown as Session;
    hardenSession(session, APP, () => undefined);
    const request = handlers.request as unknown as (wc: unknown, permission: string, callback: (granted: boolean) => void, details: object) => void;
    const decide = (permission: string, details: object) => {
      let granted: boolean | null = null;
      request(null, permission, (g) => (granted = g), details);
      return granted;
    };
    expect(decide('media', { requestingUrl: 'app://latency-lab/index.html', isMainFrame: true, mediaTypes: ['audio'] })).toBe(true);
    expect(decide('media', { requestingUrl: 'app://latency-lab/index.html', isMainFrame: true, mediaTypes: ['video'] })).toBe(true);
    expect(decide('media', { requestingUrl: 'app://latency-lab/index.html', isMainFrame: true, mediaTypes: ['desktop'] })).toBe(false);
    expect(decide('geolocation', { requestingUrl: 'app://latency-lab/index.html', isMainFrame: true })).toBe(false);
    expect(decide('notifications', { requestingUrl: 'app://latency-lab/index.html', isMainFrame: true })).toBe(false);
    expect(decide('media', { requestingUrl: 'https://evil.example/', isMainFrame: true, mediaTypes: ['audio'] })).toBe(false);
    const check = handlers.check as unknown as (wc: unknown, permission: string, origin: string, details: object) => boolean;
    expect(check(null, 'media', 'app://latency-lab', { isMainFrame: true, mediaType: 'audio' })).toBe(true);
    expect(check(null, 'media', 'https://evil.example', { isMainFrame: true, mediaType: 'audio' })).toBe(false);
    expect((handlers.device as unknown as (details: object) => boolean)({ deviceType: 'hid', origin: 'app://latency-lab' })).toBe(false);
  });
});

describe('main window options', () => {
  it('sandboxed, isolated, no Node, web security on, nothing experimental or insecure', () => {
    const options = mainWindowOptions('/app/out/preload/preload.cjs', { width: 1280, height: 860, maximized: false });
    expect(options.webPreferences).toEqual({ ...SECURE_WEB_PREFERENCES, preload: '/app/out/preload/preload.cjs' });
    expect(options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
    });
    expect(options.webPreferences && 'enableBlinkFeatures' in options.webPreferences).toBe(false);
    expect(options.webPreferences?.disableBlinkFeatures).toBe('Auxclick');
    expect(options.show).toBe(false);
    expect(options.center).toBe(true);
  });

  it('uses a remembered position', () => {
    expect(mainWindowOptions('/p.cjs', { x: 10, y: 20, width: 1000, height: 700, maximized: false })).toMatchObject({ x: 10, y: 20, width: 1000, height: 700 });
  });
});

describe('the CSP', () => {
  it('the renderer build puts exactly the shared policy in its meta tag (main sends the same constant as a header)', () => {
    const plugin = contentSecurityPolicy();
    const tags = (plugin.transformIndexHtml as () => Array<{ tag: string; attrs: Record<string, string> }>)();
    expect(tags).toEqual([{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }]);
  });

  it('the policy forbids inline and remote script, plugins, framing and base changes', () => {
    expect(CONTENT_SECURITY_POLICY).toMatch(/script-src 'self'(;|$)/);
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("base-uri 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("worker-src 'self' blob:");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline|https?:/);
  });
});
