/**
 * Where the app's page lives. Built: `app://latency-lab/index.html`, served by our own protocol
 * handler (so responses carry the CSP header and the origin is well-defined, unlike file://). In
 * development (`electron-vite dev`, ELECTRON_RENDERER_URL): the dev server, which must be on this
 * machine (localhost / 127.0.0.1 / [::1], http). Everything else is "not the app".
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'latency-lab';

export interface AppLocation {
  /** The origin the app's page has, e.g. "app://latency-lab" or "http://localhost:5173". */
  origin: string;
  /** The URL the main window loads. */
  indexUrl: string;
  dev: boolean;
}

/**
 * The origin of a URL as Chromium serializes it. Node's URL gives "null" for non-special schemes
 * such as app:, which Chromium treats as standard (we register it so), hence the fallback.
 */
export function originOf(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.username !== '' || parsed.password !== '') return null;
  if (parsed.origin !== 'null') return parsed.origin;
  if (parsed.protocol === `${APP_SCHEME}:` && parsed.host !== '') return `${parsed.protocol}//${parsed.host}`;
  return null;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The app's location; `devServerUrl` (ELECTRON_RENDERER_URL) only when it is a local http URL. */
export function appLocation(devServerUrl?: string | null): AppLocation {
  if (devServerUrl) {
    let parsed: URL;
    try {
      parsed = new URL(devServerUrl);
    } catch {
      throw new Error(`ELECTRON_RENDERER_URL is not a URL: ${JSON.stringify(devServerUrl)}`);
    }
    if (parsed.protocol !== 'http:' || !LOCAL_HOSTS.has(parsed.hostname) || parsed.username !== '' || parsed.password !== '') {
      throw new Error(`ELECTRON_RENDERER_URL must be a local http URL (localhost), got ${JSON.stringify(devServerUrl)}`);
    }
    return { origin: parsed.origin, indexUrl: parsed.href, dev: true };
  }
  const origin = `${APP_SCHEME}://${APP_HOST}`;
  return { origin, indexUrl: `${origin}/index.html`, dev: false };
}

/** Whether `url` is a page of the app (same origin as its location). */
export function isAppUrl(url: string, location: AppLocation): boolean {
  return originOf(url) === location.origin;
}
