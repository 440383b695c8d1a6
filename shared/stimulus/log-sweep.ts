/**
 * Exponential (logarithmic) sine sweep after Farina (AES 108th convention, 2000):
 *   x(t) = A · sin(2π f1 L (e^{t/L} − 1)),  L = T / ln(f2 / f1)
 * The instantaneous frequency f1·e^{t/L} rises by equal ratios in equal times, so every octave gets
 * the same duration and the spectrum falls at -3 dB/octave (pink), giving high SNR at low
 * frequencies. The start is faded in over the time the sweep takes to rise a third of an octave
 * and the end faded out over the last 1/24 of the sweep, to avoid splatter from abrupt edges.
 */
import { validateSampleRate } from './click-train';

export interface LogSweepOptions {
  sampleRate: number;
  /** Stimulus length in seconds, lead-in and tail included. Default 6. */
  durationS?: number;
  startHz?: number;
  endHz?: number;
  /** Peak level in dBFS. Default -6. */
  levelDbfs?: number;
  leadInS?: number;
  /** Silence after the sweep, long enough for the room to decay. Default 0.5 s. */
  tailS?: number;
}

export interface LogSweep {
  samples: Float32Array;
  sampleRate: number;
  startFrame: number;
  endFrame: number;
  startHz: number;
  endHz: number;
  /** The sweep's rate constant L in seconds (time for the frequency to grow by a factor e). */
  rateConstantS: number;
}

export function generateLogSweep(options: LogSweepOptions): LogSweep {
  const { sampleRate } = options;
  validateSampleRate(sampleRate);
  const durationS = options.durationS ?? 6;
  const leadInS = options.leadInS ?? 0.25;
  const tailS = options.tailS ?? 0.5;
  const startHz = options.startHz ?? 20;
  const endHz = Math.min(options.endHz ?? 20000, 0.45 * sampleRate);
  const levelDbfs = options.levelDbfs ?? -6;
  const sweepS = durationS - leadInS - tailS;
  if (!(sweepS >= 0.5 && durationS <= 600)) throw new RangeError(`sweep duration must leave at least 0.5 s of sweep after lead-in and tail, and be at most 600 s; got ${durationS} s`);
  if (!(startHz > 0 && endHz > startHz * 2)) throw new RangeError(`sweep range ${startHz}-${endHz} Hz must span at least an octave`);
  if (!(levelDbfs <= 0 && levelDbfs >= -120)) throw new RangeError(`sweep level must be between -120 and 0 dBFS, got ${levelDbfs}`);

  const amplitude = 10 ** (levelDbfs / 20);
  const rateConstantS = sweepS / Math.log(endHz / startHz);
  const lengthFrames = Math.round(durationS * sampleRate);
  const startFrame = Math.round(leadInS * sampleRate);
  const sweepFrames = Math.round(sweepS * sampleRate);
  const endFrame = startFrame + sweepFrames;
  // Fade in over the time the sweep takes to rise a third of an octave, fade out over sweepS/24.
  const fadeInFrames = Math.max(1, Math.round(rateConstantS * Math.log(2 ** (1 / 3)) * sampleRate));
  const fadeOutFrames = Math.max(1, Math.round((sweepS / 24) * sampleRate));
  const samples = new Float32Array(lengthFrames);
  for (let i = 0; i < sweepFrames; i++) {
    const t = i / sampleRate;
    let gain = amplitude;
    if (i < fadeInFrames) gain *= 0.5 - 0.5 * Math.cos((Math.PI * i) / fadeInFrames);
    const fromEnd = sweepFrames - 1 - i;
    if (fromEnd < fadeOutFrames) gain *= 0.5 - 0.5 * Math.cos((Math.PI * fromEnd) / fadeOutFrames);
    samples[startFrame + i] = gain * Math.sin(2 * Math.PI * startHz * rateConstantS * (Math.exp(t / rateConstantS) - 1));
  }
  return { samples, sampleRate, startFrame, endFrame, startHz, endHz, rateConstantS };
}

/** Instantaneous frequency of the sweep `t` seconds after it starts. */
export const sweepFrequencyAt = (sweep: Pick<LogSweep, 'startHz' | 'rateConstantS'>, t: number): number =>
  sweep.startHz * Math.exp(t / sweep.rateConstantS);
