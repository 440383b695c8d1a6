/**
 * From an impulse response to what a speaker reviewer looks at: the energy-time curve, the step
 * response, the windows ("room": the whole IR up to where it sinks into its noise; "speaker": gated
 * before the first reflection; frequency-dependent: a window of a fixed number of cycles at every
 * frequency) and the transfer function of a windowed IR in 1/48-octave bands with a per-band
 * quality figure.
 *
 * Quality: the deconvolved IR carries the capture's noise spread over all its lags, so the part
 * after the IR has decayed is noise only. Its power spectrum, scaled to the window's energy, is
 * the noise each band of the windowed IR holds: it is subtracted from the band's power (so noise
 * does not read as level), and the band's quality is the share of its power the path explains,
 * γ² = (P − N·(1 + 2/√dof))/P clamped to 0..1, where dof = band width × window length is the number of
 * independent spectral values in the band (a band whose excess over the noise is within two of its
 * standard errors reads γ² = 0). γ² plays the role of coherence and is stored as such.
 */
import { BANDS_PER_OCTAVE, LOWEST_BAND_HZ, type SpectrumBand } from './frequency-response';
import { fftPlan, nextFftSize, nextPowerOfTwo } from '../primitives/fft';


/** Power envelope |h + j·Hilbert(h)|² (the squared analytic signal). */
export function analyticPower(h: ArrayLike<number>): Float64Array {
  // Zero-padded to about twice its length, so the Hilbert transform's 1/t kernel wraps around only
  // at −115 dB (1/(π·0.9·length)) for an IR of 4 s.
  const size = nextFftSize(Math.ceil(1.9 * h.length));
  const plan = fftPlan(size);
  const hilbert = plan.forwardReal(h, 0, h.length);
  // Analytic signal: double the positive frequencies; the imaginary part is the Hilbert transform.
  // With a half-spectrum FFT, take the inverse of −j·sign(f)·H for the Hilbert part (in place).
  for (let k = 1; k < size / 2; k++) {
    const re = hilbert[2 * k];
    hilbert[2 * k] = hilbert[2 * k + 1];
    hilbert[2 * k + 1] = -re;
  }
  hilbert[0] = 0;
  hilbert[1] = 0;
  hilbert[size] = 0;
  hilbert[size + 1] = 0;
  const q = plan.inverseReal(hilbert, hilbert.subarray(0, size));
  const out = new Float64Array(h.length);
  for (let i = 0; i < h.length; i++) out[i] = h[i] * h[i] + q[i] * q[i];
  return out;
}

/** Energy-time curve in dB re its peak. */
export function etcDb(h: ArrayLike<number>): Float64Array {
  const p = analyticPower(h);
  let peak = 0;
  for (const v of p) peak = Math.max(peak, v);
  return p.map((v) => 10 * Math.log10(Math.max(v / (peak || 1), 1e-30)));
}

/** Step response: the running sum of the IR. */
export function stepResponse(h: ArrayLike<number>): Float64Array {
  const out = new Float64Array(h.length);
  let sum = 0;
  for (let i = 0; i < h.length; i++) {
    sum += h[i];
    out[i] = sum;
  }
  return out;
}

/** Index of the largest |h|. */
export function peakIndex(h: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < h.length; i++) if (Math.abs(h[i]) > Math.abs(h[best])) best = i;
  return best;
}

export interface Truncation {
  /** One past the last sample of the room window. */
  endIndex: number;
  /** Noise power per sample of the IR's last quarter (where it has decayed), and in dB re the ETC peak. */
  noisePower: number;
  noiseDb: number;
}

/**
 * Where the IR sinks into its noise: the first 10 ms block after the arrival that, with the next
 * one, lies within 6 dB of the noise (the median block of the IR's second half), plus 10 % of the
 * way from the arrival. At least `minFrames` after the arrival.
 */
export function findTruncation(power: Float64Array, arrival: number, sampleRate: number, minFrames = Math.round(0.3 * sampleRate)): Truncation {
  const block = Math.max(1, Math.round(0.01 * sampleRate));
  const blocks = Math.floor(power.length / block);
  const means = new Float64Array(blocks);
  for (let b = 0; b < blocks; b++) {
    let s = 0;
    for (let i = b * block; i < (b + 1) * block; i++) s += power[i];
    means[b] = s / block;
  }
  const tail = Array.from(means.subarray(Math.floor(blocks / 2))).sort((a, b) => a - b);
  const noise = tail.length > 0 ? tail[Math.floor(tail.length / 2)] : 0;
  let end = blocks;
  for (let b = Math.ceil(arrival / block) + 1; b + 1 < blocks; b++) {
    if (means[b] <= noise * 10 ** 0.6 && means[b + 1] <= noise * 10 ** 0.6) {
      end = b;
      break;
    }
  }
  let peak = 0;
  for (const v of power) peak = Math.max(peak, v);
  const raw = end * block;
  const endIndex = Math.min(power.length, Math.max(arrival + minFrames, Math.round(raw + 0.1 * (raw - arrival))));
  // The envelope power is twice the IR's power per sample (h² + Hilbert²).
  return { endIndex, noisePower: noise / 2, noiseDb: 10 * Math.log10(Math.max(noise / (peak || 1), 1e-30)) };
}

/**
 * The first reflection after the arrival, from the ETC: the first sample at least 0.5 ms after the
 * peak that comes within 25 dB of it and 10 dB above the lowest ETC since the peak. Null when none
 * comes before `endIndex`.
 */
export function findFirstReflection(etc: Float64Array, arrival: number, sampleRate: number, endIndex: number): number | null {
  const from = arrival + Math.round(0.0005 * sampleRate);
  let lowest = Infinity;
  for (let i = arrival + Math.round(0.0002 * sampleRate); i < Math.min(endIndex, etc.length); i++) {
    lowest = Math.min(lowest, etc[i]);
    if (i >= from && etc[i] >= etc[arrival] - 25 && etc[i] >= lowest + 10) return i;
  }
  return null;
}

/** Tukey-like window: 0 before start, half-Hann rise over `rise`, 1, half-Hann fall over `fall` to `end`. */
export function gateWindow(length: number, start: number, end: number, rise: number, fall: number): Float64Array {
  const w = new Float64Array(length);
  for (let i = Math.max(0, start); i < Math.min(length, end); i++) {
    let g = 1;
    if (rise > 0 && i < start + rise) g *= 0.5 - 0.5 * Math.cos((Math.PI * (i - start + 0.5)) / rise);
    if (fall > 0 && i >= end - fall) g *= 0.5 - 0.5 * Math.cos((Math.PI * (end - i - 0.5)) / fall);
    w[i] = g;
  }
  return w;
}

/** Noise power spectral density of an IR's noise-only stretch: per 1/48-octave band, per sample. */
export interface NoiseSpectrum {
  psd: (hz: number) => number;
}

/** The band index of a frequency on the 1/48-octave grid from LOWEST_BAND_HZ. */
const bandIndex = (hz: number): number => Math.round(BANDS_PER_OCTAVE * Math.log2(hz / LOWEST_BAND_HZ));
const bandHz = (b: number): number => LOWEST_BAND_HZ * 2 ** (b / BANDS_PER_OCTAVE);
/** Rotations by recurrence are recomputed exactly this often (their rounding stays below 1e-13). */
const ANCHOR = 1024;

/**
 * The noise spectrum of `noise` (an IR's stretch after it has decayed, Hann-windowed), smoothed over
 * ±1/6 octave; null when shorter than 2048 samples.
 */
export function noiseSpectrum(noise: ArrayLike<number>, sampleRate: number): NoiseSpectrum | null {
  const n = noise.length;
  if (n < 2048) return null;
  const size = nextPowerOfTwo(n);
  const windowed = new Float64Array(n);
  let w2 = 0;
  for (let i = 0; i < n; i++) {
    const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 0.5)) / n);
    windowed[i] = noise[i] * w;
    w2 += w * w;
  }
  const spectrum = fftPlan(size).forwardReal(windowed, 0, n);
  const bins = size / 2;
  const binHz = sampleRate / size;
  const prefix = new Float64Array(bins + 2);
  for (let k = 0; k <= bins; k++) prefix[k + 1] = prefix[k] + (spectrum[2 * k] ** 2 + spectrum[2 * k + 1] ** 2) / w2;
  const r = 2 ** (1 / 6);
  return {
    psd: (hz: number) => {
      const lo = Math.max(1, Math.floor(hz / r / binHz));
      const hi = Math.min(bins, Math.max(lo, Math.ceil((hz * r) / binHz)));
      return (prefix[hi + 1] - prefix[lo]) / (hi - lo + 1);
    },
  };
}

export interface WindowedSpectrum {
  bands: SpectrumBand[];
  /** FFT size used. */
  fftSize: number;
}

/**
 * Transfer function of `h · window` (time 0 at `arrival`, so the phase is the excess phase beyond
 * the arrival) in 1/48-octave bands within [lowHz, highHz]: each band's power is the mean |H|² of
 * its FFT bins less the window's noise, its phase that of the bins' sum, its quality γ² as in the
 * module comment. Stored as band spectra (gxx = bins, gxy = gxx·√power·e^{jφ}, gyy = |gxy|²/(gxx·γ²)),
 * so smoothResponse, meanLevelDb and medianCoherence read them as they read Welch spectra.
 */
export function windowedSpectrum(
  h: ArrayLike<number>,
  window: Float64Array,
  arrival: number,
  sampleRate: number,
  lowHz: number,
  highHz: number,
  noise: NoiseSpectrum | null,
  options: { minFftSize?: number } = {},
): WindowedSpectrum {
  let first = 0;
  while (first < window.length && window[first] === 0) first++;
  let last = window.length;
  while (last > first && window[last - 1] === 0) last--;
  const size = Math.max(nextFftSize(last - first), nextPowerOfTwo(sampleRate), options.minFftSize ?? 0);
  const plan = fftPlan(size);
  const segment = new Float64Array(last - first);
  let w2 = 0;
  for (let i = first; i < last; i++) {
    segment[i - first] = h[i] * window[i];
    w2 += window[i] * window[i];
  }
  const spectrum = plan.forwardReal(segment, 0, segment.length);
  const binHz = sampleRate / size;
  const shift = arrival - first; // the segment's sample `shift` is time 0
  // Bins pooled per band in arrays indexed from the first band (bands come in order as k rises); a
  // bin's band index is recomputed only once it passes near the current band's upper edge. The
  // rotation e^{jφk} by recurrence, re-anchored every ANCHOR bins (rounding below 1e-13).
  const lowest = Math.max(LOWEST_BAND_HZ * 2 ** (-0.5 / BANDS_PER_OCTAVE), lowHz);
  let kFrom = Math.max(1, Math.floor(lowest / binHz));
  while (kFrom * binHz < lowest) kFrom++;
  let kTo = Math.min(size / 2 - 1, Math.ceil(highHz / binHz));
  while (kTo >= kFrom && kTo * binHz > highHz) kTo--;
  const bands: SpectrumBand[] = [];
  if (kTo < kFrom) return { bands, fftSize: size };
  const firstBand = bandIndex(kFrom * binHz);
  const bandCount = bandIndex(kTo * binHz) - firstBand + 1;
  const binsOf = new Float64Array(bandCount);
  const powerOf = new Float64Array(bandCount);
  const reOf = new Float64Array(bandCount);
  const imOf = new Float64Array(bandCount);
  const dphi = (2 * Math.PI * shift) / size;
  const stepC = Math.cos(dphi);
  const stepS = Math.sin(dphi);
  let c = 1;
  let s = 0;
  let b = -1;
  let upper = -Infinity;
  for (let k = kFrom; k <= kTo; k++) {
    const hz = k * binHz;
    if (k === kFrom || (k - kFrom) % ANCHOR === 0) {
      const phi = dphi * k;
      c = Math.cos(phi);
      s = Math.sin(phi);
    }
    if (hz >= upper) {
      b = bandIndex(hz) - firstBand;
      upper = bandHz(b + firstBand + 0.5) * (1 - 1e-12);
    }
    const re = spectrum[2 * k] * c - spectrum[2 * k + 1] * s;
    const im = spectrum[2 * k] * s + spectrum[2 * k + 1] * c;
    binsOf[b]++;
    powerOf[b] += re * re + im * im;
    reOf[b] += re;
    imOf[b] += im;
    const nc = c * stepC - s * stepS;
    s = s * stepC + c * stepS;
    c = nc;
  }
  const duration = w2 / sampleRate;
  for (let j = 0; j < bandCount; j++) {
    if (binsOf[j] === 0) continue;
    const band = { bins: binsOf[j], power: powerOf[j], re: reOf[j], im: imOf[j] };
    const hz = bandHz(j + firstBand);
    const measured = band.power / band.bins;
    const noisePower = noise ? noise.psd(hz) * w2 : 0;
    const dof = Math.max(1, hz * (2 ** (0.5 / BANDS_PER_OCTAVE) - 2 ** (-0.5 / BANDS_PER_OCTAVE)) * duration);
    // The noise's power is an estimate too: where it reaches what was measured, the band is noise
    // (its quality reads 0, so it is flagged), and the subtraction stops at 10 dB rather than
    // driving the level towards zero (a band read −138 dB in a recorded room with its own noise).
    const power = Math.max(measured - noisePower, 0.1 * measured, 1e-300);
    const quality = measured > 0 ? Math.min(1, Math.max(0, (measured - noisePower * (1 + 2 / Math.sqrt(dof))) / measured)) : 0;
    const phase = Math.atan2(band.im, band.re);
    const magnitude = band.bins * Math.sqrt(power);
    const gxyRe = magnitude * Math.cos(phase);
    const gxyIm = magnitude * Math.sin(phase);
    bands.push({ hz, bins: band.bins, gxx: band.bins, gyy: (band.bins * power) / Math.max(quality, 1e-9), gxyRe, gxyIm });
  }
  return { bands, fftSize: size };
}


export interface FdwPoint {
  hz: number;
  db: number;
  phaseDeg: number;
}

/**
 * Frequency-dependent window: at each 1/48-octave band centre f, the IR under a window of
 * `cycles`/f after the arrival (a half-Hann falling from 1 at the arrival to 0, and a half-Hann rise
 * over the `preFrames` before it), clamped to [minFrames, maxFrames], transformed at f alone.
 * Long windows at low frequencies, short ones at high frequencies: the resolution is about
 * 1/`cycles` of the frequency everywhere, and late reflections fall out of the treble.
 */
export function frequencyDependentResponse(
  h: ArrayLike<number>,
  arrival: number,
  sampleRate: number,
  lowHz: number,
  highHz: number,
  options: { cycles?: number; preFrames?: number; minFrames?: number; maxFrames?: number } = {},
): FdwPoint[] {
  const cycles = options.cycles ?? 15;
  const pre = Math.min(arrival, options.preFrames ?? Math.round(0.001 * sampleRate));
  const maxFrames = Math.min(h.length - arrival, options.maxFrames ?? h.length);
  const minFrames = Math.min(maxFrames, options.minFrames ?? Math.round(0.001 * sampleRate));
  const points: FdwPoint[] = [];
  for (let b = Math.max(0, bandIndex(lowHz)); bandHz(b) <= highHz; b++) {
    const hz = bandHz(b);
    if (hz < lowHz) continue;
    const length = Math.max(minFrames, Math.min(maxFrames, Math.round((cycles * sampleRate) / hz)));
    const omega = (2 * Math.PI * hz) / sampleRate;
    let re = 0;
    let im = 0;
    for (let n = -pre; n < 0; n++) {
      const v = h[arrival + n] * (0.5 - 0.5 * Math.cos((Math.PI * (n + pre + 0.5)) / pre));
      re += v * Math.cos(omega * n);
      im -= v * Math.sin(omega * n);
    }
    // n >= 0: e^{−jωn} and the fall's cos(πn/length) by rotation, re-anchored every ANCHOR samples.
    const stepC = Math.cos(omega);
    const stepS = Math.sin(omega);
    const fallC = Math.cos(Math.PI / length);
    const fallS = Math.sin(Math.PI / length);
    let c = 1;
    let s = 0;
    let fc = 1;
    let fs = 0;
    for (let n = 0; n < length; n++) {
      if (n % ANCHOR === 0) {
        c = Math.cos(omega * n);
        s = Math.sin(omega * n);
        fc = Math.cos((Math.PI * n) / length);
        fs = Math.sin((Math.PI * n) / length);
      }
      const v = h[arrival + n] * (0.5 + 0.5 * fc);
      re += v * c;
      im -= v * s;
      const nc = c * stepC - s * stepS;
      s = s * stepC + c * stepS;
      c = nc;
      const nf = fc * fallC - fs * fallS;
      fs = fs * fallC + fc * fallS;
      fc = nf;
    }
    points.push({ hz, db: 10 * Math.log10(Math.max(re * re + im * im, 1e-30)), phaseDeg: (Math.atan2(im, re) * 180) / Math.PI });
  }
  return points;
}

/** The room window's tail test: blocks at least this long, the share of a band's energy a cut may leave out. */
const TAIL_BLOCK_S = 0.02;
const TAIL_SHARE = 0.002;
/** ... and how many standard deviations of the noise's own sum a tail must exceed to count. */
const TAIL_SIGMAS = 5;

/**
 * Where the last significant energy of an IR ends, band by band: for each octave-band IR (all on the
 * IR's time axis), its noise is the mean block energy over [noiseFrom, end) (for a sweep also over
 * [0, preNoiseTo), the larger: see response-output.ts), times `noiseGain` at each lag where the
 * noise is not the same at every lag; the band may be cut at block j when what lies
 * after j up to `noiseFrom`, less its noise, is under TAIL_SHARE of the band's energy after the
 * arrival or under TAIL_SIGMAS standard deviations of the noise's own sum over those blocks (from
 * the spread of the noise-only blocks, measured, and that of their mean: n blocks less a mean of N
 * spread as σ·√(n + n²/N)). The latest such cut over the bands, in samples; never before
 * `arrival`. A tail that stays above the noise (a recorded IR's own noise floor, a low room mode
 * ringing on after the broadband decay has sunk into the noise) moves the cut out; noise does not.
 */
export function significantTailEnd(
  bands: Array<{ hz: number; band: ArrayLike<number> }>,
  arrival: number,
  noiseFrom: number,
  sampleRate: number,
  preNoiseTo = 0,
  noiseGain: (index: number) => number = () => 1,
): number {
  let latest = arrival;
  for (const { hz, band } of bands) {
    // Blocks of at least four correlation times of the octave band (1/bandwidth), so that their
    // energies are near independent and a sum of n of them spreads as √n.
    const block = Math.max(1, Math.round(Math.max(TAIL_BLOCK_S, 4 / ((Math.SQRT2 - Math.SQRT1_2) * hz)) * sampleRate));
    const blockEnergy = (from: number): number => {
      let s = 0;
      for (let i = from; i < Math.min(band.length, from + block); i++) s += band[i] * band[i];
      return s;
    };
    const stats = (from: number, to: number): { mean: number; sd: number; count: number } => {
      const values: number[] = [];
      for (let b = from; b + block <= to; b += block) values.push(blockEnergy(b));
      if (values.length === 0) return { mean: 0, sd: 0, count: 0 };
      const mean = values.reduce((a, v) => a + v, 0) / values.length;
      const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / Math.max(1, values.length - 1));
      return { mean, sd, count: values.length };
    };
    const far = stats(noiseFrom, band.length);
    const pre = preNoiseTo > block ? stats(0, preNoiseTo) : null;
    const noise = pre && pre.count >= 4 && pre.mean > far.mean ? pre : far;
    if (noise.count < 4) continue;
    const blocks = Math.floor((noiseFrom - arrival) / block);
    const excess = new Float64Array(blocks);
    let total = 0;
    for (let j = 0; j < blocks; j++) {
      excess[j] = blockEnergy(arrival + j * block) - noise.mean * noiseGain(arrival + (j + 0.5) * block);
      total += excess[j];
    }
    let tail = 0;
    let cut = 0;
    for (let j = blocks - 1; j >= 0; j--) {
      tail += excess[j];
      if (tail > TAIL_SHARE * total && tail > TAIL_SIGMAS * noise.sd * Math.sqrt((blocks - j) * (1 + (blocks - j) / noise.count))) {
        cut = j + 1;
        break;
      }
    }
    latest = Math.max(latest, arrival + cut * block);
  }
  return latest;
}
