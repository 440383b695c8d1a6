/**
 * The error the main process's stores (library, settings) throw: what went wrong in their own
 * terms, with a message fit for the user. The stores know nothing of IPC; the IPC edge
 * (ipc/ipc-error.ts) maps each kind to the contract's error code.
 */
export type StoreErrorKind =
  /** A library id that is not one (it could name a path outside the library). */
  | 'invalid-id'
  /** No such measurement or file. */
  | 'not-found'
  /** A stored or chosen file is not a valid report or WAV (the message says why). */
  | 'invalid-file'
  /** Over a size limit. */
  | 'too-large'
  /** Reading, writing or trashing failed. */
  | 'io';

export class StoreError extends Error {
  readonly kind: StoreErrorKind;
  constructor(kind: StoreErrorKind, message: string) {
    super(message);
    this.name = 'StoreError';
    this.kind = kind;
  }
}
