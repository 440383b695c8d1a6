import { describe, expect, it } from 'vitest';
import { decayOfBands, octaveBands, schroederDecay } from './room-decay';
import { createRandom } from '../primitives/random';

const RATE = 48_000;

/** Exponentially decaying noise (RT60 `rt60S`) of `length` frames over a noise floor `floor`. */
function decayingNoise(length: number, rt60S: number, floor: number, seed: number): Float64Array {
  const random = createRandom(seed);
  const k = (3 * Math.LN10) / (rt60S * RATE); // amplitude decay per frame: 60 dB over rt60S
  return Float64Array.from({ length }, (_, i) => Math.exp(-k * i) * random.gaussian() + floor * random.gaussian());
}

describe('decayOfBands', () => {
  it('gives, band by band, exactly what schroederDecay gives each band alone, for bands of different lengths sharing working arrays', () => {
    // Longest first, then shorter ones: a band reads only what was written for it, not the
    // longer band's leftovers in the shared arrays.
    const bands = [
      { hz: 500, band: decayingNoise(3 * RATE, 0.8, 1e-4, 1) },
      { hz: 1000, band: decayingNoise(RATE, 0.4, 1e-4, 2) },
      { hz: 2000, band: decayingNoise(2 * RATE, 0.6, 3e-4, 3), noisePower: 1e-7 },
      { hz: 4000, band: decayingNoise(RATE / 2, 0.2, 1e-5, 4) },
    ];
    const together = decayOfBands(bands, RATE);
    const alone = bands.map(({ hz, band, noisePower }) => ({ hz, ...schroederDecay(band, RATE, undefined, noisePower) }));
    expect(together).toEqual(alone);
    // And the decay times are those of the noise: T30 within 10 % of the RT60 it was made with.
    expect(together[0].t30S).toBeCloseTo(0.8, 0);
    expect(Math.abs((together[0].t30S as number) / 0.8 - 1)).toBeLessThan(0.1);
    expect(Math.abs((together[1].t20S as number) / 0.4 - 1)).toBeLessThan(0.1);
  });

  it('octave bands of a decaying IR give the decay in every band (the filters on 3·2^k transforms)', () => {
    const ir = decayingNoise(44_000, 0.5, 1e-5, 9); // with 0.1 s of padding: 3·2^14 points
    const decays = decayOfBands(octaveBands(ir, RATE, [250, 1000, 4000]), RATE);
    for (const d of decays) expect(Math.abs((d.t30S as number) / 0.5 - 1), `${d.hz} Hz`).toBeLessThan(0.1);
  });
});
