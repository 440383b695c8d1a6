import { describe, expect, it } from 'vitest';
import { fftPlan } from '../primitives/fft';
import { generatePinkNoise, pinkNoisePeriod } from './pink-noise';
import { peakAbs, rms } from '../primitives/signal-level';

const OCTAVE_DB = 10 * Math.log10(2); // 3.0103 dB

/** Power per bin |X_k|² for k = 0..n/2 of one period. */
function binPowers(period: ArrayLike<number>, n: number): Float64Array {
  const spectrum = fftPlan(n).forwardReal(period, 0, n);
  return Float64Array.from({ length: n / 2 + 1 }, (_, k) => spectrum[2 * k] ** 2 + spectrum[2 * k + 1] ** 2);
}

describe('pinkNoisePeriod', () => {
  const n = 65536;
  const rate = 16000;
  const period = pinkNoisePeriod(n, rate, 20, 7000, 4, 5);
  const power = binPowers(period, n);

  it('has |X|²·f equal in every in-band bin (to 1e-9) and nothing outside [lowHz, highHz]', () => {
    const inBand: number[] = [];
    let outside = 0;
    for (let k = 0; k <= n / 2; k++) {
      const f = (k * rate) / n;
      if (k > 0 && k < n / 2 && f >= 20 && f <= 7000) inBand.push(power[k] * f);
      else outside = Math.max(outside, power[k]);
    }
    expect(inBand.length).toBe(Math.floor((7000 * n) / rate) - Math.ceil((20 * n) / rate) + 1);
    const reference = inBand[0];
    for (const v of inBand) expect(Math.abs(v / reference - 1)).toBeLessThan(1e-9);
    expect(outside / reference).toBeLessThan(1e-20); // relative to the power of the 1 Hz-equivalent bin
  });

  it('falls by 3.01 dB per octave in octave-band power per Hz (±0.02 dB), 20 Hz to 5.12 kHz', () => {
    const bandDb = (low: number, high: number): number => {
      let sum = 0;
      for (let k = Math.ceil((low * n) / rate); (k * rate) / n < high; k++) sum += power[k];
      return 10 * Math.log10(sum / (high - low));
    };
    for (let f = 20; f * 4 <= 5120; f *= 2) {
      expect(Math.abs(bandDb(f, 2 * f) - bandDb(2 * f, 4 * f) - OCTAVE_DB), `${f} Hz octave`).toBeLessThan(0.02);
    }
  });

  it('has unit RMS and the requested crest factor (3 and 4 within 5 %; reached to 0.1 %)', () => {
    expect(Math.abs(rms(period) - 1)).toBeLessThan(1e-12);
    expect(Math.abs(peakAbs(period) / 4 - 1)).toBeLessThan(1e-3);
    const three = pinkNoisePeriod(n, rate, 20, 7000, 3, 5);
    expect(Math.abs(peakAbs(three) / rms(three) / 3 - 1)).toBeLessThan(1e-3);
  });

  it('cannot raise the crest factor: asking for 6 gives the natural, unclipped crest factor (< 6)', () => {
    // By design the iteration only clips peaks down; noise whose natural crest factor is below the
    // target is left as it is. So "within 5 % of 6" is not reachable; this pins what happens instead.
    const six = pinkNoisePeriod(n, rate, 20, 7000, 6, 5);
    const unclipped = pinkNoisePeriod(n, rate, 20, 7000, 20, 5);
    expect(six.every((v, i) => v === unclipped[i])).toBe(true);
    expect(peakAbs(six) / rms(six)).toBeLessThan(6);
    expect(peakAbs(six) / rms(six)).toBeGreaterThan(4);
  });

  it('is deterministic for a seed and different for another', () => {
    const again = pinkNoisePeriod(n, rate, 20, 7000, 4, 5);
    expect(again.every((v, i) => v === period[i])).toBe(true);
    const other = pinkNoisePeriod(n, rate, 20, 7000, 4, 6);
    let sameSamples = 0;
    for (let i = 0; i < n; i++) if (other[i] === period[i]) sameSamples++;
    expect(sameSamples).toBe(0);
  });
});

describe('generatePinkNoise', () => {
  it('is silence, a raised-cosine fade, the scaled seeded period, a fade and silence', () => {
    const rate = 16000;
    const noise = generatePinkNoise({ sampleRate: rate, durationS: 3, levelDbfs: -14, seed: 9, leadInS: 0.2, tailS: 0.3, fadeS: 0.02 });
    expect(noise.samples.length).toBe(48000);
    expect(noise.startFrame).toBe(3200);
    expect(noise.endFrame).toBe(48000 - 4800);
    expect(noise.periodFrames).toBe(65536); // next power of two above the 40000 noise frames (< 8 s)
    expect(noise.highHz).toBe(7200); // capped at 0.45·fs
    const period = pinkNoisePeriod(65536, rate, 20, 7200, 4, 9);
    const amplitude = 10 ** (-14 / 20);
    const fade = 320;
    const noiseFrames = noise.endFrame - noise.startFrame;
    for (let i = 0; i < noiseFrames; i++) {
      let gain = amplitude;
      if (i < fade) gain *= 0.5 - 0.5 * Math.cos((Math.PI * i) / fade);
      else if (noiseFrames - 1 - i < fade) gain *= 0.5 - 0.5 * Math.cos((Math.PI * (noiseFrames - 1 - i)) / fade);
      if (noise.samples[noise.startFrame + i] !== Math.fround(gain * period[i])) {
        expect(noise.samples[noise.startFrame + i], `frame ${i}`).toBe(Math.fround(gain * period[i]));
      }
    }
    expect(noise.samples.subarray(0, noise.startFrame).every((v) => v === 0)).toBe(true);
    expect(noise.samples.subarray(noise.endFrame).every((v) => v === 0)).toBe(true);
    expect(noise.crestFactor).toBeCloseTo(peakAbs(period) / rms(period), 12);
  });

  it('has exactly the requested RMS level over a whole period (< 0.001 dB)', () => {
    // 65536 noise frames at 8 kHz: the noise region is exactly one period.
    const noise = generatePinkNoise({ sampleRate: 8000, durationS: (65536 + 4000) / 8000, levelDbfs: -23, seed: 4, fadeS: 0 });
    expect(noise.endFrame - noise.startFrame).toBe(65536);
    expect(noise.periodFrames).toBe(65536);
    expect(Math.abs(20 * Math.log10(rms(noise.samples, noise.startFrame, noise.endFrame)) + 23)).toBeLessThan(0.001);
  });

  it('is within 0.05 dB of the level over a default noise region, which is only part of a period', () => {
    // The default 9.5 s of noise at 16 kHz is one 8.2 s period and 16 % of the next: the RMS of part
    // of a period of pink noise is not exactly the RMS of the whole (here +0.015 dB; at 48 kHz, seed 1,
    // -0.036 dB). 0.01 dB over the whole noise region is not reachable by design.
    const noise = generatePinkNoise({ sampleRate: 16000, seed: 4 });
    expect(noise.periodFrames).toBe(131072);
    const levelDb = 20 * Math.log10(rms(noise.samples, noise.startFrame, noise.endFrame));
    expect(Math.abs(levelDb + 20)).toBeLessThan(0.05);
    expect(noise.crestFactor).toBeCloseTo(4, 3);
    expect(peakAbs(noise.samples) / 0.1).toBeLessThanOrEqual(noise.crestFactor + 1e-6);
  });

  it('repeats its period when the noise is longer, with a period of at least 8 s', () => {
    const rate = 8000;
    const noise = generatePinkNoise({ sampleRate: rate, durationS: 30, seed: 2, crestFactor: 3, levelDbfs: -12 });
    expect(noise.periodFrames).toBe(65536);
    expect(noise.periodFrames).toBeGreaterThanOrEqual(8 * rate);
    const p = noise.periodFrames;
    for (let i = noise.startFrame + 200; i + p < noise.endFrame - 200; i += 997) expect(noise.samples[i + p]).toBe(noise.samples[i]);
    expect(noise.crestFactor).toBeCloseTo(3, 3);
  });

  it('is deterministic for a seed and different for another', () => {
    const options = { sampleRate: 8000, durationS: 2, seed: 77 };
    const a = generatePinkNoise(options);
    expect(generatePinkNoise(options).samples.every((v, i) => v === a.samples[i])).toBe(true);
    const b = generatePinkNoise({ ...options, seed: 78 });
    expect(b.samples.some((v, i) => v !== a.samples[i])).toBe(true);
  });

  it('handles the shortest noise regions: a 4-frame period, never NaN', () => {
    const tiny = generatePinkNoise({ sampleRate: 8000, durationS: 0.5 + 2 / 8000, fadeS: 0 });
    expect(tiny.periodFrames).toBe(4);
    expect(tiny.samples.every((v) => Number.isFinite(v))).toBe(true);
    // a band that falls between the bins of a short period has nothing to play: an error, not NaN samples
    expect(() => generatePinkNoise({ sampleRate: 8000, durationS: 0.5 + 8 / 8000, fadeS: 0, lowHz: 1100, highHz: 1900 })).toThrow(RangeError);
    expect(() => pinkNoisePeriod(8, 8000, 1100, 1900, 4, 1)).toThrow(/1100-1900 Hz holds no frequency bin of a 8-frame period/);
  });

  it('rejects impossible options, naming the value', () => {
    const base = { sampleRate: 8000 };
    expect(() => generatePinkNoise({ ...base, durationS: 0.5 })).toThrow(/got 0.5/);
    expect(() => generatePinkNoise({ ...base, durationS: 7201 })).toThrow(/got 7201/);
    expect(() => generatePinkNoise({ ...base, durationS: Number.NaN })).toThrow(/got NaN/);
    expect(() => generatePinkNoise({ ...base, levelDbfs: 1 })).toThrow(/got 1$/);
    expect(() => generatePinkNoise({ ...base, levelDbfs: -121 })).toThrow(/got -121/);
    expect(() => generatePinkNoise({ ...base, crestFactor: 2.4 })).toThrow(/got 2.4/);
    expect(() => generatePinkNoise({ ...base, crestFactor: 21 })).toThrow(/got 21/);
    expect(() => generatePinkNoise({ ...base, lowHz: 5000 })).toThrow(/5000-3600 Hz is empty/);
    expect(() => generatePinkNoise({ ...base, lowHz: 0 })).toThrow(/0-3600 Hz is empty/);
    expect(() => generatePinkNoise({ sampleRate: 5000 })).toThrow(/got 5000/);
    // level and crest factor that would clip: -6 dBFS RMS · 4 = 2.0 peak
    expect(() => generatePinkNoise({ ...base, levelDbfs: -6, crestFactor: 4 })).toThrow(RangeError);
    expect(() => generatePinkNoise({ ...base, levelDbfs: -6, crestFactor: 4 })).toThrow('-6 dBFS RMS with crest factor 4 would clip');
    expect(() => generatePinkNoise({ ...base, levelDbfs: -12, crestFactor: 4 })).toThrow(/would clip/); // 0.2512 · 4 = 1.005
    expect(() => generatePinkNoise({ ...base, levelDbfs: -12.05, crestFactor: 4, durationS: 1 })).not.toThrow(); // 0.2497 · 4: just fits
  });
});
