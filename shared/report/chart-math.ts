/**
 * Chart maths shared by the app's charts and the HTML report, so that an exported chart is the one
 * on screen: round axis scales and their ticks, the latency histogram, log-frequency ticks and
 * their labels. Pure functions over plain numbers.
 */
import type { LatencyEventOutput } from '../analysis/analyze-capture';
import type { ReportGroup } from './report-schema';

/** [min, max] of the values by a loop (spreading 200 000 values into Math.min overflows the stack); [Infinity, -Infinity] when empty. */
export function extent(values: Iterable<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** A step of 1, 2 or 5 × 10^n giving at most about `count` intervals over `span` (1 for an empty or invalid span). */
export function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const residual = raw / magnitude;
  const nice = residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10;
  return nice * magnitude;
}

/** The largest 1, 2 or 5 × 10^n not above `value`. */
export function niceFloorStep(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const residual = value / magnitude;
  return (residual >= 5 ? 5 : residual >= 2 ? 2 : 1) * magnitude;
}

/** Decimals needed to print multiples of `step` exactly (0.25 → 2, 0.5 → 1, 5 → 0). */
export function stepDecimals(step: number): number {
  for (let d = 0; d < 10; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return d;
  }
  return 10;
}

export interface NiceScale {
  lo: number;
  hi: number;
  ticks: number[];
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

/** Ticks on the same 1-2-5 steps as niceScale, inside a fixed domain [lo, hi] (for axes that must not grow: time from 0, lags). */
export function ticksWithin(lo: number, hi: number, count: number): { values: number[]; decimals: number } {
  const step = niceStep(hi - lo, count);
  const values: number[] = [];
  const first = Math.ceil(lo / step - 1e-9);
  for (let i = first; i * step <= hi + step * 1e-9 && values.length < 100; i++) values.push(Number((i * step).toFixed(10)));
  return { values, decimals: stepDecimals(step) };
}

/** The deepest a magnitude axis reaches below the curve's top, so deep notches do not squash the curve. */
export const MAX_DB_RANGE = 60;

/**
 * The magnitude axis of a frequency response over levels [minDb, maxDb]: at most MAX_DB_RANGE below
 * the top (deeper notches run off the bottom), 1 dB of room either side, at least 12 dB tall.
 */
export function decibelScale(minDb: number, maxDb: number): NiceScale {
  const lo = Math.max(minDb, maxDb - MAX_DB_RANGE);
  return niceScale(lo - 1, maxDb + 1, 6, 12);
}

// ---------------------------------------------------------------------------------------------
// Latency histogram
// ---------------------------------------------------------------------------------------------

/**
 * The narrowest histogram bin, 1 µs: the sub-sample latency estimate resolves about 0.0001–0.0005 ms
 * on a clean path (see the README's accuracy table), so narrower bins would only show estimator noise.
 */
export const MIN_BIN_WIDTH_MS = 0.001;
/** The bin count is kept between these (fewer when the values span less than 4 minimum-width bins). */
export const MIN_BINS = 4;
export const MAX_BINS = 60;

export interface HistogramBin {
  /** Bin centre, left and right edge in ms. */
  centerMs: number;
  fromMs: number;
  toMs: number;
  count: number;
}

export interface Histogram {
  /** Bin width in ms: 1, 2 or 5 × 10^n, at least MIN_BIN_WIDTH_MS; 0 when there are no values. */
  widthMs: number;
  bins: HistogramBin[];
}

/** The latencies the statistics use: confident events (status ok) with a latency. */
export function confidentLatencies(events: readonly LatencyEventOutput[]): number[] {
  const values: number[] = [];
  for (const e of events) if (e.status === 'ok' && e.latencyMs !== null) values.push(e.latencyMs);
  return values;
}

/**
 * Bin width for the values: the Freedman–Diaconis width (2 · IQR / ∛n; a tenth of the range when
 * the IQR is 0), kept between MIN_BINS and MAX_BINS bins over the range, rounded down to 1-2-5
 * (up to the next 1-2-5 step if rounding down would exceed MAX_BINS), and at least MIN_BIN_WIDTH_MS.
 */
function binWidth(sorted: Float64Array): number {
  const n = sorted.length;
  const span = sorted[n - 1] - sorted[0];
  if (!(span > 0)) return MIN_BIN_WIDTH_MS;
  const q = (p: number) => sorted[Math.min(n - 1, Math.max(0, Math.round(p * (n - 1))))];
  const iqr = q(0.75) - q(0.25);
  let width = iqr > 0 ? (2 * iqr) / Math.cbrt(n) : span / 10;
  width = Math.min(span / MIN_BINS, Math.max(span / MAX_BINS, width));
  width = Math.max(niceFloorStep(width), niceStep(span, MAX_BINS));
  return Math.max(MIN_BIN_WIDTH_MS, width);
}

/** The histogram of latencies (non-finite values are left out), bins aligned to multiples of the width. */
export function latencyHistogram(values: readonly number[]): Histogram {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return { widthMs: 0, bins: [] };
  const sorted = Float64Array.from(finite).sort();
  const min = sorted[0];
  const max = sorted[sorted.length - 1];
  const width = binWidth(sorted);
  const start = Math.floor(min / width + 1e-9) * width;
  const binCount = Math.max(1, Math.floor((max - start) / width + 1e-9) + 1);
  const counts = new Array<number>(binCount).fill(0);
  for (const v of sorted) counts[Math.min(binCount - 1, Math.max(0, Math.floor((v - start) / width + 1e-9)))]++;
  const bins = counts.map((count, i) => {
    const fromMs = Number((start + i * width).toFixed(10));
    const toMs = Number((start + (i + 1) * width).toFixed(10));
    return { centerMs: Number(((fromMs + toMs) / 2).toFixed(10)), fromMs, toMs, count };
  });
  return { widthMs: Number(width.toFixed(10)), bins };
}

/**
 * Values that span less than MIN_BINS of the narrowest bins have no spread a histogram can show
 * (it would be one solid block): how closely they agree instead, in whole µs (at least 1, the
 * histogram's resolution). Null when there is a spread to draw, or no values.
 */
export function narrowSpread(values: readonly number[]): { count: number; withinUs: number; lowMs: number; highMs: number } | null {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return null;
  const [lowMs, highMs] = extent(finite);
  if (highMs - lowMs >= MIN_BINS * MIN_BIN_WIDTH_MS) return null;
  return { count: finite.length, withinUs: Math.max(1, Math.ceil((highMs - lowMs) * 1000 - 1e-6)), lowMs, highMs };
}

/** "All 19 events within 1 µs", for narrowSpread's result. */
export const narrowSpreadText = (n: { count: number; withinUs: number }): string =>
  `${n.count === 1 ? 'The one event' : `All ${n.count} events`}${n.count === 1 ? '' : ` within ${n.withinUs} µs`}`;

/** The bins of latencyHistogram. */
export const histogram = (values: readonly number[]): HistogramBin[] => latencyHistogram(values).bins;

// ---------------------------------------------------------------------------------------------
// Log-frequency axis
// ---------------------------------------------------------------------------------------------

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

/** One output's or speaker's latency over time, for the chart that draws them all on one axis. */
export interface GroupLatencySeries {
  name: string;
  /** 'events': every confident event of a several-outputs run; 'line': a speaker's drift line (no per-click latencies are kept). */
  kind: 'events' | 'line';
  points: Array<{ timeS: number; latencyMs: number }>;
}

/**
 * The series of the several-speakers chart: per output its confident events; per speaker of one
 * stream (or of a guided run) its drift line through its median latency at mid-run, from 0 to
 * `durationS`. Refused outputs have no series.
 */
export function groupLatencySeries(group: ReportGroup, durationS: number): GroupLatencySeries[] {
  if (!(durationS > 0) || !Number.isFinite(durationS)) throw new RangeError(`durationS must be a positive number, got ${durationS}`);
  const line = (name: string, latencyMs: number, driftPpm: number): GroupLatencySeries => ({
    name, kind: 'line', points: [0, durationS].map((timeS) => ({ timeS, latencyMs: latencyMs + driftPpm * 1e-3 * (timeS - durationS / 2) })),
  });
  switch (group.kind) {
    case 'outputs':
      return group.result.outputs
        .filter((o) => o.status === 'ok' && o.latency)
        .map((o) => {
          const device = group.outputs.find((d) => d.channel === o.channel)?.device;
          return {
            name: `Output ${o.channel}${device ? ` (${device.label})` : ''}`,
            kind: 'events' as const,
            points: confidentEvents(o.latency?.events ?? []),
          };
        });
    case 'speakers': {
      const arrivals = group.result.status === 'ok' ? group.result.speakers : group.result.found;
      return arrivals.map((s, k) => line(`Speaker heard ${k + 1}${k === 0 ? 'st' : k === 1 ? 'nd' : k === 2 ? 'rd' : 'th'}`, s.latencyMs, s.driftPpm));
    }
    case 'guided':
      return group.result.speakers.map((s) => line(`Speaker ${s.speaker}`, s.latencyMs, s.driftPpm));
  }
}

const confidentEvents = (events: readonly LatencyEventOutput[]): Array<{ timeS: number; latencyMs: number }> =>
  events.filter((e) => e.status === 'ok' && e.latencyMs !== null).map((e) => ({ timeS: e.timeS, latencyMs: e.latencyMs as number }));
