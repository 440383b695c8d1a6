import { describe, expect, it } from 'vitest';
import {
  SPACING_TOLERANCE_S,
  UNIQUE_SPACING_SPAN_S,
  clickHalfLengthFrames,
  clickShape,
  clickTimes,
  clickValue,
  generateClickTrain,
  renderClick,
  validateSampleRate,
} from './click-train';
import { fftPlan } from '../primitives/fft';

/** The spectrum of one click (at an integer frame of a zero buffer), in dB relative to the ideal passband. */
function clickSpectrumDb(sampleRate: number): (hz: number) => number {
  const shape = clickShape(sampleRate);
  const n = 65536;
  const buffer = new Float32Array(n);
  renderClick(buffer, shape, 2000);
  const spectrum = fftPlan(n).forwardReal(buffer);
  // A windowed band-pass sinc has passband gain 1 in continuous time; the DFT of its samples is fs times
  // that. The click is scaled so its peak (at t = 0: 2(fh − fl) − dcOffset) equals the amplitude.
  const passband = (shape.amplitude * sampleRate) / (2 * (shape.highHz - shape.lowHz) - shape.dcOffset);
  return (hz) => {
    const k = Math.round((hz * n) / sampleRate);
    return 20 * Math.log10(Math.hypot(spectrum[2 * k], spectrum[2 * k + 1]) / passband);
  };
}

/** Composite Simpson integral of f over [a, b] with `steps` (even) intervals. */
function simpson(f: (x: number) => number, a: number, b: number, steps: number): number {
  const h = (b - a) / steps;
  let sum = f(a) + f(b);
  for (let i = 1; i < steps; i++) sum += (i % 2 === 1 ? 4 : 2) * f(a + i * h);
  return (sum * h) / 3;
}

describe('clickShape and clickValue', () => {
  it('has the documented defaults, with the top of the band capped at 0.42·fs', () => {
    expect(clickShape(48000)).toMatchObject({ sampleRate: 48000, lowHz: 300, highHz: 16000, lengthS: 0.006, amplitude: 10 ** (-6 / 20) });
    expect(clickShape(32000).highHz).toBeCloseTo(13440, 9);
    expect(clickShape(96000, { lowHz: 1000, highHz: 30000, levelDbfs: -20 })).toMatchObject({ lowHz: 1000, highHz: 30000, amplitude: 0.1 });
  });

  it('peaks at t = 0 with exactly the requested amplitude, is symmetric and zero outside ±3 ms', () => {
    for (const levelDbfs of [0, -6, -37.5]) {
      const shape = clickShape(48000, { levelDbfs });
      expect(clickValue(shape, 0)).toBeCloseTo(10 ** (levelDbfs / 20), 15);
      let largest = 0;
      let asymmetry = 0;
      for (let t = -0.003; t <= 0.003; t += 1e-7) {
        if (Math.abs(t) > 1e-9) largest = Math.max(largest, Math.abs(clickValue(shape, t)));
        asymmetry = Math.max(asymmetry, Math.abs(clickValue(shape, t) - clickValue(shape, -t)));
      }
      expect(largest).toBeLessThan(clickValue(shape, 0));
      expect(asymmetry).toBeLessThan(1e-15);
      for (const t of [-0.003, 0.003, 0.0031, -0.01, 1]) expect(clickValue(shape, t)).toBe(0);
    }
  });

  it('rejects bad sample rates, empty bands and out-of-range levels, naming the value', () => {
    for (const rate of [7999, 384001, 44100.5, Number.NaN]) {
      expect(() => clickShape(rate)).toThrow(RangeError);
      expect(() => clickShape(rate)).toThrow(`got ${rate}`);
      expect(() => validateSampleRate(rate)).toThrow(`got ${rate}`);
    }
    expect(() => clickShape(48000, { lowHz: 0 })).toThrow(/click band 0-16000 Hz is empty/);
    expect(() => clickShape(48000, { lowHz: 17000 })).toThrow(/17000-16000/);
    expect(() => clickShape(8000, { lowHz: 4000 })).toThrow(/4000-3360/);
    expect(() => clickShape(48000, { levelDbfs: 0.5 })).toThrow(/got 0.5/);
    expect(() => clickShape(48000, { levelDbfs: -121 })).toThrow(/got -121/);
  });
});

describe('renderClick', () => {
  it('adds the analytic click at a fractional centre, scaled by gain, clipped to the buffer', () => {
    const shape = clickShape(48000);
    const out = new Float32Array(400).fill(0.25);
    renderClick(out, shape, 200.37, -0.5);
    for (let n = 0; n < out.length; n++) {
      expect(out[n]).toBe(Math.fround(0.25 - 0.5 * clickValue(shape, (n - 200.37) / 48000)));
    }
    const edge = new Float32Array(100);
    renderClick(edge, shape, 10.5); // most of the click lies before frame 0
    renderClick(edge, shape, 245); // support starts at frame 101: nothing written
    for (let n = 0; n < edge.length; n++) expect(edge[n]).toBe(Math.fround(clickValue(shape, (n - 10.5) / 48000)));
  });

  it('has a half length of ceil(3 ms · fs) frames', () => {
    expect(clickHalfLengthFrames(clickShape(48000))).toBe(144);
    expect(clickHalfLengthFrames(clickShape(44100))).toBe(133);
    expect(clickHalfLengthFrames(clickShape(96000))).toBe(288);
  });
});

describe('click spectrum', () => {
  it.each([44100, 48000, 96000])('is flat within ±0.01 dB from 1 to 12 kHz, -6 dB at the top edge, matches its Fourier integral at the low edge and is silent above the band at %i Hz', (rate) => {
    const db = clickSpectrumDb(rate);
    for (let hz = 1000; hz <= 12000; hz += 50) expect(Math.abs(db(hz)), `${hz} Hz`).toBeLessThan(0.01);
    expect(Math.abs(db(16000) + 6.02)).toBeLessThan(0.05);
    // The low edge is shaped by the DC removal as well: compare with the continuous-time transform
    // of the (even) click, ∫ click(t)·cos(2πft) dt, relative to its passband.
    const shape = clickShape(rate);
    const passband = shape.amplitude / (2 * (shape.highHz - shape.lowHz) - shape.dcOffset);
    for (const nominal of [200, 300, 500]) {
      const hz = (Math.round((nominal * 65536) / rate) * rate) / 65536; // the DFT bin's exact frequency
      const continuous = simpson((t) => clickValue(shape, t) * Math.cos(2 * Math.PI * hz * t), -0.003, 0.003, 60000);
      expect(Math.abs(db(hz) - 20 * Math.log10(Math.abs(continuous) / passband)), `${hz} Hz`).toBeLessThan(0.01);
    }
    expect(db(300)).toBeLessThan(-3);
    expect(db(300)).toBeGreaterThan(-9);
    for (let hz = 17500; hz < Math.min(rate / 2, 40000); hz += 250) expect(db(hz), `${hz} Hz`).toBeLessThan(-100);
  });

  it.each([44100, 48000, 96000])('has no DC (zero area) at %i Hz, and stays well below the passband an octave under the band', (rate) => {
    // Ground truth from the continuous-time design, independently of the sampling: its integral is 0.
    const shape = clickShape(rate);
    expect(Math.abs(simpson((t) => clickValue(shape, t), -0.003, 0.003, 60000))).toBeLessThan(1e-12);
    const db = clickSpectrumDb(rate);
    expect(db(0)).toBeLessThan(-100);
    expect(db(100)).toBeLessThan(-16);
  });
});

describe('clickTimes', () => {
  it('starts at 0 and keeps every interval within ±35 % of the mean', () => {
    for (const mean of [0.5, 1, 2.5]) {
      const times = clickTimes(400, mean, 9);
      expect(times[0]).toBe(0);
      expect(times).toHaveLength(400);
      for (let i = 1; i < times.length; i++) {
        const ratio = (times[i] - times[i - 1]) / mean;
        expect(ratio).toBeGreaterThanOrEqual(0.65 - 1e-12);
        expect(ratio).toBeLessThan(1.35 + 1e-12);
      }
      const meanInterval = times[times.length - 1] / (times.length - 1);
      expect(Math.abs(meanInterval / mean - 1), `mean ${mean}`).toBeLessThan(0.03);
    }
  });

  it('is deterministic for a seed, different for another seed, and generative (a longer train extends a shorter one)', () => {
    expect(clickTimes(100, 0.5, 42)).toEqual(clickTimes(100, 0.5, 42));
    const a = clickTimes(100, 0.5, 42);
    const b = clickTimes(100, 0.5, 43);
    expect(a.slice(1).every((t, i) => t !== b[i + 1])).toBe(true);
    expect(clickTimes(250, 0.5, 42).slice(0, 100)).toEqual(a);
  });

  it('keeps click-pair spacings within a 3 s stretch at least 4 ms apart over a 10-minute train (unambiguous alignment)', () => {
    // Equivalently: for any shift Δ, at most one click pair inside any 3 s stretch has a spacing
    // within SPACING_TOLERANCE_S / 2 of Δ, so a shifted copy of a stretch lines up with one click at most.
    for (const [mean, seed] of [[0.5, 1], [0.5, 2], [1, 3]] as const) {
      const times = clickTimes(Math.ceil(620 / mean), mean, seed);
      expect(times[times.length - 1]).toBeGreaterThan(600);
      const pairs: Array<{ spacing: number; first: number; second: number }> = [];
      for (let i = 0; i < times.length; i++) {
        for (let j = i + 1; j < times.length && times[j] - times[i] < UNIQUE_SPACING_SPAN_S; j++) pairs.push({ spacing: times[j] - times[i], first: times[i], second: times[j] });
      }
      pairs.sort((p, q) => p.spacing - q.spacing);
      let clashes = 0;
      let checked = 0;
      for (let a = 0; a < pairs.length; a++) {
        for (let b = a + 1; b < pairs.length && pairs[b].spacing - pairs[a].spacing < 2 * SPACING_TOLERANCE_S; b++) {
          const stretch = Math.max(pairs[a].second, pairs[b].second) - Math.min(pairs[a].first, pairs[b].first);
          if (stretch > UNIQUE_SPACING_SPAN_S) continue;
          checked++;
          if (pairs[b].spacing - pairs[a].spacing < SPACING_TOLERANCE_S) clashes++;
        }
      }
      expect(clashes, `mean ${mean} s, seed ${seed}`).toBe(0);
      expect(checked).toBeGreaterThan(10); // there were near misses (4-8 ms) to check
    }
  });

  it('rejects bad counts and mean intervals, naming the value', () => {
    for (const count of [0, 1.5, 100001, Number.NaN]) expect(() => clickTimes(count, 0.5, 1)).toThrow(`got ${count}`);
    for (const mean of [0.09, 0.44, 10.5, Number.NaN]) expect(() => clickTimes(10, mean, 1)).toThrow(`got ${mean}`);
    expect(() => clickTimes(0, 0.5, 1)).toThrow(RangeError);
    expect(clickTimes(1, 0.5, 1)).toEqual([0]);
  });
});

describe('generateClickTrain', () => {
  it.each([44100, 48000, 96000])('puts each click peak at its frame with the requested level (%i Hz)', (rate) => {
    for (const levelDbfs of [-6, -23.5]) {
      const train = generateClickTrain({ sampleRate: rate, count: 12, levelDbfs, seed: 5 });
      const amplitude = 10 ** (levelDbfs / 20);
      expect(train.shape.amplitude).toBeCloseTo(amplitude, 15);
      let peak = 0;
      for (const v of train.samples) peak = Math.max(peak, Math.abs(v));
      expect(peak).toBe(Math.fround(amplitude));
      for (const frame of train.clickFrames) {
        expect(Number.isInteger(frame)).toBe(true);
        expect(train.samples[frame]).toBe(Math.fround(amplitude));
      }
    }
  });

  it('places clicks at the lead-in plus the rounded click times', () => {
    const train = generateClickTrain({ sampleRate: 44100, count: 30, seed: 8, meanIntervalS: 0.7, leadInS: 0.5 });
    const times = clickTimes(30, 0.7, 8);
    // The lead-in is silent: the first click's support (half a click before its centre) starts at its end.
    expect(train.clickFrames).toEqual(times.map((t) => 22050 + clickHalfLengthFrames(train.shape) + Math.round(t * 44100)));
    for (let i = 1; i < train.clickFrames.length; i++) {
      const interval = train.clickFrames[i] - train.clickFrames[i - 1];
      expect(interval).toBeGreaterThanOrEqual(0.65 * 0.7 * 44100 - 1);
      expect(interval).toBeLessThanOrEqual(1.35 * 0.7 * 44100 + 1);
    }
  });

  it.each([
    [48000, 10],
    [44100, 7.3],
    [96000, 3.21],
  ])('honours durationS exactly (fs %i, %f s), with silence in the lead-in and tail', (rate, durationS) => {
    const train = generateClickTrain({ sampleRate: rate, durationS, seed: 3, leadInS: 0.3, tailS: 0.4 });
    expect(train.samples.length).toBe(Math.round(durationS * rate));
    const half = clickHalfLengthFrames(train.shape);
    const leadFrames = Math.round(0.3 * rate);
    const tailFrames = Math.round(0.4 * rate);
    expect(train.clickFrames[0]).toBe(leadFrames + half);
    const last = train.clickFrames[train.clickFrames.length - 1];
    expect(last).toBeLessThanOrEqual(train.samples.length - tailFrames + 1);
    // The whole lead-in is silent (the first click's support starts where it ends), and so is
    // everything after the last click's support.
    expect(train.samples.subarray(0, leadFrames).every((v) => v === 0)).toBe(true);
    expect(train.samples.subarray(last + half).every((v) => v === 0)).toBe(true);
    // As many clicks as fit: the next click of the same sequence would not have.
    const times = clickTimes(train.clickFrames.length + 1, 0.5, 3);
    expect(times[times.length - 1]).toBeGreaterThan(durationS - 0.7);
  });

  it('ends one tail after the last click when a count is given', () => {
    const train = generateClickTrain({ sampleRate: 48000, count: 5, tailS: 0.1 });
    expect(train.clickFrames).toHaveLength(5);
    expect(train.samples.length).toBe(train.clickFrames[4] + 4800);
  });

  it('makes 20 clicks when neither count nor duration is given', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const train = generateClickTrain({ sampleRate: 48000, seed });
      expect(train.clickFrames, `seed ${seed}`).toHaveLength(20);
      expect(train.samples.length).toBe(train.clickFrames[19] + 12000);
    }
  });

  it('is deterministic for a seed and different for another', () => {
    const a = generateClickTrain({ sampleRate: 48000, durationS: 5, seed: 11 });
    const b = generateClickTrain({ sampleRate: 48000, durationS: 5, seed: 11 });
    const c = generateClickTrain({ sampleRate: 48000, durationS: 5, seed: 12 });
    expect(b.clickFrames).toEqual(a.clickFrames);
    expect(b.samples.length).toBe(a.samples.length);
    expect(b.samples.every((v, i) => v === a.samples[i])).toBe(true); // (toEqual on 240000 floats is slow)
    expect(c.clickFrames).not.toEqual(a.clickFrames);
  });

  it('rejects impossible durations, lead-ins and tails', () => {
    for (const durationS of [0, -1, 7201, Number.NaN]) expect(() => generateClickTrain({ sampleRate: 48000, durationS })).toThrow(`got ${durationS}`);
    expect(() => generateClickTrain({ sampleRate: 48000, durationS: 0.4 })).toThrow(/a 0.4 s click train has no room/);
    expect(() => generateClickTrain({ sampleRate: 48000, leadInS: 0.005 })).toThrow(RangeError);
    expect(() => generateClickTrain({ sampleRate: 48000, tailS: 0.001 })).toThrow(/at least one click long/);
    expect(() => generateClickTrain({ sampleRate: 1000 })).toThrow(/got 1000/);
    // a train exactly as long as its lead-in and tail still has its first click
    expect(generateClickTrain({ sampleRate: 48000, durationS: 0.5 }).clickFrames).toEqual([12000 + 144]);
  });
});
