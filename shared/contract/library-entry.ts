/** One line of the library list, built from a report: what the desktop and browser libraries list. */
import { isAvReport, type StoredReport } from '../report/av-report';
import { groupView } from '../report/group-view';
import type { Report } from '../report/report-schema';
import type { ToleranceOutcome } from '../claims/multi-room';

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
  /** An audio latency measurement, or an A/V (lip-sync) measurement from a camera recording. */
  kind: 'latency' | 'av';
  /** A/V: the offset (median, positive = sound late) and its uncertainty (half-width); null otherwise or when refused. */
  avOffsetMs: number | null;
  avUncertaintyMs: number | null;
  /**
   * Several outputs or speakers measured together: how many, the largest spread between them and
   * the sync verdict against the chosen tolerance (the median above is then the whole click train's,
   * a mix of them); null for one output.
   */
  group: { kind: 'outputs' | 'speakers' | 'guided'; count: number; spreadMs: number | null; toleranceMs: number; sync: ToleranceOutcome | null } | null;
}

function groupSummary(report: Report): LibraryEntry['group'] {
  const group = report.group;
  if (!group) return null;
  const view = groupView(group);
  return { kind: group.kind, count: view.rows.length, spreadMs: view.spreadMs, toleranceMs: group.tolerance.toleranceMs, sync: group.verdicts?.tolerance.outcome ?? null };
}

/** The library line of a stored report. */
export function libraryEntryOf(stored: StoredReport, hasAudio: boolean): LibraryEntry {
  if (isAvReport(stored)) {
    const av = stored.analysis.status === 'ok' ? stored.analysis.av : undefined;
    return {
      id: stored.id,
      title: stored.title,
      createdAt: stored.createdAt,
      status: stored.analysis.status,
      medianMs: null,
      addedMedianMs: null,
      confidence: av?.confidence ?? null,
      // The pattern's sound is a click per event (no frequency response to overlay).
      signalKind: 'click',
      inputDevice: null,
      outputDevice: null,
      setupDescription: stored.settings.setupDescription,
      claimId: null,
      claimName: null,
      hasAudio: false,
      timingReference: false,
      startupUntilS: null,
      modes: 0,
      kind: 'av',
      avOffsetMs: av?.offsetMs ?? null,
      avUncertaintyMs: av?.uncertaintyMs ?? null,
      group: null,
    };
  }
  const report: Report = stored;
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
    kind: 'latency',
    avOffsetMs: null,
    avUncertaintyMs: null,
    group: groupSummary(report),
  };
}

