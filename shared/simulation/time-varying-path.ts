/**
 * Paths whose latency changes while they play, with a known answer: a click train whose every
 * click arrives at its own latency (a step, a slow settle, random alternation between two
 * values), and a continuous signal whose latency steps at a given frame. Exact fractional
 * positions; seeded.
 */
import { type ClickShape, renderClick } from '../stimulus/click-train';
import { delaySignal } from './synthetic-path';

/**
 * Renders each click of the train at its own latency `lagFrames(i, clickFrame)` (fractional
 * frames), analytically. Returns the capture and the true lag of every click.
 */
export function renderVaryingClicks(
  shape: ClickShape,
  clickFrames: number[],
  lengthFrames: number,
  lagFrames: (index: number, clickFrame: number) => number,
): { capture: Float32Array; trueLagFrames: number[] } {
  const capture = new Float32Array(lengthFrames);
  const trueLagFrames = clickFrames.map((frame, i) => {
    const lag = lagFrames(i, frame);
    renderClick(capture, shape, frame + lag, 1);
    return lag;
  });
  return { capture, trueLagFrames };
}

/**
 * A continuous signal through a path whose latency is `beforeFrames` for the reference before
 * `switchFrame` and `afterFrames` from then on (a buffer change): each part delayed exactly.
 * The part before the switch is faded out, and the part after faded in, over `fadeFrames` each
 * side of the switch, so the join makes no click.
 */
export function steppedDelay(x: Float32Array, switchFrame: number, beforeFrames: number, afterFrames: number, lengthFrames: number, fadeFrames = 64): Float32Array {
  const before = new Float32Array(x.length);
  const after = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const w = Math.min(1, Math.max(0, (i - (switchFrame - fadeFrames)) / (2 * fadeFrames)));
    before[i] = x[i] * (1 - w);
    after[i] = x[i] * w;
  }
  const a = delaySignal(before, beforeFrames, lengthFrames);
  const b = delaySignal(after, afterFrames, lengthFrames);
  return Float32Array.from(a, (v, i) => v + b[i]);
}
