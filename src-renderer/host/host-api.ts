/**
 * What the app needs from its host, with two implementations: the Electron preload bridge
 * (electron-host.ts: files in the user-data folder, native dialogs, menus) and the browser
 * (browser-host.ts: IndexedDB library, downloads), so the same UI runs in both. Everything is
 * async and every failure is a HostError with a message fit for the user.
 */
import { type AppSettingsData, type CameraOffsetData, DEFAULT_APP_SETTINGS, type StoredBaselineData } from '../../shared/contract/ipc-contract';
import type { ExportFormat } from '../../shared/report/export-file';
import type { LibraryEntry } from '../../shared/contract/library-entry';
import type { AvReport, StoredReport } from '../../shared/report/av-report';
import type { Report } from '../../shared/report/report-schema';

/** The audio of a measurement, kept so anyone can re-run the analysis (mono, float32). */
export interface MeasurementAudio {
  sampleRate: number;
  /** The stimulus as played. */
  reference: Float32Array;
  /** The microphone, sample 0 = the moment playback of reference sample 0 started. */
  capture: Float32Array;
}

export type { LibraryEntry } from '../../shared/contract/library-entry';
export { libraryEntryOf } from '../../shared/contract/library-entry';
export type { ExportFormat } from '../../shared/report/export-file';

export interface ExportResult {
  /** False when the user cancelled (a dialog closed, a download declined). */
  saved: boolean;
  /** Where it went: a file path (desktop) or a file name (browser download). */
  location: string | null;
}

/**
 * The computer's own round trip for one pair of devices, measured on a wired path; and the app's
 * settings (the display's video latency, custom claims, baselines). Both are defined once, by the
 * zod schemas of the IPC contract, which the desktop's main process and the browser host validate with.
 */
export type StoredBaseline = StoredBaselineData;
export type CameraOffset = CameraOffsetData;
export type AppSettings = AppSettingsData;

export const DEFAULT_SETTINGS: AppSettings = DEFAULT_APP_SETTINGS;

/** Commands from the application menu (desktop) or keyboard shortcuts. */
export type MenuCommand = 'new-measurement' | 'open-report' | 'export' | 'library' | 'settings';

export class HostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HostError';
  }
}

/** A stored measurement of either kind: an audio report with its audio (when kept), or an A/V report. */
export type OpenedStored = { report: Report; audio: MeasurementAudio | null } | { report: AvReport; audio: null };

export interface HostApi {
  readonly kind: 'electron' | 'browser';
  library: {
    list(): Promise<LibraryEntry[]>;
    /** Saves a new measurement (an A/V report keeps no audio: pass null); never overwrites another one. */
    save(report: StoredReport, audio: MeasurementAudio | null): Promise<LibraryEntry>;
    /** Opens an audio measurement; an A/V measurement is refused (HostError) with where to open it. */
    open(id: string): Promise<{ report: Report; audio: MeasurementAudio | null }>;
    /** Opens a measurement of either kind. */
    openAny(id: string): Promise<OpenedStored>;
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
  exportMeasurement(report: StoredReport, audio: MeasurementAudio | null, format: ExportFormat): Promise<ExportResult>;
  settings: {
    load(): Promise<AppSettings>;
    save(settings: AppSettings): Promise<void>;
  };
  /** Subscribes to menu commands; returns the unsubscribe function. The browser has none. */
  onMenuCommand(handler: (command: MenuCommand) => void): () => void;
}

/** An opened measurement that is an audio measurement, or the HostError saying it is an A/V one. */
export function notAvReport(opened: OpenedStored): { report: Report; audio: MeasurementAudio | null } {
  if (opened.report.kind === 'latency-lab-av-report') {
    throw new HostError(`"${opened.report.title}" is an A/V (lip-sync) measurement, not an audio one: open it from the library to see it on the A/V page.`);
  }
  return opened as { report: Report; audio: MeasurementAudio | null };
}
