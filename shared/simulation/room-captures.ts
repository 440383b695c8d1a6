/**
 * Captures of a stimulus through a known impulse response, with a known delay and pink background
 * noise at a stated SNR, and the accuracy of a measured response against the IR's own truth.
 * Shared by the tests and the bench.
 */
import { type FrequencyPoint } from '../analysis/frequency-response';
import { addNoiseAtSnr, applyImpulseResponse, delaySignal, pinkBackground } from './synthetic-path';
import { truthResponse } from './measured-ir';
import { peakAbs } from '../primitives/signal-level';
import { describeStimulus, isRefusal } from '../analysis/stimulus-layout';
import { generateStimulus, resolveStimulusSpec } from '../stimulus/stimulus';

/** The capture, scaled to a peak of 0.5 (so it never clips), and the IR scaled alike: the truth. */
export function roomCapture(
  stimulus: { samples: Float32Array; startFrame: number; endFrame: number },
  h: Float32Array,
  delayFrames: number,
  snrDb: number | null,
  seed = 3,
): { capture: Float32Array; h: Float32Array } {
  const length = stimulus.samples.length + Math.ceil(delayFrames) + h.length;
  const clean = applyImpulseResponse(delaySignal(stimulus.samples, delayFrames, length), h, length);
  const gain = 0.5 / peakAbs(clean);
  const scaled = clean.map((v) => v * gain);
  const truth = h.map((v) => v * gain);
  if (snrDb === null) return { capture: scaled, h: truth };
  const from = stimulus.startFrame + Math.round(delayFrames);
  return { capture: addNoiseAtSnr(scaled, pinkBackground(length, seed), snrDb, from, stimulus.endFrame + Math.round(delayFrames)), h: truth };
}

/** Worst and mean error (dB) of measured points against the truth of h, 1/12 octave, within [lowHz, highHz] (optionally only points not flagged lowQuality). */
export function responseError(points: FrequencyPoint[], h: Float32Array, sampleRate: number, lowHz = 100, highHz = 12000, skipFlagged = false): { maxDb: number; biasDb: number; count: number } {
  const truth = new Map(truthResponse(h, sampleRate, 12).map((p) => [Math.round(p.hz * 1000), p.db]));
  const errors: number[] = [];
  for (const p of points) {
    if (p.hz < lowHz || p.hz > highHz || (skipFlagged && p.lowQuality)) continue;
    const t = truth.get(Math.round(p.hz * 1000));
    if (t !== undefined) errors.push(p.db - t);
  }
  return { maxDb: Math.max(...errors.map(Math.abs)), biasDb: errors.reduce((a, b) => a + b, 0) / errors.length, count: errors.length };
}

/** A run of realIrRuns: one stimulus through the path at one SNR. */
export interface RealIrRun {
  signal: 'click' | 'pink' | 'sweep';
  snrDb: number;
  reference: Float32Array;
  capture: Float32Array;
}

/**
 * The real-path runs of the latency and polarity tests: a 12 s click train, 20 s of pink noise and a
 * 6 s sweep (seed 2) through the IR `h` after `delayFrames`, scaled to a peak of 0.25 × `gain`, with
 * pink noise at 20 and at 5 dB SNR over the stimulus' active span.
 */
export function realIrRuns(h: Float32Array, delayFrames: number, sampleRate: number, gain = 1): RealIrRun[] {
  const runs: RealIrRun[] = [];
  for (const signal of ['click', 'pink', 'sweep'] as const) {
    const reference = generateStimulus(resolveStimulusSpec({ signal, sampleRate, durationS: { click: 12, pink: 20, sweep: 6 }[signal], seed: 2 }));
    const layout = describeStimulus(reference, sampleRate);
    if (isRefusal(layout)) throw new Error(layout.message);
    const length = reference.length + h.length + sampleRate;
    const raw = delaySignal(applyImpulseResponse(reference, h, length), delayFrames, length);
    const peak = peakAbs(raw);
    const clean = raw.map((v) => (gain * v * 0.25) / peak);
    for (const snrDb of [20, 5]) {
      const capture = addNoiseAtSnr(clean, pinkBackground(length, snrDb + 7), snrDb, layout.activeStartFrame + Math.round(delayFrames), layout.activeEndFrame + Math.round(delayFrames));
      runs.push({ signal, snrDb, reference, capture });
    }
  }
  return runs;
}
