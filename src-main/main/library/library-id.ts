/**
 * Library ids name a measurement's folder, so they follow the report id's strict pattern
 * (6-64 of A-Z a-z 0-9 - _): no dots, slashes, NUL or anything else a path could be built from.
 */
import { randomBytes } from 'node:crypto';
import { LIBRARY_ID_PATTERN } from '../../../shared/contract/ipc-contract';

export function isLibraryId(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 64 && LIBRARY_ID_PATTERN.test(value);
}

/** A new id: the UTC time (so folders sort by age) and 8 random hex digits, e.g. 20251125-103912-1a2b3c4d. */
export function newLibraryId(now: Date = new Date()): string {
  const iso = now.toISOString(); // 2025-11-25T10:39:12.345Z
  const stamp = `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`;
  return `${stamp}-${randomBytes(4).toString('hex')}`;
}
