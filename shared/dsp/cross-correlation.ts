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
 *  - 'deconvolve': G / env(|T|²), where env is |T|² averaged over ±1/6 octave: the cross-spectrum
 *    divided by the template's spectral envelope, so the correlation is the path's impulse response
 *    (band-limited to the stimulus) whatever the stimulus' spectrum — a sweep deconvolved, a click
 *    or a stretch of noise likewise. The envelope, not |T|² itself, keeps the deep per-bin dips of
 *    a short stretch of noise from amplifying noise. Bins 60 dB below the strongest get zero weight.
 */
import { fftPlan, nextPowerOfTwo, workBuffer } from '../primitives/fft';

export type CorrelationWeighting = 'none' | 'phat' | 'deconvolve';

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
  // Work buffers: the result is a copy, so nothing returned shares their memory.
  const t = plan.forwardReal(window.template, window.templateStart, templateLength, workBuffer(0, size + 2));
  const s = plan.forwardReal(window.signal, window.signalStart, signalLength, workBuffer(1, size + 2));
  const bins = size / 2;
  // The cross-spectrum G = conj(T)·S is written over S, and the correlation over T once the
  // weighting has read it: two spectra of `size` doubles in all (32 MB each at 2^22).
  const g = s;
  for (let k = 0; k <= bins; k++) {
    const tr = t[2 * k];
    const ti = t[2 * k + 1];
    const sr = s[2 * k];
    const si = s[2 * k + 1];
    // conj(T) · S
    g[2 * k] = tr * sr + ti * si;
    g[2 * k + 1] = tr * si - ti * sr;
  }
  const weighting = options.weighting ?? 'none';
  if (weighting === 'phat') applyPhat(g, t, bins, options.phatExponent ?? 1);
  else if (weighting === 'deconvolve') applyDeconvolution(g, t, bins);
  const r = plan.inverseReal(g, t.subarray(0, size));
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

function applyDeconvolution(g: Float64Array, t: Float64Array, bins: number): void {
  // Prefix sums of |T|², then the mean over ±1/6 octave (at least one bin either side) per bin.
  const prefix = new Float64Array(bins + 2);
  for (let k = 0; k <= bins; k++) prefix[k + 1] = prefix[k] + t[2 * k] ** 2 + t[2 * k + 1] ** 2;
  const envelope = new Float64Array(bins + 1);
  let strongest = 0;
  for (let k = 0; k <= bins; k++) {
    const w = Math.max(1, Math.round(k * (2 ** (1 / 6) - 1)));
    const lo = Math.max(0, k - w);
    const hi = Math.min(bins, k + w);
    envelope[k] = (prefix[hi + 1] - prefix[lo]) / (hi - lo + 1);
    strongest = Math.max(strongest, envelope[k]);
  }
  const floor = PHAT_BAND_FLOOR * strongest;
  for (let k = 0; k <= bins; k++) {
    const weight = envelope[k] > floor ? 1 / envelope[k] : 0;
    g[2 * k] *= weight;
    g[2 * k + 1] *= weight;
  }
}
