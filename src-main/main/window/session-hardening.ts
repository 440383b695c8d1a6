/**
 * Applies the permission policy to a session: both the request and the check handler, and a device
 * handler that grants nothing.
 */
import type { Session } from 'electron';
import type { AppLocation } from './app-location';
import { decideDevicePermission, decidePermissionCheck, decidePermissionRequest } from './permission-policy';

type Hardenable = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'>;

export function hardenSession(session: Hardenable, location: AppLocation, log: (message: string) => void = (m) => console.warn(m)): void {
  session.setPermissionRequestHandler((_webContents, permission, callback, details) => {
    const granted = decidePermissionRequest(permission, details, location);
    if (!granted) log(`denied permission request "${permission}" from ${(details.requestingUrl ?? '?').slice(0, 200)}`);
    callback(granted);
  });
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin, details) => decidePermissionCheck(permission, requestingOrigin, details, location));
  session.setDevicePermissionHandler(() => decideDevicePermission());
}
