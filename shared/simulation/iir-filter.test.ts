import { describe, expect, it } from 'vitest';
import { clickShape, renderClick } from '../stimulus/click-train';
import { fftPlan } from '../primitives/fft';
import {
  type IirSection,
  applyIir,
  firMagnitudeDb,
  highPass,
  iirGroupDelayFrames,
  iirMagnitudeDb,
  iirResponse,
  linearPhaseBandPass,
  lowPass,
  peaking,
} from './iir-filter';
import { createRandom } from '../primitives/random';
import { argMaxAbs, refinePeak } from '../dsp/subsample-peak';

const RATE = 48000;

/** Digital Butterworth (bilinear transform with prewarping) power response, the textbook closed form. */
const butterworthLowPassDb = (hz: number, cutoffHz: number, rate: number): number =>
  -10 * Math.log10(1 + (Math.tan((Math.PI * hz) / rate) / Math.tan((Math.PI * cutoffHz) / rate)) ** 4);
const butterworthHighPassDb = (hz: number, cutoffHz: number, rate: number): number =>
  -10 * Math.log10(1 + (Math.tan((Math.PI * cutoffHz) / rate) / Math.tan((Math.PI * hz) / rate)) ** 4);

/** Direct-form-I reference: y[n] = Σ b_k x[n−k] − Σ_{k≥1} a_k y[n−k], section after section, in doubles. */
function naiveFilter(sections: IirSection[], input: ArrayLike<number>): Float64Array {
  let x = Float64Array.from(input);
  for (const { b, a } of sections) {
    const y = new Float64Array(x.length);
    for (let n = 0; n < x.length; n++) {
      let acc = 0;
      for (let k = 0; k < b.length; k++) if (n - k >= 0) acc += b[k] * x[n - k];
      for (let k = 1; k < a.length; k++) if (n - k >= 0) acc -= a[k] * y[n - k];
      y[n] = acc;
    }
    x = y;
  }
  return x;
}

/** Analytic group delay of one polynomial Σ c_k e^{−jωk}: Re(Σ k c_k e^{−jωk} / Σ c_k e^{−jωk}). */
function polynomialDelay(c: number[], w: number): number {
  let pr = 0;
  let pi = 0;
  let dr = 0;
  let di = 0;
  for (let k = 0; k < c.length; k++) {
    pr += c[k] * Math.cos(w * k);
    pi -= c[k] * Math.sin(w * k);
    dr += k * c[k] * Math.cos(w * k);
    di -= k * c[k] * Math.sin(w * k);
  }
  return (dr * pr + di * pi) / (pr * pr + pi * pi);
}

const analyticGroupDelay = (sections: IirSection[], hz: number, rate: number): number =>
  sections.reduce((sum, { b, a }) => sum + polynomialDelay(b, (2 * Math.PI * hz) / rate) - polynomialDelay(a, (2 * Math.PI * hz) / rate), 0);

describe('biquad designs', () => {
  it('Butterworth low-pass: -3.0103 dB at fc, 0 dB at DC, and the textbook response everywhere (1e-9 dB)', () => {
    for (const [fc, rate] of [[1000, 48000], [100, 44100], [15000, 48000], [20000, 96000]]) {
      const lp = [lowPass(fc, rate)];
      expect(Math.abs(iirMagnitudeDb(lp, fc, rate) + 10 * Math.log10(2)), `fc ${fc}`).toBeLessThan(1e-9);
      expect(Math.abs(iirMagnitudeDb(lp, 0, rate))).toBeLessThan(1e-9);
      expect(iirMagnitudeDb(lp, rate / 2, rate)).toBeLessThan(-200); // a double zero at Nyquist
      for (let f = 10; f < rate / 2; f *= 1.37) {
        expect(Math.abs(iirMagnitudeDb(lp, f, rate) - butterworthLowPassDb(f, fc, rate)), `fc ${fc}, ${f} Hz`).toBeLessThan(1e-9);
      }
    }
  });

  it('Butterworth high-pass mirrors it: -3.0103 dB at fc, 0 dB at Nyquist, nothing at DC', () => {
    for (const [fc, rate] of [[1000, 48000], [80, 44100], [12000, 48000]]) {
      const hp = [highPass(fc, rate)];
      expect(Math.abs(iirMagnitudeDb(hp, fc, rate) + 10 * Math.log10(2))).toBeLessThan(1e-9);
      expect(Math.abs(iirMagnitudeDb(hp, rate / 2, rate))).toBeLessThan(1e-9);
      expect(iirMagnitudeDb(hp, 0, rate)).toBeLessThan(-200);
      for (let f = 10; f < rate / 2; f *= 1.37) {
        const expected = butterworthHighPassDb(f, fc, rate); // down to -200 dB: cancellation limits the absolute accuracy
        expect(Math.abs(iirMagnitudeDb(hp, f, rate) - expected), `fc ${fc}, ${f} Hz`).toBeLessThan(1e-9 * Math.max(1, Math.abs(expected)));
      }
    }
  });

  it('other Q values set the gain at fc to Q (in dB) for the low-pass', () => {
    for (const q of [0.5, 2, 5]) expect(iirMagnitudeDb([lowPass(3000, RATE, q)], 3000, RATE)).toBeCloseTo(20 * Math.log10(q), 9);
  });

  it('peaking EQ: exactly gainDb at the centre, 0 dB at DC and Nyquist, a cut the exact inverse of the boost', () => {
    for (const [centre, gain, q] of [[2000, 6, 2], [150, -12, 0.7], [10000, 3.5, 4]]) {
      const boost = [peaking(centre, RATE, gain, q)];
      expect(Math.abs(iirMagnitudeDb(boost, centre, RATE) - gain)).toBeLessThan(1e-9);
      expect(Math.abs(iirMagnitudeDb(boost, 0, RATE))).toBeLessThan(1e-9);
      expect(Math.abs(iirMagnitudeDb(boost, RATE / 2, RATE))).toBeLessThan(1e-9);
      const cut = [peaking(centre, RATE, -gain, q)];
      for (let f = 20; f < RATE / 2; f *= 1.5) expect(Math.abs(iirMagnitudeDb(cut, f, RATE) + iirMagnitudeDb(boost, f, RATE))).toBeLessThan(1e-9);
    }
    expect(peaking(1000, RATE, 0, 1)).toEqual({ b: [1, expect.any(Number), expect.any(Number)], a: [1, expect.any(Number), expect.any(Number)] });
    const flat = peaking(1000, RATE, 0, 1);
    expect(flat.b).toEqual(flat.a); // 0 dB is the identity
  });

  it.each([
    ['low-pass at 0 Hz', () => lowPass(0, RATE), /got 0$/],
    ['low-pass at Nyquist', () => lowPass(24000, RATE), /got 24000/],
    ['low-pass above Nyquist (unstable: pole radius 1.73)', () => lowPass(30000, RATE), /got 30000/],
    ['negative cutoff', () => highPass(-100, RATE), /got -100/],
    ['negative Q (unstable)', () => lowPass(1000, RATE, -1), /Q must be positive, got -1/],
    ['zero Q (NaN)', () => peaking(1000, RATE, 6, 0), /got 0/],
    ['NaN gain', () => peaking(1000, RATE, Number.NaN, 1), /got NaN/],
    ['zero sample rate', () => highPass(1000, 0), /sample rate must be positive, got 0/],
  ])('rejects %s with a RangeError naming the value', (_name, design, message) => {
    expect(design).toThrow(RangeError);
    expect(design).toThrow(message);
  });
});

describe('iirResponse', () => {
  it('is 1 for an empty cascade and the product of the sections otherwise', () => {
    expect(iirResponse([], 1234, RATE)).toEqual([1, 0]);
    const a = lowPass(5000, RATE);
    const b = peaking(1000, RATE, -4, 1.5);
    for (const f of [50, 999, 7000]) {
      const [ar, ai] = iirResponse([a], f, RATE);
      const [br, bi] = iirResponse([b], f, RATE);
      const [cr, ci] = iirResponse([a, b], f, RATE);
      expect(cr).toBeCloseTo(ar * br - ai * bi, 14);
      expect(ci).toBeCloseTo(ar * bi + ai * br, 14);
    }
  });
});

describe('applyIir', () => {
  const cascade: IirSection[] = [lowPass(6000, RATE), peaking(2000, RATE, 6, 2), highPass(100, RATE)];

  it('equals a direct-form reference on noise, for sections of any length', () => {
    const random = createRandom(601);
    const input = Float32Array.from({ length: 4000 }, () => random.gaussian());
    const sections: IirSection[] = [...cascade, { b: [0.5, 0.5], a: [1, -0.3] }, { b: [0.2], a: [1, -0.5, 0.1, 0.05] }];
    const actual = applyIir(sections, input);
    const expected = naiveFilter(sections, input);
    expect(actual).toBeInstanceOf(Float32Array);
    expect(actual.length).toBe(4000);
    let worst = 0;
    for (let n = 0; n < input.length; n++) worst = Math.max(worst, Math.abs(actual[n] - expected[n]) / (Math.abs(expected[n]) + 1e-3));
    expect(worst).toBeLessThan(1e-6); // Float32 output of a double-precision filter
  });

  it('passes a long sine with the magnitude and phase of iirResponse after settling (< 0.001 dB, < 1e-5 rad)', () => {
    for (const f of [200, 750, 2000, 5000, 9000]) {
      const n = 24000;
      const w = (2 * Math.PI * f) / RATE;
      const x = Float32Array.from({ length: n }, (_, i) => Math.sin(w * i));
      const y = applyIir(cascade, x);
      const [re, im] = iirResponse(cascade, f, RATE);
      const gain = Math.hypot(re, im);
      const phase = Math.atan2(im, re);
      // Least-squares fit of y = p·sin(wi) + q·cos(wi) over the settled half.
      let ss = 0, sc = 0, cc = 0, ys = 0, yc = 0;
      for (let i = n / 2; i < n; i++) {
        const s = Math.sin(w * i);
        const c = Math.cos(w * i);
        ss += s * s;
        sc += s * c;
        cc += c * c;
        ys += y[i] * s;
        yc += y[i] * c;
      }
      const det = ss * cc - sc * sc;
      const p = (ys * cc - yc * sc) / det;
      const q = (yc * ss - ys * sc) / det;
      expect(Math.abs(20 * Math.log10(Math.hypot(p, q)) - 20 * Math.log10(gain)), `${f} Hz`).toBeLessThan(0.001);
      expect(Math.abs(20 * Math.log10(Math.hypot(p, q)) - iirMagnitudeDb(cascade, f, RATE)), `${f} Hz`).toBeLessThan(0.001);
      expect(Math.abs(Math.atan2(q, p) - phase), `${f} Hz`).toBeLessThan(1e-5);
    }
  });

  it('returns an empty array for empty input and a copy for no sections', () => {
    expect(applyIir(cascade, new Float32Array(0))).toEqual(new Float32Array(0));
    const x = Float32Array.from([1, -2, 3]);
    const y = applyIir([], x);
    expect(y).toEqual(x);
    expect(y).not.toBe(x);
  });
});

describe('iirGroupDelayFrames', () => {
  const cascade: IirSection[] = [lowPass(1000, RATE), peaking(2000, RATE, 6, 2), highPass(100, RATE)];

  it('matches the analytic group delay Re(B′/B) − Re(A′/A) (1e-6 relative)', () => {
    for (const f of [20, 73, 500, 1000, 2000, 5000, 12000, 20000]) {
      const expected = analyticGroupDelay(cascade, f, RATE);
      expect(Math.abs(iirGroupDelayFrames(cascade, f, RATE) - expected), `${f} Hz`).toBeLessThan(1e-6 * Math.max(1, Math.abs(expected)));
    }
  });

  it("matches the phase slope of applyIir's impulse response (FFT of 2^17 frames) within 1e-3 frames", () => {
    const n = 1 << 17;
    const impulse = new Float32Array(n);
    impulse[0] = 1;
    const spectrum = fftPlan(n).forwardReal(applyIir(cascade, impulse));
    const phase = (k: number): number => Math.atan2(spectrum[2 * k + 1], spectrum[2 * k]);
    for (const k of [300, 1000, 2731, 5461, 10000, 30000]) {
      let d = phase(k + 1) - phase(k - 1);
      if (d > Math.PI) d -= 2 * Math.PI;
      if (d < -Math.PI) d += 2 * Math.PI;
      const measured = -d / ((2 * 2 * Math.PI) / n);
      expect(Math.abs(iirGroupDelayFrames(cascade, (k * RATE) / n, RATE) - measured), `bin ${k}`).toBeLessThan(1e-3);
    }
  });

  it('is zero for a pure gain and one frame for a unit delay', () => {
    expect(iirGroupDelayFrames([{ b: [0.5], a: [1] }], 1000, RATE)).toBeCloseTo(0, 9);
    expect(iirGroupDelayFrames([{ b: [0, 1], a: [1] }], 1000, RATE)).toBeCloseTo(1, 6);
    expect(iirGroupDelayFrames([{ b: [0, 0, 0, 1], a: [1] }], 23000, RATE)).toBeCloseTo(3, 6);
  });
});

describe('linearPhaseBandPass', () => {
  const taps = 255;
  const fir = linearPhaseBandPass(taps, 500, 8000, RATE);

  it('has exactly symmetric taps around the centre tap 2·(fh − fl)/fs', () => {
    expect(fir.length).toBe(taps);
    for (let n = 0; n < taps; n++) expect(fir[n]).toBe(fir[taps - 1 - n]);
    expect(fir[127]).toBe(Math.fround((2 * (8000 - 500)) / RATE));
  });

  it('has exactly linear phase: H(ω)·e^{jω(taps−1)/2} is real at every frequency', () => {
    const m = (taps - 1) / 2;
    for (let f = 0; f < RATE / 2; f += 431) {
      const w = (2 * Math.PI * f) / RATE;
      let re = 0;
      let im = 0;
      for (let n = 0; n < taps; n++) {
        re += fir[n] * Math.cos(w * (m - n));
        im += fir[n] * Math.sin(w * (m - n));
      }
      expect(Math.abs(im), `${f} Hz`).toBeLessThan(1e-12 + 1e-9 * Math.abs(re));
    }
  });

  it('delays a centred click by exactly (taps − 1)/2 frames (peak found within 1e-3 frames)', () => {
    const shape = clickShape(RATE, { lowHz: 1000, highHz: 6000 });
    const x = new Float32Array(2000);
    renderClick(x, shape, 700.25);
    const y = new Float64Array(x.length + taps - 1);
    for (let n = 0; n < x.length; n++) if (x[n] !== 0) for (let k = 0; k < taps; k++) y[n + k] += x[n] * fir[k];
    const peak = refinePeak(y, argMaxAbs(y));
    expect(Math.abs(peak.position - (700.25 + 127))).toBeLessThan(1e-3);
  });

  it('has passband ripple < 0.01 dB, -6.02 dB at the band edges and > 60 dB stopband attenuation', () => {
    let low = Infinity;
    let high = -Infinity;
    for (let f = 1500; f <= 7000; f += 25) {
      const db = firMagnitudeDb(fir, f, RATE);
      low = Math.min(low, db);
      high = Math.max(high, db);
    }
    expect(high - low).toBeLessThan(0.01);
    expect(Math.abs(high)).toBeLessThan(0.01);
    expect(Math.abs(firMagnitudeDb(fir, 500, RATE) + 6.02)).toBeLessThan(0.05);
    expect(Math.abs(firMagnitudeDb(fir, 8000, RATE) + 6.02)).toBeLessThan(0.05);
    expect(firMagnitudeDb(fir, 0, RATE)).toBeLessThan(-60);
    for (let f = 9500; f < RATE / 2; f += 500) expect(firMagnitudeDb(fir, f, RATE), `${f} Hz`).toBeLessThan(-60);
  });

  it('firMagnitudeDb agrees with an FFT of the zero-padded taps', () => {
    const n = 4096;
    const spectrum = fftPlan(n).forwardReal(fir);
    for (const k of [0, 10, 100, 170, 500, 1000, 2047]) {
      const fftDb = 10 * Math.log10(spectrum[2 * k] ** 2 + spectrum[2 * k + 1] ** 2);
      expect(Math.abs(firMagnitudeDb(fir, (k * RATE) / n, RATE) - fftDb), `bin ${k}`).toBeLessThan(1e-6);
    }
  });

  it.each([0, 1, 2, 254, -3, 7.5, Number.NaN])('rejects %s taps with a RangeError naming the count', (count) => {
    expect(() => linearPhaseBandPass(count, 500, 8000, RATE)).toThrow(RangeError);
    expect(() => linearPhaseBandPass(count, 500, 8000, RATE)).toThrow(`got ${count}`);
  });

  it('works with the smallest length, 3 taps (no NaN)', () => {
    const h = linearPhaseBandPass(3, 500, 8000, RATE);
    expect(Array.from(h).every(Number.isFinite)).toBe(true);
    expect(h[0]).toBe(h[2]);
  });
});
