/**
 * Pure data preparation for the charts: downsampling (so thousands of events render in a few
 * milliseconds), histogram bins, nice axis scales and log-frequency ticks.
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

export interface NiceScale {
  lo: number;
  hi: number;
  ticks: number[];
}

/** A step of 1, 2 or 5 × 10^n giving at most about `count` intervals over `span`. */
export function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const residual = raw / magnitude;
  const nice = residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10;
  return nice * magnitude;
}

/** A domain on round numbers that contains [min, max] (at least `minSpan` wide), with its ticks. */
export function niceScale(min: number, max: number, count = 5, minSpan = 1): NiceScale {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { lo: 0, hi: 1, ticks: [0, 1] };
  let a = Math.min(min, max);
  let b = Math.max(min, max);
  if (b - a < minSpan) {
    const mid = (a + b) / 2;
    a = mid - minSpan / 2;
    b = mid + minSpan / 2;
  }
  const step = niceStep(b - a, count);
  const lo = Math.floor(a / step) * step;
  const hi = Math.ceil(b / step) * step;
  const ticks: number[] = [];
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push(Number(v.toFixed(10)));
  return { lo: Number(lo.toFixed(10)), hi: Number(hi.toFixed(10)), ticks };
}

/** The largest 1, 2 or 5 × 10^n not above `value`. */
export function niceFloorStep(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const residual = value / magnitude;
  return (residual >= 5 ? 5 : residual >= 2 ? 2 : 1) * magnitude;
}

export interface HistogramBin {
  /** Bin centre, left and right edge in ms. */
  centerMs: number;
  fromMs: number;
  toMs: number;
  count: number;
}

/**
 * Histogram of latencies with a bin width from the Freedman–Diaconis rule, bounded to 4..60 bins
 * and rounded down to 1-2-5 (at least 0.01 ms).
 */
export function histogram(values: readonly number[]): HistogramBin[] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [];
  const sorted = Float64Array.from(finite).sort();
  const n = sorted.length;
  const min = sorted[0];
  const max = sorted[n - 1];
  const q = (p: number) => sorted[Math.min(n - 1, Math.max(0, Math.round(p * (n - 1))))];
  const iqr = q(0.75) - q(0.25);
  const span = max - min;
  let width = iqr > 0 ? (2 * iqr) / Math.cbrt(n) : span > 0 ? span / 10 : 0.1;
  if (span / width > 60) width = span / 60;
  if (span > 0 && span / width < 4) width = span / 4;
  width = Math.max(0.01, niceFloorStep(width));
  const start = Math.floor(min / width) * width;
  const binCount = Math.max(1, Math.floor((max - start) / width) + 1);
  const counts = new Array<number>(binCount).fill(0);
  for (const v of sorted) counts[Math.min(binCount - 1, Math.floor((v - start) / width + 1e-9))]++;
  return counts.map((count, i) => {
    const fromMs = Number((start + i * width).toFixed(10));
    const toMs = Number((start + (i + 1) * width).toFixed(10));
    return { centerMs: Number(((fromMs + toMs) / 2).toFixed(10)), fromMs, toMs, count };
  });
}

/** Decade ticks of a log-frequency axis: 20, 50, 100, 200, 500, 1k … up to `maxHz`. */
export function frequencyTicks(minHz: number, maxHz: number): number[] {
  const ticks: number[] = [];
  for (let decade = 10; decade <= 100000; decade *= 10) {
    for (const m of [1, 2, 5]) {
      const hz = m * decade;
      if (hz >= minHz && hz <= maxHz) ticks.push(hz);
    }
  }
  return ticks;
}

/** "20", "500", "1k", "2.5k", "20k". */
export function formatHz(hz: number): string {
  if (hz >= 1000) {
    const k = hz / 1000;
    return `${Number.isInteger(k) ? k : Number(k.toFixed(1))}k`;
  }
  return String(Math.round(hz));
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
