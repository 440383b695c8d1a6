/**
 * What a reference signal is and where its events are.
 *
 * The analysis measures latency per event: each click of a click train, each sweep, each
 * fixed-length segment of a continuous signal (noise, music). This module finds those events in
 * the reference itself, so it works for the stimuli Latency Lab generates, for a recorded
 * loopback channel (dual-channel mode) and for other signals, without metadata.
 *
 * Classification, on a 1 ms peak envelope:
 *  - active: envelope above -50 dB re the signal's peak and 10 dB above its background — the mean
 *    envelope of its quietest 50 ms (silence for a generated stimulus, the noise of a recorded
 *    loopback) — but never more than 15 dB below the peak (so loud, compressed music stays active);
 *  - click: every burst above -10.5 dB re peak is shorter than 20 ms and bursts cover less than
 *    10 % of the active time;
 *  - sweep: continuous, and the strongest frequency of successive 2048-frame frames rises
 *    monotonically (in ≥ 90 % of steps) over more than two octaves;
 *  - noise: anything else that is continuous (pink noise, music).
 */
import { fftPlan } from '../primitives/fft';
import { peakAbs } from '../primitives/signal-level';
import { refusal, type Refusal } from './analysis-refusal';

export type StimulusKind = 'click' | 'noise' | 'sweep';

export interface StimulusEvent {
  /** Template region in the reference, [startFrame, endFrame). */
  startFrame: number;
  endFrame: number;
  /** The frame an event's time is reported at: a click's peak, a segment's or sweep's middle. */
  anchorFrame: number;
}

export interface StimulusLayout {
  kind: StimulusKind;
  events: StimulusEvent[];
  /** First and one-past-last active frame of the reference. */
  activeStartFrame: number;
  activeEndFrame: number;
  /** Smallest gap between consecutive event anchors, in frames (Infinity for one event). */
  minEventSpacingFrames: number;
}

export interface LayoutOptions {
  /** Force a kind instead of classifying. */
  kind?: StimulusKind;
  /** Length of the segments a continuous signal is cut into, in frames. */
  segmentFrames?: number;
}

const ACTIVE_DB = -50;
const BURST_DB = -10.5;

/** Peak of |x| over consecutive blocks of `blockFrames`. */
function blockPeaks(x: Float32Array, blockFrames: number): Float32Array {
  const blocks = Math.ceil(x.length / blockFrames);
  const out = new Float32Array(blocks);
  for (let b = 0; b < blocks; b++) out[b] = peakAbs(x, b * blockFrames, (b + 1) * blockFrames);
  return out;
}

/** The lowest mean of `width` consecutive envelope blocks (the whole mean when shorter). */
function quietestStretch(envelope: Float32Array, width: number): number {
  const w = Math.min(width, envelope.length);
  let sum = 0;
  for (let i = 0; i < w; i++) sum += envelope[i];
  let lowest = sum;
  for (let i = w; i < envelope.length; i++) {
    sum += envelope[i] - envelope[i - w];
    lowest = Math.min(lowest, sum);
  }
  return Math.max(0, lowest / w);
}

interface Run {
  start: number;
  end: number;
}

/** Runs of blocks where `above(b)` holds, merging runs separated by fewer than `maxGap` blocks. */
function runsWhere(count: number, above: (b: number) => boolean, maxGap: number): Run[] {
  const runs: Run[] = [];
  for (let b = 0; b < count; b++) {
    if (!above(b)) continue;
    const last = runs[runs.length - 1];
    if (last && b - last.end <= maxGap) last.end = b + 1;
    else runs.push({ start: b, end: b + 1 });
  }
  return runs;
}

/** Frames of a run whose spectral peak the sweep test reads, at most. */
const SWEEP_TEST_FRAMES = 160;

function isRisingSweep(x: Float32Array, start: number, end: number, sampleRate: number): boolean {
  const frame = 2048;
  const plan = fftPlan(frame);
  const available = Math.floor((end - start) / frame);
  if (available < 4) return false;
  // At most SWEEP_TEST_FRAMES frames, spread evenly over the run (a minute of sweep has 1400).
  const frames = Math.min(available, SWEEP_TEST_FRAMES);
  const frameAt = (f: number): number => start + Math.floor((f * (available - 1)) / Math.max(1, frames - 1)) * frame;
  // At least 90 % of the steps between frames must rise: past this many falls it is no sweep.
  const allowedFalls = Math.floor(0.1 * (frames - 1) + 1e-9);
  const spectrum = new Float64Array(frame + 2);
  let falls = 0;
  let first = 0;
  let previous = 0;
  for (let f = 0; f < frames; f++) {
    plan.forwardReal(x, frameAt(f), frame, spectrum);
    let best = 0;
    let bestBin = 0;
    for (let k = 1; k < frame / 2; k++) {
      const p = spectrum[2 * k] ** 2 + spectrum[2 * k + 1] ** 2;
      if (p > best) {
        best = p;
        bestBin = k;
      }
    }
    if (f === 0) first = bestBin;
    else if (bestBin < previous && ++falls > allowedFalls) return false;
    previous = bestBin;
  }
  const lowHz = Math.max(1, first) * (sampleRate / frame);
  const highHz = previous * (sampleRate / frame);
  return highHz / lowHz > 4;
}

/** Half-width of a click's template: out to the last sample within 60 dB of its peak, ±20 ms at most. */
function clickHalfWidth(x: Float32Array, centre: number, sampleRate: number): number {
  const limit = Math.round(0.02 * sampleRate);
  const threshold = Math.abs(x[centre]) * 1e-3;
  let reach = 0;
  for (let d = 1; d <= limit; d++) {
    if ((centre - d >= 0 && Math.abs(x[centre - d]) > threshold) || (centre + d < x.length && Math.abs(x[centre + d]) > threshold)) reach = d;
  }
  return reach + Math.round(0.0005 * sampleRate);
}

/** Default segment length for continuous signals: 0.3 s rounded so the analysis FFTs stay tight. */
export const defaultSegmentFrames = (sampleRate: number): number => Math.round(0.24 * sampleRate);

export function describeStimulus(reference: Float32Array, sampleRate: number, options: LayoutOptions = {}): StimulusLayout | Refusal {
  if (reference.length === 0) return refusal('EMPTY_REFERENCE', 'The reference signal has no samples.');
  const peak = peakAbs(reference);
  if (peak < 1e-6) return refusal('NO_EVENTS_IN_REFERENCE', `The reference is silent (peak ${(20 * Math.log10(Math.max(peak, 1e-12))).toFixed(0)} dBFS).`);

  const blockFrames = Math.max(1, Math.round(sampleRate / 1000));
  const envelope = blockPeaks(reference, blockFrames);
  const activeThreshold = Math.max(peak * 10 ** (ACTIVE_DB / 20), Math.min(quietestStretch(envelope, 50) * 10 ** (10 / 20), peak * 10 ** (-15 / 20)));
  const burstThreshold = peak * 10 ** (BURST_DB / 20);
  const activeRuns = runsWhere(envelope.length, (b) => envelope[b] > activeThreshold, 50);
  const activeStartFrame = activeRuns[0].start * blockFrames;
  const activeEndFrame = Math.min(reference.length, activeRuns[activeRuns.length - 1].end * blockFrames);
  const bursts = runsWhere(envelope.length, (b) => envelope[b] > burstThreshold, 5);
  const activeBlocks = activeRuns[activeRuns.length - 1].end - activeRuns[0].start;
  const burstBlocks = bursts.reduce((n, r) => n + r.end - r.start, 0);
  const impulsive = bursts.every((r) => r.end - r.start < 20) && burstBlocks < 0.1 * activeBlocks;

  let kind: StimulusKind;
  if (options.kind) kind = options.kind;
  else if (impulsive) kind = 'click';
  else kind = activeRuns.every((r) => isRisingSweep(reference, r.start * blockFrames, Math.min(reference.length, r.end * blockFrames), sampleRate)) ? 'sweep' : 'noise';

  const events: StimulusEvent[] = [];
  if (kind === 'click') {
    for (const burst of bursts) {
      let centre = burst.start * blockFrames;
      for (let i = burst.start * blockFrames; i < Math.min(reference.length, burst.end * blockFrames); i++) {
        if (Math.abs(reference[i]) > Math.abs(reference[centre])) centre = i;
      }
      const half = clickHalfWidth(reference, centre, sampleRate);
      events.push({ startFrame: Math.max(0, centre - half), endFrame: Math.min(reference.length, centre + half + 1), anchorFrame: centre });
    }
  } else {
    // Continuous signals: one event per active run (sweeps) or fixed segments of each run (noise).
    const segment = options.segmentFrames ?? defaultSegmentFrames(sampleRate);
    for (const run of activeRuns) {
      const start = run.start * blockFrames;
      const end = Math.min(reference.length, run.end * blockFrames);
      if (kind === 'sweep') {
        events.push({ startFrame: start, endFrame: end, anchorFrame: Math.round((start + end) / 2) });
        continue;
      }
      const count = Math.max(1, Math.floor((end - start) / segment));
      for (let i = 0; i < count; i++) {
        const s = start + i * segment;
        const e = i === count - 1 && count === 1 ? end : s + segment;
        events.push({ startFrame: s, endFrame: e, anchorFrame: Math.round((s + e) / 2) });
      }
    }
  }
  let minEventSpacingFrames = Infinity;
  for (let i = 1; i < events.length; i++) minEventSpacingFrames = Math.min(minEventSpacingFrames, events[i].anchorFrame - events[i - 1].anchorFrame);
  return { kind, events, activeStartFrame, activeEndFrame, minEventSpacingFrames };
}

export const isRefusal = (value: object): value is Refusal => 'code' in value && 'advice' in value;
