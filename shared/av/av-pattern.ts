/**
 * The A/V test pattern: a full-screen flash and a click per event, at coded times.
 *
 * Each event k has a time T_k on the pattern's clock. Its flash is a trapezoid of screen level
 * (0 = the dark level, 1 = the bright level): a linear ramp up over RAMP_S, a hold of HOLD_S and
 * a linear ramp down over RAMP_S, centred on T_k; its click (a band-limited pulse, the same
 * windowed sinc as the click train) is centred on T_k too. So in a recording of a chain with
 * no A/V offset the centre of each flash and its click arrive together.
 *
 * Why ramps: a camera frame integrates light over its exposure, and the integral of a linear ramp
 * over any exposure equals its value at the exposure's middle. Frames on a ramp therefore lie on a
 * straight line whatever the shutter, and the line's crossing of the half level times the ramp to
 * a fraction of a frame. The flash's centre is the mean of the rise's and the fall's crossings;
 * a static non-linearity (display gamma, the camera's tone curve, clipping) moves both crossings by
 * the same amount in opposite directions, so the centre does not move.
 *
 * Why coded times: the intervals between events are seeded and irregular (0.8–1.4 s), and no two
 * stretches of the sequence share their spacings, so a handful of consecutive flashes (or clicks)
 * identifies which events they are. Flashes and clicks are identified separately and paired by
 * event number, so offsets up to ±1 s (and beyond) are unambiguous.
 *
 * A video frame of the pattern shows the level at the middle of its frame interval, so the
 * sample-and-hold staircase a display shows is centred on the continuous ramp.
 */
import { clickShape, renderClick, type ClickShape } from '../stimulus/click-train';
import { createRandom } from '../primitives/random';

export const AV_PATTERN_VERSION = 1;
/** Ramp length of each flash edge, seconds. */
export const RAMP_S = 0.15;
/** Bright hold between the ramps, seconds. */
export const HOLD_S = 0.1;
/** Half the flash's total length (ramp + hold + ramp). */
export const FLASH_HALF_S = RAMP_S + HOLD_S / 2;
/** Event intervals are drawn uniformly from this range. */
export const MIN_INTERVAL_S = 0.8;
export const MAX_INTERVAL_S = 1.4;
/** Time of the first event on the pattern clock. */
export const FIRST_EVENT_S = 1;
/** Seed of the interval sequence: part of the pattern's definition, never changed. */
export const PATTERN_SEED = 0x4156;
/** Screen levels (0–1 of full white, in code values) of the dark and the bright state. */
export const DARK_LEVEL = 0.04;
export const BRIGHT_LEVEL = 0.82;
/** Click: band-limited pulse, 500 Hz–8 kHz (survives AAC and phone microphones), peak −3 dBFS. */
export const CLICK_LOW_HZ = 500;
export const CLICK_HIGH_HZ = 8000;
export const CLICK_LEVEL_DBFS = -3;
/** Longest pattern the generator makes, seconds. */
export const MAX_PATTERN_S = 600;
/** Two different stretches of the sequence never share this many spacings within this tolerance. */
export const IDENTIFY_TOLERANCE_S = 0.012;

/** Event times (seconds on the pattern clock) of a pattern lasting `durationS`: every flash ends 0.5 s before the end. */
export function patternEventTimes(durationS: number): number[] {
  if (!(durationS > 0 && durationS <= MAX_PATTERN_S)) throw new RangeError(`pattern duration must be in (0, ${MAX_PATTERN_S}] s, got ${durationS}`);
  const random = createRandom(PATTERN_SEED);
  const times: number[] = [];
  let t = FIRST_EVENT_S;
  while (t + FLASH_HALF_S + 0.5 <= durationS) {
    times.push(t);
    t += random.uniform(MIN_INTERVAL_S, MAX_INTERVAL_S);
  }
  return times;
}

/** The trapezoid of one flash at `dt` seconds from its centre: 0..1. */
export function flashShape(dt: number): number {
  const a = Math.abs(dt);
  if (a <= HOLD_S / 2) return 1;
  if (a >= FLASH_HALF_S) return 0;
  return (FLASH_HALF_S - a) / RAMP_S;
}

/** Screen level (code value 0–1) at pattern time `tS`, for the events `times` (sorted). */
export function patternLevelAt(times: readonly number[], tS: number): number {
  // Binary search for the event nearest to tS: flashes never overlap (intervals > 2 · FLASH_HALF_S).
  let lo = 0;
  let hi = times.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] < tS) lo = mid + 1;
    else hi = mid;
  }
  let shape = 0;
  for (const i of [lo - 1, lo]) if (i >= 0 && i < times.length) shape = Math.max(shape, flashShape(tS - times[i]));
  return DARK_LEVEL + (BRIGHT_LEVEL - DARK_LEVEL) * shape;
}

/** Level of video frame `index` at `fps`: the level at the middle of the frame's interval. */
export function patternFrameLevel(times: readonly number[], index: number, fps: number): number {
  return patternLevelAt(times, (index + 0.5) / fps);
}

/** 8-bit RGBA of a full-screen pattern frame (uniform grey: the pattern is the whole screen). */
export function renderPatternFrameRgba(times: readonly number[], index: number, fps: number, width: number, height: number, out?: Uint8Array): Uint8Array {
  const code = Math.round(255 * patternFrameLevel(times, index, fps));
  const pixels = out ?? new Uint8Array(width * height * 4);
  if (pixels.length !== width * height * 4) throw new RangeError('frame buffer size does not match width × height × 4');
  for (let i = 0; i < pixels.length; i += 4) {
    pixels[i] = code;
    pixels[i + 1] = code;
    pixels[i + 2] = code;
    pixels[i + 3] = 255;
  }
  return pixels;
}

/** The click of the pattern at `sampleRate`. */
export const patternClickShape = (sampleRate: number): ClickShape =>
  clickShape(sampleRate, { lowHz: CLICK_LOW_HZ, highHz: CLICK_HIGH_HZ, levelDbfs: CLICK_LEVEL_DBFS });

/** The pattern's audio from `startS` for `lengthFrames` frames: each click centred on its event time. */
export function renderPatternAudio(times: readonly number[], sampleRate: number, lengthFrames: number, startS = 0): Float32Array {
  const out = new Float32Array(lengthFrames);
  const shape = patternClickShape(sampleRate);
  for (const t of times) {
    const centre = (t - startS) * sampleRate;
    if (centre > -sampleRate && centre < lengthFrames + sampleRate) renderClick(out, shape, centre);
  }
  return out;
}

/** A description of the pattern for the CLI, the export's metadata and the app. */
export function describePattern(durationS: number, fps: number): string {
  const events = patternEventTimes(durationS).length;
  return `Latency Lab A/V pattern v${AV_PATTERN_VERSION}: ${events} flash + click events over ${durationS} s at ${fps} fps (ramps ${RAMP_S * 1000} ms, hold ${HOLD_S * 1000} ms, intervals ${MIN_INTERVAL_S}–${MAX_INTERVAL_S} s)`;
}
