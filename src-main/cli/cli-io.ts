/**
 * Errors and input helpers of the CLI. Every failure the user can cause becomes one clear line on
 * stderr and exit code 2 (bad usage or an unreadable file); refusals of the analysis are exit 1.
 *
 * Inputs are read only from regular files: a device (/dev/zero, /dev/urandom), a FIFO or a socket is
 * refused before a byte is read (a FIFO is opened non-blocking, so it cannot hang the command), and
 * reads stop at the size limit by the bytes actually read, whatever `stat` said.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { decodeWavChannel, readWavLayout, WavError, type WavLayout } from '../../shared/io/wav-file';
import { checkWritableTarget, NotRegularFileError, TargetExistsError } from '../fs/atomic-write';
import { ReadFileError, readRegularFile } from '../fs/read-regular-file';

/** Bad usage or unreadable input: exit code 2. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * The largest input file the CLI reads (1 GiB). `generate` refuses to write a WAV larger than this,
 * so whatever it writes, `analyze` accepts.
 */
export const MAX_INPUT_BYTES = 2 ** 30;

/** A size for a message: exact bytes, and MiB/GiB with one decimal. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${bytes} bytes`;
  const unit = bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  return `${bytes} bytes (${unit})`;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Text as it may reach a terminal: control characters (C0 but tab and line feed, DEL, C1) removed,
 * so a profile name, title, file name or message cannot clear the screen, retitle the window or
 * hide text with escape sequences.
 */
export const printable = (text: string): string => text.replace(CONTROL, '');

/** One line of printable text (line breaks become spaces). */
export const oneLine = (text: string): string => printable(text.replace(/\s*[\r\n]+\s*/g, ' '));

/** JSON for stdout: what JSON.stringify leaves raw (DEL and C1 controls) escaped as \u00XX. */
export const printableJson = (value: unknown): string =>
  JSON.stringify(value).replace(/[\u007f-\u009f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** Reads a whole input file, refusing anything but a regular file and anything over `maxBytes`. */
export function readInputFile(path: string, what: string, maxBytes = MAX_INPUT_BYTES): Buffer {
  try {
    return readRegularFile(path, maxBytes);
  } catch (error) {
    if (!(error instanceof ReadFileError)) throw error;
    const f = error.failure;
    const limit = `more than the ${formatBytes(maxBytes)} this command reads`;
    switch (f.reason) {
      case 'directory':
        throw new CliError(`${what} ${path} is a directory, not a file`);
      case 'not-regular':
        throw new CliError(`${what} ${path} is a ${f.kind}, not a regular file: give the path of a file`);
      case 'too-large':
        throw new CliError(`${what} ${path} is ${formatBytes(f.sizeBytes)}, ${limit}`);
      case 'grew':
        throw new CliError(`${what} ${path} holds ${limit} (its stated size is ${formatBytes(f.statedBytes)})`);
      case 'io':
        throw new CliError(`cannot read ${what} ${path}: ${describeFsError(f.cause)}`);
    }
  }
}

/** A text input (JSON, calibration) as a string, without a UTF-8 byte order mark. */
export function readInputText(path: string, what: string, maxBytes: number): string {
  const text = readInputFile(path, what, maxBytes).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * A WAV input whose header has been read; channels are decoded one at a time on request, so a
 * 64-channel capture costs the memory of the channels analysed, not of all 64.
 */
export interface WavInput {
  path: string;
  layout: WavLayout;
  /**
   * Channel `oneBased` as floats; `option` names the option that chose it, for the message. Read
   * only: a mono float file's samples are a view of the file's bytes, the same memory at every call.
   */
  channel(oneBased: number, option: string): Float32Array;
  /** Drops the file's bytes once the channels needed are decoded. */
  release(): void;
}

/**
 * A mono float32 file's bytes moved forward by up to 3 bytes within their own buffer (the slack
 * readRegularFile leaves), so that its samples start at a 4-byte boundary and decode to a view of
 * them instead of a copy (our own WAVs' samples start at byte 58). Anything else as it was.
 */
function alignedMonoFloat(bytes: Buffer, layout: WavLayout): Buffer {
  const shift = (4 - ((bytes.byteOffset + layout.dataStart) % 4)) % 4;
  if (layout.format !== 'float32' || layout.channelCount !== 1 || shift === 0) return bytes;
  // Only a buffer of its own (byte 0 of its ArrayBuffer: not Node's pool) with room after the file.
  if (bytes.byteOffset !== 0 || bytes.buffer.byteLength < bytes.length + shift) return bytes;
  const moved = Buffer.from(bytes.buffer, 0, bytes.length + shift);
  moved.copyWithin(shift, 0, bytes.length);
  return moved.subarray(shift);
}

export function readWavInput(path: string, what: string): WavInput {
  let bytes: Buffer | null = readInputFile(path, what);
  const wavError = (error: unknown): never => {
    if (error instanceof WavError) throw new CliError(`${what} ${path}: ${error.message}`);
    throw error;
  };
  let layout: WavLayout;
  try {
    layout = readWavLayout(bytes);
  } catch (error) {
    return wavError(error);
  }
  bytes = alignedMonoFloat(bytes, layout);
  return {
    path,
    layout,
    channel(oneBased: number, option: string): Float32Array {
      if (oneBased > layout.channelCount) throw new CliError(`--${option} ${oneBased}: ${path} has ${layout.channelCount} channel(s)`);
      if (!bytes) throw new Error(`${path} was released before channel ${oneBased} was decoded`);
      try {
        // A mono float file's samples are a view of its bytes (read for this input alone), not a copy.
        return decodeWavChannel(bytes, oneBased - 1, { shareMemory: true }).samples;
      } catch (error) {
        return wavError(error);
      }
    },
    release(): void {
      bytes = null;
    },
  };
}

export function describeFsError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    case 'ENOSPC':
      return 'the disk is full';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    default:
      // Node's message names the files of the failed call (e.g. a temporary file): keep its reason only.
      return e.code ? (e.message ?? e.code).split(',')[0] : String(e.message ?? error);
  }
}

/**
 * Checks an output path before any work is done: refuses an existing file without `force`, and a
 * folder, device, FIFO, socket or symbolic link always (see src-main/fs/atomic-write.ts).
 */
export function checkOutputTarget(path: string, force: boolean): void {
  try {
    checkWritableTarget(path, force);
  } catch (error) {
    throw outputError(path, error);
  }
}

/** A write failure as a CliError with one clear line (no temporary file names). */
export function outputError(path: string, error: unknown): CliError {
  if (error instanceof TargetExistsError) return new CliError(`${path} already exists; use --force to replace it`);
  if (error instanceof NotRegularFileError) return new CliError(`cannot write ${error.message}`);
  return new CliError(`cannot write ${path}: ${describeWriteError(path, error)}`);
}

/** Why writing `path` failed, naming a missing folder rather than calling it "no such file". */
export function describeWriteError(path: string, error: unknown): string {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !existsSync(dirname(resolve(path)))) return `the folder ${dirname(path)} does not exist`;
  return describeFsError(error);
}

/** Parses a numeric option strictly: a plain decimal number (no hex, binary, octal or Infinity) within [min, max]. */
export function numberOption(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isFinite(n)) throw new CliError(`--${name} expects a number, got "${value}"`);
  if (n < min || n > max) throw new CliError(`--${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

/** Parses a whole-number option: decimal digits only (so --rate 0x1F40 is refused, not read as 8000). */
export function integerOption(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[+-]?\d+$/.test(value.trim())) throw new CliError(`--${name} expects a whole number in decimal digits, got "${value}"`);
  return numberOption(name, value, min, max);
}
