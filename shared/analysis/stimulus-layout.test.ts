import { describe, expect, it } from 'vitest';
import { type Refusal } from './analysis-refusal';
import { generateClickTrain } from '../stimulus/click-train';
import { applyIir, highPass, lowPass } from '../simulation/iir-filter';
import { generateLogSweep } from '../stimulus/log-sweep';
import { generatePinkNoise, type PinkNoise } from '../stimulus/pink-noise';
import { createRandom } from '../primitives/random';
import { peakAbs } from '../primitives/signal-level';
import { generateStimulus, resolveStimulusSpec } from '../stimulus/stimulus';
import { defaultSegmentFrames, describeStimulus, isRefusal, type StimulusLayout } from './stimulus-layout';
import { addNoiseAtSnr, whiteBackground } from '../simulation/synthetic-path';

const RATES = [44100, 48000, 96000];
const DURATION_S = 5;

function layout(result: StimulusLayout | Refusal): StimulusLayout {
  if (isRefusal(result)) throw new Error(`expected a layout, got refusal ${result.code}: ${result.message}`);
  return result;
}

function refusal(result: StimulusLayout | Refusal): Refusal {
  if (!isRefusal(result)) throw new Error(`expected a refusal, got a ${result.kind} layout with ${result.events.length} events`);
  expect(result.message.length).toBeGreaterThan(10);
  expect(result.advice.length).toBeGreaterThan(10);
  return result;
}

/** Pink noise is slow to generate (seconds at 96 kHz): made once per rate. */
const pinkCache = new Map<number, PinkNoise>();
function pinkNoise(rate: number): PinkNoise {
  let noise = pinkCache.get(rate);
  if (!noise) {
    noise = generatePinkNoise({ sampleRate: rate, durationS: DURATION_S, seed: 3 });
    pinkCache.set(rate, noise);
  }
  return noise;
}

/** Band-limits like a loopback through an interface (80 Hz–8 kHz) and adds white noise at `snrDb` over the active part. */
function filteredNoisy(x: Float32Array, rate: number, snrDb: number, seed: number): Float32Array {
  const filtered = applyIir([highPass(80, rate), lowPass(8000, rate)], x);
  return addNoiseAtSnr(filtered, whiteBackground(x.length, seed), snrDb, Math.round(0.25 * rate), x.length - Math.round(0.25 * rate));
}

/** The events of a continuous layout tile each active run in segments of `segment` frames. */
function expectSegments(l: StimulusLayout, segment: number): void {
  for (const e of l.events) {
    expect(e.endFrame - e.startFrame).toBe(segment);
    expect(e.anchorFrame).toBe(Math.round((e.startFrame + e.endFrame) / 2));
    expect(e.startFrame).toBeGreaterThanOrEqual(l.activeStartFrame);
    expect(e.endFrame).toBeLessThanOrEqual(l.activeEndFrame);
  }
  for (let i = 1; i < l.events.length; i++) expect(l.events[i].startFrame).toBe(l.events[i - 1].endFrame);
}

describe('describeStimulus: the generated stimuli', () => {
  for (const rate of RATES) {
    it(`click train at ${rate} Hz: kind click, one event per click, anchors exactly at the generator's click frames`, () => {
      const train = generateClickTrain({ sampleRate: rate, durationS: DURATION_S, seed: 3 });
      const l = layout(describeStimulus(train.samples, rate));
      expect(l.kind).toBe('click');
      expect(l.events.map((e) => e.anchorFrame)).toEqual(train.clickFrames);
      // Each template holds everything of its click within 60 dB of the peak, and at most ±20.5 ms.
      const half = Math.ceil(0.003 * rate);
      const reach = Math.round(0.0205 * rate);
      for (const e of l.events) {
        const floor = 1e-3 * Math.abs(train.samples[e.anchorFrame]);
        expect(peakAbs(train.samples, e.anchorFrame - reach, e.startFrame)).toBeLessThanOrEqual(floor);
        expect(peakAbs(train.samples, e.endFrame, e.anchorFrame + reach)).toBeLessThanOrEqual(floor);
        expect(e.anchorFrame - e.startFrame).toBeGreaterThan(0.001 * rate);
        expect(e.anchorFrame - e.startFrame).toBeLessThanOrEqual(reach);
        expect(e.endFrame - e.anchorFrame).toBeLessThanOrEqual(reach + 1);
      }
      const spacings = train.clickFrames.slice(1).map((f, i) => f - train.clickFrames[i]);
      expect(l.minEventSpacingFrames).toBe(Math.min(...spacings));
      // Active from just before the first click to just after the last (the click's support, in 1 ms blocks).
      const block = Math.round(rate / 1000);
      const first = train.clickFrames[0];
      const last = train.clickFrames[train.clickFrames.length - 1];
      expect(l.activeStartFrame).toBeGreaterThanOrEqual(first - half - block);
      expect(l.activeStartFrame).toBeLessThan(first);
      expect(l.activeEndFrame).toBeGreaterThan(last);
      expect(l.activeEndFrame).toBeLessThanOrEqual(last + half + block);
    });

    it(`pink noise at ${rate} Hz: kind noise, cut into 0.24 s segments over the active part`, () => {
      const noise = pinkNoise(rate);
      const l = layout(describeStimulus(noise.samples, rate));
      expect(l.kind).toBe('noise');
      const segment = defaultSegmentFrames(rate);
      expect(segment).toBe(Math.round(0.24 * rate));
      // Active from the 0.25 s lead-in to 0.25 s before the end: 4.5 s / 0.24 s = 18.75 segments.
      expect(Math.abs(l.activeStartFrame - 0.25 * rate)).toBeLessThanOrEqual(Math.ceil(rate / 1000));
      expect(Math.abs(l.activeEndFrame - (DURATION_S - 0.25) * rate)).toBeLessThanOrEqual(Math.ceil(rate / 1000));
      expect(l.events).toHaveLength(18);
      expectSegments(l, segment);
      expect(l.events[0].startFrame).toBe(l.activeStartFrame);
      expect(l.minEventSpacingFrames).toBe(segment);
    });

    it(`log sweep at ${rate} Hz: kind sweep, one event spanning the sweep`, () => {
      const sweep = generateLogSweep({ sampleRate: rate, durationS: DURATION_S });
      const l = layout(describeStimulus(sweep.samples, rate));
      expect(l.kind).toBe('sweep');
      expect(l.events).toHaveLength(1);
      const [e] = l.events;
      // The fade-in keeps the first milliseconds below -50 dB, so the event may start a little late.
      expect(e.startFrame).toBeGreaterThanOrEqual(sweep.startFrame - Math.ceil(rate / 1000));
      expect(e.startFrame - sweep.startFrame).toBeLessThan(0.05 * rate);
      expect(Math.abs(e.endFrame - sweep.endFrame)).toBeLessThan(0.05 * rate);
      expect(e.anchorFrame).toBe(Math.round((e.startFrame + e.endFrame) / 2));
      expect(l.minEventSpacingFrames).toBe(Infinity);
    });
  }

  it('the stimuli exactly as generateStimulus makes them for the app and the CLI are classified the same way', () => {
    const kinds = { click: 'click', pink: 'noise', sweep: 'sweep' } as const;
    for (const signal of ['click', 'pink', 'sweep'] as const) {
      const spec = resolveStimulusSpec({ signal, sampleRate: 48000, durationS: 4 });
      expect(layout(describeStimulus(generateStimulus(spec), spec.sampleRate)).kind).toBe(kinds[signal]);
    }
  });
});

describe('describeStimulus: a filtered, noisy reference (a recorded loopback)', () => {
  for (const rate of RATES) {
    it(`click train at ${rate} Hz through 80 Hz–8 kHz at 20 dB SNR: same clicks, anchors moved by the filter's constant delay`, () => {
      const train = generateClickTrain({ sampleRate: rate, durationS: DURATION_S, seed: 4 });
      const l = layout(describeStimulus(filteredNoisy(train.samples, rate, 20, 40), rate));
      expect(l.kind).toBe('click');
      expect(l.events).toHaveLength(train.clickFrames.length);
      const shifts = l.events.map((e, i) => e.anchorFrame - train.clickFrames[i]);
      expect(new Set(shifts).size).toBe(1);
      expect(Math.abs(shifts[0])).toBeLessThanOrEqual(Math.ceil(0.0001 * rate));
    });

    it(`pink noise at ${rate} Hz through 80 Hz–8 kHz at 20 dB SNR: still noise, in full segments`, () => {
      const noise = pinkNoise(rate);
      const l = layout(describeStimulus(filteredNoisy(noise.samples, rate, 20, 41), rate));
      expect(l.kind).toBe('noise');
      // The background noise makes the silent lead-in and tail active too: 5 s / 0.24 s = 20 segments.
      expect(l.events.length).toBeGreaterThanOrEqual(18);
      expect(l.events.length).toBeLessThanOrEqual(Math.floor((DURATION_S * rate) / defaultSegmentFrames(rate)));
      expectSegments(l, defaultSegmentFrames(rate));
    });

    for (const snrDb of [60, 30]) {
      it(`log sweep at ${rate} Hz through 80 Hz–8 kHz at ${snrDb} dB SNR: still one sweep, the noisy lead-in left out`, () => {
        // The active threshold sits 10 dB above the quietest 50 ms (the loopback's noise floor), so
        // the noise in the lead-in and tail does not count as signal.
        const sweep = generateLogSweep({ sampleRate: rate, durationS: DURATION_S });
        const l = layout(describeStimulus(filteredNoisy(sweep.samples, rate, snrDb, 42), rate));
        expect(l.kind).toBe('sweep');
        expect(l.events).toHaveLength(1);
        expect(l.activeStartFrame).toBeGreaterThan(sweep.startFrame - 0.01 * rate);
        expect(l.activeEndFrame).toBeLessThan(sweep.endFrame + 0.01 * rate);
      });
    }
  }
});

describe('describeStimulus: refusals and options', () => {
  it('an empty reference is EMPTY_REFERENCE', () => {
    expect(refusal(describeStimulus(new Float32Array(0), 48000)).code).toBe('EMPTY_REFERENCE');
  });

  it('a silent or near-silent reference is NO_EVENTS_IN_REFERENCE, with its level in the message', () => {
    const zeros = refusal(describeStimulus(new Float32Array(48000), 48000));
    expect(zeros.code).toBe('NO_EVENTS_IN_REFERENCE');
    const random = createRandom(8);
    const whisper = Float32Array.from({ length: 48000 }, () => 5e-7 * (2 * random.next() - 1));
    const r = refusal(describeStimulus(whisper, 48000));
    expect(r.code).toBe('NO_EVENTS_IN_REFERENCE');
    expect(r.message).toMatch(/silent \(peak -1\d\d dBFS\)/);
  });

  it('isRefusal tells the two results apart', () => {
    expect(isRefusal(describeStimulus(new Float32Array(0), 48000))).toBe(true);
    expect(isRefusal(describeStimulus(generateClickTrain({ sampleRate: 48000, durationS: 2 }).samples, 48000))).toBe(false);
  });

  it('options.kind forces the kind: a click train cut into segments, noise searched for bursts, a sweep as noise', () => {
    const rate = 48000;
    const train = generateClickTrain({ sampleRate: rate, durationS: DURATION_S, seed: 3 });
    // Clicks 0.3 s or more apart are separate active runs, each shorter than a segment: one event per click.
    const asNoise = layout(describeStimulus(train.samples, rate, { kind: 'noise' }));
    expect(asNoise.kind).toBe('noise');
    expect(asNoise.events).toHaveLength(train.clickFrames.length);
    asNoise.events.forEach((e, i) => {
      expect(e.startFrame).toBeLessThan(train.clickFrames[i]);
      expect(e.endFrame).toBeGreaterThan(train.clickFrames[i]);
      expect(e.endFrame - e.startFrame).toBeLessThan(defaultSegmentFrames(rate));
    });

    const sweep = generateLogSweep({ sampleRate: rate, durationS: DURATION_S });
    const sweepAsNoise = layout(describeStimulus(sweep.samples, rate, { kind: 'noise' }));
    expect(sweepAsNoise.kind).toBe('noise');
    expect(sweepAsNoise.events.length).toBeGreaterThan(10);

    const noise = pinkNoise(rate);
    const noiseAsSweep = layout(describeStimulus(noise.samples, rate, { kind: 'sweep' }));
    expect(noiseAsSweep.kind).toBe('sweep');
    expect(noiseAsSweep.events).toHaveLength(1);

    const noiseAsClicks = layout(describeStimulus(noise.samples, rate, { kind: 'click' }));
    expect(noiseAsClicks.kind).toBe('click');
    expect(noiseAsClicks.events.length).toBeGreaterThan(0);
    for (const e of noiseAsClicks.events) expect(e.startFrame).toBeLessThan(e.anchorFrame);
  });

  it('options.segmentFrames sets the segment length of continuous signals', () => {
    const rate = 44100;
    const noise = pinkNoise(rate);
    const segment = Math.round(0.4 * rate);
    const l = layout(describeStimulus(noise.samples, rate, { segmentFrames: segment }));
    expect(l.events).toHaveLength(11); // 4.5 s of noise in 0.4 s segments; the rest is left out
    expectSegments(l, segment);
    // A segment longer than the active part gives one event covering all of it.
    const one = layout(describeStimulus(noise.samples, rate, { segmentFrames: 10 * rate }));
    expect(one.events).toHaveLength(1);
    expect(one.events[0]).toMatchObject({ startFrame: one.activeStartFrame, endFrame: one.activeEndFrame });
  });
});
