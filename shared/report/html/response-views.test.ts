import { describe, expect, it } from 'vitest';
import type { FrequencyResponseOutput } from '../../analysis/response-output';
import { availableWindows, parseWindowId, thinTimeSeries, windowCurve, windowDescription, wrapPhase } from './response-views';

const point = (hz: number, db = 0) => ({ hz, db, phaseDeg: 0, coherence: 1 });
const base: FrequencyResponseOutput = { smoothing: 12, fftSize: 65536, averages: 1, referenceLevelDb: 0, medianCoherence: 1, micCalibration: null, points: [point(100), point(1000)], bands: [] };

describe('response views', () => {
  it('thins a long series by min and max per bucket, so a one-sample peak survives', () => {
    const values = new Float32Array(100000);
    values[54321] = 1;
    values[12345] = -0.5;
    const thinned = thinTimeSeries(values, -10, 0.01, -10, 990, 1000);
    expect(thinned.length).toBeLessThanOrEqual(1000);
    expect(Math.max(...thinned.map((p) => p.value))).toBe(1);
    expect(Math.min(...thinned.map((p) => p.value))).toBe(-0.5);
    expect(thinned.find((p) => p.value === 1)?.ms).toBeCloseTo(-10 + 54321 * 0.01, 9);
    for (let i = 1; i < thinned.length; i++) expect(thinned[i].ms).toBeGreaterThan(thinned[i - 1].ms);
    // A short range is returned sample by sample.
    expect(thinTimeSeries(values, -10, 0.01, 0, 1)).toHaveLength(101);
    expect(thinTimeSeries(values, -10, 0.01, 2000, 3000)).toEqual([]);
  });

  it('wraps phase to (−180, 180] and reads window names as the CLI spells them', () => {
    expect([wrapPhase(190), wrapPhase(-190), wrapPhase(540), wrapPhase(-180), wrapPhase(0)]).toEqual([-170, 170, 180, 180, 0]);
    expect(['room', 'Speaker', 'fdw', 'frequency-dependent', 'hall'].map(parseWindowId)).toEqual(['room', 'speaker', 'fdw', 'fdw', null]);
  });

  it('a report without windows (an older version) offers the room window only, named as the whole capture', () => {
    expect(availableWindows(base)).toEqual(['room']);
    expect(windowCurve(base, 'speaker')).toBeNull();
    expect(windowCurve(base, 'room')?.points).toBe(base.points);
    expect(windowDescription(base, 'room')).toBe('Room window (the whole capture)');
  });

  it('names the speaker gate, its first reflection and lowest valid frequency', () => {
    const fr: FrequencyResponseOutput = {
      ...base,
      windows: {
        shown: 'room',
        room: { startMs: -10, endMs: 412.4 },
        speaker: { startMs: -1, endMs: 3.8, firstReflectionMs: 4, lowestValidHz: 263.2, points: [point(200), point(1000)], bands: [] },
        frequencyDependent: { cycles: 15, points: [{ hz: 100, db: 0, phaseDeg: 0 }] },
      },
    };
    expect(availableWindows(fr)).toEqual(['room', 'speaker', 'fdw']);
    expect(windowDescription(fr, 'room')).toBe('Room window (the whole IR, to 412 ms after the arrival)');
    expect(windowDescription(fr, 'speaker')).toBe('Speaker window (gated -1 to 3.8 ms re the arrival, first reflection at 4 ms; valid above 263 Hz)');
    expect(windowCurve(fr, 'speaker')?.lowestValidHz).toBe(263.2);
    expect(windowDescription(fr, 'fdw')).toBe('Frequency-dependent window (15 cycles of each frequency)');
  });
});
