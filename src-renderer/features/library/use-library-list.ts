/**
 * The library's saved measurements, loaded from the host: again when `libraryVersion` changes (a
 * measurement was saved elsewhere) or on reload(); an entry renamed here is replaced in place.
 */
import { useCallback, useEffect, useState } from 'react';
import type { LibraryEntry } from '../../host/host-api';
import { useHost } from '../../host/host-context';
import { errorText } from './library-text';

interface ListState {
  /** Which load this is the result of. */
  key: string;
  entries: LibraryEntry[] | null;
  error: string | null;
}

export interface LibraryList {
  /** Null until the first load succeeds (or after it failed). */
  entries: LibraryEntry[] | null;
  /** Why the last load failed. */
  error: string | null;
  /** A load is under way. */
  loading: boolean;
  reload(): void;
  /** Puts a changed entry (same id) in place of the listed one. */
  replaceEntry(entry: LibraryEntry): void;
}

export function useLibraryList(libraryVersion: number): LibraryList {
  const host = useHost();
  const [reloads, setReloads] = useState(0);
  const loadKey = `${libraryVersion}:${reloads}`;
  const [list, setList] = useState<ListState>({ key: '', entries: null, error: null });

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

  const reload = useCallback(() => setReloads((n) => n + 1), []);
  const replaceEntry = useCallback((entry: LibraryEntry) => {
    setList((current) => ({ ...current, entries: current.entries?.map((e) => (e.id === entry.id ? entry : e)) ?? null }));
  }, []);

  return { entries: list.entries, error: list.error, loading: list.key !== loadKey, reload, replaceEntry };
}
