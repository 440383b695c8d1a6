/**
 * Who may call the main process: only the app's own page, in the main frame of a window. Checked on
 * every invoke (event.senderFrame), before the payload is even parsed.
 */
import { type AppLocation, isAppUrl } from '../window/app-location';

/** The part of Electron's WebFrameMain the check reads. */
export interface SenderFrame {
  url: string;
  parent: unknown;
}

export function isTrustedSender(frame: SenderFrame | null | undefined, location: AppLocation): boolean {
  if (!frame || typeof frame.url !== 'string') return false;
  if (frame.parent !== null && frame.parent !== undefined) return false;
  return isAppUrl(frame.url, location);
}
