/**
 * One impulse response per measurement, from the whole capture.
 *
 * The capture is first put on the reference's timeline along the latency analysis' drift line
 * (lag(f) = interceptFrames + slope·f): without drift by an integer shift, the fractional part
 * removed later as a linear phase; with drift (|slope|·span > 0.05 frame) by band-limited
 * resampling. So the arrival lands at lag 0 and the IR's phase is the excess phase.
 *
 * - Sweep ('sweep-deconvolution'): Farina's exponential-sweep deconvolution done as a spectral
 *   division of the whole capture by the whole sweep, H = Y·conj(X)/(|X|² + ε) over one FFT longer
 *   than the sweep, the IR and the harmonics put together. conj(X)/|X|² is exactly the inverse filter
 *   (Farina's time-reversed, amplitude-compensated sweep is its approximation); ε keeps the
 *   division finite outside the sweep's band. The k-th harmonic's IR arrives L·ln k before the
 *   linear one (L the sweep's rate constant), so it sits at negative lags, which the cyclic result
 *   keeps at its end: each is cut out there.
 * - Periodic pink noise ('periodic-noise'): when the capture holds at least one whole period after
 *   the room has settled (SETTLE_S after the noise starts), the capture's periods are averaged
 *   (period-synchronous averaging) and divided by the reference period's spectrum, which is exactly
 *   pink: a cyclic deconvolution, exact for any IR shorter than the period (≥ 8 s here).
 * - Noise shorter than that ('noise-deconvolution'): the whole-capture spectral division as for a
 *   sweep; exact too (the FFT is longer than stimulus plus IR), the noise is amplified where the
 *   one noise realisation's spectrum dips.
 */
import type { WholeDeconvolution } from '../dsp/cross-correlation';
import { advanceSpectrum, cyclicSliceAdvanced, divideSpectra, powerPrefix, regularisation, stimulusBand, taperBand } from '../dsp/deconvolution';
import { FftPlan, fftPlan, nextFftSize, nextPowerOfTwo, workBuffer } from '../primitives/fft';
import { resampleLinear } from '../primitives/sinc-interpolation';

export type ImpulseMethod = 'sweep-deconvolution' | 'periodic-noise' | 'noise-deconvolution';

export interface HarmonicImpulse {
  /** Harmonic order (2 = second harmonic). */
  order: number;
  /** Where its arrival is, in frames before the linear IR's. */
  advanceFrames: number;
  /** Samples from `preFrames` before its arrival. */
  h: Float64Array;
  preFrames: number;
}

export interface ImpulseMeasurement {
  sampleRate: number;
  method: ImpulseMethod;
  /** h[i] is the response (i − preFrames)/sampleRate after the measured arrival (the latency). */
  h: Float64Array;
  preFrames: number;
  /** Periods averaged (periodic noise), else null. */
  periodsAveraged: number | null;
  /** Reference frames the IR was measured from. */
  usedFrames: number;
  /** The stimulus' band, inside its edge tapers: where the IR is valid. */
  lowHz: number;
  highHz: number;
  /** Sweep only: harmonic IRs 2..MAX_HARMONIC that fit between the linear IR and the buffer's start. */
  harmonics: HarmonicImpulse[];
}

export interface ImpulseOptions {
  kind: 'noise' | 'sweep';
  /** Span of the reference where the stimulus plays. */
  startFrame: number;
  endFrame: number;
  lag: { interceptFrames: number; slope: number };
  /** Longest IR kept after the arrival, seconds. Default 4. */
  maxLengthS?: number;
  /**
   * The sweep's deconvolution as its latency analysis computed it (correlateWithImpulse): read
   * instead of computed again when it covers the sweep and enough lags after the arrival, and the
   * path does not drift (see fromWholeDeconvolution).
   */
  whole?: WholeDeconvolution | null;
}

/**
 * Time before the arrival kept in the IR, seconds: the direct sound's onset, a linear-phase path's
 * pre-ringing and that of the band tapers (zero phase; the 1/3-octave taper at 20 Hz rings ±0.25 s).
 */
export const PRE_ARRIVAL_S = 0.3;
/** Settling time before periods are averaged: a room with RT60 2.5 s has decayed 72 dB by then. */
export const SETTLE_S = 3;
export const MAX_HARMONIC = 5;
/**
 * `length` samples of `capture` on the reference's timeline from reference frame `from`: y[offset + i]
 * for i in [0, length), where indices outside `y` read as zero. Without drift that is the capture
 * itself at an integer shift (no copy), the fractional part left to remove; with drift, a resampled copy.
 */
function alignedCapture(capture: Float32Array, from: number, length: number, lag: { interceptFrames: number; slope: number }): { y: Float32Array; offset: number; fraction: number } {
  const { interceptFrames, slope } = lag;
  if (Math.abs(slope) * length > 0.05) {
    return { y: resampleLinear(capture, length, interceptFrames + (1 + slope) * from, 1 + slope), offset: 0, fraction: 0 };
  }
  const lagAt = interceptFrames + slope * (from + length / 2);
  const shift = Math.round(lagAt);
  return { y: capture, offset: from + shift, fraction: lagAt - shift };
}

/** Last reference frame whose arrival the capture still holds (+1). */
function coveredEnd(captureLength: number, lag: { interceptFrames: number; slope: number }): number {
  return Math.floor((captureLength - 1 - lag.interceptFrames) / (1 + lag.slope)) + 1;
}

/** Cyclic read of `buffer` from index `from` (may be negative), `length` samples. */
function cyclicSlice(buffer: Float64Array, from: number, length: number): Float64Array {
  const n = buffer.length;
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = buffer[(((from + i) % n) + n) % n];
  return out;
}

/** The period of a periodic reference over [start, end), checked sample by sample, or null. */
export function referencePeriod(reference: Float32Array, start: number, end: number, sampleRate: number): number | null {
  const cap = nextPowerOfTwo(8 * sampleRate);
  for (let period = cap; period >= cap / 4; period /= 2) {
    const from = start + Math.round(0.05 * sampleRate);
    const to = end - Math.round(0.05 * sampleRate) - period;
    if (to - from < 1024) continue;
    let same = true;
    let energy = 0;
    for (let j = 0; j < 257 && same; j++) {
      const i = from + Math.floor(((to - from) * j) / 256);
      const a = reference[i];
      energy += a * a;
      if (Math.abs(a - reference[i + period]) > 1e-6 * Math.max(1e-3, Math.abs(a))) same = false;
    }
    if (same && energy > 0) return period;
  }
  return null;
}

/** The sweep's rate constant L (seconds per factor e) from zero-crossing rates at two times. */
export function sweepRateConstant(reference: Float32Array, start: number, end: number, sampleRate: number): number | null {
  const frequencyAt = (centre: number, half: number): number | null => {
    let first = -1;
    let last = -1;
    let count = 0;
    for (let i = Math.max(1, centre - half); i < Math.min(reference.length, centre + half); i++) {
      if ((reference[i - 1] < 0 && reference[i] >= 0) || (reference[i - 1] >= 0 && reference[i] < 0)) {
        const t = i - 1 + reference[i - 1] / (reference[i - 1] - reference[i]);
        if (first < 0) first = t;
        last = t;
        count++;
      }
    }
    return count >= 8 ? ((count - 1) / (2 * (last - first))) * sampleRate : null;
  };
  const half = Math.round(0.05 * sampleRate);
  const t1 = start + Math.round(0.3 * (end - start));
  const t2 = start + Math.round(0.7 * (end - start));
  const f1 = frequencyAt(t1, half);
  const f2 = frequencyAt(t2, half);
  if (f1 === null || f2 === null || !(f2 > f1 * 1.05)) return null;
  return (t2 - t1) / sampleRate / Math.log(f2 / f1);
}

/** The impulse response of the path; null when the capture holds too little of the stimulus. */
export function measureImpulseResponse(reference: Float32Array, capture: Float32Array, sampleRate: number, options: ImpulseOptions): ImpulseMeasurement | null {
  const margin = Math.round(0.02 * sampleRate);
  const s0 = Math.max(0, options.startFrame - margin);
  const e0 = Math.min(reference.length, options.endFrame + margin);
  const e1 = Math.min(e0, coveredEnd(capture.length, options.lag));
  if (e1 - s0 < 4096) return null;
  const preFrames = Math.round(PRE_ARRIVAL_S * sampleRate);
  const maxLength = Math.round((options.maxLengthS ?? 4) * sampleRate);

  if (options.kind === 'noise') {
    const period = referencePeriod(reference, options.startFrame, options.endFrame, sampleRate);
    const first = options.startFrame + Math.round(SETTLE_S * sampleRate);
    const periods = period === null ? 0 : Math.floor((Math.min(e1, options.endFrame) - Math.round(0.02 * sampleRate) - first) / period);
    if (period !== null && periods >= 1) return periodicImpulse(reference, capture, sampleRate, options, period, first, periods, preFrames, Math.min(maxLength, period - 2 * preFrames));
  }

  // Whole-capture spectral division.
  const rateConstant = options.kind === 'sweep' ? sweepRateConstant(reference, options.startFrame, options.endFrame, sampleRate) : null;
  const harmonicReserve = rateConstant === null ? 0 : Math.round(rateConstant * Math.log(MAX_HARMONIC + 1) * sampleRate);
  const span = e1 - s0;
  if (options.whole && options.kind === 'sweep' && e1 === e0) {
    const read = fromWholeDeconvolution(options.whole, capture.length, sampleRate, options, { preFrames, maxLength, harmonicReserve, rateConstant, span });
    if (read) return { sampleRate, method: 'sweep-deconvolution', preFrames, periodsAveraged: null, usedFrames: span, ...read };
  }
  // Long enough for the capture over the span and the IR's tail not to wrap around, and for the
  // harmonics (at negative lags, so at the buffer's end) not to reach the linear IR.
  const size = nextFftSize(Math.max(span + maxLength + preFrames, maxLength + preFrames + harmonicReserve + 1));
  const fft = new FftPlan(size); // not kept in fftPlan's cache: used once
  // Work buffers for the two spectra: what is returned is copied out of them.
  const x = fft.forwardReal(reference, s0, span, workBuffer(0, size + 2));
  const captureFrames = Math.min(size, coveredEnd(capture.length, options.lag) - s0);
  const aligned = alignedCapture(capture, s0, Math.max(0, captureFrames), options.lag);
  const fraction = aligned.fraction;
  const spectrum = fft.forwardReal(aligned.y, aligned.offset, Math.max(0, captureFrames), workBuffer(1, size + 2));
  const binHz = sampleRate / size;
  const prefix = powerPrefix(x, size / 2);
  const band = stimulusBand(prefix, binHz);
  divideSpectra(spectrum, x, size, fraction, prefix, band.pinkLevel);
  const valid = taperBand(spectrum, size, sampleRate, band.low, band.high);
  const buffer = fft.inverseReal(spectrum, x.subarray(0, size)); // x is no longer needed
  const length = Math.min(maxLength, size - preFrames - harmonicReserve - 1) + preFrames;
  const h = cyclicSlice(buffer, -preFrames, length);
  const harmonics = harmonicsOf(rateConstant, sampleRate, (from, length) => cyclicSlice(buffer, from, length));
  return {
    sampleRate,
    method: options.kind === 'sweep' ? 'sweep-deconvolution' : 'noise-deconvolution',
    h,
    preFrames,
    periodsAveraged: null,
    usedFrames: span,
    lowHz: valid.low,
    highHz: valid.high,
    harmonics,
  };
}

/**
 * The harmonic IRs 2..MAX_HARMONIC of a sweep of rate constant L (null: none), cut from the
 * deconvolution around lag −L·ln k·sampleRate relative to the linear IR's arrival; `slice(from,
 * length)` reads the deconvolution at lags relative to that arrival.
 */
function harmonicsOf(rateConstant: number | null, sampleRate: number, slice: (from: number, length: number) => Float64Array): HarmonicImpulse[] {
  const harmonics: HarmonicImpulse[] = [];
  if (rateConstant === null) return harmonics;
  for (let order = 2; order <= MAX_HARMONIC; order++) {
    const advance = rateConstant * Math.log(order) * sampleRate;
    const gap = rateConstant * Math.log(order / (order - 1)) * sampleRate; // to the next lower order
    const pre = Math.round(Math.min(0.005 * sampleRate, 0.1 * gap));
    const len = Math.round(Math.min(0.9 * gap, 0.5 * sampleRate));
    if (len < 64) break;
    harmonics.push({ order, advanceFrames: advance, h: slice(Math.round(-advance) - pre, pre + len), preFrames: pre });
  }
  return harmonics;
}

/**
 * The linear and harmonic IRs read from the latency analysis' whole deconvolution of the sweep,
 * the fractional part of the arrival removed (cyclicSliceAdvanced); null when it cannot stand in
 * for the sweep's own: the path drifts (the capture would need resampling), its template does not
 * cover the sweep, or its lags after the arrival (free of wrap-around, short of the harmonics, with
 * the capture behind them) fall short of `maxLength` where the capture goes on.
 */
function fromWholeDeconvolution(
  whole: WholeDeconvolution,
  captureLength: number,
  sampleRate: number,
  options: ImpulseOptions,
  need: { preFrames: number; maxLength: number; harmonicReserve: number; rateConstant: number | null; span: number },
): Pick<ImpulseMeasurement, 'h' | 'lowHz' | 'highHz' | 'harmonics'> | null {
  const { interceptFrames, slope } = options.lag;
  if (Math.abs(slope) * need.span > 0.05) return null;
  if (whole.templateStart > options.startFrame || whole.templateStart + whole.templateLength < options.endFrame) return null;
  const lagAt = interceptFrames + slope * (options.startFrame + need.span / 2);
  const shift = Math.round(lagAt);
  const arrival = shift - whole.lagFrom; // the arrival's index in the cyclic buffer
  const size = whole.cyclic.length;
  // Lags after the arrival: wrap-free, clear of the harmonics (at the buffer's end, cyclically
  // before the arrival), and with the capture behind them.
  let after = Math.min(need.maxLength, size - whole.templateLength - arrival - 1, size - need.preFrames - need.harmonicReserve - 1);
  const captureEnds = whole.signalEnd >= captureLength;
  if (!captureEnds) after = Math.min(after, whole.signalEnd - (whole.templateStart + whole.templateLength + shift));
  if (after < need.maxLength) return null;
  const fraction = lagAt - shift;
  const slice = (from: number, length: number): Float64Array => cyclicSliceAdvanced(whole.cyclic, arrival + from, length, fraction);
  return {
    h: slice(-need.preFrames, need.preFrames + need.maxLength),
    lowHz: whole.lowHz,
    highHz: whole.highHz,
    harmonics: harmonicsOf(need.rateConstant, sampleRate, slice),
  };
}

function periodicImpulse(
  reference: Float32Array,
  capture: Float32Array,
  sampleRate: number,
  options: ImpulseOptions,
  period: number,
  first: number,
  periods: number,
  preFrames: number,
  maxLength: number,
): ImpulseMeasurement {
  const { y, offset, fraction } = alignedCapture(capture, first, periods * period, options.lag);
  const average = new Float64Array(period);
  for (let m = 0; m < periods; m++) {
    const start = offset + m * period;
    const to = Math.min(period, y.length - start);
    for (let i = Math.max(0, -start); i < to; i++) average[i] += y[start + i];
  }
  for (let i = 0; i < period; i++) average[i] /= periods;
  const fft = new FftPlan(period);
  const x = fft.forwardReal(reference, first, period, workBuffer(0, period + 2));
  const spectrum = fft.forwardReal(average, 0, period, workBuffer(1, period + 2));
  const prefix = powerPrefix(x, period / 2);
  const band = stimulusBand(prefix, sampleRate / period);
  divideSpectra(spectrum, x, period, fraction, prefix, band.pinkLevel);
  const valid = taperBand(spectrum, period, sampleRate, band.low, band.high);
  const buffer = fft.inverseReal(spectrum, x.subarray(0, period));
  return {
    sampleRate,
    method: 'periodic-noise',
    h: cyclicSlice(buffer, -preFrames, preFrames + maxLength),
    preFrames,
    periodsAveraged: periods,
    usedFrames: periods * period,
    lowHz: valid.low,
    highHz: valid.high,
    harmonics: [],
  };
}

/** One click of a click train as the latency analysis found it: its template in the reference and its measured latency. */
export interface ClickEvent {
  /** The click's template region in the reference, [startFrame, endFrame). */
  startFrame: number;
  endFrame: number;
  /** The click's peak in the reference. */
  anchorFrame: number;
  /** Its latency, fractional frames: where its arrival is read from. */
  lagFrames: number;
}

export interface ClickImpulseMeasurement extends Omit<ImpulseMeasurement, 'method' | 'periodsAveraged' | 'harmonics'> {
  method: 'click-averaging';
  /** Clicks averaged. */
  eventsAveraged: number;
  /**
   * The shortest spacing between consecutive clicks averaged, frames. A room's response that lasts
   * longer overlaps the next click: with irregular spacings the neighbours land at different lags in
   * every event and average down as noise, but decay times are only given within this spacing.
   */
  shortestSpacingFrames: number;
}

/**
 * Lags kept after a click's arrival, seconds (the transforms are 2^17 points at 48 kHz). Longer than
 * the clicks' spacing: a room's response that outlasts it is still measured (the neighbours' land at
 * other lags in every click and average down as noise); cut at 1 s, a room of RT60 2.5 s read 2.3 dB off.
 */
export const CLICK_IR_S = 2.4;
/** Clicks averaged at most (the ones nearest the middle of the run): the estimate's noise falls as 1/N, its cost rises as N. */
export const MAX_CLICKS_AVERAGED = 256;

/**
 * The impulse response from a click train: the averaged per-event deconvolution. Each click's
 * capture, read from the arrival given for it (integer shift, the fractional part removed as a
 * linear phase; clickEvents gives the alignment line's, see there), and its template in the
 * reference are transformed over PRE_ARRIVAL_S before to `maxLengthS` (CLICK_IR_S) after the arrival; the
 * estimate is H = Σ Y_e·conj(X_e) / (Σ |X_e|² + ε) (H1 over the events, ε as for a sweep), tapered
 * to the clicks' band. Null with no click to average.
 */
export function measureClickImpulse(reference: Float32Array, capture: Float32Array, sampleRate: number, events: ClickEvent[], options: { maxLengthS?: number } = {}): ClickImpulseMeasurement | null {
  const preFrames = Math.round(PRE_ARRIVAL_S * sampleRate);
  const size = nextPowerOfTwo(preFrames + Math.round((options.maxLengthS ?? CLICK_IR_S) * sampleRate));
  const usable = events.filter((e) => e.endFrame > e.startFrame && Number.isFinite(e.lagFrames) && Math.round(e.anchorFrame + e.lagFrames) - preFrames + size <= capture.length && Math.round(e.anchorFrame + e.lagFrames) - preFrames >= 0);
  if (usable.length === 0) return null;
  const middle = (usable[0].anchorFrame + usable[usable.length - 1].anchorFrame) / 2;
  const chosen = usable.length <= MAX_CLICKS_AVERAGED ? usable : [...usable].sort((a, b) => Math.abs(a.anchorFrame - middle) - Math.abs(b.anchorFrame - middle)).slice(0, MAX_CLICKS_AVERAGED).sort((a, b) => a.anchorFrame - b.anchorFrame);
  const plan = fftPlan(size);
  const bins = size / 2;
  const sxy = new Float64Array(size + 2);
  const sxx = new Float64Array(size + 2); // |X|² summed, in the real slots (the layout divideSpectra's loop below reads)
  const template = new Float64Array(size);
  const X = new Float64Array(size + 2);
  const Y = new Float64Array(size + 2);
  // Clicks with the same template and the same fractional arrival (every click of a path that does
  // not drift) are one term of the sum: their captures are summed sample by sample and transformed
  // once, Σ Y_e·conj(X) = (Σ y_e)^·conj(X). A drifting path's clicks each have their own fraction.
  const sum = new Float64Array(size);
  let group = 0; // clicks summed in `sum`
  let groupFraction = 0;
  const flush = (): void => {
    if (group === 0) return;
    plan.forwardReal(sum, 0, size, Y);
    advanceSpectrum(Y, size, groupFraction);
    for (let k = 0; k <= bins; k++) {
      const yr = Y[2 * k];
      const yi = Y[2 * k + 1];
      const xr = X[2 * k];
      const xi = X[2 * k + 1];
      sxy[2 * k] += yr * xr + yi * xi;
      sxy[2 * k + 1] += yi * xr - yr * xi;
      sxx[2 * k] += group * (xr * xr + xi * xi);
    }
    sum.fill(0);
    group = 0;
  };
  let previous: { from: number; lo: number; hi: number } | null = null;
  for (const e of chosen) {
    // Template: the click alone (its neighbours in the reference left out), arrival at index preFrames:
    // reference[from + lo, from + hi) at [lo, hi). Transformed only when it differs from the previous
    // click's (a click train repeats one click), which compares the click's samples only.
    const from = e.anchorFrame - preFrames;
    const lo = Math.max(e.startFrame, from, 0) - from;
    const hi = Math.max(lo, Math.min(e.endFrame, from + size, reference.length) - from);
    let sameTemplate = previous !== null && previous.lo === lo && previous.hi === hi;
    for (let i = lo; sameTemplate && i < hi; i++) sameTemplate = reference[from + i] === reference[(previous as { from: number }).from + i];
    const arrival = e.anchorFrame + e.lagFrames;
    const shift = Math.round(arrival);
    const fraction = arrival - shift;
    if (!sameTemplate || Math.abs(fraction - groupFraction) > 1e-9) {
      flush();
      if (!sameTemplate) {
        template.fill(0);
        for (let i = lo; i < hi; i++) template[i] = reference[from + i];
        plan.forwardReal(template, 0, size, X);
        previous = { from, lo, hi };
      }
      groupFraction = fraction;
    }
    const start = shift - preFrames; // within the capture (see `usable`)
    for (let i = 0; i < size; i++) sum[i] += capture[start + i];
    group++;
  }
  flush();
  // Prefix sums of Σ|X|² itself (powerPrefix would square it: it takes a complex spectrum).
  const prefix = new Float64Array(bins + 2);
  for (let k = 0; k <= bins; k++) prefix[k + 1] = prefix[k] + sxx[2 * k];
  const band = stimulusBand(prefix, sampleRate / size);
  for (let k = 0; k <= bins; k++) {
    const d = sxx[2 * k] + regularisation(prefix, k, band.pinkLevel);
    sxy[2 * k] /= d;
    sxy[2 * k + 1] /= d;
  }
  sxy[size + 1] = 0;
  const valid = taperBand(sxy, size, sampleRate, band.low, band.high);
  const buffer = plan.inverseReal(sxy, new Float64Array(size));
  let shortest = Infinity;
  for (let n = 1; n < chosen.length; n++) shortest = Math.min(shortest, chosen[n].anchorFrame - chosen[n - 1].anchorFrame);
  return {
    sampleRate,
    method: 'click-averaging',
    h: cyclicSlice(buffer, -preFrames, size),
    preFrames,
    eventsAveraged: chosen.length,
    shortestSpacingFrames: Number.isFinite(shortest) ? shortest : size,
    usedFrames: chosen.length * size,
    lowHz: valid.low,
    highHz: valid.high,
  };
}
