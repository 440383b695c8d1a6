/**
 * Whole-capture analyses of paths that change while they play (issue 9): a step, a slow settle,
 * random alternation, a stable path with jitter and drift; and the SNR of click, pink and sweep
 * captures with noise at a known level.
 */
import { describe, expect, it } from 'vitest';
import { analyzeCapture, type MeasuredOutput } from './analyze-capture';
import { analyzeLatency, type LatencyAnalysis, type LatencyResult } from './latency-analysis';
import { describeStimulus, isRefusal, type StimulusLayout } from './stimulus-layout';
import { generateClickTrain } from '../stimulus/click-train';
import { generateStimulus, resolveStimulusSpec } from '../stimulus/stimulus';
import { createRandom } from '../primitives/random';
import { meanSquare, powerToDb } from '../primitives/signal-level';
import { delaySignal, pinkBackground } from '../simulation/synthetic-path';
import { renderVaryingClicks, steppedDelay } from '../simulation/time-varying-path';

const RATE = 48000;
const ms = (frames: number): number => (frames / RATE) * 1000;

function ok(result: LatencyResult): LatencyAnalysis {
  if (!result.ok) throw new Error(`expected a result, got refusal ${result.refusal.code}: ${result.refusal.message}`);
  return result.analysis;
}

/** Adds pink noise scaled to `noisePower` (mean square). */
function withNoise(clean: Float32Array, noisePower: number, seed: number): Float32Array {
  const noise = pinkBackground(clean.length, seed);
  const gain = Math.sqrt(noisePower);
  return Float32Array.from(clean, (v, i) => v + gain * noise[i]);
}

describe('start-up and steady state (clicks, 48 kHz)', () => {
  const train = generateClickTrain({ sampleRate: RATE, durationS: 20, seed: 5 });
  const length = train.samples.length + RATE;
  const timeOf = (frame: number): number => frame / RATE;

  it('a 25 ms step after 3 s: start-up until the first click after 3 s, steady state 150 ms, the headline is the steady state', () => {
    const path = renderVaryingClicks(train.shape, train.clickFrames, length, (_i, f) => (timeOf(f) < 3 ? 6000 : 7200.25));
    const capture = withNoise(path.capture, 1e-7, 3);
    const a = ok(analyzeLatency(train.samples, capture, RATE));
    const firstAfter = train.clickFrames.findIndex((f) => timeOf(f) >= 3);
    a.events.forEach((e, i) => expect(Math.abs((e.lagFrames as number) - path.trueLagFrames[i])).toBeLessThan(0.05));
    expect(a.startup?.untilFrame).toBe(train.clickFrames[firstAfter]);
    expect(a.startup?.count).toBe(firstAfter);
    expect(Math.abs(ms(a.startup?.medianLagFrames as number) - 125)).toBeLessThan(0.01);
    expect(a.segments).toHaveLength(2);
    expect(Math.abs(a.lag.median - 7200.25)).toBeLessThan(0.05);
    expect(a.lag.count).toBe(train.clickFrames.length - firstAfter);
    expect(Math.abs(a.lag.min - 7200.25)).toBeLessThan(0.05); // the start-up is not in the headline statistics
    expect(a.allLag.count).toBe(train.clickFrames.length);
    expect(a.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['STARTUP_TRANSIENT', 'LATENCY_JUMP']));
    expect(Math.abs(a.drift?.ppm as number)).toBeLessThan(1);
    // The frequency response would use the reference from the steady state's first event on.
    expect(a.steadyStartFrame).toBe(a.stimulusEvents[firstAfter].startFrame);
    expect(a.steadyEndFrame).toBe(a.activeEndFrame);

    const out = analyzeCapture(train.samples, capture, RATE) as Required<MeasuredOutput>;
    expect(out.latency.startup?.untilS).toBeCloseTo(timeOf(train.clickFrames[firstAfter]), 9);
    expect(out.latency.startup?.maxMs).toBeCloseTo(125, 2);
    expect(out.latency.steadyState?.count).toBe(out.latency.count);
    expect(out.latency.medianMs).toBeCloseTo(150.005, 2);
    expect(out.latency.segments?.map((s) => Math.round(s.medianMs))).toEqual([125, 150]);
    expect(out.latency.modes).toEqual([]);
  });

  it('a slow settle (180 → 150 ms, τ = 1.5 s): the steady state begins where the rest of the settle is under 0.5 ms', () => {
    const path = renderVaryingClicks(train.shape, train.clickFrames, length, (_i, f) => 7200 + 1440 * Math.exp(-timeOf(f) / 1.5));
    const a = ok(analyzeLatency(train.samples, withNoise(path.capture, 1e-7, 4), RATE));
    a.events.forEach((e, i) => expect(Math.abs((e.lagFrames as number) - path.trueLagFrames[i])).toBeLessThan(0.05));
    const untilS = (a.startup?.untilFrame as number) / RATE;
    // 30·e^(−t/1.5) is 0.5 ms at 6.1 s and 0.1 ms at 8.6 s.
    expect(untilS).toBeGreaterThan(5);
    expect(untilS).toBeLessThan(9);
    expect(ms(a.startup?.maxLagFrames as number)).toBeGreaterThan(170);
    expect(Math.abs(ms(a.lag.median) - 150)).toBeLessThan(0.1);
    expect(a.steadyState).toEqual(a.segments[a.segments.length - 1]);
  });

  for (const seed of [1, 2, 3]) {
    it(`stable from the start with 1 ms jitter and 100 ppm drift (seed ${seed}): no start-up, one segment`, () => {
      const random = createRandom(seed);
      const path = renderVaryingClicks(train.shape, train.clickFrames, length, (_i, f) => 6000 + 100e-6 * f + 48 * random.gaussian());
      const a = ok(analyzeLatency(train.samples, withNoise(path.capture, 1e-7, seed), RATE));
      expect(a.startup).toBeNull();
      expect(a.segments).toHaveLength(1);
      expect(a.modes).toEqual([]);
      expect(a.lag.count).toBe(train.clickFrames.length);
      expect(a.warnings.map((w) => w.code)).not.toContain('STARTUP_TRANSIENT');
    });
  }
});

describe('alternating paths', () => {
  const train = generateClickTrain({ sampleRate: RATE, durationS: 30, seed: 6 });
  const length = train.samples.length + RATE;

  for (const seed of [1, 2]) {
    it(`clicks arriving at random at 120 or 200 ms (seed ${seed}): measured, not refused; both modes with their shares; every event exact`, () => {
      const coin = createRandom(seed);
      const path = renderVaryingClicks(train.shape, train.clickFrames, length, () => (coin.next() < 0.6 ? 5760 : 9600));
      const a = ok(analyzeLatency(train.samples, withNoise(path.capture, 1e-7, seed), RATE));
      a.events.forEach((e, i) => {
        expect(e.status).toBe('ok');
        expect(Math.abs((e.lagFrames as number) - path.trueLagFrames[i])).toBeLessThan(0.05);
      });
      const slow = path.trueLagFrames.filter((l) => l === 9600).length;
      expect(a.modes.map((m) => Math.round(ms(m.medianLagFrames)))).toEqual([120, 200]);
      expect(a.modes.map((m) => m.count)).toEqual([path.trueLagFrames.length - slow, slow]);
      expect(a.startup).toBeNull();
      expect(a.warnings.map((w) => w.code)).toContain('MULTIMODAL_LATENCY');
      // Confidence reflects the path: at most the main mode's share.
      expect(a.confidence).toBeLessThanOrEqual(Math.max(...a.modes.map((m) => m.share)) + 1e-12);
    });
  }
});

describe('SNR measured where only noise is', () => {
  const signals = ['click', 'pink', 'sweep'] as const;
  const delayFrames = 1800.5;

  interface Case {
    reference: Float32Array;
    layout: StimulusLayout;
    clean: Float32Array;
    /** Mean power of the clean capture where the stimulus arrives (click windows, or the arrival span). */
    signalPower: number;
  }

  function build(signal: (typeof signals)[number], durationS: number): Case {
    // As the repro: 37.5 ms of silence in front of the stimulus and 0.5 s behind it.
    const stimulus = generateStimulus(resolveStimulusSpec({ signal, sampleRate: RATE, durationS, seed: 3 }));
    const pad = Math.round(0.0375 * RATE);
    const reference = new Float32Array(pad + stimulus.length + RATE / 2);
    reference.set(stimulus, pad);
    const layout = describeStimulus(reference, RATE);
    if (isRefusal(layout)) throw new Error(layout.message);
    const clean = delaySignal(reference, delayFrames, reference.length + 2400);
    let sum = 0;
    let count = 0;
    const windows = layout.kind === 'click' ? layout.events.map((e) => [e.startFrame, e.endFrame]) : [[layout.activeStartFrame, layout.activeEndFrame]];
    for (const [from, to] of windows) {
      const a = from + Math.round(delayFrames);
      const b = to + Math.round(delayFrames);
      sum += meanSquare(clean, a, b) * (b - a);
      count += b - a;
    }
    return { reference, layout, clean, signalPower: sum / count };
  }

  for (const signal of signals) {
    const c = build(signal, signal === 'sweep' ? 6 : 12);
    it(`${signal}: noise-free reads "no measurable noise" (SNR null, NO_NOISE_FLOOR)`, () => {
      const a = ok(analyzeLatency(c.reference, c.clean, RATE));
      expect(a.snrDb).toBeNull();
      expect(a.noiseFloorDbfs).toBeNull();
      expect(a.warnings.map((w) => w.code)).toContain('NO_NOISE_FLOOR');
    });
    for (const snr of [10, 20, 30]) {
      it(`${signal}: pink noise ${snr} dB below the stimulus reads ${snr} dB within 0.75 dB, its floor within 0.75 dB`, () => {
        const noisePower = c.signalPower / 10 ** (snr / 10);
        const a = ok(analyzeLatency(c.reference, withNoise(c.clean, noisePower, snr), RATE));
        expect(Math.abs((a.snrDb as number) - snr)).toBeLessThan(0.75);
        // The truth is the noise's power over the whole capture; the floor sees only its quiet 0.8 s.
        expect(Math.abs((a.noiseFloorDbfs as number) - powerToDb(noisePower))).toBeLessThan(0.75);
      });
    }
  }

  for (const durationS of [10, 30]) {
    it(`issue 9 repro: a noise-free pink capture of ${durationS} s (was 15.3 and 9.4 dB) reads no measurable noise`, () => {
      const c = build('pink', durationS);
      const a = ok(analyzeLatency(c.reference, c.clean, RATE));
      expect(a.snrDb).toBeNull();
    });
  }

  it('a pink capture whose latency steps: the noise floor still comes only from outside the arrival', () => {
    const c = build('pink', 12);
    const switchFrame = c.layout.activeStartFrame + 4 * RATE;
    const clean = steppedDelay(c.reference, switchFrame, 1800, 3000, c.reference.length + 4800);
    const noisePower = c.signalPower / 100;
    const a = ok(analyzeLatency(c.reference, withNoise(clean, noisePower, 9), RATE));
    expect(Math.abs((a.snrDb as number) - 20)).toBeLessThan(1);
    expect(a.segments.map((s) => Math.round(s.medianLagFrames))).toEqual([1800, 3000]);
    expect(Math.abs(a.lag.median - 3000)).toBeLessThan(0.05);
    expect(a.steadyStartFrame).toBeGreaterThanOrEqual(switchFrame - 64);
    expect(a.steadyStartFrame).toBeLessThan(switchFrame + 0.25 * RATE);
  });
});
