/**
 * The `group` part of a report (report-schema.ts): several speakers measured together, with the
 * options used and the verdicts against the multi-room claims and the chosen sync tolerance. The
 * CLI and the app build it with these functions, so both record the same thing.
 */
import { combineGuidedRuns, type GuidedRun } from '../analysis/guided-speakers';
import { type MultiOutputAnalysis, SYNC_TOLERANCE_MS } from '../analysis/multi-output';
import type { MultiSpeakerResult } from '../analysis/multi-speaker';
import { judgeMultiRoom, outputsEvidence, speakersEvidence, type SyncSpreadEvidence, type SyncToleranceSource } from '../claims/multi-room';
import type { ReportGroup } from './report-schema';

export interface SyncTolerance {
  toleranceMs: number;
  source: SyncToleranceSource;
}

/** The two default tolerances, with where each comes from (shown wherever the choice is offered). */
export const SYNC_TOLERANCE_DEFAULTS: ReadonlyArray<{ source: Exclude<SyncToleranceSource, 'custom'>; toleranceMs: number; label: string; basis: string }> = [
  {
    source: 'stereo-pair',
    toleranceMs: SYNC_TOLERANCE_MS.stereoPair,
    label: 'Stereo pair',
    basis: 'Past a few ms the precedence (Haas) effect pulls the stereo image to the earlier speaker, and from about 10–30 ms the later one is heard as a separate sound (Haas 1951); ±10 ms keeps a pair at the lower end of that range.',
  },
  {
    source: 'rooms',
    toleranceMs: SYNC_TOLERANCE_MS.rooms,
    label: 'Across rooms',
    basis: 'A listener between rooms hears both; around 40 ms the later sound becomes an audible echo for speech and music (the upper end of the echo thresholds in Haas 1951 and Blauert, "Spatial Hearing").',
  },
];

/** A tolerance from its source; 'custom' needs `customMs` (0.1–10000 ms). Throws RangeError otherwise. */
export function syncTolerance(source: SyncToleranceSource, customMs?: number): SyncTolerance {
  if (source !== 'custom') {
    const preset = SYNC_TOLERANCE_DEFAULTS.find((d) => d.source === source);
    if (!preset) throw new RangeError(`unknown sync tolerance "${String(source)}"`);
    return { toleranceMs: preset.toleranceMs, source };
  }
  if (customMs === undefined || !Number.isFinite(customMs) || customMs < 0.1 || customMs > 10000) {
    throw new RangeError(`a custom sync tolerance must be 0.1 to 10000 ms, got ${String(customMs)}`);
  }
  return { toleranceMs: customMs, source };
}

const verdictsOf = (evidence: SyncSpreadEvidence | null, tolerance: SyncTolerance): ReportGroup['verdicts'] =>
  evidence ? judgeMultiRoom(evidence, tolerance.toleranceMs, tolerance.source) : null;

/** Several outputs in one run. `outputs` lists each reference channel with the device that played it. */
export function outputsGroup(
  result: MultiOutputAnalysis, outputs: Array<{ channel: number; device: { id?: string; label: string } | null }>, tolerance: SyncTolerance,
): ReportGroup {
  if (result.sync && result.sync.toleranceMs !== tolerance.toleranceMs) {
    throw new RangeError(`the analysis used a ±${result.sync.toleranceMs} ms tolerance, not the ±${tolerance.toleranceMs} ms recorded`);
  }
  return { kind: 'outputs', outputs, tolerance, result, verdicts: verdictsOf(outputsEvidence(result), tolerance) };
}

/** One stream on `speakers` speakers. */
export function speakersGroup(result: MultiSpeakerResult, speakers: number, tolerance: SyncTolerance): ReportGroup {
  return { kind: 'speakers', speakers, tolerance, result, verdicts: verdictsOf(speakersEvidence(result), tolerance) };
}

/** A guided measurement: one run next to each speaker, combined (combineGuidedRuns). */
export function guidedGroup(runs: GuidedRun[], speakers: number, tolerance: SyncTolerance): ReportGroup {
  const result = combineGuidedRuns(runs, speakers);
  return { kind: 'guided', speakers, tolerance, runs, result, verdicts: verdictsOf(speakersEvidence(result), tolerance) };
}
