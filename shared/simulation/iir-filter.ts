/**
 * IIR and FIR filters with their exact frequency responses: the "known filters" of synthetic test
 * paths and of the in-browser loop (the same coefficients go into an IIRFilterNode), so a
 * measured response can be checked against the analytic one.
 *
 * Biquad designs follow R. Bristow-Johnson's Audio EQ Cookbook. Coefficients are normalised
 * (a0 = 1). A filter is a cascade of sections.
 */

export interface IirSection {
  /** Feed-forward coefficients b0, b1, b2 (or any length). */
  b: number[];
  /** Feedback coefficients with a[0] = 1. */
  a: number[];
}

function normalise(b: number[], a: number[]): IirSection {
  const a0 = a[0];
  return { b: b.map((x) => x / a0), a: a.map((x) => x / a0) };
}

/** Outside these ranges the cookbook formulas give a pole outside the unit circle (or NaN). */
function validateBiquad(hz: number, sampleRate: number, q: number): void {
  if (!(sampleRate > 0 && Number.isFinite(sampleRate))) throw new RangeError(`sample rate must be positive, got ${sampleRate}`);
  if (!(hz > 0 && hz < sampleRate / 2)) throw new RangeError(`filter frequency must be between 0 and ${sampleRate / 2} Hz (exclusive), got ${hz}`);
  if (!(q > 0 && Number.isFinite(q))) throw new RangeError(`filter Q must be positive, got ${q}`);
}

/** Second-order low-pass (Q = 1/√2 is Butterworth). */
export function lowPass(cutoffHz: number, sampleRate: number, q = Math.SQRT1_2): IirSection {
  validateBiquad(cutoffHz, sampleRate, q);
  const w = (2 * Math.PI * cutoffHz) / sampleRate;
  const alpha = Math.sin(w) / (2 * q);
  const c = Math.cos(w);
  return normalise([(1 - c) / 2, 1 - c, (1 - c) / 2], [1 + alpha, -2 * c, 1 - alpha]);
}

/** Second-order high-pass (Q = 1/√2 is Butterworth). */
export function highPass(cutoffHz: number, sampleRate: number, q = Math.SQRT1_2): IirSection {
  validateBiquad(cutoffHz, sampleRate, q);
  const w = (2 * Math.PI * cutoffHz) / sampleRate;
  const alpha = Math.sin(w) / (2 * q);
  const c = Math.cos(w);
  return normalise([(1 + c) / 2, -(1 + c), (1 + c) / 2], [1 + alpha, -2 * c, 1 - alpha]);
}

/** Peaking equaliser: `gainDb` at `centreHz` with bandwidth set by Q. */
export function peaking(centreHz: number, sampleRate: number, gainDb: number, q: number): IirSection {
  validateBiquad(centreHz, sampleRate, q);
  if (!Number.isFinite(gainDb)) throw new RangeError(`peaking gain must be a finite number of dB, got ${gainDb}`);
  const w = (2 * Math.PI * centreHz) / sampleRate;
  const A = 10 ** (gainDb / 40);
  const alpha = Math.sin(w) / (2 * q);
  const c = Math.cos(w);
  return normalise([1 + alpha * A, -2 * c, 1 - alpha * A], [1 + alpha / A, -2 * c, 1 - alpha / A]);
}

/** Filters `input` through the cascade (direct form II transposed, double precision state). */
export function applyIir(sections: IirSection[], input: Float32Array): Float32Array {
  let x: Float32Array | Float64Array = input;
  const out = new Float64Array(input.length);
  for (const { b, a } of sections) {
    const order = Math.max(b.length, a.length) - 1;
    const z = new Float64Array(order + 1);
    for (let n = 0; n < x.length; n++) {
      const xn = x[n];
      const yn = (b[0] ?? 0) * xn + z[0];
      for (let k = 1; k <= order; k++) z[k - 1] = (b[k] ?? 0) * xn - (a[k] ?? 0) * yn + z[k];
      out[n] = yn;
    }
    x = Float64Array.from(out);
  }
  return Float32Array.from(x);
}

/** Complex response H(e^{jω}) of the cascade at `hz`: [re, im]. */
export function iirResponse(sections: IirSection[], hz: number, sampleRate: number): [number, number] {
  const w = (2 * Math.PI * hz) / sampleRate;
  let re = 1;
  let im = 0;
  for (const { b, a } of sections) {
    const [nr, ni] = polyAt(b, w);
    const [dr, di] = polyAt(a, w);
    const d = dr * dr + di * di;
    const hr = (nr * dr + ni * di) / d;
    const hi = (ni * dr - nr * di) / d;
    const r2 = re * hr - im * hi;
    im = re * hi + im * hr;
    re = r2;
  }
  return [re, im];
}

function polyAt(c: number[], w: number): [number, number] {
  let re = 0;
  let im = 0;
  for (let k = 0; k < c.length; k++) {
    re += c[k] * Math.cos(w * k);
    im -= c[k] * Math.sin(w * k);
  }
  return [re, im];
}

export const iirMagnitudeDb = (sections: IirSection[], hz: number, sampleRate: number): number => {
  const [re, im] = iirResponse(sections, hz, sampleRate);
  return 10 * Math.log10(re * re + im * im);
};

/** Group delay of the cascade at `hz`, in frames (numerical derivative of the unwrapped phase). */
export function iirGroupDelayFrames(sections: IirSection[], hz: number, sampleRate: number): number {
  const dHz = Math.max(1e-3, hz * 1e-6);
  const phase = (f: number): number => {
    const [re, im] = iirResponse(sections, f, sampleRate);
    return Math.atan2(im, re);
  };
  let dPhi = phase(hz + dHz) - phase(hz - dHz);
  if (dPhi > Math.PI) dPhi -= 2 * Math.PI;
  if (dPhi < -Math.PI) dPhi += 2 * Math.PI;
  return (-dPhi / (2 * Math.PI * 2 * dHz)) * sampleRate;
}

/**
 * Linear-phase band-pass FIR (Kaiser-windowed sinc, odd length). Its group delay is exactly
 * (taps − 1)/2 frames at every frequency, which makes it a filter with an unambiguous latency.
 */
export function linearPhaseBandPass(taps: number, lowHz: number, highHz: number, sampleRate: number, kaiserBeta = 8): Float32Array {
  // One tap would divide by m = 0 in the window (NaN); non-integers and even lengths have no centre tap.
  if (!(Number.isInteger(taps) && taps >= 3 && taps % 2 === 1)) throw new RangeError(`a linear-phase FIR here has an odd number of taps >= 3, got ${taps}`);
  const h = new Float32Array(taps);
  const m = (taps - 1) / 2;
  const fl = lowHz / sampleRate;
  const fh = highHz / sampleRate;
  const i0 = (x: number): number => {
    let sum = 1;
    let term = 1;
    for (let k = 1; k < 60; k++) {
      term *= (x * x) / (4 * k * k);
      sum += term;
    }
    return sum;
  };
  for (let n = 0; n < taps; n++) {
    const t = n - m;
    const ideal = t === 0 ? 2 * (fh - fl) : (Math.sin(2 * Math.PI * fh * t) - Math.sin(2 * Math.PI * fl * t)) / (Math.PI * t);
    const r = t / m;
    h[n] = ideal * (i0(kaiserBeta * Math.sqrt(Math.max(0, 1 - r * r))) / i0(kaiserBeta));
  }
  return h;
}

/** Magnitude response of an FIR in dB at `hz`. */
export function firMagnitudeDb(h: Float32Array, hz: number, sampleRate: number): number {
  const [re, im] = polyAt(Array.from(h), (2 * Math.PI * hz) / sampleRate);
  return 10 * Math.log10(re * re + im * im);
}
