/**
 * Windowed cross-correlation by FFT, plain or with generalised PHAT weighting.
 *
 *   r[k] = Σ_n t[n] · s[n + k],   k = 0 .. signalLength − templateLength
 *
 * where t is `templateLength` frames of the template from `templateStart` and s is
 * `signalLength` frames of the signal from `signalStart` (frames outside either array read as 0).
 * The FFT size is the smallest power of two or three times one ≥ signalLength (and ≥ 4,
 * nextFftSize), which is enough for these lags to be free of circular wrap-around.
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
import { powerPrefix, regularisation, stimulusBand, taperBand } from './deconvolution';
import { detachWorkBuffer, fftPlan, nextFftSize, scratchBetweenTransforms, workBuffer } from '../primitives/fft';
import { defineKernel, runUnits } from '../primitives/shared-work';

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

/** Checks the window and returns its FFT size. */
function windowSize(window: CorrelationWindow): number {
  const { templateLength, signalLength } = window;
  if (!(templateLength >= 1 && signalLength >= templateLength)) {
    throw new RangeError(`correlation needs 1 <= templateLength (${templateLength}) <= signalLength (${signalLength})`);
  }
  return nextFftSize(signalLength);
}

/**
 * The template's spectrum T in work buffer 0 and the cross-spectrum G = conj(T)·S in work buffer 1
 * (written over S): two spectra of `size` doubles in all (32 MB each at 2^22). Work buffers: what
 * the callers return is copied out of them.
 */
function spectra(window: CorrelationWindow, size: number): { t: Float64Array; g: Float64Array } {
  const plan = fftPlan(size);
  const t = plan.forwardReal(window.template, window.templateStart, window.templateLength, workBuffer(0, size + 2));
  const g = plan.forwardReal(window.signal, window.signalStart, window.signalLength, workBuffer(1, size + 2));
  multiplyConjugate(t, g, size / 2);
  return { t, g };
}

/**
 * g = conj(t)·g, bins 0..bins. The loop alone in its function: in `spectra` itself, V8 optimised it
 * mid-loop without what follows and fell back at the return on every call (hundreds of times in a
 * pink-noise run).
 */
function multiplyConjugate(t: Float64Array, g: Float64Array, bins: number): void {
  for (let k = 0; k <= bins; k++) {
    const tr = t[2 * k];
    const ti = t[2 * k + 1];
    const sr = g[2 * k];
    const si = g[2 * k + 1];
    g[2 * k] = tr * sr + ti * si;
    g[2 * k + 1] = tr * si - ti * sr;
  }
}

/**
 * `spectra` for a whole-capture window, with in the same pass what its deconvolution and PHAT
 * weighting read: the prefix sums of |T|² (as powerPrefix computes them), the strongest |T|² and
 * the strongest |G|². One pass over the 3·2^20 bins of a minute's capture instead of three.
 */
function wholeSpectra(window: CorrelationWindow, size: number): { t: Float64Array; g: Float64Array; prefix: Float64Array; maxTemplatePower: number; maxCrossPower: number } {
  const plan = fftPlan(size);
  const t = plan.forwardReal(window.template, window.templateStart, window.templateLength, workBuffer(0, size + 2));
  const g = plan.forwardReal(window.signal, window.signalStart, window.signalLength, workBuffer(1, size + 2));
  const bins = size / 2;
  // In the transforms' scratch: read until the first inverse transform, which overwrites it.
  const prefix = scratchBetweenTransforms(bins + 2);
  prefix[0] = 0;
  let maxTemplatePower = 0;
  let maxCrossPower = 0;
  for (let k = 0; k <= bins; k++) {
    const tr = t[2 * k];
    const ti = t[2 * k + 1];
    const sr = g[2 * k];
    const si = g[2 * k + 1];
    prefix[k + 1] = prefix[k] + tr ** 2 + ti ** 2;
    const power = tr ** 2 + ti ** 2;
    if (power > maxTemplatePower) maxTemplatePower = power;
    const gr = tr * sr + ti * si;
    const gi = tr * si - ti * sr;
    g[2 * k] = gr;
    g[2 * k + 1] = gi;
    maxCrossPower = Math.max(maxCrossPower, gr * gr + gi * gi);
  }
  return { t, g, prefix, maxTemplatePower, maxCrossPower };
}

/**
 * Bins [first, end) of a whole capture's spectra: H over T (each bin of T is read before it is
 * written) and, in the same pass, the PHAT weighting of G as applyPhat weighs it, the template's
 * power read from the prefix sums (bin k's power is prefix[k + 1] − prefix[k], exact to far better
 * than the −60 dB floor it is compared with). Arrays [T, G, prefix], params [pinkLevel, PHAT (1) or
 * not (0), floor, ε, β]; shared with the helper thread (1.5 M bins for a minute's capture).
 */
const WHOLE_BINS = defineKernel('whole-capture-bins', (arrays, params, first, end) => {
  const [t, g, prefix] = arrays;
  const [pinkLevel, phat, floor, epsilon, beta] = params;
  for (let k = first; k < end; k++) {
    const power = t[2 * k] ** 2 + t[2 * k + 1] ** 2;
    const d = power + regularisation(prefix, k, pinkLevel);
    const re = g[2 * k];
    const im = g[2 * k + 1];
    t[2 * k] = re / d;
    t[2 * k + 1] = im / d;
    if (phat === 1) {
      const weight = phatWeight(re, im, prefix[k + 1] - prefix[k] > floor, epsilon, beta);
      g[2 * k] = re * weight;
      g[2 * k + 1] = im * weight;
    }
  }
});

/** Lags 0 .. signalLength − templateLength of the inverse of `spectrum`, computed in place. */
function lagsOf(spectrum: Float64Array, size: number, window: CorrelationWindow): Float64Array {
  const r = fftPlan(size).inverseReal(spectrum, spectrum.subarray(0, size));
  return r.slice(0, window.signalLength - window.templateLength + 1);
}

export function crossCorrelateWindow(window: CorrelationWindow, options: CorrelationOptions = {}): Float64Array {
  const size = windowSize(window);
  const { t, g } = spectra(window, size);
  const weighting = options.weighting ?? 'none';
  const prefix = weighting === 'deconvolve' ? powerPrefix(t, size / 2) : null;
  weigh(g, g, t, size / 2, weighting, options.phatExponent ?? 1, prefix);
  return lagsOf(g, size, window);
}

/**
 * The whole-window deconvolution H = G/(|T|² + ε) (deconvolution.ts: the impulse response a sweep's
 * whole-capture measurement gives, band-tapered) over every lag of the transform. Cyclic: index j
 * is lag `lagFrom` + j, the negative lags (a sweep's harmonics) at the end. Lags up to
 * size − templateLength (relative to `lagFrom`) are free of wrap-around.
 */
export interface WholeDeconvolution {
  cyclic: Float64Array;
  /** Lag of index 0: signalStart − templateStart, frames. */
  lagFrom: number;
  templateStart: number;
  templateLength: number;
  /** The capture frames divided end here (signalStart + signalLength). */
  signalEnd: number;
  /** Where the band taper is 1. */
  lowHz: number;
  highHz: number;
}

/**
 * The correlation with `options`' weighting and the deconvolved one of the same window (the path's
 * impulse response, for its polarity), from one pair of spectra: one more inverse transform instead
 * of a second correlation's three transforms. Without `whole`, the deconvolution is the
 * 'deconvolve' weighting and each equals what crossCorrelateWindow returns for that weighting.
 * With `whole` (a sweep correlated over the whole capture), it is the regularised deconvolution
 * (WholeDeconvolution), returned over every lag as `whole` as well when `keep` is set: the sweep's
 * impulse response then needs no transform of its own.
 */
export function correlateWithImpulse(
  window: CorrelationWindow,
  options: CorrelationOptions = {},
  whole?: { sampleRate: number; keep: boolean },
): { r: Float64Array; impulse: Float64Array; whole: WholeDeconvolution | null } {
  const size = windowSize(window);
  const bins = size / 2;
  if (whole) {
    const { t, g, prefix, maxTemplatePower, maxCrossPower } = wholeSpectra(window, size);
    const band = stimulusBand(prefix, whole.sampleRate / size);
    const weighting = options.weighting ?? 'none';
    const beta = options.phatExponent ?? 1;
    const phat = weighting === 'phat';
    if (phat) checkPhatExponent(beta);
    const floor = PHAT_BAND_FLOOR * maxTemplatePower;
    const epsilon = 1e-12 * Math.sqrt(maxCrossPower) + 1e-300;
    runUnits(WHOLE_BINS, [t, g, prefix], [band.pinkLevel, phat ? 1 : 0, floor, epsilon, beta], bins + 1);
    t[size + 1] = 0;
    const valid = taperBand(t, size, whole.sampleRate, band.low, band.high);
    if (weighting === 'deconvolve') applyDeconvolution(g, g, prefix, bins);
    const r = lagsOf(g, size, window);
    const inverse = fftPlan(size).inverseReal(t, t.subarray(0, size));
    if (!whole.keep) return { r, impulse: inverse.slice(0, r.length), whole: null };
    // The work buffer itself, not a copy, when it is just this size (it is the caller's from now
    // on); a slice of a larger one is copied out, so the caller does not keep the rest of it.
    const exact = inverse.byteOffset === 0 && inverse.buffer.byteLength === (size + 2) * Float64Array.BYTES_PER_ELEMENT;
    if (exact) detachWorkBuffer(0);
    const cyclic = exact ? inverse : inverse.slice();
    return {
      r,
      impulse: cyclic.slice(0, r.length),
      whole: { cyclic, lagFrom: window.signalStart - window.templateStart, templateStart: window.templateStart, templateLength: window.templateLength, signalEnd: window.signalStart + window.signalLength, lowHz: valid.low, highHz: valid.high },
    };
  }
  const { t, g } = spectra(window, size);
  const prefix = powerPrefix(t, bins);
  // The weighted cross-spectrum goes over T (each bin of T is read before it is written), the
  // deconvolved one over G.
  weigh(t, g, t, bins, options.weighting ?? 'none', options.phatExponent ?? 1, prefix);
  const r = lagsOf(t, size, window);
  weigh(g, g, null, bins, 'deconvolve', 1, prefix);
  return { r, impulse: lagsOf(g, size, window), whole: null };
}

/**
 * dst = G weighted (see the file comment), bin by bin; `dst` may be `g` or `t` (bin k of both is
 * read before bin k of dst is written). `t` (the template spectrum) is needed by PHAT only,
 * `prefix` (powerPrefix of T) by the deconvolution only.
 */
function weigh(dst: Float64Array, g: Float64Array, t: Float64Array | null, bins: number, weighting: CorrelationWeighting, beta: number, prefix: Float64Array | null): void {
  if (weighting === 'phat') applyPhat(dst, g, t as Float64Array, bins, beta);
  else if (weighting === 'deconvolve') applyDeconvolution(dst, g, prefix as Float64Array, bins);
  else if (dst !== g) dst.set(g.subarray(0, 2 * bins + 2));
}

function checkPhatExponent(beta: number): void {
  if (!(beta > 0 && beta <= 1)) throw new RangeError(`PHAT exponent must be in (0, 1], got ${beta}`);
}

/**
 * The PHAT weight of cross-spectrum bin re + j·im: 1/(|G| + ε)^β where the template has power
 * (`inBand`: over the −60 dB floor), else 0. |G| as √(re² + im²), not Math.hypot (several times
 * slower); spectra of audio are far from where squaring would overflow or underflow.
 */
function phatWeight(re: number, im: number, inBand: boolean, epsilon: number, beta: number): number {
  if (!inBand) return 0;
  const magnitude = Math.sqrt(re * re + im * im);
  return 1 / (beta === 1 ? magnitude + epsilon : (magnitude + epsilon) ** beta);
}

function applyPhat(dst: Float64Array, g: Float64Array, t: Float64Array, bins: number, beta: number): void {
  checkPhatExponent(beta);
  let maxTemplatePower = 0;
  let maxCrossPower = 0;
  for (let k = 0; k <= bins; k++) {
    maxTemplatePower = Math.max(maxTemplatePower, t[2 * k] ** 2 + t[2 * k + 1] ** 2);
    maxCrossPower = Math.max(maxCrossPower, g[2 * k] * g[2 * k] + g[2 * k + 1] * g[2 * k + 1]);
  }
  const floor = PHAT_BAND_FLOOR * maxTemplatePower;
  const epsilon = 1e-12 * Math.sqrt(maxCrossPower) + 1e-300;
  for (let k = 0; k <= bins; k++) {
    const re = g[2 * k];
    const im = g[2 * k + 1];
    const weight = phatWeight(re, im, t[2 * k] ** 2 + t[2 * k + 1] ** 2 > floor, epsilon, beta);
    dst[2 * k] = re * weight;
    dst[2 * k + 1] = im * weight;
  }
}

/** Half-width of the envelope's band, per bin of its centre: ±1/6 octave. */
const SIXTH_OCTAVE = 2 ** (1 / 6) - 1;

/** The spectral envelope at bin k: the mean of |T|² over ±1/6 octave (at least one bin either side). */
function envelopeAt(prefix: Float64Array, bins: number, k: number): number {
  const w = Math.max(1, Math.round(k * SIXTH_OCTAVE));
  const lo = Math.max(0, k - w);
  const hi = Math.min(bins, k + w);
  return (prefix[hi + 1] - prefix[lo]) / (hi - lo + 1);
}

function applyDeconvolution(dst: Float64Array, g: Float64Array, prefix: Float64Array, bins: number): void {
  // The envelope is computed twice (for its maximum, then per bin) rather than stored: at 2^22
  // points that saves 16 MB.
  let strongest = 0;
  for (let k = 0; k <= bins; k++) strongest = Math.max(strongest, envelopeAt(prefix, bins, k));
  const floor = PHAT_BAND_FLOOR * strongest;
  for (let k = 0; k <= bins; k++) {
    const envelope = envelopeAt(prefix, bins, k);
    const weight = envelope > floor ? 1 / envelope : 0;
    dst[2 * k] = g[2 * k] * weight;
    dst[2 * k + 1] = g[2 * k + 1] * weight;
  }
}
