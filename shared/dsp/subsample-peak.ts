/**
 * Peak picking on a correlation with sub-sample precision.
 *
 * A correlation of band-limited signals is itself band-limited, so its continuous-time values
 * between samples are given by sinc interpolation. `refinePeak` evaluates the band-limited
 * interpolant of shared/primitives/sinc-interpolation.ts (±32 taps, accurate to 0.45·fs) and finds its
 * extremum by golden-section search, which removes the bias that parabolic fitting has for
 * anything but a parabola (up to ~0.1 sample). Polarity is kept: an inverted path gives a negative
 * peak, found by its magnitude.
 */
import { interpolateAt } from '../primitives/sinc-interpolation';


export { interpolateAt };

/** Index of the largest |value| in [from, to). Returns -1 for an empty range. */
export function argMaxAbs(values: ArrayLike<number>, from = 0, to = values.length): number {
  let best = -1;
  let bestValue = -1;
  for (let i = Math.max(0, from); i < Math.min(values.length, to); i++) {
    const a = Math.abs(values[i]);
    if (a > bestValue) {
      bestValue = a;
      best = i;
    }
  }
  return best;
}

export interface RefinedPeak {
  /** Fractional index of the extremum. */
  position: number;
  /** Interpolated value there (signed). */
  value: number;
}

/**
 * Refines the integer peak `index` of `values` to the extremum of the band-limited interpolant
 * within ±1 sample. The sign of values[index] says whether a maximum or a minimum is sought.
 */
export function refinePeak(values: ArrayLike<number>, index: number): RefinedPeak {
  if (!Number.isInteger(index) || index < 0 || index >= values.length) throw new RangeError(`peak index ${index} is outside the ${values.length} values`);
  const sign = values[index] < 0 ? -1 : 1;
  const f = (x: number): number => sign * interpolateAt(values, x);
  // Golden-section search for the maximum of f on [index - 1, index + 1].
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = index - 1;
  let b = index + 1;
  let c = b - ratio * (b - a);
  let d = a + ratio * (b - a);
  let fc = f(c);
  let fd = f(d);
  while (b - a > 1e-5) {
    if (fc > fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - ratio * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + ratio * (b - a);
      fd = f(d);
    }
  }
  const position = (a + b) / 2;
  const refinedValue = f(position);
  // Never report a worse point than the sample we started from.
  if (refinedValue < sign * values[index]) return { position: index, value: values[index] };
  return { position, value: sign * refinedValue };
}
