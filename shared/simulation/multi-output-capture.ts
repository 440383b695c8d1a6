/**
 * One microphone hearing several outputs at once, with a known answer (tests only): each output's
 * clicks arrive at its own latency, drifting at its own rate against the capture clock, with
 * seeded per-click jitter, dropouts and gain; then a room and noise over the sum. Click positions
 * are exact (analytic fractional rendering).
 */
import { createRandom } from '../primitives/random';
import { type ClickShape, renderClick } from '../stimulus/click-train';
import { addNoiseAtSnr, applyImpulseResponse, pinkBackground } from './synthetic-path';

export interface SimulatedOutput {
  latencyMs: number;
  /** Drift of this output's clock against the capture clock: its lag grows by ppm·1e-6 per frame. */
  driftPpm: number;
  /** Half-width of the uniform per-click jitter, ms. */
  jitterMs: number;
  gainDb: number;
  /** Share of this output's clicks that never arrive. */
  dropoutRate: number;
  /** Clicks before this frame (reference time) never arrive: a speaker that joins late. */
  startFrame?: number;
  /** Clicks after this frame never arrive: a speaker that leaves early. */
  endFrame?: number;
}

export interface MultiOutputCaptureOptions {
  shape: ClickShape;
  clickFrames: number[][];
  lengthFrames: number;
  outputs: SimulatedOutput[];
  seed: number;
  room?: Float32Array;
  snrDb?: number;
}

export interface MultiOutputCapture {
  capture: Float32Array;
  /** True lag (frames) of every click of each output; null where it dropped out. */
  trueLagFrames: Array<Array<number | null>>;
}

export function renderMultiOutputCapture(options: MultiOutputCaptureOptions): MultiOutputCapture {
  const { shape, clickFrames, lengthFrames, outputs } = options;
  const rate = shape.sampleRate;
  const random = createRandom(options.seed);
  let capture: Float32Array = new Float32Array(lengthFrames);
  const trueLagFrames = outputs.map((out, k) =>
    clickFrames[k].map((frame) => {
      const jitter = random.uniform(-out.jitterMs, out.jitterMs);
      const dropped = random.uniform(0, 1) < out.dropoutRate;
      const lag = ((out.latencyMs + jitter) / 1000) * rate + out.driftPpm * 1e-6 * frame;
      if (dropped || frame < (out.startFrame ?? -Infinity) || frame > (out.endFrame ?? Infinity)) return null;
      renderClick(capture, shape, frame + lag, 10 ** (out.gainDb / 20));
      return lag;
    }),
  );
  if (options.room) capture = applyImpulseResponse(capture, options.room, lengthFrames);
  if (options.snrDb !== undefined) capture = addNoiseAtSnr(capture, pinkBackground(lengthFrames, options.seed + 1), options.snrDb);
  return { capture, trueLagFrames };
}
