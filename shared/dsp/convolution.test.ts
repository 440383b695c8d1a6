import { describe, expect, it } from 'vitest';
import { convolve } from './convolution';
import { createRandom } from '../primitives/random';

/** Direct O(N·M) linear convolution in doubles. */
function naiveConvolve(x: ArrayLike<number>, h: ArrayLike<number>): Float64Array {
  if (x.length === 0 || h.length === 0) return new Float64Array(0);
  const y = new Float64Array(x.length + h.length - 1);
  for (let n = 0; n < x.length; n++) for (let k = 0; k < h.length; k++) y[n + k] += x[n] * h[k];
  return y;
}

/**
 * Largest error relative to the output's peak. The output is Float32, so the floor is its rounding:
 * half an ulp of the peak is 3e-8 of it; 1e-7 allows ~3 ulps.
 */
function scaledError(actual: Float32Array, x: Float32Array, h: Float32Array): number {
  const expected = naiveConvolve(x, h);
  expect(actual.length).toBe(expected.length);
  let peak = 0;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    peak = Math.max(peak, Math.abs(expected[i]));
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  }
  return worst / (peak || 1);
}

const noise = (length: number, seed: number): Float32Array => {
  const random = createRandom(seed);
  return Float32Array.from({ length }, () => random.gaussian());
};

describe('convolve', () => {
  it('equals the direct convolution (to 1e-7 of the peak, i.e. Float32 rounding) for random lengths', () => {
    const random = createRandom(701);
    for (let trial = 0; trial < 25; trial++) {
      const x = noise(1 + random.int(3000), 1000 + trial);
      const h = noise(1 + random.int(trial % 3 === 0 ? 5000 : 300), 2000 + trial); // every third kernel is long, often longer than x
      expect(scaledError(convolve(x, h), x, h), `x ${x.length}, h ${h.length}`).toBeLessThan(1e-7);
    }
  });

  it('is exact across overlap-add block boundaries (signal many blocks long) and for a kernel longer than the signal', () => {
    const cases: Array<[number, number]> = [
      [20000, 100], // block 3997 frames: five blocks
      [9000, 1025], // kernel just above a quarter of 4096: FFT size 8192
      [4097, 1], // a one-frame kernel, signal one past the block
      [50, 6000], // kernel much longer than the signal
      [1, 4096],
    ];
    for (const [xLength, hLength] of cases) {
      const x = noise(xLength, xLength);
      const h = noise(hLength, hLength + 1);
      const y = convolve(x, h);
      expect(y.length).toBe(xLength + hLength - 1);
      expect(scaledError(y, x, h), `x ${xLength}, h ${hLength}`).toBeLessThan(1e-7);
    }
  });

  it('handles length-1 inputs: a product, a scaled kernel, the identity', () => {
    expect(convolve(Float32Array.of(3), Float32Array.of(-0.5))[0]).toBeCloseTo(-1.5, 6);
    const h = noise(37, 5);
    const scaled = convolve(Float32Array.of(2), h);
    for (let i = 0; i < 37; i++) expect(scaled[i]).toBeCloseTo(2 * h[i], 5);
    const x = noise(1000, 6);
    const same = convolve(x, Float32Array.of(1));
    expect(same.length).toBe(1000);
    for (let i = 0; i < 1000; i++) expect(Math.abs(same[i] - x[i])).toBeLessThan(1e-5);
  });

  it('delays by an impulse at frame d', () => {
    const x = noise(500, 7);
    const h = new Float32Array(31);
    h[30] = 1;
    const y = convolve(x, h);
    for (let i = 0; i < 30; i++) expect(Math.abs(y[i])).toBeLessThan(1e-5);
    for (let i = 0; i < 500; i++) expect(Math.abs(y[i + 30] - x[i])).toBeLessThan(1e-5);
  });

  it('is commutative', () => {
    const a = noise(700, 8);
    const b = noise(90, 9);
    const ab = convolve(a, b);
    const ba = convolve(b, a);
    let worst = 0;
    for (let i = 0; i < ab.length; i++) worst = Math.max(worst, Math.abs(ab[i] - ba[i]));
    expect(worst).toBeLessThan(1e-4);
  });

  it('returns an empty array for empty inputs', () => {
    expect(convolve(new Float32Array(0), noise(10, 1))).toEqual(new Float32Array(0));
    expect(convolve(noise(10, 1), new Float32Array(0))).toEqual(new Float32Array(0));
    expect(convolve(new Float32Array(0), new Float32Array(0))).toEqual(new Float32Array(0));
  });

  it('returns zeros for silence', () => {
    const y = convolve(new Float32Array(100), noise(20, 2));
    expect(y.length).toBe(119);
    expect(y.every((v) => v === 0)).toBe(true);
  });
});
