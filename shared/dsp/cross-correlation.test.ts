import { describe, expect, it } from 'vitest';
import { clickShape, renderClick } from '../stimulus/click-train';
import { correlateWithImpulse, type CorrelationWeighting, type CorrelationWindow, crossCorrelateWindow } from './cross-correlation';
import { nextFftSize, scratchBetweenTransforms } from '../primitives/fft';
import { createRandom } from '../primitives/random';
import { HELPER_START_SIZE, helperFor, installWorkHelper, runHelperTask } from '../primitives/shared-work';

/** Frame `i` of `x`, 0 outside the array. */
const at = (x: ArrayLike<number>, i: number): number => (i >= 0 && i < x.length ? x[i] : 0);

/** r[k] = Σ_n t[templateStart + n] · s[signalStart + n + k], by direct summation. */
function naiveCorrelation(w: CorrelationWindow): Float64Array {
  const lags = w.signalLength - w.templateLength + 1;
  const r = new Float64Array(lags);
  for (let k = 0; k < lags; k++) {
    let sum = 0;
    for (let n = 0; n < w.templateLength; n++) sum += at(w.template, w.templateStart + n) * at(w.signal, w.signalStart + n + k);
    r[k] = sum;
  }
  return r;
}

/** Complex naive DFT of a real sequence of length n: [re[], im[]]. */
function naiveDft(x: Float64Array): [Float64Array, Float64Array] {
  const n = x.length;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    for (let t = 0; t < n; t++) {
      const angle = (-2 * Math.PI * ((k * t) % n)) / n;
      re[k] += x[t] * Math.cos(angle);
      im[k] += x[t] * Math.sin(angle);
    }
  }
  return [re, im];
}

/**
 * Generalised PHAT by a full-length naive DFT (no half spectra, no FFT): G = conj(T)·S weighted by
 * 1/|G|^β where the template has energy (above 1e-6 of its strongest bin), 0 elsewhere.
 */
function naivePhat(w: CorrelationWindow, beta: number): Float64Array {
  const n = nextFftSize(w.signalLength); // the weighting is over the zero-padded transform, so its size matters
  const t = Float64Array.from({ length: n }, (_, i) => (i < w.templateLength ? at(w.template, w.templateStart + i) : 0));
  const s = Float64Array.from({ length: n }, (_, i) => (i < w.signalLength ? at(w.signal, w.signalStart + i) : 0));
  const [tr, ti] = naiveDft(t);
  const [sr, si] = naiveDft(s);
  const power = tr.map((v, k) => v * v + ti[k] * ti[k]);
  const floor = 1e-6 * Math.max(...power);
  const gr = new Float64Array(n);
  const gi = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const re = tr[k] * sr[k] + ti[k] * si[k];
    const im = tr[k] * si[k] - ti[k] * sr[k];
    const weight = power[k] > floor ? 1 / Math.hypot(re, im) ** beta : 0;
    gr[k] = re * weight;
    gi[k] = im * weight;
  }
  const lags = w.signalLength - w.templateLength + 1;
  const r = new Float64Array(lags);
  for (let lag = 0; lag < lags; lag++) {
    let sum = 0;
    for (let k = 0; k < n; k++) {
      const angle = (2 * Math.PI * ((k * lag) % n)) / n;
      sum += gr[k] * Math.cos(angle) - gi[k] * Math.sin(angle);
    }
    r[lag] = sum / n;
  }
  return r;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

function energy(x: ArrayLike<number>, start: number, length: number): number {
  let sum = 0;
  for (let i = 0; i < length; i++) sum += at(x, start + i) ** 2;
  return sum;
}

describe("crossCorrelateWindow, weighting 'none'", () => {
  it('equals the naive direct-sum correlation over random lengths and offsets, windows past the ends reading as zeros', () => {
    const random = createRandom(201);
    let pastEnds = 0;
    for (let trial = 0; trial < 60; trial++) {
      const template = Float32Array.from({ length: 1 + random.int(400) }, () => random.gaussian());
      const signal = Float32Array.from({ length: 1 + random.int(900) }, () => random.gaussian());
      const templateLength = 1 + random.int(300);
      const signalLength = templateLength + random.int(600);
      const window: CorrelationWindow = {
        template,
        templateStart: random.int(template.length + 100) - 80,
        templateLength,
        signal,
        signalStart: random.int(signal.length + 200) - 150,
        signalLength,
      };
      if (window.templateStart < 0 || window.templateStart + templateLength > template.length) pastEnds++;
      if (window.signalStart < 0 || window.signalStart + signalLength > signal.length) pastEnds++;
      const actual = crossCorrelateWindow(window);
      const expected = naiveCorrelation(window);
      const scale = Math.sqrt(energy(template, window.templateStart, templateLength) * energy(signal, window.signalStart, signalLength)) + 1e-300;
      expect(actual.length).toBe(signalLength - templateLength + 1);
      expect(maxAbsDiff(actual, expected) / scale, `trial ${trial}`).toBeLessThan(1e-12);
    }
    expect(pastEnds).toBeGreaterThan(30); // the random windows really did run past the array ends
  });

  it('handles the extreme shapes: one lag, one-frame template, plain arrays', () => {
    const random = createRandom(202);
    const signal = Array.from({ length: 64 }, () => random.gaussian());
    const template = Array.from({ length: 64 }, () => random.gaussian());
    const cases: CorrelationWindow[] = [
      { template, templateStart: 0, templateLength: 64, signal, signalStart: 0, signalLength: 64 }, // one lag, power-of-two length
      { template, templateStart: 10, templateLength: 1, signal, signalStart: 0, signalLength: 1 }, // a single product (FFT size 4, not 2)
      { template, templateStart: 10, templateLength: 2, signal, signalStart: 7, signalLength: 2 },
      { template, templateStart: 10, templateLength: 1, signal, signalStart: 7, signalLength: 2 },
      { template, templateStart: 63, templateLength: 1, signal, signalStart: 5, signalLength: 59 }, // one-frame template: a scaled copy
      { template, templateStart: 0, templateLength: 33, signal, signalStart: 0, signalLength: 65 }, // FFT size 128
    ];
    for (const w of cases) expect(maxAbsDiff(crossCorrelateWindow(w), naiveCorrelation(w))).toBeLessThan(1e-12);
  });

  it('finds an integer delay of the template in noise at exactly that lag, with the template energy', () => {
    const random = createRandom(203);
    const template = Float32Array.from({ length: 256 }, () => random.gaussian());
    const signal = new Float32Array(3000);
    signal.set(template, 1777);
    const r = crossCorrelateWindow({ template, templateStart: 0, templateLength: 256, signal, signalStart: 1000, signalLength: 2000 });
    let best = 0;
    for (let k = 1; k < r.length; k++) if (r[k] > r[best]) best = k;
    expect(best).toBe(777);
    expect(r[best] / energy(template, 0, 256) - 1).toBeLessThan(1e-12);
  });

  it('is exactly zero when the template window lies outside the template', () => {
    const signal = Float32Array.from({ length: 100 }, (_, i) => Math.sin(i));
    const r = crossCorrelateWindow({ template: new Float32Array(10).fill(1), templateStart: 50, templateLength: 10, signal, signalStart: 0, signalLength: 100 });
    expect(r.length).toBe(91);
    expect(r.every((v) => v === 0)).toBe(true);
  });

  it.each([
    [0, 10],
    [-3, 10],
    [11, 10],
    [Number.NaN, 10],
    [5, Number.NaN],
  ])('rejects templateLength %s with signalLength %s, naming both', (templateLength, signalLength) => {
    const w = { template: new Float32Array(20), templateStart: 0, templateLength, signal: new Float32Array(20), signalStart: 0, signalLength };
    expect(() => crossCorrelateWindow(w)).toThrow(RangeError);
    expect(() => crossCorrelateWindow(w)).toThrow(`templateLength (${templateLength}) <= signalLength (${signalLength})`);
  });

  it('rejects a window too long for an FFT, naming the length', () => {
    const w = { template: [1], templateStart: 0, templateLength: 1, signal: [1], signalStart: 0, signalLength: 2 ** 31 };
    expect(() => crossCorrelateWindow(w)).toThrow(RangeError);
    expect(() => crossCorrelateWindow(w)).toThrow(String(2 ** 31));
  });
});

describe("crossCorrelateWindow, weighting 'phat'", () => {
  it('matches a naive-DFT PHAT (β = 1 and β = 0.5) on small random cases', () => {
    const random = createRandom(204);
    for (const beta of [1, 0.5]) {
      for (let trial = 0; trial < 4; trial++) {
        const template = Float64Array.from({ length: 40 }, () => random.gaussian());
        const signal = Float64Array.from({ length: 120 }, () => random.gaussian());
        const w: CorrelationWindow = { template, templateStart: 3 - trial, templateLength: 20 + 3 * trial, signal, signalStart: 10 * trial - 5, signalLength: 50 + 20 * trial };
        const actual = crossCorrelateWindow(w, { weighting: 'phat', phatExponent: beta });
        const expected = naivePhat(w, beta);
        const scale = Math.max(...expected.map(Math.abs));
        expect(maxAbsDiff(actual, expected) / scale, `β=${beta} trial ${trial}`).toBeLessThan(1e-9);
      }
    }
  });

  it('gives band-limited templates zero weight outside their band, as the naive PHAT does', () => {
    // A 48 kHz click: nothing above ~17 kHz, so those bins fall below the -60 dB band floor.
    const shape = clickShape(48000);
    const template = new Float32Array(300);
    renderClick(template, shape, 150);
    const signal = new Float32Array(600);
    renderClick(signal, shape, 321.4);
    const random = createRandom(205);
    for (let i = 0; i < signal.length; i++) signal[i] += 0.01 * random.gaussian();
    const w: CorrelationWindow = { template, templateStart: 0, templateLength: 300, signal, signalStart: 50, signalLength: 500 };
    const actual = crossCorrelateWindow(w, { weighting: 'phat' });
    const expected = naivePhat(w, 1);
    const scale = Math.max(...expected.map(Math.abs));
    expect(maxAbsDiff(actual, expected) / scale).toBeLessThan(1e-9);
    // and the peak is where the click is: 321.4 - 50 - 150 = 121.4 frames
    let best = 0;
    for (let k = 1; k < actual.length; k++) if (actual[k] > actual[best]) best = k;
    expect(best).toBe(121);
  });

  it('turns an exact full-band delayed copy into a unit impulse at the delay (β = 1)', () => {
    // G = |T|² e^{-jωd}, so G/|G| = e^{-jωd}, whose inverse is δ[k − d] exactly.
    const random = createRandom(206);
    const template = Float64Array.from({ length: 100 }, () => random.gaussian());
    const signal = new Float64Array(256);
    signal.set(template, 37);
    const r = crossCorrelateWindow({ template, templateStart: 0, templateLength: 100, signal, signalStart: 0, signalLength: 256 }, { weighting: 'phat' });
    expect(r.length).toBe(157);
    for (let k = 0; k < r.length; k++) expect(Math.abs(r[k] - (k === 37 ? 1 : 0)), `lag ${k}`).toBeLessThan(1e-9);
    // β < 1 keeps some magnitude weighting: a broader peak, but still at the delay.
    const soft = crossCorrelateWindow({ template, templateStart: 0, templateLength: 100, signal, signalStart: 0, signalLength: 256 }, { weighting: 'phat', phatExponent: 0.5 });
    let best = 0;
    for (let k = 1; k < soft.length; k++) if (soft[k] > soft[best]) best = k;
    expect(best).toBe(37);
  });

  it('works for the shortest windows (one and two frames)', () => {
    const w: CorrelationWindow = { template: [0.5, -2], templateStart: 0, templateLength: 1, signal: [3, -4], signalStart: 0, signalLength: 2 };
    const r = crossCorrelateWindow(w, { weighting: 'phat' });
    expect(r.length).toBe(2);
    // (PHAT's regularisation is 1e-12 of the largest cross-spectrum bin, hence 1e-9 and not 1e-12)
    expect(maxAbsDiff(r, naivePhat(w, 1))).toBeLessThan(1e-9);
    expect(maxAbsDiff(crossCorrelateWindow(w), [1.5, -2])).toBeLessThan(1e-15);
  });

  it('returns zeros, not NaN, for a silent template or a silent signal', () => {
    const noise = Float64Array.from({ length: 64 }, (_, i) => Math.sin(i * 1.7) + Math.cos(i * 0.3));
    const silent = new Float64Array(64);
    for (const [template, signal] of [[silent, noise], [noise, silent], [silent, silent]]) {
      const r = crossCorrelateWindow({ template, templateStart: 0, templateLength: 16, signal, signalStart: 0, signalLength: 64 }, { weighting: 'phat' });
      expect(r.length).toBe(49);
      expect(r.every((v) => Number.isFinite(v) && Math.abs(v) < 1e-12)).toBe(true);
    }
  });

  it.each([0, -0.5, 1.5, Number.NaN])('rejects PHAT exponent %s with a RangeError naming it', (beta) => {
    const w = { template: [1, 2, 3], templateStart: 0, templateLength: 3, signal: [1, 2, 3, 4], signalStart: 0, signalLength: 4 };
    expect(() => crossCorrelateWindow(w, { weighting: 'phat', phatExponent: beta })).toThrow(RangeError);
    expect(() => crossCorrelateWindow(w, { weighting: 'phat', phatExponent: beta })).toThrow(`got ${beta}`);
    // the exponent is only read for PHAT
    expect(() => crossCorrelateWindow(w, { weighting: 'none', phatExponent: beta })).not.toThrow();
  });
});

describe("crossCorrelateWindow, weighting 'deconvolve'", () => {
  it('gives the impulse response of the path, whatever the template spectrum: gain and sign at the delay, ~0 elsewhere', () => {
    const random = createRandom(21);
    const n = 8192;
    const white = Float64Array.from({ length: n }, () => random.gaussian());
    // A strongly coloured template: white noise through a one-pole low-pass (−20 dB per decade).
    const coloured = new Float64Array(n);
    for (let i = 0, y = 0; i < n; i++) coloured[i] = y = 0.95 * y + white[i];
    for (const template of [white, coloured]) {
      const delay = 37;
      // The path: −0.5 at `delay` and +0.25 three frames later.
      const signal = new Float64Array(n + 64);
      for (let i = 0; i < n; i++) {
        signal[i + delay] += -0.5 * template[i];
        signal[i + delay + 3] += 0.25 * template[i];
      }
      const r = crossCorrelateWindow({ template, templateStart: 0, templateLength: n, signal, signalStart: 0, signalLength: n + 64 }, { weighting: 'deconvolve' });
      const scale = r[delay] / -0.5;
      expect(scale).toBeGreaterThan(0);
      expect(r[delay + 3] / scale).toBeCloseTo(0.25, 1);
      for (let k = 0; k < r.length; k++) if (k !== delay && k !== delay + 3) expect(Math.abs(r[k] / scale)).toBeLessThan(0.06);
    }
  });
});

describe('correlateWithImpulse', () => {
  it("gives exactly crossCorrelateWindow's correlation for each weighting and its 'deconvolve' one, small and four-step sizes", () => {
    const random = createRandom(22);
    // Signal lengths whose FFTs are direct (2^10) and four-step (2^19 points: 2^18 complex).
    for (const signalLength of [700, 300_000]) {
      const templateLength = Math.round(signalLength * 0.6);
      const template = Float32Array.from({ length: templateLength + 50 }, () => random.gaussian());
      const signal = new Float32Array(signalLength + 100);
      for (let i = 0; i < template.length; i++) signal[i + 40] = -0.7 * template[i] + 0.1 * random.gaussian();
      const w: CorrelationWindow = { template, templateStart: 17, templateLength, signal, signalStart: 3, signalLength };
      const impulse = crossCorrelateWindow(w, { weighting: 'deconvolve' });
      for (const weighting of ['none', 'phat', 'deconvolve'] as CorrelationWeighting[]) {
        for (const phatExponent of weighting === 'phat' ? [1, 0.7] : [1]) {
          const both = correlateWithImpulse(w, { weighting, phatExponent });
          expect(both.r, `${weighting} β=${phatExponent}, ${signalLength}`).toEqual(crossCorrelateWindow(w, { weighting, phatExponent }));
          expect(both.impulse, `${weighting}, ${signalLength}`).toEqual(impulse);
        }
      }
      // The path: −0.7 at lag 40 + 17 − 3 = 54, so the impulse response is negative there.
      let peak = 0;
      for (let k = 1; k < impulse.length; k++) if (Math.abs(impulse[k]) > Math.abs(impulse[peak])) peak = k;
      expect(peak).toBe(54);
      expect(impulse[peak]).toBeLessThan(0);
    }
  });

  it("with `whole`: the same PHAT correlation (to 1e-12), and the regularised deconvolution over every lag, the path's gain at its lag", () => {
    const random = createRandom(23);
    const sampleRate = 48000;
    // White noise through −0.7 at a lag of 54 frames, at 40 dB SNR; a signal length whose FFT is 3·2^k.
    const templateLength = 20_000;
    const template = Float32Array.from({ length: templateLength + 50 }, () => random.gaussian());
    const signal = new Float32Array(23_000);
    for (let i = 0; i < signal.length; i++) signal[i] = 0.007 * random.gaussian() + (i >= 57 && i - 57 < template.length ? -0.7 * template[i - 57] : 0);
    const w: CorrelationWindow = { template, templateStart: 17, templateLength, signal, signalStart: 20, signalLength: 23_000 - 20 };
    const both = correlateWithImpulse(w, { weighting: 'phat' }, { sampleRate, keep: true });
    const plain = crossCorrelateWindow(w, { weighting: 'phat' });
    expect(both.r.length).toBe(plain.length);
    expect(both.r.reduce((m, v, i) => Math.max(m, Math.abs(v - plain[i])), 0)).toBeLessThan(1e-12);
    const whole = both.whole;
    if (!whole) throw new Error('no whole deconvolution');
    expect(whole.cyclic.length).toBe(nextFftSize(w.signalLength));
    expect([whole.lagFrom, whole.templateStart, whole.templateLength, whole.signalEnd]).toEqual([3, 17, templateLength, 23_000]);
    // Lag 57 (capture frame i holds reference frame i − 57): index 57 − lagFrom (3) = 54. White noise's
    // band is all of it, so the taper leaves the path's gain there.
    let peak = 0;
    for (let k = 1; k < whole.cyclic.length; k++) if (Math.abs(whole.cyclic[k]) > Math.abs(whole.cyclic[peak])) peak = k;
    expect(peak).toBe(54);
    expect(whole.cyclic[peak]).toBeCloseTo(-0.7, 1);
    expect(both.impulse).toEqual(whole.cyclic.slice(0, plain.length));
    // The deconvolution is the caller's: a later correlation does not write over it.
    const kept = whole.cyclic.slice();
    correlateWithImpulse({ ...w, signal: signal.map((v) => -v) }, { weighting: 'phat' }, { sampleRate, keep: true });
    crossCorrelateWindow(w, { weighting: 'phat' });
    expect(whole.cyclic).toEqual(kept);
    expect(whole.lowHz).toBeLessThan(200);
    expect(whole.highHz).toBeGreaterThan(20_000);
  });

  it('with `whole`: the same as on a fresh process when earlier transforms left their scratch full (the prefix sums live there), for every weighting', () => {
    const random = createRandom(29);
    const sampleRate = 48000;
    const templateLength = 20_000;
    const template = Float32Array.from({ length: templateLength + 50 }, () => random.gaussian());
    const signal = Float32Array.from({ length: 23_000 }, (_, i) => 0.01 * random.gaussian() + (i >= 57 && i - 57 < template.length ? 0.5 * template[i - 57] : 0));
    const w: CorrelationWindow = { template, templateStart: 17, templateLength, signal, signalStart: 20, signalLength: 23_000 - 20 };
    const size = nextFftSize(w.signalLength);
    for (const weighting of ['none', 'phat', 'deconvolve'] as const) {
      // Both work buffers left full by an unrelated correlation, and the scratch full of huge values.
      correlateWithImpulse({ ...w, signal: Float32Array.from({ length: 23_000 }, () => 1e6 * random.gaussian()) }, { weighting }, { sampleRate, keep: false });
      scratchBetweenTransforms(size).fill(1e30);
      const both = correlateWithImpulse(w, { weighting }, { sampleRate, keep: true });
      const plain = crossCorrelateWindow(w, { weighting });
      const scale = plain.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expect(both.r.reduce((m, v, i) => Math.max(m, Math.abs(v - plain[i])), 0) / scale, weighting).toBeLessThan(1e-12);
      const peak = both.impulse.reduce((best, v, i, a) => (Math.abs(v) > Math.abs(a[best]) ? i : best), 0);
      expect(peak, weighting).toBe(54);
      expect(both.impulse[peak], weighting).toBeCloseTo(0.5, 1);
    }
  });

  it('with `whole` and a helper thread: the same correlation and deconvolution bit for bit, the per-bin pass between the transforms shared', () => {
    const random = createRandom(31);
    const sampleRate = 48000;
    // Long enough (2^19 points) for the work buffers to be shared memory once a helper runs.
    const templateLength = 400_000;
    const template = Float32Array.from({ length: templateLength }, () => random.gaussian());
    const signal = Float32Array.from({ length: 500_000 }, (_, i) => 0.01 * random.gaussian() + (i >= 300 && i - 300 < templateLength ? 0.5 * template[i - 300] : 0));
    const w: CorrelationWindow = { template, templateStart: 0, templateLength, signal, signalStart: 0, signalLength: signal.length };
    const copy = (c: ReturnType<typeof correlateWithImpulse>) => ({ r: c.r.slice(), impulse: c.impulse.slice(), cyclic: c.whole?.cyclic.slice() });
    const alone = copy(correlateWithImpulse(w, { weighting: 'phat' }, { sampleRate, keep: true }));
    const kernels = new Set<string>();
    installWorkHelper(() => ({
      post: (task) => {
        kernels.add(task.kernel);
        runHelperTask(task); // every unit, before the caller claims any
      },
    }));
    try {
      expect(helperFor(HELPER_START_SIZE)).toBe(true);
      const shared = copy(correlateWithImpulse(w, { weighting: 'phat' }, { sampleRate, keep: true }));
      expect(kernels.has('whole-capture-bins')).toBe(true);
      for (const key of ['r', 'impulse', 'cyclic'] as const) {
        const a = alone[key] as Float64Array;
        const b = shared[key] as Float64Array;
        expect(b.length, key).toBe(a.length);
        expect(a.every((v, i) => Object.is(v, b[i])), key).toBe(true);
      }
    } finally {
      installWorkHelper(null);
    }
  });

  it('checks its window like crossCorrelateWindow', () => {
    const w = { template: [1, 2, 3], templateStart: 0, templateLength: 5, signal: [1, 2, 3, 4], signalStart: 0, signalLength: 4 };
    expect(() => correlateWithImpulse(w)).toThrow('templateLength (5) <= signalLength (4)');
    expect(() => correlateWithImpulse({ ...w, templateLength: 3 }, { weighting: 'phat', phatExponent: 2 })).toThrow('got 2');
  });
});
