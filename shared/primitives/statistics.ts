/**
 * Summary statistics of repeated measurements, and the straight-line fit used for clock drift.
 */

export interface Summary {
  count: number;
  median: number;
  mean: number;
  /** Sample standard deviation (n − 1); 0 for a single value. */
  std: number;
  min: number;
  max: number;
  /** 95th percentile, linear interpolation between order statistics (Hyndman & Fan type 7). */
  p95: number;
  /**
   * Distribution-free 95 % confidence interval of the median from order statistics (the binomial
   * method); null below 6 values, where no such interval reaches 95 %.
   */
  medianCi95: [number, number] | null;
}

/** The median: the middle value, or the mean of the two middle ones; NaN for no values. */
export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}

/** The first index i of ascending `sorted` with sorted[i] >= x (sorted.length when there is none). */
export function lowerBound(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Percentile p in [0, 100] of already sorted values (type 7, as numpy and R default). */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of an empty set');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be in [0, 100], got ${p}`);
  const h = ((sorted.length - 1) * p) / 100;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Ranks (1-based) of the order statistics bounding a ≥95 % interval for the median of n values. */
export function medianCiRanks(n: number): [number, number] | null {
  if (n < 6) return null;
  // Find the largest j with P(j <= Binomial(n, 1/2) <= n − j) >= 0.95 ... P(X < j) <= 0.025.
  let cumulative = 0;
  let logChoose = 0; // log C(n, 0)
  const logHalfPowN = n * Math.log(0.5);
  let j = 0;
  for (let k = 0; k <= n; k++) {
    if (k > 0) logChoose += Math.log((n - k + 1) / k);
    const next = cumulative + Math.exp(logChoose + logHalfPowN);
    if (next > 0.025) break;
    cumulative = next;
    j = k + 1;
  }
  if (j < 1) return null;
  return [j, n - j + 1];
}

export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  if (n === 0) throw new RangeError('cannot summarise zero values');
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  const mean = sum / n;
  let squares = 0;
  for (const v of sorted) squares += (v - mean) ** 2;
  const ranks = medianCiRanks(n);
  return {
    count: n,
    median: percentileSorted(sorted, 50),
    mean,
    std: n > 1 ? Math.sqrt(squares / (n - 1)) : 0,
    min: sorted[0],
    max: sorted[n - 1],
    p95: percentileSorted(sorted, 95),
    medianCi95: ranks ? [sorted[ranks[0] - 1], sorted[ranks[1] - 1]] : null,
  };
}

/** Median absolute deviation from the median (unscaled). */
export function medianAbsoluteDeviation(values: readonly number[]): number {
  const sorted = Float64Array.from(values).sort();
  const median = percentileSorted(sorted, 50);
  const deviations = Float64Array.from(values, (v) => Math.abs(v - median)).sort();
  return percentileSorted(deviations, 50);
}

export interface LineFit {
  slope: number;
  intercept: number;
  /** Standard error of the slope (NaN with fewer than 3 points). */
  slopeStdError: number;
  /** Standard deviation of the residuals (n − 2 degrees of freedom; NaN with fewer than 3 points). */
  residualStd: number;
  residuals: number[];
}

/** Ordinary least-squares line y = intercept + slope·x. Needs at least two distinct x. */
export function fitLine(x: readonly number[], y: readonly number[]): LineFit {
  const n = x.length;
  if (n !== y.length || n < 2) throw new RangeError('a line fit needs at least two (x, y) pairs');
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i] - mx) ** 2;
    sxy += (x[i] - mx) * (y[i] - my);
  }
  if (sxx === 0) throw new RangeError('a line fit needs at least two distinct x values');
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const residuals = x.map((xi, i) => y[i] - (intercept + slope * xi));
  const sse = residuals.reduce((acc, r) => acc + r * r, 0);
  const residualVariance = n > 2 ? sse / (n - 2) : NaN;
  return {
    slope,
    intercept,
    slopeStdError: n > 2 ? Math.sqrt(residualVariance / sxx) : NaN,
    residualStd: Math.sqrt(residualVariance),
    residuals,
  };
}
