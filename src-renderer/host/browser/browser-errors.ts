/** The browser host's errors: every failure becomes a HostError with a message fit for the user. */
import { HostError } from '../host-api';

export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export function storageError(action: string, error: unknown): HostError {
  if (error instanceof HostError) return error;
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'QuotaExceededError') return new HostError(`${action}: the browser's storage for this site is full. Delete measurements you no longer need, or export and remove them.`);
  return new HostError(`${action}: the browser's storage failed (${messageOf(error)}).`);
}
