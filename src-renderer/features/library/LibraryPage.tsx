/**
 * The library: every saved measurement in a sortable, searchable table; reopen, rename, delete,
 * compare two, and import a report JSON. The list comes from useLibraryList, the actions from
 * useLibraryActions; the table, the delete confirmation and the comparison are their own components.
 */
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useHost } from '../../host/host-context';
import type { OpenAvMeasurement, OpenMeasurement } from '../../navigation/open-measurement';
import { ComparePanel } from './ComparePanel';
import { DeleteConfirm } from './DeleteConfirm';
import { LibraryTable } from './LibraryTable';
import { searchEntries, type SortDirection, type SortKey, sortEntries } from './library-model';
import { useLibraryActions } from './use-library-actions';
import { useLibraryList } from './use-library-list';
import './library.css';

export function LibraryPage(props: { onOpen(m: OpenMeasurement): void; onOpenAv(m: OpenAvMeasurement): void; libraryVersion: number; importRequest: number }) {
  const { onOpen, onOpenAv, libraryVersion, importRequest } = props;
  const host = useHost();
  const ids = useId();
  const list = useLibraryList(libraryVersion);
  const [query, setQuery] = useState('');
  const [sortKey, setSortKey] = useState<SortKey>('date');
  const [direction, setDirection] = useState<SortDirection>('descending');
  const [selected, setSelected] = useState<string[]>([]);
  const actions = useLibraryActions({ list, importRequest, onOpen, onOpenAv, onDeleted: (id) => setSelected((s) => s.filter((x) => x !== id)) });
  const { busy, message, confirmDelete, compare } = actions;
  const compareRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (compare) compareRef.current?.querySelector('h3')?.focus();
  }, [compare]);

  const { entries, loading } = list;
  const visible = useMemo(() => (entries ? sortEntries(searchEntries(entries, query), sortKey, direction) : []), [entries, query, sortKey, direction]);
  const liveSelected = selected.filter((id) => entries?.some((e) => e.id === id));

  const sortBy = (key: SortKey) => {
    if (key === sortKey) setDirection((d) => (d === 'ascending' ? 'descending' : 'ascending'));
    else {
      setSortKey(key);
      setDirection(key === 'date' ? 'descending' : 'ascending');
    }
  };

  const toggleSelected = (id: string, checked: boolean) => {
    setSelected((s) => (checked ? [...s.filter((x) => x !== id), id].slice(-2) : s.filter((x) => x !== id)));
  };

  return (
    <div className="library-page">
      <div className="library-header">
        <h2>Library</h2>
        <div className="library-actions">
          <button type="button" className="secondary" onClick={() => void actions.runImport()} disabled={busy === 'import'}>
            {busy === 'import' ? 'Importing…' : 'Import report…'}
          </button>
          <button type="button" className="primary" onClick={() => void actions.startCompare(liveSelected)} disabled={liveSelected.length !== 2 || busy === 'compare'}>
            {busy === 'compare' ? 'Opening…' : `Compare selected (${liveSelected.length}/2)`}
          </button>
        </div>
      </div>
      <p className="muted library-intro">
        Saved measurements {host.kind === 'browser' ? 'are kept in this browser’s storage' : 'are kept in the app’s data folder'}. Select two audio measurements to compare them; import a report JSON exported
        from Latency Lab or the <code>latency-lab</code> command line (<code>analyze --report</code> or <code>av-analyze --report</code>).
      </p>

      <div aria-live="polite">
        {message && (
          <p className={message.ok ? 'status-ok library-message' : 'status-bad library-message'} role={message.ok ? 'status' : 'alert'}>
            {message.text}
          </p>
        )}
      </div>

      {confirmDelete && (
        <DeleteConfirm
          entry={confirmDelete}
          hostKind={host.kind}
          busy={busy === `delete:${confirmDelete.id}`}
          onConfirm={() => void actions.remove(confirmDelete)}
          onCancel={() => actions.setConfirmDelete(null)}
        />
      )}

      {compare && (
        <div ref={compareRef}>
          <ComparePanel a={compare.a} b={compare.b} onClose={actions.closeCompare} />
        </div>
      )}

      <section className="panel" aria-labelledby={`${ids}-list-heading`}>
        <div className="library-toolbar">
          <h3 id={`${ids}-list-heading`} className="visually-hidden">
            Saved measurements
          </h3>
          <div className="library-search">
            <label htmlFor={`${ids}-search`}>Search</label>
            <input
              id={`${ids}-search`}
              type="search"
              value={query}
              placeholder="Title, setup, device or claim"
              onChange={(e) => setQuery(e.target.value)}
              aria-describedby={`${ids}-count`}
            />
          </div>
          <p id={`${ids}-count`} className="muted library-count" aria-live="polite">
            {entries ? (query.trim() ? `${visible.length} of ${entries.length} measurements match` : `${entries.length} measurement${entries.length === 1 ? '' : 's'}`) : ''}
          </p>
        </div>

        {loading && !entries && <p className="muted">Loading the library…</p>}
        {!loading && list.error && (
          <div role="alert">
            <p className="status-bad">The library could not be loaded: {list.error}</p>
            <button type="button" className="secondary" onClick={list.reload}>
              Try again
            </button>
          </div>
        )}
        {entries && entries.length === 0 && (
          <div className="library-empty">
            <p>No saved measurements yet.</p>
            <p className="muted">Measure on the Measure page and choose “Save to library” on the results, or import a report JSON.</p>
          </div>
        )}
        {entries && entries.length > 0 && visible.length === 0 && <p className="muted">No measurement matches “{query.trim()}”.</p>}
        {entries && visible.length > 0 && (
          <LibraryTable
            entries={visible}
            sortKey={sortKey}
            direction={direction}
            onSort={sortBy}
            selected={liveSelected}
            onSelect={toggleSelected}
            editing={actions.editing}
            onEdit={actions.setEditing}
            onSaveRename={(event) => void actions.saveRename(event)}
            busy={busy}
            onOpen={(entry) => void actions.open(entry)}
            onDelete={actions.setConfirmDelete}
          />
        )}
      </section>
    </div>
  );
}
