/**
 * The stimuli Latency Lab plays, from one specification shared by the app and the CLI
 * (`latency-lab generate` writes exactly what the app plays for the same spec).
 */
import { generateClickTrain, validateSampleRate } from './click-train';
import { generateLogSweep } from './log-sweep';
import { generatePinkNoise } from './pink-noise';

export type StimulusSignal = 'click' | 'pink' | 'sweep';
export const STIMULUS_SIGNALS: readonly StimulusSignal[] = ['click', 'pink', 'sweep'];

export interface StimulusSpec {
  signal: StimulusSignal;
  sampleRate: number;
  /** Total length including lead-in and tail, seconds. */
  durationS: number;
  seed: number;
  /** Clicks and sweep: peak level; pink noise: RMS level (its peak is 12 dB higher). dBFS. */
  levelDbfs: number;
}

export const STIMULUS_DEFAULTS: Record<StimulusSignal, { durationS: number; levelDbfs: number; description: string }> = {
  click: { durationS: 10, levelDbfs: -6, description: 'band-limited clicks (300 Hz–16 kHz) at irregular intervals around 0.5 s' },
  pink: { durationS: 10, levelDbfs: -20, description: 'periodic pink noise, exact -3 dB/octave from 20 Hz, crest factor 12 dB' },
  sweep: { durationS: 6, levelDbfs: -6, description: 'logarithmic sine sweep 20 Hz–20 kHz (Farina)' },
};

/** Fills in defaults and checks ranges; throws RangeError with a specific message. */
export function resolveStimulusSpec(input: Partial<StimulusSpec> & { signal: StimulusSignal }): StimulusSpec {
  if (!STIMULUS_SIGNALS.includes(input.signal)) throw new RangeError(`unknown signal "${input.signal}": use ${STIMULUS_SIGNALS.join(', ')}`);
  const defaults = STIMULUS_DEFAULTS[input.signal];
  const spec: StimulusSpec = {
    signal: input.signal,
    sampleRate: input.sampleRate ?? 48000,
    durationS: input.durationS ?? defaults.durationS,
    seed: input.seed ?? 1,
    levelDbfs: input.levelDbfs ?? defaults.levelDbfs,
  };
  validateSampleRate(spec.sampleRate);
  if (!(spec.durationS >= 1 && spec.durationS <= 3600)) throw new RangeError(`duration must be 1 to 3600 s, got ${spec.durationS}`);
  if (!Number.isInteger(spec.seed) || spec.seed < 0 || spec.seed > 2 ** 32 - 1) throw new RangeError(`seed must be an integer 0..4294967295, got ${spec.seed}`);
  if (!(spec.levelDbfs >= -60 && spec.levelDbfs <= 0)) throw new RangeError(`level must be -60 to 0 dBFS, got ${spec.levelDbfs}`);
  // The generators' own limits, so callers get a RangeError here rather than from generateStimulus.
  // Sweep: 0.25 s lead-in + at least 0.5 s of sweep + 0.5 s tail, and at most 600 s (log-sweep.ts).
  if (spec.signal === 'sweep' && !(spec.durationS >= 1.25 && spec.durationS <= 600)) {
    throw new RangeError(`a sweep must be 1.25 to 600 s long, got ${spec.durationS}`);
  }
  // Pink noise: peaks are 4× (12 dB above) the RMS level, so louder than -12.04 dBFS RMS would clip (pink-noise.ts).
  if (spec.signal === 'pink' && 10 ** (spec.levelDbfs / 20) * 4 > 1) {
    throw new RangeError(`pink noise level must be below -12.04 dBFS RMS (its peaks are 12 dB higher), got ${spec.levelDbfs}`);
  }
  return spec;
}

export function generateStimulus(spec: StimulusSpec): Float32Array {
  switch (spec.signal) {
    case 'click':
      return generateClickTrain({ sampleRate: spec.sampleRate, durationS: spec.durationS, seed: spec.seed, levelDbfs: spec.levelDbfs }).samples;
    case 'pink':
      return generatePinkNoise({ sampleRate: spec.sampleRate, durationS: spec.durationS, seed: spec.seed, levelDbfs: spec.levelDbfs }).samples;
    case 'sweep':
      return generateLogSweep({ sampleRate: spec.sampleRate, durationS: spec.durationS, levelDbfs: spec.levelDbfs }).samples;
  }
}

/** The spec as stored in a WAV's INFO comment, so a later analysis knows what was played. */
export const STIMULUS_COMMENT_PREFIX = 'latency-lab stimulus ';

export const stimulusComment = (spec: StimulusSpec): string => STIMULUS_COMMENT_PREFIX + JSON.stringify(spec);

/** The spec from a WAV INFO comment written by `stimulusComment`, or null. */
export function parseStimulusComment(comment: string | undefined): StimulusSpec | null {
  if (!comment?.startsWith(STIMULUS_COMMENT_PREFIX)) return null;
  try {
    const parsed = JSON.parse(comment.slice(STIMULUS_COMMENT_PREFIX.length)) as Partial<StimulusSpec> & { signal: StimulusSignal };
    // The range checks would let numeric strings through ("-6" >= -60): the fields must be numbers.
    for (const key of ['sampleRate', 'durationS', 'seed', 'levelDbfs'] as const) {
      if (parsed[key] !== undefined && typeof parsed[key] !== 'number') return null;
    }
    return resolveStimulusSpec(parsed);
  } catch {
    return null;
  }
}
