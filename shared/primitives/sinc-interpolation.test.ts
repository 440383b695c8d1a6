import { describe, expect, it } from 'vitest';
import { createRandom } from './random';
import { HALF_TAPS, interpolateAt, resampleLinear } from './sinc-interpolation';

/** A sum of sines below 0.45·fs, sampled: its exact value is known everywhere. */
function bandLimited(seed: number) {
  const random = createRandom(seed);
  const tones = Array.from({ length: 12 }, () => ({ f: random.uniform(0.001, 0.45), a: random.uniform(0.02, 0.1), p: random.uniform(0, 2 * Math.PI) }));
  const value = (t: number) => tones.reduce((s, x) => s + x.a * Math.sin(2 * Math.PI * x.f * t + x.p), 0);
  return { value, samples: Float32Array.from({ length: 4000 }, (_, n) => value(n)) };
}

describe('interpolateAt', () => {
  it('returns the samples themselves at integer positions', () => {
    const { samples } = bandLimited(1);
    for (const n of [100, 1000, 2345]) expect(interpolateAt(samples, n)).toBeCloseTo(samples[n], 6);
  });

  it('reconstructs a band-limited signal (tones up to 0.45·fs) between samples within 3e-5 of full scale', () => {
    const { value, samples } = bandLimited(2);
    const random = createRandom(3);
    for (let i = 0; i < 2000; i++) {
      const t = random.uniform(200, 3800);
      expect(Math.abs(interpolateAt(samples, t) - value(t))).toBeLessThan(3e-5);
    }
  });

  it('reads outside the array as zero and never throws', () => {
    const x = new Float32Array([1, 1, 1]);
    expect(interpolateAt(x, -HALF_TAPS - 5)).toBe(0);
    expect(interpolateAt(x, 100)).toBe(0);
    expect(interpolateAt(new Float32Array(0), 0)).toBe(0);
  });
});

describe('resampleLinear', () => {
  it('reads a signal along a stretched timeline (100 ppm) within 3e-4 of full scale', () => {
    const { value, samples } = bandLimited(4);
    const out = resampleLinear(samples, 2000, 1000.37, 1.0001);
    // The phase grid (1/2048 sample) bounds the error by the signal's slope: ≤ 2.5e-4 · max|x'|.
    for (let n = 0; n < 2000; n++) expect(Math.abs(out[n] - value(1000.37 + n * 1.0001))).toBeLessThan(3e-4);
  });

  it('agrees with interpolateAt on the phase grid, and reads zeros past the ends', () => {
    const { samples } = bandLimited(5);
    const out = resampleLinear(samples, 10, 100.25, 1);
    for (let n = 0; n < 10; n++) expect(out[n]).toBeCloseTo(interpolateAt(samples, 100.25 + n), 6);
    const edge = resampleLinear(samples, 5, -100, 1);
    expect(Array.from(edge)).toEqual([0, 0, 0, 0, 0]);
  });
});
