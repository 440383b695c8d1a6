/**
 * Reads a whole input file safely, for the CLI and the desktop app alike: only a regular file is
 * read (a device such as /dev/zero, a FIFO, a socket or a folder is refused before a byte is read;
 * a FIFO is opened non-blocking, so it cannot hang the caller), and the read stops at the size limit
 * by the bytes actually read, whatever `stat` said (a /proc file says 0, a growing file says less).
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { fileKind } from './atomic-write';

export type ReadFailure =
  /** A folder, not a file. */
  | { reason: 'directory' }
  /** A device, FIFO, socket or other special file; `kind` names it in words. */
  | { reason: 'not-regular'; kind: string }
  /** `stat` says it is larger than the limit. */
  | { reason: 'too-large'; sizeBytes: number; maxBytes: number }
  /** It held more than the limit although `stat` said less. */
  | { reason: 'grew'; statedBytes: number; maxBytes: number }
  /** Opening or reading failed (`cause` is Node's error: ENOENT, EACCES, ...). */
  | { reason: 'io'; cause: unknown };

export class ReadFileError extends Error {
  readonly failure: ReadFailure;
  constructor(failure: ReadFailure) {
    super(failure.reason === 'io' ? String((failure.cause as Error)?.message ?? failure.cause) : failure.reason);
    this.name = 'ReadFileError';
    this.failure = failure;
  }
}

/** Bytes the buffer of a file read whole has beyond the file's stated size (see readRegularFile). */
const READ_SLACK_BYTES = 4;

/** The bytes of the regular file at `path`, at most `maxBytes` of them; throws ReadFileError. */
export function readRegularFile(path: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EISDIR') throw new ReadFileError({ reason: 'directory' });
    throw new ReadFileError({ reason: 'io', cause: error });
  }
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) throw new ReadFileError({ reason: 'directory' });
    if (!stats.isFile()) throw new ReadFileError({ reason: 'not-regular', kind: fileKind(stats) });
    if (stats.size > maxBytes) throw new ReadFileError({ reason: 'too-large', sizeBytes: stats.size, maxBytes });
    const grew = (): ReadFileError => new ReadFileError({ reason: 'grew', statedBytes: stats.size, maxBytes });
    // READ_SLACK_BYTES more than stat's size, so the end of a regular file is seen without growing
    // the buffer (and a reader may move the bytes by up to 3 in place: alignedMonoFloat in cli-io);
    // a file that is larger than it said (or grows) is read on only up to the limit.
    let buffer = Buffer.allocUnsafe(Math.min(stats.size, maxBytes) + READ_SLACK_BYTES);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > maxBytes) throw grew();
        const bigger = Buffer.allocUnsafe(Math.min(Math.max(2 * buffer.length, 65536), maxBytes + 1));
        buffer.copy(bigger, 0, 0, length);
        buffer = bigger;
      }
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > maxBytes) throw grew();
    return buffer.subarray(0, length);
  } catch (error) {
    if (error instanceof ReadFileError) throw error;
    throw new ReadFileError({ reason: 'io', cause: error });
  } finally {
    closeSync(fd);
  }
}
