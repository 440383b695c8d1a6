/**
 * Polarity of a path from its impulse response (the deconvolved correlation around the arrival),
 * reported only when it is stable.
 *
 * The sign of the largest excursion of the impulse response at the arrival is the path's polarity.
 * Across the events of a click train or of noise, that sign is checked for agreement (see
 * latency-analysis.ts). A sweep is one event, and clock drift during it bends its impulse response:
 * a log sweep spends equal time per octave, so a drift of ε over a sweep of T seconds spanning
 * L = ln(f2/f1) delays frequency f by a·ln(f/f1) (a = ε·T/L) and turns the phase of the band around f
 * by 2π·a·f: a quarter turn (where that band's sign is lost) at 5.8 kHz for 5 ppm over a 60 s sweep
 * of 20 Hz–20 kHz, at 580 Hz for 50 ppm. The deconvolved sweep is then a chirp whose largest excursion has no particular sign.
 *
 * sweepPolarity reports the sign of a sweep's response only when two checks agree with it:
 *  - the bend undone: the response of the drifting sweep is the path's times exp(−j2π·a·f·ln(f/f1)),
 *    so it is unbent for every a in a range (one small inverse transform of a segment around the
 *    arrival per a), and the a whose response has the largest excursion (the response made compact
 *    again) must give the same sign as the response as measured;
 *  - the bandwidth: the response low-passed at cut-offs an octave apart, from a quarter of the
 *    sample rate down to 1 kHz (lower for a long sweep: down to where the largest bend searched
 *    turns the phase by 1/8 turn), must have the same sign at the arrival as the full band (a bend
 *    turns the high bands most; a real room's response bent by drift can be made compact at the
 *    wrong a, but rarely into the same sign at every bandwidth).
 * Each sign is read only when the largest excursion beats the largest of the other sign by
 * NOISE_MARGIN times the RMS of the response (so low-passed) before the arrival: the measured and
 * the compact sign must be clear, a bandwidth lost in its noise is left out.
 * Otherwise it is undecided (null): the measured sign is an artefact of the bend, or the path's own
 * response (a high-pass, a room whose arrival is a cluster of reflections) has no sign that holds
 * across its band.
 */
import { multiplySpectra } from '../dsp/convolution';
import { argMaxAbs } from '../dsp/subsample-peak';
import { fftPlan, nextPowerOfTwo } from '../primitives/fft';

/** Lags of the polarity window relative to the arrival: from 0.25 ms before it to 1 ms after it. */
export const POLARITY_WINDOW_S: readonly [number, number] = [-0.00025, 0.001];

/** The polarity window around `lagFrames`, in lags (inclusive). */
export const polarityWindow = (lagFrames: number, sampleRate: number): [number, number] => [
  Math.round(lagFrames + POLARITY_WINDOW_S[0] * sampleRate),
  Math.round(lagFrames + POLARITY_WINDOW_S[1] * sampleRate),
];

/** Largest clock drift whose bend is undone (parts per million)... */
export const MAX_DRIFT_PPM = 100;
/** ...for a sweep spanning at least this many e-folds of frequency (ln(f2/f1): 100 Hz–5.5 kHz). */
const MIN_SWEEP_SPAN = 4;
/** Lowest cut-off of the bandwidth check (Hz), unless a long sweep needs lower (see sweepPolarity). */
const LOWEST_CUTOFF_HZ = 1000;
/** Margin around the polarity window in which the undone response's largest excursion is sought. */
const SEARCH_MARGIN_S = 0.00025;

export interface SweepPolarity {
  /**
   * The sign of the response as measured: true when negative; null when its largest excursion
   * beats the largest of the other sign by less than NOISE_MARGIN times the response's noise RMS.
   */
  measuredInverted: boolean | null;
  /** The sign once the drift's bend is undone (at `dispersionS`), alike. */
  compactInverted: boolean | null;
  /** The polarity: null unless the measured sign, the compact one and every bandwidth's are all clear and agree. */
  inverted: boolean | null;
  /** The a (seconds per e-fold of frequency) whose bend, undone, gives the most compact response. */
  dispersionS: number;
  /** Largest excursion of that response over the measured one's (dB, ≥ 0). */
  compactionDb: number;
  /** The sign of the response low-passed at fs/4, fs/8, ... down to LOWEST_CUTOFF_HZ: true when negative. */
  bandwidthsInverted: Array<boolean | null>;
  /** The same, of the response unbent at `dispersionS`. */
  compactBandwidthsInverted: Array<boolean | null>;
}

/**
 * The polarity of the impulse response of one sweep of `eventFrames` frames, `impulse` (values
 * outside it read as 0) with its arrival at index `arrival` (see the file comment). a is searched
 * from −amax to amax in steps that turn the phase by at most 1/8 turn anywhere in the band, amax
 * being the bend of MAX_DRIFT_PPM over the event for a sweep spanning MIN_SWEEP_SPAN.
 */
export function sweepPolarity(impulse: ArrayLike<number>, arrival: number, sampleRate: number, eventFrames: number): SweepPolarity {
  if (!(eventFrames > 0) || !(sampleRate > 0)) throw new RangeError(`sweepPolarity needs a positive event length and rate, got ${eventFrames} frames at ${sampleRate} Hz`);
  const maxDispersionS = maxDispersionOf(eventFrames, sampleRate);
  // The segment holds the arrival bent by up to ±amax·ln(f/f_ref) (a few amax over the band) and 10 ms of the path.
  const size = nextPowerOfTwo(Math.round((0.01 + 8 * maxDispersionS) * sampleRate));
  const before = Math.round((0.002 + 4 * maxDispersionS) * sampleRate);
  const start = Math.round(arrival) - before;
  const plan = fftPlan(size);
  const spectrum = plan.forwardReal(impulse, start, size);
  const at = arrival - start;
  const [from, to] = polarityWindow(at, sampleRate);
  const margin = Math.round(SEARCH_MARGIN_S * sampleRate);
  const searchFrom = Math.max(0, from - margin);
  const searchTo = Math.min(size - 1, to + margin);
  // The noise of the response: a segment as long, ending 5 ms before this one (before the arrival,
  // and before anything the bend moves earlier); none when the impulse does not reach back so far.
  const noiseStart = start - size - Math.round(0.005 * sampleRate);
  const noiseSpectrum = noiseStart >= 0 ? plan.forwardReal(impulse, noiseStart, size) : null;
  const x0 = plan.inverseReal(Float64Array.from(spectrum));
  const noiseRms = noiseSpectrum ? rms(plan.inverseReal(Float64Array.from(noiseSpectrum))) : 0;
  const measured = signIn(x0, from, to, noiseRms);
  const measuredPeak = Math.abs(x0[argMaxAbs(x0, searchFrom, searchTo + 1)]);
  const { g, best } = bendSearch(spectrum, size, sampleRate, maxDispersionS, searchFrom, searchTo, measuredPeak);
  const bent = new Float64Array(size + 2);
  const out = new Float64Array(size);
  // The response low-passed (zero phase, raised-cosine edge over an octave) at cut-offs halving from
  // fs/4 down to 1 kHz, and lower for a long sweep: to where the largest bend searched turns the
  // phase by at most 1/8 turn, so that the lowest bandwidth keeps the path's own sign whatever the
  // drift. Read as measured (a = 0, in the polarity window) and unbent at the compact a.
  const lowestHz = Math.min(LOWEST_CUTOFF_HZ, 1 / (8 * maxDispersionS));
  // The noise RMS of each bandwidth, computed once: the measured and the unbent readings share it.
  const noiseAt = new Map<number, number>();
  const noiseRmsAt = (cutoffHz: number): number => {
    let noise = noiseAt.get(cutoffHz);
    if (noise === undefined) {
      noise = 0;
      if (noiseSpectrum) {
        lowPassed(noiseSpectrum, 0, null, cutoffHz, sampleRate, size, bent);
        noise = rms(plan.inverseReal(bent, out));
      }
      noiseAt.set(cutoffHz, noise);
    }
    return noise;
  };
  const unbent = (a: number, cutoffHz: number, windowFrom: number, windowTo: number): boolean | null => {
    const noise = noiseRmsAt(cutoffHz);
    lowPassed(spectrum, a, g, cutoffHz, sampleRate, size, bent);
    return signIn(plan.inverseReal(bent, out), windowFrom, windowTo, noise);
  };
  const compact = best.dispersionS === 0 ? measured : unbent(best.dispersionS, sampleRate, searchFrom, searchTo);
  const bandwidthSigns = (a: number, windowFrom: number, windowTo: number): Array<boolean | null> => {
    const signs: Array<boolean | null> = [];
    for (let cutoffHz = sampleRate / 4; cutoffHz >= lowestHz; cutoffHz /= 2) signs.push(unbent(a, cutoffHz, windowFrom, windowTo));
    return signs;
  };
  const bandwidthsInverted = bandwidthSigns(0, from, to);
  const compactBandwidthsInverted = best.dispersionS === 0 ? bandwidthsInverted : bandwidthSigns(best.dispersionS, searchFrom, searchTo);
  const compactionDb = measuredPeak > 0 ? 20 * Math.log10(best.peak / measuredPeak) : 0;
  // A bandwidth whose sign is lost in its noise says nothing; every other reading must agree.
  const readings = [compact, ...bandwidthsInverted, ...compactBandwidthsInverted].filter((v) => v !== null);
  return {
    measuredInverted: measured,
    compactInverted: compact,
    inverted: measured !== null && compact !== null && readings.every((v) => v === measured) ? measured : null,
    dispersionS: best.dispersionS,
    bandwidthsInverted,
    compactBandwidthsInverted,
    compactionDb,
  };
}

/** The largest bend a sweep of `eventFrames` frames can have (seconds per e-fold): MAX_DRIFT_PPM over it, spanning MIN_SWEEP_SPAN. */
const maxDispersionOf = (eventFrames: number, sampleRate: number): number => (MAX_DRIFT_PPM * 1e-6 * eventFrames) / sampleRate / MIN_SWEEP_SPAN;

/**
 * The bend search of sweepPolarity: a from −amax to amax in steps that turn the phase by at most 1/8
 * turn anywhere in the band, each a's response (`spectrum` unbent by exp(j·a·g), one inverse
 * transform of `size`) read for its largest excursion over [searchFrom, searchTo]; the a whose
 * excursion is largest (a = 0 unless one beats `measuredPeak`), and g. `coarse` > 1: every
 * coarse-th step first, then the steps around the best of those (fewer transforms, for a search
 * that only needs where the response is compact, not its sign).
 */
function bendSearch(spectrum: Float64Array, size: number, sampleRate: number, maxDispersionS: number, searchFrom: number, searchTo: number, measuredPeak: number, coarse = 1): { g: Float64Array; best: { peak: number; dispersionS: number } } {
  const plan = fftPlan(size);
  const bins = size / 2;
  // Undoing a bend of a: multiply by exp(j·a·g(f)), g(f) = 2π·f·ln(f/f_ref). With f_ref = e·fs/4 the
  // group delay it adds, −a·(ln(f/f_ref) + 1), is 0 at fs/4: where most of the band is (and most of
  // a PHAT correlation's weight), so the arrival stays near the measured one. (Kept at a sweep's
  // middle frequency instead, 632 Hz, the seminar room's unbent arrival moved 0.6 ms later: its
  // loudspeaker's own group delay there.)
  const ref = (Math.E * sampleRate) / 4;
  const g = new Float64Array(bins + 1);
  let gMax = 0;
  for (let k = 1; k < bins; k++) {
    const hz = (k * sampleRate) / size;
    g[k] = 2 * Math.PI * hz * Math.log(hz / ref);
    gMax = Math.max(gMax, Math.abs(g[k]));
  }
  // Step: at most π/4 of phase in any bin.
  const step = Math.PI / 4 / gMax;
  const steps = Math.ceil(maxDispersionS / step);
  const rotation = new Float64Array(2 * bins + 2);
  const advance = new Float64Array(2 * bins + 2);
  const bent = new Float64Array(size + 2);
  const out = new Float64Array(size);
  let best = { peak: measuredPeak, dispersionS: 0 };
  // Steps n = first, first + stride, ... (count of them, a = n·step; never 0, the measured response):
  // the rotation exp(j·a·g) set for the first and advanced bin by bin by exp(j·stride·step·g) (a
  // complex multiply per bin and step instead of a sine and cosine).
  const scan = (first: number, stride: number, count: number): void => {
    for (let k = 0; k <= bins; k++) {
      rotation[2 * k] = Math.cos(first * step * g[k]);
      rotation[2 * k + 1] = Math.sin(first * step * g[k]);
      advance[2 * k] = Math.cos(stride * step * g[k]);
      advance[2 * k + 1] = Math.sin(stride * step * g[k]);
    }
    for (let i = 0, n = first; i < count; i++, n += stride) {
      if (n !== 0) {
        multiplySpectra(spectrum, rotation, bent, bins);
        const x = plan.inverseReal(bent, out);
        const k = argMaxAbs(x, searchFrom, searchTo + 1);
        if (Math.abs(x[k]) > best.peak) best = { peak: Math.abs(x[k]), dispersionS: n * step };
      }
      multiplySpectra(rotation, advance, rotation, bins);
    }
  };
  if (coarse <= 1) {
    scan(-steps, 1, 2 * steps + 1);
  } else {
    const coarseSteps = Math.ceil(steps / coarse);
    scan(-coarseSteps * coarse, coarse, 2 * coarseSteps + 1);
    const centre = Math.round(best.dispersionS / step);
    scan(centre - coarse + 1, 1, 2 * coarse - 1);
  }
  return { g, best };
}

/**
 * A sweep's response around `center` with the drift's bend undone: the a (searched as sweepPolarity
 * searches it) whose response has the largest excursion within ±`halfWidth` frames of center, and
 * that response there: `values[i]` is the unbent response at impulse index `start + i` (values
 * outside `impulse` read as 0).
 * Under drift a sweep's response is a chirp whose excursions are no longer the path's: a sweep
 * drifting 20 ppm through the seminar room at 5 dB had a reflection's chirp 5.8 ms after the direct
 * sound's as its highest peak, and the direct sound nowhere near it; unbent, the direct sound is
 * highest again.
 */
export function unbentAround(impulse: ArrayLike<number>, center: number, halfWidth: number, sampleRate: number, eventFrames: number): { dispersionS: number; start: number; values: Float64Array } {
  if (!(eventFrames > 0) || !(sampleRate > 0)) throw new RangeError(`unbentAround needs a positive event length and rate, got ${eventFrames} frames at ${sampleRate} Hz`);
  const maxDispersionS = maxDispersionOf(eventFrames, sampleRate);
  // Room for what the bend moves: up to about 6.4·a later at 20 Hz, 0.7·a earlier at fs/2.
  const margin = Math.round((0.002 + 8 * maxDispersionS) * sampleRate);
  const size = nextPowerOfTwo(2 * halfWidth + 1 + 2 * margin);
  const start = Math.round(center) - halfWidth - margin;
  const spectrum = fftPlan(size).forwardReal(impulse, start, size);
  const from = margin;
  const to = margin + 2 * halfWidth;
  const measured = fftPlan(size).inverseReal(Float64Array.from(spectrum));
  const measuredPeak = Math.abs(measured[argMaxAbs(measured, from, to + 1)]);
  // Every fourth step first (half a turn at most between them): where the response is compact is
  // all that is read here (a minute's sweep: 53 transforms instead of 177).
  const { g, best } = bendSearch(spectrum, size, sampleRate, maxDispersionS, from, to, measuredPeak, 4);
  let response = measured;
  if (best.dispersionS !== 0) {
    const bent = new Float64Array(size + 2);
    lowPassed(spectrum, best.dispersionS, g, sampleRate, sampleRate, size, bent);
    response = fftPlan(size).inverseReal(bent);
  }
  return {
    dispersionS: best.dispersionS,
    start: start + from,
    values: response.slice(from, to + 1),
  };
}

/** out = `spectrum` (half spectrum of a transform of `size`) low-passed at `cutoffHz` (lowPassWeight) and, unless a is 0, unbent by exp(j·a·g). */
function lowPassed(spectrum: Float64Array, a: number, g: Float64Array | null, cutoffHz: number, sampleRate: number, size: number, out: Float64Array): void {
  for (let k = 0; k <= size / 2; k++) {
    const w = lowPassWeight((k * sampleRate) / size, cutoffHz);
    const cr = a === 0 || !g ? 1 : Math.cos(a * g[k]);
    const ci = a === 0 || !g ? 0 : Math.sin(a * g[k]);
    out[2 * k] = w * (spectrum[2 * k] * cr - spectrum[2 * k + 1] * ci);
    out[2 * k + 1] = w * (spectrum[2 * k] * ci + spectrum[2 * k + 1] * cr);
  }
}

/** A sign is read only when the largest excursion beats the largest of the other sign by this many noise RMS. */
const NOISE_MARGIN = 4;

/**
 * The sign of the largest excursion of x over [from, to] (true when negative), or null when it beats
 * the largest excursion of the other sign by less than NOISE_MARGIN × `noiseRms`.
 */
function signIn(x: Float64Array, from: number, to: number, noiseRms: number): boolean | null {
  let up = 0;
  let down = 0;
  for (let i = Math.max(0, from); i <= Math.min(x.length - 1, to); i++) {
    if (x[i] > up) up = x[i];
    else if (-x[i] > down) down = -x[i];
  }
  if (Math.abs(up - down) <= NOISE_MARGIN * noiseRms || up === down) return null;
  return down > up;
}

function rms(x: Float64Array): number {
  let sum = 0;
  for (const v of x) sum += v * v;
  return Math.sqrt(sum / x.length);
}

/** Zero-phase low-pass: 1 up to half the cut-off, a raised cosine to 0 at the cut-off (1 everywhere at fs/2 or above). */
function lowPassWeight(hz: number, cutoffHz: number): number {
  if (hz <= cutoffHz / 2) return 1;
  if (hz >= cutoffHz) return 0;
  return 0.5 + 0.5 * Math.cos((Math.PI * (hz - cutoffHz / 2)) / (cutoffHz / 2));
}
