/**
 * The table of saved measurements: sortable columns, a checkbox per row to pick two for
 * comparison, the result with its confidence, and open / rename (inline) / delete per row.
 */
import { type FormEvent, type KeyboardEvent, useId } from 'react';
import { formatOffset } from '../../../shared/report/av-report';
import { signalLabel } from '../../../shared/report/labels';
import type { LibraryEntry } from '../../host/host-api';
import { confidenceLabel, formatDateTime, formatMs, formatPercent } from '../../ui/format/format';
import { SORT_LABELS, type SortDirection, type SortKey } from './library-model';
import { entryName, MAX_TITLE } from './library-text';
import type { Editing } from './use-library-actions';

export interface LibraryTableProps {
  entries: readonly LibraryEntry[];
  sortKey: SortKey;
  direction: SortDirection;
  onSort(key: SortKey): void;
  selected: readonly string[];
  onSelect(id: string, checked: boolean): void;
  editing: Editing | null;
  onEdit(editing: Editing | null): void;
  onSaveRename(event: FormEvent): void;
  /** The action running now, e.g. `open:ID`. */
  busy: string | null;
  onOpen(entry: LibraryEntry): void;
  onDelete(entry: LibraryEntry): void;
}

export function LibraryTable(props: LibraryTableProps) {
  const { entries, sortKey, direction, onSort, selected, onSelect, editing, onEdit, onSaveRename, busy, onOpen, onDelete } = props;

  const sortHeader = (key: SortKey, className?: string) => (
    <th scope="col" aria-sort={sortKey === key ? direction : 'none'} className={className}>
      <button type="button" className="sort-button" onClick={() => onSort(key)}>
        {SORT_LABELS[key]}
        <span aria-hidden="true" className="sort-indicator">
          {sortKey === key ? (direction === 'ascending' ? '▲' : '▼') : ''}
        </span>
      </button>
    </th>
  );

  return (
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
          {entries.map((entry) => (
            <LibraryRow
              key={entry.id}
              entry={entry}
              selected={selected.includes(entry.id)}
              onSelect={(checked) => onSelect(entry.id, checked)}
              editing={editing?.id === entry.id ? editing : null}
              onEdit={onEdit}
              onSaveRename={onSaveRename}
              busy={busy}
              onOpen={() => onOpen(entry)}
              onDelete={() => onDelete(entry)}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface LibraryRowProps {
  entry: LibraryEntry;
  selected: boolean;
  onSelect(checked: boolean): void;
  /** The rename in progress for this entry, if any. */
  editing: Editing | null;
  onEdit(editing: Editing | null): void;
  onSaveRename(event: FormEvent): void;
  busy: string | null;
  onOpen(): void;
  onDelete(): void;
}

/** An A/V measurement's result: the offset with its uncertainty (never one without the other). */
function AvResultCell({ entry }: { entry: LibraryEntry }) {
  if (entry.status === 'refused' || entry.avOffsetMs === null || entry.avUncertaintyMs === null) return <span className="status-bad">refused</span>;
  return (
    <>
      <span className="result-ms">
        {formatOffset(entry.avOffsetMs)} ± {entry.avUncertaintyMs.toFixed(1)} ms
      </span>
      <span className="entry-sub muted">A/V offset, {entry.avOffsetMs > 0 ? 'sound late' : entry.avOffsetMs < 0 ? 'sound early' : 'in sync'}</span>
    </>
  );
}

const GROUP_NOUN: Record<NonNullable<LibraryEntry['group']>['kind'], string> = { outputs: 'outputs', speakers: 'speakers', guided: 'speakers (guided)' };
const SYNC_TEXT = { within: 'in sync', beyond: 'out of sync', inconclusive: 'sync inconclusive' } as const;

/** Several outputs or speakers: the spread between them and the sync verdict, not a mixed median. */
function GroupResultCell({ group }: { group: NonNullable<LibraryEntry['group']> }) {
  return (
    <>
      {group.spreadMs === null ? <span className="status-bad">no spread</span> : <span className="result-ms">spread {formatMs(group.spreadMs)}</span>}
      <span className="entry-sub muted">
        {group.count} {GROUP_NOUN[group.kind]}
        {group.sync ? ` · ${SYNC_TEXT[group.sync]} (±${group.toleranceMs.toFixed(0)} ms)` : ''}
      </span>
    </>
  );
}

function LibraryRow({ entry, selected, onSelect, editing, onEdit, onSaveRename, busy, onOpen, onDelete }: LibraryRowProps) {
  const name = entryName(entry);
  return (
    <tr className={selected ? 'selected' : undefined}>
      <td className="select-col">
        <input type="checkbox" checked={selected} onChange={(e) => onSelect(e.target.checked)} aria-label={`Select “${name}” for comparison`} />
      </td>
      <td className="title-col">
        {editing ? (
          <RenameForm name={name} editing={editing} onEdit={onEdit} onSubmit={onSaveRename} saving={busy === `rename:${entry.id}`} />
        ) : (
          <>
            <span className="entry-title">{entry.title || <span className="muted">Untitled</span>}</span>
            <span className="entry-sub muted">
              {entry.kind === 'av' ? 'A/V (lip sync) · camera recording' : signalLabel(entry.signalKind)}
              {entry.setupDescription ? ` · ${entry.setupDescription}` : ''}
              {entry.hasAudio || entry.kind === 'av' ? '' : ' · no audio'}
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
        {entry.kind === 'av' ? (
          <AvResultCell entry={entry} />
        ) : entry.group ? (
          <GroupResultCell group={entry.group} />
        ) : entry.status === 'refused' || entry.medianMs === null ? (
          <span className="status-bad">refused</span>
        ) : (
          <>
            {entry.addedMedianMs !== null ? (
              <>
                <span className="result-ms">{formatMs(entry.addedMedianMs)} added</span>
                <span className="entry-sub muted">total {formatMs(entry.medianMs)}</span>
              </>
            ) : (
              <span className="result-ms">{formatMs(entry.medianMs)}</span>
            )}
            {entry.timingReference && <span className="entry-sub muted">after the timing reference</span>}
            {entry.startupUntilS !== null && <span className="entry-sub muted">settled after {entry.startupUntilS.toFixed(1)} s</span>}
            {entry.modes >= 2 && <span className="entry-sub status-warn">alternates between {entry.modes} latencies</span>}
            {entry.confidence !== null && (
              <span className="entry-sub muted">
                {formatPercent(entry.confidence)} {confidenceLabel(entry.confidence)}
              </span>
            )}
          </>
        )}
      </td>
      <td className="actions-col">
        <button type="button" className="secondary small" onClick={onOpen} disabled={busy === `open:${entry.id}`} aria-label={`Open “${name}”`}>
          Open
        </button>
        <button type="button" className="secondary small" onClick={() => onEdit({ id: entry.id, title: entry.title, error: null })} disabled={editing !== null} aria-label={`Rename “${name}”`}>
          Rename
        </button>
        <button type="button" className="secondary small" onClick={onDelete} aria-label={`Delete “${name}”`}>
          Delete
        </button>
      </td>
    </tr>
  );
}

/** The inline rename: Enter saves, Escape or Cancel leaves the title as it was. */
function RenameForm({ name, editing, onEdit, onSubmit, saving }: { name: string; editing: Editing; onEdit(editing: Editing | null): void; onSubmit(event: FormEvent): void; saving: boolean }) {
  const ids = useId();
  const cancelOnEscape = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onEdit(null);
    }
  };
  return (
    <form className="rename-form" onSubmit={onSubmit} noValidate>
      <input
        type="text"
        value={editing.title}
        aria-label={`New title for “${name}”`}
        aria-invalid={editing.error !== null}
        aria-describedby={editing.error ? `${ids}-rename-error` : undefined}
        maxLength={MAX_TITLE + 50}
        autoFocus
        onKeyDown={cancelOnEscape}
        onChange={(e) => onEdit({ ...editing, title: e.target.value, error: null })}
      />
      <button type="submit" className="primary small" disabled={saving}>
        Save
      </button>
      <button type="button" className="secondary small" onClick={() => onEdit(null)}>
        Cancel
      </button>
      {editing.error && (
        <p id={`${ids}-rename-error`} className="status-bad field-error" role="alert">
          {editing.error}
        </p>
      )}
    </form>
  );
}
