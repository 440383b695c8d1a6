/**
 * Pure data preparation for the app's charts: downsampling (so thousands of events render in a few
 * milliseconds) and thinning of lines. Axis scales, the histogram and frequency ticks are in
 * shared/report/chart-math.ts, shared with the HTML report.
 */
import type { LatencyEventOutput } from '../../../shared/analysis/analyze-capture';

export interface TimePoint {
  timeS: number;
  latencyMs: number;
}

export interface LatencySeries {
  /** Confident events (status ok). */
  ok: TimePoint[];
  /** Events with a latency but left out of the statistics. */
  lowConfidence: TimePoint[];
  /** Dropouts and events the capture did not reach: time only. */
  lost: number[];
  /** Events in the input, and points kept. */
  total: number;
  shown: number;
  downsampled: boolean;
}

/** Time slices of the downsampled view; each keeps its lowest and highest confident latency. */
export const TIME_SLICES = 240;
/** Up to this many events are drawn one by one. */
export const MAX_DIRECT_EVENTS = 600;

/**
 * The events as chart series. Up to MAX_DIRECT_EVENTS every event is kept; above, the run is cut
 * into TIME_SLICES slices of equal time and each slice keeps the lowest and highest confident
 * latency (so outliers and jumps stay visible), one low-confidence event and one lost-event mark.
 */
export function latencySeries(events: readonly LatencyEventOutput[], slices = TIME_SLICES, maxDirect = MAX_DIRECT_EVENTS): LatencySeries {
  const total = events.length;
  if (total <= maxDirect) {
    const ok: TimePoint[] = [];
    const lowConfidence: TimePoint[] = [];
    const lost: number[] = [];
    for (const e of events) {
      if (e.latencyMs === null || e.status === 'dropout' || e.status === 'not-captured') lost.push(e.timeS);
      else if (e.status === 'ok') ok.push({ timeS: e.timeS, latencyMs: e.latencyMs });
      else lowConfidence.push({ timeS: e.timeS, latencyMs: e.latencyMs });
    }
    return { ok, lowConfidence, lost, total, shown: total, downsampled: false };
  }
  let t0 = Infinity;
  let t1 = -Infinity;
  for (const e of events) {
    if (e.timeS < t0) t0 = e.timeS;
    if (e.timeS > t1) t1 = e.timeS;
  }
  const span = t1 - t0 || 1;
  const minOk: (LatencyEventOutput | undefined)[] = new Array(slices);
  const maxOk: (LatencyEventOutput | undefined)[] = new Array(slices);
  const low: (LatencyEventOutput | undefined)[] = new Array(slices);
  const lostIn: (number | undefined)[] = new Array(slices);
  for (const e of events) {
    const k = Math.min(slices - 1, Math.floor(((e.timeS - t0) / span) * slices));
    if (e.latencyMs === null || e.status === 'dropout' || e.status === 'not-captured') {
      lostIn[k] ??= e.timeS;
    } else if (e.status === 'ok') {
      const lo = minOk[k];
      const hi = maxOk[k];
      if (!lo || e.latencyMs < (lo.latencyMs as number)) minOk[k] = e;
      if (!hi || e.latencyMs > (hi.latencyMs as number)) maxOk[k] = e;
    } else {
      low[k] ??= e;
    }
  }
  const ok: TimePoint[] = [];
  const lowConfidence: TimePoint[] = [];
  const lost: number[] = [];
  for (let k = 0; k < slices; k++) {
    const lo = minOk[k];
    const hi = maxOk[k];
    if (lo && hi) {
      const [first, second] = lo.timeS <= hi.timeS ? [lo, hi] : [hi, lo];
      ok.push({ timeS: first.timeS, latencyMs: first.latencyMs as number });
      if (second !== first) ok.push({ timeS: second.timeS, latencyMs: second.latencyMs as number });
    }
    const l = low[k];
    if (l) lowConfidence.push({ timeS: l.timeS, latencyMs: l.latencyMs as number });
    const d = lostIn[k];
    if (d !== undefined) lost.push(d);
  }
  return { ok, lowConfidence, lost, total, shown: ok.length + lowConfidence.length + lost.length, downsampled: true };
}

/** Evenly thins a line to at most `max` points, keeping in each stretch the point of largest |y|. */
export function thinLine<T>(points: readonly T[], max: number, magnitude: (p: T) => number): T[] {
  if (points.length <= max) return points.slice();
  const out: T[] = [];
  const per = points.length / max;
  for (let k = 0; k < max; k++) {
    const from = Math.floor(k * per);
    const to = Math.min(points.length, Math.floor((k + 1) * per));
    let best = points[from];
    for (let i = from + 1; i < to; i++) if (Math.abs(magnitude(points[i])) > Math.abs(magnitude(best))) best = points[i];
    out.push(best);
  }
  return out;
}

/**
 * Thins points on a log-frequency axis to at most `perOctave` per octave: a point is kept when it
 * lies at least 1/perOctave octave above the last one kept (the last point is always kept).
 */
export function thinPerOctave<T extends { hz: number }>(points: readonly T[], perOctave: number): T[] {
  if (points.length <= 2) return points.slice();
  const step = 1 / perOctave - 1e-9;
  const out: T[] = [points[0]];
  let last = Math.log2(points[0].hz);
  for (let i = 1; i < points.length - 1; i++) {
    const l = Math.log2(points[i].hz);
    if (l - last >= step) {
      out.push(points[i]);
      last = l;
    }
  }
  out.push(points[points.length - 1]);
  return out;
}
