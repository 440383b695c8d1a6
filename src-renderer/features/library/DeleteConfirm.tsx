/** Asks before deleting a saved measurement, saying what happens to its data on this host. */
import { useEffect, useId, useRef } from 'react';
import type { HostApi, LibraryEntry } from '../../host/host-api';
import { entryName } from './library-text';

export function DeleteConfirm(props: { entry: LibraryEntry; hostKind: HostApi['kind']; busy: boolean; onConfirm(): void; onCancel(): void }) {
  const { entry, hostKind, busy, onConfirm, onCancel } = props;
  const ids = useId();
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), [entry]);

  const explanation =
    hostKind === 'electron'
      ? 'Its folder (report and audio) moves to the system trash, where you can still restore it.'
      : 'It is removed from this browser’s storage and cannot be restored. Export it first if you want to keep a copy.';

  return (
    <div className="panel confirm-panel" role="alertdialog" aria-labelledby={`${ids}-confirm-title`} aria-describedby={`${ids}-confirm-text`}>
      <h3 id={`${ids}-confirm-title`}>Delete “{entryName(entry)}”?</h3>
      <p id={`${ids}-confirm-text`}>{explanation}</p>
      <div className="button-row">
        <button type="button" className="danger" onClick={onConfirm} disabled={busy}>
          {hostKind === 'electron' ? 'Move to trash' : 'Delete'}
        </button>
        <button type="button" className="secondary" ref={cancel} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
