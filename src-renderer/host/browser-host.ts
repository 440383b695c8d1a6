/**
 * The host for a plain browser (`npm run web`): the library lives in IndexedDB, exports are
 * downloads, PDF goes through the print dialog, settings live in localStorage.
 *
 * IndexedDB layout (database "latency-lab", version 1), all keyed by the measurement id:
 *   entries  LibraryEntry                       — the list, without loading whole reports
 *   reports  { id, report }                      — the report as a plain JSON object
 *   audio    { id, sampleRate, reference, capture } — Float32Arrays (structured clone)
 * Every write touches all three stores in one transaction, so a failure leaves nothing half-saved.
 */
import { claimSchema, type Claim } from '../../shared/claims/claims-catalogue';
import { appSettingsSchema, IPC_LIMITS, libraryEntrySchema, storedBaselineSchema } from '../../shared/contract/ipc-contract';
import { ReportExportError } from '../../shared/report/report-csv';
import { type ExportContent, renderExport } from '../../shared/report/export-renderer';
import { parseReport, parseReportText, type Report, ReportError } from '../../shared/report/report-schema';
import {
  type AppSettings,
  DEFAULT_SETTINGS,
  type ExportFormat,
  type ExportResult,
  type HostApi,
  HostError,
  type LibraryEntry,
  libraryEntryOf,
  type MeasurementAudio,
  type StoredBaseline,
} from './host-api';
import { EXPORT_FILES, exportFileName } from '../../shared/report/export-file';

export { exportFileName, titleSlug } from '../../shared/report/export-file';

export interface BrowserHostOptions {
  /** The IndexedDB factory; default `globalThis.indexedDB`. Tests pass fake-indexeddb's. */
  indexedDB?: IDBFactory;
  /** Hands a finished file to the user; default: an `<a download>` click. */
  download?: (blob: Blob, fileName: string) => void;
}

export const DB_NAME = 'latency-lab';
const DB_VERSION = 1;
const ENTRIES = 'entries';
const REPORTS = 'reports';
const AUDIO = 'audio';
export const SETTINGS_KEY = 'latency-lab.settings';
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

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function storageError(action: string, error: unknown): HostError {
  if (error instanceof HostError) return error;
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'QuotaExceededError') return new HostError(`${action}: the browser's storage for this site is full. Delete measurements you no longer need, or export and remove them.`);
  return new HostError(`${action}: the browser's storage failed (${messageOf(error)}).`);
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

// ---------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------

const isStoredBaseline = (value: unknown): value is StoredBaseline => storedBaselineSchema.safeParse(value).success;

/**
 * Settings from stored data: each part validated on its own, so one bad custom profile or
 * baseline is dropped rather than losing everything; anything unusable falls back to defaults.
 */
export function sanitizeSettings(data: unknown): AppSettings {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return structuredCloneSettings(DEFAULT_SETTINGS);
  const d = data as Record<string, unknown>;
  const video = appSettingsSchema.shape.videoLatencyMs.safeParse(d.videoLatencyMs);
  const videoLatencyMs = video.success ? video.data : DEFAULT_SETTINGS.videoLatencyMs;
  const customClaims: Claim[] = [];
  const ids = new Set<string>();
  if (Array.isArray(d.customClaims)) {
    for (const item of d.customClaims) {
      const parsed = claimSchema.safeParse(item);
      if (parsed.success && parsed.data.kind === 'custom' && !ids.has(parsed.data.id) && customClaims.length < IPC_LIMITS.customClaims) {
        ids.add(parsed.data.id);
        customClaims.push(parsed.data);
      }
    }
  }
  const baselines = Array.isArray(d.baselines) ? d.baselines.filter(isStoredBaseline).slice(-IPC_LIMITS.baselines).map((b) => ({ ...b })) : [];
  return { videoLatencyMs, customClaims, baselines };
}

function structuredCloneSettings(s: AppSettings): AppSettings {
  return { videoLatencyMs: s.videoLatencyMs, customClaims: [...s.customClaims], baselines: [...s.baselines] };
}

function localStorageOrNull(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // access denied (e.g. storage disabled for the site)
  }
}

// ---------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------

function defaultDownload(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started once click() returns; keep the URL a moment for slow browsers.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

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

let printFrame: HTMLIFrameElement | null = null;

/** Opens the report in a hidden frame and calls its print(): the user picks "Save as PDF". */
function printHtml(html: string): Promise<void> {
  return new Promise((resolve, reject) => {
    printFrame?.remove();
    const frame = document.createElement('iframe');
    printFrame = frame;
    frame.title = 'Report for printing';
    frame.setAttribute('aria-hidden', 'true');
    frame.tabIndex = -1;
    // The report is static HTML: no scripts run in the frame, and it cannot navigate this page. Same
    // origin so this page can call its print(); modals for the print dialog.
    frame.setAttribute('sandbox', 'allow-same-origin allow-modals');
    Object.assign(frame.style, { position: 'fixed', right: '0', bottom: '0', width: '0', height: '0', border: '0', visibility: 'hidden' });
    frame.addEventListener(
      'load',
      () => {
        const win = frame.contentWindow;
        if (!win) {
          reject(new HostError('The report could not be prepared for printing.'));
          return;
        }
        win.addEventListener('afterprint', () => {
          if (printFrame === frame) printFrame = null;
          frame.remove();
        });
        try {
          win.focus();
          win.print();
          resolve();
        } catch (error) {
          reject(new HostError(`The print dialog could not be opened (${messageOf(error)}).`));
        }
      },
      { once: true },
    );
    frame.srcdoc = html;
    document.body.append(frame);
  });
}

function exportError(error: unknown): HostError {
  if (error instanceof HostError) return error;
  if (error instanceof ReportExportError) return new HostError(`This measurement cannot be exported in that form: ${error.message}.`);
  return new HostError(`The export failed: ${messageOf(error)}.`);
}

// ---------------------------------------------------------------------------------------------
// The host
// ---------------------------------------------------------------------------------------------

export function createBrowserHost(options: BrowserHostOptions = {}): HostApi {
  const factory = options.indexedDB ?? globalThis.indexedDB;
  const download = options.download ?? defaultDownload;
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
  const store = async (report: Report, audio: MeasurementAudio | null, action: string): Promise<LibraryEntry> => {
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

  const library: HostApi['library'] = {
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
            listed.push(libraryEntryOf(parseReport(reportById.get(id)), audioKeys.includes(id)));
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
      let valid: Report;
      try {
        valid = parseReport(report);
      } catch (error) {
        throw new HostError(`The measurement cannot be saved: ${messageOf(error)}.`);
      }
      if (audio) checkAudio(audio);
      // Never overwrite: a report whose id is already in the library is stored under a new id.
      if (await exists(valid.id)) valid = { ...valid, id: await freshId() };
      return store(valid, audio, 'The measurement could not be saved');
    },

    async open(id) {
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
      let report: Report;
      try {
        report = parseReport(reportRecord.report);
      } catch (error) {
        const reason = error instanceof ReportError ? error.message : messageOf(error);
        throw new HostError(`The stored measurement "${id}" is damaged and cannot be opened: ${reason}.`);
      }
      if (audioRecord !== undefined && !isAudioRecord(audioRecord)) {
        throw new HostError(`The stored audio of measurement "${id}" is damaged; delete the measurement, or export its report and import it again.`);
      }
      const audio = audioRecord === undefined ? null : { sampleRate: audioRecord.sampleRate, reference: asFloat32Array(audioRecord.reference), capture: asFloat32Array(audioRecord.capture) };
      return { report, audio };
    },

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
      let report: Report;
      try {
        report = parseReportText(text);
      } catch (error) {
        throw new HostError(`"${file.name}" cannot be imported: ${messageOf(error)}.`);
      }
      // Always a new id: an imported report never replaces one already in the library.
      return store({ ...report, id: await freshId() }, null, `"${file.name}" could not be imported`);
    },
  };

  async function exportMeasurement(report: Report, audio: MeasurementAudio | null, format: ExportFormat): Promise<ExportResult> {
    const fileName = exportFileName(report, format);
    let rendered: ExportContent;
    try {
      rendered = renderExport(report, audio, format);
      if (rendered.kind === 'print') {
        await printHtml(rendered.html);
        return { saved: true, location: null };
      }
    } catch (error) {
      throw exportError(error);
    }
    const { content } = rendered;
    const part: BlobPart = typeof content === 'string' || content.buffer instanceof ArrayBuffer ? (content as string | Uint8Array<ArrayBuffer>) : content.slice();
    try {
      download(new Blob([part], { type: EXPORT_FILES[format].mime }), fileName);
    } catch (error) {
      throw new HostError(`The download of ${fileName} failed: ${messageOf(error)}.`);
    }
    return { saved: true, location: fileName };
  }

  const settings: HostApi['settings'] = {
    async load() {
      const storage = localStorageOrNull();
      const text = storage?.getItem(SETTINGS_KEY) ?? null;
      if (text === null) return structuredCloneSettings(DEFAULT_SETTINGS);
      try {
        return sanitizeSettings(JSON.parse(text));
      } catch {
        return structuredCloneSettings(DEFAULT_SETTINGS);
      }
    },
    async save(next) {
      const storage = localStorageOrNull();
      if (!storage) throw new HostError('This browser does not allow this site to store settings (site data is blocked).');
      const clean = sanitizeSettings(next);
      try {
        storage.setItem(SETTINGS_KEY, JSON.stringify(clean));
      } catch (error) {
        throw storageError('The settings could not be saved', error);
      }
    },
  };

  return {
    kind: 'browser',
    library,
    exportMeasurement,
    settings,
    onMenuCommand: () => () => undefined,
  };
}
