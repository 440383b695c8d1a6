import { describe, expect, it } from 'vitest';
import { createRandom } from './random';
import { fitLine, lowerBound, median, medianAbsoluteDeviation, medianCiRanks, percentileSorted, summarize } from './statistics';

// Expected values below were computed independently with numpy 2.4 (np.median, mean, std(ddof=1),
// np.percentile — default 'linear' = type 7) and scipy.stats.linregress.
const A = [3, 1, 4, 1, 5, 9, 2, 6];
const B = [10.5, -2.25, 7, 7, 0.125, 3, 11, -4, 6.5, 2];

/** P(Binomial(n, 1/2) <= k) as an exact fraction numerator / 2^n. */
function binomialCdfNumerator(n: number, k: number): bigint {
  let c = 1n; // C(n, 0)
  let sum = 0n;
  for (let i = 0; i <= k; i++) {
    if (i > 0) c = (c * BigInt(n - i + 1)) / BigInt(i);
    sum += c;
  }
  return sum;
}

/** Exact coverage of [X_(j), X_(n−j+1)] for the median: 1 − 2·P(B <= j − 1), as a fraction of 2^n. */
const coverageAtLeast95 = (n: number, j: number): boolean => 40n * binomialCdfNumerator(n, j - 1) <= 2n ** BigInt(n); // P <= 1/40

describe('summarize', () => {
  it('matches numpy on an even-sized set', () => {
    const s = summarize(A);
    expect(s.count).toBe(8);
    expect(s.median).toBe(3.5);
    expect(s.mean).toBe(3.875);
    expect(s.std).toBeCloseTo(2.748376143938713, 14);
    expect(s.min).toBe(1);
    expect(s.max).toBe(9);
    expect(s.p95).toBeCloseTo(7.95, 13);
    expect(s.medianCi95).toEqual([1, 9]); // n = 8: ranks [1, 8]
  });

  it('matches numpy on n = 10, with the median CI at order statistics 2 and 9', () => {
    const s = summarize(B);
    expect(s.median).toBe(4.75);
    expect(s.mean).toBeCloseTo(4.0875, 14);
    expect(s.std).toBeCloseTo(5.147831933067659, 13);
    expect(s.p95).toBeCloseTo(10.775, 13);
    expect(s.min).toBe(-4);
    expect(s.max).toBe(11);
    expect(s.medianCi95).toEqual([-2.25, 10.5]);
  });

  it('handles one value, constant values and the n < 6 cut-off of the CI', () => {
    expect(summarize([42])).toEqual({ count: 1, median: 42, mean: 42, std: 0, min: 42, max: 42, p95: 42, medianCi95: null });
    const constant = summarize([5, 5, 5, 5, 5, 5, 5]);
    expect(constant).toMatchObject({ median: 5, mean: 5, std: 0, p95: 5, medianCi95: [5, 5] });
    expect(summarize([1, 2, 3, 4, 5]).medianCi95).toBeNull();
    expect(summarize([6, 1, 5, 2, 4, 3]).medianCi95).toEqual([1, 6]);
  });

  it('sorts numerically (not as strings) and leaves the input alone', () => {
    const values = [100, 9, 20, -3, 1000];
    const copy = [...values];
    const s = summarize(values);
    expect(values).toEqual(copy);
    expect(s.median).toBe(20);
    expect(s.min).toBe(-3);
    expect(s.max).toBe(1000);
  });

  it('rejects an empty set', () => {
    expect(() => summarize([])).toThrow(RangeError);
    expect(() => summarize([])).toThrow(/zero values/);
  });
});

describe('percentileSorted', () => {
  const sortedA = [1, 1, 2, 3, 4, 5, 6, 9];

  it('interpolates between order statistics like numpy (type 7)', () => {
    expect(percentileSorted(sortedA, 0)).toBe(1);
    expect(percentileSorted(sortedA, 100)).toBe(9);
    expect(percentileSorted(sortedA, 25)).toBe(1.75);
    expect(percentileSorted(sortedA, 50)).toBe(3.5);
    expect(percentileSorted(sortedA, 99.9)).toBeCloseTo(8.979, 12);
    expect(percentileSorted(Float64Array.from([7]), 37)).toBe(7);
    // exactly on an order statistic: h = 20·0.95 = 19
    expect(percentileSorted(Array.from({ length: 21 }, (_, i) => i * i), 95)).toBe(361);
  });

  it.each([-10, 100.5, 150, Number.NaN])('rejects p = %s with a RangeError naming it', (p) => {
    expect(() => percentileSorted(sortedA, p)).toThrow(RangeError);
    expect(() => percentileSorted(sortedA, p)).toThrow(`got ${p}`);
  });

  it('rejects an empty set', () => {
    expect(() => percentileSorted([], 50)).toThrow(RangeError);
    expect(() => percentileSorted([], 50)).toThrow(/empty/);
  });
});

describe('medianCiRanks', () => {
  it('gives the tabulated binomial ranks for n = 6, 10, 20 and 100', () => {
    expect(medianCiRanks(6)).toEqual([1, 6]); // coverage 1 − 2/64 = 0.969
    expect(medianCiRanks(10)).toEqual([2, 9]); // 1 − 2·11/1024 = 0.979
    expect(medianCiRanks(20)).toEqual([6, 15]); // 0.959
    expect(medianCiRanks(100)).toEqual([40, 61]); // 0.965
  });

  it('is null below 6 values, where even [min, max] covers less than 95 %', () => {
    for (const n of [0, 1, 2, 3, 4, 5]) expect(medianCiRanks(n), `n=${n}`).toBeNull();
    expect(coverageAtLeast95(5, 1)).toBe(false); // 1 − 2/32 = 0.9375
  });

  it('has exact coverage >= 0.95 while the next-narrower interval has < 0.95, for every n from 6 to 400 and some large n', () => {
    for (const n of [...Array.from({ length: 395 }, (_, i) => i + 6), 1000, 2001, 5000]) {
      const ranks = medianCiRanks(n);
      expect(ranks, `n=${n}`).not.toBeNull();
      const [j, upper] = ranks as [number, number];
      expect(upper, `n=${n}`).toBe(n - j + 1);
      expect(coverageAtLeast95(n, j), `n=${n} j=${j}`).toBe(true);
      expect(coverageAtLeast95(n, j + 1), `n=${n} j+1=${j + 1}`).toBe(false);
    }
  });
});

describe('medianAbsoluteDeviation', () => {
  it('matches numpy (median of |x − median|, unscaled)', () => {
    expect(medianAbsoluteDeviation(A)).toBe(2);
    expect(medianAbsoluteDeviation(B)).toBe(3.6875);
    expect(medianAbsoluteDeviation([7])).toBe(0);
    expect(medianAbsoluteDeviation([1, 1, 1, 1, 1000])).toBe(0); // robust to an outlier
  });

  it('rejects an empty set', () => {
    expect(() => medianAbsoluteDeviation([])).toThrow(RangeError);
  });
});

describe('fitLine', () => {
  it('is exact on a noiseless line', () => {
    const random = createRandom(401);
    const x = Array.from({ length: 50 }, () => random.uniform(-100, 100));
    const y = x.map((v) => 2.5 - 0.75 * v);
    const fit = fitLine(x, y);
    expect(fit.slope).toBeCloseTo(-0.75, 13);
    expect(fit.intercept).toBeCloseTo(2.5, 12);
    expect(fit.slopeStdError).toBeLessThan(1e-14);
    expect(fit.residualStd).toBeLessThan(1e-12);
    expect(fit.residuals).toHaveLength(50);
    expect(Math.max(...fit.residuals.map(Math.abs))).toBeLessThan(1e-12);
  });

  it('matches scipy.stats.linregress on hand-checkable data', () => {
    // slope = Sxy/Sxx = 5.5/5, SSE = 2.7, residual variance 2.7/2, SE = sqrt(1.35/5)
    const fit = fitLine([0, 1, 2, 3], [1, 3, 2, 5]);
    expect(fit.slope).toBeCloseTo(1.1, 14);
    expect(fit.intercept).toBeCloseTo(1.1, 14);
    expect(fit.slopeStdError).toBeCloseTo(0.5196152422706632, 14);
    expect(fit.residualStd).toBeCloseTo(Math.sqrt(1.35), 14);
    fit.residuals.forEach((r, i) => expect(r).toBeCloseTo([-0.1, 0.8, -1.3, 0.6][i], 14));

    const other = fitLine([0.5, 1.5, 2, 4, 7.25, 8], [2.1, 2.9, 3.6, 5.2, 8.0, 8.4]);
    expect(other.slope).toBeCloseTo(0.8490108487555839, 13);
    expect(other.intercept).toBeCloseTo(1.7434162944054465, 13);
    expect(other.slopeStdError).toBeCloseTo(0.019659812143131204, 13);
    expect(other.residualStd).toBeCloseTo(0.13757479449369708, 13);
  });

  it('has a slope standard error that agrees with the textbook σ/√Sxx over seeded repeats', () => {
    const random = createRandom(402);
    const x = Array.from({ length: 20 }, (_, i) => i * 0.5);
    const sigma = 0.3;
    const mx = x.reduce((a, b) => a + b, 0) / x.length;
    const sxx = x.reduce((a, v) => a + (v - mx) ** 2, 0);
    const trueSe = sigma / Math.sqrt(sxx);
    const trials = 4000;
    const slopes: number[] = [];
    let meanSeSquared = 0;
    for (let t = 0; t < trials; t++) {
      const fit = fitLine(x, x.map((v) => 1 + 0.2 * v + sigma * random.gaussian()));
      slopes.push(fit.slope);
      meanSeSquared += fit.slopeStdError ** 2 / trials;
    }
    const meanSlope = slopes.reduce((a, b) => a + b, 0) / trials;
    const empiricalSd = Math.sqrt(slopes.reduce((a, s) => a + (s - meanSlope) ** 2, 0) / (trials - 1));
    expect(Math.abs(meanSlope - 0.2)).toBeLessThan((4 * trueSe) / Math.sqrt(trials));
    expect(Math.abs(empiricalSd / trueSe - 1)).toBeLessThan(0.05); // sampling error of an SD over 4000 trials ≈ 1.1 %
    expect(Math.abs(meanSeSquared / trueSe ** 2 - 1)).toBeLessThan(0.05); // SE² is unbiased for σ²/Sxx
  });

  it('fits two points exactly with NaN error estimates', () => {
    const fit = fitLine([1, 3], [2, 8]);
    expect(fit.slope).toBe(3);
    expect(fit.intercept).toBe(-1);
    expect(fit.slopeStdError).toBeNaN();
    expect(fit.residualStd).toBeNaN();
    expect(fit.residuals).toEqual([0, 0]);
  });

  it('rejects too few points, mismatched lengths and a single distinct x', () => {
    expect(() => fitLine([1], [1])).toThrow(RangeError);
    expect(() => fitLine([], [])).toThrow(/at least two/);
    expect(() => fitLine([1, 2, 3], [1, 2])).toThrow(/at least two \(x, y\) pairs/);
    expect(() => fitLine([2, 2, 2], [1, 2, 3])).toThrow(/distinct x/);
  });
});

describe('median and lowerBound', () => {
  it('median: the middle value, the mean of the two middle ones, NaN for none; the input is not reordered', () => {
    const values = [5, 1, 4, 2, 3];
    expect(median(values)).toBe(3);
    expect(values).toEqual([5, 1, 4, 2, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median(Float32Array.of(7))).toBe(7);
    expect(median([])).toBeNaN();
  });

  it('lowerBound: the first index at or above x in an ascending array', () => {
    const sorted = [1, 2, 2, 2, 5];
    expect(lowerBound(sorted, 2)).toBe(1);
    expect(lowerBound(sorted, 0)).toBe(0);
    expect(lowerBound(sorted, 3)).toBe(4);
    expect(lowerBound(sorted, 6)).toBe(5);
    expect(lowerBound([], 1)).toBe(0);
  });
});
