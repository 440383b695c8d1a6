/**
 * Long runs: a click train for minutes, analysed while it plays. The reference is cut into
 * segments of about 10 s at silent points between clicks; once the capture covers a segment plus
 * the longest latency searched, the segment (its own reference slice and the matching capture
 * slice, a few MB) is analysed in the worker, and its events join the live chart and statistics.
 * The final report comes from one analysis of the whole capture.
 */
import type { LatencyEventOutput } from '../../shared/analysis/analyze-capture';
import { driftModel } from '../../shared/analysis/latency-series';
import { summarize } from '../../shared/primitives/statistics';

export interface Segment {
  /** [startFrame, endFrame) of the reference. */
  startFrame: number;
  endFrame: number;
}

/** Shortest stretch of exact silence a cut may be placed in. */
const MIN_SILENT_FRAMES_S = 0.04;

/**
 * Segments of about `segmentS`, each cut in the middle of the first silent stretch (|x| ≤ 1e-7
 * for at least 40 ms) after the target, so no click is split. The last segment runs to the end.
 */
export function planSegments(reference: Float32Array, sampleRate: number, segmentS = 10): Segment[] {
  const target = Math.round(segmentS * sampleRate);
  const minSilent = Math.round(MIN_SILENT_FRAMES_S * sampleRate);
  const segments: Segment[] = [];
  let start = 0;
  while (reference.length - start > target * 1.5) {
    let i = start + target;
    let cut = -1;
    while (i < reference.length) {
      if (Math.abs(reference[i]) > 1e-7) {
        i++;
        continue;
      }
      const runStart = i;
      while (i < reference.length && Math.abs(reference[i]) <= 1e-7) i++;
      if (i - runStart >= minSilent && i < reference.length) {
        cut = Math.floor((runStart + i) / 2);
        break;
      }
    }
    if (cut < 0) break;
    segments.push({ startFrame: start, endFrame: cut });
    start = cut;
  }
  segments.push({ startFrame: start, endFrame: reference.length });
  return segments;
}

/** Capture frames (from F0) that must be recorded before `segment` can be analysed. */
export const segmentReadyFrames = (segment: Segment, tailFrames: number, captureLength: number): number =>
  Math.min(captureLength, segment.endFrame + tailFrames);

/** The segment's events on the run's time axis. */
export const shiftEvents = (events: LatencyEventOutput[], segment: Segment, sampleRate: number): LatencyEventOutput[] =>
  events.map((e) => ({ ...e, timeS: e.timeS + segment.startFrame / sampleRate }));

export interface LiveStats {
  eventsTotal: number;
  count: number;
  /**
   * Median, min, max and spread of the steady state (the events after a start-up; all events of a
   * stable or alternating path), as in the final analysis; `count` counts every confident event.
   */
  medianMs: number | null;
  minMs: number | null;
  maxMs: number | null;
  /** max − min of the confident events ("variance" claims). */
  spreadMs: number | null;
  /** Slope of latency over time, ppm (positive: the latency grows); null under 3 events over 1 s. */
  driftPpm: number | null;
  /** Standard deviation around the drift line, ms. */
  jitterMs: number | null;
  /** When the steady state began, s; null when the path has been stable from the start. */
  steadyFromS: number | null;
  /** Latency changes so far (segment boundaries). */
  jumps: number;
  /** The latencies an alternating path takes turns at; empty otherwise. */
  modes: Array<{ medianMs: number; share: number; count: number }>;
  dropouts: number;
  lowConfidence: number;
  notCaptured: number;
}

/**
 * The live figures of a long run, from the same jump-aware model as the final analysis
 * (shared/analysis/latency-series.ts): drift and jitter within the steady state, never across a step.
 */
export function liveStats(events: LatencyEventOutput[]): LiveStats {
  const ok = events.filter((e) => e.status === 'ok' && e.latencyMs !== null);
  const base = {
    eventsTotal: events.length,
    count: ok.length,
    dropouts: events.filter((e) => e.status === 'dropout').length,
    lowConfidence: events.filter((e) => e.status === 'low-confidence').length,
    notCaptured: events.filter((e) => e.status === 'not-captured').length,
  };
  if (ok.length === 0) {
    return { ...base, medianMs: null, minMs: null, maxMs: null, spreadMs: null, driftPpm: null, jitterMs: null, steadyFromS: null, jumps: 0, modes: [] };
  }
  const model = driftModel(ok.map((e) => ({ timeS: e.timeS, latencyMs: e.latencyMs as number })));
  const s = summarize(model.steadyIndices.map((i) => ok[i].latencyMs as number));
  return {
    ...base,
    medianMs: s.median, minMs: s.min, maxMs: s.max, spreadMs: s.max - s.min,
    driftPpm: model.drift?.ppm ?? null,
    jitterMs: model.drift?.jitterMs ?? null,
    steadyFromS: model.startup ? model.startup.untilS : null,
    jumps: model.jumps.length,
    modes: model.modes.map((m) => ({ medianMs: m.medianMs, share: m.share, count: m.count })),
  };
}
