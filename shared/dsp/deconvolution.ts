/**
 * Regularised deconvolution of one spectrum by another: H = Y·conj(X)/(|X|² + ε), the stimulus' band
 * found from |X|², and the band taper that keeps the impulse response from ringing at its edges.
 * Used by the whole-capture impulse response (analysis/impulse-response.ts) and by the correlation
 * that computes the same impulse response with a sweep's latency (cross-correlation.ts), so both
 * are one computation.
 *
 * ε is REGULARISATION × the reference's local power over 1/3 octave plus OUT_OF_BAND × its typical
 * pink level at that bin: small enough to leave the division exact where the stimulus plays, large
 * enough that bins it does not excite give H → 0.
 */
import { fftPlan, nextFftSize } from '../primitives/fft';

/** Regularisation: ε = this × the reference's local power (1/3 octave), plus a pink floor below. */
export const REGULARISATION = 1e-6;
/** The pink floor: ε ≥ this × the reference's typical pink level, so bins it does not excite give H → 0. */
export const OUT_OF_BAND = 1e-7;


/** Prefix sums of the half spectrum's power: prefix[k + 1] = Σ_{i <= k} |X_i|². */
export function powerPrefix(spectrum: Float64Array, bins: number): Float64Array {
  const prefix = new Float64Array(bins + 2);
  for (let k = 0; k <= bins; k++) prefix[k + 1] = prefix[k] + spectrum[2 * k] ** 2 + spectrum[2 * k + 1] ** 2;
  return prefix;
}

/**
 * Local mean of the half spectrum's power over `octaves` around bin k (1/3: the regularisation's
 * scale; 1/24: the stimulus' band edges), from its prefix sums; `ratio` is 2^(octaves/2).
 */
export function localPowerAt(prefix: Float64Array, k: number, ratio: number): number {
  const bins = prefix.length - 2;
  const lo = Math.max(0, Math.floor(k / ratio));
  const hi = Math.min(bins, Math.max(lo, Math.ceil(k * ratio)));
  return (prefix[hi + 1] - prefix[lo]) / (hi - lo + 1);
}

/** The ratio of localPowerAt for the regularisation (1/3 octave) and for the band edges (1/24 octave). */
export const REGULARISATION_RATIO = 2 ** (1 / 3 / 2);
export const BAND_EDGE_RATIO = 2 ** (1 / 24 / 2);

/** The k-th smallest of `values` (0-based), which it reorders: Hoare's selection, O(n) on average. */
export function kthSmallest(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (hi > lo) {
    const a = values[lo];
    const b = values[(lo + hi) >>> 1];
    const c = values[hi];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b; // median of three
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k];
  }
  return values[k];
}

/**
 * The band of a pink-weighted spectrum (its power's prefix sums): where its local power × f is
 * within 30 dB of its median.
 */
export function stimulusBand(prefix: Float64Array, binHz: number): { low: number; high: number; pinkLevel: number } {
  // Low edge at −30 dB, high edge at −40 dB (a sweep's fade-out rolls its top off gently).
  const bins = prefix.length - 2;
  // Each bin's local power × k; the edges are searched from either end, so they read few bins.
  const whitened = (k: number): number => localPowerAt(prefix, k, BAND_EDGE_RATIO) * k;
  // Of a long transform, every step-th bin (at most about 65536 of them: a quantile of many bins).
  const step = Math.max(1, Math.floor(bins / 65536));
  const positive = new Float64Array(Math.max(0, Math.ceil((bins - 1) / step)));
  let count = 0;
  for (let k = 1; k < bins; k += step) {
    const v = whitened(k);
    if (v > 0) positive[count++] = v;
  }
  // The median over the bins above the lowest tenth: the band's typical level (most bins are high).
  const typical = count > 0 ? kthSmallest(positive.subarray(0, count), Math.floor(count * 0.75)) : 0;
  let low = bins;
  let high = 0;
  for (let k = 1; k < bins; k++) {
    if (whitened(k) >= 1e-3 * typical) {
      low = k;
      break;
    }
  }
  for (let k = bins - 1; k >= 1; k--) {
    if (whitened(k) >= 1e-4 * typical) {
      high = k;
      break;
    }
  }
  return { low: low * binHz, high: high * binHz, pinkLevel: typical };
}

/**
 * Y·conj(X)/(|X|² + ε) into `y` (in place), with the fractional lag removed (×e^{+jωτ}). ε is
 * REGULARISATION × the local power (from the prefix sums of |X|²) plus OUT_OF_BAND × the stimulus'
 * pink level at that bin.
 */
export function divideSpectra(y: Float64Array, x: Float64Array, size: number, fraction: number, prefix: Float64Array, pinkLevel: number): void {
  const bins = size / 2;
  // e^{jφk}, φ = 2π·fraction/size, as coarse[k >> 10]·fine[k & 1023]: two small tables, not a sine and cosine per bin.
  const phi = (2 * Math.PI * fraction) / size;
  const fine = new Float64Array(2 * 1024);
  const coarse = new Float64Array(2 * ((bins >> 10) + 1));
  for (let b = 0; b < 1024; b++) {
    fine[2 * b] = Math.cos(phi * b);
    fine[2 * b + 1] = Math.sin(phi * b);
  }
  for (let a = 0; 2 * a < coarse.length; a++) {
    coarse[2 * a] = Math.cos(phi * 1024 * a);
    coarse[2 * a + 1] = Math.sin(phi * 1024 * a);
  }
  for (let k = 0; k <= bins; k++) {
    const xr = x[2 * k];
    const xi = x[2 * k + 1];
    const yr = y[2 * k];
    const yi = y[2 * k + 1];
    const eps = regularisation(prefix, k, pinkLevel);
    const d = xr * xr + xi * xi + eps;
    let hr = (yr * xr + yi * xi) / d;
    let hi = (yi * xr - yr * xi) / d;
    if (fraction !== 0) {
      const a = 2 * (k >> 10);
      const b = 2 * (k & 1023);
      const c = coarse[a] * fine[b] - coarse[a + 1] * fine[b + 1];
      const s = coarse[a] * fine[b + 1] + coarse[a + 1] * fine[b];
      const r = hr * c - hi * s;
      hi = hr * s + hi * c;
      hr = r;
    }
    y[2 * k] = hr;
    y[2 * k + 1] = hi;
  }
  y[size + 1] = 0;
}

/** Taper of the IR's band: 1/2 octave at the bottom and 1/24 octave at the top, inside the stimulus' band. */
export const LOW_TAPER_OCTAVES = 1 / 2;
export const HIGH_TAPER_OCTAVES = 1 / 24;

/**
 * Multiplies the half spectrum by a raised-cosine (in log frequency) band taper inside
 * [lowHz, highHz]: outside the stimulus there is nothing to divide by, and a spectrum cut off
 * abruptly there would make the IR ring for seconds at the band edges (a 20 Hz edge rings as 1/t).
 * Returns the band where the taper is 1.
 */
export function taperBand(spectrum: Float64Array, size: number, sampleRate: number, lowHz: number, highHz: number): { low: number; high: number } {
  const low = lowHz * 2 ** LOW_TAPER_OCTAVES;
  const high = highHz * 2 ** -HIGH_TAPER_OCTAVES;
  const bins = size / 2;
  const unity = (k: number): boolean => {
    const f = (k * sampleRate) / size;
    return f >= low && f <= high && f > lowHz && f < highHz;
  };
  const apply = (k: number): void => {
    const f = (k * sampleRate) / size;
    let g = 1;
    if (f <= lowHz || f >= highHz) g = 0;
    else if (f < low) g = 0.5 - 0.5 * Math.cos((Math.PI * Math.log2(f / lowHz)) / LOW_TAPER_OCTAVES);
    else if (f > high) g = 0.5 - 0.5 * Math.cos((Math.PI * Math.log2(highHz / f)) / HIGH_TAPER_OCTAVES);
    spectrum[2 * k] *= g;
    spectrum[2 * k + 1] *= g;
  };
  // Where the taper is 1 is one run of bins (f rises with k): only the bins below and above it are touched.
  let k = 0;
  for (; k <= bins && !unity(k); k++) apply(k);
  for (let top = bins; top > k && !unity(top); top--) apply(top);
  return { low, high };
}

/** ε at bin k: REGULARISATION × the local power over 1/3 octave plus the pink floor OUT_OF_BAND × pinkLevel / k. */
export function regularisation(prefix: Float64Array, k: number, pinkLevel: number): number {
  return REGULARISATION * localPowerAt(prefix, k, REGULARISATION_RATIO) + (OUT_OF_BAND * pinkLevel) / Math.max(k, 1) + 1e-300;
}

/**
 * `length` samples of the cyclic `buffer` from index `from` (may be negative or past its end),
 * advanced by `fraction` of a sample (−0.5..0.5: out[i] = buffer(from + i + fraction)) by a linear
 * phase over a transform of the segment and MARGIN samples either side. The buffer's content must
 * be band-limited below Nyquist (a tapered impulse response is); the segment's own ends get the
 * circular shift's error, which the margins keep outside it.
 */
export function cyclicSliceAdvanced(buffer: ArrayLike<number>, from: number, length: number, fraction: number): Float64Array {
  if (fraction === 0) {
    const out = new Float64Array(length);
    cyclicCopy(buffer, from, length, out);
    return out;
  }
  const margin = FRACTION_MARGIN;
  const size = nextFftSize(length + 2 * margin);
  const plan = fftPlan(size);
  const segment = new Float64Array(size);
  cyclicCopy(buffer, from - margin, length + 2 * margin, segment);
  const spectrum = plan.forwardReal(segment, 0, size);
  advanceSpectrum(spectrum, size, fraction);
  spectrum[size + 1] = 0;
  return plan.inverseReal(spectrum, segment).slice(margin, margin + length);
}

/** dst[i] = buffer[(from + i) mod n] for i < count, copied in contiguous runs (not a modulo per sample). */
function cyclicCopy(buffer: ArrayLike<number>, from: number, count: number, dst: Float64Array): void {
  const n = buffer.length;
  if (n === 0) throw new RangeError('cannot slice an empty cyclic buffer');
  let start = ((from % n) + n) % n;
  let done = 0;
  while (done < count) {
    const run = Math.min(count - done, n - start);
    if (buffer instanceof Float64Array || buffer instanceof Float32Array) dst.set(buffer.subarray(start, start + run), done);
    else for (let i = 0; i < run; i++) dst[done + i] = buffer[start + i];
    done += run;
    start = 0;
  }
}

/** Samples either side of a segment advanced by a fraction (cyclicSliceAdvanced): 40 ms at 48 kHz. */
const FRACTION_MARGIN = 2048;

/**
 * The half spectrum (size points) of a signal advanced by `fraction` of a sample, in place: each bin
 * k times e^{j2π·fraction·k/size}, by rotation re-anchored every 1024 bins (rounding below 1e-13).
 */
export function advanceSpectrum(spectrum: Float64Array, size: number, fraction: number): void {
  const phi = (2 * Math.PI * fraction) / size;
  const stepC = Math.cos(phi);
  const stepS = Math.sin(phi);
  let c = 1;
  let s = 0;
  for (let k = 0; k <= size / 2; k++) {
    if ((k & 1023) === 0) {
      c = Math.cos(phi * k);
      s = Math.sin(phi * k);
    }
    const re = spectrum[2 * k];
    const im = spectrum[2 * k + 1];
    spectrum[2 * k] = re * c - im * s;
    spectrum[2 * k + 1] = re * s + im * c;
    const nc = c * stepC - s * stepS;
    s = s * stepC + c * stepS;
    c = nc;
  }
}
