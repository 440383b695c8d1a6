import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { correlateWithImpulse, type WholeDeconvolution } from '../dsp/cross-correlation';
import { cyclicSliceAdvanced } from '../dsp/deconvolution';
import { measureImpulseResponse, type ImpulseMeasurement } from './impulse-response';
import { nextFftSize } from '../primitives/fft';
import { createRandom } from '../primitives/random';
import { generateLogSweep } from '../stimulus/log-sweep';
import { decodeMeasuredIr, MEASURED_IRS } from '../simulation/measured-ir';
import { roomCapture } from '../simulation/room-captures';

/**
 * A sweep's impulse response read from the deconvolution its latency analysis computed
 * (correlateWithImpulse with `whole`) against the one measureImpulseResponse computes on its own.
 */
const RATE = 48000;
const DELAY = 1234.3;
const path = decodeMeasuredIr(new Uint8Array(readFileSync(new URL(`../simulation/data/ir/${MEASURED_IRS['seminar room']}`, import.meta.url)))).h;
const sweep = generateLogSweep({ sampleRate: RATE, durationS: 10, levelDbfs: -6 });
const { capture: recorded } = roomCapture(sweep, path, DELAY, 20);
/** The recording went on for 5 s after the room's response (as a real one does). */
const capture = new Float32Array(recorded.length + 5 * RATE);
capture.set(recorded);
const random = createRandom(17);
for (let i = recorded.length; i < capture.length; i++) capture[i] = 1e-4 * random.gaussian();

/** The acquisition's window: the sweep over lags −50 ms..2 s, the capture read to the end of the transform. */
function wholeOf(signal: Float32Array, templateStart = sweep.startFrame, templateEnd = sweep.endFrame): WholeDeconvolution {
  const templateLength = templateEnd - templateStart;
  const signalStart = templateStart - 2400;
  const size = nextFftSize(templateLength + 2400 + 96000);
  const c = correlateWithImpulse({ template: sweep.samples, templateStart, templateLength, signal, signalStart, signalLength: Math.min(signal.length - signalStart, size) }, { weighting: 'phat' }, { sampleRate: RATE, keep: true });
  if (!c.whole) throw new Error('no whole deconvolution');
  return c.whole;
}

const options = { kind: 'sweep' as const, startFrame: sweep.startFrame, endFrame: sweep.endFrame, lag: { interceptFrames: DELAY + 0.37, slope: 0 } };
const worstDifference = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let peak = 0;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    peak = Math.max(peak, Math.abs(a[i]));
    worst = Math.max(worst, Math.abs(a[i] - b[i]));
  }
  return worst / peak;
};
const same = (a: ImpulseMeasurement, b: ImpulseMeasurement): boolean => a.h.length === b.h.length && a.h.every((v, i) => v === b.h[i]);

describe('the sweep impulse response read from the latency analysis deconvolution', () => {
  const own = measureImpulseResponse(sweep.samples, capture, RATE, options) as ImpulseMeasurement;

  it('agrees with the one measured on its own: linear IR and harmonics within 1e-4 of the peak (real seminar room, 20 dB SNR)', () => {
    const read = measureImpulseResponse(sweep.samples, capture, RATE, { ...options, whole: wholeOf(capture) }) as ImpulseMeasurement;
    expect(same(read, own)).toBe(false); // read from the deconvolution, not computed again
    expect(read.h.length).toBe(own.h.length);
    expect(worstDifference(own.h, read.h)).toBeLessThan(1e-4);
    expect([read.lowHz, read.highHz]).toEqual([own.lowHz, own.highHz]);
    expect(read.harmonics.map((h) => h.order)).toEqual([2, 3, 4, 5]);
    const peak = own.h.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    own.harmonics.forEach((h, k) => expect(h.h.reduce((m, v, i) => Math.max(m, Math.abs(v - read.harmonics[k].h[i])), 0) / peak, `H${h.order}`).toBeLessThan(1e-4));
  }, 60_000);

  it('is not used where it cannot stand in: a drifting path, a template short of the sweep, too few lags after the arrival', () => {
    const drifting = measureImpulseResponse(sweep.samples, capture, RATE, { ...options, lag: { interceptFrames: DELAY, slope: 2e-6 }, whole: wholeOf(capture) }) as ImpulseMeasurement;
    expect(same(drifting, measureImpulseResponse(sweep.samples, capture, RATE, { ...options, lag: { interceptFrames: DELAY, slope: 2e-6 } }) as ImpulseMeasurement)).toBe(true);
    const partial = measureImpulseResponse(sweep.samples, capture, RATE, { ...options, whole: wholeOf(capture, sweep.startFrame + 4800) }) as ImpulseMeasurement;
    expect(same(partial, own)).toBe(true);
    // The recording stops 1.6 s after the sweep: a transform just long enough for 2 s of lags leaves too few after the arrival.
    const stopped = measureImpulseResponse(sweep.samples, recorded, RATE, { ...options, whole: wholeOf(recorded) }) as ImpulseMeasurement;
    expect(same(stopped, measureImpulseResponse(sweep.samples, recorded, RATE, options) as ImpulseMeasurement)).toBe(true);
  }, 60_000);
});

describe('cyclicSliceAdvanced', () => {
  it('reads a band-limited pulse a fraction of a sample later, to 1e-9 of its peak, across the buffer\'s wrap', () => {
    const n = 8192;
    // A Gaussian-windowed tone burst at sample 20: its spectrum is negligible long before Nyquist.
    const pulse = (t: number) => Math.exp(-(((t - 20) / 12) ** 2)) * Math.cos(2 * Math.PI * 0.11 * (t - 20));
    const buffer = Float64Array.from({ length: n }, (_, i) => pulse(i) + pulse(i - n)); // one period of it, wrapped
    for (const fraction of [0.37, -0.25, 0]) {
      const out = cyclicSliceAdvanced(buffer, -300, 1000, fraction);
      let worst = 0;
      for (let i = 0; i < 1000; i++) worst = Math.max(worst, Math.abs(out[i] - pulse(-300 + i + fraction)));
      expect(worst, `fraction ${fraction}`).toBeLessThan(1e-9);
    }
  });
});
