import { describe, expect, it } from 'vitest';
import { appLocation, isAppUrl, originOf } from './app-location';
import { decideNavigation, decideRedirect, decideWindowOpen, safeExternalUrl } from './navigation-policy';

const APP = appLocation();

describe('app location', () => {
  it('built: app://latency-lab; dev: the local dev server only', () => {
    expect(APP).toEqual({ origin: 'app://latency-lab', indexUrl: 'app://latency-lab/index.html', dev: false });
    expect(appLocation('http://localhost:5173/')).toEqual({ origin: 'http://localhost:5173', indexUrl: 'http://localhost:5173/', dev: true });
    expect(appLocation('http://127.0.0.1:5173').dev).toBe(true);
    for (const bad of ['https://evil.example/', 'http://192.168.1.5:5173/', 'file:///tmp/index.html', 'http://user:pw@localhost:5173/', 'nonsense']) {
      expect(() => appLocation(bad), bad).toThrow(/ELECTRON_RENDERER_URL/);
    }
  });

  it('origins as Chromium sees them', () => {
    expect(originOf('app://latency-lab/index.html?x#y')).toBe('app://latency-lab');
    expect(originOf('https://example.com:8443/a')).toBe('https://example.com:8443');
    expect(originOf('about:blank')).toBeNull();
    expect(originOf('javascript:alert(1)')).toBeNull();
    expect(isAppUrl('app://latency-lab/', APP)).toBe(true);
    expect(isAppUrl('app://latency-lab.evil/', APP)).toBe(false);
  });
});

describe('navigation', () => {
  it('the app may navigate within itself', () => {
    expect(decideNavigation('app://latency-lab/index.html#library', APP)).toEqual({ allow: true });
  });

  it('external http(s) links are denied and handed to the OS browser', () => {
    expect(decideNavigation('https://www.itu.int/rec/R-REC-BT.1359', APP)).toEqual({ allow: false, openExternal: 'https://www.itu.int/rec/R-REC-BT.1359' });
  });

  it.each(['file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'app://other/', 'smb://server/share', 'ms-settings:privacy', 'chrome://settings', 'about:blank'])(
    'denies %s without opening anything',
    (url) => {
      expect(decideNavigation(url, APP)).toEqual({ allow: false, openExternal: null });
      expect(decideRedirect(url, APP)).toBe(false);
      expect(decideWindowOpen(url)).toEqual({ action: 'deny', openExternal: null });
    },
  );

  it('redirects away from the app are denied', () => {
    expect(decideRedirect('https://evil.example/', APP)).toBe(false);
    expect(decideRedirect('app://latency-lab/index.html', APP)).toBe(true);
  });
});

describe('new windows', () => {
  it('are always denied; a safe link opens in the OS browser', () => {
    expect(decideWindowOpen('https://example.com/help')).toEqual({ action: 'deny', openExternal: 'https://example.com/help' });
    expect(decideWindowOpen('app://latency-lab/index.html')).toEqual({ action: 'deny', openExternal: null });
  });
});

describe('safeExternalUrl', () => {
  it('accepts plain http(s) links only', () => {
    expect(safeExternalUrl('http://example.com')).toBe('http://example.com/');
    for (const bad of ['https://user:pass@example.com/', 'https://', `https://example.com/${'a'.repeat(3000)}`, 'https://exa mple.com/', 'https://example.com/\n', 'ftp://example.com/', 'HTTPS://example.com/\u0000']) {
      expect(safeExternalUrl(bad), bad).toBeNull();
    }
  });
});
