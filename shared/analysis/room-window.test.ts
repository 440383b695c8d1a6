// The room window's end and the truth it is checked against.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { smoothResponse } from './frequency-response';
import { significantTailEnd, windowedSpectrum } from './ir-window';
import { octaveBands, octaveCentresWithin } from './room-decay';
import { decodeMeasuredIr, MEASURED_IRS, truthResponse } from '../simulation/measured-ir';
import { createRandom } from '../primitives/random';

const RATE = 48000;

describe('truth of a measured IR', () => {
  it('is the continuous spectrum: a 2^21 grid and a 2^20 grid agree within 0.06 dB (1/12 octave, 100 Hz–12 kHz); a 2^16 grid is 0.64 dB off', () => {
    const h = decodeMeasuredIr(new Uint8Array(readFileSync(new URL(`../simulation/data/ir/${MEASURED_IRS['seminar room']}`, import.meta.url)))).h;
    const truth = new Map(truthResponse(h, RATE, 12).map((p) => [Math.round(p.hz), p.db]));
    const worst = (size: number): number => {
      const points = smoothResponse({ bands: windowedSpectrum(h, new Float64Array(h.length).fill(1), 0, RATE, 20, 0.45 * RATE, null, { minFftSize: size }).bands }, 12);
      return Math.max(...points.filter((p) => p.hz >= 100 && p.hz <= 12000).map((p) => Math.abs(p.db - (truth.get(Math.round(p.hz)) as number))));
    };
    expect(worst(2 ** 20)).toBeLessThan(0.06);
    expect(worst(2 ** 16)).toBeGreaterThan(0.5);
  });
});

describe('significantTailEnd', () => {
  // An exponential decay (RT60 0.3 s) over a floor 30 dB down that lasts until 0.8 s (a recording's
  // own noise: 4 % of the energy), then white noise alone at that floor's level (the measurement's
  // noise), seeded.
  const length = 4 * RATE;
  const arrival = Math.round(0.3 * RATE);
  const build = (floorEndS: number | null, seed: number): Float64Array => {
    const random = createRandom(seed);
    const gauss = (): number => random.gaussian();
    const h = new Float64Array(length);
    const floor = 10 ** (-30 / 20);
    for (let i = 0; i < length; i++) {
      const t = (i - arrival) / RATE;
      const decay = t >= 0 ? Math.exp((-6.91 * t) / 0.3) * gauss() : 0;
      const recorded = floorEndS !== null && t >= 0 && t < floorEndS ? floor * gauss() : 0;
      h[i] = decay + recorded + floor * gauss();
    }
    return h;
  };
  const end = (h: Float64Array): number => {
    const bands = octaveBands(h, RATE, octaveCentresWithin(RATE, 40, 20000));
    return (significantTailEnd(bands, arrival, Math.round(0.6 * length), RATE) - arrival) / RATE;
  };

  it.each([1, 2, 3])('seed %s: a recorded floor as loud as the noise, until 0.8 s, moves the end out to 0.65–0.85 s (what is left out is under 0.7 % of the energy)', (seed) => {
    const e = end(build(0.8, seed));
    expect(e).toBeGreaterThan(0.65);
    expect(e).toBeLessThan(0.85);
  });

  it.each([1, 2, 3])('seed %s: without it the end is where the decay meets the noise (30 dB down at 0.15 s), not further than 0.2 s', (seed) => {
    const e = end(build(null, seed));
    expect(e).toBeGreaterThan(0.08);
    expect(e).toBeLessThan(0.2);
  });
});
