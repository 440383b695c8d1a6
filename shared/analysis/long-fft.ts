/**
 * One-off real FFTs of whole captures (2^20..2^22 points) with bounded memory.
 *
 * `fftPlan` (primitives/fft.ts) keeps a full-size complex plan, its scratch buffers and a half-size
 * plan per size, cached for the life of the process: about 8.5·N doubles, 285 MB at N = 2^22. A
 * whole-capture deconvolution needs three transforms of one size once, so this module packs the
 * real signal into a complex one of half the length (the standard even/odd split) and uses one
 * fft.js plan of N/2 points that is dropped afterwards: about 3·N doubles (table, input, output).
 */
import FFT from 'fft.js';

export class LongRealFft {
  readonly size: number;
  private readonly fft: FFT;
  private readonly z: Float64Array;
  private readonly zo: Float64Array;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;

  constructor(size: number) {
    if (!Number.isInteger(Math.log2(size)) || size < 8) throw new RangeError(`FFT size must be a power of two >= 8, got ${size}`);
    this.size = size;
    const m = size / 2;
    this.fft = new FFT(m);
    this.fft.table = Float64Array.from(this.fft.table);
    this.z = new Float64Array(2 * m);
    this.zo = new Float64Array(2 * m);
    this.cos = new Float64Array(m + 1);
    this.sin = new Float64Array(m + 1);
    for (let k = 0; k <= m; k++) {
      this.cos[k] = Math.cos((2 * Math.PI * k) / size);
      this.sin[k] = Math.sin((2 * Math.PI * k) / size);
    }
  }

  /**
   * Half spectrum (bins 0..N/2 as re, im) of `length` samples of `signal` from `offset`, zero-padded
   * to the size; samples outside the signal read as zero.
   */
  forward(signal: ArrayLike<number>, offset = 0, length = signal.length - offset, out = new Float64Array(this.size + 2)): Float64Array {
    const n = this.size;
    const m = n / 2;
    const z = this.z;
    z.fill(0);
    const from = Math.max(0, -offset);
    const to = Math.min(length, signal.length - offset, n);
    for (let i = from; i < to; i++) z[i] = signal[offset + i]; // z[2j] = x[2j], z[2j+1] = x[2j+1]
    this.fft.transform(this.zo, z);
    const zo = this.zo;
    // X[k] = E[k] + e^{-j2πk/N}·O[k], with E = (Z[k] + conj Z[m-k])/2, O = (Z[k] − conj Z[m-k])/(2j).
    for (let k = 0; k <= m; k++) {
      const a = k % m;
      const b = (m - k) % m;
      const zr = zo[2 * a];
      const zi = zo[2 * a + 1];
      const cr = zo[2 * b];
      const ci = -zo[2 * b + 1];
      const er = 0.5 * (zr + cr);
      const ei = 0.5 * (zi + ci);
      // (Z − conj Z')/(2j): (dr + j di)/(2j) = (di − j dr)/2
      const or = 0.5 * (zi - ci);
      const oi = -0.5 * (zr - cr);
      const c = this.cos[k];
      const s = -this.sin[k];
      out[2 * k] = er + or * c - oi * s;
      out[2 * k + 1] = ei + or * s + oi * c;
    }
    return out;
  }

  /** The real signal (length N) whose half spectrum is `spectrum` (inverse of `forward`). */
  inverse(spectrum: Float64Array, out = new Float64Array(this.size)): Float64Array {
    const n = this.size;
    const m = n / 2;
    const z = this.z;
    for (let k = 0; k < m; k++) {
      const ar = spectrum[2 * k];
      const ai = spectrum[2 * k + 1];
      const br = spectrum[2 * (m - k)];
      const bi = -spectrum[2 * (m - k) + 1];
      const er = 0.5 * (ar + br);
      const ei = 0.5 * (ai + bi);
      const dr = 0.5 * (ar - br);
      const di = 0.5 * (ai - bi);
      const c = this.cos[k];
      const s = this.sin[k];
      const or = dr * c - di * s;
      const oi = dr * s + di * c;
      z[2 * k] = er - oi;
      z[2 * k + 1] = ei + or;
    }
    this.fft.inverseTransform(this.zo, z);
    out.set(this.zo.subarray(0, n));
    return out;
  }
}
