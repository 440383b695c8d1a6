import { describe, expect, it } from 'vitest';
import { createRandom } from '../primitives/random';
import { driftModel, type SeriesPoint } from './latency-series';

/** Events every ~0.5 s (±35 %) for `durationS`, latency from `f(t)` plus Gaussian jitter. */
function series(durationS: number, f: (t: number, i: number) => number, jitterMs: number, seed: number): SeriesPoint[] {
  const random = createRandom(seed);
  const points: SeriesPoint[] = [];
  for (let t = 0.3, i = 0; t < durationS; t += 0.5 * (0.65 + 0.7 * random.next()), i++) points.push({ timeS: t, latencyMs: f(t, i) + jitterMs * random.gaussian() });
  return points;
}

describe('driftModel: stable paths', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`1 ms jitter and 100 ppm drift over 60 s (seed ${seed}): one segment, no start-up, drift within 15 ppm`, () => {
      const m = driftModel(series(60, (t) => 150 + 0.1 * t, 1, seed));
      expect(m.kind).toBe('stable');
      expect(m.startup).toBeNull();
      expect(m.segments).toHaveLength(1);
      expect(Math.abs((m.drift?.ppm as number) - 100)).toBeLessThan(15);
      expect(m.drift?.jitterMs).toBeGreaterThan(0.8);
      expect(m.drift?.jitterMs).toBeLessThan(1.2);
    });
  }

  it('a noise-free ramp (10 ppm) is drift, not steps: one segment, jitter 0', () => {
    const points = Array.from({ length: 101 }, (_, i) => ({ timeS: i, latencyMs: 100 + i * 0.01 }));
    const m = driftModel(points);
    expect(m.segments).toHaveLength(1);
    expect(m.drift?.ppm).toBeCloseTo(10, 6);
    expect(m.drift?.jitterMs).toBeCloseTo(0, 9);
  });

  it('a lone outlier mid-run is not a segment', () => {
    const points = series(30, (_t, i) => (i === 30 ? 170 : 150), 0.05, 9);
    const m = driftModel(points);
    expect(m.segments).toHaveLength(1);
    expect(m.outliers).toEqual([30]);
    expect(m.drift?.jitterMs).toBeLessThan(0.07);
  });
});

describe('driftModel: start-up and steady state', () => {
  it('a 25 ms step after 3 s: two segments, the steady state from the step, the start-up before it', () => {
    const points = series(20, (t) => (t < 3 ? 125 : 150) + 0.002 * t, 0.2, 11);
    const firstAfter = points.find((p) => p.timeS >= 3) as SeriesPoint;
    const m = driftModel(points);
    expect(m.kind).toBe('segmented');
    expect(m.segments).toHaveLength(2);
    expect(m.segments[1].fromS).toBe(firstAfter.timeS);
    expect(m.startup?.untilS).toBe(firstAfter.timeS);
    expect(Math.abs((m.startup?.medianMs as number) - 125)).toBeLessThan(0.2);
    expect(Math.abs(m.segments[1].medianMs - 150.02)).toBeLessThan(0.15);
    expect(m.jumps).toHaveLength(1);
    // The step does not pose as drift: drift 2 ppm within ±20.
    expect(Math.abs((m.drift?.ppm as number) - 2)).toBeLessThan(20);
    expect(m.drift?.jitterMs).toBeLessThan(0.3);
  });

  it('a slow settle (180 → 150 ms, τ = 1.5 s, 0.1 ms jitter): steady from where the rest of the settle is under 0.5 ms', () => {
    const points = series(30, (t) => 150 + 30 * Math.exp(-t / 1.5), 0.1, 12);
    const m = driftModel(points);
    expect(m.startup).not.toBeNull();
    // 30·e^(−t/1.5) falls to 0.25 ms at 7.2 s and to 1 ms at 5.1 s.
    expect(m.startup?.untilS).toBeGreaterThan(4);
    expect(m.startup?.untilS).toBeLessThan(10);
    expect(m.startup?.maxMs).toBeGreaterThan(170);
    const steady = m.segments[m.steadyIndex];
    expect(Math.abs(steady.medianMs - 150)).toBeLessThan(0.15);
    expect(m.steadyIndex).toBe(m.segments.length - 1);
  });

  it('the real loop of issue 9 (166.7, 160, 184, 162.7, then 150.7): start-up 3.5 s, steady 150.7', () => {
    const start = [166.7, 160, 184, 162.7, 166.7, 160, 184];
    const points = series(20, (_t, i) => (i < start.length ? start[i] : 150.7), 0.01, 13);
    const m = driftModel(points);
    expect(m.startup?.count).toBe(start.length);
    expect(m.startup?.maxMs).toBeCloseTo(184, 1);
    expect(Math.abs(m.segments[m.steadyIndex].medianMs - 150.7)).toBeLessThan(0.02);
  });
});

describe('driftModel: alternating paths', () => {
  for (const seed of [21, 22, 23]) {
    it(`random alternation between 120 and 200 ms (seed ${seed}): two modes with their shares, one segment`, () => {
      const coin = createRandom(seed + 1000);
      const points = series(30, () => (coin.next() < 0.3 ? 200 : 120), 0.5, seed);
      const m = driftModel(points);
      expect(m.kind).toBe('multimodal');
      expect(m.modes.map((x) => Math.round(x.medianMs))).toEqual([120, 200]);
      const high = points.filter((p) => p.latencyMs > 160).length;
      expect(m.modes[1].count).toBe(high);
      expect(m.modes[0].share + m.modes[1].share).toBeCloseTo(1, 12);
      expect(m.startup).toBeNull();
      expect(m.drift?.jitterMs).toBeGreaterThan(0.35);
      expect(m.drift?.jitterMs).toBeLessThan(0.65);
    });
  }

  it('a step there and back (120 → 200 → 120) is segments, not modes', () => {
    const points = series(30, (t) => (t > 10 && t < 20 ? 200 : 120), 0.5, 31);
    const m = driftModel(points);
    expect(m.kind).toBe('segmented');
    expect(m.segments.map((s) => Math.round(s.medianMs))).toEqual([120, 200, 120]);
    expect(m.steadyIndex).toBe(2);
  });
});
