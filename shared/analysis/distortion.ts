/**
 * Harmonic distortion from an exponential sweep's harmonic impulse responses (Farina).
 *
 * The k-th harmonic of a sweep is the sweep itself advanced by L·ln k, so after deconvolution its
 * IR sits L·ln k before the linear one and its spectrum at k·f0 is the k-th harmonic the path made
 * while the sweep played f0, at the same scale as the linear response at f0. Each harmonic IR and
 * the linear IR are taken under windows of the same length (half-Hann tails) and power-averaged
 * over 1/6 octave; Hk(f0) = |harmonic k at k·f0| / |linear at f0| and THD = √(Σ Hk²) over the
 * orders the sweep reaches (k·f0 within its band).
 */
import type { HarmonicImpulse } from './impulse-response';
import { fftPlan, nextPowerOfTwo } from '../primitives/fft';

export interface DistortionPoint {
  /** Fundamental frequency. */
  hz: number;
  /** Second and third harmonic re the fundamental, dB (null where k·hz is above the sweep). */
  h2Db: number | null;
  h3Db: number | null;
  /** Total harmonic distortion of the orders measured there, percent. */
  thdPercent: number;
}

function smoothedPower(h: ArrayLike<number>, from: number, pre: number, length: number, sampleRate: number): (hz: number) => number {
  const size = Math.max(nextPowerOfTwo(pre + length), nextPowerOfTwo(Math.round(sampleRate / 4)));
  const segment = new Float64Array(pre + length);
  for (let i = 0; i < pre + length; i++) {
    const n = i - pre;
    const w = n < 0 ? 0.5 - 0.5 * Math.cos((Math.PI * (i + 0.5)) / pre) : n < length / 2 ? 1 : 0.5 + 0.5 * Math.cos((Math.PI * (n - length / 2)) / (length / 2));
    segment[i] = (h[from + i] ?? 0) * w;
  }
  const spectrum = fftPlan(size).forwardReal(segment, 0, segment.length);
  const bins = size / 2;
  const prefix = new Float64Array(bins + 2);
  for (let k = 0; k <= bins; k++) prefix[k + 1] = prefix[k] + spectrum[2 * k] ** 2 + spectrum[2 * k + 1] ** 2;
  const binHz = sampleRate / size;
  const r = 2 ** (1 / 12);
  return (hz: number) => {
    const lo = Math.max(1, Math.floor(hz / r / binHz));
    const hi = Math.min(bins, Math.max(lo, Math.ceil((hz * r) / binHz)));
    return (prefix[hi + 1] - prefix[lo]) / (hi - lo + 1);
  };
}

/**
 * Distortion at 1/12-octave fundamentals from `lowHz` up to half the sweep's top (`highHz`), from the
 * linear IR `h` (arrival at `arrival`) and the harmonic IRs.
 */
export function harmonicDistortion(h: ArrayLike<number>, arrival: number, harmonics: HarmonicImpulse[], sampleRate: number, lowHz: number, highHz: number): DistortionPoint[] {
  if (harmonics.length === 0) return [];
  const pre = harmonics[0].preFrames;
  const length = Math.min(...harmonics.map((k) => k.h.length - k.preFrames));
  const linear = smoothedPower(h, arrival - Math.min(pre, arrival), Math.min(pre, arrival), length, sampleRate);
  const orders = harmonics.map((k) => ({ order: k.order, power: smoothedPower(k.h, k.preFrames - Math.min(pre, k.preFrames), Math.min(pre, k.preFrames), length, sampleRate) }));
  const points: DistortionPoint[] = [];
  for (let hz = Math.max(lowHz, 20); hz * 2 <= highHz; hz *= 2 ** (1 / 12)) {
    const fundamental = linear(hz);
    if (!(fundamental > 0)) continue;
    let sum = 0;
    const ratio: Record<number, number | null> = {};
    for (const { order, power } of orders) {
      if (hz * order > highHz) {
        ratio[order] = null;
        continue;
      }
      const r = power(hz * order) / fundamental;
      ratio[order] = r;
      sum += r;
    }
    const toDb = (r: number | null | undefined): number | null => (r === null || r === undefined ? null : 10 * Math.log10(Math.max(r, 1e-30)));
    points.push({ hz, h2Db: toDb(ratio[2]), h3Db: toDb(ratio[3]), thdPercent: 100 * Math.sqrt(sum) });
  }
  return points;
}
