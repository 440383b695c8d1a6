import { describe, expect, it } from 'vitest';
import { CLIP_THRESHOLD, amplitudeToDb, dbToAmplitude, detectClipping, firstNonFiniteIndex, meanSquare, peakAbs, powerToDb, rms } from './signal-level';

describe('dB helpers', () => {
  it('convert amplitude and power ratios both ways', () => {
    expect(amplitudeToDb(1)).toBe(0);
    expect(amplitudeToDb(10)).toBeCloseTo(20, 13);
    expect(amplitudeToDb(0.5)).toBeCloseTo(-6.020599913279624, 13);
    expect(amplitudeToDb(-0.5)).toBeCloseTo(-6.020599913279624, 13); // magnitude
    expect(powerToDb(0.5)).toBeCloseTo(-3.010299956639812, 13);
    expect(powerToDb(100)).toBeCloseTo(20, 13);
    expect(dbToAmplitude(-6)).toBeCloseTo(0.5011872336272722, 15);
    expect(dbToAmplitude(0)).toBe(1);
    for (const db of [-120, -37.25, 0, 6]) expect(amplitudeToDb(dbToAmplitude(db))).toBeCloseTo(db, 12);
  });

  it('floor silence at -200 dB instead of -Infinity', () => {
    expect(amplitudeToDb(0)).toBe(-200);
    expect(amplitudeToDb(1e-12)).toBe(-200);
    expect(powerToDb(0)).toBe(-200);
    expect(powerToDb(-1)).toBe(-200);
    expect(Number.isFinite(amplitudeToDb(0))).toBe(true);
  });
});

describe('peakAbs, meanSquare and rms', () => {
  const x = Float32Array.from([0.25, -0.75, 0.5, 0, -0.125]);

  it('measure the whole array or [start, end), clipped to the array', () => {
    expect(peakAbs(x)).toBe(0.75);
    expect(peakAbs(x, 2)).toBe(0.5);
    expect(peakAbs(x, 2, 4)).toBe(0.5);
    expect(peakAbs(x, -5, 1)).toBe(0.25);
    expect(peakAbs(x, 3, 100)).toBe(0.125);
    expect(meanSquare(x)).toBeCloseTo((0.0625 + 0.5625 + 0.25 + 0 + 0.015625) / 5, 15);
    expect(meanSquare(x, 1, 3)).toBeCloseTo((0.5625 + 0.25) / 2, 15);
    expect(meanSquare(x, -10, 1)).toBeCloseTo(0.0625, 15);
    expect(rms([3, -4], 0, 2)).toBeCloseTo(Math.sqrt(12.5), 14);
  });

  it('give 0 for empty arrays and empty ranges', () => {
    expect(peakAbs([])).toBe(0);
    expect(meanSquare([])).toBe(0);
    expect(rms([])).toBe(0);
    expect(meanSquare(x, 3, 3)).toBe(0);
    expect(meanSquare(x, 4, 2)).toBe(0);
    expect(meanSquare(x, 10, 20)).toBe(0);
    expect(peakAbs(x, 4, 2)).toBe(0);
  });

  it('give a full-scale sine a peak of 0 dBFS and an RMS of -3.01 dBFS', () => {
    const sine = Float64Array.from({ length: 4800 }, (_, i) => Math.sin((2 * Math.PI * 1000 * i) / 48000)); // 100 whole periods
    expect(rms(sine)).toBeCloseTo(Math.SQRT1_2, 12);
    expect(amplitudeToDb(rms(sine))).toBeCloseTo(-3.0103, 4);
    expect(peakAbs(sine)).toBeCloseTo(1, 12);
  });
});

describe('detectClipping', () => {
  it('counts runs of two or more samples at |x| >= 0.999 only', () => {
    const samples = Float32Array.from([
      0, 1, 0, // a single full-scale sample: clipped frame, no run
      0.999, 0.999, 0, // a run of exactly two at the threshold
      -1, -1, -1, -1, -1, 0.5, // one run of five (negative)
      0.998, 0.998, 0.998, 0, // just below the threshold: nothing
      1, 1, // a run at the very end
    ]);
    expect(detectClipping(samples)).toEqual({ clippedFrames: 10, clipRuns: 3, runStartFrames: [3, 6, 16] });
  });

  it('treats a 16-bit full-scale sample (32767/32768) as clipped', () => {
    const fullScale = 32767 / 32768;
    expect(fullScale).toBeGreaterThanOrEqual(CLIP_THRESHOLD);
    expect(detectClipping([fullScale, -fullScale, fullScale])).toMatchObject({ clippedFrames: 3, clipRuns: 1 });
    expect(CLIP_THRESHOLD).toBe(0.999);
  });

  it('reports nothing for silence, empty input and a clean signal', () => {
    expect(detectClipping([])).toEqual({ clippedFrames: 0, clipRuns: 0, runStartFrames: [] });
    expect(detectClipping(new Float32Array(1000))).toEqual({ clippedFrames: 0, clipRuns: 0, runStartFrames: [] });
    const sine = Float32Array.from({ length: 1000 }, (_, i) => 0.99 * Math.sin(i / 3));
    expect(detectClipping(sine)).toEqual({ clippedFrames: 0, clipRuns: 0, runStartFrames: [] });
  });

  it('counts every run but lists only the first 1000 start frames', () => {
    const samples = new Float32Array(1500 * 3);
    for (let r = 0; r < 1500; r++) samples.set([1, 1], 3 * r);
    const report = detectClipping(samples);
    expect(report.clipRuns).toBe(1500);
    expect(report.clippedFrames).toBe(3000);
    expect(report.runStartFrames).toHaveLength(1000);
    expect(report.runStartFrames[999]).toBe(2997);
  });
});

describe('firstNonFiniteIndex', () => {
  it('finds the first NaN or infinity in any block, or gives -1; honours the end', () => {
    const x = new Float32Array(10_000).map((_, i) => Math.sin(i));
    expect(firstNonFiniteIndex(x)).toBe(-1);
    expect(firstNonFiniteIndex(new Float32Array(0))).toBe(-1);
    for (const [at, value] of [[0, NaN], [4095, Infinity], [4096, -Infinity], [9999, NaN]] as const) {
      const y = x.slice();
      y[at] = value;
      y[Math.min(9999, at + 3)] = NaN; // a later one is not the first
      expect(firstNonFiniteIndex(y), `${value} at ${at}`).toBe(at);
      expect(firstNonFiniteIndex(y, at)).toBe(-1);
    }
  });
});
