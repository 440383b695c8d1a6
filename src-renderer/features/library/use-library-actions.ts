/**
 * What the library page does with its entries, through the host: import a report (also on the
 * desktop menu's "Open report"), open, rename, delete and compare. One action runs at a time
 * (`busy` names it), and each ends with a message saying what happened.
 */
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import type { Report } from '../../../shared/report/report-schema';
import { HostError, type LibraryEntry } from '../../host/host-api';
import { useHost } from '../../host/host-context';
import type { OpenAvMeasurement, OpenMeasurement } from '../../navigation/open-measurement';
import { lastHandledRequest, markRequestHandled } from '../../navigation/request-memory';
import { entryName, errorText, titleProblem } from './library-text';
import type { LibraryList } from './use-library-list';

export type Message = { ok: boolean; text: string };

/** An inline rename in progress. */
export interface Editing {
  id: string;
  title: string;
  error: string | null;
}

export interface LibraryActionsOptions {
  list: LibraryList;
  importRequest: number;
  onOpen(m: OpenMeasurement): void;
  /** Opens an A/V (lip-sync) measurement on the A/V page. */
  onOpenAv(m: OpenAvMeasurement): void;
  /** Called with the id of a deleted entry. */
  onDeleted(id: string): void;
}

export function useLibraryActions({ list, importRequest, onOpen, onOpenAv, onDeleted }: LibraryActionsOptions) {
  const host = useHost();
  const { reload, replaceEntry } = list;
  const [message, setMessage] = useState<Message | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<LibraryEntry | null>(null);
  const [compare, setCompare] = useState<{ a: Report; b: Report } | null>(null);

  const runImport = useCallback(async () => {
    setBusy('import');
    setMessage(null);
    try {
      const entry = await host.library.importReport();
      if (entry) {
        setMessage({ ok: true, text: `Imported “${entryName(entry)}” as a new measurement.` });
        reload();
      }
    } catch (error) {
      // The host's message names the file and the reason ("x.json" cannot be imported: …).
      setMessage({ ok: false, text: error instanceof HostError ? error.message : `The report could not be imported: ${errorText(error)}` });
    } finally {
      setBusy(null);
    }
  }, [host, reload]);

  // The desktop menu's "Open report": start an import (once per request, even if it came while this page was closed).
  useEffect(() => {
    if (importRequest > lastHandledRequest('import')) {
      markRequestHandled('import', importRequest);
      void runImport();
    }
  }, [importRequest, runImport]);

  const open = async (entry: LibraryEntry) => {
    setBusy(`open:${entry.id}`);
    setMessage(null);
    try {
      const opened = await host.library.openAny(entry.id);
      if (opened.report.kind === 'latency-lab-av-report') onOpenAv({ report: opened.report, savedId: entry.id });
      else onOpen({ report: opened.report, audio: opened.audio, savedId: entry.id });
    } catch (error) {
      setMessage({ ok: false, text: `“${entryName(entry)}” could not be opened: ${errorText(error)}` });
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
      replaceEntry(entry);
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
      onDeleted(entry.id);
      setMessage({ ok: true, text: host.kind === 'electron' ? `“${entryName(entry)}” was moved to the trash.` : `“${entryName(entry)}” was deleted.` });
      reload();
    } catch (error) {
      setConfirmDelete(null);
      setMessage({ ok: false, text: `“${entryName(entry)}” could not be deleted: ${errorText(error)}` });
    } finally {
      setBusy(null);
    }
  };

  const startCompare = async (ids: readonly string[]) => {
    if (ids.length !== 2) return;
    const av = list.entries?.filter((e) => ids.includes(e.id) && e.kind === 'av') ?? [];
    if (av.length > 0) {
      setMessage({ ok: false, text: `“${entryName(av[0])}” is an A/V (lip-sync) measurement: Compare shows audio latency and frequency response, so it compares two audio measurements. Open the A/V measurements to see their offsets.` });
      return;
    }
    setBusy('compare');
    setMessage(null);
    try {
      const [first, second] = await Promise.all(ids.map((id) => host.library.open(id)));
      // A is the older measurement.
      const [a, b] = first.report.createdAt <= second.report.createdAt ? [first.report, second.report] : [second.report, first.report];
      setCompare({ a, b });
    } catch (error) {
      setMessage({ ok: false, text: `The measurements could not be opened for comparison: ${errorText(error)}` });
    } finally {
      setBusy(null);
    }
  };

  return {
    message,
    busy,
    editing,
    setEditing,
    confirmDelete,
    setConfirmDelete,
    compare,
    closeCompare: () => setCompare(null),
    runImport,
    open,
    saveRename,
    remove,
    startCompare,
  };
}
