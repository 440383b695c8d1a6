/**
 * Band-limited interpolation: values of a sampled signal between its samples, by a
 * Kaiser-windowed sinc of ±32 taps (β = 9). Its passband reaches 0.45·fs (pink noise and sweeps go
 * up to 0.45·fs at 44.1 kHz), where the error stays below 1e-4 of full scale. The kernel is
 * tabulated at 1/2048-sample steps and interpolated cubically between entries, so an output sample
 * costs ~66 multiply-adds.
 */

export const HALF_TAPS = 32;
const KAISER_BETA = 9;
const STEPS = 2048;

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 60; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** The Kaiser window's normalisation, I0(β). */
const I0_BETA = besselI0(KAISER_BETA);

function kernelExact(x: number): number {
  const r = x / (HALF_TAPS + 1);
  if (r <= -1 || r >= 1) return 0;
  const window = besselI0(KAISER_BETA * Math.sqrt(1 - r * r)) / I0_BETA;
  return x === 0 ? window : (window * Math.sin(Math.PI * x)) / (Math.PI * x);
}

/** kernel(|x|) sampled at x = i / STEPS for i = 0 .. (HALF_TAPS + 1)·STEPS. */
const TABLE = (() => {
  const table = new Float64Array((HALF_TAPS + 1) * STEPS + 3);
  for (let i = 0; i < table.length; i++) table[i] = kernelExact(i / STEPS);
  return table;
})();

/**
 * The kernel between table entries by cubic (Catmull-Rom) interpolation: value error O(h³) and,
 * what matters for finding a peak, derivative error O(h²) — linear interpolation's O(h) slope
 * error would move a flat-topped peak by ~2e-4 sample.
 */
function kernel(x: number): number {
  const t = Math.abs(x) * STEPS;
  const i = Math.floor(t);
  if (i >= TABLE.length - 2) return 0;
  const f = t - i;
  const p0 = i === 0 ? TABLE[1] : TABLE[i - 1]; // the kernel is even: entry -1 mirrors entry 1
  const p1 = TABLE[i];
  const p2 = TABLE[i + 1];
  const p3 = TABLE[i + 2];
  return p1 + 0.5 * f * (p2 - p0 + f * (2 * p0 - 5 * p1 + 4 * p2 - p3 + f * (3 * (p1 - p2) + p3 - p0)));
}

/** Band-limited value of `values` at fractional index `position` (samples outside read as 0). */
export function interpolateAt(values: ArrayLike<number>, position: number): number {
  const base = Math.floor(position);
  const from = Math.max(0, base - HALF_TAPS);
  const to = Math.min(values.length - 1, base + HALF_TAPS + 1);
  let sum = 0;
  for (let m = from; m <= to; m++) sum += values[m] * kernel(position - m);
  return sum;
}

/**
 * Resamples `values` along a straight timeline: out[n] = values at position `start + step·n`
 * (a clock-drift correction: step = 1 + ppm·1e-6). The fractional phase is rounded to the
 * kernel table's 1/2048-sample grid (a timing error under 2.5e-4 sample) so each output sample is
 * one dot product with weights that are recomputed only when the phase moves.
 */
export function resampleLinear(values: Float32Array, length: number, start: number, step: number): Float32Array {
  const out = new Float32Array(length);
  const taps = 2 * HALF_TAPS + 2;
  const weights = new Float64Array(taps);
  let cachedPhase = -1;
  const last = values.length - 1;
  for (let n = 0; n < length; n++) {
    const position = start + step * n;
    let base = Math.floor(position);
    let phase = Math.round((position - base) * STEPS);
    if (phase === STEPS) {
      base++;
      phase = 0;
    }
    if (phase !== cachedPhase) {
      // Weight of sample base - HALF_TAPS + m sits at distance phase/STEPS - (m - HALF_TAPS).
      for (let m = 0; m < taps; m++) weights[m] = TABLE[Math.abs(phase - (m - HALF_TAPS) * STEPS)] ?? 0;
      cachedPhase = phase;
    }
    const first = base - HALF_TAPS;
    let sum = 0;
    if (first >= 0 && first + taps - 1 <= last) {
      for (let m = 0; m < taps; m++) sum += values[first + m] * weights[m];
    } else {
      for (let m = 0; m < taps; m++) {
        const i = first + m;
        if (i >= 0 && i <= last) sum += values[i] * weights[m];
      }
    }
    out[n] = sum;
  }
  return out;
}
