import { describe, expect, it } from 'vitest';
import { clickShape, generateClickTrain, renderClick } from '../stimulus/click-train';
import { fftPlan } from '../primitives/fft';
import { createRandom } from '../primitives/random';
import { meanSquare } from '../primitives/signal-level';
import { argMaxAbs, refinePeak } from '../dsp/subsample-peak';
import { addNoiseAtSnr, applyImpulseResponse, delaySignal, driftSignal, pinkBackground, renderClickCapture, roomImpulseResponse, whiteBackground } from './synthetic-path';

const RATE = 48000;
const OCTAVE_DB = 10 * Math.log10(2);

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < Math.max(a.length, b.length); i++) worst = Math.max(worst, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return worst;
}

/** Schroeder backward-integrated energy decay of h from `start`, in dB re its total. */
function schroederDb(h: Float32Array, start: number): Float64Array {
  const energy = new Float64Array(h.length);
  let sum = 0;
  for (let n = h.length - 1; n >= start; n--) {
    sum += h[n] * h[n];
    energy[n] = sum;
  }
  return Float64Array.from(energy, (e, n) => (n < start ? 0 : 10 * Math.log10(e / sum)));
}

describe('delaySignal', () => {
  const shape = clickShape(RATE);
  const x = new Float32Array(2000);
  renderClick(x, shape, 500);

  it.each([0, 0.1, 0.25, 0.5, 0.9, 10.3, 123.456, 1000.9, -100.7, -340.5])('moves a band-limited click by %f frames (peak within 1e-4, waveform within 1e-6)', (d) => {
    const y = delaySignal(x, d, 3000);
    expect(y.length).toBe(3000);
    const peak = refinePeak(y, argMaxAbs(y));
    expect(Math.abs(peak.position - (500 + d))).toBeLessThan(1e-4);
    const expected = new Float32Array(3000);
    renderClick(expected, shape, 500 + d);
    expect(maxAbsDiff(y, expected)).toBeLessThan(1e-6);
  });

  it('is exact for the part of a click moved across frame 0 (the rest is cut off, not wrapped)', () => {
    const y = delaySignal(x, -499.5, 3000);
    const expected = new Float32Array(3000);
    renderClick(expected, shape, 0.5);
    expect(maxAbsDiff(y, expected)).toBeLessThan(1e-6);
  });

  it('shifts by whole frames exactly (to rounding) and truncates or zero-extends to lengthFrames', () => {
    const random = createRandom(801);
    const noise = Float32Array.from({ length: 300 }, () => random.gaussian());
    const y = delaySignal(noise, 17, 200);
    expect(y.length).toBe(200);
    for (let i = 0; i < 200; i++) expect(Math.abs(y[i] - (i >= 17 ? noise[i - 17] : 0))).toBeLessThan(1e-5);
    const longer = delaySignal(noise, 0, 1000);
    for (let i = 0; i < 1000; i++) expect(Math.abs(longer[i] - (i < 300 ? noise[i] : 0))).toBeLessThan(1e-5);
  });
});

describe('driftSignal and renderClickCapture', () => {
  const train = generateClickTrain({ sampleRate: RATE, count: 4, meanIntervalS: 0.45, leadInS: 0.05, tailS: 0.05 });
  const length = train.samples.length + 3000;

  it.each([0, 100, -250])('agree within 1e-3 at %i ppm: reference frame m arrives at delay + m·(1 + ppm·1e-6)', (ppm) => {
    const delay = 1234.56;
    const interpolated = driftSignal(train.samples, delay, ppm, length);
    const rendered = renderClickCapture({ shape: train.shape, clickFrames: train.clickFrames, lengthFrames: length, delayFrames: delay, driftPpm: ppm });
    expect(maxAbsDiff(interpolated, rendered.capture)).toBeLessThan(1e-3);
    rendered.trueLagFrames.forEach((lag, i) => expect(lag).toBeCloseTo(delay + train.clickFrames[i] * ppm * 1e-6, 9));
    // and the peak of the last click really is where the convention puts it
    const last = train.clickFrames[train.clickFrames.length - 1];
    const arrival = delay + last * (1 + ppm * 1e-6);
    const near = Math.round(arrival);
    const peak = refinePeak(interpolated, argMaxAbs(interpolated, near - 3, near + 4));
    expect(Math.abs(peak.position - arrival)).toBeLessThan(1e-3);
  });

  it('renders seeded jitter, dropouts and gain', () => {
    const clickFrames = Array.from({ length: 200 }, (_, i) => 1000 + 2000 * i);
    const options = { shape: train.shape, clickFrames, lengthFrames: 402000, delayFrames: 300, jitterStdFrames: 2, dropouts: new Set([3, 50]), gain: -0.5, seed: 21 };
    const a = renderClickCapture(options);
    expect(renderClickCapture(options).trueLagFrames).toEqual(a.trueLagFrames);
    expect(renderClickCapture({ ...options, seed: 22 }).trueLagFrames).not.toEqual(a.trueLagFrames);
    expect(a.trueLagFrames[3]).toBeNaN();
    expect(a.trueLagFrames[50]).toBeNaN();
    expect(a.capture.subarray(300 + clickFrames[3] - 200, 300 + clickFrames[3] + 200).every((v) => v === 0)).toBe(true);
    const jitter = a.trueLagFrames.filter((v) => !Number.isNaN(v)).map((v) => v - 300);
    const mean = jitter.reduce((s, v) => s + v, 0) / jitter.length;
    const sd = Math.sqrt(jitter.reduce((s, v) => s + (v - mean) ** 2, 0) / (jitter.length - 1));
    expect(Math.abs(mean)).toBeLessThan(0.5); // 4·2/√198
    expect(Math.abs(sd / 2 - 1)).toBeLessThan(0.2);
    // each click is rendered at its jittered arrival with the gain (inverted here)
    const i = 7;
    const arrival = clickFrames[i] + a.trueLagFrames[i];
    const peak = refinePeak(a.capture, argMaxAbs(a.capture, Math.round(arrival) - 3, Math.round(arrival) + 4));
    expect(Math.abs(peak.position - arrival)).toBeLessThan(1e-3);
    expect(peak.value).toBeCloseTo(-0.5 * train.shape.amplitude, 4);
  });
});

describe('addNoiseAtSnr', () => {
  const clean = Float32Array.from({ length: 96000 }, (_, i) => (i >= 10000 && i < 80000 ? 0.3 * Math.sin(i * 0.05) : 0));

  it.each([30, 12.5, 0, -6])('gives %f dB SNR: clean power over the active span / added-noise power (within 0.01 dB)', (snr) => {
    const noise = pinkBackground(96000, 3);
    const noisy = addNoiseAtSnr(clean, noise, snr, 10000, 80000);
    const added = Float32Array.from(noisy, (v, i) => v - clean[i]);
    const measured = 10 * Math.log10(meanSquare(clean, 10000, 80000) / meanSquare(added));
    expect(Math.abs(measured - snr)).toBeLessThan(0.01);
    // the added noise is the given noise, scaled
    const gain = added[5000] / noise[5000];
    for (const i of [0, 123, 50000, 95999]) expect(added[i]).toBeCloseTo(gain * noise[i], 5);
  });

  it('defaults the active span to the whole signal and leaves its inputs alone', () => {
    const noise = whiteBackground(96000, 4);
    const noiseCopy = noise.slice();
    const cleanCopy = clean.slice();
    const noisy = addNoiseAtSnr(clean, noise, 10);
    expect(noisy).not.toBe(clean);
    expect(clean.every((v, i) => v === cleanCopy[i])).toBe(true);
    expect(noise.every((v, i) => v === noiseCopy[i])).toBe(true);
    const added = Float32Array.from(noisy, (v, i) => v - clean[i]);
    expect(Math.abs(10 * Math.log10(meanSquare(clean) / meanSquare(added)) - 10)).toBeLessThan(0.01);
  });

  it('rejects silent noise instead of returning NaN', () => {
    expect(() => addNoiseAtSnr(clean, new Float32Array(96000), 20)).toThrow(RangeError);
    expect(() => addNoiseAtSnr(clean, new Float32Array(96000), 20)).toThrow(/got 0/);
  });
});

describe('roomImpulseResponse', () => {
  it.each([
    [0.3, 0],
    [0.6, 10],
    [1.0, -5],
  ])('RT60 %f s, DRR %f dB: unit direct sound, DRR within 0.1 dB, Schroeder decay (-5 to -25 dB) within 10 % of RT60', (rt60S, drr) => {
    const h = roomImpulseResponse({ sampleRate: RATE, rt60S, directToReverbDb: drr, seed: 5 });
    expect(h.length).toBe(Math.round(rt60S * RATE));
    expect(h[0]).toBe(1);
    const start = Math.round(0.005 * RATE);
    expect(h.subarray(1, start).every((v) => v === 0)).toBe(true);
    let reverb = 0;
    for (let n = start; n < h.length; n++) reverb += h[n] * h[n];
    expect(Math.abs(10 * Math.log10(1 / reverb) - drr)).toBeLessThan(0.1);
    // Least-squares line through the decay curve between -5 and -25 dB, extrapolated to 60 dB.
    const decay = schroederDb(h, start);
    let n0 = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (let n = start; n < h.length; n++) {
      if (decay[n] > -5 || decay[n] < -25) continue;
      const t = n / RATE;
      n0++;
      sx += t;
      sy += decay[n];
      sxx += t * t;
      sxy += t * decay[n];
    }
    const slope = (n0 * sxy - sx * sy) / (n0 * sxx - sx * sx); // dB per second
    expect(Math.abs(-60 / slope / rt60S - 1)).toBeLessThan(0.1);
  });

  it('adds the discrete reflections at their delays (not counted in the DRR) and is seeded', () => {
    const options = { sampleRate: RATE, rt60S: 0.2, directToReverbDb: 6, reflections: [{ delayMs: 2, gain: 0.5 }, { delayMs: 3.5, gain: -0.25 }, { delayMs: 500, gain: 1 }] };
    const h = roomImpulseResponse(options);
    expect(h[96]).toBe(0.5);
    expect(h[168]).toBe(-0.25);
    expect(h.subarray(1, 240).filter((v) => v !== 0)).toEqual(Float32Array.of(0.5, -0.25));
    expect(roomImpulseResponse(options)).toEqual(h);
    expect(roomImpulseResponse({ ...options, seed: 12 })).not.toEqual(h);
  });

  it('passes a click through as direct sound plus reverb (applyImpulseResponse keeps lengthFrames)', () => {
    const h = roomImpulseResponse({ sampleRate: RATE, rt60S: 0.1, directToReverbDb: 20 });
    const x = new Float32Array(4000);
    renderClick(x, clickShape(RATE), 1000);
    const y = applyImpulseResponse(x, h);
    expect(y.length).toBe(4000);
    expect(applyImpulseResponse(x, h, 9000).length).toBe(9000);
    const peak = refinePeak(y, argMaxAbs(y));
    expect(Math.abs(peak.position - 1000)).toBeLessThan(0.05); // reverb 20 dB down barely moves the direct peak
  });
});

describe('pinkBackground', () => {
  it('is the Kellet filter applied to the seeded Gaussian sequence, scaled to unit RMS', () => {
    const out = pinkBackground(20000, 31);
    expect(Math.abs(Math.sqrt(meanSquare(out)) - 1)).toBeLessThan(1e-6);
    const random = createRandom(31);
    const poles: Array<[number, number]> = [[0.99886, 0.0555179], [0.99332, 0.0750759], [0.969, 0.153852], [0.8665, 0.3104856], [0.55, 0.5329522], [-0.7616, -0.016898]];
    const state = new Float64Array(poles.length);
    let previousWhite = 0;
    const reference = new Float64Array(20000);
    for (let i = 0; i < 20000; i++) {
      const white = random.gaussian();
      let y = 0.5362 * white + 0.115926 * previousWhite;
      poles.forEach(([p, g], j) => {
        state[j] = p * state[j] + g * white;
        y += state[j];
      });
      reference[i] = y;
      previousWhite = white;
    }
    const scale = out[100] / reference[100];
    for (let i = 0; i < 20000; i += 7) expect(Math.abs(out[i] - scale * reference[i])).toBeLessThan(1e-5);
  });

  it('falls 3 dB per octave (±0.3 dB per octave) from 50 Hz to 10 kHz, averaged over 87 s of seeded noise', () => {
    const n = 65536;
    const segments = 64;
    const noise = pinkBackground(n * segments, 9);
    const plan = fftPlan(n);
    const window = Float64Array.from({ length: n }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));
    const segment = new Float64Array(n);
    const power = new Float64Array(n / 2 + 1);
    for (let s = 0; s < segments; s++) {
      for (let i = 0; i < n; i++) segment[i] = noise[s * n + i] * window[i];
      const spectrum = plan.forwardReal(segment);
      for (let k = 0; k <= n / 2; k++) power[k] += spectrum[2 * k] ** 2 + spectrum[2 * k + 1] ** 2;
    }
    const bandDb = (low: number, high: number): number => {
      let sum = 0;
      for (let k = Math.ceil((low * n) / RATE); (k * RATE) / n < high; k++) sum += power[k];
      return 10 * Math.log10(sum / (high - low));
    };
    for (let f = 50; f * 4 <= 12800; f *= 2) {
      const step = bandDb(f, 2 * f) - bandDb(2 * f, 4 * f);
      expect(Math.abs(step - OCTAVE_DB), `${f}-${4 * f} Hz`).toBeLessThan(0.3);
    }
    // over the whole range: 7.6 octaves from 50 Hz to 10 kHz
    expect(Math.abs((bandDb(50, 100) - bandDb(5000, 10000)) / Math.log2(100) - OCTAVE_DB)).toBeLessThan(0.05);
  });

  it('is deterministic for a seed and different for another', () => {
    expect(pinkBackground(1000, 4)).toEqual(pinkBackground(1000, 4));
    expect(pinkBackground(1000, 4)).not.toEqual(pinkBackground(1000, 5));
    expect(pinkBackground(0, 4)).toEqual(new Float32Array(0));
  });
});
