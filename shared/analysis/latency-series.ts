/**
 * The time behaviour of a run: the per-event latencies (time in s, latency in ms) read as a series,
 * split into stable segments, with the steady state, the start-up before it, the modes of a path
 * that alternates between latencies, and the clock drift and jitter of the steady state.
 *
 * One model for the final analysis (latency-analysis.ts) and the live long-run figures
 * (src-renderer/audio/long-run.ts), so the two never disagree.
 *
 * 1. Jitter scale σ: from the consecutive differences, robust to steps and to alternation (the
 *    25th percentile of |Δ|, which for Gaussian jitter is 0.4506·σ).
 * 2. Modes: the sorted latencies are split at gaps wider than max(1 ms, 8σ), σ the largest jitter
 *    within the groups (see below). Two or more groups of
 *    at least 3 events and 5 % of the run that take turns (6 or more runs in time) are modes of an
 *    alternating path; its segments are not meaningful, and the whole run is one segment.
 * 3. Otherwise, segments: the latency minus a common clock-drift line is split into pieces of
 *    constant level by optimal partitioning (least squares, penalty 4σ²·ln n per change, pruned as
 *    in PELT), alternating with a re-fit of the drift slope pooled within the long segments, three
 *    times. Lone outliers (far from the 3 events on both sides, which agree) are left out of the
 *    fit. Adjacent segments whose levels differ by less than max(0.25 ms, 4σ·√(1/m₁ + 1/m₂)) merge.
 *    A step is two segments; a slow settle several short ones before a long one; drift none.
 * 4. Steady state: the last segment when it holds at least 5 events and 20 % of the run, else the
 *    longest. The segments before it are the start-up.
 * 5. Drift: a least-squares line through the steady state (within each mode for an alternating path);
 *    jitter is the spread around it.
 */
import { fitLine, percentileSorted } from '../primitives/statistics';

export interface SeriesPoint {
  timeS: number;
  latencyMs: number;
}

export interface SeriesSegment {
  fromS: number;
  toS: number;
  medianMs: number;
  count: number;
  /** Indices into the points given, in time order (outliers included). */
  indices: number[];
}

export interface LatencyMode {
  medianMs: number;
  /** Share of the events in this mode (0..1). */
  share: number;
  count: number;
  indices: number[];
}

export interface SeriesDrift {
  /** Positive: the latency grows over time. */
  ppm: number;
  ppmStdError: number | null;
  /** The drift line's latency at time 0, ms. */
  interceptMs: number;
  /** Spread of the latencies around the line (standard deviation), ms; null under 3 events. */
  jitterMs: number | null;
  spanS: number;
  count: number;
}

export interface LatencyStartup {
  /** When the steady state begins (the time of its first event), s. */
  untilS: number;
  medianMs: number;
  maxMs: number;
  minMs: number;
  count: number;
}

export interface SeriesJump {
  timeS: number;
  fromMs: number;
  toMs: number;
}

export interface SeriesModel {
  /** 'stable': one segment; 'segmented': several; 'multimodal': the path alternates between modes. */
  kind: 'empty' | 'stable' | 'segmented' | 'multimodal';
  /** Robust jitter scale from consecutive differences, ms. */
  sigmaMs: number;
  segments: SeriesSegment[];
  /** Index into `segments` of the steady state (-1 when empty). */
  steadyIndex: number;
  /** The events the headline statistics use: the steady state (every event of an alternating path). */
  steadyIndices: number[];
  startup: LatencyStartup | null;
  /** Two or more for an alternating path, otherwise empty. */
  modes: LatencyMode[];
  /** Boundaries between consecutive segments. */
  jumps: SeriesJump[];
  drift: SeriesDrift | null;
  /** Lone outliers left out of the segmentation and the drift line. */
  outliers: number[];
}

/** Level changes smaller than this are not called a segment boundary, however clean the data. */
export const MIN_STEP_MS = 0.25;
/** The finest latency resolution assumed, ms (keeps σ above 0 on noise-free data). */
const RESOLUTION_MS = 0.001;
const MODE_GAP_MS = 1;
const MODE_MIN_RUNS = 6;
const MIN_SEGMENT = 2;
const ITERATIONS = 3;

const median = (values: number[]): number => percentileSorted(Float64Array.from(values).sort(), 50);

/** Robust jitter scale of a series from its consecutive differences (ms). */
export function jitterScale(values: number[]): number {
  if (values.length < 3) return RESOLUTION_MS;
  const d = Float64Array.from(values.slice(1), (v, i) => Math.abs(v - values[i])).sort();
  return Math.max(RESOLUTION_MS, percentileSorted(d, 25) / 0.4506);
}

interface Group {
  members: number[];
  lo: number;
  hi: number;
}

/** Groups of the time-ordered values separated by gaps wider than `gap` in value. */
function valueGroups(y: number[], gap: number): Group[] {
  const order = y.map((_, i) => i).sort((a, b) => y[a] - y[b]);
  const groups: Group[] = [];
  for (const i of order) {
    const last = groups[groups.length - 1];
    if (last && y[i] - last.hi <= gap) {
      last.members.push(i);
      last.hi = y[i];
    } else groups.push({ members: [i], lo: y[i], hi: y[i] });
  }
  return groups;
}

/** Least-squares partition of z into constant pieces of at least MIN_SEGMENT values (PELT). */
function partition(z: number[], penalty: number): number[] {
  const n = z.length;
  const s1 = new Float64Array(n + 1);
  const s2 = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    s1[i + 1] = s1[i] + z[i];
    s2[i + 1] = s2[i] + z[i] * z[i];
  }
  const cost = (a: number, b: number): number => {
    const m = b - a;
    const s = s1[b] - s1[a];
    return Math.max(0, s2[b] - s2[a] - (s * s) / m);
  };
  const best = new Float64Array(n + 1).fill(Infinity);
  const from = new Int32Array(n + 1);
  best[0] = -penalty;
  let candidates: number[] = [];
  for (let j = MIN_SEGMENT; j <= n; j++) {
    if (best[j - MIN_SEGMENT] < Infinity) candidates.push(j - MIN_SEGMENT);
    let value = Infinity;
    let arg = 0;
    for (const i of candidates) {
      const v = best[i] + cost(i, j) + penalty;
      if (v < value) {
        value = v;
        arg = i;
      }
    }
    best[j] = value;
    from[j] = arg;
    // PELT: a start that is already worse than the best by more than nothing never wins later.
    candidates = candidates.filter((i) => best[i] + cost(i, j) <= value);
  }
  const starts: number[] = [];
  for (let j = n; j > 0; j = from[j]) starts.unshift(from[j]);
  return starts;
}

/** Slope pooled within pieces (each piece's own mean removed); pieces shorter than 5 are ignored. */
function pooledSlope(t: number[], y: number[], pieces: number[][]): number {
  let sxx = 0;
  let sxy = 0;
  for (const piece of pieces) {
    if (piece.length < 5) continue;
    const mt = piece.reduce((s, i) => s + t[i], 0) / piece.length;
    const my = piece.reduce((s, i) => s + y[i], 0) / piece.length;
    for (const i of piece) {
      sxx += (t[i] - mt) ** 2;
      sxy += (t[i] - mt) * (y[i] - my);
    }
  }
  return sxx > 0 ? sxy / sxx : 0;
}

/** Line through the given points; null under 3 points or 1 s. */
function lineDrift(t: number[], y: number[], indices: number[]): SeriesDrift | null {
  if (indices.length < 3) return null;
  const ts = indices.map((i) => t[i]);
  const spanS = Math.max(...ts) - Math.min(...ts);
  if (spanS < 1) return null;
  const fit = fitLine(ts, indices.map((i) => y[i]));
  return {
    ppm: fit.slope * 1000,
    ppmStdError: Number.isFinite(fit.slopeStdError) ? fit.slopeStdError * 1000 : null,
    interceptMs: fit.intercept,
    jitterMs: Number.isFinite(fit.residualStd) ? fit.residualStd : null,
    spanS,
    count: indices.length,
  };
}

/** Drift pooled over modes: a common slope, each mode its own level. */
function modalDrift(t: number[], y: number[], modes: LatencyMode[]): SeriesDrift | null {
  const all = modes.flatMap((m) => m.indices);
  if (all.length < 3) return null;
  const ts = all.map((i) => t[i]);
  const spanS = Math.max(...ts) - Math.min(...ts);
  if (spanS < 1) return null;
  let sxx = 0;
  let sxy = 0;
  const centres = modes.map((m) => {
    const mt = m.indices.reduce((s, i) => s + t[i], 0) / m.indices.length;
    const my = m.indices.reduce((s, i) => s + y[i], 0) / m.indices.length;
    for (const i of m.indices) {
      sxx += (t[i] - mt) ** 2;
      sxy += (t[i] - mt) * (y[i] - my);
    }
    return { mt, my };
  });
  if (!(sxx > 0)) return null;
  const slope = sxy / sxx;
  let rss = 0;
  modes.forEach((m, k) => {
    for (const i of m.indices) rss += (y[i] - centres[k].my - slope * (t[i] - centres[k].mt)) ** 2;
  });
  const dof = all.length - modes.length - 1;
  const residualStd = dof > 0 ? Math.sqrt(rss / dof) : NaN;
  const main = centres[modes.reduce((b, m, k) => (m.count > modes[b].count ? k : b), 0)];
  return {
    ppm: slope * 1000,
    ppmStdError: dof > 0 ? (residualStd / Math.sqrt(sxx)) * 1000 : null,
    interceptMs: main.my - slope * main.mt,
    jitterMs: Number.isFinite(residualStd) ? residualStd : null,
    spanS,
    count: all.length,
  };
}

interface DriftSegmentation {
  pieces: number[][];
  slope: number;
  sigma: number;
  /** Residual sum of squares around the levels and the common slope, plus the penalty per boundary. */
  cost: number;
}

/** Alternates a least-squares partition of y − slope·t with the pooled re-fit of the slope. */
function segmentWithDrift(t: number[], y: number[], kept: number[], initialSlope: number): DriftSegmentation {
  let slope = initialSlope;
  let pieces: number[][] = [kept];
  let sigma = RESOLUTION_MS;
  let penalty = 0;
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const z = kept.map((k) => y[k] - slope * t[k]);
    sigma = jitterScale(z);
    penalty = 4 * sigma * sigma * Math.log(Math.max(3, kept.length));
    const starts = kept.length >= 2 * MIN_SEGMENT ? partition(z, penalty) : [0];
    let bounds = starts.map((s, i) => [s, i + 1 < starts.length ? starts[i + 1] : kept.length] as [number, number]);
    // Merge the closest adjacent pair while its step is not significant.
    const level = (b: [number, number]): number => median(z.slice(b[0], b[1]));
    for (;;) {
      let weakest = -1;
      let weakestRatio = Infinity;
      for (let i = 0; i + 1 < bounds.length; i++) {
        const m1 = bounds[i][1] - bounds[i][0];
        const m2 = bounds[i + 1][1] - bounds[i + 1][0];
        const need = Math.max(MIN_STEP_MS, 4 * sigma * Math.sqrt(1 / m1 + 1 / m2));
        const ratio = Math.abs(level(bounds[i + 1]) - level(bounds[i])) / need;
        if (ratio < 1 && ratio < weakestRatio) {
          weakest = i;
          weakestRatio = ratio;
        }
      }
      if (weakest < 0) break;
      bounds = [...bounds.slice(0, weakest), [bounds[weakest][0], bounds[weakest + 1][1]], ...bounds.slice(weakest + 2)];
    }
    pieces = bounds.map(([a, b]) => kept.slice(a, b));
    const next = pooledSlope(t, y, pieces);
    if (Math.abs(next - slope) < 1e-12) break;
    slope = next;
  }
  let rss = 0;
  for (const piece of pieces) {
    const level = piece.reduce((s, k) => s + y[k] - slope * t[k], 0) / piece.length;
    for (const k of piece) rss += (y[k] - slope * t[k] - level) ** 2;
  }
  return { pieces, slope, sigma, cost: rss + penalty * (pieces.length - 1) };
}

const EMPTY: SeriesModel = { kind: 'empty', sigmaMs: 0, segments: [], steadyIndex: -1, steadyIndices: [], startup: null, modes: [], jumps: [], drift: null, outliers: [] };

/**
 * The jump-aware model of a run's latencies (confident events only): segments, steady state,
 * start-up, modes and drift. Points in any order; indices in the result refer to `points`.
 */
export function driftModel(points: readonly SeriesPoint[]): SeriesModel {
  const n = points.length;
  if (n === 0) return EMPTY;
  const order = points.map((_, i) => i).sort((a, b) => points[a].timeS - points[b].timeS);
  const t = order.map((i) => points[i].timeS);
  const y = order.map((i) => points[i].latencyMs);
  const back = (k: number): number => order[k];
  const segmentOf = (ks: number[]): SeriesSegment => ({
    fromS: t[ks[0]], toS: t[ks[ks.length - 1]], medianMs: median(ks.map((k) => y[k])), count: ks.length, indices: ks.map(back),
  });
  let sigma = jitterScale(y);

  // Modes: value groups that take turns. The gap between groups must be wide against the jitter
  // within them: a first grouping with the jitter seen between each event and its nearest of the
  // four events on either side (an alternating path has a same-mode neighbour there), then again
  // with the largest jitter within those groups, which merges a noisy path split at a tail gap.
  const nearest = y.map((v, k) => {
    let d = Infinity;
    for (let j = Math.max(0, k - 4); j <= Math.min(n - 1, k + 4); j++) if (j !== k) d = Math.min(d, Math.abs(v - y[j]));
    return d;
  });
  const firstGap = Math.max(MODE_GAP_MS, 8 * (n > 1 ? percentileSorted(Float64Array.from(nearest).sort(), 50) : 0));
  const within = valueGroups(y, firstGap).filter((g) => g.members.length >= 3).map((g) => jitterScale([...g.members].sort((a, b) => a - b).map((k) => y[k])));
  const groups = valueGroups(y, Math.max(MODE_GAP_MS, 8 * Math.max(RESOLUTION_MS, ...within)));
  const major = groups.filter((g) => g.members.length >= 3 && g.members.length >= 0.05 * n);
  if (major.length >= 2) {
    const label = new Int32Array(n).fill(-1);
    major.forEach((g, k) => g.members.forEach((i) => (label[i] = k)));
    let runs = 0;
    let previous = -1;
    for (let k = 0; k < n; k++) {
      if (label[k] < 0 || label[k] === previous) continue;
      runs++;
      previous = label[k];
    }
    if (runs >= MODE_MIN_RUNS) {
      const modes: LatencyMode[] = major.map((g) => {
        const members = [...g.members].sort((a, b) => a - b);
        return { medianMs: median(members.map((k) => y[k])), share: members.length / n, count: members.length, indices: members };
      });
      sigma = Math.max(RESOLUTION_MS, ...modes.map((m) => jitterScale(m.indices.map((k) => y[k]))));
      const all = order.map((_, k) => k);
      return {
        kind: 'multimodal', sigmaMs: sigma, segments: [segmentOf(all)], steadyIndex: 0, steadyIndices: all.map(back), startup: null,
        modes: modes.map((m) => ({ ...m, indices: m.indices.map(back) })), jumps: [], drift: modalDrift(t, y, modes), outliers: [],
      };
    }
  }

  // Lone outliers: far from the three events on each side, which agree with each other.
  const outlier = new Uint8Array(n);
  const lone = Math.max(MIN_STEP_MS, 6 * sigma);
  for (let k = 3; k + 3 < n; k++) {
    const left = median(y.slice(k - 3, k));
    const right = median(y.slice(k + 1, k + 4));
    if (Math.abs(left - right) < lone && Math.abs(y[k] - left) > lone && Math.abs(y[k] - right) > lone) outlier[k] = 1;
  }
  const kept = order.map((_, k) => k).filter((k) => !outlier[k]);

  // Segments over the kept events, alternating with the common drift slope; started from no drift
  // and from the line through all events, keeping the better penalised fit.
  const line = kept.length >= 3 && t[kept[kept.length - 1]] > t[kept[0]] ? fitLine(kept.map((k) => t[k]), kept.map((k) => y[k])).slope : 0;
  const fits = [segmentWithDrift(t, y, kept, 0), segmentWithDrift(t, y, kept, line)];
  const { pieces } = fits[0].cost <= fits[1].cost ? fits[0] : fits[1];
  sigma = Math.min(fits[0].sigma, fits[1].sigma);

  // Outliers join the segment they sit in (by time); segments are reported with all their events.
  const segmentsK = pieces.map((p) => [...p]);
  for (let k = 0; k < n; k++) {
    if (!outlier[k]) continue;
    const s = segmentsK.findIndex((p) => t[p[p.length - 1]] >= t[k]);
    (segmentsK[s < 0 ? segmentsK.length - 1 : s]).push(k);
  }
  segmentsK.forEach((p) => p.sort((a, b) => a - b));
  const segments = segmentsK.map((ks, i) => {
    const clean = pieces[i];
    return { ...segmentOf(ks), medianMs: median(clean.map((k) => y[k])) };
  });
  const last = segments.length - 1;
  let steadyIndex = last;
  if (segments[last].count < 5 || segments[last].count < 0.2 * n) {
    steadyIndex = segments.reduce((b, s, i) => (s.count > segments[b].count ? i : b), 0);
  }
  const before = segmentsK.slice(0, steadyIndex).flat();
  const startup: LatencyStartup | null = before.length === 0 ? null : {
    untilS: segments[steadyIndex].fromS,
    medianMs: median(before.map((k) => y[k])),
    maxMs: Math.max(...before.map((k) => y[k])),
    minMs: Math.min(...before.map((k) => y[k])),
    count: before.length,
  };
  const jumps = segments.slice(1).map((s, i) => ({ timeS: s.fromS, fromMs: segments[i].medianMs, toMs: s.medianMs }));
  return {
    kind: segments.length === 1 ? 'stable' : 'segmented',
    sigmaMs: sigma,
    segments,
    steadyIndex,
    steadyIndices: segments[steadyIndex].indices,
    startup,
    modes: [],
    jumps,
    drift: lineDrift(t, y, pieces[steadyIndex]),
    outliers: order.map((_, k) => k).filter((k) => outlier[k]).map(back),
  };
}
