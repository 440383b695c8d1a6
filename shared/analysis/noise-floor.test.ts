import { describe, expect, it } from 'vitest';
import { measureNoiseFloor, type NoiseFloorInput } from './noise-floor';
import { createRandom } from '../primitives/random';
import { powerToDb } from '../primitives/signal-level';

const RATE = 48_000;

/** White noise of RMS `rms` everywhere, with a tone of amplitude `tone` over [from, to). */
function captureWith(length: number, rms: number, spans: Array<[number, number]>, tone: number, seed: number): Float32Array {
  const random = createRandom(seed);
  const x = new Float32Array(length);
  // Uniform noise of this RMS: ±rms·√3.
  for (let i = 0; i < length; i++) x[i] = random.uniform(-1, 1) * rms * Math.sqrt(3);
  for (const [from, to] of spans) for (let i = from; i < to; i++) x[i] += tone * Math.sin((2 * Math.PI * 1000 * i) / RATE);
  return x;
}

/** The floor as the module comment defines it, frame by frame: the naive reference. */
function naiveFloor(capture: Float32Array, busy: Uint8Array): { quietFrames: number; powers: number[] } {
  const block = Math.round(0.02 * RATE);
  const powers: number[] = [];
  let quietFrames = 0;
  let start = -1;
  for (let i = 0; i <= capture.length; i++) {
    const quiet = i < capture.length && busy[i] === 0;
    if (quiet) {
      quietFrames++;
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0) {
      for (let b = start; b + block <= i; b += block) {
        let s = 0;
        for (let j = b; j < b + block; j++) s += capture[j] * capture[j];
        powers.push(s / block);
      }
      start = -1;
    }
  }
  return { quietFrames, powers };
}

/** The floor the module defines from block powers: the mean of those at most 4× their median, in dB. */
function floorOf(powers: number[]): number {
  const sorted = [...powers].sort((a, b) => a - b);
  const n = sorted.length;
  const median = n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  const kept = powers.filter((p) => p <= 4 * median);
  return powerToDb(kept.reduce((a, b) => a + b, 0) / kept.length);
}

describe('measureNoiseFloor', () => {
  it('counts the quiet frames of a click train exactly and reads the floor of the gaps (−40 dBFS noise)', () => {
    const length = RATE * 3;
    const events = [0.5, 1.2, 2.0].map((s) => ({ startFrame: Math.round(s * RATE), endFrame: Math.round(s * RATE) + 96, anchorFrame: Math.round(s * RATE) + 48 }));
    const lag = 960;
    const spans = events.map((e): [number, number] => [e.startFrame + lag, e.endFrame + lag]);
    const capture = captureWith(length, 0.01, spans, 0.5, 7);
    const input: NoiseFloorInput = { capture, sampleRate: RATE, kind: 'click', events, activeStartFrame: events[0].startFrame, activeEndFrame: events[2].endFrame, lagOf: new Map(events.map((_, i) => [i, lag])) };
    const result = measureNoiseFloor(input);
    if (result.status !== 'measured') throw new Error(`not measured: ${result.status}`);
    // Busy: 2 ms before each arrival to 50 ms after its end.
    const busy = new Uint8Array(length);
    for (const e of events) busy.fill(1, e.startFrame + lag - 96, e.endFrame + lag + 2400);
    const naive = naiveFloor(capture, busy);
    expect(result.quietFrames).toBe(naive.quietFrames);
    // The floor from the naive blocks (the mean of those within 4× their median) to 1e-9 dB: a block
    // one frame off would move it by far more.
    expect(result.noiseFloorDbfs).toBeCloseTo(floorOf(naive.powers), 9);
    expect(result.noiseFloorDbfs).toBeCloseTo(-40, 1);
    expect(result.snrDb).toBeGreaterThan(20);
  });

  it('reads only whole 20 ms blocks: a quiet run shorter than one block adds frames but no block', () => {
    const length = RATE;
    // Two events whose busy spans leave an 8.5 ms gap between them (shorter than a 20 ms block).
    const events = [{ startFrame: 12_000, endFrame: 12_096, anchorFrame: 12_048 }, { startFrame: 15_000, endFrame: 15_096, anchorFrame: 15_048 }];
    const capture = captureWith(length, 0.01, events.map((e): [number, number] => [e.startFrame, e.endFrame]), 0.5, 5);
    // The gap 3 dB louder (inside the 4×-median cut, so a block there would move the mean):
    // counted as quiet frames, it must not enter the floor as a block.
    const gapFrom = 12_096 + 2400;
    const gapTo = 15_000 - 96;
    expect(gapTo - gapFrom).toBeLessThan(0.02 * RATE);
    for (let i = gapFrom; i < gapTo; i++) capture[i] *= Math.SQRT2;
    const result = measureNoiseFloor({ capture, sampleRate: RATE, kind: 'click', events, activeStartFrame: 12_000, activeEndFrame: 15_096, lagOf: new Map([[0, 0], [1, 0]]) });
    if (result.status !== 'measured') throw new Error(`not measured: ${result.status}`);
    const busy = new Uint8Array(length);
    for (const e of events) busy.fill(1, e.startFrame - 96, e.endFrame + 2400);
    const naive = naiveFloor(capture, busy);
    expect(result.quietFrames).toBe(naive.quietFrames);
    expect(result.noiseFloorDbfs).toBeCloseTo(floorOf(naive.powers), 9);
    expect(result.noiseFloorDbfs).toBeCloseTo(-40, 1);
  });

  it('reads the pre-roll and the tail of a continuous stimulus, up to the capture end', () => {
    const length = RATE * 4;
    const active: [number, number] = [RATE, 3 * RATE];
    const lag = 4800;
    const capture = captureWith(length, 0.001, [[active[0] + lag, active[1] + lag]], 0.3, 11);
    const result = measureNoiseFloor({ capture, sampleRate: RATE, kind: 'sweep', events: [{ startFrame: active[0], endFrame: active[1], anchorFrame: 2 * RATE }], activeStartFrame: active[0], activeEndFrame: active[1], lagOf: new Map([[0, lag]]) });
    if (result.status !== 'measured') throw new Error(`not measured: ${result.status}`);
    // Quiet: before 2 ms ahead of the arrival, and from 100 ms after the end to the capture's end.
    expect(result.quietFrames).toBe(active[0] + lag - 96 + (length - (active[1] + lag + 4800)));
    expect(result.noiseFloorDbfs).toBeCloseTo(powerToDb(1e-6), 0);
  });

  it('says no-quiet when the stimulus fills the capture, and no-noise on digital silence', () => {
    const length = RATE;
    const everywhere = measureNoiseFloor({ capture: captureWith(length, 0.01, [], 0, 3), sampleRate: RATE, kind: 'noise', events: [{ startFrame: 0, endFrame: length, anchorFrame: length / 2 }], activeStartFrame: 0, activeEndFrame: length, lagOf: new Map([[0, 0]]) });
    expect(everywhere).toEqual({ status: 'no-quiet', quietFrames: 0 });
    const silent = new Float32Array(length);
    silent.fill(0.5, RATE / 2, RATE / 2 + 4800);
    const digital = measureNoiseFloor({ capture: silent, sampleRate: RATE, kind: 'noise', events: [{ startFrame: RATE / 2, endFrame: RATE / 2 + 4800, anchorFrame: RATE / 2 + 2400 }], activeStartFrame: RATE / 2, activeEndFrame: RATE / 2 + 4800, lagOf: new Map([[0, 0]]) });
    expect(digital.status).toBe('no-noise');
  });
});
