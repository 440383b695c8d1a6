import { describe, expect, it } from 'vitest';
import { clickShape, clickValue } from '../stimulus/click-train';
import { createRandom } from '../primitives/random';
import { argMaxAbs, interpolateAt, refinePeak } from './subsample-peak';

const sinc = (x: number): number => (x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x));

/** A band-limited pulse: sinc of bandwidth 0.4·fs under a wide Gaussian, centred at `centre`. Peak 1. */
function sincPulse(length: number, centre: number, sign = 1): Float64Array {
  return Float64Array.from({ length }, (_, i) => sign * sinc(0.8 * (i - centre)) * Math.exp(-(((i - centre) / 12) ** 2)));
}

/**
 * The correlation of a 48 kHz click at frame 150 (template) with the same click at 150 + d, by
 * direct summation: an autocorrelation shape whose peak is exactly at lag `offset + d`.
 */
function clickCorrelation(d: number, offset: number, length: number): Float64Array {
  const shape = clickShape(48000);
  const template = Float64Array.from({ length: 300 }, (_, n) => clickValue(shape, (n - 150) / 48000));
  const shifted = Float64Array.from({ length: 300 }, (_, n) => clickValue(shape, (n - 150 - d) / 48000));
  // r[k] = Σ_n template[n] · shifted[n + k - offset]
  return Float64Array.from({ length }, (_, k) => {
    let sum = 0;
    for (let n = 0; n < 300; n++) {
      const j = n + k - offset;
      if (j >= 0 && j < 300) sum += template[n] * shifted[j];
    }
    return sum;
  });
}

describe('interpolateAt', () => {
  it('reproduces the samples at integer positions', () => {
    const random = createRandom(301);
    const values = Float64Array.from({ length: 100 }, () => random.gaussian());
    for (let i = 0; i < values.length; i++) expect(Math.abs(interpolateAt(values, i) - values[i])).toBeLessThan(1e-12);
  });

  it('is the band-limited value between samples: error < 2e-5 of the amplitude up to 0.35·fs, < 3e-5 up to 0.45·fs', () => {
    const random = createRandom(302);
    for (const [maxFrequency, tolerance] of [[0.35, 2e-5], [0.45, 3e-5]] as const) {
      let worst = 0;
      for (let trial = 0; trial < 12; trial++) {
        const f = maxFrequency * (trial === 0 ? 1 : random.next()); // always include the band edge
        const phase = 2 * Math.PI * random.next();
        const values = Float64Array.from({ length: 200 }, (_, i) => Math.cos(2 * Math.PI * f * i + phase));
        for (let p = 60; p < 140; p += 0.0731) worst = Math.max(worst, Math.abs(interpolateAt(values, p) - Math.cos(2 * Math.PI * f * p + phase)));
      }
      expect(worst, `content up to ${maxFrequency}·fs`).toBeLessThan(tolerance);
    }
  });

  it('reads frames outside the array as zeros', () => {
    expect(interpolateAt([], 3.5)).toBe(0);
    expect(interpolateAt([1, 2, 3], -100)).toBe(0);
    expect(interpolateAt([1, 2, 3], 100.5)).toBe(0);
    // A single 1 at frame 0, read half a frame before it: the windowed sinc at 0.5.
    const halfway = interpolateAt([1], -0.5);
    expect(halfway).toBeGreaterThan(0.6);
    expect(halfway).toBeLessThan(2 / Math.PI + 1e-12); // sinc(0.5) = 2/π times a window value <= 1
  });
});

describe('argMaxAbs', () => {
  it('finds the largest magnitude, either sign, first of ties', () => {
    expect(argMaxAbs([0.1, -0.5, 0.3, 0.5])).toBe(1);
    expect(argMaxAbs([1, 2, 3, -7, 7])).toBe(3);
    expect(argMaxAbs(Float32Array.from([0, 0, 0]))).toBe(0);
  });

  it('searches [from, to) only, clipped to the array', () => {
    const values = [9, 1, 5, 2, 8, 3];
    expect(argMaxAbs(values, 1, 4)).toBe(2);
    expect(argMaxAbs(values, 1, 5)).toBe(4);
    expect(argMaxAbs(values, -10, 2)).toBe(0);
    expect(argMaxAbs(values, 3, 100)).toBe(4);
  });

  it('returns -1 for an empty range', () => {
    expect(argMaxAbs([])).toBe(-1);
    expect(argMaxAbs([1, 2, 3], 2, 2)).toBe(-1);
    expect(argMaxAbs([1, 2, 3], 5, 9)).toBe(-1);
    expect(argMaxAbs([1, 2, 3], 2, 1)).toBe(-1);
  });
});

describe('refinePeak', () => {
  const fractions = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

  it('recovers a band-limited pulse at fractional positions within 1e-4 samples, and its peak value within 1e-4', () => {
    const random = createRandom(303);
    const positions = [...fractions.map((f) => 100 + f), ...Array.from({ length: 20 }, () => 60 + 80 * random.next())];
    for (const centre of positions) {
      const values = sincPulse(200, centre);
      const index = argMaxAbs(values);
      expect(Math.abs(index - centre)).toBeLessThanOrEqual(0.5);
      const peak = refinePeak(values, index);
      expect(Math.abs(peak.position - centre), `centre ${centre}`).toBeLessThan(1e-4);
      expect(Math.abs(peak.value - 1), `centre ${centre}`).toBeLessThan(1e-4);
    }
  });

  it('recovers the lag of a click correlation (an autocorrelation shape) within 1e-4 samples', () => {
    const random = createRandom(304);
    const shifts = [...fractions, ...Array.from({ length: 6 }, () => -3 + 6 * random.next())];
    const zeroLag = clickCorrelation(0, 40, 80)[40];
    for (const d of shifts) {
      const r = clickCorrelation(d, 40, 80);
      const peak = refinePeak(r, argMaxAbs(r));
      expect(Math.abs(peak.position - (40 + d)), `shift ${d}`).toBeLessThan(1e-4);
      // the autocorrelation's maximum is the click energy, wherever it falls
      expect(Math.abs(peak.value / zeroLag - 1), `shift ${d}`).toBeLessThan(1e-4);
    }
  });

  it('keeps the polarity of a negative peak', () => {
    for (const f of fractions) {
      const positive = refinePeak(sincPulse(200, 77 + f), argMaxAbs(sincPulse(200, 77 + f)));
      const values = sincPulse(200, 77 + f, -1);
      const negative = refinePeak(values, argMaxAbs(values));
      expect(Math.abs(negative.position - (77 + f))).toBeLessThan(1e-4);
      expect(negative.value).toBeCloseTo(-positive.value, 12);
      expect(negative.position).toBeCloseTo(positive.position, 9);
    }
  });

  it('finds the maximum of the interpolant (as a fine grid search does), also at the ends of the array', () => {
    // Pulses cut off by the array ends are no longer band-limited, so the check here is the
    // search itself: the extremum of interpolateAt within ±1 sample.
    const cases: Array<[Float64Array, number]> = [
      [sincPulse(60, 0.3), 0],
      [sincPulse(60, 58.8), 59],
      [sincPulse(60, 30.45, -1), 30],
    ];
    for (const [values, index] of cases) {
      const sign = Math.sign(values[index]);
      let best = index;
      for (let x = index - 1; x <= index + 1; x += 1e-4) if (sign * interpolateAt(values, x) > sign * interpolateAt(values, best)) best = x;
      const peak = refinePeak(values, index);
      expect(Math.abs(peak.position - best), `index ${index}`).toBeLessThan(2e-4);
      expect(sign * peak.value).toBeGreaterThanOrEqual(sign * interpolateAt(values, best) - 1e-9);
    }
  });

  it('never returns a smaller magnitude than the integer sample, nor leaves ±1 sample, nor flips the sign', () => {
    const random = createRandom(305);
    let refined = 0;
    for (let trial = 0; trial < 100; trial++) {
      const values = Float64Array.from({ length: 64 }, () => random.gaussian()); // not band-limited at all
      const index = trial % 2 === 0 ? argMaxAbs(values) : random.int(64);
      const peak = refinePeak(values, index);
      expect(Math.abs(peak.value)).toBeGreaterThanOrEqual(Math.abs(values[index]));
      expect(Math.sign(peak.value)).toBe(Math.sign(values[index]));
      expect(Math.abs(peak.position - index)).toBeLessThanOrEqual(1);
      if (peak.position !== index) refined++;
    }
    expect(refined).toBeGreaterThan(50); // the search does move off the sample, usually
  });

  it('returns the sample itself when no point between samples beats it (a lone impulse)', () => {
    const values = new Float64Array(50);
    values[20] = 1;
    expect(refinePeak(values, 20)).toEqual({ position: 20, value: 1 });
    values[20] = -2;
    expect(refinePeak(values, 20)).toEqual({ position: 20, value: -2 });
  });

  it('returns a zero value within ±1 sample for silence', () => {
    const peak = refinePeak(new Float64Array(32), 10);
    expect(peak.value).toBe(0);
    expect(Math.abs(peak.position - 10)).toBeLessThanOrEqual(1);
  });
});
