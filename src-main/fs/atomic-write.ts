/**
 * Atomic file writes: the data goes to a temporary file in the same folder, is flushed to disk,
 * and is then renamed over the target, so a crash or kill mid-write leaves either the old file or
 * the new one, never a torn mix. `overwrite: false` refuses to replace an existing file.
 */
import { closeSync, existsSync, fsyncSync, linkSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

export class TargetExistsError extends Error {
  readonly path: string;
  constructor(path: string) {
    super(`${path} already exists; not overwriting it`);
    this.name = 'TargetExistsError';
    this.path = path;
  }
}

export function writeFileAtomic(path: string, data: string | Uint8Array, options: { overwrite?: boolean } = {}): void {
  const overwrite = options.overwrite ?? true;
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', 0o644);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(temp);
    throw error;
  }
  closeSync(fd);
  try {
    if (overwrite) {
      renameSync(temp, path);
    } else {
      // link() fails if the target exists, so no other writer can be clobbered in a race.
      try {
        linkSync(temp, path);
        unlinkSync(temp);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw new TargetExistsError(path);
        // Filesystems without hard links (FAT/exFAT, some network shares): check, then rename.
        if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'ENOSYS'].includes(code ?? '')) throw error;
        if (existsSync(path)) throw new TargetExistsError(path);
        renameSync(temp, path);
      }
    }
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
    throw error;
  }
  fsyncDirectory(dirname(path));
}

/** Flushes a directory's entries (a rename or a new file in it) to disk where the platform allows it. */
export function fsyncDirectory(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot open directories; the rename is still atomic there.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
