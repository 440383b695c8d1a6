/**
 * Atomic file writes: the data goes to a temporary file in the same folder, is flushed to disk,
 * and is then renamed over the target, so a crash or kill mid-write leaves either the old file or
 * the new one, never a torn mix. `overwrite: false` refuses to replace an existing file.
 *
 * Only regular files are ever replaced. A target that is a folder, a device (/dev/null, /dev/full),
 * a FIFO or a socket is refused with NotRegularFileError: renaming over it would swap a regular file
 * in for the special one. A target that is a symbolic link is refused too (NotRegularFileError,
 * kind 'symbolic link'), whatever it points to: replacing the link would silently cut it from the file
 * it names, and writing through it would let a link planted in an output folder redirect the write
 * anywhere. Write to the file the link points to instead.
 *
 * writeFilesAtomic writes several files all or nothing: every file is first written to its
 * temporary file (which also proves every target folder writable), and only then are they renamed
 * into place; if anything fails, the files this call wrote are removed and the files it replaced are
 * restored.
 */
import { closeSync, existsSync, fsyncSync, linkSync, lstatSync, openSync, renameSync, type Stats, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, sep } from 'node:path';

export class TargetExistsError extends Error {
  readonly path: string;
  constructor(path: string) {
    super(`${path} already exists; not overwriting it`);
    this.name = 'TargetExistsError';
    this.path = path;
  }
}

/** The target exists and is not a regular file (a folder, device, FIFO, socket or symbolic link). */
export class NotRegularFileError extends Error {
  readonly path: string;
  readonly kind: string;
  constructor(path: string, kind: string) {
    super(kind === 'folder' || kind === 'folder name'
      ? `${path} is a folder, not a file name`
      : `${path} is a ${kind}, not a regular file; only regular files are replaced${kind === 'symbolic link' ? ' (write to the file it points to instead)' : ''}`);
    this.name = 'NotRegularFileError';
    this.path = path;
    this.kind = kind;
  }
}

/** Writing one file of writeFilesAtomic failed: `path` is that file, `cause` the error. */
export class FileWriteError extends Error {
  readonly path: string;
  override readonly cause: unknown;
  constructor(path: string, cause: unknown) {
    super(`cannot write ${path}: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'FileWriteError';
    this.path = path;
    this.cause = cause;
  }
}

/** What kind of file system entry `stats` is, in words. */
export function fileKind(stats: Stats): string {
  if (stats.isFile()) return 'regular file';
  if (stats.isDirectory()) return 'folder';
  if (stats.isSymbolicLink()) return 'symbolic link';
  if (stats.isFIFO()) return 'named pipe (FIFO)';
  if (stats.isSocket()) return 'socket';
  if (stats.isCharacterDevice()) return 'device';
  if (stats.isBlockDevice()) return 'block device';
  return 'special file';
}

/**
 * Checks what is at `path` before writing there: throws NotRegularFileError when `path` names a
 * folder (ends with a separator), TargetExistsError when anything exists there and `overwrite` is
 * false, and NotRegularFileError when what exists is not a regular file. Returns whether a regular
 * file is there (to be replaced).
 */
export function checkWritableTarget(path: string, overwrite: boolean): boolean {
  if (path.endsWith('/') || path.endsWith(sep)) throw new NotRegularFileError(path, 'folder name');
  let stats: Stats;
  try {
    stats = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  if (!overwrite) throw new TargetExistsError(path);
  if (!stats.isFile()) throw new NotRegularFileError(path, fileKind(stats));
  return true;
}

export function writeFileAtomic(path: string, data: string | Uint8Array, options: { overwrite?: boolean } = {}): void {
  const overwrite = options.overwrite ?? true;
  checkWritableTarget(path, overwrite);
  const temp = writeTemp(path, data);
  try {
    commit(temp, path, overwrite);
  } catch (error) {
    removeQuietly(temp);
    throw error;
  }
  fsyncDirectory(dirname(path));
}

/**
 * Writes every file or none (see the file comment). Throws TargetExistsError or NotRegularFileError
 * before writing anything when a target is in the way, and FileWriteError naming the file otherwise.
 */
export function writeFilesAtomic(files: Array<{ path: string; data: string | Uint8Array }>, options: { overwrite?: boolean } = {}): void {
  const overwrite = options.overwrite ?? true;
  for (const file of files) checkWritableTarget(file.path, overwrite);
  const temps: string[] = [];
  const backups: Array<string | null> = [];
  const committed: number[] = [];
  try {
    for (const file of files) {
      try {
        temps.push(writeTemp(file.path, file.data));
      } catch (error) {
        throw new FileWriteError(file.path, error);
      }
    }
    // A hard link to each file being replaced, so a failure half-way can put it back.
    for (const file of files) backups.push(overwrite && existsSync(file.path) ? backup(file.path) : null);
    files.forEach((file, i) => {
      try {
        commit(temps[i], file.path, overwrite);
      } catch (error) {
        if (error instanceof TargetExistsError || error instanceof NotRegularFileError) throw error;
        throw new FileWriteError(file.path, error);
      }
      committed.push(i);
    });
  } catch (error) {
    for (const i of committed) {
      const saved = backups[i];
      try {
        if (saved) renameSync(saved, files[i].path);
        else unlinkSync(files[i].path);
      } catch {
        // Best effort: the error below says what failed.
      }
    }
    for (const temp of temps) removeQuietly(temp);
    for (const saved of backups) if (saved) removeQuietly(saved);
    throw error;
  }
  for (const saved of backups) if (saved) removeQuietly(saved);
  for (const dir of new Set(files.map((f) => dirname(f.path)))) fsyncDirectory(dir);
}

function tempName(path: string, suffix: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.${suffix}`);
}

/** Writes `data` to a new temporary file next to `path`, flushed; returns its name. */
function writeTemp(path: string, data: string | Uint8Array): string {
  const temp = tempName(path, 'tmp');
  const fd = openSync(temp, 'wx', 0o644);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    removeQuietly(temp);
    throw error;
  }
  closeSync(fd);
  return temp;
}

/** A hard link to `path` under a temporary name, or null where hard links are not supported. */
function backup(path: string): string | null {
  const saved = tempName(path, 'bak');
  try {
    linkSync(path, saved);
    return saved;
  } catch {
    return null;
  }
}

/** Moves the temporary file onto `path` (refusing an existing target unless `overwrite`). */
function commit(temp: string, path: string, overwrite: boolean): void {
  // Checked again right before the rename: the target may have changed since the first check.
  checkWritableTarget(path, overwrite);
  if (overwrite) {
    renameSync(temp, path);
    return;
  }
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

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
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
