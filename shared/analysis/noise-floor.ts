/**
 * Noise floor and SNR, measured where only noise is: the parts of the capture outside the
 * stimulus's arrival. For a continuous stimulus (noise, sweep) that is the pre-roll before the
 * first arrival and what follows the last; for clicks also the gaps between them. Each arrival is
 * widened by 2 ms before it and 50 ms (clicks) or 100 ms (continuous) after it, over the whole
 * range of measured latencies, so the decay of the path is not taken for noise.
 *
 * The floor is the mean power of the 20 ms blocks of those quiet stretches, leaving out blocks over
 * 4× (6 dB above) their median: unbiased for stationary noise, and untouched by a reverberant tail
 * or a knock that fills fewer than half of them; the signal is the mean power where the stimulus arrives (the click windows, or the whole
 * arrival span of a continuous stimulus) less the floor. A floor below -150 dBFS is digital
 * silence (below any converter's quantisation noise): no measurable noise, and no SNR.
 */
import { meanSquare, powerToDb } from '../primitives/signal-level';
import { percentileSorted } from '../primitives/statistics';
import type { StimulusEvent, StimulusKind } from './stimulus-layout';

export interface NoiseFloorInput {
  capture: Float32Array;
  sampleRate: number;
  kind: StimulusKind;
  events: StimulusEvent[];
  /** Where the stimulus plays in the reference, [start, end). */
  activeStartFrame: number;
  activeEndFrame: number;
  /** Measured lag of each event that has one (frames), by event index. */
  lagOf: ReadonlyMap<number, number>;
}

export type NoiseFloorResult =
  | { status: 'measured'; snrDb: number; noiseFloorDbfs: number; quietFrames: number }
  /** No stretch of 50 ms without the stimulus. */
  | { status: 'no-quiet'; quietFrames: number }
  /** The quiet stretches are digital silence (below -150 dBFS). */
  | { status: 'no-noise'; noiseFloorDbfs: number | null; quietFrames: number };

/** Floors below this are digital silence. */
export const NO_NOISE_DBFS = -150;
const BLOCK_S = 0.02;
const MIN_QUIET_S = 0.05;

export function measureNoiseFloor(input: NoiseFloorInput): NoiseFloorResult {
  const { capture, sampleRate, kind, events } = input;
  const lags = [...input.lagOf.values()];
  if (lags.length === 0) return { status: 'no-quiet', quietFrames: 0 };
  const minLag = Math.min(...lags);
  const maxLag = Math.max(...lags);
  const lead = Math.round(0.002 * sampleRate);
  const tail = Math.round((kind === 'click' ? 0.05 : 0.1) * sampleRate);
  const busy = new Uint8Array(capture.length);
  const mark = (from: number, to: number): void => {
    busy.fill(1, Math.max(0, Math.floor(from)), Math.max(0, Math.min(capture.length, Math.ceil(to))));
  };
  let signalSum = 0;
  let signalCount = 0;
  const addSignal = (from: number, to: number): void => {
    const a = Math.max(0, Math.round(from));
    const b = Math.min(capture.length, Math.round(to));
    if (b <= a) return;
    signalSum += meanSquare(capture, a, b) * (b - a);
    signalCount += b - a;
  };
  if (kind === 'click') {
    events.forEach((e, i) => {
      const lag = input.lagOf.get(i);
      // An event without a measured lag may have arrived anywhere in the measured range.
      mark(e.startFrame + (lag ?? minLag) - lead, e.endFrame + (lag ?? maxLag) + tail);
      if (lag !== undefined) addSignal(e.startFrame + lag, e.endFrame + lag);
    });
  } else {
    const sorted = Float64Array.from(lags).sort();
    const lag = percentileSorted(sorted, 50);
    mark(input.activeStartFrame + minLag - lead, input.activeEndFrame + maxLag + tail);
    addSignal(input.activeStartFrame + lag, input.activeEndFrame + lag);
  }
  // Block powers of the quiet stretches.
  const block = Math.max(1, Math.round(BLOCK_S * sampleRate));
  const powers: number[] = [];
  let quietFrames = 0;
  // Each quiet run (busy 0) from its start to the next busy frame, found by indexOf, not frame by frame.
  for (let runStart = busy.indexOf(0); runStart >= 0; runStart = busy.indexOf(0, runStart)) {
    const next = busy.indexOf(1, runStart);
    const runEnd = next < 0 ? capture.length : next;
    quietFrames += runEnd - runStart;
    for (let b = runStart; b + block <= runEnd; b += block) powers.push(meanSquare(capture, b, b + block));
    if (next < 0) break;
    runStart = runEnd;
  }
  if (quietFrames < MIN_QUIET_S * sampleRate || powers.length === 0 || signalCount === 0) return { status: 'no-quiet', quietFrames };
  // The mean of the blocks, leaving out those over 4× the median (a decay or a knock, not the floor).
  const typical = percentileSorted(Float64Array.from(powers).sort(), 50);
  const steady = powers.filter((p) => p <= 4 * typical);
  const noise = steady.reduce((sum, p) => sum + p, 0) / steady.length;
  if (!(noise > 0) || powerToDb(noise) < NO_NOISE_DBFS) return { status: 'no-noise', noiseFloorDbfs: noise > 0 ? powerToDb(noise) : null, quietFrames };
  const signal = signalSum / signalCount;
  return { status: 'measured', snrDb: powerToDb(Math.max(signal - noise, 1e-30) / noise), noiseFloorDbfs: powerToDb(noise), quietFrames };
}
