/** Flushes a directory's entries (a rename or a new file in it) to disk where the platform allows it. */
import { closeSync, fsyncSync, openSync } from 'node:fs';

export function fsyncDirectory(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot open directories; renames are still atomic there.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
