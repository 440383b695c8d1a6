import { describe, expect, it } from 'vitest';
import { confidentLatencies, decibelScale, extent, formatHz, frequencyTicks, histogram, latencyHistogram, MAX_BINS, MIN_BIN_WIDTH_MS, MIN_BINS, niceScale, stepDecimals, ticksWithin, narrowSpread, narrowSpreadText } from './chart-math';

/** Is `x` 1, 2 or 5 × 10^n? */
const isNice = (x: number): boolean => {
  const magnitude = 10 ** Math.floor(Math.log10(x) + 1e-9);
  return [1, 2, 5, 10].some((m) => Math.abs(x / magnitude - m) < 1e-6);
};

describe('chart maths', () => {
  it('bins latencies into 4 to 60 bins that hold every value', () => {
    const values = Array.from({ length: 1000 }, (_, i) => 100 + 5 * Math.sin(i * 12.9898) * Math.cos(i * 78.233));
    const bins = histogram(values);
    expect(bins.length).toBeGreaterThanOrEqual(4);
    expect(bins.length).toBeLessThanOrEqual(61);
    expect(bins.reduce((n, b) => n + b.count, 0)).toBe(1000);
    expect(histogram([5, 5, 5]).reduce((n, b) => n + b.count, 0)).toBe(3);
    expect(histogram([])).toEqual([]);
  });

  it('makes round scales and decade frequency ticks', () => {
    expect(niceScale(181.83, 182.97, 5)).toEqual({ lo: 181.5, hi: 183, ticks: [181.5, 182, 182.5, 183] });
    expect(niceScale(0, 60, 8).ticks).toEqual([0, 10, 20, 30, 40, 50, 60]);
    expect(frequencyTicks(20, 24000)).toEqual([20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000]);
    expect(frequencyTicks(20, 24000).map(formatHz)).toEqual(['20', '50', '100', '200', '500', '1k', '2k', '5k', '10k', '20k']);
  });

  it('histogram bins: a 1-2-5 width of at least 1 µs, MIN_BINS to MAX_BINS bins (+1 for alignment), contiguous, holding every value', () => {
    const spreads = [0.0001, 0.003, 0.02, 0.5, 3, 40, 900];
    for (const spread of spreads) {
      for (const n of [2, 7, 50, 1000, 20000]) {
        const values = Array.from({ length: n }, (_, i) => 150 + spread * (Math.sin(i * 12.9898) * 0.5 + ((i * 0.618) % 1) * 0.5));
        const { widthMs, bins } = latencyHistogram(values);
        expect(isNice(widthMs), `width ${widthMs}`).toBe(true);
        expect(widthMs).toBeGreaterThanOrEqual(MIN_BIN_WIDTH_MS);
        expect(bins.length).toBeLessThanOrEqual(MAX_BINS + 1);
        const [lo, hi] = extent(values);
        if (hi - lo >= MIN_BINS * MIN_BIN_WIDTH_MS * 2.5) expect(bins.length, `spread ${spread}, n ${n}`).toBeGreaterThanOrEqual(MIN_BINS);
        expect(bins.reduce((s, b) => s + b.count, 0)).toBe(n);
        expect(bins[0].fromMs).toBeLessThanOrEqual(lo);
        expect(bins[bins.length - 1].toMs).toBeGreaterThan(hi - 1e-9);
        for (let i = 0; i < bins.length; i++) {
          expect(bins[i].toMs - bins[i].fromMs).toBeCloseTo(widthMs, 9);
          if (i > 0) expect(bins[i].fromMs).toBe(bins[i - 1].toMs);
        }
      }
    }
  });

  it('identical latencies: one bin of the minimum width', () => {
    expect(latencyHistogram([41.25, 41.25, 41.25])).toEqual({ widthMs: MIN_BIN_WIDTH_MS, bins: [{ fromMs: 41.25, toMs: 41.251, centerMs: 41.2505, count: 3 }] });
    expect(latencyHistogram([NaN, Infinity])).toEqual({ widthMs: 0, bins: [] });
  });

  it('takes the confident events only', () => {
    const events = [
      { timeS: 0, latencyMs: 10, confidence: 0.9, status: 'ok' as const, peakToNoiseDb: 20 },
      { timeS: 1, latencyMs: 90, confidence: 0.3, status: 'low-confidence' as const, peakToNoiseDb: 5 },
      { timeS: 2, latencyMs: null, confidence: 0, status: 'dropout' as const, peakToNoiseDb: null },
      { timeS: 3, latencyMs: 11, confidence: 0.95, status: 'ok' as const, peakToNoiseDb: 22 },
    ];
    expect(confidentLatencies(events)).toEqual([10, 11]);
  });

  it('ticks inside a fixed domain, and the decimals to print them', () => {
    expect(ticksWithin(0, 9.3, 10)).toEqual({ values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], decimals: 0 });
    expect(ticksWithin(120.05, 121.95, 8)).toEqual({ values: [120.5, 121, 121.5], decimals: 1 });
    expect([0.25, 0.5, 5, 0.001].map(stepDecimals)).toEqual([2, 1, 0, 3]);
    expect(extent([3, -1, 7])).toEqual([-1, 7]);
  });

  it('magnitude axis: 1 dB of room, at least 12 dB tall, at most 60 dB below the top', () => {
    expect(decibelScale(-3, 2)).toEqual({ lo: -8, hi: 6, ticks: [-8, -6, -4, -2, 0, 2, 4, 6] });
    const deep = decibelScale(-120, 5);
    expect(deep.lo).toBeGreaterThanOrEqual(5 - 60 - 1 - 10);
    expect(deep.lo).toBeLessThanOrEqual(5 - 60 - 1);
    expect(deep.hi).toBeGreaterThanOrEqual(6);
  });
});

describe('narrowSpread', () => {
  it('values within less than 4 µs have no spread to draw: how closely they agree, in whole µs (at least 1)', () => {
    expect(narrowSpread([5, 5, 5])).toEqual({ count: 3, withinUs: 1, lowMs: 5, highMs: 5 });
    expect(narrowSpread([5, 5.0025])?.withinUs).toBe(3);
    expect(narrowSpread([5, 5.0045])).toBeNull();
    expect(narrowSpread([])).toBeNull();
    expect(narrowSpreadText({ count: 19, withinUs: 1 })).toBe('All 19 events within 1 µs');
    expect(narrowSpreadText({ count: 1, withinUs: 1 })).toBe('The one event');
  });
});
