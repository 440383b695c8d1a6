import FFT from 'fft.js';
import { describe, expect, it } from 'vitest';
import { CACHED_PLAN_MAX_SIZE, FftPlan, fftJsBitReversal, fftPlan, FOUR_STEP_POINTS, isFftSize, isPowerOfTwo, nextFftSize, nextPowerOfTwo } from './fft';
import { createRandom } from './random';

/** Naive O(N²) DFT of `x` zero-padded (or read) to n points: bins 0..n/2 as re, im (length n + 2). */
function naiveHalfDft(x: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n + 2);
  for (let k = 0; k <= n / 2; k++) {
    let re = 0;
    let im = 0;
    for (let t = 0; t < Math.min(n, x.length); t++) {
      const angle = (-2 * Math.PI * ((k * t) % n)) / n;
      re += x[t] * Math.cos(angle);
      im += x[t] * Math.sin(angle);
    }
    out[2 * k] = re;
    out[2 * k + 1] = im;
  }
  return out;
}

/** Naive inverse DFT of a half spectrum (Hermitian symmetry implied), real part. */
function naiveInverseHalf(spectrum: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    let sum = 0;
    for (let k = 0; k < n; k++) {
      const j = k <= n / 2 ? k : n - k;
      const re = spectrum[2 * j];
      const im = k <= n / 2 ? spectrum[2 * j + 1] : -spectrum[2 * j + 1];
      const angle = (2 * Math.PI * ((k * t) % n)) / n;
      sum += re * Math.cos(angle) - im * Math.sin(angle);
    }
    out[t] = sum / n;
  }
  return out;
}

function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let num = 0;
  let den = 0;
  for (let i = 0; i < expected.length; i++) {
    num += (actual[i] - expected[i]) ** 2;
    den += expected[i] ** 2;
  }
  return Math.sqrt(num / den);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < Math.max(a.length, b.length); i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

const SIZES = [4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096];

describe('FftPlan.forwardReal', () => {
  it('matches a naive DFT for every size 4..4096 (relative error < 1e-10)', () => {
    const random = createRandom(101);
    for (const n of SIZES) {
      const x = Float64Array.from({ length: n }, () => random.gaussian());
      const spectrum = new FftPlan(n).forwardReal(x);
      expect(spectrum.length).toBe(n + 2);
      expect(relativeError(spectrum, naiveHalfDft(x, n)), `size ${n}`).toBeLessThan(1e-10);
    }
  });

  it('zero-pads a segment read from an odd offset, and reads out-of-bounds samples as zeros', () => {
    const random = createRandom(102);
    const signal = Float32Array.from({ length: 777 }, () => random.uniform(-1, 1));
    const cases: Array<{ n: number; offset: number; length: number }> = [
      { n: 1024, offset: 0, length: 777 }, // whole signal, zero padding
      { n: 512, offset: 13, length: 301 }, // odd offset, odd length
      { n: 256, offset: 701, length: 200 }, // runs past the end
      { n: 128, offset: -37, length: 100 }, // starts before the beginning
      { n: 64, offset: -100, length: 64 }, // entirely before the signal
      { n: 64, offset: 900, length: 64 }, // entirely after the signal
      { n: 4096, offset: -5, length: 4096 }, // both ends outside
    ];
    for (const { n, offset, length } of cases) {
      const segment = Float64Array.from({ length: n }, (_, i) => {
        const j = offset + i;
        return i < length && j >= 0 && j < signal.length ? signal[j] : 0;
      });
      const actual = fftPlan(n).forwardReal(signal, offset, length);
      const expected = naiveHalfDft(segment, n);
      const scale = Math.max(1, Math.sqrt(expected.reduce((acc, v) => acc + v * v, 0)));
      expect(maxAbsDiff(actual, expected) / scale, `n=${n} offset=${offset} length=${length}`).toBeLessThan(1e-12);
    }
    // Entirely outside the signal: exactly zero.
    expect(fftPlan(64).forwardReal(signal, -100, 64).every((v) => v === 0)).toBe(true);
  });

  it('defaults to the rest of the signal from the offset', () => {
    const x = Float64Array.from({ length: 40 }, (_, i) => Math.sin(i) + 0.1 * i);
    const plan = fftPlan(64);
    expect(Array.from(plan.forwardReal(x, 7))).toEqual(Array.from(plan.forwardReal(x.slice(7))));
  });

  it('has exact analytic transforms: impulse, shifted impulse and bin-centred cosine', () => {
    const n = 256;
    const plan = fftPlan(n);
    const impulse = new Float64Array(n);
    impulse[0] = 1;
    const flat = plan.forwardReal(impulse);
    for (let k = 0; k <= n / 2; k++) {
      expect(flat[2 * k]).toBe(1);
      expect(Math.abs(flat[2 * k + 1])).toBe(0);
    }
    const shifted = new Float64Array(n);
    shifted[5] = 1;
    const s = plan.forwardReal(shifted);
    for (let k = 0; k <= n / 2; k++) {
      expect(s[2 * k]).toBeCloseTo(Math.cos((-2 * Math.PI * k * 5) / n), 12);
      expect(s[2 * k + 1]).toBeCloseTo(Math.sin((-2 * Math.PI * k * 5) / n), 12);
    }
    const cosine = Float64Array.from({ length: n }, (_, t) => Math.cos((2 * Math.PI * 17 * t) / n));
    const c = plan.forwardReal(cosine);
    for (let k = 0; k <= n / 2; k++) {
      expect(Math.hypot(c[2 * k], c[2 * k + 1])).toBeCloseTo(k === 17 ? n / 2 : 0, 10);
    }
    // The Nyquist bin of an alternating sequence is N, and real.
    const alternating = Float64Array.from({ length: n }, (_, t) => (t % 2 === 0 ? 1 : -1));
    const a = plan.forwardReal(alternating);
    expect(a[n]).toBeCloseTo(n, 10);
    expect(a[n + 1]).toBeCloseTo(0, 10);
  });

  it('satisfies Parseval for half spectra', () => {
    const random = createRandom(103);
    for (const n of [4, 64, 2048]) {
      const x = Float64Array.from({ length: n }, () => random.gaussian());
      const X = fftPlan(n).forwardReal(x);
      const timeEnergy = x.reduce((acc, v) => acc + v * v, 0);
      let freqEnergy = X[0] ** 2 + X[1] ** 2 + X[n] ** 2 + X[n + 1] ** 2;
      for (let k = 1; k < n / 2; k++) freqEnergy += 2 * (X[2 * k] ** 2 + X[2 * k + 1] ** 2);
      expect(Math.abs(freqEnergy / n / timeEnergy - 1), `size ${n}`).toBeLessThan(1e-12);
    }
  });

  it('writes into a caller buffer and never leaks a previous, longer segment', () => {
    const plan = fftPlan(32);
    const long = Float64Array.from({ length: 32 }, (_, i) => i + 1);
    plan.forwardReal(long);
    const out = new Float64Array(34).fill(123);
    const result = plan.forwardReal([1, 2, 3], 0, 3, out);
    expect(result).toBe(out);
    expect(relativeError(out, naiveHalfDft([1, 2, 3], 32))).toBeLessThan(1e-14);
  });

  it('rejects a segment longer than the plan, naming the length', () => {
    expect(() => fftPlan(16).forwardReal(new Float64Array(20))).toThrow(RangeError);
    expect(() => fftPlan(16).forwardReal(new Float64Array(20))).toThrow(/20/);
    expect(() => fftPlan(16).forwardReal(new Float64Array(100), 3, 17)).toThrow(/17 samples.*16/);
  });
});

describe('FftPlan.inverseReal', () => {
  it('inverts forwardReal to < 1e-12 for every size 4..4096', () => {
    const random = createRandom(104);
    for (const n of [...SIZES, 65536]) {
      const x = Float64Array.from({ length: n }, () => random.gaussian());
      const plan = fftPlan(n);
      const y = plan.inverseReal(plan.forwardReal(x));
      expect(y.length).toBe(n);
      expect(maxAbsDiff(y, x), `size ${n}`).toBeLessThan(1e-12);
    }
  });

  it('matches a naive inverse DFT of an arbitrary Hermitian half spectrum', () => {
    const random = createRandom(105);
    for (const n of [4, 8, 32, 256]) {
      const spectrum = Float64Array.from({ length: n + 2 }, () => random.gaussian());
      spectrum[1] = 0; // DC and Nyquist of a real signal are real
      spectrum[n + 1] = 0;
      const actual = fftPlan(n).inverseReal(spectrum);
      expect(relativeError(actual, naiveInverseHalf(spectrum, n)), `size ${n}`).toBeLessThan(1e-12);
    }
  });

  it('writes into a caller buffer and leaves the spectrum untouched', () => {
    const plan = fftPlan(16);
    const spectrum = plan.forwardReal(Float64Array.from({ length: 16 }, (_, i) => i * i));
    const copy = spectrum.slice();
    const out = new Float64Array(16);
    expect(plan.inverseReal(spectrum, out)).toBe(out);
    expect(Array.from(spectrum)).toEqual(Array.from(copy));
    expect(maxAbsDiff(out, Float64Array.from({ length: 16 }, (_, i) => i * i))).toBeLessThan(1e-12);
  });

  it('rejects a short half spectrum, naming its length', () => {
    expect(() => fftPlan(16).inverseReal(new Float64Array(17))).toThrow(RangeError);
    expect(() => fftPlan(16).inverseReal(new Float64Array(17))).toThrow(/18 values, got 17/);
  });
});

describe('large transforms (four steps over fft.js)', () => {
  // The smallest size done in four steps, checked against one radix-2 step over two transforms
  // of half the size done directly by fft.js: X[k] = E[k] + e^{−j2πk/N}·O[k].
  const n = 4 * FOUR_STEP_POINTS;
  const random = createRandom(106);
  const x = Float64Array.from({ length: n - 5 }, () => random.gaussian());

  it('agrees with a radix-2 step over directly computed half transforms to < 1e-12, and inverts', () => {
    const half = new FftPlan(n / 2);
    const even = half.forwardReal(Float64Array.from({ length: n / 2 }, (_, i) => x[2 * i] ?? 0));
    const odd = half.forwardReal(Float64Array.from({ length: n / 2 }, (_, i) => x[2 * i + 1] ?? 0));
    const bin = (s: Float64Array, k: number): [number, number] => (k <= n / 4 ? [s[2 * k], s[2 * k + 1]] : [s[2 * (n / 2 - k)], -s[2 * (n / 2 - k) + 1]]);
    const expected = new Float64Array(n + 2);
    for (let k = 0; k <= n / 2; k++) {
      const [er, ei] = bin(even, k % (n / 2));
      const [or, oi] = bin(odd, k % (n / 2));
      const c = Math.cos((2 * Math.PI * k) / n);
      const s = -Math.sin((2 * Math.PI * k) / n);
      expected[2 * k] = er + or * c - oi * s;
      expected[2 * k + 1] = ei + or * s + oi * c;
    }
    const plan = new FftPlan(n);
    const spectrum = plan.forwardReal(x);
    expect(relativeError(spectrum, expected)).toBeLessThan(1e-12);
    const back = plan.inverseReal(spectrum);
    expect(maxAbsDiff(back, Float64Array.from({ length: n }, (_, i) => x[i] ?? 0))).toBeLessThan(1e-12);
  });

  it('has the exact transform of a shifted impulse, and reads a segment with an offset', () => {
    const plan = new FftPlan(n);
    const impulse = new Float64Array(n);
    impulse[12345] = 1;
    const s = plan.forwardReal(impulse);
    let worst = 0;
    for (let k = 0; k <= n / 2; k += 97) {
      const angle = (-2 * Math.PI * ((k * 12345) % n)) / n;
      worst = Math.max(worst, Math.abs(s[2 * k] - Math.cos(angle)), Math.abs(s[2 * k + 1] - Math.sin(angle)));
    }
    expect(worst).toBeLessThan(1e-12);
    const shifted = plan.forwardReal(x, -7, n);
    const padded = new Float64Array(n);
    padded.set(x.subarray(0, n - 7), 7);
    expect(maxAbsDiff(shifted, plan.forwardReal(padded))).toBe(0);
  });

  it('inverts in place, into the first `size` values of the spectrum itself, as out of place', () => {
    for (const plan of [new FftPlan(n), fftPlan(64), fftPlan(4096)]) {
      const size = plan.size;
      const signal = Float64Array.from({ length: size }, (_, i) => x[i] ?? 0);
      const spectrum = plan.forwardReal(signal);
      const expected = plan.inverseReal(spectrum.slice());
      const inPlace = plan.inverseReal(spectrum, spectrum.subarray(0, size));
      expect(maxAbsDiff(inPlace, expected), `size ${size}`).toBe(0);
      expect(maxAbsDiff(inPlace, signal), `size ${size}`).toBeLessThan(1e-12);
    }
  });

  it('leaves the signal values beyond the plan size of a longer output buffer alone', () => {
    const plan = new FftPlan(n);
    const out = new Float64Array(n + 3).fill(7);
    plan.inverseReal(plan.forwardReal(x), out);
    expect(Array.from(out.subarray(n))).toEqual([7, 7, 7]);
    const small = fftPlan(64);
    const smallOut = new Float64Array(67).fill(7);
    small.inverseReal(small.forwardReal(x.subarray(0, 64)), smallOut);
    expect(Array.from(smallOut.subarray(64))).toEqual([7, 7, 7]);
    expect(maxAbsDiff(smallOut.subarray(0, 64), x.subarray(0, 64))).toBeLessThan(1e-12);
  });
});

describe('sizes of three times a power of two (one radix-3 step)', () => {
  const random = createRandom(311);

  it('match a naive DFT for every size 12..6144 (relative error < 1e-10) and invert to < 1e-12', () => {
    for (let n = 12; n <= 6144; n *= 2) {
      const x = Float64Array.from({ length: n - 3 }, () => random.gaussian());
      const plan = new FftPlan(n);
      const spectrum = plan.forwardReal(x);
      expect(relativeError(spectrum, naiveHalfDft(x, n)), `size ${n}`).toBeLessThan(1e-10);
      const back = plan.inverseReal(spectrum.slice());
      expect(maxAbsDiff(back, Float64Array.from({ length: n }, (_, i) => x[i] ?? 0)), `size ${n}`).toBeLessThan(1e-12);
      expect(maxAbsDiff(naiveInverseHalf(spectrum, n), back), `size ${n}`).toBeLessThan(1e-10);
    }
  });

  it('done over four-step thirds (3·2^20 points): exact shifted impulse, bins against direct sums, inverse in place', () => {
    const n = 3 * 4 * FOUR_STEP_POINTS;
    const plan = new FftPlan(n);
    const impulse = new Float64Array(n);
    impulse[123457] = 1;
    const s = plan.forwardReal(impulse);
    let worst = 0;
    for (let k = 0; k <= n / 2; k += 101) {
      const angle = (-2 * Math.PI * ((k * 123457) % n)) / n;
      worst = Math.max(worst, Math.abs(s[2 * k] - Math.cos(angle)), Math.abs(s[2 * k + 1] - Math.sin(angle)));
    }
    expect(worst).toBeLessThan(1e-12);
    // A sparse random signal, so that a bin is a short direct sum.
    const x = new Float64Array(n);
    const taps: Array<[number, number]> = Array.from({ length: 64 }, () => [Math.floor(random.uniform(0, n)), random.gaussian()]);
    for (const [i, v] of taps) x[i] += v;
    const spectrum = plan.forwardReal(x);
    let error = 0;
    let norm = 0;
    for (const k of [0, 1, 2, 3, 1000, 262143, 262144, 524288, 786431, 1048576, 1572863, 1572864]) {
      let re = 0;
      let im = 0;
      for (const [i, v] of taps) {
        const angle = (-2 * Math.PI * ((k * i) % n)) / n;
        re += v * Math.cos(angle);
        im += v * Math.sin(angle);
      }
      error = Math.max(error, Math.abs(spectrum[2 * k] - re), Math.abs(spectrum[2 * k + 1] - im));
      norm = Math.max(norm, Math.hypot(re, im));
    }
    expect(error / norm).toBeLessThan(1e-12);
    const back = plan.inverseReal(spectrum, spectrum.subarray(0, n));
    expect(maxAbsDiff(back, x)).toBeLessThan(1e-12);
  }, 60_000);

  it('are chosen by nextFftSize when smaller than the next power of two', () => {
    expect([1, 4, 5, 12, 13, 16, 17, 24, 25, 1000, 3 * 2 ** 20, 3 * 2 ** 20 + 1].map(nextFftSize)).toEqual([4, 4, 8, 12, 16, 16, 24, 24, 32, 1024, 3 * 2 ** 20, 2 ** 22]);
    expect([4, 8, 12, 24, 3 * 2 ** 20].every(isFftSize)).toBe(true);
    expect([2, 3, 6, 9, 20, 36, 1000].some(isFftSize)).toBe(false);
    expect(() => new FftPlan(6)).toThrow(/three times one >= 12, got 6/);
    expect(() => new FftPlan(36)).toThrow(/got 36/);
  });
});

describe('fftPlan cache and FftPlan construction', () => {
  it('returns the same plan object for a size, and distinct plans for distinct sizes', () => {
    const a = fftPlan(1024);
    expect(fftPlan(1024)).toBe(a);
    expect(a.size).toBe(1024);
    expect(fftPlan(2048)).not.toBe(a);
    expect(fftPlan(2048).size).toBe(2048);
  });

  it('does not keep plans larger than CACHED_PLAN_MAX_SIZE', () => {
    expect(fftPlan(CACHED_PLAN_MAX_SIZE)).toBe(fftPlan(CACHED_PLAN_MAX_SIZE));
    const large = fftPlan(2 * CACHED_PLAN_MAX_SIZE);
    expect(large.size).toBe(2 * CACHED_PLAN_MAX_SIZE);
    expect(fftPlan(2 * CACHED_PLAN_MAX_SIZE)).not.toBe(large);
  });

  it.each([0, 1, 2, 3, 6, 100, -4, 4.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects size %s with a RangeError naming it', (size) => {
    expect(() => new FftPlan(size)).toThrow(RangeError);
    expect(() => new FftPlan(size)).toThrow(new RegExp(`got ${String(size).replace('.', '\\.')}$`));
    expect(() => fftPlan(size)).toThrow(RangeError);
  });
});

describe('nextPowerOfTwo and isPowerOfTwo', () => {
  it('gives the smallest power of two >= n and >= 2', () => {
    const cases: Array<[number, number]> = [
      [-7, 2], [0, 2], [1, 2], [2, 2], [2.5, 4], [3, 4], [4, 4], [5, 8], [1000, 1024], [1024, 1024], [1025, 2048], [2 ** 30, 2 ** 30],
    ];
    for (const [n, expected] of cases) expect(nextPowerOfTwo(n), `n=${n}`).toBe(expected);
  });

  it.each([2 ** 30 + 1, Number.NaN, Number.POSITIVE_INFINITY])('rejects %s with a RangeError naming it', (n) => {
    expect(() => nextPowerOfTwo(n)).toThrow(RangeError);
    expect(() => nextPowerOfTwo(n)).toThrow(String(n));
  });

  it('recognises powers of two and only those', () => {
    for (let k = 1; k <= 60; k++) expect(isPowerOfTwo(2 ** k), `2^${k}`).toBe(true);
    for (const n of [Number.NaN, Number.POSITIVE_INFINITY, -4, 0, 1, 3, 6, 12, 1023, 1025, 4.5, 2 ** 20 + 0.5]) {
      expect(isPowerOfTwo(n), `${n}`).toBe(false);
    }
  });

  it('is not fooled by 32-bit truncation of large numbers', () => {
    // (n & (n - 1)) works on ToInt32(n): 2^32 + 2 truncates to 2, 3·2^32 to 0.
    for (const n of [2 ** 32 + 2, 3 * 2 ** 32, 6 * 2 ** 30, 2 ** 33 + 4, 2 ** 31 + 2 ** 30]) expect(isPowerOfTwo(n), `${n}`).toBe(false);
  });
});

describe("fft.js plans built from the twiddle tables (kernel)", () => {
  // kernel() sets fft.js' own fields (table, _width, _bitrev, _csize) instead of running its
  // constructor; this holds it to fft.js itself (pinned at 4.0.4) for every size it builds.
  it('transform exactly as fft.js constructed the usual way, 4 to 2^18 points (relative error < 1e-12)', () => {
    for (let log = 2; log <= 18; log++) {
      const n = 2 ** log;
      const x = Float64Array.from({ length: n }, (_, i) => Math.sin(0.37 * i) + ((i * 7919) % 13) / 13 - 0.5);
      const reference = new FFT(n);
      const expected = new Float64Array(2 * n);
      reference.realTransform(expected, x);
      const actual = fftPlan(n).forwardReal(x);
      let worst = 0;
      let scale = 0;
      for (let k = 0; k <= n / 2; k++) {
        scale = Math.max(scale, Math.hypot(expected[2 * k], expected[2 * k + 1]));
        worst = Math.max(worst, Math.hypot(actual[2 * k] - expected[2 * k], actual[2 * k + 1] - expected[2 * k + 1]));
      }
      expect(worst / scale, `${n} points`).toBeLessThan(1e-12);
    }
  });

  it("have fft.js' own bit-reversal table, entry for entry, 4 to 2^18 points", () => {
    for (let log = 2; log <= 18; log++) {
      const reference = (new FFT(2 ** log) as unknown as { _width: number; _bitrev: number[] });
      expect(fftJsBitReversal(reference._width), `${2 ** log} points`).toEqual(reference._bitrev);
    }
  });
});
