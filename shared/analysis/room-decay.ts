/**
 * Decay times per octave band from an impulse response, after ISO 3382-1: Schroeder backward
 * integration of the band-filtered IR's energy, with the noise handled as Lundeby et al. do:
 *
 * 1. Octave band: zero-phase filter in the frequency domain with a 3rd-order Butterworth
 *    band-pass magnitude (−3 dB at fc/√2 and fc·√2, as an IEC 61260 class-1 octave filter).
 * 2. Noise: the mean energy of the band IR's last 10 % (where the IR has decayed).
 * 3. Truncation: a line through the 10 ms-averaged level from its peak down to 10 dB above the
 *    noise; the IR is integrated up to where that line meets the noise (t_c).
 * 4. Schroeder curve: E(t) = Σ_{τ=t}^{t_c} (e(τ) − noise) + noise/k, the last term the energy of the
 *    decay beyond t_c (the line's level there, the noise, over its decay rate k).
 * 5. EDT (0 to −10 dB), T20 (−5 to −25 dB), T30 (−5 to −35 dB): least-squares lines through the
 *    Schroeder curve in dB, extrapolated to 60 dB. A figure is given only when the band's peak is at
 *    least 10 dB further above the noise than its evaluation range reaches (T30: 45 dB).
 */
import { fftPlan, nextFftSize } from '../primitives/fft';
import { defineKernel, sharedArray, startUnits } from '../primitives/shared-work';
import { fitLine } from '../primitives/statistics';

export interface DecayBand {
  /** Octave centre frequency. */
  hz: number;
  edtS: number | null;
  t20S: number | null;
  t30S: number | null;
  /** Band peak (10 ms average) over its noise, dB. */
  dynamicRangeDb: number;
}

/** The lowest point a decay fit reaches (T30's), dB re the Schroeder curve's start. */
const LOWEST_FIT_DB = -35;

export const OCTAVE_CENTRES = [63, 125, 250, 500, 1000, 2000, 4000, 8000];

/** The FFT size the octave filters use for an IR of `length` samples (0.1 s of padding against wrap-around). */
const bandFftSize = (length: number, sampleRate: number): number => nextFftSize(length + Math.round(0.1 * sampleRate));

/**
 * The IR of half spectrum `spectrum` (FFT size `size`) filtered to the octave around `centreHz`,
 * into `out` (its first out.length samples); `scratch` holds size + 2 values.
 */
function filterOctave(spectrum: Float64Array, size: number, sampleRate: number, centreHz: number, out: Float64Array, scratch: Float64Array): void {
  const filtered = scratch;
  filtered[0] = 0; // bin 0 (f = 0)
  filtered[1] = 0;
  const width = Math.SQRT2 - Math.SQRT1_2;
  for (let k = 1; k <= size / 2; k++) {
    const f = (k * sampleRate) / size;
    const x = (f / centreHz - centreHz / f) / width;
    const x2 = x * x;
    const g = 1 / Math.sqrt(1 + x2 * x2 * x2);
    filtered[2 * k] = spectrum[2 * k] * g;
    filtered[2 * k + 1] = spectrum[2 * k + 1] * g;
  }
  out.set(fftPlan(size).inverseReal(filtered, filtered.subarray(0, size)).subarray(0, out.length));
}

/** This thread's filterOctave scratch, reused from band to band and held weakly (2 MB for a 4 s IR). */
let scratchRef: WeakRef<Float64Array> | null = null;

function bandScratch(length: number): Float64Array {
  let scratch = scratchRef?.deref();
  if (!scratch || scratch.length !== length) {
    scratch = new Float64Array(length);
    scratchRef = new WeakRef(scratch);
  }
  return scratch;
}

/**
 * Octave bands i in [first, end) of an IR, on whichever thread runs them (shared-work.ts): arrays
 * [the IR's half spectrum, band 0's output, band 1's, …], params [FFT size, sample rate, centre 0,
 * centre 1, …]. A band costs an inverse transform of the IR's length (8 of 2^18 points for a 4 s
 * room: 60 ms of a minute's sweep, which the helper thread halves).
 */
const OCTAVE_BANDS = defineKernel('octave-bands', (arrays, params, first, end) => {
  const [size, sampleRate] = params;
  const scratch = bandScratch(size + 2);
  for (let i = first; i < end; i++) filterOctave(arrays[0], size, sampleRate, params[2 + i], arrays[1 + i], scratch);
});

/** The IR filtered to the octave around `centreHz` (zero phase). */
export function octaveBand(h: ArrayLike<number>, sampleRate: number, centreHz: number): Float64Array {
  return octaveBands(h, sampleRate, [centreHz])[0].band;
}

/**
 * Decay times of one band IR (from the arrival on). `noiseFrom` is where the noise-only stretch
 * starts (default: the last 10 %); `noisePower`, when given, is the noise's energy per sample
 * instead (a sweep's far lags lack the treble's noise: measured there, T30 at 8 kHz read 6–35× long).
 */
export function schroederDecay(band: ArrayLike<number>, sampleRate: number, noiseFrom = Math.floor(band.length * 0.9), noisePower?: number): Omit<DecayBand, 'hz'> {
  return decayWith(band, sampleRate, noiseFrom, noisePower, decayBuffers(band.length));
}

/** schroederDecay's three working arrays (energy, Schroeder curve, its level in dB), for bands of at most `length` samples. */
interface DecayBuffers {
  e: Float64Array;
  schroeder: Float64Array;
  db: Float64Array;
}

const decayBuffers = (length: number): DecayBuffers => ({ e: new Float64Array(length), schroeder: new Float64Array(length), db: new Float64Array(length) });

/**
 * schroederDecay in `buffers` (every value it reads there it has written for this band first), so
 * that the bands of one IR share them: 8 bands of a 4 s IR would otherwise touch 40 MB of new memory.
 */
function decayWith(band: ArrayLike<number>, sampleRate: number, noiseFrom: number, noisePower: number | undefined, buffers: DecayBuffers): Omit<DecayBand, 'hz'> {
  const n = band.length;
  // Each loop over the band in a function of its own (see the README's "Hot loops get functions of their own").
  const e = squares(band, buffers.e.subarray(0, n));
  const noise = noisePower !== undefined ? noisePower : sumOf(e, noiseFrom, n) / Math.max(1, n - noiseFrom);
  const block = Math.max(1, Math.round(0.01 * sampleRate));
  const level = blockLevelsDb(e, block);
  const blocks = level.length;
  let peakBlock = 0;
  for (let b = 1; b < blocks; b++) if (level[b] > level[peakBlock]) peakBlock = b;
  const noiseDb = 10 * Math.log10(Math.max(noise, 1e-300));
  const dynamicRangeDb = level[peakBlock] - noiseDb;
  const none = { edtS: null, t20S: null, t30S: null, dynamicRangeDb };
  // Line from the peak down to 10 dB above the noise.
  const xs: number[] = [];
  const ys: number[] = [];
  for (let b = peakBlock; b < blocks && level[b] > noiseDb + 10; b++) {
    xs.push((b + 0.5) * block);
    ys.push(level[b]);
  }
  if (xs.length < 3) return none;
  const line = fitLine(xs, ys);
  if (!(line.slope < 0)) return none;
  const cross = Math.min(n, Math.max(xs[xs.length - 1], Math.round((noiseDb - line.intercept) / line.slope)));
  const k = (-line.slope * Math.LN10) / 10; // energy decay rate per sample
  const schroeder = backwardIntegral(e, noise, noise / k, buffers.schroeder.subarray(0, cross));
  const start = peakBlock * block + peakIndexIn(e, peakBlock * block, Math.min(cross, (peakBlock + 1) * block));
  const total = schroeder[start];
  if (!(total > 0)) return none;
  // The Schroeder curve in dB re its start, once (the three fits read it, without arrays per point).
  const db = schroederDb(schroeder, start, total, buffers.db.subarray(0, cross));
  const fit = (top: number, bottom: number): number | null => (dynamicRangeDb < -bottom + 10 ? null : decayFit(db, start, top, bottom, sampleRate));
  return { edtS: fit(0, -10), t20S: fit(-5, -25), t30S: fit(-5, LOWEST_FIT_DB), dynamicRangeDb };
}

/** out[i] = x[i]², i < x.length. */
function squares(x: ArrayLike<number>, out: Float64Array): Float64Array {
  for (let i = 0; i < x.length; i++) out[i] = x[i] * x[i];
  return out;
}

function sumOf(x: Float64Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += x[i];
  return sum;
}

/** The mean of each whole block of `block` values of `e`, in dB. */
function blockLevelsDb(e: Float64Array, block: number): Float64Array {
  const level = new Float64Array(Math.floor(e.length / block));
  for (let b = 0; b < level.length; b++) {
    let s = 0;
    for (let i = b * block; i < (b + 1) * block; i++) s += e[i];
    level[b] = 10 * Math.log10(Math.max(s / block, 1e-300));
  }
  return level;
}

/** out[i] = tail + Σ_{j = i}^{out.length − 1} (e[j] − noise): the Schroeder curve up to out.length. */
function backwardIntegral(e: Float64Array, noise: number, tail: number, out: Float64Array): Float64Array {
  let acc = tail;
  for (let i = out.length - 1; i >= 0; i--) {
    acc += e[i] - noise;
    out[i] = acc;
  }
  return out;
}

/**
 * The Schroeder curve in dB re its value at `start`, into `db` (as long as the curve): from `start`
 * to the first point below the lowest fit's bottom (every fit stops there), and its last point.
 */
function schroederDb(schroeder: Float64Array, start: number, total: number, db: Float64Array): Float64Array {
  const cross = schroeder.length;
  for (let i = start; i < cross; i++) {
    db[i] = 10 * Math.log10(Math.max(schroeder[i] / total, 1e-300));
    if (db[i] < LOWEST_FIT_DB) break;
  }
  db[cross - 1] = 10 * Math.log10(Math.max(schroeder[cross - 1] / total, 1e-300));
  return db;
}

/**
 * The decay time (60 dB) of the least-squares line through the Schroeder curve in dB (`db`, from
 * `start`) between `top` and `bottom` dB, as fitLine computes it (means first, then the centred
 * sums); null when the curve does not reach `bottom`, has fewer than 8 points there, or does not fall.
 */
function decayFit(db: Float64Array, start: number, top: number, bottom: number, sampleRate: number): number | null {
  const cross = db.length;
  let first = -1;
  let end = cross;
  for (let i = start; i < cross; i++) {
    const v = db[i];
    if (v > top) continue;
    if (v < bottom) {
      end = i;
      break;
    }
    if (first < 0) first = i;
  }
  if (first < 0 || db[cross - 1] > bottom) return null;
  let count = 0;
  let mx = 0;
  let my = 0;
  for (let i = first; i < end; i++) {
    if (db[i] > top) continue;
    mx += i / sampleRate;
    my += db[i];
    count++;
  }
  if (count < 8) return null;
  mx /= count;
  my /= count;
  let sxx = 0;
  let sxy = 0;
  for (let i = first; i < end; i++) {
    if (db[i] > top) continue;
    const dx = i / sampleRate - mx;
    sxx += dx * dx;
    sxy += dx * (db[i] - my);
  }
  const slope = sxy / sxx;
  return slope < 0 ? -60 / slope : null;
}

function peakIndexIn(e: Float64Array, from: number, to: number): number {
  let best = from;
  for (let i = from; i < to; i++) if (e[i] > e[best]) best = i;
  return best - from;
}

/** The octave centres whose band edges lie within [lowHz, highHz] (and below 0.45 × the rate). */
export function octaveCentresWithin(sampleRate: number, lowHz: number, highHz: number): number[] {
  return OCTAVE_CENTRES.filter((hz) => hz * Math.SQRT1_2 >= lowHz && hz * Math.SQRT2 <= Math.min(highHz, 0.45 * sampleRate));
}

/** The IR filtered to each octave in `centres` (zero phase), from one transform of the IR. */
export function octaveBands(h: ArrayLike<number>, sampleRate: number, centres: number[]): Array<{ hz: number; band: Float64Array }> {
  return startOctaveBands(h, sampleRate, centres).finish();
}

/**
 * octaveBands, started: the bands are handed to the helper thread if one runs (shared-work.ts), and
 * `finish()` computes what is left of them here and returns them all. The caller may do other work
 * in between (the room window computes the IR's envelope), but gets the bands from finish() only.
 */
export function startOctaveBands(h: ArrayLike<number>, sampleRate: number, centres: number[]): { finish(): Array<{ hz: number; band: Float64Array }> } {
  if (centres.length === 0) return { finish: () => [] };
  const size = bandFftSize(h.length, sampleRate);
  const spectrum = fftPlan(size).forwardReal(h, 0, h.length, sharedArray(size + 2));
  const bands = centres.map(() => sharedArray(h.length));
  const job = startUnits(OCTAVE_BANDS, [spectrum, ...bands], [size, sampleRate, ...centres], centres.length);
  return {
    finish: () => {
      job.finish();
      return centres.map((hz, i) => ({ hz, band: bands[i] }));
    },
  };
}

/** Decay times in every octave band whose edges lie within [lowHz, highHz]. */
export function roomDecay(h: ArrayLike<number>, sampleRate: number, lowHz: number, highHz: number): DecayBand[] {
  return decayOfBands(octaveBands(h, sampleRate, octaveCentresWithin(sampleRate, lowHz, highHz)), sampleRate);
}

/** Decay times of octave-band IRs (from `octaveBands`) that start at the arrival, each with its noise power per sample if known. */
export function decayOfBands(bands: Array<{ hz: number; band: Float64Array; noisePower?: number }>, sampleRate: number): DecayBand[] {
  const buffers = decayBuffers(Math.max(0, ...bands.map(({ band }) => band.length)));
  return bands.map(({ hz, band, noisePower }) => ({ hz, ...decayWith(band, sampleRate, Math.floor(band.length * 0.9), noisePower, buffers) }));
}
