import { describe, expect, it } from 'vitest';
import { combineGuidedRuns, type GuidedRun } from './guided-speakers';
import { analyzeMultiSpeaker, type SpeakerArrival } from './multi-speaker';
import { generateClickTrain } from '../stimulus/click-train';
import { renderMultiOutputCapture, type SimulatedOutput } from '../simulation/multi-output-capture';
import { roomImpulseResponse } from '../simulation/synthetic-path';

const arrival = (latencyMs: number, levelDb: number, driftPpm = 0): SpeakerArrival => ({ latencyMs, levelDb, driftPpm, driftPpmStdError: null, events: 30, dropouts: 0 });

describe('combineGuidedRuns', () => {
  it('assigns each run\'s strongest arrival to the speaker the microphone was next to, in speaker order', () => {
    const runs: GuidedRun[] = [
      { nearSpeaker: 2, arrivals: [arrival(180.4, -14, 20), arrival(241.2, -2, -20)] },
      { nearSpeaker: 1, arrivals: [arrival(180.1, -1, 20), arrival(250.3, -13, -20)] },
    ];
    const result = combineGuidedRuns(runs, 2);
    if (result.status !== 'ok') throw new Error(result.message);
    expect(result.speakers.map((s) => [s.speaker, s.latencyMs, s.levelDb, s.driftPpm])).toEqual([[1, 180.1, -1, 20], [2, 241.2, -2, -20]]);
    expect(result.speakers.map((s) => s.marginDb)).toEqual([12, 12]);
    expect(result.syncSpreadMs).toBeCloseTo(61.1, 9);
    const timing = result.warnings.find((w) => w.code === 'MEASURED_AT_DIFFERENT_TIMES');
    expect(timing?.message).toContain('40.0 ppm (2.40 ms per minute)');
  });

  it('takes a lone arrival (the other speakers too weak to be found) with no margin', () => {
    const result = combineGuidedRuns([{ nearSpeaker: 1, arrivals: [arrival(100, -3)] }, { nearSpeaker: 2, arrivals: [arrival(104, -4)] }], 2);
    if (result.status !== 'ok') throw new Error(result.message);
    expect(result.speakers.map((s) => s.marginDb)).toEqual([null, null]);
    expect(result.syncSpreadMs).toBeCloseTo(4, 9);
  });

  it('warns when two speakers land on the same latency (one speaker heard twice, or a tight pair)', () => {
    const result = combineGuidedRuns([{ nearSpeaker: 1, arrivals: [arrival(100, -3)] }, { nearSpeaker: 2, arrivals: [arrival(100.2, -4)] }], 2);
    expect(result.status === 'ok' && result.warnings.map((w) => w.code)).toEqual(['MEASURED_AT_DIFFERENT_TIMES', 'SAME_ARRIVAL']);
  });

  it('refuses, naming the speaker, when the strongest arrival does not stand out by 6 dB', () => {
    const result = combineGuidedRuns([
      { nearSpeaker: 1, arrivals: [arrival(100, -3)] },
      { nearSpeaker: 2, arrivals: [arrival(100.1, -6), arrival(160, -3)] },
    ], 2);
    expect(result).toMatchObject({ status: 'refused', reason: 'NOT_DOMINANT', speaker: 2 });
    if (result.status === 'refused') {
      expect(result.message).toContain('only 3.0 dB above the next');
      expect(result.advice).toMatch(/hand's width/);
      expect(result.speakers.map((s) => s.speaker)).toEqual([1]);
    }
  });

  it('refuses a missing speaker and a run that found nothing', () => {
    expect(combineGuidedRuns([{ nearSpeaker: 1, arrivals: [arrival(100, -3)] }], 3)).toMatchObject({ status: 'refused', reason: 'MISSING_RUN', speaker: 2 });
    expect(combineGuidedRuns([{ nearSpeaker: 1, arrivals: [] }, { nearSpeaker: 2, arrivals: [arrival(1, 1)] }], 2)).toMatchObject({ status: 'refused', reason: 'NO_ARRIVAL', speaker: 1 });
  });

  it('throws on bad input with what is wrong', () => {
    expect(() => combineGuidedRuns([], 1)).toThrow(/2 to 8 speakers, got 1/);
    expect(() => combineGuidedRuns([{ nearSpeaker: 3, arrivals: [] }], 2)).toThrow(/speaker 3, outside 1–2/);
    expect(() => combineGuidedRuns([{ nearSpeaker: 1, arrivals: [] }, { nearSpeaker: 1, arrivals: [] }], 2)).toThrow(/two runs are near speaker 1/);
    expect(() => combineGuidedRuns([{ nearSpeaker: 1, arrivals: [arrival(Number.NaN, 0)] }], 2)).toThrow(/finite/);
  });
});

describe('guided runs of simulated captures', () => {
  const RATE = 48000;
  /** The capture with the microphone next to one speaker: that one loud, the other 14 dB down and farther away. */
  function runNear(near: number, seed: number) {
    const base: SimulatedOutput[] = [
      { latencyMs: 180, driftPpm: 20, jitterMs: 0, gainDb: 0, dropoutRate: 0.02 },
      { latencyMs: 240, driftPpm: -20, jitterMs: 0, gainDb: 0, dropoutRate: 0.02 },
    ];
    const speakers = base.map((s, k) => (k === near ? s : { ...s, gainDb: -14, latencyMs: s.latencyMs + 9 }));
    const train = generateClickTrain({ sampleRate: RATE, durationS: 20, seed });
    const room = roomImpulseResponse({ sampleRate: RATE, rt60S: 0.4, directToReverbDb: 8, reflections: [{ delayMs: 3.1, gain: 0.4 }], seed });
    const { capture, trueLagFrames } = renderMultiOutputCapture({
      shape: train.shape, clickFrames: speakers.map(() => train.clickFrames), lengthFrames: train.samples.length + RATE, outputs: speakers, seed, room, snrDb: 30,
    });
    const lags = trueLagFrames[near].filter((x): x is number => x !== null).sort((a, b) => a - b);
    const m = lags.length >> 1;
    const truthMs = ((lags.length % 2 ? lags[m] : (lags[m - 1] + lags[m]) / 2) / RATE) * 1000;
    const result = analyzeMultiSpeaker(train.samples, capture, RATE, { speakers: 2 });
    return { run: { nearSpeaker: near + 1, arrivals: result.status === 'ok' ? result.speakers : result.found }, truthMs };
  }

  it('two speakers, one run next to each: each latency within 0.2 ms of the truth, drift within 10 ppm', () => {
    const a = runNear(0, 11);
    const b = runNear(1, 12);
    const result = combineGuidedRuns([a.run, b.run], 2);
    if (result.status !== 'ok') throw new Error(result.message);
    expect(Math.abs(result.speakers[0].latencyMs - a.truthMs)).toBeLessThan(0.2);
    expect(Math.abs(result.speakers[1].latencyMs - b.truthMs)).toBeLessThan(0.2);
    expect(Math.abs(result.speakers[0].driftPpm - 20)).toBeLessThan(10);
    expect(Math.abs(result.speakers[1].driftPpm + 20)).toBeLessThan(10);
    expect(Math.abs(result.syncSpreadMs - (b.truthMs - a.truthMs))).toBeLessThan(0.2);
  }, 60000);
});
