import { afterEach, describe, expect, it } from 'vitest';
import { decayOfBands, octaveBand, octaveBands, octaveCentresWithin, schroederDecay, startOctaveBands } from './room-decay';
import { fftPlan } from '../primitives/fft';
import { createRandom } from '../primitives/random';
import { HELPER_START_SIZE, type HelperTask, helperFor, installWorkHelper, runHelperTask } from '../primitives/shared-work';

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

describe('octave bands shared with a helper thread', () => {
  afterEach(() => installWorkHelper(null));

  /** A helper on the test's own thread: `run` decides what it does with each task posted to it. */
  function startHelper(run: (task: HelperTask) => void): void {
    installWorkHelper(() => ({ post: run }));
    expect(helperFor(HELPER_START_SIZE)).toBe(true);
  }

  const ir = decayingNoise(2 * RATE, 0.6, 1e-5, 21);
  const centres = octaveCentresWithin(RATE, 20, 20_000);

  it('give the same bands bit for bit whoever filters which, in shared memory', () => {
    const alone = octaveBands(ir, RATE, centres);
    expect(alone.map(({ hz }) => hz)).toEqual([63, 125, 250, 500, 1000, 2000, 4000, 8000]);
    expect(alone[3].band).toEqual(octaveBand(ir, RATE, 500));
    const kernels: string[] = [];
    startHelper((task) => {
      kernels.push(task.kernel);
      runHelperTask(task); // every band, before the caller claims any
    });
    const shared = octaveBands(ir, RATE, centres);
    expect(kernels).toEqual(['octave-bands']);
    expect(shared.map(({ hz }) => hz)).toEqual(alone.map(({ hz }) => hz));
    shared.forEach(({ band }, i) => {
      expect(band.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(Object.is(band[0], alone[i].band[0]) && band.every((v, j) => Object.is(v, alone[i].band[j])), `${alone[i].hz} Hz`).toBe(true);
    });
  });

  it('while started, leave other transforms to this thread; bands the helper never takes are filtered by finish()', () => {
    const alone = octaveBands(ir, RATE, centres);
    const posted: HelperTask[] = [];
    startHelper((task) => posted.push(task)); // a helper too busy to take anything
    const job = startOctaveBands(ir, RATE, centres);
    expect(posted.map((task) => task.kernel)).toEqual(['octave-bands']);
    // A large transform in between (the room window computes the IR's envelope): not shared.
    const signal = decayingNoise(2 ** 20, 1, 0, 22);
    fftPlan(2 ** 20).forwardReal(signal, 0, signal.length);
    expect(posted).toHaveLength(1);
    const bands = job.finish();
    bands.forEach(({ band }, i) => expect(band.every((v, j) => Object.is(v, alone[i].band[j])), `${alone[i].hz} Hz`).toBe(true));
    // Its message, come late, claims nothing and changes nothing.
    const before = bands.map(({ band }) => band.slice());
    runHelperTask(posted[0]);
    bands.forEach(({ band }, i) => expect(band).toEqual(before[i]));
    // The next transform is shared again.
    fftPlan(2 ** 20).forwardReal(signal, 0, signal.length);
    expect(posted.length).toBeGreaterThan(1);
  });

  it('without shared memory (no helper) are filtered here, in ordinary arrays', () => {
    const bands = octaveBands(ir, RATE, [1000]);
    expect(bands[0].band.buffer).toBeInstanceOf(ArrayBuffer);
    expect(octaveBands(ir, RATE, [])).toEqual([]);
  });
});
