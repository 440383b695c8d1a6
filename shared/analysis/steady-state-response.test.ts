// The frequency response is measured over the steady state only: a start-up in which the path's
// latency changed must not ripple the response of a plain wire (issue 9: ±10 dB, coherence 0.51).
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from './analyze-capture';
import { generatePinkNoise } from '../stimulus/pink-noise';
import { addNoiseAtSnr, whiteBackground } from '../simulation/synthetic-path';
import { steppedDelay } from '../simulation/time-varying-path';

const RATE = 48000;

describe('frequency response of a path with a start-up', () => {
  it('a wire whose latency steps after 6 s reads flat and coherent from the steady state', () => {
    const pink = generatePinkNoise({ sampleRate: RATE, durationS: 20, seed: 11 }).samples;
    const length = pink.length + RATE;
    const stepFrame = 6 * RATE;
    const clean = steppedDelay(pink, stepFrame, 0.0125 * RATE, 0.0375 * RATE, length);
    const capture = addNoiseAtSnr(clean, whiteBackground(length, 12), 40);
    const out = analyzeCapture(pink, capture, RATE);
    expect(out.status).toBe('ok');
    expect(out.latency?.startup).not.toBeNull();
    expect(out.latency?.medianMs).toBeCloseTo(37.5, 2);
    const fr = out.frequencyResponse;
    if (!fr) throw new Error('no frequency response');
    const inBand = fr.points.filter((p) => p.hz >= 100 && p.hz <= 10_000);
    expect(inBand.length).toBeGreaterThan(50);
    const level = fr.referenceLevelDb ?? 0;
    for (const p of inBand) expect(Math.abs(p.db - level), `${p.hz.toFixed(0)} Hz`).toBeLessThan(1);
    expect(fr.medianCoherence).toBeGreaterThan(0.9);
  });
});
