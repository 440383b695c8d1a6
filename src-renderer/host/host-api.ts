/**
 * What the app needs from its host, with two implementations: the Electron preload bridge
 * (electron-host.ts: files in the user-data folder, native dialogs, menus) and the browser
 * (browser-host.ts: IndexedDB library, downloads), so the same UI runs in both. Everything is
 * async and every failure is a HostError with a message fit for the user.
 */
import type { Claim } from '../../shared/claims-catalogue';
import type { Report } from '../../shared/report-schema';

/** The audio of a measurement, kept so anyone can re-run the analysis (mono, float32). */
export interface MeasurementAudio {
  sampleRate: number;
  /** The stimulus as played. */
  reference: Float32Array;
  /** The microphone, sample 0 = the moment playback of reference sample 0 started. */
  capture: Float32Array;
}

/** One line of the library list: enough to sort, search and show without loading the report. */
export interface LibraryEntry {
  id: string;
  title: string;
  /** ISO 8601. */
  createdAt: string;
  status: 'ok' | 'refused';
  /** Headline median latency (total), null when refused. */
  medianMs: number | null;
  /** Added latency over the baseline, when one was used. */
  addedMedianMs: number | null;
  confidence: number | null;
  signalKind: Report['signal']['kind'];
  inputDevice: string | null;
  outputDevice: string | null;
  setupDescription: string;
  claimId: string | null;
  claimName: string | null;
  /** Whether the capture and stimulus audio are stored with the report. */
  hasAudio: boolean;
}

export function libraryEntryOf(report: Report, hasAudio: boolean): LibraryEntry {
  const a = report.analysis;
  return {
    id: report.id,
    title: report.title,
    createdAt: report.createdAt,
    status: a.status,
    medianMs: a.latency?.medianMs ?? null,
    addedMedianMs: a.added?.medianMs ?? null,
    confidence: a.confidence ?? null,
    signalKind: report.signal.kind,
    inputDevice: report.settings.inputDevice?.label ?? null,
    outputDevice: report.settings.outputDevice?.label ?? null,
    setupDescription: report.settings.setupDescription,
    claimId: report.settings.claimId,
    claimName: report.settings.claim?.name ?? null,
    hasAudio,
  };
}

export type ExportFormat = 'json' | 'csv-frequency-response' | 'csv-events' | 'html' | 'pdf' | 'wav-capture' | 'wav-stimulus';

export interface ExportResult {
  /** False when the user cancelled (a dialog closed, a download declined). */
  saved: boolean;
  /** Where it went: a file path (desktop) or a file name (browser download). */
  location: string | null;
}

/** The computer's own round trip for one pair of devices, measured on a wired path. */
export interface StoredBaseline {
  inputDeviceLabel: string;
  outputDeviceLabel: string;
  baselineMs: number;
  confidence: number;
  /** ISO 8601. */
  measuredAt: string;
}

export interface AppSettings {
  /** The display's video latency, for the lip-sync A/V offset. */
  videoLatencyMs: number;
  customClaims: Claim[];
  baselines: StoredBaseline[];
}

export const DEFAULT_SETTINGS: AppSettings = { videoLatencyMs: 0, customClaims: [], baselines: [] };

/** Commands from the application menu (desktop) or keyboard shortcuts. */
export type MenuCommand = 'new-measurement' | 'open-report' | 'export' | 'library' | 'settings';

export class HostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HostError';
  }
}

export interface HostApi {
  readonly kind: 'electron' | 'browser';
  library: {
    list(): Promise<LibraryEntry[]>;
    /** Saves a new measurement; never overwrites another one. */
    save(report: Report, audio: MeasurementAudio | null): Promise<LibraryEntry>;
    open(id: string): Promise<{ report: Report; audio: MeasurementAudio | null }>;
    rename(id: string, title: string): Promise<LibraryEntry>;
    /** Desktop: moves the measurement's folder to the OS trash. */
    remove(id: string): Promise<void>;
    /**
     * Lets the user pick a report JSON from elsewhere, validates (and migrates) it and adds it to
     * the library under a new id. Null when the user cancelled; HostError with the reason when the
     * file is not a valid report.
     */
    importReport(): Promise<LibraryEntry | null>;
  };
  /** Exports one measurement; asks where (desktop) or downloads (browser); never overwrites silently. */
  exportMeasurement(report: Report, audio: MeasurementAudio | null, format: ExportFormat): Promise<ExportResult>;
  settings: {
    load(): Promise<AppSettings>;
    save(settings: AppSettings): Promise<void>;
  };
  /** Subscribes to menu commands; returns the unsubscribe function. The browser has none. */
  onMenuCommand(handler: (command: MenuCommand) => void): () => void;
}
