/**
 * Applies the navigation policy to a web contents (every one the app creates, via the app's
 * 'web-contents-created' event): navigations and redirects away from the app are cancelled, new
 * windows denied (safe http(s) links go to the OS browser), <webview> attachment prevented.
 */
import type { WebContents } from 'electron';
import type { AppLocation } from './app-location';
import { decideNavigation, decideRedirect, decideWindowOpen } from './navigation-policy';

export interface HardeningDeps {
  location: AppLocation;
  /** shell.openExternal, called only with URLs that passed safeExternalUrl. */
  openExternal(url: string): void;
  log?(message: string): void;
}

type Hardenable = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

export function hardenWebContents(contents: Hardenable, deps: HardeningDeps): void {
  const log = deps.log ?? ((message: string) => console.warn(message));

  contents.on('will-navigate', (event) => {
    const decision = decideNavigation(event.url, deps.location);
    if (decision.allow) return;
    event.preventDefault();
    log(`blocked navigation to ${event.url.slice(0, 200)}`);
    if (decision.openExternal) deps.openExternal(decision.openExternal);
  });

  // Subframes (the app has none): its own pages only. The main frame is will-navigate's.
  contents.on('will-frame-navigate', (event) => {
    if (event.isMainFrame || decideRedirect(event.url, deps.location)) return;
    event.preventDefault();
    log(`blocked frame navigation to ${event.url.slice(0, 200)}`);
  });

  contents.on('will-redirect', (event) => {
    if (decideRedirect(event.url, deps.location)) return;
    event.preventDefault();
    log(`blocked redirect to ${event.url.slice(0, 200)}`);
  });

  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('blocked a <webview>');
  });

  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url);
    if (decision.openExternal) deps.openExternal(decision.openExternal);
    else log(`blocked a new window for ${url.slice(0, 200)}`);
    return { action: decision.action };
  });
}
