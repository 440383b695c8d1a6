import { describe, expect, it } from 'vitest';
import { fftPlan, nextPowerOfTwo } from '../primitives/fft';
import { type LogSweep, generateLogSweep, sweepFrequencyAt } from './log-sweep';
import { peakAbs } from '../primitives/signal-level';

const OCTAVE_DB = 10 * Math.log10(2);

/** Upward zero crossings of the sweep (fractional frames, by linear interpolation), in seconds from its start. */
function upwardCrossings(sweep: LogSweep): number[] {
  const x = sweep.samples;
  const times: number[] = [];
  for (let i = sweep.startFrame; i < sweep.endFrame - 1; i++) {
    if (x[i] <= 0 && x[i + 1] > 0) times.push((i - sweep.startFrame + x[i] / (x[i] - x[i + 1])) / sweep.sampleRate);
  }
  return times;
}

describe('generateLogSweep', () => {
  const sweep = generateLogSweep({ sampleRate: 48000 });
  const sweepS = 6 - 0.25 - 0.5;

  it('has the documented layout: lead-in, 5.25 s of sweep, tail, exact length', () => {
    expect(sweep.samples.length).toBe(288000);
    expect(sweep.startFrame).toBe(12000);
    expect(sweep.endFrame).toBe(12000 + 252000);
    expect(sweep.startHz).toBe(20);
    expect(sweep.endHz).toBe(20000);
    expect(sweep.rateConstantS).toBeCloseTo(sweepS / Math.log(1000), 14);
    expect(sweep.samples.subarray(0, sweep.startFrame).every((v) => v === 0)).toBe(true);
    expect(sweep.samples.subarray(sweep.endFrame).every((v) => v === 0)).toBe(true);
    expect(sweep.samples[sweep.startFrame]).toBe(0); // faded in from zero
    expect(Math.abs(sweep.samples[sweep.endFrame - 1])).toBe(0); // and out to zero
  });

  it('has the phase 2π·f1·L·(e^{t/L} − 1): every upward zero crossing in the middle lies on a whole cycle (±0.01)', () => {
    const crossings = upwardCrossings(sweep);
    const L = sweep.rateConstantS;
    let checked = 0;
    for (const t of crossings) {
      if (t < 0.1 * sweepS || t > 0.9 * sweepS) continue;
      const cycles = sweep.startHz * L * (Math.exp(t / L) - 1);
      expect(Math.abs(cycles - Math.round(cycles)), `t = ${t}`).toBeLessThan(0.01);
      checked++;
    }
    expect(checked).toBeGreaterThan(7000);
  });

  it('has an instantaneous frequency (one cycle between zero crossings) of startHz·e^{t/L} within 1 % mid-sweep', () => {
    const crossings = upwardCrossings(sweep);
    let worst = 0;
    for (let j = 1; j < crossings.length; j++) {
      const [a, b] = [crossings[j - 1], crossings[j]];
      if (a < 0.25 * sweepS || b > 0.75 * sweepS) continue;
      worst = Math.max(worst, Math.abs(1 / (b - a) / sweepFrequencyAt(sweep, (a + b) / 2) - 1));
    }
    expect(worst).toBeLessThan(0.01);
    expect(worst).toBeGreaterThan(0); // it did measure something
  });

  it('has a spectrum falling 3.01 dB per octave (±0.05 dB) in band power per Hz, 100 Hz to 12.8 kHz', () => {
    const n = nextPowerOfTwo(sweep.samples.length);
    const spectrum = fftPlan(n).forwardReal(sweep.samples);
    const bandDb = (low: number, high: number): number => {
      let sum = 0;
      for (let k = Math.ceil((low * n) / 48000); (k * 48000) / n < high; k++) sum += spectrum[2 * k] ** 2 + spectrum[2 * k + 1] ** 2;
      return 10 * Math.log10(sum / (high - low));
    };
    const first = bandDb(100, 200);
    for (let i = 1, f = 200; f * 2 <= 12800; i++, f *= 2) {
      expect(Math.abs(bandDb(f, 2 * f) - first + i * OCTAVE_DB), `${f} Hz octave`).toBeLessThan(0.05);
    }
  });

  it('peaks at the requested level', () => {
    for (const levelDbfs of [-6, -18.5, 0]) {
      const s = generateLogSweep({ sampleRate: 44100, durationS: 2, levelDbfs });
      const amplitude = 10 ** (levelDbfs / 20);
      expect(peakAbs(s.samples)).toBeLessThanOrEqual(Math.fround(amplitude));
      expect(peakAbs(s.samples) / amplitude).toBeGreaterThan(1 - 1e-6);
    }
  });

  it('fades in over a third of an octave and out over the last 1/24 of the sweep', () => {
    const s = generateLogSweep({ sampleRate: 48000, durationS: 3, leadInS: 0.5, tailS: 0.5, startHz: 100, endHz: 12800, levelDbfs: 0 });
    const L = 2 / Math.log(128);
    expect(s.rateConstantS).toBeCloseTo(L, 14);
    const fadeIn = Math.round(L * Math.log(2 ** (1 / 3)) * 48000);
    const fadeOut = Math.round((2 / 24) * 48000);
    const phase = (i: number): number => Math.sin(2 * Math.PI * 100 * L * (Math.exp(i / 48000 / L) - 1));
    for (const i of [1, 7, fadeIn - 1, fadeIn, fadeIn + 1, 40000, 96000 - fadeOut - 1, 96000 - fadeOut, 96000 - 2]) {
      let gain = 1;
      if (i < fadeIn) gain *= 0.5 - 0.5 * Math.cos((Math.PI * i) / fadeIn);
      const fromEnd = 96000 - 1 - i;
      if (fromEnd < fadeOut) gain *= 0.5 - 0.5 * Math.cos((Math.PI * fromEnd) / fadeOut);
      expect(s.samples[24000 + i], `frame ${i}`).toBe(Math.fround(gain * phase(i)));
    }
  });

  it('caps endHz at 0.45·fs and honours the duration at other rates', () => {
    const s = generateLogSweep({ sampleRate: 44100, durationS: 3.3 });
    expect(s.endHz).toBeCloseTo(19845, 9);
    expect(s.samples.length).toBe(Math.round(3.3 * 44100));
    expect(s.endFrame - s.startFrame).toBe(Math.round((3.3 - 0.75) * 44100));
  });
});

describe('sweepFrequencyAt', () => {
  it('runs from startHz at t = 0 through the geometric mean to endHz at the end of the sweep', () => {
    const sweep = generateLogSweep({ sampleRate: 48000, durationS: 4, startHz: 50, endHz: 16000 });
    const sweepS = 4 - 0.75;
    expect(sweepFrequencyAt(sweep, 0)).toBe(50);
    expect(sweepFrequencyAt(sweep, sweepS / 2)).toBeCloseTo(Math.sqrt(50 * 16000), 9);
    expect(sweepFrequencyAt(sweep, sweepS)).toBeCloseTo(16000, 8);
    // equal times, equal ratios
    expect(sweepFrequencyAt(sweep, 1.5) / sweepFrequencyAt(sweep, 1)).toBeCloseTo(sweepFrequencyAt(sweep, 2.5) / sweepFrequencyAt(sweep, 2), 12);
  });
});

describe('generateLogSweep validation', () => {
  it('rejects a sweep shorter than 0.5 s or longer than 600 s, naming the duration', () => {
    expect(() => generateLogSweep({ sampleRate: 48000, durationS: 1.2 })).toThrow(/got 1.2 s/);
    expect(() => generateLogSweep({ sampleRate: 48000, durationS: 601 })).toThrow(/got 601 s/);
    expect(() => generateLogSweep({ sampleRate: 48000, durationS: Number.NaN })).toThrow(RangeError);
    expect(generateLogSweep({ sampleRate: 8000, durationS: 1.25 }).endFrame - generateLogSweep({ sampleRate: 8000, durationS: 1.25 }).startFrame).toBe(4000);
  });

  it('rejects a range of less than an octave, naming it', () => {
    expect(() => generateLogSweep({ sampleRate: 48000, startHz: 1000, endHz: 2000 })).toThrow(/1000-2000 Hz/);
    expect(() => generateLogSweep({ sampleRate: 48000, startHz: 0 })).toThrow(/0-20000 Hz/);
    expect(() => generateLogSweep({ sampleRate: 8000, startHz: 2000 })).toThrow(/2000-3600 Hz/); // endHz capped at 3600
  });

  it('rejects levels outside -120..0 dBFS and bad sample rates', () => {
    expect(() => generateLogSweep({ sampleRate: 48000, levelDbfs: 0.1 })).toThrow(/got 0.1/);
    expect(() => generateLogSweep({ sampleRate: 48000, levelDbfs: -120.5 })).toThrow(/got -120.5/);
    expect(() => generateLogSweep({ sampleRate: 22050.5 })).toThrow(/got 22050.5/);
  });
});
