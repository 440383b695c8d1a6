/** One line of the library list, built from a report: what the desktop and browser libraries list. */
import type { Report } from '../report/report-schema';

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
  /** Measured against a timing reference (an electrical loopback channel) instead of a baseline. */
  timingReference: boolean;
  /** When the latency settled (the steady state's start, s); null when stable from the start or refused. */
  startupUntilS: number | null;
  /** How many latencies an alternating path takes turns at (0 for a path that does not alternate). */
  modes: number;
}

/** The library line of a stored report. */
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
    timingReference: report.settings.mode === 'dual-channel',
    startupUntilS: a.latency?.startup?.untilS ?? null,
    modes: a.latency?.modes && a.latency.modes.length >= 2 ? a.latency.modes.length : 0,
  };
}

