/**
 * Seeded periodic pink noise with an exact -3 dB/octave spectrum.
 *
 * The noise is built in the frequency domain over one period of P frames (a power of two): every
 * bin from `lowHz` to `highHz` gets magnitude ∝ 1/√f exactly and a seeded random phase; bins outside
 * the band are zero. Over any whole period the power spectrum is therefore exactly pink (no
 * estimation ripple), which is what makes it a good stimulus for transfer functions. The crest
 * factor (peak/RMS) is brought down to the requested value by iterated clipping and magnitude
 * restoration, which changes phases only. The period is the stimulus length rounded up to a power
 * of two, capped at the first power of two above 8 s, so a correlation against a stretch of it is
 * unambiguous over any plausible latency.
 */
import { fftPlan, nextPowerOfTwo } from '../primitives/fft';
import { validateSampleRate } from './click-train';
import { createRandom } from '../primitives/random';
import { peakAbs, rms } from '../primitives/signal-level';

export interface PinkNoiseOptions {
  sampleRate: number;
  /** Stimulus length in seconds, lead-in and tail included. Default 10. */
  durationS?: number;
  /** RMS level in dBFS. Default -20. */
  levelDbfs?: number;
  /**
   * Largest peak/RMS ratio (linear). Default 4 (12 dB). Peaks are clipped down to it, so values
   * above the noise's natural ~4.5 leave it unchanged; values below 2.5 are not reachable.
   */
  crestFactor?: number;
  seed?: number;
  lowHz?: number;
  highHz?: number;
  leadInS?: number;
  tailS?: number;
  /** Raised-cosine fade at each end of the noise, in seconds. Default 0.01. */
  fadeS?: number;
}

export interface PinkNoise {
  samples: Float32Array;
  sampleRate: number;
  /** First and one-past-last frame of the noise (the rest is silence). */
  startFrame: number;
  endFrame: number;
  periodFrames: number;
  lowHz: number;
  highHz: number;
  /** Crest factor actually reached (peak/RMS over one period, before fades). */
  crestFactor: number;
}

const CREST_ITERATIONS = 24;

/** One period (a power of two) of band-limited pink noise at unit RMS with the given crest factor. */
export function pinkNoisePeriod(periodFrames: number, sampleRate: number, lowHz: number, highHz: number, crestFactor: number, seed: number): Float64Array {
  const plan = fftPlan(periodFrames);
  const bins = periodFrames / 2;
  const random = createRandom(seed);
  const magnitude = new Float64Array(bins + 1);
  for (let k = 1; k < bins; k++) {
    const f = (k * sampleRate) / periodFrames;
    if (f >= lowHz && f <= highHz) magnitude[k] = 1 / Math.sqrt(f);
  }
  // Without this, a band between two bins gives silence divided by its zero RMS: NaN samples.
  if (!magnitude.some((m) => m > 0)) throw new RangeError(`noise band ${lowHz}-${highHz} Hz holds no frequency bin of a ${periodFrames}-frame period at ${sampleRate} Hz`);
  const spectrum = new Float64Array(periodFrames + 2);
  for (let k = 0; k <= bins; k++) {
    const phase = 2 * Math.PI * random.next();
    spectrum[2 * k] = magnitude[k] * Math.cos(phase);
    spectrum[2 * k + 1] = magnitude[k] * Math.sin(phase);
  }
  let signal = plan.inverseReal(spectrum, new Float64Array(periodFrames));
  for (let iteration = 0; iteration < CREST_ITERATIONS; iteration++) {
    const level = rms(signal);
    if (peakAbs(signal) / level <= crestFactor) break;
    const limit = crestFactor * level;
    for (let i = 0; i < signal.length; i++) signal[i] = Math.max(-limit, Math.min(limit, signal[i]));
    plan.forwardReal(signal, 0, periodFrames, spectrum);
    // Keep the new phases, restore the exact pink magnitudes.
    for (let k = 0; k <= bins; k++) {
      const re = spectrum[2 * k];
      const im = spectrum[2 * k + 1];
      const m = Math.hypot(re, im);
      const scale = m > 0 ? magnitude[k] / m : 0;
      spectrum[2 * k] = re * scale;
      spectrum[2 * k + 1] = im * scale;
    }
    signal = plan.inverseReal(spectrum, signal);
  }
  const level = rms(signal);
  for (let i = 0; i < signal.length; i++) signal[i] /= level;
  return signal;
}

export function generatePinkNoise(options: PinkNoiseOptions): PinkNoise {
  const { sampleRate } = options;
  validateSampleRate(sampleRate);
  const durationS = options.durationS ?? 10;
  const leadInS = options.leadInS ?? 0.25;
  const tailS = options.tailS ?? 0.25;
  const fadeS = options.fadeS ?? 0.01;
  const levelDbfs = options.levelDbfs ?? -20;
  const crestFactor = options.crestFactor ?? 4;
  const lowHz = options.lowHz ?? 20;
  const highHz = Math.min(options.highHz ?? 20000, 0.45 * sampleRate);
  if (!(durationS > leadInS + tailS + 2 * fadeS && durationS <= 7200)) throw new RangeError(`pink noise duration must exceed its lead-in, tail and fades and be at most 7200 s, got ${durationS}`);
  if (!(levelDbfs <= 0 && levelDbfs >= -120)) throw new RangeError(`noise level must be between -120 and 0 dBFS RMS, got ${levelDbfs}`);
  if (!(crestFactor >= 2.5 && crestFactor <= 20)) throw new RangeError(`crest factor must be 2.5..20 (8-26 dB), got ${crestFactor}`);
  if (!(lowHz > 0 && lowHz < highHz)) throw new RangeError(`noise band ${lowHz}-${highHz} Hz is empty`);
  const amplitude = 10 ** (levelDbfs / 20);
  if (amplitude * crestFactor > 1) throw new RangeError(`${levelDbfs} dBFS RMS with crest factor ${crestFactor} would clip: lower the level`);

  const lengthFrames = Math.round(durationS * sampleRate);
  const startFrame = Math.round(leadInS * sampleRate);
  const endFrame = lengthFrames - Math.round(tailS * sampleRate);
  const noiseFrames = endFrame - startFrame;
  const periodFrames = Math.max(4, Math.min(nextPowerOfTwo(noiseFrames), nextPowerOfTwo(8 * sampleRate))); // FftPlan's smallest size is 4
  const period = pinkNoisePeriod(periodFrames, sampleRate, lowHz, highHz, crestFactor, options.seed ?? 1);

  const samples = new Float32Array(lengthFrames);
  const fadeFrames = Math.max(1, Math.round(fadeS * sampleRate));
  for (let i = 0; i < noiseFrames; i++) {
    let gain = amplitude;
    if (i < fadeFrames) gain *= 0.5 - 0.5 * Math.cos((Math.PI * i) / fadeFrames);
    else if (noiseFrames - 1 - i < fadeFrames) gain *= 0.5 - 0.5 * Math.cos((Math.PI * (noiseFrames - 1 - i)) / fadeFrames);
    samples[startFrame + i] = gain * period[i % periodFrames];
  }
  return { samples, sampleRate, startFrame, endFrame, periodFrames, lowHz, highHz, crestFactor: peakAbs(period) / rms(period) };
}
