/**
 * Which web permissions the app's page gets: microphone and camera capture (a `media` request for
 * audio and/or video: the A/V page records the screen and the speaker with the webcam, only when the
 * user clicks Record) and speaker selection, for the app's own origin in its main frame. Everything
 * else (screen capture, geolocation, notifications, MIDI, USB, HID, serial, clipboard reads, ...) and
 * every other origin is denied. Used for both setPermissionRequestHandler and
 * setPermissionCheckHandler (Chromium checks first, then requests); device permissions are denied.
 */
import { type AppLocation, originOf } from './app-location';

export interface PermissionRequestDetails {
  requestingUrl?: string;
  isMainFrame?: boolean;
  /** For `media`: 'audio' (microphone) and/or 'video' (camera). */
  mediaTypes?: ReadonlyArray<string>;
  securityOrigin?: string;
}

export interface PermissionCheckDetails {
  requestingUrl?: string;
  isMainFrame?: boolean;
  securityOrigin?: string;
  mediaType?: string;
  /** Set for cross-origin subframes. */
  embeddingOrigin?: string;
}

function isOwnOrigin(urlOrOrigin: string | undefined, location: AppLocation): boolean {
  return typeof urlOrOrigin === 'string' && originOf(urlOrOrigin) === location.origin;
}

export function decidePermissionRequest(permission: string, details: PermissionRequestDetails, location: AppLocation): boolean {
  if (!isOwnOrigin(details.requestingUrl, location)) return false;
  if (details.isMainFrame === false) return false;
  if (details.securityOrigin !== undefined && !isOwnOrigin(details.securityOrigin, location)) return false;
  if (permission === 'media') {
    const types = details.mediaTypes ?? [];
    return types.length > 0 && types.every((type) => type === 'audio' || type === 'video');
  }
  return permission === 'speaker-selection';
}

export function decidePermissionCheck(permission: string, requestingOrigin: string, details: PermissionCheckDetails, location: AppLocation): boolean {
  if (!isOwnOrigin(requestingOrigin, location)) return false;
  if (details.embeddingOrigin !== undefined && !isOwnOrigin(details.embeddingOrigin, location)) return false;
  if (details.isMainFrame === false) return false;
  if (details.securityOrigin !== undefined && !isOwnOrigin(details.securityOrigin, location)) return false;
  if (permission === 'media') return details.mediaType === 'audio' || details.mediaType === 'video';
  return permission === 'speaker-selection';
}

/** No HID, USB, serial or Bluetooth device is ever granted. */
export function decideDevicePermission(): boolean {
  return false;
}
