/**
 * Level measurements over Float32Array audio: peak and RMS in dBFS, and digital clipping.
 * 0 dBFS is a full-scale sine peak of 1.0 (the AES17 convention would add 3 dB to RMS figures;
 * Latency Lab reports plain 20·log10(rms) and says so in the README).
 */

/** dB of an amplitude ratio, floored at -200 dB so silence stays a finite number. */
export const amplitudeToDb = (amplitude: number): number => 20 * Math.log10(Math.max(Math.abs(amplitude), 1e-10));
export const powerToDb = (power: number): number => 10 * Math.log10(Math.max(power, 1e-20));
export const dbToAmplitude = (db: number): number => 10 ** (db / 20);

export function peakAbs(samples: ArrayLike<number>, start = 0, end = samples.length): number {
  let peak = 0;
  const from = Math.max(0, start);
  const to = Math.min(samples.length, end);
  for (let i = from; i < to; i++) {
    const a = Math.abs(samples[i]);
    if (a > peak) peak = a;
  }
  return peak;
}

/** Mean square over [start, end). Returns 0 for an empty range. */
export function meanSquare(samples: ArrayLike<number>, start = 0, end = samples.length): number {
  const from = Math.max(0, start);
  const to = Math.min(samples.length, end);
  if (to <= from) return 0;
  return sumOfSquares(samples, from, to) / (to - from);
}

/**
 * Σ x² over [from, to), in range. The loop alone in its function: optimised mid-loop, V8 had
 * compiled meanSquare without its last division, and fell back to unoptimised code at it on every
 * call (35 times in one sweep analysis).
 */
function sumOfSquares(samples: ArrayLike<number>, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += samples[i] * samples[i];
  return sum;
}

export const rms = (samples: ArrayLike<number>, start = 0, end = samples.length): number =>
  Math.sqrt(meanSquare(samples, start, end));

/** Samples at or above this magnitude count as clipped (a 16-bit full-scale sample is 0.99997). */
export const CLIP_THRESHOLD = 0.999;

export interface ClipReport {
  /** Samples at or above CLIP_THRESHOLD in magnitude. */
  clippedFrames: number;
  /** Runs of two or more consecutive clipped samples: the signature of a clipped converter. */
  clipRuns: number;
  /** Start frames of the clip runs (at most the first 1000). */
  runStartFrames: number[];
}

export function detectClipping(samples: ArrayLike<number>): ClipReport {
  let clippedFrames = 0;
  let clipRuns = 0;
  let run = 0;
  const runStartFrames: number[] = [];
  for (let i = 0; i < samples.length; i++) {
    if (Math.abs(samples[i]) >= CLIP_THRESHOLD) {
      clippedFrames++;
      run++;
      if (run === 2) {
        clipRuns++;
        if (runStartFrames.length < 1000) runStartFrames.push(i - 1);
      }
    } else {
      run = 0;
    }
  }
  return { clippedFrames, clipRuns, runStartFrames };
}

/**
 * Index of the first sample that is NaN or ±Infinity, or −1. Checks blocks of 4096 without a branch
 * per sample (x − x is NaN for exactly those, and NaN carries through the sum); only a block whose
 * sum is not 0 is searched.
 */
export function firstNonFiniteIndex(samples: ArrayLike<number>, end = samples.length): number {
  const to = Math.min(samples.length, end);
  for (let from = 0; from < to; from += 4096) {
    const stop = Math.min(to, from + 4096);
    let sum = 0;
    for (let i = from; i < stop; i++) sum += samples[i] - samples[i];
    if (sum !== 0) {
      for (let i = from; i < stop; i++) if (samples[i] - samples[i] !== 0) return i;
    }
  }
  return -1;
}
