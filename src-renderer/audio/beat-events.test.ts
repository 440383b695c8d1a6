import { describe, expect, it } from 'vitest';
import { beatCrossCheck, beatEvents, beatFrames } from './beat-events';

const RATE = 48000;

describe('beat events', () => {
  it('puts a beat every 60/bpm s from the offset, rounded to frames', () => {
    expect(beatFrames({ bpm: 120, offsetS: 0.25 }, RATE, RATE * 2)).toEqual([12000, 36000, 60000, 84000]);
    // An offset later than one period steps back to the first beat of the grid.
    expect(beatFrames({ bpm: 120, offsetS: 1.25 }, RATE, RATE)[0]).toBe(12000);
    expect(beatFrames({ bpm: 100, offsetS: 0 }, 44100, 44100 * 2)).toEqual([0, 26460, 52920, 79380]);
  });

  it('windows run from 50 ms before to 200 ms after each beat, anchored on it, inside the active range', () => {
    const events = beatEvents({ bpm: 120, offsetS: 0.25 }, { sampleRate: RATE, lengthFrames: RATE * 3, activeStartFrame: 0.25 * RATE - 2400, activeEndFrame: 2.6 * RATE });
    expect(events[0]).toEqual({ startFrame: 12000 - 2400, endFrame: 12000 + 9600, anchorFrame: 12000 });
    expect(events.map((e) => e.anchorFrame)).toEqual([12000, 36000, 60000, 84000, 108000]);
    // The beat at 2.75 s would run past the active end (2.6 s): left out.
  });

  it('leaves out beats whose window starts before the music', () => {
    const events = beatEvents({ bpm: 120, offsetS: 0.02 }, { sampleRate: RATE, lengthFrames: RATE * 2, activeStartFrame: 0 });
    expect(events[0].anchorFrame).toBe(0.52 * RATE);
  });

  it('fast tempos: windows are cut so they never overlap the next beat\'s window', () => {
    const events = beatEvents({ bpm: 300, offsetS: 0.1 }, { sampleRate: RATE, lengthFrames: RATE * 2 });
    for (let i = 1; i < events.length; i++) expect(events[i - 1].endFrame).toBeLessThanOrEqual(events[i].startFrame);
    // 300 BPM: beats 200 ms apart; a window ends 50 ms before the next beat, 150 ms after its own.
    expect(events[0].endFrame - events[0].anchorFrame).toBe(0.15 * RATE);
  });

  it('rejects a tempo that is not a positive number', () => {
    expect(() => beatFrames({ bpm: 0, offsetS: 0 }, RATE, RATE)).toThrow(RangeError);
    expect(() => beatFrames({ bpm: Number.NaN, offsetS: 0 }, RATE, RATE)).toThrow(RangeError);
  });
});

describe('beat cross-check', () => {
  it('agrees when the capture grid is the measured latency later', () => {
    const c = beatCrossCheck({ bpm: 120, offsetS: 0.5 }, { bpm: 120, offsetS: 0.62 }, 118);
    expect(c.coarseLatencyMs).toBeCloseTo(120, 9);
    expect(c.differenceMs).toBeCloseTo(-2, 9);
    expect(c.periodsShifted).toBe(0);
    expect(c.agrees).toBe(true);
  });

  it('moves by whole beat periods (the grid repeats) and flags a disagreement over 20 ms', () => {
    // 120 BPM: 500 ms per beat. Detector offsets 0.1 s and 0.15 s, measured 560 ms → 550 ms coarse.
    const c = beatCrossCheck({ bpm: 120, offsetS: 0.1 }, { bpm: 120, offsetS: 0.15 }, 560);
    expect(c.periodsShifted).toBe(1);
    expect(c.coarseLatencyMs).toBeCloseTo(550, 9);
    expect(c.agrees).toBe(true);
    const off = beatCrossCheck({ bpm: 120, offsetS: 0.1 }, { bpm: 120, offsetS: 0.2 }, 40);
    expect(off.differenceMs).toBeCloseTo(-60, 9);
    expect(off.agrees).toBe(false);
  });
});
