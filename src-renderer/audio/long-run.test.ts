import { describe, expect, it } from 'vitest';
import type { LatencyEventOutput } from '../../shared/analysis/analyze-capture';
import { generateStimulus, resolveStimulusSpec } from '../../shared/stimulus/stimulus';
import { liveStats, planSegments, segmentReadyFrames, shiftEvents } from './long-run';

const RATE = 48000;

describe('long-run segments', () => {
  it('cuts a click train into ~10 s segments in silence, covering it exactly once', () => {
    const reference = generateStimulus(resolveStimulusSpec({ signal: 'click', sampleRate: RATE, durationS: 65, seed: 4 }));
    const segments = planSegments(reference, RATE, 10);
    expect(segments[0].startFrame).toBe(0);
    expect(segments[segments.length - 1].endFrame).toBe(reference.length);
    for (let i = 1; i < segments.length; i++) expect(segments[i].startFrame).toBe(segments[i - 1].endFrame);
    for (const s of segments.slice(0, -1)) {
      expect(s.endFrame - s.startFrame).toBeGreaterThanOrEqual(10 * RATE);
      expect(s.endFrame - s.startFrame).toBeLessThan(12 * RATE);
      // The cut lies in silence at least 20 ms from any sound.
      for (let i = s.endFrame - 0.02 * RATE; i < s.endFrame + 0.02 * RATE; i++) expect(Math.abs(reference[i])).toBeLessThanOrEqual(1e-7);
    }
    expect(segments.length).toBe(6);
  });

  it('a short or continuous signal stays one segment', () => {
    expect(planSegments(new Float32Array(5 * RATE), RATE, 10)).toEqual([{ startFrame: 0, endFrame: 5 * RATE }]);
    const noise = Float32Array.from({ length: 30 * RATE }, (_, i) => Math.sin(i));
    expect(planSegments(noise, RATE, 10)).toEqual([{ startFrame: 0, endFrame: 30 * RATE }]);
  });

  it('a segment is ready once the capture covers it plus the tail; events move to the run\'s time axis', () => {
    expect(segmentReadyFrames({ startFrame: 0, endFrame: 480000 }, 108000, 10_000_000)).toBe(588000);
    expect(segmentReadyFrames({ startFrame: 0, endFrame: 480000 }, 108000, 500000)).toBe(500000);
    const e: LatencyEventOutput = { timeS: 1.5, latencyMs: 12, confidence: 1, status: 'ok', peakToNoiseDb: 30 };
    expect(shiftEvents([e], { startFrame: 480000, endFrame: 960000 }, RATE)[0].timeS).toBeCloseTo(11.5, 12);
  });
});

describe('live statistics', () => {
  const ev = (timeS: number, latencyMs: number | null, status: LatencyEventOutput['status'] = 'ok'): LatencyEventOutput => ({ timeS, latencyMs, confidence: status === 'ok' ? 1 : 0.2, status, peakToNoiseDb: null });

  it('median, spread, counts and drift in ppm (1 ms per 100 s = 10 ppm)', () => {
    const events = Array.from({ length: 101 }, (_, i) => ev(i, 100 + i * 0.01));
    events.push(ev(50.5, null, 'dropout'), ev(60.5, 150, 'low-confidence'));
    const s = liveStats(events);
    expect(s.count).toBe(101);
    expect(s.eventsTotal).toBe(103);
    expect(s.dropouts).toBe(1);
    expect(s.lowConfidence).toBe(1);
    expect(s.medianMs).toBeCloseTo(100.5, 9);
    expect(s.spreadMs).toBeCloseTo(1, 9);
    expect(s.driftPpm).toBeCloseTo(10, 6);
    expect(s.jitterMs).toBeCloseTo(0, 9);
  });

  it('no confident events: no figures, only counts', () => {
    const s = liveStats([ev(1, null, 'dropout')]);
    expect(s).toMatchObject({ count: 0, medianMs: null, driftPpm: null, dropouts: 1 });
  });

  it('no drift from fewer than 3 events or less than 1 s', () => {
    expect(liveStats([ev(0, 10), ev(5, 11)]).driftPpm).toBeNull();
    expect(liveStats([ev(0, 10), ev(0.3, 11), ev(0.6, 12)]).driftPpm).toBeNull();
  });
});

describe('live statistics use the final analysis\' jump-aware model', () => {
  const ev = (timeS: number, latencyMs: number): LatencyEventOutput => ({ timeS, latencyMs, confidence: 1, status: 'ok', peakToNoiseDb: 30 });

  it('a 25 ms step: no drift or jitter from the step (issue 9: was "Drift 1248 ppm, Jitter 6.385 ms")', () => {
    const events = Array.from({ length: 60 }, (_, i) => ev(i * 0.5, (i < 20 ? 125 : 150) + 0.001 * Math.sin(i)));
    const s = liveStats(events);
    expect(Math.abs(s.driftPpm as number)).toBeLessThan(1);
    expect(s.jitterMs).toBeLessThan(0.002);
    expect(s.medianMs).toBeCloseTo(150, 2);
    expect(s.steadyFromS).toBe(10);
    expect(s.jumps).toBe(1);
    expect(s.modes).toEqual([]);
  });

  it('an alternating path reports its modes', () => {
    const events = Array.from({ length: 40 }, (_, i) => ev(i * 0.5, [120, 200, 120, 120, 200][i % 5]));
    const s = liveStats(events);
    expect(s.modes.map((m) => [m.medianMs, m.count])).toEqual([[120, 24], [200, 16]]);
    expect(s.steadyFromS).toBeNull();
    expect(s.jitterMs).toBeCloseTo(0, 9);
  });
});
