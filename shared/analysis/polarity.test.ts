/**
 * Polarity reported only when it is stable (issue 13, item 6): a drifting sweep on a path that does
 * not invert was reported INVERTED_POLARITY (its response bent into a chirp, see polarity.ts).
 * Counted over drifting sweeps, real impulse responses (both ways up) and clean paths: no run may
 * report the wrong sign; runs that do report one are counted against what the path gives.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeWav } from '../io/wav-file';
import { fftPlan } from '../primitives/fft';
import { analyzeLatency, type LatencyAnalysis } from './latency-analysis';
import { sweepPolarity, unbentAround } from './polarity';
import { argMaxAbs } from '../dsp/subsample-peak';
import { realIrRuns } from '../simulation/room-captures';
import { generateLogSweep } from '../stimulus/log-sweep';
import { addNoiseAtSnr, applyImpulseResponse, delaySignal, driftSignal, pinkBackground, roomImpulseResponse } from '../simulation/synthetic-path';

const RATE = 48000;

function analysed(reference: Float32Array, capture: Float32Array, label: string): LatencyAnalysis {
  const result = analyzeLatency(reference, capture, RATE);
  if (!result.ok) throw new Error(`${label}: refused ${result.refusal.code}: ${result.refusal.message}`);
  return result.analysis;
}

/** What a run says: 'inverted', 'up' or 'unstable', checked against its warnings. */
function said(a: LatencyAnalysis): 'inverted' | 'up' | 'unstable' {
  const codes = a.warnings.map((w) => w.code);
  expect(codes.includes('INVERTED_POLARITY')).toBe(a.polarityStable && a.polarityInverted);
  expect(codes.includes('POLARITY_UNSTABLE')).toBe(!a.polarityStable);
  if (!a.polarityStable) return 'unstable';
  return a.polarityInverted ? 'inverted' : 'up';
}

describe('sweepPolarity on a band-limited impulse bent as drift bends a sweep', () => {
  // A unit impulse at `arrival` through exp(−j·a·g(f)), g = 2π·f·ln(f/f_ref): what a drift of
  // a·L/T gives a log sweep of T seconds spanning L (polarity.ts), made compact again only at a.
  const size = 1 << 15;
  const arrival = 16000.4;
  function bentImpulse(a: number, gain: number): Float64Array {
    const plan = fftPlan(size);
    const spectrum = new Float64Array(size + 2);
    const ref = (Math.E * RATE) / 4;
    for (let k = 1; k < size / 2; k++) {
      const hz = (k * RATE) / size;
      // Band-limited to 20 Hz–20 kHz with raised-cosine edges.
      const w = hz < 20 ? 0 : hz < 40 ? 0.5 - 0.5 * Math.cos((Math.PI * (hz - 20)) / 20) : hz <= 18000 ? 1 : hz < 20000 ? 0.5 + 0.5 * Math.cos((Math.PI * (hz - 18000)) / 2000) : 0;
      const phase = (-2 * Math.PI * k * arrival) / size - a * 2 * Math.PI * hz * Math.log(hz / ref);
      spectrum[2 * k] = gain * w * Math.cos(phase);
      spectrum[2 * k + 1] = gain * w * Math.sin(phase);
    }
    return plan.inverseReal(spectrum);
  }
  const tenSeconds = 10 * RATE;

  it.each([
    [0, 1], [0, -1], [20e-6, 1], [-20e-6, -1], [60e-6, 1], [60e-6, -1], [-150e-6, 1], [200e-6, -1],
  ])('a bend of %s s, gain %s: the bend found within 1.5 steps (15.6 µs), the compact sign right, never the wrong polarity', (a, gain) => {
    const p = sweepPolarity(bentImpulse(a, gain), arrival, RATE, tenSeconds);
    expect(Math.abs(p.dispersionS - a)).toBeLessThanOrEqual(15.7e-6);
    expect(p.compactInverted).toBe(gain < 0);
    expect(p.inverted === null || p.inverted === gain < 0).toBe(true);
    // Unbent or nearly: the polarity is reported.
    if (Math.abs(a) <= 20e-6) expect(p.inverted).toBe(gain < 0);
  });

  it.each([[0], [60e-6], [-150e-6]])('unbentAround, a bend of %s s: found within 1.5 steps, the response compact again at the arrival, over ±8 ms', (a) => {
    const bent = bentImpulse(a, 1);
    const half = Math.round(0.008 * RATE);
    // Centred 5 ms away from the arrival (on a reflection, say): the search covers the neighbourhood.
    const u = unbentAround(bent, arrival + 240, half, RATE, tenSeconds);
    expect(Math.abs(u.dispersionS - a)).toBeLessThanOrEqual(15.7e-6);
    expect(u.values).toHaveLength(2 * half + 1);
    const top = argMaxAbs(u.values, 0, u.values.length);
    expect(Math.abs(u.start + top - arrival)).toBeLessThanOrEqual(1);
    // The impulse's own peak (band-limited, between samples: 0.77 unbent), lost to the bend and regained.
    const straight = bentImpulse(0, 1);
    expect(Math.abs(u.values[top])).toBeGreaterThan(0.97 * Math.abs(straight[argMaxAbs(straight, 0, straight.length)]));
    // The bend had cost the response 2.6 dB at 60 µs and 5.2 dB at 150 µs of its largest excursion.
    if (a !== 0) expect(Math.abs(u.values[top])).toBeGreaterThan(1.25 * Math.abs(bent[argMaxAbs(bent, 0, bent.length)]));
    expect(() => unbentAround(bent, arrival, half, RATE, 0)).toThrow(/positive event length/);
  });

  it('a bend that turns the measured sign over (60 µs: 2π·a·f passes a half turn above 8 kHz) is reported undecided', () => {
    const p = sweepPolarity(bentImpulse(60e-6, 1), arrival, RATE, tenSeconds);
    expect(p.measuredInverted).toBe(true);
    expect(p.inverted).toBeNull();
    expect(p.compactionDb).toBeGreaterThan(2);
  });

  it('refuses an empty event or a bad rate, saying which', () => {
    expect(() => sweepPolarity(new Float64Array(16), 4, RATE, 0)).toThrow(/positive event length/);
    expect(() => sweepPolarity(new Float64Array(16), 4, Number.NaN, 100)).toThrow(/NaN Hz/);
  });
});

describe('drifting sweeps on a path that does not invert, and on one that does', () => {
  // The bug: a 60 s sweep drifting by 5 ppm on a plain delay was reported INVERTED_POLARITY.
  const cases = [10, 60].flatMap((durationS) => [5, 20, 50, -20].map((ppm) => [durationS, ppm] as const));
  const sweeps = new Map<number, Float32Array>();
  const sweepOf = (durationS: number): Float32Array => {
    if (!sweeps.has(durationS)) sweeps.set(durationS, generateLogSweep({ sampleRate: RATE, durationS }).samples);
    return sweeps.get(durationS) as Float32Array;
  };
  const reported: Record<string, string> = {};

  it.each(cases)('%s s sweep, %s ppm, each way up at 20 dB: never the wrong sign', (durationS, ppm) => {
    const sweep = sweepOf(durationS);
    const length = sweep.length + 12000;
    const path = driftSignal(sweep, 4800.3, ppm, length);
    for (const gain of [0.3, -0.3]) {
      const capture = addNoiseAtSnr(path.map((v) => v * gain), pinkBackground(length, 5), 20);
      const verdict = said(analysed(sweep, capture, `${durationS} s, ${ppm} ppm, gain ${gain}`));
      reported[`${durationS}/${ppm}/${gain}`] = verdict;
      expect(verdict, `${durationS} s, ${ppm} ppm, gain ${gain}`).not.toBe(gain < 0 ? 'up' : 'inverted');
    }
  }, 30000);

  it('counted: 0 wrong of 16; the 10 s sweeps at 5 and 20 ppm (a bend under 1/8 turn at 3 kHz) still report their polarity', () => {
    expect(Object.keys(reported)).toHaveLength(16);
    for (const key of ['10/5/0.3', '10/20/0.3']) expect(reported[key], key).toBe('up');
    for (const key of ['10/5/-0.3', '10/20/-0.3']) expect(reported[key], key).toBe('inverted');
    // The bug's own case: undecided now, not inverted.
    expect(reported['60/5/0.3']).toBe('unstable');
  });
});

describe('clean sweeps still report their polarity', () => {
  const sweep = generateLogSweep({ sampleRate: RATE, durationS: 10 }).samples;
  const room = roomImpulseResponse({ sampleRate: RATE, rt60S: 0.6, directToReverbDb: 0, seed: 5 });
  const paths: Record<string, (x: Float32Array, length: number) => Float32Array> = {
    'a plain delay': (x, length) => delaySignal(x, 1234.56, length),
    'a synthetic room (RT60 0.6 s, DRR 0 dB)': (x, length) => applyImpulseResponse(delaySignal(x, 1234.56, length), room, length),
  };
  it.each(Object.keys(paths))('%s, each way up at 20 and 5 dB', (name) => {
    const length = sweep.length + 1300 + room.length;
    const clean = paths[name](sweep, length);
    for (const snrDb of [20, 5]) {
      for (const gain of [0.2, -0.2]) {
        const capture = addNoiseAtSnr(clean.map((v) => v * gain), pinkBackground(length, 9), snrDb, 1234, sweep.length + 1234);
        expect(said(analysed(sweep, capture, `${name}, ${snrDb} dB, gain ${gain}`)), `${snrDb} dB, gain ${gain}`).toBe(gain < 0 ? 'inverted' : 'up');
      }
    }
  }, 30000);
});

describe('real impulse responses (shared/simulation/data/ir/): click, pink and sweep at 20 and 5 dB, each way up', () => {
  const readIr = (name: string): Float32Array =>
    decodeWav(new Uint8Array(readFileSync(new URL(`../simulation/data/ir/${name}.wav`, import.meta.url)))).channels[0];
  // The truth: the sign of the IR's largest sample (the path as recorded, the right way up).
  const truthInverted = (h: Float32Array): boolean => {
    let top = 0;
    for (let i = 1; i < h.length; i++) if (Math.abs(h[i]) > Math.abs(h[top])) top = i;
    return h[top] < 0;
  };
  const DELAY = 4800.25;
  const verdicts: Record<string, { right: number; unstable: number; wrong: number }> = {};

  it.each(['great-hall', 'seminar-room-clap', 'guitar-cabinet'])('%s: never the wrong sign', (name) => {
    const h = readIr(name);
    const inverted = truthInverted(h);
    const count = { right: 0, unstable: 0, wrong: 0 };
    const wrong: string[] = [];
    for (const gain of [1, -1]) {
      for (const { signal, snrDb, reference, capture } of realIrRuns(h, DELAY, RATE, gain)) {
        const label = `${signal} at ${snrDb} dB, gain ${gain}`;
        const verdict = said(analysed(reference, capture, label));
        const truth = inverted !== gain < 0 ? 'inverted' : 'up';
        if (verdict === 'unstable') count.unstable++;
        else if (verdict === truth) count.right++;
        else {
          count.wrong++;
          wrong.push(label);
        }
      }
    }
    verdicts[name] = count;
    expect(wrong).toEqual([]);
    expect(count.right + count.unstable).toBe(12);
  }, 120000);

  it('seminar room, a 10 s sweep drifting 20 ppm, at 20 dB, each way up: never the wrong sign', () => {
    // Its IR has a spike 5.8 ms after the direct sound nearly as high as it (0.83 and 0.90): with
    // the drift's bend the spike became the correlation's highest peak, the direct sound a candidate
    // lobe, and the sign was read at the spike, stable and the other way up (3 runs of these 4). The
    // sign must now hold at every candidate arrival.
    const h = readIr('seminar-room-clap');
    const sweep = generateLogSweep({ sampleRate: RATE, durationS: 10 }).samples;
    const length = sweep.length + h.length + RATE;
    const path = applyImpulseResponse(driftSignal(sweep, DELAY, 20, length), h, length);
    let peak = 0;
    for (const v of path) peak = Math.max(peak, Math.abs(v));
    for (const gain of [1, -1]) {
      for (const seed of [3, 8]) {
        const capture = addNoiseAtSnr(path.map((v) => (gain * 0.25 * v) / peak), pinkBackground(length, seed + 20), 20);
        const verdict = said(analysed(sweep, capture, `gain ${gain}, seed ${seed}`));
        expect(verdict, `gain ${gain}, seed ${seed}`).not.toBe(truthInverted(h) !== gain < 0 ? 'up' : 'inverted');
      }
    }
  }, 60000);

  /** A log sweep of `durationS` through the seminar room drifting `ppm`, at `snrDb`, scaled by `gain`, noise seed `seed`: analysed. */
  const seminarSweep = (durationS: number) => {
    const h = readIr('seminar-room-clap');
    const sweep = generateLogSweep({ sampleRate: RATE, durationS }).samples;
    const length = sweep.length + h.length + RATE;
    return (ppm: number, snrDb: number, gain: number, seed: number): LatencyAnalysis => {
      const path = applyImpulseResponse(driftSignal(sweep, DELAY, ppm, length), h, length);
      let peak = 0;
      for (const v of path) peak = Math.max(peak, Math.abs(v));
      return analysed(sweep, addNoiseAtSnr(path.map((v) => (gain * 0.25 * v) / peak), pinkBackground(length, seed + snrDb), snrDb), `${ppm} ppm, ${snrDb} dB, gain ${gain}, seed ${seed}`);
    };
  };

  /**
   * The reported latency is the direct sound's (`direct` without drift, plus up to `driftFrames`
   * over the sweep) or its interval meets that span; returns whether it is on it.
   */
  function expectArrivalCovered(lag: LatencyAnalysis['lag'], direct: number, driftFrames: number, label: string): boolean {
    const text = `${label}: ${lag.median.toFixed(1)} (${lag.medianCi95?.map((v) => v.toFixed(1)).join('..') ?? 'no interval'}) for ${direct.toFixed(1)}`;
    const onIt = lag.median >= direct - 2 && lag.median <= direct + driftFrames + 2;
    const covered = lag.medianCi95 !== null && lag.medianCi95[0] <= direct + driftFrames && lag.medianCi95[1] >= direct;
    expect(onIt || covered, text).toBe(true);
    return onIt;
  }

  it('seminar room, a 30 s sweep drifting 5 ppm, at 20 and 5 dB: the direct sound is the arrival or within its interval', () => {
    // The spike 5.8 ms after the direct sound again: with the drift's bend the correlation's highest
    // peak was the spike, and at these SNRs the direct sound's correlation lobe was under the lobe
    // ratio: 107.2 ms was reported with no interval and no warning in 6 runs of these 8. The sweep's
    // deconvolved response has the direct sound as a lobe: a candidate, so the interval covers it.
    const run = seminarSweep(30);
    // The direct sound's arrival: the same path without drift, at 20 dB.
    const direct = run(0, 20, 1, 3).lag.median;
    const driftFrames = 5e-6 * 30 * RATE; // the latency grows by this much over the sweep
    for (const snrDb of [20, 5]) {
      for (const [gain, seed] of [[1, 3], [1, 8], [-1, 3], [-1, 8]]) {
        expectArrivalCovered(run(5, snrDb, gain, seed).lag, direct, driftFrames, `${snrDb} dB, gain ${gain}, seed ${seed}`);
      }
    }
  }, 120000);

  it('seminar room, a 10 s sweep drifting 20 ppm, at 5 dB, each way up: the interval reaches the arrival during the sweep, the polarity is not reported', () => {
    // The spike 5.8 ms after the direct sound once more: at 5 dB both the correlation and the
    // deconvolved response had it as their only peak (107.2 ms, no interval, and in one run the
    // wrong sign). The response with the drift's bend undone has the direct sound as its largest
    // excursion: a candidate, so the interval reaches back to it (its 9.6 frames of drift over the
    // sweep are the path's own: the interval meets that span) and the sign must hold there too.
    const h = readIr('seminar-room-clap');
    const run = seminarSweep(10);
    const direct = run(0, 20, 1, 3).lag.median;
    const driftFrames = 20e-6 * 10 * RATE;
    for (const [gain, seed] of [[1, 3], [1, 8], [-1, 3], [-1, 8]]) {
      const label = `gain ${gain}, seed ${seed}`;
      const a = run(20, 5, gain, seed);
      if (!expectArrivalCovered(a.lag, direct, driftFrames, label)) expect(a.warnings.map((w) => w.code), label).toContain('AMBIGUOUS_ARRIVAL');
      expect(said(a), label).not.toBe(truthInverted(h) !== gain < 0 ? 'up' : 'inverted');
    }
  }, 120000);

  it('counted over the three: 0 wrong of 36, and 28 or more report their polarity', () => {
    const total = Object.values(verdicts).reduce((a, c) => ({ right: a.right + c.right, unstable: a.unstable + c.unstable, wrong: a.wrong + c.wrong }), { right: 0, unstable: 0, wrong: 0 });
    expect(total.wrong).toBe(0);
    expect(total.right + total.unstable).toBe(36);
    expect(total.right).toBeGreaterThanOrEqual(RIGHT_OF_36);
  });
});

/**
 * Runs of the 36 on real impulse responses that report the right polarity, the rest unstable:
 * 28 as measured on the sweep's regularised deconvolution (d4b717a): great hall 8 of 12, seminar
 * room 8, guitar cabinet 12.
 */
const RIGHT_OF_36 = 28;
