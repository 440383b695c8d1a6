import { describe, expect, it } from 'vitest';
import { analyzeMultiOutput, SYNC_TOLERANCE_MS } from './multi-output';
import { generateMultiOutputReference, resolveMultiOutputSpec } from '../stimulus/multi-output';
import { renderMultiOutputCapture, type SimulatedOutput } from '../simulation/multi-output-capture';
import { roomImpulseResponse } from '../simulation/synthetic-path';

const RATE = 48000;

function run(outputs: SimulatedOutput[], durationS: number, seed: number, withRoom: boolean, toleranceMs?: number) {
  const reference = generateMultiOutputReference(resolveMultiOutputSpec({ outputs: outputs.length, durationS, seed, sampleRate: RATE }));
  const room = withRoom ? roomImpulseResponse({ sampleRate: RATE, rt60S: 0.4, directToReverbDb: 6, reflections: [{ delayMs: 3.1, gain: 0.5 }, { delayMs: 11, gain: 0.3 }], seed }) : undefined;
  const { capture, trueLagFrames } = renderMultiOutputCapture({
    shape: reference.shape, clickFrames: reference.clickFrames, lengthFrames: reference.channels[0].length + RATE, outputs, seed, room, snrDb: withRoom ? 25 : undefined,
  });
  const result = analyzeMultiOutput(reference.channels, capture, RATE, { syncToleranceMs: toleranceMs });
  return { result, trueLagFrames, reference };
}

/** The median of the true lags of the clicks that arrived, ms. */
const trueMedianMs = (lags: Array<number | null>): number => {
  const v = lags.filter((x): x is number => x !== null).sort((a, b) => a - b);
  const m = v.length >> 1;
  return (((v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2) / RATE) * 1000);
};

describe('analyzeMultiOutput', () => {
  it('two outputs with opposite drifts, jitter, dropouts, a room and noise: latency within 0.2 ms, drift within 10 ppm', () => {
    const outputs: SimulatedOutput[] = [
      { latencyMs: 180, driftPpm: 50, jitterMs: 2, gainDb: 0, dropoutRate: 0.05 },
      { latencyMs: 265, driftPpm: -50, jitterMs: 2, gainDb: -6, dropoutRate: 0.05 },
    ];
    const { result, trueLagFrames } = run(outputs, 150, 3, true);
    expect(result.status).toBe('ok');
    for (let k = 0; k < 2; k++) {
      const o = result.outputs[k];
      expect(o.status).toBe('ok');
      expect(Math.abs((o.latency?.medianMs ?? NaN) - trueMedianMs(trueLagFrames[k]))).toBeLessThan(0.2);
      expect(Math.abs((o.drift?.ppm ?? NaN) - outputs[k].driftPpm)).toBeLessThan(10);
      expect(o.latency?.dropouts).toBeGreaterThan(0);
    }
    expect(result.outputs[1].levelDb).toBeCloseTo(-6, 0);
    expect(result.outputs[1].offsetFromFirstMs).toBeCloseTo(trueMedianMs(trueLagFrames[1]) - trueMedianMs(trueLagFrames[0]), 0);
    const pair = result.sync?.pairs[0];
    expect(Math.abs((pair?.relativeDriftPpm ?? NaN) + 100)).toBeLessThan(15);
    expect(pair?.relativeDriftMsPerMinute).toBeCloseTo(((pair?.relativeDriftPpm ?? NaN) * 60) / 1000, 9);
    // 85 ms apart at the start, 70 ms at the end: out of sync for a stereo pair and across rooms.
    expect(result.sync?.withinTolerance).toBe(false);
    expect(result.warnings.map((w) => w.code)).toContain('OUT_OF_SYNC');
  }, 120000);

  it('three outputs from 150 to 300 ms, drifting +50, -50 and 0 ppm, in a room', () => {
    const outputs: SimulatedOutput[] = [
      { latencyMs: 150, driftPpm: 50, jitterMs: 1.5, gainDb: 0, dropoutRate: 0.03 },
      { latencyMs: 300, driftPpm: -50, jitterMs: 1.5, gainDb: -3, dropoutRate: 0.03 },
      { latencyMs: 220, driftPpm: 0, jitterMs: 1.5, gainDb: -8, dropoutRate: 0.03 },
    ];
    const { result, trueLagFrames } = run(outputs, 240, 5, true);
    expect(result.status).toBe('ok');
    for (let k = 0; k < 3; k++) {
      const o = result.outputs[k];
      expect(o.status).toBe('ok');
      expect(o.channel).toBe(k + 1);
      expect(Math.abs((o.latency?.medianMs ?? NaN) - trueMedianMs(trueLagFrames[k]))).toBeLessThan(0.2);
      expect(Math.abs((o.drift?.ppm ?? NaN) - outputs[k].driftPpm)).toBeLessThan(10);
      expect(o.levelDb).toBeCloseTo(outputs[k].gainDb, 0);
    }
    expect(result.sync?.pairs.map((p) => p.channel)).toEqual([2, 3]);
  }, 120000);

  it('a stereo pair 4 ms apart drifting 20 ppm against each other stays within ±10 ms; then within ±40 ms but not ±10 ms at 25 ms', () => {
    const near: SimulatedOutput[] = [
      { latencyMs: 200, driftPpm: 10, jitterMs: 0.5, gainDb: 0, dropoutRate: 0 },
      { latencyMs: 204, driftPpm: -10, jitterMs: 0.5, gainDb: 0, dropoutRate: 0 },
    ];
    const inSync = run(near, 60, 7, false).result;
    expect(inSync.sync?.withinTolerance).toBe(true);
    expect(inSync.sync?.toleranceMs).toBe(SYNC_TOLERANCE_MS.stereoPair);
    expect(inSync.sync?.exceedsToleranceAtS).toBeNull();
    expect(Math.abs((inSync.sync?.spreadStartMs ?? NaN) - 4)).toBeLessThan(0.3);
    const far: SimulatedOutput[] = [near[0], { ...near[1], latencyMs: 225 }];
    expect(run(far, 60, 7, false, SYNC_TOLERANCE_MS.rooms).result.sync?.withinTolerance).toBe(true);
    expect(run(far, 60, 7, false).result.sync?.withinTolerance).toBe(false);
  }, 120000);

  it('an output that plays nothing is refused, not measured on the other outputs\' clicks', () => {
    const outputs: SimulatedOutput[] = [
      { latencyMs: 170, driftPpm: 0, jitterMs: 1, gainDb: 0, dropoutRate: 0 },
      { latencyMs: 250, driftPpm: 0, jitterMs: 1, gainDb: 0, dropoutRate: 1 },
    ];
    const { result } = run(outputs, 60, 9, true);
    expect(result.status).toBe('ok');
    expect(result.outputs[0].status).toBe('ok');
    expect(result.outputs[1].status).toBe('refused');
    expect(result.sync).toBeNull();
    expect(result.warnings.map((w) => w.code)).toContain('OUTPUT_REFUSED');
  }, 120000);

  it('outputs whose latencies differ by nearly the click spacing: the clicks that overlap are left out and the rest measured', () => {
    const outputs: SimulatedOutput[] = [
      { latencyMs: 20, driftPpm: 0, jitterMs: 0.5, gainDb: 0, dropoutRate: 0 },
      { latencyMs: 330, driftPpm: 0, jitterMs: 0.5, gainDb: 0, dropoutRate: 0 },
    ];
    const { result, trueLagFrames } = run(outputs, 120, 11, false);
    const codes = result.outputs.flatMap((o) => o.warnings.map((w) => w.code));
    expect(codes).toContain('OUTPUTS_OVERLAP');
    for (let k = 0; k < 2; k++) {
      const o = result.outputs[k];
      expect(o.status).toBe('ok');
      expect(Math.abs((o.latency?.medianMs ?? NaN) - trueMedianMs(trueLagFrames[k]))).toBeLessThan(0.2);
    }
  }, 120000);
});
