/**
 * Music mode: the beats of the user's track as latency events, and the coarse cross-check of the
 * measured latency against the beat grid found in the capture.
 */
import type { StimulusEvent } from '../../shared/analysis/stimulus-layout';

export interface BeatGrid {
  bpm: number;
  /** Time of the first beat from the start of the signal, seconds. */
  offsetS: number;
}

export interface BeatEventOptions {
  sampleRate: number;
  /** Length of the reference, frames. */
  lengthFrames: number;
  /** Window around each beat: from beforeS before it to afterS after it. Defaults 0.05 s / 0.2 s. */
  beforeS?: number;
  afterS?: number;
  /** Only beats whose whole window lies in [activeStartFrame, activeEndFrame) are used. */
  activeStartFrame?: number;
  activeEndFrame?: number;
}

/** Frames of each beat of the grid inside the signal (rounded to the nearest frame). */
export function beatFrames(grid: BeatGrid, sampleRate: number, lengthFrames: number): number[] {
  if (!(grid.bpm > 0 && Number.isFinite(grid.bpm))) throw new RangeError(`tempo must be a positive number of BPM, got ${grid.bpm}`);
  const periodFrames = (60 / grid.bpm) * sampleRate;
  // A grid may be given with a first beat later than one period in: step back to the first one.
  let first = grid.offsetS * sampleRate;
  first -= Math.floor(first / periodFrames) * periodFrames;
  const frames: number[] = [];
  for (let k = 0; ; k++) {
    const f = Math.round(first + k * periodFrames);
    if (f >= lengthFrames) break;
    frames.push(f);
  }
  return frames;
}

/**
 * One event per beat: the window [beat − before, beat + after), shortened so windows never overlap
 * (a window ends at least `beforeS` before the next beat starts its own), anchored at the beat.
 */
export function beatEvents(grid: BeatGrid, options: BeatEventOptions): StimulusEvent[] {
  const { sampleRate, lengthFrames } = options;
  const before = Math.round((options.beforeS ?? 0.05) * sampleRate);
  const after = Math.round((options.afterS ?? 0.2) * sampleRate);
  const lo = Math.max(0, options.activeStartFrame ?? 0);
  const hi = Math.min(lengthFrames, options.activeEndFrame ?? lengthFrames);
  const beats = beatFrames(grid, sampleRate, lengthFrames);
  const events: StimulusEvent[] = [];
  for (let i = 0; i < beats.length; i++) {
    const anchor = beats[i];
    const start = anchor - before;
    const nextStart = i + 1 < beats.length ? beats[i + 1] - before : Infinity;
    const end = Math.min(anchor + after, nextStart);
    if (start < lo || end > hi || end - start < before + 1) continue;
    events.push({ startFrame: start, endFrame: end, anchorFrame: anchor });
  }
  return events;
}

export interface BeatCrossCheck {
  /** Capture beat offset − reference beat offset, moved by whole beat periods to the measured value. */
  coarseLatencyMs: number;
  /** Measured median − coarse latency. */
  differenceMs: number;
  /** Whole beat periods added to the offset difference (the beat grid repeats every period). */
  periodsShifted: number;
  agrees: boolean;
}

/** Tolerance of the cross-check: the beat detector's grid is coarse. */
export const BEAT_CROSS_CHECK_TOLERANCE_MS = 20;

export function beatCrossCheck(reference: BeatGrid, capture: BeatGrid, measuredMedianMs: number, toleranceMs = BEAT_CROSS_CHECK_TOLERANCE_MS): BeatCrossCheck {
  const periodMs = 60000 / reference.bpm;
  const raw = (capture.offsetS - reference.offsetS) * 1000;
  const periodsShifted = Math.round((measuredMedianMs - raw) / periodMs) || 0;
  const coarseLatencyMs = raw + periodsShifted * periodMs;
  const differenceMs = measuredMedianMs - coarseLatencyMs;
  return { coarseLatencyMs, differenceMs, periodsShifted, agrees: Math.abs(differenceMs) <= toleranceMs };
}
