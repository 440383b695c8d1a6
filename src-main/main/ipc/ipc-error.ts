/**
 * The main process's typed error: a code from the IPC contract and a message fit for the user.
 * Handlers throw it; the IPC router turns it (and any other error) into `{ ok: false, error }`.
 */
import { TargetExistsError } from '../../fs/atomic-write';
import { type IpcErrorCode, type IpcErrorData } from '../../../shared/contract/ipc-contract';
import { ReportExportError } from '../../../shared/report/report-csv';
import { ReportError } from '../../../shared/report/report-schema';
import { WavError } from '../../../shared/io/wav-file';
import { StoreError, type StoreErrorKind } from '../store-error';

export class IpcError extends Error {
  readonly code: IpcErrorCode;
  constructor(code: IpcErrorCode, message: string) {
    super(message);
    this.name = 'IpcError';
    this.code = code;
  }
}

const MAX_MESSAGE = 4000;

function clip(message: string): string {
  return message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message;
}

/** Node's file-system error codes that mean something specific to the user. */
const FS_MESSAGES: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the disk is read-only',
  EDQUOT: 'the disk quota is exceeded',
  EMFILE: 'too many open files',
};

/** The contract's code for each kind of store error. */
const STORE_ERROR_CODES: Record<StoreErrorKind, IpcErrorCode> = {
  'invalid-id': 'INVALID_REQUEST',
  'not-found': 'NOT_FOUND',
  'invalid-file': 'INVALID_FILE',
  'too-large': 'TOO_LARGE',
  io: 'IO',
};

/** Maps any thrown value to the contract's error data. */
export function toIpcErrorData(error: unknown): IpcErrorData {
  if (error instanceof IpcError) return { code: error.code, message: clip(error.message) };
  if (error instanceof StoreError) return { code: STORE_ERROR_CODES[error.kind], message: clip(error.message) };
  if (error instanceof TargetExistsError) return { code: 'EXISTS', message: clip(error.message) };
  if (error instanceof ReportError) return { code: 'INVALID_FILE', message: clip(error.message) };
  if (error instanceof ReportExportError) return { code: 'NOT_EXPORTABLE', message: clip(`This measurement cannot be exported in that form: ${error.message}.`) };
  if (error instanceof WavError) return { code: 'INVALID_FILE', message: clip(error.message) };
  const errno = error as NodeJS.ErrnoException | null;
  if (errno && typeof errno === 'object' && typeof errno.code === 'string') {
    if (errno.code === 'ENOENT') return { code: 'NOT_FOUND', message: clip(errno.message) };
    if (errno.code === 'EEXIST') return { code: 'EXISTS', message: clip(errno.message) };
    const plain = FS_MESSAGES[errno.code];
    if (plain) return { code: 'IO', message: clip(`${plain} (${errno.message})`) };
    return { code: 'IO', message: clip(errno.message) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: clip(`internal error: ${message}`) };
}
