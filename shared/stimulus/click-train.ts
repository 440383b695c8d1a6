/**
 * Click train stimulus: band-limited clicks at irregular, seeded intervals.
 *
 * Each click is a Blackman-Harris-windowed band-pass sinc pulse (default 300 Hz to 16 kHz, capped at
 * 0.42·fs) with its mean removed, so it is sharp in time, has no DC (a speaker cone is not pushed
 * off centre) and no energy near Nyquist, and can be rendered at any fractional position exactly
 * (`clickValue` is an analytic function of time). The intervals
 * vary by ±35 % around the mean and are chosen so that no two click pairs less than
 * `UNIQUE_SPACING_SPAN_S` apart have spacings within `SPACING_TOLERANCE_S` of each other: a
 * stretch of the train lines up with itself only at zero shift, so aligning a capture with the
 * reference is unambiguous for latencies up to that span (several seconds, well past 1 s).
 */
import { createRandom } from '../primitives/random';

export interface ClickShape {
  sampleRate: number;
  lowHz: number;
  highHz: number;
  /** Total click length in seconds (the window's support). */
  lengthS: number;
  /** Peak amplitude (linear, full scale = 1). */
  amplitude: number;
  /** Constant subtracted (times the window) so the click has zero area: no DC. */
  dcOffset: number;
}

export interface ClickTrainOptions {
  sampleRate: number;
  /** Number of clicks. Default: as many as fit in `durationS` (or 20 when neither is given). */
  count?: number;
  /** Stimulus length in seconds, lead-in and tail included. Ignored when `count` is given. */
  durationS?: number;
  /** Peak level of each click in dBFS. Default -6. */
  levelDbfs?: number;
  /** Mean click interval in seconds. Default 0.5. */
  meanIntervalS?: number;
  /** Seed of the interval pattern. Default 1. */
  seed?: number;
  /** Silence before the first click, in seconds. Default 0.25. */
  leadInS?: number;
  /** Silence after the last click, in seconds. Default 0.25. */
  tailS?: number;
  lowHz?: number;
  highHz?: number;
}

export interface ClickTrain {
  samples: Float32Array;
  sampleRate: number;
  /** Centre frame of each click (integers). */
  clickFrames: number[];
  shape: ClickShape;
}

/** Spacings between clicks less than this far apart are all distinct (see the module comment). */
export const UNIQUE_SPACING_SPAN_S = 3;
export const SPACING_TOLERANCE_S = 0.004;

export function clickShape(sampleRate: number, options: { lowHz?: number; highHz?: number; levelDbfs?: number } = {}): ClickShape {
  validateSampleRate(sampleRate);
  const highHz = Math.min(options.highHz ?? 16000, 0.42 * sampleRate);
  const lowHz = options.lowHz ?? 300;
  if (!(lowHz > 0 && lowHz < highHz)) throw new RangeError(`click band ${lowHz}-${highHz} Hz is empty`);
  const levelDbfs = options.levelDbfs ?? -6;
  if (!(levelDbfs <= 0 && levelDbfs >= -120)) throw new RangeError(`click level must be between -120 and 0 dBFS, got ${levelDbfs}`);
  const lengthS = 0.006;
  // The windowed band-pass sinc alone keeps ~-20 dB of DC (the 6 ms window's main lobe is wider
  // than the 300 Hz band edge). Subtracting c·window, c = ∫w·bp / ∫w, gives it zero area.
  const steps = 6000;
  const h = lengthS / steps;
  let bandArea = 0;
  let windowArea = 0;
  for (let i = 0; i <= steps; i++) {
    const t = -lengthS / 2 + i * h;
    const weight = i === 0 || i === steps ? 1 : i % 2 === 1 ? 4 : 2; // Simpson
    const w = blackmanHarris(t, lengthS);
    bandArea += weight * w * bandPassSinc(lowHz, highHz, t);
    windowArea += weight * w;
  }
  return { sampleRate, lowHz, highHz, lengthS, amplitude: 10 ** (levelDbfs / 20), dcOffset: bandArea / windowArea };
}

const sinc = (x: number): number => (x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x));

function blackmanHarris(t: number, length: number): number {
  const x = t / length + 0.5; // 0..1 across the support
  if (x <= 0 || x >= 1) return 0;
  const w = 2 * Math.PI * x;
  return 0.35875 - 0.48829 * Math.cos(w) + 0.14128 * Math.cos(2 * w) - 0.01168 * Math.cos(3 * w);
}

const bandPassSinc = (lowHz: number, highHz: number, t: number): number => 2 * highHz * sinc(2 * highHz * t) - 2 * lowHz * sinc(2 * lowHz * t);

/** The click waveform at `t` seconds from its centre (0 outside its support). Peak is at t = 0. */
export function clickValue(shape: ClickShape, t: number): number {
  const half = shape.lengthS / 2;
  if (t <= -half || t >= half) return 0;
  const peak = 2 * (shape.highHz - shape.lowHz) - shape.dcOffset;
  return (shape.amplitude * blackmanHarris(t, shape.lengthS) * (bandPassSinc(shape.lowHz, shape.highHz, t) - shape.dcOffset)) / peak;
}

/** Adds one click centred at fractional frame `centreFrame` into `out` (clipped to its bounds). */
export function renderClick(out: Float32Array, shape: ClickShape, centreFrame: number, gain = 1): void {
  const halfFrames = (shape.lengthS / 2) * shape.sampleRate;
  const first = Math.max(0, Math.ceil(centreFrame - halfFrames));
  const last = Math.min(out.length - 1, Math.floor(centreFrame + halfFrames));
  for (let n = first; n <= last; n++) out[n] += gain * clickValue(shape, (n - centreFrame) / shape.sampleRate);
}

/** Half the click's support in frames, rounded up: the template half-width used by the analysis. */
export const clickHalfLengthFrames = (shape: ClickShape): number => Math.ceil((shape.lengthS / 2) * shape.sampleRate);

/**
 * Click centre times (seconds, from the first click) with irregular seeded intervals and
 * distinct local spacings. Deterministic for a given seed, count and mean interval.
 */
export function clickTimes(count: number, meanIntervalS: number, seed: number): number[] {
  if (!Number.isInteger(count) || count < 1 || count > 100000) throw new RangeError(`click count must be 1..100000, got ${count}`);
  // Below 0.45 s a 3 s stretch holds too many clicks for all their spacings to stay distinct.
  if (!(meanIntervalS >= 0.45 && meanIntervalS <= 10)) throw new RangeError(`mean click interval must be 0.45..10 s, got ${meanIntervalS}`);
  const random = createRandom(seed);
  const times = [0];
  // Spacings between pairs of recent clicks, as [spacing, newer click index].
  let recent: Array<[number, number]> = [];
  while (times.length < count) {
    const last = times[times.length - 1];
    let chosen = NaN;
    for (let attempt = 0; attempt < 200 && Number.isNaN(chosen); attempt++) {
      const candidate = last + meanIntervalS * random.uniform(0.65, 1.35);
      const spacings: number[] = [];
      for (let j = times.length - 1; j >= 0 && candidate - times[j] < UNIQUE_SPACING_SPAN_S; j--) spacings.push(candidate - times[j]);
      const clash = spacings.some((d) => recent.some(([e]) => Math.abs(d - e) < SPACING_TOLERANCE_S));
      if (!clash) chosen = candidate;
    }
    // Never reached for mean intervals >= 0.45 s (tested over long trains); never break the guarantee silently.
    if (Number.isNaN(chosen)) throw new Error(`no click interval keeps the spacings distinct after click ${times.length}`);
    const index = times.length;
    times.push(chosen);
    for (let j = index - 1; j >= 0 && chosen - times[j] < UNIQUE_SPACING_SPAN_S; j--) recent.push([chosen - times[j], index]);
    // Pairs older than two spans can no longer fall inside one aligned stretch with new clicks.
    recent = recent.filter(([, newer]) => chosen - times[newer] < 2 * UNIQUE_SPACING_SPAN_S);
  }
  return times;
}

export function generateClickTrain(options: ClickTrainOptions): ClickTrain {
  const { sampleRate } = options;
  const shape = clickShape(sampleRate, options);
  const meanIntervalS = options.meanIntervalS ?? 0.5;
  const leadInS = options.leadInS ?? 0.25;
  const tailS = options.tailS ?? 0.25;
  if (!(leadInS >= shape.lengthS && tailS >= shape.lengthS)) throw new RangeError('lead-in and tail must be at least one click long');
  const seed = options.seed ?? 1;
  let times: number[];
  if (options.count !== undefined || options.durationS === undefined) {
    // 20 clicks when neither a count nor a duration is given (a default duration would give 18-21).
    times = clickTimes(options.count ?? 20, meanIntervalS, seed);
  } else {
    const durationS = options.durationS;
    if (!(durationS > 0 && durationS <= 7200)) throw new RangeError(`click train duration must be in (0, 7200] s, got ${durationS}`);
    const spanS = durationS - leadInS - tailS;
    if (spanS < 0) throw new RangeError(`a ${durationS} s click train has no room for clicks after its lead-in and tail`);
    // The sequence is generative (each click depends only on the earlier ones), so generate enough
    // for the shortest possible intervals and keep the prefix that fits.
    times = clickTimes(Math.floor(spanS / (0.65 * meanIntervalS)) + 1, meanIntervalS, seed).filter((t) => t <= spanS);
  }
  // The lead-in is silence: the first click's support starts where it ends.
  const leadFrames = Math.round(leadInS * sampleRate) + clickHalfLengthFrames(shape);
  const clickFrames = times.map((t) => leadFrames + Math.round(t * sampleRate));
  const lengthFrames =
    options.count === undefined && options.durationS !== undefined
      ? Math.round(options.durationS * sampleRate)
      : clickFrames[clickFrames.length - 1] + Math.round(tailS * sampleRate);
  const samples = new Float32Array(lengthFrames);
  for (const frame of clickFrames) renderClick(samples, shape, frame);
  return { samples, sampleRate, clickFrames, shape };
}

export function validateSampleRate(sampleRate: number): void {
  if (!Number.isInteger(sampleRate) || sampleRate < 8000 || sampleRate > 384000) {
    throw new RangeError(`sample rate must be an integer from 8000 to 384000 Hz, got ${sampleRate}`);
  }
}
