/**
 * The library: every saved measurement in a sortable, searchable table; reopen, rename, delete,
 * compare two, and import a report JSON.
 */
import { type FormEvent, type KeyboardEvent, useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { Report } from '../../../shared/report/report-schema';
import type { OpenMeasurement } from '../../navigation/open-measurement';
import { HostError, type LibraryEntry } from '../../host/host-api';
import { useHost } from '../../host/host-context';
import { signalLabel } from '../../../shared/report/labels';
import { confidenceLabel, formatDateTime, formatMs, formatPercent } from '../../ui/format/format';
import { lastHandledRequest, markRequestHandled } from '../../navigation/request-memory';
import { ComparePanel } from './ComparePanel';
import { searchEntries, SORT_LABELS, type SortDirection, type SortKey, sortEntries } from './library-model';
import './library.css';

const MAX_TITLE = 200;

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

type Message = { ok: boolean; text: string };

interface ListState {
  /** Which load this is the result of. */
  key: string;
  entries: LibraryEntry[] | null;
  error: string | null;
}

function titleProblem(title: string): string | null {
  const t = title.trim();
  if (t.length === 0) return 'The title must not be empty.';
  if (t.length > MAX_TITLE) return `The title must be at most ${MAX_TITLE} characters (it has ${t.length}).`;
  return null;
}

export function LibraryPage(props: { onOpen(m: OpenMeasurement): void; libraryVersion: number; importRequest: number }) {
  const { onOpen, libraryVersion, importRequest } = props;
  const host = useHost();
  const ids = useId();
  const [reloads, setReloads] = useState(0);
  const loadKey = `${libraryVersion}:${reloads}`;
  const [list, setList] = useState<ListState>({ key: '', entries: null, error: null });
  const [query, setQuery] = useState('');
  const [sortKey, setSortKey] = useState<SortKey>('date');
  const [direction, setDirection] = useState<SortDirection>('descending');
  const [message, setMessage] = useState<Message | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [editing, setEditing] = useState<{ id: string; title: string; error: string | null } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<LibraryEntry | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [compare, setCompare] = useState<{ a: Report; b: Report } | null>(null);
  const confirmCancel = useRef<HTMLButtonElement>(null);
  const compareRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let alive = true;
    host.library.list().then(
      (entries) => alive && setList({ key: loadKey, entries, error: null }),
      (error: unknown) => alive && setList({ key: loadKey, entries: null, error: errorText(error) }),
    );
    return () => {
      alive = false;
    };
  }, [host, loadKey]);

  const loading = list.key !== loadKey;
  const reload = () => setReloads((n) => n + 1);

  const runImport = useCallback(async () => {
    setBusy('import');
    setMessage(null);
    try {
      const entry = await host.library.importReport();
      if (entry) {
        setMessage({ ok: true, text: `Imported “${entry.title || entry.id}” as a new measurement.` });
        setReloads((n) => n + 1);
      }
    } catch (error) {
      // The host's message names the file and the reason ("x.json" cannot be imported: …).
      setMessage({ ok: false, text: error instanceof HostError ? error.message : `The report could not be imported: ${errorText(error)}` });
    } finally {
      setBusy(null);
    }
  }, [host]);

  // The desktop menu's "Open report": start an import (once per request, even if it came while this page was closed).
  useEffect(() => {
    if (importRequest > lastHandledRequest('import')) {
      markRequestHandled('import', importRequest);
      void runImport();
    }
  }, [importRequest, runImport]);

  useEffect(() => {
    if (confirmDelete) confirmCancel.current?.focus();
  }, [confirmDelete]);

  useEffect(() => {
    if (compare) compareRef.current?.querySelector('h3')?.focus();
  }, [compare]);

  const entries = list.entries;
  const visible = useMemo(() => (entries ? sortEntries(searchEntries(entries, query), sortKey, direction) : []), [entries, query, sortKey, direction]);
  const liveSelected = selected.filter((id) => entries?.some((e) => e.id === id));

  const sortBy = (key: SortKey) => {
    if (key === sortKey) setDirection((d) => (d === 'ascending' ? 'descending' : 'ascending'));
    else {
      setSortKey(key);
      setDirection(key === 'date' ? 'descending' : 'ascending');
    }
  };

  const open = async (entry: LibraryEntry) => {
    setBusy(`open:${entry.id}`);
    setMessage(null);
    try {
      const { report, audio } = await host.library.open(entry.id);
      onOpen({ report, audio, savedId: entry.id });
    } catch (error) {
      setMessage({ ok: false, text: `“${entry.title || entry.id}” could not be opened: ${errorText(error)}` });
    } finally {
      setBusy(null);
    }
  };

  const saveRename = async (event: FormEvent) => {
    event.preventDefault();
    if (!editing) return;
    const problem = titleProblem(editing.title);
    if (problem) {
      setEditing({ ...editing, error: problem });
      return;
    }
    setBusy(`rename:${editing.id}`);
    try {
      const entry = await host.library.rename(editing.id, editing.title.trim());
      setEditing(null);
      setMessage({ ok: true, text: `Renamed to “${entry.title}”.` });
      setList((current) => ({ ...current, entries: current.entries?.map((e) => (e.id === entry.id ? entry : e)) ?? null }));
    } catch (error) {
      setEditing((current) => (current ? { ...current, error: errorText(error) } : current));
    } finally {
      setBusy(null);
    }
  };

  const remove = async (entry: LibraryEntry) => {
    setBusy(`delete:${entry.id}`);
    try {
      await host.library.remove(entry.id);
      setConfirmDelete(null);
      setSelected((s) => s.filter((id) => id !== entry.id));
      setMessage({ ok: true, text: host.kind === 'electron' ? `“${entry.title || entry.id}” was moved to the trash.` : `“${entry.title || entry.id}” was deleted.` });
      reload();
    } catch (error) {
      setConfirmDelete(null);
      setMessage({ ok: false, text: `“${entry.title || entry.id}” could not be deleted: ${errorText(error)}` });
    } finally {
      setBusy(null);
    }
  };

  const toggleSelected = (id: string, checked: boolean) => {
    setSelected((s) => (checked ? [...s.filter((x) => x !== id), id].slice(-2) : s.filter((x) => x !== id)));
  };

  const startCompare = async () => {
    if (liveSelected.length !== 2) return;
    setBusy('compare');
    setMessage(null);
    try {
      const [first, second] = await Promise.all(liveSelected.map((id) => host.library.open(id)));
      // A is the older measurement.
      const [a, b] = first.report.createdAt <= second.report.createdAt ? [first.report, second.report] : [second.report, first.report];
      setCompare({ a, b });
    } catch (error) {
      setMessage({ ok: false, text: `The measurements could not be opened for comparison: ${errorText(error)}` });
    } finally {
      setBusy(null);
    }
  };

  const cancelOnEscape = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      setEditing(null);
    }
  };

  const deleteExplanation =
    host.kind === 'electron'
      ? 'Its folder (report and audio) moves to the system trash, where you can still restore it.'
      : 'It is removed from this browser’s storage and cannot be restored. Export it first if you want to keep a copy.';

  const sortHeader = (key: SortKey, className?: string) => (
    <th scope="col" aria-sort={sortKey === key ? direction : 'none'} className={className}>
      <button type="button" className="sort-button" onClick={() => sortBy(key)}>
        {SORT_LABELS[key]}
        <span aria-hidden="true" className="sort-indicator">
          {sortKey === key ? (direction === 'ascending' ? '▲' : '▼') : ''}
        </span>
      </button>
    </th>
  );

  return (
    <div className="library-page">
      <div className="library-header">
        <h2>Library</h2>
        <div className="library-actions">
          <button type="button" className="secondary" onClick={() => void runImport()} disabled={busy === 'import'}>
            {busy === 'import' ? 'Importing…' : 'Import report…'}
          </button>
          <button type="button" className="primary" onClick={() => void startCompare()} disabled={liveSelected.length !== 2 || busy === 'compare'}>
            {busy === 'compare' ? 'Opening…' : `Compare selected (${liveSelected.length}/2)`}
          </button>
        </div>
      </div>
      <p className="muted library-intro">
        Saved measurements {host.kind === 'browser' ? 'are kept in this browser’s storage' : 'are kept in the app’s data folder'}. Select two to compare them; import a report JSON exported
        from Latency Lab or the <code>latency-lab</code> command line.
      </p>

      <div aria-live="polite">
        {message && (
          <p className={message.ok ? 'status-ok library-message' : 'status-bad library-message'} role={message.ok ? 'status' : 'alert'}>
            {message.text}
          </p>
        )}
      </div>

      {confirmDelete && (
        <div className="panel confirm-panel" role="alertdialog" aria-labelledby={`${ids}-confirm-title`} aria-describedby={`${ids}-confirm-text`}>
          <h3 id={`${ids}-confirm-title`}>Delete “{confirmDelete.title || confirmDelete.id}”?</h3>
          <p id={`${ids}-confirm-text`}>{deleteExplanation}</p>
          <div className="button-row">
            <button type="button" className="danger" onClick={() => void remove(confirmDelete)} disabled={busy === `delete:${confirmDelete.id}`}>
              {host.kind === 'electron' ? 'Move to trash' : 'Delete'}
            </button>
            <button type="button" className="secondary" ref={confirmCancel} onClick={() => setConfirmDelete(null)}>
              Cancel
            </button>
          </div>
        </div>
      )}

      {compare && (
        <div ref={compareRef}>
          <ComparePanel a={compare.a} b={compare.b} onClose={() => setCompare(null)} />
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
            <button type="button" className="secondary" onClick={reload}>
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
          <div className="table-scroll">
            <table className="library-table">
              <caption className="visually-hidden">
                Saved measurements, sorted by {SORT_LABELS[sortKey].toLowerCase()} ({direction})
              </caption>
              <thead>
                <tr>
                  <th scope="col" className="select-col">
                    <span className="visually-hidden">Select for comparison</span>
                  </th>
                  {sortHeader('title')}
                  {sortHeader('date')}
                  {sortHeader('device')}
                  {sortHeader('claim')}
                  {sortHeader('result', 'num')}
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {visible.map((entry) => {
                  const isEditing = editing?.id === entry.id;
                  const isSelected = liveSelected.includes(entry.id);
                  const name = entry.title || entry.id;
                  return (
                    <tr key={entry.id} className={isSelected ? 'selected' : undefined}>
                      <td className="select-col">
                        <input type="checkbox" checked={isSelected} onChange={(e) => toggleSelected(entry.id, e.target.checked)} aria-label={`Select “${name}” for comparison`} />
                      </td>
                      <td className="title-col">
                        {isEditing && editing ? (
                          <form className="rename-form" onSubmit={(e) => void saveRename(e)} noValidate>
                            <input
                              type="text"
                              value={editing.title}
                              aria-label={`New title for “${name}”`}
                              aria-invalid={editing.error !== null}
                              aria-describedby={editing.error ? `${ids}-rename-error` : undefined}
                              maxLength={MAX_TITLE + 50}
                              autoFocus
                              onKeyDown={cancelOnEscape}
                              onChange={(e) => setEditing({ ...editing, title: e.target.value, error: null })}
                            />
                            <button type="submit" className="primary small" disabled={busy === `rename:${entry.id}`}>
                              Save
                            </button>
                            <button type="button" className="secondary small" onClick={() => setEditing(null)}>
                              Cancel
                            </button>
                            {editing.error && (
                              <p id={`${ids}-rename-error`} className="status-bad field-error" role="alert">
                                {editing.error}
                              </p>
                            )}
                          </form>
                        ) : (
                          <>
                            <span className="entry-title">{entry.title || <span className="muted">Untitled</span>}</span>
                            <span className="entry-sub muted">
                              {signalLabel(entry.signalKind)}
                              {entry.setupDescription ? ` · ${entry.setupDescription}` : ''}
                              {entry.hasAudio ? '' : ' · no audio'}
                            </span>
                          </>
                        )}
                      </td>
                      <td className="nowrap">{formatDateTime(entry.createdAt)}</td>
                      <td>
                        {entry.outputDevice ?? <span className="muted">—</span>}
                        {entry.inputDevice && <span className="entry-sub muted">mic: {entry.inputDevice}</span>}
                      </td>
                      <td>{entry.claimName ?? <span className="muted">none</span>}</td>
                      <td className="num">
                        {entry.status === 'refused' || entry.medianMs === null ? (
                          <span className="status-bad">refused</span>
                        ) : (
                          <>
                            <span className="result-ms">{formatMs(entry.medianMs)}</span>
                            {entry.addedMedianMs !== null && <span className="entry-sub muted">+{formatMs(entry.addedMedianMs)} added</span>}
                            {entry.confidence !== null && (
                              <span className="entry-sub muted">
                                {formatPercent(entry.confidence)} {confidenceLabel(entry.confidence)}
                              </span>
                            )}
                          </>
                        )}
                      </td>
                      <td className="actions-col">
                        <button type="button" className="secondary small" onClick={() => void open(entry)} disabled={busy === `open:${entry.id}`} aria-label={`Open “${name}”`}>
                          Open
                        </button>
                        <button
                          type="button"
                          className="secondary small"
                          onClick={() => setEditing({ id: entry.id, title: entry.title, error: null })}
                          disabled={isEditing}
                          aria-label={`Rename “${name}”`}
                        >
                          Rename
                        </button>
                        <button type="button" className="secondary small" onClick={() => setConfirmDelete(entry)} aria-label={`Delete “${name}”`}>
                          Delete
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
