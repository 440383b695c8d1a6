/**
 * Errors and input helpers of the CLI. Every failure the user can cause becomes one clear line on
 * stderr and exit code 2 (bad usage or an unreadable file); refusals of the analysis are exit 1.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { decodeWav, WavError, type WavAudio } from '../../shared/io/wav-file';

/** Bad usage or unreadable input: exit code 2. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

const MAX_INPUT_BYTES = 1024 * 1024 * 1024;

export function readInputFile(path: string, what: string, maxBytes = MAX_INPUT_BYTES): Buffer {
  let size: number;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw new CliError(`${what} ${path} is a directory, not a file`);
    size = stat.size;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`cannot read ${what} ${path}: ${describeFsError(error)}`);
  }
  if (size > maxBytes) throw new CliError(`${what} ${path} is ${(size / 2 ** 20).toFixed(0)} MiB, more than the ${(maxBytes / 2 ** 20).toFixed(0)} MiB this command reads`);
  try {
    return readFileSync(path);
  } catch (error) {
    throw new CliError(`cannot read ${what} ${path}: ${describeFsError(error)}`);
  }
}

export function readWavFile(path: string, what: string): WavAudio {
  const bytes = readInputFile(path, what);
  try {
    return decodeWav(bytes);
  } catch (error) {
    if (error instanceof WavError) throw new CliError(`${what} ${path}: ${error.message}`);
    throw error;
  }
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
      return 'it is a directory';
    case 'ENOSPC':
      return 'the disk is full';
    default:
      return e.message ?? String(error);
  }
}

/** Why writing `path` failed, naming a missing folder rather than calling it "no such file". */
export function describeWriteError(path: string, error: unknown): string {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !existsSync(dirname(resolve(path)))) return `the folder ${dirname(path)} does not exist`;
  return describeFsError(error);
}

/** Parses a numeric option strictly: the whole string must be a finite number within [min, max]. */
export function numberOption(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(n)) throw new CliError(`--${name} expects a number, got "${value}"`);
  if (n < min || n > max) throw new CliError(`--${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

export function integerOption(name: string, value: string | undefined, min: number, max: number): number | undefined {
  const n = numberOption(name, value, min, max);
  if (n !== undefined && !Number.isInteger(n)) throw new CliError(`--${name} expects a whole number, got ${value}`);
  return n;
}
