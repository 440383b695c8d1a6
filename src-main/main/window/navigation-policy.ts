/**
 * Where the app's windows may go: nowhere but the app itself. Navigations and redirects to other
 * URLs are cancelled, new windows are never created, and a plain http(s) link (no credentials, a
 * real host, a sane length) is handed to the OS browser instead.
 */
import { type AppLocation, isAppUrl } from './app-location';

export const MAX_EXTERNAL_URL_LENGTH = 2048;

/** The URL to open in the OS browser, or null when it is not a plain http(s) link. */
export function safeExternalUrl(url: string): string | null {
  if (typeof url !== 'string' || url.length > MAX_EXTERNAL_URL_LENGTH) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  if (parsed.username !== '' || parsed.password !== '' || parsed.hostname === '') return null;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\s]/.test(url)) return null;
  return parsed.href;
}

export type NavigationDecision = { allow: true } | { allow: false; openExternal: string | null };

/** will-navigate (main frame): the app's own pages only; an external http(s) link goes to the browser. */
export function decideNavigation(url: string, location: AppLocation): NavigationDecision {
  if (isAppUrl(url, location)) return { allow: true };
  return { allow: false, openExternal: safeExternalUrl(url) };
}

/** will-redirect and will-frame-navigate: the app's own pages only, nothing opened. */
export function decideRedirect(url: string, location: AppLocation): boolean {
  return isAppUrl(url, location);
}

/** setWindowOpenHandler: never a new window; a safe external link opens in the OS browser. */
export function decideWindowOpen(url: string): { action: 'deny'; openExternal: string | null } {
  return { action: 'deny', openExternal: safeExternalUrl(url) };
}
