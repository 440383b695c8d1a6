import { describe, expect, it } from 'vitest';
import { createRandom } from '../primitives/random';
import { identifyEvents } from './av-identify';
import { MAX_PATTERN_S, patternEventTimes } from './av-pattern';

const pattern = patternEventTimes(MAX_PATTERN_S);

/** Detections of pattern events from `fromS` for `durationS`, on a clock `ppm` off, shifted by `shiftS`, with timing noise, misses and false detections. */
function detections(seed: number, fromS: number, durationS: number, ppm: number, shiftS: number, noiseS: number, missRate: number, falseCount: number): { times: number[]; truth: Map<number, number> } {
  const random = createRandom(seed);
  const rate = 1 + ppm * 1e-6;
  const found: Array<{ t: number; k: number }> = [];
  pattern.forEach((p, k) => {
    if (p < fromS || p > fromS + durationS || random.next() < missRate) return;
    found.push({ t: shiftS + (p - fromS) * rate + noiseS * random.gaussian(), k });
  });
  for (let i = 0; i < falseCount; i++) found.push({ t: shiftS + random.uniform(0, durationS), k: -1 });
  found.sort((a, b) => a.t - b.t);
  const truth = new Map<number, number>();
  found.forEach((f, j) => truth.set(j, f.k));
  return { times: found.map((f) => f.t), truth };
}

describe('identifying detections by their coded spacing', () => {
  it.each([
    ['10 s, clocks equal', 1, 10, 0, 0.002],
    ['60 s, display 1000 ppm fast (60 ms over the minute)', 2, 60, 1000, 0.002],
    ['60 s, display 2000 ppm slow', 3, 60, -2000, 0.001],
    ['300 s, 500 ppm', 4, 300, 500, 0.002],
  ])('%s: every real detection gets its event number', (_name, seed, durationS, ppm, noiseS) => {
    const { times, truth } = detections(seed, 3.3 + seed * 7, durationS, ppm, 0.25, noiseS, 0.1, 3);
    const id = identifyEvents(times, pattern);
    expect(id).not.toBeNull();
    let wrong = 0;
    let real = 0;
    id!.indices.forEach((k, j) => {
      const expected = truth.get(j)!;
      if (expected >= 0) {
        real++;
        if (k !== expected) wrong++;
      } else if (k >= 0) wrong++;
    });
    expect(wrong).toBe(0);
    expect(id!.matched).toBe(real);
    // The rate's error: about the timing noise over the span, in ppm.
    expect(Math.abs((id!.rate - 1) * 1e6 - ppm)).toBeLessThan((5 * noiseS * 1e6) / durationS);
  });

  it('refuses times that are not the pattern (a regular beat, random times)', () => {
    const beat = Array.from({ length: 40 }, (_, i) => 1.1 * i);
    expect(identifyEvents(beat, pattern)).toBeNull();
    const random = createRandom(9);
    const noise = Array.from({ length: 40 }, () => random.uniform(0, 50)).sort((a, b) => a - b);
    expect(identifyEvents(noise, pattern)).toBeNull();
  });
});
