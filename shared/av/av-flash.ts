/**
 * Times each flash of the pattern in a luma signal (the screen's mean per frame) to a fraction of
 * a frame.
 *
 * (1) Rough: pulses above the half level between the signal's dark and bright levels, about as
 * wide as a flash at half height. (2) Fine, per flash: local dark levels before and after and the
 * bright level of the hold (so slow exposure changes do not matter); the frames on each ramp whose
 * normalised level is 0.12–0.88 are fitted with a straight line (a linear ramp integrated over any
 * exposure is still that line at the exposure's middle), and the line's crossing of 0.5 times the
 * edge. The flash's centre is the mean of the rise's and the fall's crossings, so a non-linear
 * tone curve moves neither. The standard error comes from the larger of the fit's residuals and
 * the signal's frame-to-frame noise.
 */
import { fitLine, lowerBound, median } from '../primitives/statistics';
import { FLASH_HALF_S, HOLD_S, RAMP_S } from './av-pattern';

export interface FlashTiming {
  /** Flash centre, seconds (the recording's timeline). */
  centreS: number;
  riseS: number;
  fallS: number;
  /** Standard error of centreS, seconds. */
  stdErrS: number;
  darkBefore: number;
  bright: number;
  darkAfter: number;
  /** Frames used on the rise and on the fall. */
  risePoints: number;
  fallPoints: number;
}

const FIT_LOW = 0.12;
const FIT_HIGH = 0.88;
/** A pulse at half height is HOLD_S + RAMP_S wide; accept a generous range around it. */
const MIN_PULSE_S = 0.6 * (HOLD_S + RAMP_S);
const MAX_PULSE_S = 1.6 * (HOLD_S + RAMP_S);

function valuesIn(signal: ArrayLike<number>, times: ArrayLike<number>, from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = lowerBound(times, from); i < times.length && times[i] <= to; i++) out.push(signal[i]);
  return out;
}

/** Robust frame-to-frame noise of a signal (standard deviation of one sample). */
export function frameNoise(signal: ArrayLike<number>): number {
  const diffs: number[] = [];
  for (let i = 1; i < signal.length; i++) diffs.push(Math.abs(signal[i] - signal[i - 1]));
  if (diffs.length === 0) return 0;
  return median(diffs) / 0.6745 / Math.SQRT2;
}

/** Rough centres (seconds) of the pulses that look like the pattern's flashes. */
export function findFlashCentres(signal: ArrayLike<number>, times: ArrayLike<number>, darkLevel: number, brightLevel: number): number[] {
  const span = brightLevel - darkLevel;
  const up = darkLevel + 0.6 * span;
  const down = darkLevel + 0.4 * span;
  const half = darkLevel + 0.5 * span;
  const crossing = (i: number): number => {
    // Time where the signal crosses `half` between frames i-1 and i.
    const a = signal[i - 1];
    const b = signal[i];
    const f = b === a ? 0.5 : Math.min(1, Math.max(0, (half - a) / (b - a)));
    return times[i - 1] + f * (times[i] - times[i - 1]);
  };
  const centres: number[] = [];
  let high = signal.length > 0 && signal[0] > up;
  let riseS = NaN;
  let halfAbove = signal.length > 0 && signal[0] > half;
  let lastHalfCrossUp = NaN;
  for (let i = 1; i < signal.length; i++) {
    const above = signal[i] > half;
    if (above && !halfAbove) lastHalfCrossUp = crossing(i);
    if (!above && halfAbove && high) {
      // Falling through half while in a pulse: the fall crossing.
      const fallS = crossing(i);
      if (Number.isFinite(riseS)) {
        const width = fallS - riseS;
        if (width >= MIN_PULSE_S && width <= MAX_PULSE_S) centres.push((riseS + fallS) / 2);
      }
    }
    halfAbove = above;
    if (!high && signal[i] > up) {
      high = true;
      riseS = lastHalfCrossUp;
    } else if (high && signal[i] < down) {
      high = false;
    }
  }
  return centres;
}

/**
 * Times the flash near `roughCentreS`. `noise` is the signal's frame-to-frame noise (one sample's
 * standard deviation). Returns null when either ramp has fewer than two usable frames or the
 * flash's levels cannot be measured.
 */
export function timeFlash(signal: ArrayLike<number>, times: ArrayLike<number>, roughCentreS: number, noise: number, framePeriodS: number): FlashTiming | null {
  let centre = roughCentreS;
  let result: FlashTiming | null = null;
  for (let iteration = 0; iteration < 2; iteration++) {
    const margin = Math.max(0.02, 0.6 * framePeriodS);
    const before = valuesIn(signal, times, centre - FLASH_HALF_S - 0.14, centre - FLASH_HALF_S - margin);
    const after = valuesIn(signal, times, centre + FLASH_HALF_S + margin, centre + FLASH_HALF_S + 0.14);
    let hold = valuesIn(signal, times, centre - HOLD_S / 2 + margin, centre + HOLD_S / 2 - margin);
    if (hold.length === 0) {
      const i = Math.min(times.length - 1, lowerBound(times, centre));
      hold = [signal[i]];
    }
    if (before.length === 0 || after.length === 0) return null;
    const darkBefore = median(before);
    const darkAfter = median(after);
    const bright = median(hold);
    if (!(bright - darkBefore > 4 * noise && bright - darkAfter > 4 * noise && bright - Math.max(darkBefore, darkAfter) >= 3)) return null;
    const rise = edge(signal, times, centre - FLASH_HALF_S - framePeriodS, centre - HOLD_S / 2 + framePeriodS, darkBefore, bright, noise);
    const fall = edge(signal, times, centre + HOLD_S / 2 - framePeriodS, centre + FLASH_HALF_S + framePeriodS, darkAfter, bright, noise);
    if (!rise || !fall || rise.slope <= 0 || fall.slope >= 0) return null;
    // The ramps last RAMP_S; a slope far from that is not a flash of the pattern (or a cut-off one).
    const expected = 1 / RAMP_S;
    for (const slope of [rise.slope, -fall.slope]) if (slope < 0.4 * expected || slope > 2.5 * expected) return null;
    const centreS = (rise.crossingS + fall.crossingS) / 2;
    result = {
      centreS,
      riseS: rise.crossingS,
      fallS: fall.crossingS,
      stdErrS: 0.5 * Math.hypot(rise.stdErrS, fall.stdErrS),
      darkBefore,
      bright,
      darkAfter,
      risePoints: rise.points,
      fallPoints: fall.points,
    };
    centre = centreS;
  }
  return result;
}

interface Edge {
  crossingS: number;
  /** Normalised level per second. */
  slope: number;
  stdErrS: number;
  points: number;
}

function edge(signal: ArrayLike<number>, times: ArrayLike<number>, from: number, to: number, dark: number, bright: number, noise: number): Edge | null {
  const x: number[] = [];
  const y: number[] = [];
  const span = bright - dark;
  for (let i = lowerBound(times, from); i < times.length && times[i] <= to; i++) {
    const u = (signal[i] - dark) / span;
    if (u >= FIT_LOW && u <= FIT_HIGH) {
      x.push(times[i]);
      y.push(u);
    }
  }
  if (x.length < 2) return null;
  const x0 = x[0];
  const xs = x.map((v) => v - x0);
  let fit;
  try {
    fit = fitLine(xs, y);
  } catch {
    return null;
  }
  if (fit.slope === 0) return null;
  const crossing = (0.5 - fit.intercept) / fit.slope;
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sxx = xs.reduce((a, b) => a + (b - mean) ** 2, 0);
  const noiseU = noise / span;
  const sigmaU = Math.max(noiseU, n > 2 && Number.isFinite(fit.residualStd) ? fit.residualStd : 0);
  const stdErrS = (sigmaU / Math.abs(fit.slope)) * Math.sqrt(1 / n + (crossing - mean) ** 2 / sxx);
  return { crossingS: x0 + crossing, slope: fit.slope, stdErrS, points: n };
}
