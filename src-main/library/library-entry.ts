/** One line of the library list, built from a stored report (the same fields the renderer shows). */
import type { LibraryEntryData } from '../../shared/ipc-contract';
import type { Report } from '../../shared/report-schema';

export function libraryEntryOf(report: Report, hasAudio: boolean): LibraryEntryData {
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
