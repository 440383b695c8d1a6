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
  };
}

