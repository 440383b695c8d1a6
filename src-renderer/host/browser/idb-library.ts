/**
 * The browser host's library in IndexedDB (database "latency-lab", version 1), all keyed by the
 * measurement id:
 *   entries  LibraryEntry                       — the list, without loading whole reports
 *   reports  { id, report }                      — the report (audio or A/V) as a plain JSON object
 *   audio    { id, sampleRate, reference, capture } — Float32Arrays (structured clone)
 * Every write touches all three stores in one transaction, so a failure leaves nothing half-saved.
 */
import { IPC_LIMITS, libraryEntrySchema } from '../../../shared/contract/ipc-contract';
import { parseStoredReport, parseStoredReportText, type StoredReport } from '../../../shared/report/av-report';
import { ReportError } from '../../../shared/report/report-schema';
import { type HostApi, HostError, type LibraryEntry, libraryEntryOf, type MeasurementAudio, notAvReport, type OpenedStored } from '../host-api';
import { messageOf, storageError } from './browser-errors';

export const DB_NAME = 'latency-lab';
const DB_VERSION = 1;
const ENTRIES = 'entries';
const REPORTS = 'reports';
const AUDIO = 'audio';
/** Longest title a report allows: the contract's limit, the same as the desktop's. */
export const MAX_TITLE_LENGTH = IPC_LIMITS.titleChars;
/** A report file larger than this is not a report: the same limit as the desktop's import. */
const MAX_IMPORT_BYTES = IPC_LIMITS.reportJsonBytes;

interface ReportRecord {
  id: string;
  report: unknown;
}

interface AudioRecord {
  id: string;
  sampleRate: number;
  reference: Float32Array;
  capture: Float32Array;
}

// ---------------------------------------------------------------------------------------------
// IndexedDB helpers
// ---------------------------------------------------------------------------------------------

function requestResult<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

function transactionDone(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

function openDatabase(factory: IDBFactory): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    let request: IDBOpenDBRequest;
    try {
      request = factory.open(DB_NAME, DB_VERSION);
    } catch (error) {
      reject(error);
      return;
    }
    request.onupgradeneeded = () => {
      const db = request.result;
      for (const name of [ENTRIES, REPORTS, AUDIO]) if (!db.objectStoreNames.contains(name)) db.createObjectStore(name, { keyPath: 'id' });
    };
    request.onsuccess = () => {
      const db = request.result;
      // Another tab upgrading the database: let it, and reopen next time.
      db.onversionchange = () => db.close();
      resolve(db);
    };
    request.onerror = () => reject(request.error ?? new Error('the database could not be opened'));
    request.onblocked = () => reject(new Error('the database is blocked by another Latency Lab tab; close the other tabs and try again'));
  });
}

// ---------------------------------------------------------------------------------------------
// Ids, names, validation
// ---------------------------------------------------------------------------------------------

/** A new report id (matches the report schema's 6–64 letters, digits, - or _). */
export function newReportId(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const bytes = new Uint8Array(16);
  if (c && typeof c.getRandomValues === 'function') c.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Trims and checks a library title: 1–200 characters. Returns the title or throws HostError. */
export function validateTitle(title: string): string {
  const trimmed = title.trim();
  if (trimmed.length === 0) throw new HostError('The title must not be empty.');
  if (trimmed.length > MAX_TITLE_LENGTH) throw new HostError(`The title must be at most ${MAX_TITLE_LENGTH} characters (it has ${trimmed.length}).`);
  return trimmed;
}

/** A Float32Array, possibly from another realm (structured clone in some IndexedDB implementations). */
const isFloat32Array = (value: unknown): boolean => ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === '[object Float32Array]';

/** This realm's Float32Array over the same samples. */
const asFloat32Array = (value: Float32Array): Float32Array => (value instanceof Float32Array ? value : new Float32Array(value));

function isAudioRecord(value: unknown): value is AudioRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return typeof r.sampleRate === 'number' && Number.isFinite(r.sampleRate) && r.sampleRate > 0 && isFloat32Array(r.reference) && isFloat32Array(r.capture);
}

function checkAudio(audio: MeasurementAudio): void {
  if (!(Number.isFinite(audio.sampleRate) && audio.sampleRate > 0)) throw new HostError(`The audio's sample rate (${audio.sampleRate}) is invalid.`);
  if (!isFloat32Array(audio.reference) || !isFloat32Array(audio.capture)) throw new HostError('The audio must be Float32Array samples.');
}

const isLibraryEntry = (value: unknown): value is LibraryEntry => libraryEntrySchema.safeParse(value).success;

/** Lets the user pick one report file; null when the picker is cancelled. */
function pickReportFile(): Promise<File | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = '.json,application/json';
    input.style.display = 'none';
    const finish = (file: File | null) => {
      input.remove();
      resolve(file);
    };
    input.addEventListener('change', () => finish(input.files?.[0] ?? null), { once: true });
    input.addEventListener('cancel', () => finish(null), { once: true });
    document.body.append(input);
    input.click();
  });
}

function readFileText(file: File): Promise<string> {
  if (typeof file.text === 'function') return file.text();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    reader.readAsText(file);
  });
}

/** The library, in the IndexedDB of `factory` (none: this browser has no IndexedDB). */
export function createIdbLibrary(factory: IDBFactory | undefined): HostApi['library'] {
  let dbPromise: Promise<IDBDatabase> | null = null;

  const db = (): Promise<IDBDatabase> => {
    if (!factory) return Promise.reject(new HostError('This browser has no IndexedDB storage, so the library is unavailable (a private window may disable it).'));
    dbPromise ??= openDatabase(factory).catch((error: unknown) => {
      dbPromise = null;
      throw storageError('The library could not be opened', error);
    });
    return dbPromise;
  };

  /** Stores a validated report (and audio) under report.id, refusing to overwrite. */
  const store = async (report: StoredReport, audio: MeasurementAudio | null, action: string): Promise<LibraryEntry> => {
    const database = await db();
    const entry = libraryEntryOf(report, audio !== null);
    try {
      const tx = database.transaction([ENTRIES, REPORTS, AUDIO], 'readwrite');
      const done = transactionDone(tx);
      // add(), not put(): an existing id makes the transaction fail instead of overwriting.
      tx.objectStore(ENTRIES).add(entry);
      tx.objectStore(REPORTS).add({ id: report.id, report } satisfies ReportRecord);
      if (audio) tx.objectStore(AUDIO).add({ id: report.id, sampleRate: audio.sampleRate, reference: audio.reference, capture: audio.capture } satisfies AudioRecord);
      await done;
    } catch (error) {
      throw storageError(action, error);
    }
    return entry;
  };

  const exists = async (id: string): Promise<boolean> => {
    const database = await db();
    const tx = database.transaction(ENTRIES, 'readonly');
    return (await requestResult(tx.objectStore(ENTRIES).getKey(id))) !== undefined;
  };

  /** A report id no measurement in the library has. */
  const freshId = async (): Promise<string> => {
    for (;;) {
      const id = newReportId();
      if (!(await exists(id))) return id;
    }
  };

  /** Opens a measurement of either kind. */
  async function openAny(id: string): Promise<OpenedStored> {
    const database = await db();
    let reportRecord: ReportRecord | undefined;
    let audioRecord: unknown;
    try {
      const tx = database.transaction([REPORTS, AUDIO], 'readonly');
      [reportRecord, audioRecord] = await Promise.all([
        requestResult(tx.objectStore(REPORTS).get(id)) as Promise<ReportRecord | undefined>,
        requestResult(tx.objectStore(AUDIO).get(id)),
      ]);
    } catch (error) {
      throw storageError('The measurement could not be read', error);
    }
    if (!reportRecord) throw new HostError(`There is no measurement with id "${id}" in the library (it may have been deleted in another tab).`);
    let report: StoredReport;
    try {
      report = parseStoredReport(reportRecord.report);
    } catch (error) {
      const reason = error instanceof ReportError ? error.message : messageOf(error);
      throw new HostError(`The stored measurement "${id}" is damaged and cannot be opened: ${reason}.`);
    }
    if (report.kind === 'latency-lab-av-report') return { report, audio: null };
    if (audioRecord !== undefined && !isAudioRecord(audioRecord)) {
      throw new HostError(`The stored audio of measurement "${id}" is damaged; delete the measurement, or export its report and import it again.`);
    }
    const audio = audioRecord === undefined ? null : { sampleRate: audioRecord.sampleRate, reference: asFloat32Array(audioRecord.reference), capture: asFloat32Array(audioRecord.capture) };
    return { report, audio };
  }

  return {
    async list() {
      const database = await db();
      try {
        const tx = database.transaction([ENTRIES, REPORTS, AUDIO], 'readonly');
        const [entries, reports, audioKeys] = await Promise.all([
          requestResult(tx.objectStore(ENTRIES).getAll()) as Promise<unknown[]>,
          requestResult(tx.objectStore(REPORTS).getAll()) as Promise<ReportRecord[]>,
          requestResult(tx.objectStore(AUDIO).getAllKeys()),
        ]);
        const listed: LibraryEntry[] = [];
        const reportById = new Map(reports.map((r) => [r.id, r.report]));
        for (const entry of entries) {
          if (isLibraryEntry(entry)) {
            listed.push(entry);
            continue;
          }
          // An entry this version does not recognise (an older layout): rebuilt from its report,
          // so the measurement stays reachable; a damaged report is left out of the list.
          const id = typeof entry === 'object' && entry !== null ? (entry as { id?: unknown }).id : undefined;
          if (typeof id !== 'string') continue;
          try {
            listed.push(libraryEntryOf(parseStoredReport(reportById.get(id)), audioKeys.includes(id)));
          } catch {
            // not a report this version can read: opening it would fail the same way
          }
        }
        return listed;
      } catch (error) {
        throw storageError('The library could not be read', error);
      }
    },

    async save(report, audio) {
      let valid: StoredReport;
      try {
        valid = parseStoredReport(report);
      } catch (error) {
        throw new HostError(`The measurement cannot be saved: ${messageOf(error)}.`);
      }
      if (audio && valid.kind === 'latency-lab-av-report') throw new HostError('The measurement cannot be saved: an A/V measurement keeps no audio of its own.');
      if (audio) checkAudio(audio);
      // Never overwrite: a report whose id is already in the library is stored under a new id.
      if (await exists(valid.id)) valid = { ...valid, id: await freshId() };
      return store(valid, audio, 'The measurement could not be saved');
    },

    async open(id) {
      return notAvReport(await openAny(id));
    },

    openAny,

    async rename(id, title) {
      const newTitle = validateTitle(title);
      const database = await db();
      try {
        const tx = database.transaction([ENTRIES, REPORTS], 'readwrite');
        const done = transactionDone(tx);
        const entries = tx.objectStore(ENTRIES);
        const reports = tx.objectStore(REPORTS);
        const [entry, record] = await Promise.all([
          requestResult(entries.get(id)) as Promise<LibraryEntry | undefined>,
          requestResult(reports.get(id)) as Promise<ReportRecord | undefined>,
        ]);
        if (!entry || !record) {
          tx.abort();
          await done.catch(() => undefined);
          throw new HostError(`There is no measurement with id "${id}" in the library (it may have been deleted in another tab).`);
        }
        const report = record.report && typeof record.report === 'object' ? { ...(record.report as Record<string, unknown>), title: newTitle } : record.report;
        const updated: LibraryEntry = { ...entry, title: newTitle };
        entries.put(updated);
        reports.put({ id, report } satisfies ReportRecord);
        await done;
        return updated;
      } catch (error) {
        throw storageError('The measurement could not be renamed', error);
      }
    },

    async remove(id) {
      const database = await db();
      try {
        const tx = database.transaction([ENTRIES, REPORTS, AUDIO], 'readwrite');
        const done = transactionDone(tx);
        for (const name of [ENTRIES, REPORTS, AUDIO]) tx.objectStore(name).delete(id);
        await done;
      } catch (error) {
        throw storageError('The measurement could not be deleted', error);
      }
    },

    async importReport() {
      const file = await pickReportFile();
      if (!file) return null;
      if (file.size > MAX_IMPORT_BYTES) throw new HostError(`"${file.name}" is ${(file.size / 1048576).toFixed(0)} MB, too large to be a Latency Lab report.`);
      let text: string;
      try {
        text = await readFileText(file);
      } catch (error) {
        throw new HostError(`"${file.name}" could not be read: ${messageOf(error)}.`);
      }
      let report: StoredReport;
      try {
        report = parseStoredReportText(text);
      } catch (error) {
        throw new HostError(`"${file.name}" cannot be imported: ${messageOf(error)}.`);
      }
      // Always a new id: an imported report never replaces one already in the library.
      return store({ ...report, id: await freshId() }, null, `"${file.name}" could not be imported`);
    },
  };
}
