import { describe, expect, it } from 'vitest';
import { generateClickTrain, type ClickTrain } from '../stimulus/click-train';
import { highPass, iirGroupDelayFrames, linearPhaseBandPass, lowPass, peaking, applyIir } from '../simulation/iir-filter';
import { analyzeLatency, eventConfidence, noisePeakDb, type LatencyAnalysis, type LatencyOptions, type LatencyResult } from './latency-analysis';
import { MAX_POLARITY_EVENTS } from './latency-events';
import { generateLogSweep } from '../stimulus/log-sweep';
import { generatePinkNoise } from '../stimulus/pink-noise';
import {
  addNoiseAtSnr,
  applyImpulseResponse,
  delaySignal,
  driftSignal,
  pinkBackground,
  renderClickCapture,
  roomImpulseResponse,
  whiteBackground,
} from '../simulation/synthetic-path';

const toMs = (frames: number, rate: number): number => (frames / rate) * 1000;

function ok(result: LatencyResult): LatencyAnalysis {
  if (!result.ok) throw new Error(`expected a result, got refusal ${result.refusal.code}: ${result.refusal.message}`);
  return result.analysis;
}

function refused(result: LatencyResult): string {
  if (result.ok) throw new Error(`expected a refusal, got median ${result.analysis.lag.median} frames`);
  expect(result.refusal.message.length).toBeGreaterThan(20);
  expect(result.refusal.advice.length).toBeGreaterThan(20);
  return result.refusal.code;
}

interface ClickPath {
  train: ClickTrain;
  capture: Float32Array;
  trueLag: number[];
}

/** A click train through a path: exact fractional arrivals, then optional filter/room, then pink noise. */
function clickPath(options: {
  rate?: number;
  durationS?: number;
  delayFrames: number;
  snrDb?: number;
  driftPpm?: number;
  jitterStdFrames?: number;
  dropouts?: Set<number>;
  gain?: number;
  process?: (x: Float32Array) => Float32Array;
  seed?: number;
}): ClickPath {
  const rate = options.rate ?? 48000;
  const train = generateClickTrain({ sampleRate: rate, durationS: options.durationS ?? 10, seed: options.seed ?? 1 });
  const lengthFrames = train.samples.length + Math.ceil(options.delayFrames) + Math.round(0.3 * rate);
  const rendered = renderClickCapture({
    shape: train.shape, clickFrames: train.clickFrames, lengthFrames, delayFrames: options.delayFrames,
    driftPpm: options.driftPpm, jitterStdFrames: options.jitterStdFrames, dropouts: options.dropouts, gain: options.gain, seed: options.seed,
  });
  let capture = options.process ? options.process(rendered.capture) : rendered.capture;
  if (options.snrDb !== undefined) {
    const first = train.clickFrames[0] + Math.round(options.delayFrames);
    const last = train.clickFrames[train.clickFrames.length - 1] + Math.round(options.delayFrames);
    capture = addNoiseAtSnr(capture, pinkBackground(capture.length, (options.seed ?? 1) + 100), options.snrDb, first, last);
  }
  return { train, capture, trueLag: rendered.trueLagFrames };
}

describe('analyzeLatency: click train, pure fractional delays', () => {
  for (const rate of [44100, 48000, 96000]) {
    for (const delayMs of [3.217, 150.0331, 987.654]) {
      it(`${rate} Hz, ${delayMs} ms at 20 dB SNR: median within 0.002 ms, every event within 0.01 ms`, () => {
        const delayFrames = (delayMs / 1000) * rate;
        const path = clickPath({ rate, delayFrames, snrDb: 20, seed: Math.round(delayMs) });
        const a = ok(analyzeLatency(path.train.samples, path.capture, rate));
        expect(a.kind).toBe('click');
        expect(a.events).toHaveLength(path.train.clickFrames.length);
        expect(a.events.every((e) => e.status === 'ok')).toBe(true);
        expect(Math.abs(toMs(a.lag.median - delayFrames, rate))).toBeLessThan(0.002);
        for (const e of a.events) expect(Math.abs(toMs((e.lagFrames as number) - delayFrames, rate))).toBeLessThan(0.01);
        expect(a.confidence).toBeGreaterThan(0.95);
        expect(a.warnings).toEqual([]);
      });
    }
  }

  it('pink-noise background from +30 down to 0 dB SNR keeps the median within 0.005 ms', () => {
    const delayFrames = 12345.678;
    for (const snrDb of [30, 20, 10, 0]) {
      const path = clickPath({ delayFrames, snrDb, seed: 3 + snrDb });
      const a = ok(analyzeLatency(path.train.samples, path.capture, 48000));
      expect(Math.abs(toMs(a.lag.median - delayFrames, 48000)), `${snrDb} dB`).toBeLessThan(0.005);
      expect(a.snrDb as number).toBeGreaterThan(snrDb); // per-click SNR exceeds the broadband figure
    }
  });
});

describe('analyzeLatency: filters and rooms', () => {
  it('through a linear-phase band-pass (known group delay) at 10 dB: within 0.02 ms of delay + (taps-1)/2', () => {
    const fir = linearPhaseBandPass(129, 150, 9000, 48000);
    const delayFrames = 4321.25;
    const path = clickPath({ delayFrames, snrDb: 10, process: (x) => applyImpulseResponse(x, fir) });
    const a = ok(analyzeLatency(path.train.samples, path.capture, 48000));
    expect(Math.abs(toMs(a.lag.median - (delayFrames + 64), 48000))).toBeLessThan(0.02);
  });

  it('through a speaker-like minimum-phase band-pass at 10 dB: within 0.1 ms of delay + group delay at 2 kHz, and within 0.01 ms of the noise-free result', () => {
    const filter = [highPass(90, 48000), lowPass(14000, 48000), peaking(3000, 48000, 4, 1.5)];
    const delayFrames = 2000.5;
    const clean = clickPath({ delayFrames, process: (x) => applyIir(filter, x) });
    const noisy = clickPath({ delayFrames, snrDb: 10, process: (x) => applyIir(filter, x) });
    const reference = ok(analyzeLatency(clean.train.samples, clean.capture, 48000)).lag.median;
    const measured = ok(analyzeLatency(noisy.train.samples, noisy.capture, 48000)).lag.median;
    const expected = delayFrames + iirGroupDelayFrames(filter, 2000, 48000);
    expect(Math.abs(toMs(measured - expected, 48000))).toBeLessThan(0.1);
    expect(Math.abs(toMs(measured - reference, 48000))).toBeLessThan(0.01);
  });

  it('in a reverberant room (RT60 0.5 s, DRR -3 dB, strong early reflections) at 0 dB: median within 0.5 ms of the direct sound', () => {
    const room = roomImpulseResponse({ sampleRate: 48000, rt60S: 0.5, directToReverbDb: -3, reflections: [{ delayMs: 2.1, gain: 0.6 }, { delayMs: 7.3, gain: 0.5 }, { delayMs: 13, gain: 0.4 }], seed: 5 });
    const delayFrames = 3333.3;
    const path = clickPath({ delayFrames, snrDb: 0, process: (x) => applyImpulseResponse(x, room, x.length) });
    const a = ok(analyzeLatency(path.train.samples, path.capture, 48000));
    expect(Math.abs(toMs(a.lag.median - delayFrames, 48000))).toBeLessThan(0.5);
    expect(a.events.filter((e) => e.status === 'ok').length).toBeGreaterThan(0.9 * a.events.length);
  });

  it('an inverted path gives the same latency and says so', () => {
    const path = clickPath({ delayFrames: 999.9, snrDb: 20, gain: -0.5 });
    const a = ok(analyzeLatency(path.train.samples, path.capture, 48000));
    expect(Math.abs(a.lag.median - 999.9)).toBeLessThan(0.1);
    expect(a.polarityInverted).toBe(true);
    expect(a.warnings.map((w) => w.code)).toContain('INVERTED_POLARITY');
  });

  // A 2-pole low-pass turns the phase towards -180° above its cut-off, where most FFT bins lie:
  // the PHAT peak is negative there, the impulse response is not.
  const lowPass2k = [lowPass(2000, 48000, 1.414)];
  it.each([
    ['a click train', 1, false],
    ['a click train, inverted', -1, true],
  ] as const)('a 2 kHz low-pass (Q 1.41) on %s: polarity from the impulse response, not the PHAT peak', (_name, gain, inverted) => {
    const path = clickPath({ delayFrames: 1234.5, snrDb: 30, gain, process: (x) => applyIir(lowPass2k, x) });
    const a = ok(analyzeLatency(path.train.samples, path.capture, 48000));
    expect(a.polarityInverted).toBe(inverted);
    expect(a.warnings.some((w) => w.code === 'INVERTED_POLARITY')).toBe(inverted);
  });

  // Every stimulus through filters whose phase turns a lot inside the band, each way up.
  const polarityPaths = {
    'low-pass 300 Hz': [lowPass(300, 48000)],
    'low-pass 2 kHz (Q 1.41)': lowPass2k,
    'high-pass 1 kHz': [highPass(1000, 48000)],
    'band-pass 200 Hz–5 kHz': [highPass(200, 48000), lowPass(5000, 48000)],
  };
  const polarityStimuli = {
    click: () => generateClickTrain({ sampleRate: 48000, durationS: 6, seed: 2 }).samples,
    pink: () => generatePinkNoise({ sampleRate: 48000, durationS: 6, seed: 4 }).samples,
    sweep: () => generateLogSweep({ sampleRate: 48000, durationS: 6 }).samples,
  };
  it.each(Object.keys(polarityStimuli).flatMap((stimulus) => Object.keys(polarityPaths).map((path) => [stimulus, path] as const)))(
    'polarity of a %s through a %s, each way up',
    (stimulus, path) => {
      const x = polarityStimuli[stimulus as keyof typeof polarityStimuli]();
      const filtered = applyIir(polarityPaths[path as keyof typeof polarityPaths], delaySignal(x, 1500.3, x.length + 6000));
      for (const gain of [1, -1]) {
        const capture = addNoiseAtSnr(filtered.map((v) => v * gain), whiteBackground(filtered.length, 11), 30);
        const a = ok(analyzeLatency(x, capture, 48000));
        // A sweep is one event: its sign is reported only when it holds across bandwidths
        // (polarity.ts). Through a 1 kHz high-pass it does not (positive over the full band,
        // negative low-passed at 3 kHz and below): no polarity, never the wrong one.
        const reported = !(stimulus === 'sweep' && path === 'high-pass 1 kHz');
        expect(a.polarityStable, `gain ${gain}`).toBe(reported);
        expect(a.polarityInverted, `gain ${gain}`).toBe(reported && gain < 0);
      }
    },
  );

  it.each([
    ['pink noise', 1, false],
    ['pink noise, inverted', -1, true],
  ] as const)('a 2 kHz low-pass (Q 1.41) on %s: polarity from the impulse response', (_name, gain, inverted) => {
    const noise = generatePinkNoise({ sampleRate: 48000, durationS: 6, seed: 4 });
    const delayed = delaySignal(noise.samples, 2000.25, noise.samples.length + 4000);
    const filtered = applyIir(lowPass2k, delayed).map((v) => v * gain);
    const a = ok(analyzeLatency(noise.samples, addNoiseAtSnr(filtered, whiteBackground(filtered.length, 9), 30), 48000));
    expect(a.polarityInverted).toBe(inverted);
  });
});

describe('analyzeLatency: the polarity of a long run is read on a sample of its events', () => {
  it.each([
    ['not inverted', 1, false],
    ['inverted', -1, true],
  ] as const)('40 s of pink noise (over 160 events), %s: at most MAX_POLARITY_EVENTS read, every one of them right, the polarity reported', (_name, gain, inverted) => {
    const noise = generatePinkNoise({ sampleRate: 48000, durationS: 40, seed: 6 });
    const delayed = delaySignal(noise.samples, 3000.5, noise.samples.length + 6000).map((v) => v * gain);
    const a = ok(analyzeLatency(noise.samples, addNoiseAtSnr(delayed, whiteBackground(delayed.length, 11), 20), 48000));
    expect(a.events.length).toBeGreaterThan(160);
    const read = a.events.filter((e) => e.inverted !== undefined && e.status === 'ok');
    expect(read.length).toBeGreaterThanOrEqual(MAX_POLARITY_EVENTS - 8);
    expect(read.length).toBeLessThanOrEqual(MAX_POLARITY_EVENTS);
    expect(read.every((e) => e.inverted === inverted)).toBe(true);
    expect(a.polarityStable).toBe(true);
    expect(a.polarityInverted).toBe(inverted);
    expect(a.warnings.some((w) => w.code === 'INVERTED_POLARITY')).toBe(inverted);
  }, 60_000);
});

describe('analyzeLatency: time behaviour', () => {
  it('100 ppm clock drift over a minute: every event within 0.01 ms, drift within 1 ppm', () => {
    const path = clickPath({ durationS: 60, delayFrames: 9600.4, driftPpm: 100, snrDb: 20 });
    const a = ok(analyzeLatency(path.train.samples, path.capture, 48000));
    expect(a.events.every((e) => e.status === 'ok')).toBe(true);
    a.events.forEach((e, i) => expect(Math.abs(toMs((e.lagFrames as number) - path.trueLag[i], 48000))).toBeLessThan(0.01));
    expect(a.drift?.ppm).toBeCloseTo(100, 0);
    expect(Math.abs((a.drift?.ppm as number) - 100)).toBeLessThan(1);
    expect(toMs(a.lag.max - a.lag.min, 48000)).toBeGreaterThan(5.5); // 100 ppm × 60 s = 6 ms, not averaged away
  });

  it('per-event jitter (σ = 1 ms) is measured event by event within 0.1 ms and reported as jitter', () => {
    const path = clickPath({ durationS: 30, delayFrames: 4800, jitterStdFrames: 48, snrDb: 10, seed: 21 });
    const a = ok(analyzeLatency(path.train.samples, path.capture, 48000));
    a.events.forEach((e, i) => expect(Math.abs(toMs((e.lagFrames as number) - path.trueLag[i], 48000))).toBeLessThan(0.1));
    expect(toMs(a.drift?.jitterFrames as number, 48000)).toBeGreaterThan(0.7);
    expect(toMs(a.drift?.jitterFrames as number, 48000)).toBeLessThan(1.3);
    expect(Math.abs(a.drift?.ppm as number)).toBeLessThan(100); // jitter is not mistaken for drift
  });

  it('dropouts are reported as exactly the missing events, not averaged away', () => {
    const dropouts = new Set([0, 5, 6, 7, 12]);
    const path = clickPath({ durationS: 12, delayFrames: 7200.7, dropouts, snrDb: 20 });
    const a = ok(analyzeLatency(path.train.samples, path.capture, 48000));
    const missing = a.events.filter((e) => e.status === 'dropout').map((e) => e.index);
    expect(missing).toEqual([...dropouts]);
    expect(a.events.filter((e) => e.status === 'ok')).toHaveLength(a.events.length - dropouts.size);
    expect(Math.abs(a.lag.median - 7200.7)).toBeLessThan(0.05);
    expect(a.warnings.map((w) => w.code)).toContain('DROPOUTS');
  });

  for (const [label, jumpFrames] of [['inside the search window (+30 ms)', 1440], ['beyond it (+150 ms, re-acquired)', 7200]] as const) {
    it(`follows a latency jump ${label} in the middle of a run and reports it`, () => {
      const rate = 48000;
      const train = generateClickTrain({ sampleRate: rate, durationS: 20 });
      const switchAt = train.clickFrames[20];
      const length = train.samples.length + 20000;
      const before = renderClickCapture({ shape: train.shape, clickFrames: train.clickFrames.filter((f) => f < switchAt), lengthFrames: length, delayFrames: 7200 });
      const after = renderClickCapture({ shape: train.shape, clickFrames: train.clickFrames.filter((f) => f >= switchAt), lengthFrames: length, delayFrames: 7200 + jumpFrames });
      const capture = Float32Array.from(before.capture, (v, i) => v + after.capture[i]);
      const a = ok(analyzeLatency(train.samples, capture, rate));
      a.events.forEach((e) => {
        expect(e.status).toBe('ok');
        expect(Math.abs((e.lagFrames as number) - (e.anchorFrame < switchAt ? 7200 : 7200 + jumpFrames))).toBeLessThan(0.05);
      });
      expect(a.latencyJumps).toHaveLength(1);
      expect(a.latencyJumps[0].anchorFrame).toBe(switchAt);
      expect(a.warnings.map((w) => w.code)).toContain('LATENCY_JUMP');
      // Drift is fitted within the longest stretch without a jump, so the jump does not pose as drift.
      expect(Math.abs(a.drift?.ppm as number)).toBeLessThan(1);
    });
  }

  it('finds the alignment when the first seconds of the capture are missing (a speaker waking up)', () => {
    const path = clickPath({ durationS: 20, delayFrames: 5000, dropouts: new Set([0, 1, 2, 3, 4, 5, 6, 7]), snrDb: 20 });
    const a = ok(analyzeLatency(path.train.samples, path.capture, 48000));
    expect(a.events.slice(0, 8).every((e) => e.status === 'dropout')).toBe(true);
    expect(Math.abs(a.lag.median - 5000)).toBeLessThan(0.05);
  });
});

describe('analyzeLatency: continuous stimuli', () => {
  it('pink noise: per-segment latency, exact delay at 0 dB, drift followed', () => {
    const noise = generatePinkNoise({ sampleRate: 48000, durationS: 12, seed: 4 });
    const length = noise.samples.length + 20000;
    const capture = addNoiseAtSnr(driftSignal(noise.samples, 15000.3, 50, length), whiteBackground(length, 9), 0, noise.startFrame + 15000, noise.endFrame + 15000);
    const a = ok(analyzeLatency(noise.samples, capture, 48000));
    expect(a.kind).toBe('noise');
    expect(a.events.length).toBeGreaterThan(40);
    a.events.forEach((e) => expect(Math.abs((e.lagFrames as number) - (15000.3 + 50e-6 * e.anchorFrame))).toBeLessThan(0.1));
    expect(Math.abs((a.drift?.ppm as number) - 50)).toBeLessThan(1);
  });

  it('log sweep: one event, exact delay', () => {
    const sweep = generateLogSweep({ sampleRate: 48000, durationS: 5 });
    const capture = addNoiseAtSnr(delaySignal(sweep.samples, 2468.75, sweep.samples.length + 5000), whiteBackground(sweep.samples.length + 5000, 2), 10, sweep.startFrame, sweep.endFrame);
    const a = ok(analyzeLatency(sweep.samples, capture, 48000));
    expect(a.kind).toBe('sweep');
    expect(a.events).toHaveLength(1);
    expect(Math.abs(a.lag.median - 2468.75)).toBeLessThan(0.01);
    expect(a.drift).toBeNull();
  });

  it('dual-channel: a recorded, filtered, noisy loopback works as the reference', () => {
    const path = clickPath({ delayFrames: 6000, snrDb: 15 });
    const loopback = addNoiseAtSnr(applyIir([lowPass(18000, 48000)], path.train.samples), whiteBackground(path.train.samples.length, 77), 40, path.train.clickFrames[0], path.train.clickFrames.at(-1));
    const a = ok(analyzeLatency(loopback, path.capture, 48000, { minLatencyMs: -500 }));
    expect(Math.abs(toMs(a.lag.median - 6000, 48000))).toBeLessThan(0.05);
  });
});

describe('analyzeLatency: refusals instead of wrong numbers', () => {
  const path = clickPath({ delayFrames: 4800, snrDb: 20 });
  const reference = path.train.samples;
  const cases: Array<[string, () => LatencyResult, string]> = [
    ['empty reference', () => analyzeLatency(new Float32Array(0), path.capture, 48000), 'EMPTY_REFERENCE'],
    ['empty capture', () => analyzeLatency(reference, new Float32Array(0), 48000), 'EMPTY_CAPTURE'],
    ['silent reference', () => analyzeLatency(new Float32Array(48000), path.capture, 48000), 'NO_EVENTS_IN_REFERENCE'],
    ['digital silence captured', () => analyzeLatency(reference, new Float32Array(path.capture.length), 48000), 'SILENT_CAPTURE'],
    ['noise only (wrong device recorded)', () => analyzeLatency(reference, whiteBackground(path.capture.length, 1).map((v) => 0.05 * v), 48000), 'NO_STIMULUS'],
    ['a NaN sample', () => analyzeLatency(reference, path.capture.map((v, i) => (i === 1234 ? NaN : v)), 48000), 'INVALID_SAMPLES'],
    ['capture shorter than the first click', () => analyzeLatency(reference, path.capture.subarray(0, 1000), 48000), 'TOO_SHORT'],
    ['capture clipped at full scale', () => analyzeLatency(reference, path.capture.map((v) => Math.max(-1, Math.min(1, v * 40))), 48000), 'CLIPPED'],
  ];
  for (const [name, run, code] of cases) it(`${name} → ${code}`, () => expect(refused(run())).toBe(code));

  it('clicks 30 dB under pink noise → SIGNAL_TOO_LOW (found, but no event is clear)', () => {
    const weak = clickPath({ delayFrames: 4800, snrDb: -30, seed: 8 });
    expect(refused(analyzeLatency(weak.train.samples, weak.capture, 48000))).toBe('SIGNAL_TOO_LOW');
  });

  it('clicks 22 dB under pink noise are still measured exactly (per-click processing gain)', () => {
    const weak = clickPath({ delayFrames: 4800, snrDb: -22, seed: 8 });
    expect(Math.abs(ok(analyzeLatency(weak.train.samples, weak.capture, 48000)).lag.median - 4800)).toBeLessThan(0.1);
  });

  it('two speakers playing the same clicks 40 ms apart at equal level → AMBIGUOUS_PEAK', () => {
    const a = clickPath({ delayFrames: 4800, seed: 2 });
    const b = clickPath({ delayFrames: 4800 + 1920, seed: 2 });
    const both = addNoiseAtSnr(Float32Array.from(a.capture, (v, i) => v + (b.capture[i] ?? 0)), whiteBackground(a.capture.length, 4), 20);
    expect(refused(analyzeLatency(a.train.samples, both, 48000))).toBe('AMBIGUOUS_PEAK');
  });

  it('only two of every six clicks arriving → TOO_FEW_EVENTS', () => {
    const drop = new Set(Array.from({ length: 40 }, (_, i) => i).filter((i) => i % 6 > 1));
    const sparse = clickPath({ delayFrames: 4800, snrDb: 20, dropouts: drop, durationS: 12 });
    expect(refused(analyzeLatency(sparse.train.samples, sparse.capture, 48000))).toBe('TOO_FEW_EVENTS');
  });

  it('a little clipping is a warning, not a refusal', () => {
    const capture = path.capture.slice();
    const first = path.train.clickFrames[3] + 4800;
    capture[first] = 1;
    capture[first + 1] = 1;
    const a = ok(analyzeLatency(reference, capture, 48000));
    expect(a.warnings.map((w) => w.code)).toContain('CLIPPING');
  });

  it('events after the end of the capture are "not captured", with advice', () => {
    const a = ok(analyzeLatency(reference, path.capture.subarray(0, Math.round(path.capture.length * 0.6)), 48000));
    expect(a.events.some((e) => e.status === 'not-captured')).toBe(true);
    expect(a.warnings.map((w) => w.code)).toContain('CAPTURE_ENDS_EARLY');
  });
});

describe('eventConfidence', () => {
  it('is 0 at what noise alone reaches, 1 from 12 dB above it with a clear peak, and monotonic', () => {
    const floor = noisePeakDb(8192);
    expect(floor).toBeCloseTo(20 * Math.log10(Math.sqrt(2 * Math.log(8192))), 10);
    expect(eventConfidence(floor + 3, 0, 8192)).toBe(0);
    expect(eventConfidence(floor + 12, 0.5, 8192)).toBe(1);
    expect(eventConfidence(60, 0.95, 8192)).toBe(0);
    expect(eventConfidence(60, 0.8, 8192)).toBe(1);
    // A wider search window needs a taller peak for the same confidence.
    expect(eventConfidence(floor + 7, 0, 8192)).toBeGreaterThan(eventConfidence(floor + 7, 0, 65536));
    let previous = -1;
    for (let db = 10; db <= 30; db += 0.5) {
      const c = eventConfidence(db, 0.3, 8192);
      expect(c).toBeGreaterThanOrEqual(previous);
      previous = c;
    }
  });
});

describe('analyzeLatency options', () => {
  it('plain (unweighted) correlation gives the same answer on a clean path', () => {
    const path = clickPath({ delayFrames: 1111.11, snrDb: 20 });
    const options: LatencyOptions = { weighting: 'none' };
    const a = ok(analyzeLatency(path.train.samples, path.capture, 48000, options));
    expect(a.weighting).toBe('none');
    expect(Math.abs(a.lag.median - 1111.11)).toBeLessThan(0.02);
  });

  it('a latency beyond maxLatencyMs is not found (NO_STIMULUS), within it is', () => {
    const far = clickPath({ delayFrames: 48000 * 1.2, snrDb: 20 });
    expect(refused(analyzeLatency(far.train.samples, far.capture, 48000, { maxLatencyMs: 800 }))).toBe('NO_STIMULUS');
    expect(Math.abs(ok(analyzeLatency(far.train.samples, far.capture, 48000, { maxLatencyMs: 1500 })).lag.median - 57600)).toBeLessThan(0.05);
  });
});
