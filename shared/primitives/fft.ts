/**
 * The one typed wrapper around fft.js. Everything in Latency Lab that needs a Fourier transform
 * goes through `fftPlan(size)`, which caches one plan per size and keeps every buffer a
 * Float64Array (fft.js is several times slower on plain Arrays or mixed buffer types).
 *
 * Spectra of real signals are "half spectra": bins 0..size/2 interleaved as re, im, so a plan of
 * size N takes and returns Float64Arrays of length N + 2.
 */
import FFT from 'fft.js';

// Not `(n & (n - 1)) === 0`: bitwise operators truncate to 32 bits, which made 2^32 + 2 a "power of two".
export const isPowerOfTwo = (n: number): boolean => Number.isInteger(n) && n >= 2 && 2 ** Math.round(Math.log2(n)) === n;

/** Smallest power of two >= n (and >= 2). */
export function nextPowerOfTwo(n: number): number {
  if (!Number.isFinite(n) || n > 2 ** 30) throw new RangeError(`FFT length out of range: ${n}`);
  let p = 2;
  while (p < n) p *= 2;
  return p;
}

function makeFft(size: number): FFT {
  const fft = new FFT(size);
  // fft.js builds its twiddle table as a plain Array; a typed table keeps its inner loops monomorphic.
  fft.table = Float64Array.from(fft.table);
  return fft;
}

/** A real-signal FFT of one size with its own scratch buffers. Not re-entrant; cheap to share. */
export class FftPlan {
  readonly size: number;
  private readonly full: FFT;
  private readonly half: FFT | null;
  private readonly realIn: Float64Array;
  private readonly complexOut: Float64Array;
  private readonly halfIn: Float64Array;
  private readonly halfOut: Float64Array;
  private readonly cosTable: Float64Array;
  private readonly sinTable: Float64Array;

  constructor(size: number) {
    if (!isPowerOfTwo(size) || size < 4) throw new RangeError(`FFT size must be a power of two >= 4, got ${size}`);
    this.size = size;
    this.full = makeFft(size);
    this.half = makeFft(size / 2);
    this.realIn = new Float64Array(size);
    this.complexOut = new Float64Array(2 * size);
    this.halfIn = new Float64Array(size);
    this.halfOut = new Float64Array(size);
    const quarter = size / 2;
    this.cosTable = new Float64Array(quarter + 1);
    this.sinTable = new Float64Array(quarter + 1);
    for (let k = 0; k <= quarter; k++) {
      this.cosTable[k] = Math.cos((2 * Math.PI * k) / size);
      this.sinTable[k] = Math.sin((2 * Math.PI * k) / size);
    }
  }

  /**
   * Forward transform of `length` samples of `signal` starting at `offset`, zero-padded to the
   * plan size. Samples outside the signal's bounds count as zero. Returns bins 0..size/2.
   */
  forwardReal(
    signal: ArrayLike<number>,
    offset = 0,
    length = signal.length - offset,
    out: Float64Array = new Float64Array(this.size + 2),
  ): Float64Array {
    if (length > this.size) throw new RangeError(`segment of ${length} samples does not fit FFT size ${this.size}`);
    const input = this.realIn;
    input.fill(0);
    const from = Math.max(0, -offset);
    const to = Math.min(length, signal.length - offset);
    for (let i = from; i < to; i++) input[i] = signal[offset + i];
    this.full.realTransform(this.complexOut, input);
    out.set(this.complexOut.subarray(0, this.size + 2));
    return out;
  }

  /**
   * Inverse of `forwardReal`: the real signal (length size) whose half spectrum is `spectrum`.
   * Uses one complex FFT of half the size (the standard even/odd split), so it costs about as
   * much as a forward real transform.
   */
  inverseReal(spectrum: Float64Array, out: Float64Array = new Float64Array(this.size)): Float64Array {
    const n = this.size;
    const m = n / 2;
    if (spectrum.length < n + 2) throw new RangeError(`half spectrum needs ${n + 2} values, got ${spectrum.length}`);
    const z = this.halfIn;
    for (let k = 0; k < m; k++) {
      const ar = spectrum[2 * k];
      const ai = spectrum[2 * k + 1];
      const br = spectrum[2 * (m - k)];
      const bi = -spectrum[2 * (m - k) + 1];
      // Even part E = (X[k] + conj X[m-k]) / 2, odd part O = (X[k] - conj X[m-k]) / 2 * e^{+j2πk/n}
      const er = 0.5 * (ar + br);
      const ei = 0.5 * (ai + bi);
      const dr = 0.5 * (ar - br);
      const di = 0.5 * (ai - bi);
      const c = this.cosTable[k];
      const s = this.sinTable[k];
      const or = dr * c - di * s;
      const oi = dr * s + di * c;
      // Z = E + jO
      z[2 * k] = er - oi;
      z[2 * k + 1] = ei + or;
    }
    (this.half as FFT).inverseTransform(this.halfOut, z);
    const zo = this.halfOut;
    for (let i = 0; i < m; i++) {
      out[2 * i] = zo[2 * i];
      out[2 * i + 1] = zo[2 * i + 1];
    }
    return out;
  }
}

const plans = new Map<number, FftPlan>();

/** The cached plan for `size` (a power of two >= 4). */
export function fftPlan(size: number): FftPlan {
  let plan = plans.get(size);
  if (!plan) {
    plan = new FftPlan(size);
    plans.set(size, plan);
  }
  return plan;
}
