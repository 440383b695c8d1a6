import { describe, expect, it } from 'vitest';
import { cyclicSliceAdvanced, HIGH_TAPER_OCTAVES, LOW_TAPER_OCTAVES, taperBand } from './deconvolution';

/** The taper bin by bin, as the module comment defines it: the reference taperBand must equal exactly. */
function naiveTaper(spectrum: Float64Array, size: number, sampleRate: number, lowHz: number, highHz: number): void {
  const low = lowHz * 2 ** LOW_TAPER_OCTAVES;
  const high = highHz * 2 ** -HIGH_TAPER_OCTAVES;
  for (let k = 0; k <= size / 2; k++) {
    const f = (k * sampleRate) / size;
    let g = 1;
    if (f <= lowHz || f >= highHz) g = 0;
    else if (f < low) g = 0.5 - 0.5 * Math.cos((Math.PI * Math.log2(f / lowHz)) / LOW_TAPER_OCTAVES);
    else if (f > high) g = 0.5 - 0.5 * Math.cos((Math.PI * Math.log2(highHz / f)) / HIGH_TAPER_OCTAVES);
    spectrum[2 * k] *= g;
    spectrum[2 * k + 1] *= g;
  }
}

function randomSpectrum(size: number, seed: number): Float64Array {
  let state = seed;
  const next = (): number => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
  return Float64Array.from({ length: size + 2 }, next);
}

describe('taperBand', () => {
  // [size, rate, lowHz, highHz]: a typical band, one reaching the ends, one narrower than its
  // tapers (no bin at 1), one empty, one outside the spectrum, one of a single bin's width.
  const cases: Array<[number, number, number, number]> = [
    [4096, 48_000, 20, 20_000],
    [4096, 48_000, 0.5, 24_000],
    [3 * 1024, 44_100, 1000, 1100],
    [4096, 48_000, 5000, 4000],
    [1024, 48_000, 30_000, 40_000],
    [4096, 48_000, 11.7, 23.5],
  ];
  it.each(cases)('equals the bin-by-bin taper exactly (size %i, %i Hz, %f–%f Hz)', (size, rate, lowHz, highHz) => {
    const spectrum = randomSpectrum(size, size + lowHz);
    const expected = spectrum.slice();
    naiveTaper(expected, size, rate, lowHz, highHz);
    const valid = taperBand(spectrum, size, rate, lowHz, highHz);
    expect(spectrum).toEqual(expected);
    expect(valid.low).toBeCloseTo(lowHz * 2 ** LOW_TAPER_OCTAVES, 9);
    expect(valid.high).toBeCloseTo(highHz * 2 ** -HIGH_TAPER_OCTAVES, 9);
  });

  it('leaves the band inside its tapers untouched and zeroes everything outside it', () => {
    const size = 8192;
    const rate = 48_000;
    const spectrum = new Float64Array(size + 2).fill(1);
    const valid = taperBand(spectrum, size, rate, 100, 10_000);
    for (let k = 0; k <= size / 2; k++) {
      const f = (k * rate) / size;
      if (f >= valid.low && f <= valid.high) expect(spectrum[2 * k]).toBe(1);
      if (f <= 100 || f >= 10_000) expect(spectrum[2 * k]).toBe(0);
    }
  });
});

describe('cyclicSliceAdvanced without a fraction', () => {
  it('reads the buffer cyclically from any start, wrapping more than once, from typed arrays and plain ones', () => {
    const n = 37;
    const values = Array.from({ length: n }, (_, i) => i * 1.5 - 7);
    for (const buffer of [Float64Array.from(values), Float32Array.from(values), values]) {
      for (const from of [-100, -37, -1, 0, 5, 36, 80]) {
        for (const length of [0, 1, 10, 37, 120]) {
          const out = cyclicSliceAdvanced(buffer, from, length, 0);
          expect(out.length).toBe(length);
          for (let i = 0; i < length; i++) expect(out[i]).toBe(values[(((from + i) % n) + n) % n]);
        }
      }
    }
  });

  it('refuses an empty buffer rather than returning NaN', () => {
    expect(() => cyclicSliceAdvanced(new Float64Array(0), 0, 4, 0)).toThrow(/empty/);
  });
});
