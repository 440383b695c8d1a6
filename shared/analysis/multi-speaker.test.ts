import { describe, expect, it } from 'vitest';
import { analyzeMultiSpeaker } from './multi-speaker';
import { generateClickTrain } from '../stimulus/click-train';
import { renderMultiOutputCapture, type SimulatedOutput } from '../simulation/multi-output-capture';
import { roomImpulseResponse } from '../simulation/synthetic-path';

const RATE = 48000;

/** One click train played by every speaker (each hears all the clicks), in a room, with noise. */
function capture(speakers: SimulatedOutput[], durationS: number, seed: number, room = true) {
  const train = generateClickTrain({ sampleRate: RATE, durationS, seed });
  const h = room ? roomImpulseResponse({ sampleRate: RATE, rt60S: 0.5, directToReverbDb: 6, reflections: [{ delayMs: 2.7, gain: 0.5 }, { delayMs: 13, gain: 0.35 }], seed }) : undefined;
  const { capture: mic, trueLagFrames } = renderMultiOutputCapture({
    shape: train.shape, clickFrames: speakers.map(() => train.clickFrames), lengthFrames: train.samples.length + RATE, outputs: speakers, seed, room: h, snrDb: 30,
  });
  const truthMs = trueLagFrames.map((lags) => {
    const v = lags.filter((x): x is number => x !== null).sort((a, b) => a - b);
    const m = v.length >> 1;
    return ((v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2) / RATE) * 1000;
  });
  return { reference: train.samples, mic, truthMs };
}

describe('analyzeMultiSpeaker', () => {
  it('two wireless speakers 60 ms and 6 dB apart, drifting ±20 ppm, in a room with strong reflections', () => {
    const speakers: SimulatedOutput[] = [
      { latencyMs: 180, driftPpm: 20, jitterMs: 0, gainDb: 0, dropoutRate: 0.03 },
      { latencyMs: 240, driftPpm: -20, jitterMs: 0, gainDb: -6, dropoutRate: 0.03 },
    ];
    const { reference, mic, truthMs } = capture(speakers, 60, 3);
    const result = analyzeMultiSpeaker(reference, mic, RATE, { speakers: 2 });
    if (result.status !== 'ok') throw new Error(result.message);
    expect(result.speakers).toHaveLength(2);
    result.speakers.forEach((s, k) => {
      expect(Math.abs(s.latencyMs - truthMs[k])).toBeLessThan(0.2);
      expect(Math.abs(s.driftPpm - speakers[k].driftPpm)).toBeLessThan(10);
      expect(s.levelDb).toBeCloseTo(speakers[k].gainDb, 0);
    });
    expect(result.syncSpreadMs).toBeCloseTo(truthMs[1] - truthMs[0], 1);
  }, 60000);

  it('a stereo pair 8 ms apart on two clocks (+10 and -10 ppm), the second speaker louder', () => {
    const speakers: SimulatedOutput[] = [
      { latencyMs: 150, driftPpm: 10, jitterMs: 0, gainDb: -6, dropoutRate: 0 },
      { latencyMs: 158, driftPpm: -10, jitterMs: 0, gainDb: 0, dropoutRate: 0 },
    ];
    const { reference, mic, truthMs } = capture(speakers, 60, 5);
    const result = analyzeMultiSpeaker(reference, mic, RATE, { speakers: 2 });
    if (result.status !== 'ok') throw new Error(result.message);
    result.speakers.forEach((s, k) => {
      expect(Math.abs(s.latencyMs - truthMs[k])).toBeLessThan(0.2);
      expect(Math.abs(s.driftPpm - speakers[k].driftPpm)).toBeLessThan(10);
    });
    expect(Math.abs(result.syncSpreadMs - (truthMs[1] - truthMs[0]))).toBeLessThan(0.2);
  }, 60000);

  it('refuses when the second arrival keeps a fixed distance to the first (a reflection, or a speaker on the same clock)', () => {
    const speakers: SimulatedOutput[] = [{ latencyMs: 200, driftPpm: 30, jitterMs: 0, gainDb: 0, dropoutRate: 0 }];
    const { reference, mic } = capture(speakers, 40, 7);
    const result = analyzeMultiSpeaker(reference, mic, RATE, { speakers: 2 });
    expect(result.status).toBe('refused');
    if (result.status === 'refused') {
      expect(result.reason).toBe('SAME_CLOCK');
      expect(result.found).toHaveLength(1);
      expect(result.message).toMatch(/reflection or a speaker on the same clock/);
    }
  }, 60000);

  it('refuses when the second speaker is too weak to be heard (30 dB down)', () => {
    const speakers: SimulatedOutput[] = [
      { latencyMs: 200, driftPpm: 0, jitterMs: 0, gainDb: 0, dropoutRate: 0 },
      { latencyMs: 300, driftPpm: 40, jitterMs: 0, gainDb: -30, dropoutRate: 0 },
    ];
    const { reference, mic } = capture(speakers, 40, 9, false);
    const result = analyzeMultiSpeaker(reference, mic, RATE, { speakers: 2 });
    expect(result.status).toBe('refused');
    if (result.status === 'refused') expect(result.reason).toBe('TOO_WEAK_OR_TOO_CLOSE');
  }, 60000);

  it('refuses two speakers 0.5 ms apart: closer than the clicks can separate', () => {
    const speakers: SimulatedOutput[] = [
      { latencyMs: 200, driftPpm: 20, jitterMs: 0, gainDb: 0, dropoutRate: 0 },
      { latencyMs: 200.5, driftPpm: -20, jitterMs: 0, gainDb: -2, dropoutRate: 0 },
    ];
    const { reference, mic } = capture(speakers, 20, 13, false);
    const result = analyzeMultiSpeaker(reference, mic, RATE, { speakers: 2 });
    expect(result.status).toBe('refused');
    if (result.status === 'refused') expect(['TOO_WEAK_OR_TOO_CLOSE', 'TOO_CLOSE']).toContain(result.reason);
  }, 60000);

  it('three speakers across rooms (150, 220, 290 ms; +40, -40, 0 ppm; 0, -4, -9 dB) in a room', () => {
    const speakers: SimulatedOutput[] = [
      { latencyMs: 150, driftPpm: 40, jitterMs: 0, gainDb: 0, dropoutRate: 0.02 },
      { latencyMs: 220, driftPpm: -40, jitterMs: 0, gainDb: -4, dropoutRate: 0.02 },
      { latencyMs: 290, driftPpm: 0, jitterMs: 0, gainDb: -9, dropoutRate: 0.02 },
    ];
    const { reference, mic, truthMs } = capture(speakers, 60, 17);
    const result = analyzeMultiSpeaker(reference, mic, RATE, { speakers: 3 });
    if (result.status !== 'ok') throw new Error(result.message);
    result.speakers.forEach((s, k) => {
      expect(Math.abs(s.latencyMs - truthMs[k])).toBeLessThan(0.2);
      expect(Math.abs(s.driftPpm - speakers[k].driftPpm)).toBeLessThan(10);
      expect(s.levelDb).toBeCloseTo(speakers[k].gainDb, 0);
    });
    expect(Math.abs(result.syncSpreadMs - (truthMs[2] - truthMs[0]))).toBeLessThan(0.2);
  }, 60000);

  it('a speaker that joins 20 s into a 60 s run, and one that leaves at 40 s, are both found and said to be partial', () => {
    const speakers: SimulatedOutput[] = [
      { latencyMs: 170, driftPpm: 15, jitterMs: 0, gainDb: 0, dropoutRate: 0, endFrame: 40 * RATE },
      { latencyMs: 260, driftPpm: -25, jitterMs: 0, gainDb: -3, dropoutRate: 0, startFrame: 20 * RATE },
    ];
    const { reference, mic, truthMs } = capture(speakers, 60, 21);
    const result = analyzeMultiSpeaker(reference, mic, RATE, { speakers: 2 });
    if (result.status !== 'ok') throw new Error(result.message);
    result.speakers.forEach((s, k) => {
      expect(Math.abs(s.latencyMs - truthMs[k])).toBeLessThan(0.2);
      expect(Math.abs(s.driftPpm - speakers[k].driftPpm)).toBeLessThan(10);
      expect(s.levelDb).toBeCloseTo(speakers[k].gainDb, 0);
    });
    // The clicks it missed are counted as missing, and a warning says when each was heard.
    expect(result.speakers[0].dropouts).toBeGreaterThan(result.speakers[0].events / 4);
    expect(result.speakers[1].dropouts).toBeGreaterThan(result.speakers[1].events / 4);
    expect(result.warnings.filter((w) => w.code === 'PARTIAL_RUN')).toHaveLength(2);
    const late = result.warnings.find((w) => w.message.includes(`${result.speakers[1].latencyMs.toFixed(1)} ms`));
    expect(late?.message).toMatch(/heard from 20\.\d s to 5\d\.\d s/);
    const early = result.warnings.find((w) => w.message.includes(`${result.speakers[0].latencyMs.toFixed(1)} ms`));
    expect(early?.message).toMatch(/heard from 0\.0 s to 39\.\d s/);
  }, 60000);

  it('two speakers with independent per-click jitter of ±1 ms (wireless buffers), 60 ms apart, in a room', () => {
    const speakers: SimulatedOutput[] = [
      { latencyMs: 190, driftPpm: 20, jitterMs: 1, gainDb: 0, dropoutRate: 0.02 },
      { latencyMs: 250, driftPpm: -20, jitterMs: 1, gainDb: -4, dropoutRate: 0.02 },
    ];
    const { reference, mic, truthMs } = capture(speakers, 60, 23);
    const result = analyzeMultiSpeaker(reference, mic, RATE, { speakers: 2 });
    if (result.status !== 'ok') throw new Error(result.message);
    result.speakers.forEach((s, k) => {
      expect(Math.abs(s.latencyMs - truthMs[k])).toBeLessThan(0.2);
      // Jitter limits what 60 s can say about drift: the stated standard error covers the truth.
      expect(s.driftPpmStdError).not.toBeNull();
      expect(Math.abs(s.driftPpm - speakers[k].driftPpm)).toBeLessThan(Math.max(10, 3 * (s.driftPpmStdError as number)));
      expect(s.levelDb).toBeCloseTo(speakers[k].gainDb, 0);
      expect(s.dropouts).toBeLessThan(s.events * 0.1);
    });
  }, 60000);

  it('two speakers on one clock but with independent jitter are two sources, not a speaker and its reflection', () => {
    const speakers: SimulatedOutput[] = [
      { latencyMs: 200, driftPpm: 0, jitterMs: 1, gainDb: 0, dropoutRate: 0 },
      { latencyMs: 230, driftPpm: 0, jitterMs: 1, gainDb: -2, dropoutRate: 0 },
    ];
    const { reference, mic, truthMs } = capture(speakers, 40, 25, false);
    const result = analyzeMultiSpeaker(reference, mic, RATE, { speakers: 2 });
    if (result.status !== 'ok') throw new Error(result.message);
    result.speakers.forEach((s, k) => expect(Math.abs(s.latencyMs - truthMs[k])).toBeLessThan(0.2));
  }, 60000);

  it('a speaker whose latency jumps 20 ms at 30 s: with a second speaker, two speakers and a LATENCY_JUMP warning; alone, asked for two, refused JUMP_OR_TAKEOVER', () => {
    const jumping: SimulatedOutput[] = [
      { latencyMs: 180, driftPpm: 10, jitterMs: 0, gainDb: 0, dropoutRate: 0, endFrame: 30 * RATE },
      { latencyMs: 200, driftPpm: 10, jitterMs: 0, gainDb: 0, dropoutRate: 0, startFrame: 30 * RATE },
    ];
    const steady: SimulatedOutput = { latencyMs: 260, driftPpm: -20, jitterMs: 0, gainDb: -3, dropoutRate: 0 };
    const both = capture([...jumping, steady], 60, 27, false);
    const result = analyzeMultiSpeaker(both.reference, both.mic, RATE, { speakers: 2 });
    if (result.status !== 'ok') throw new Error(result.message);
    expect(Math.abs(result.speakers[1].latencyMs - both.truthMs[2])).toBeLessThan(0.2);
    expect([both.truthMs[0], both.truthMs[1]].some((t) => Math.abs(result.speakers[0].latencyMs - t) < 0.2)).toBe(true);
    expect(result.warnings.map((w) => w.code)).toContain('LATENCY_JUMP');
    const alone = capture(jumping, 60, 29, false);
    const refused = analyzeMultiSpeaker(alone.reference, alone.mic, RATE, { speakers: 2 });
    expect(refused.status).toBe('refused');
    if (refused.status === 'refused') {
      expect(refused.reason).toBe('JUMP_OR_TAKEOVER');
      expect(refused.message).toMatch(/latency jumped, or another speaker took over/);
    }
  }, 60000);
});
