/**
 * Windowed cross-correlation by FFT, plain or with generalised PHAT weighting.
 *
 *   r[k] = Σ_n t[n] · s[n + k],   k = 0 .. signalLength − templateLength
 *
 * where t is `templateLength` frames of the template from `templateStart` and s is
 * `signalLength` frames of the signal from `signalStart` (frames outside either array read as 0).
 * The FFT size is the next power of two ≥ signalLength (and ≥ 4), which is enough for these lags to be free
 * of circular wrap-around.
 *
 * Weighting (Knapp & Carter 1976): with cross-spectrum G = conj(T)·S,
 *  - 'none': the plain correlation (the matched filter, optimal in white noise);
 *  - 'phat': G / |G|^β, the phase transform, which whitens the spectrum so that the correlation
 *    peak is as sharp as the band allows and early reflections separate from the direct sound.
 *    Bins where the template has no energy (60 dB below its strongest bin) get zero weight, so
 *    noise outside the stimulus band is not amplified. β = 1 is classic PHAT; β < 1 keeps some
 *    of the magnitude weighting, which is more robust in low-SNR bands.
 */
import { fftPlan, nextPowerOfTwo } from './fft';

export type CorrelationWeighting = 'none' | 'phat';

export interface CorrelationOptions {
  weighting?: CorrelationWeighting;
  /** PHAT exponent β in (0, 1]. Default 1. */
  phatExponent?: number;
}

export interface CorrelationWindow {
  template: ArrayLike<number>;
  templateStart: number;
  templateLength: number;
  signal: ArrayLike<number>;
  signalStart: number;
  signalLength: number;
}

/** Bins this far below the template's strongest bin carry no stimulus and get no PHAT weight. */
const PHAT_BAND_FLOOR = 1e-6; // -60 dB in power

export function crossCorrelateWindow(window: CorrelationWindow, options: CorrelationOptions = {}): Float64Array {
  const { templateLength, signalLength } = window;
  if (!(templateLength >= 1 && signalLength >= templateLength)) {
    throw new RangeError(`correlation needs 1 <= templateLength (${templateLength}) <= signalLength (${signalLength})`);
  }
  const size = Math.max(4, nextPowerOfTwo(signalLength)); // FftPlan's smallest size is 4
  const plan = fftPlan(size);
  const t = plan.forwardReal(window.template, window.templateStart, templateLength);
  const s = plan.forwardReal(window.signal, window.signalStart, signalLength);
  const bins = size / 2;
  const g = new Float64Array(size + 2);
  for (let k = 0; k <= bins; k++) {
    const tr = t[2 * k];
    const ti = t[2 * k + 1];
    const sr = s[2 * k];
    const si = s[2 * k + 1];
    // conj(T) · S
    g[2 * k] = tr * sr + ti * si;
    g[2 * k + 1] = tr * si - ti * sr;
  }
  if ((options.weighting ?? 'none') === 'phat') applyPhat(g, t, bins, options.phatExponent ?? 1);
  const r = plan.inverseReal(g);
  return r.slice(0, signalLength - templateLength + 1);
}

function applyPhat(g: Float64Array, t: Float64Array, bins: number, beta: number): void {
  if (!(beta > 0 && beta <= 1)) throw new RangeError(`PHAT exponent must be in (0, 1], got ${beta}`);
  let maxTemplatePower = 0;
  let maxCross = 0;
  for (let k = 0; k <= bins; k++) {
    maxTemplatePower = Math.max(maxTemplatePower, t[2 * k] ** 2 + t[2 * k + 1] ** 2);
    maxCross = Math.max(maxCross, Math.hypot(g[2 * k], g[2 * k + 1]));
  }
  const floor = PHAT_BAND_FLOOR * maxTemplatePower;
  const epsilon = 1e-12 * maxCross + 1e-300;
  for (let k = 0; k <= bins; k++) {
    const templatePower = t[2 * k] ** 2 + t[2 * k + 1] ** 2;
    const magnitude = Math.hypot(g[2 * k], g[2 * k + 1]);
    const weight = templatePower > floor ? 1 / (beta === 1 ? magnitude + epsilon : (magnitude + epsilon) ** beta) : 0;
    g[2 * k] *= weight;
    g[2 * k + 1] *= weight;
  }
}
