/**
 * The machinery of the latency analysis (latency-analysis.ts): one event correlated and measured
 * to a fraction of a sample with its peak-to-noise ratio, ambiguity and nearby lobes; the
 * acquisition of a stretch of events over the whole latency range; the tracking of every event
 * around its predicted arrival (one prediction per mode of an alternating path), with
 * re-acquisition after repeated misses; and the explanation of a failed acquisition.
 */
import { refusal, type Refusal } from './analysis-refusal';
import { correlateWithImpulse, type CorrelationWeighting, crossCorrelateWindow, type WholeDeconvolution } from '../dsp/cross-correlation';
import { argMaxAbs, refinePeak } from '../dsp/subsample-peak';
import { nextFftSize } from '../primitives/fft';
import { amplitudeToDb, peakAbs, powerToDb } from '../primitives/signal-level';
import { fitLine } from '../primitives/statistics';
import type { EventResult, EventStatus } from './latency-analysis';
import { polarityWindow, sweepPolarity, unbentAround } from './polarity';
import type { StimulusEvent } from './stimulus-layout';

export const msText = (frames: number, rate: number, digits = 1): string => ((frames / rate) * 1000).toFixed(digits);

const smoothstep = (edge0: number, edge1: number, x: number): number => {
  const t = Math.min(1, Math.max(0, (x - edge0) / (edge1 - edge0)));
  return t * t * (3 - 2 * t);
};

/**
 * How far above its RMS the largest of `lags` correlation values of pure noise typically reaches:
 * √(2 ln n) for n roughly independent Gaussian values, in dB (12.5 dB for 8000 lags).
 */
export const noisePeakDb = (lags: number): number => amplitudeToDb(Math.sqrt(2 * Math.log(Math.max(lags, 3))));

/**
 * Confidence of one event: 0 until the peak stands 3 dB above what noise alone reaches in a
 * window of `lags` correlation values, rising smoothly to 1 at 12 dB above it; times a factor that
 * falls from 1 at an ambiguity of 0.8 to 0 at 0.95 (a second peak 95 % as high as the first). A
 * strong single reflection (0.5-0.8 of the direct sound) is normal in rooms and does not count
 * against an event; two arrivals of nearly equal height do.
 */
export function eventConfidence(peakToNoiseDb: number, ambiguity: number, lags: number): number {
  const floor = noisePeakDb(lags);
  return smoothstep(floor + 3, floor + 12, peakToNoiseDb) * smoothstep(0.95, 0.8, ambiguity);
}

export const MISSES_BEFORE_REACQUIRE = 4;
/** Events whose polarity is read, at most (every k-th of a longer run). */
export const MAX_POLARITY_EVENTS = 48;
export const SILENT_PEAK = 10 ** (-90 / 20);
/** A candidate alignment is accepted when at least this share of its stretch's events confirm it... */
const ACQUIRE_MIN_SUPPORT = 0.5;
/** ...and a second confirmed candidate with this much of its correlation energy makes it ambiguous. */
export const ACQUIRE_MAX_AMBIGUITY = 0.8;
/**
 * Two or more events (but under half) confirming a candidate: the stimulus is there but could not
 * be aligned. A false alignment of the irregular click pattern lines up at most one click.
 */
const WEAK_SUPPORT_EVENTS = 2;

export interface Setup {
  reference: Float32Array;
  capture: Float32Array;
  events: StimulusEvent[];
  weighting: CorrelationWeighting;
  phatExponent: number;
  sampleRate: number;
  minEventConfidence: number;
  /**
   * Correlations of single events over the whole latency range, kept from acquisition with their
   * impulse response (the deconvolved correlation, for the polarity): a long event (a sweep) is
   * then measured from them instead of being correlated again, and judged on the whole range.
   */
  wideCorrelations: Map<number, { r: Float64Array; impulse: Float64Array; lagFrom: number }>;
  /**
   * A sweep: its correlation over the whole latency range also gives its regularised deconvolution
   * (see correlateWithImpulse), which its polarity is read from; with `keepWhole`, over every lag
   * (`whole`), for its impulse response to be read from instead of being computed again.
   */
  sweep: boolean;
  keepWhole: boolean;
  whole: WholeDeconvolution | null;
}

interface Measurement {
  lagFrames: number;
  peakToNoiseDb: number;
  ambiguity: number;
  /** Number of lags searched. */
  lags: number;
  /** Lags (frames) of other lobes near the peak and nearly as high: candidates for the arrival. */
  lobes: number[];
  /** The correlation this was read from (not a copy): value k is at lag `lagFrom` + k. */
  correlation: { r: Float64Array; lagFrom: number };
  /** The deconvolved correlation over the same lags, when it was computed with it (see invertedAt). */
  impulse: Float64Array | null;
}

/** Half-width of the correlation kept around each measured arrival, for the peak chart. */
export const KEPT_CORRELATION_HALF_S = 0.005;

/**
 * The correlation within ±KEPT_CORRELATION_HALF_S of the peak, copied out of the event's
 * correlation (so the peak chart needs no second correlation); null when the searched window
 * does not reach that far on both sides.
 */
function keptCorrelation(m: Measurement, sampleRate: number): { fromLagFrames: number; values: Float32Array } | null {
  const half = Math.round(KEPT_CORRELATION_HALF_S * sampleRate);
  const from = Math.round(m.lagFrames) - half;
  const start = from - m.correlation.lagFrom;
  if (start < 0 || start + 2 * half + 1 > m.correlation.r.length) return null;
  return { fromLagFrames: from, values: Float32Array.from(m.correlation.r.subarray(start, start + 2 * half + 1)) };
}

/**
 * Peaks within this distance of the main one belong to the same path (its own lobes, an early
 * reflection ~2.7 m of path or less): nearly equal ones make the arrival ambiguous (a warning and
 * a wider interval), not the event unclear. Farther ones are other arrivals (two speakers).
 */
export const ARRIVAL_NEIGHBOURHOOD_S = 0.008;
/** How far a lobe's measured position moves with the stimulus and the noise (see AMBIGUOUS_ARRIVAL). */
export const LOBE_POSITION_TOLERANCE_S = 0.00002;
/** Fewest lags of a window that is read from an event's wide correlation (see measureEvent). */
const MIN_WIDE_OVERLAP = 8;
/** How far from the arrival a sweep's unbent response's largest excursion must lie to be a candidate (see measureEvent). */
const UNBENT_CANDIDATE_S = 0.002;

/** A lobe within 1 ms at least this high relative to the peak is a candidate for the arrival... */
const NEAR_LOBE_RATIO = 0.7;
/** ...and one from 1 ms to ARRIVAL_NEIGHBOURHOOD_S away, this high (where event confidence starts to fall). */
const FAR_LOBE_RATIO = 0.8;

/**
 * The correlation of reference[templateStart, templateEnd) with the capture over lags [lagFrom, lagTo]
 * (fewer at the end of the capture), with the analysis' weighting unless another is given.
 */
function correlate(
  s: Setup, templateStart: number, templateEnd: number, lagFrom: number, lagTo: number,
  { weighting = s.weighting, impulse = 'never', whole = null }: { weighting?: CorrelationWeighting; impulse?: 'never' | 'always' | 'when-cheaper'; whole?: { keep: boolean } | null } = {},
): { r: Float64Array; impulse: Float64Array | null; signalStart: number; whole?: WholeDeconvolution | null } | null {
  const templateLength = templateEnd - templateStart;
  const signalStart = templateStart + lagFrom;
  const signalEnd = Math.min(s.capture.length, templateEnd + lagTo);
  const signalLength = signalEnd - signalStart;
  if (signalLength < templateLength + 8) return null;
  const window = { template: s.reference, templateStart, templateLength, signal: s.capture, signalStart, signalLength };
  const options = { weighting, phatExponent: s.phatExponent };
  if (whole) {
    // The capture read as far as the transform reaches (its size unchanged): the impulse response
    // needs lags past the search range. The lags searched are those of the window asked for.
    const reach = Math.min(s.capture.length - signalStart, nextFftSize(signalLength));
    const c = correlateWithImpulse({ ...window, signalLength: Math.max(signalLength, reach) }, options, { sampleRate: s.sampleRate, keep: whole.keep });
    const lags = signalLength - templateLength + 1;
    return { r: c.r.slice(0, lags), impulse: c.impulse.slice(0, lags), signalStart, whole: c.whole };
  }
  // The impulse response from the same spectra costs one inverse transform of this window's size;
  // its own correlation (invertedAt) three transforms of the template plus a few lags, which for a
  // long template are nearly as large (pink noise: one of 16384 points instead of three of 12288,
  // on 42 segments of a minute; a click's are tiny: three of 384 points, not one of 8192).
  const transformCost = (n: number): number => n * Math.log2(n);
  const withImpulse = impulse === 'always' || (impulse === 'when-cheaper' && transformCost(nextFftSize(signalLength)) < 3 * transformCost(nextFftSize(templateLength + polarityLags(s.sampleRate))));
  if (!withImpulse) return { r: crossCorrelateWindow(window, options), impulse: null, signalStart };
  return { ...correlateWithImpulse(window, options), signalStart };
}

/**
 * unbentAround of a sweep's wide response around k, computed once per response and k (the rest of
 * its arguments are the one event's): the event is measured again in narrower windows of the same
 * response (acquired, then tracked), each finding the same peak, and each search took 5–17 ms of a
 * minute's sweep.
 */
const unbentCache = new WeakMap<Float64Array, Map<number, ReturnType<typeof unbentAround>>>();

function unbentOnce(impulse: Float64Array, k: number, halfWidth: number, sampleRate: number, eventFrames: number): ReturnType<typeof unbentAround> {
  let byPeak = unbentCache.get(impulse);
  if (!byPeak) {
    byPeak = new Map();
    unbentCache.set(impulse, byPeak);
  }
  let unbent = byPeak.get(k);
  if (!unbent) {
    unbent = unbentAround(impulse, k, halfWidth, sampleRate, eventFrames);
    byPeak.set(k, unbent);
  }
  return unbent;
}

/**
 * Lobes of `x` near its peak at k: local maxima within ±guard (and [from, to)), separated from the
 * peak by a dip, nearly as high (NEAR_LOBE_RATIO within `near`, FAR_LOBE_RATIO beyond): indices.
 */
function lobesAround(x: Float64Array, k: number, from: number, to: number, guard: number, near: number): number[] {
  const lobes: number[] = [];
  for (let i = Math.max(from + 1, k - guard); i <= Math.min(to - 2, k + guard); i++) {
    const a = Math.abs(x[i]);
    const ratio = Math.abs(i - k) <= near ? NEAR_LOBE_RATIO : FAR_LOBE_RATIO;
    if (Math.abs(i - k) < 2 || a < ratio * Math.abs(x[k]) || a < Math.abs(x[i - 1]) || a < Math.abs(x[i + 1])) continue;
    let dip = Infinity;
    for (let j = Math.min(i, k) + 1; j < Math.max(i, k); j++) dip = Math.min(dip, Math.abs(x[j]));
    if (dip < 0.95 * a) lobes.push(i);
  }
  return lobes;
}

/**
 * One event over lags [lagFrom, lagTo]: the sharpest correlation peak, refined to a fraction of a
 * sample. Peak-to-noise: the peak over the RMS of the correlation farther than 1 ms from it.
 * Ambiguity: the largest other local peak in the window farther than ARRIVAL_NEIGHBOURHOOD_S
 * (nearer ones are the path's own lobes, returned as `lobes`), over the main one (1 when the peak
 * sits on the window's edge, where the true peak may lie outside). Null when the window does not
 * fit in the capture.
 *
 * An event correlated over the whole latency range at acquisition (a sweep) is judged on the
 * evidence of that whole range: its peak is searched in the window, but the noise it must stand
 * above is the RMS of the whole correlation (and the count of lags, for what noise alone reaches,
 * is the whole range's). A narrow window of a reverberant path holds little but the room's own
 * response around the arrival, which is no noise: judged on it alone, a sweep whose whole-capture
 * correlation is conclusive (30 dB above its noise in a seminar room at 5 dB SNR) was refused.
 * `impulse`: also compute the deconvolved correlation when that is cheaper than invertedAt's own.
 */
function measureEvent(s: Setup, index: number, lagFrom: number, lagTo: number, impulse: 'never' | 'when-cheaper' = 'never'): Measurement | null {
  const e = s.events[index];
  let r: Float64Array;
  let rLagFrom: number;
  let impulseR: Float64Array | null;
  let from = 0;
  let to: number;
  const wide = s.wideCorrelations.get(index);
  // The wide correlation covers the whole latency range searched: a window reaching past it is
  // read where they overlap (lags outside the range are not searched).
  const wideFrom = wide ? Math.max(0, lagFrom - wide.lagFrom) : 0;
  const wideTo = wide ? Math.min(wide.r.length, lagTo - wide.lagFrom + 1) : 0;
  if (wide && wideTo - wideFrom >= MIN_WIDE_OVERLAP) {
    ({ r, impulse: impulseR } = wide);
    rLagFrom = wide.lagFrom;
    from = wideFrom;
    to = wideTo;
  } else {
    const c = correlate(s, e.startFrame, e.endFrame, lagFrom, lagTo, { impulse });
    if (!c) return null;
    ({ r, impulse: impulseR } = c);
    rLagFrom = c.signalStart - e.startFrame;
    to = r.length;
  }
  const k = argMaxAbs(r, from, to);
  const peak = refinePeak(r, k);
  const peakAbsValue = Math.abs(peak.value);
  const noiseGuard = Math.max(16, Math.round(0.001 * s.sampleRate));
  const ambiguityGuard = Math.round(ARRIVAL_NEIGHBOURHOOD_S * s.sampleRate);
  let noiseSum = 0;
  let noiseCount = 0;
  for (let i = 0; i < r.length; i++) {
    if (Math.abs(i - k) > noiseGuard) {
      noiseSum += r[i] * r[i];
      noiseCount++;
    }
  }
  let second = 0;
  for (let i = from; i < to; i++) {
    const a = Math.abs(r[i]);
    // Only local maxima count as competing peaks, so the main peak's own flank does not.
    if (Math.abs(i - k) > ambiguityGuard && a > second && (i === from || a >= Math.abs(r[i - 1])) && (i === to - 1 || a >= Math.abs(r[i + 1]))) second = a;
  }
  const noiseRms = noiseCount > 0 ? Math.sqrt(noiseSum / noiseCount) : 0;
  const atEdge = k < from + 2 || k > to - 3;
  const near = Math.round(0.001 * s.sampleRate);
  const lagFrames = rLagFrom + peak.position;
  const lobes = lobesAround(r, k, from, to, ambiguityGuard, near).map((i) => rLagFrom + refinePeak(r, i).position);
  // A sweep's deconvolved response too: at a low SNR the PHAT weighting's noisy top bands can sink
  // the direct sound under a sharper reflection's lobe ratio (a drifting sweep through the seminar
  // room at 5 dB read a reflection 5.8 ms late, alone); where the response has a lobe (or its
  // largest excursion) elsewhere, that is a candidate as well.
  if (s.sweep && wide && impulseR === wide.impulse) {
    const lo = Math.max(from, k - ambiguityGuard);
    const hi = Math.min(to, k + ambiguityGuard + 1);
    const top = argMaxAbs(impulseR, lo, hi);
    const candidates = [top, ...lobesAround(impulseR, top, lo, hi, ambiguityGuard, near)];
    const add = (i: number, position: number): void => {
      if (Math.abs(i - k) < near) return;
      // The response's lobe, and the correlation's own peak beside it (where a click train or noise
      // would read that arrival: the PHAT weighting puts it up to a millisecond away).
      const beside = argMaxAbs(r, Math.max(from, i - near), Math.min(to, i + near + 1));
      for (const lag of [rLagFrom + position, rLagFrom + refinePeak(r, beside).position]) {
        if (Math.abs(lag - lagFrames) >= 2 && lobes.every((l) => Math.abs(l - lag) >= 2)) lobes.push(lag);
      }
    };
    for (const i of candidates) add(i, refinePeak(impulseR, i).position);
    // And the largest excursion of the response with the clock drift's bend undone (polarity.ts),
    // UNBENT_CANDIDATE_S or more from the arrival: drifting 20 ppm through the seminar room, a 10 s
    // sweep's correlation and response both had a reflection 5.8 ms late as their highest peak and
    // the direct sound under the lobe ratios; the unbent response's largest excursion was the
    // direct sound. It is only a candidate, and only that far: a loudspeaker's own group delay bends
    // its response as drift does (unbent, the three real paths without drift moved by up to 0.23 ms
    // with a 10 s sweep, 1.06 ms with a minute's, whose bend search reaches six times as far).
    const unbent = unbentOnce(impulseR, k, ambiguityGuard, s.sampleRate, e.endFrame - e.startFrame);
    const { values, start } = unbent;
    const unbentTop = argMaxAbs(values, Math.max(0, lo - start), Math.min(values.length, hi - start));
    if (unbent.dispersionS !== 0 && Math.abs(start + unbentTop - k) >= UNBENT_CANDIDATE_S * s.sampleRate) add(start + unbentTop, start + refinePeak(values, unbentTop).position);
  }
  return {
    lobes,
    correlation: { r, lagFrom: rLagFrom },
    impulse: impulseR,
    lagFrames,
    peakToNoiseDb: noiseRms > 0 ? amplitudeToDb(peakAbsValue / noiseRms) : 200,
    ambiguity: atEdge ? 1 : peakAbsValue > 0 ? Math.min(1, second / peakAbsValue) : 1,
    lags: r.length,
  };
}

/** Lags of the polarity window (see polarity.ts), with a lag either side. */
const polarityLags = (sampleRate: number): number => Math.round(0.00125 * sampleRate) + 2;

/**
 * Whether the path inverts polarity: the sign of the largest excursion of its impulse response from
 * 0.25 ms before the arrival to 1 ms after it, the impulse response being the event deconvolved
 * (cross-spectrum over the event's spectral envelope, see cross-correlation.ts). Not the PHAT
 * peak: PHAT gives every frequency bin the same weight whatever the path's gain there, so a path
 * whose phase nears -180° above a cut-off (any 2-pole low-pass) has a negative PHAT peak although
 * its impulse response is positive; and the PHAT lag marks the onset, before a filtered response
 * peaks. Not the plain correlation either: over a sweep, that is weighted towards where the sweep
 * spends its time, and its sign follows the path's phase there.
 */
function invertedAt(s: Setup, start: number, end: number, lagFrames: number): boolean {
  const [from, to] = polarityWindow(lagFrames, s.sampleRate);
  const c = correlate(s, start, end, from, to, { weighting: 'deconvolve' });
  // No window left in the capture: nothing says the path inverts.
  return c !== null && c.r[argMaxAbs(c.r)] < 0;
}

/**
 * invertedAt for a measured event, read from the deconvolved correlation computed with its own
 * when that covers the polarity window (the same impulse response up to what lies outside the
 * windows: the sign of its largest excursion does not depend on it), else correlated anew. An
 * event measured from its correlation over the whole latency range (a sweep: one event, whose
 * response clock drift bends, see polarity.ts) gets a sign only when it is stable: null otherwise.
 */
function invertedFor(s: Setup, index: number, m: Measurement): boolean | null {
  const e = s.events[index];
  const [from, to] = polarityWindow(m.lagFrames, s.sampleRate);
  const start = from - m.correlation.lagFrom;
  const wide = s.wideCorrelations.get(index);
  if (s.sweep && wide && m.impulse === wide.impulse) {
    const signAt = (lagFrames: number): boolean | null => sweepPolarity(wide.impulse, lagFrames - wide.lagFrom, s.sampleRate, e.endFrame - e.startFrame).inverted;
    const sign = signAt(m.lagFrames);
    // An ambiguous arrival (other lobes nearly as high, m.lobes): the sign must be the same at every
    // candidate. A drifting sweep in a real room read a reflection 5.8 ms late as the arrival, with
    // the reflection's sign, stable and wrong; its direct sound, a candidate, had the other one.
    return sign !== null && m.lobes.every((lag) => signAt(lag) === sign) ? sign : null;
  }
  if (m.impulse && start >= 0 && to - m.correlation.lagFrom < m.impulse.length) return m.impulse[argMaxAbs(m.impulse, start, to - m.correlation.lagFrom + 1)] < 0;
  return invertedAt(s, e.startFrame, e.endFrame, m.lagFrames);
}

function classify(s: Setup, m: Measurement): { status: EventStatus; confidence: number } {
  const confidence = eventConfidence(m.peakToNoiseDb, m.ambiguity, m.lags);
  if (confidence >= s.minEventConfidence) return { status: 'ok', confidence };
  // Nothing above what noise alone would produce in this window: the event is missing.
  if (m.peakToNoiseDb < noisePeakDb(m.lags) + 3) return { status: 'dropout', confidence };
  return { status: 'low-confidence', confidence };
}

export type AcquisitionOutcome =
  /** `modes`: two or more lags that the stretch's events take turns at (an alternating path). */
  | { kind: 'found'; lagFrames: number; firstEvent: number; modes?: number[] }
  | { kind: 'ambiguous'; lagsFrames: [number, number]; energyRatio: number }
  | { kind: 'weak'; confirmed: number; missing: number; unclear: number; events: number }
  | { kind: 'absent'; arrivalDb: number }
  | { kind: 'no-room' };

/**
 * Aligns the stretch of events from `firstEvent` (up to `spanFrames` long) with the capture over
 * lags [minLag, maxLag]: candidates are the strongest windows of correlation energy (window
 * ±(1 ms + 500 ppm of the stretch)); each is verified by measuring the stretch's events one by one
 * in a narrow window around it.
 */
export function acquire(s: Setup, firstEvent: number, spanFrames: number, minLag: number, maxLag: number): AcquisitionOutcome {
  const { events } = s;
  let last = firstEvent;
  while (last + 1 < events.length && events[last + 1].endFrame - events[firstEvent].startFrame <= spanFrames) last++;
  const templateStart = events[firstEvent].startFrame;
  // A single event (a sweep) is measured from this correlation later (see measureEvent): its impulse
  // response comes with it.
  const c = correlate(s, templateStart, events[last].endFrame, minLag, maxLag, { impulse: last === firstEvent ? 'always' : 'never', whole: last === firstEvent && s.sweep ? { keep: s.keepWhole } : null });
  if (!c) return { kind: 'no-room' };
  if (c.whole) s.whole = c.whole;
  const { r } = c;
  if (last === firstEvent && c.impulse) s.wideCorrelations.set(firstEvent, { r, impulse: c.impulse, lagFrom: minLag });
  const half = Math.round(0.001 * s.sampleRate + 500e-6 * (events[last].endFrame - templateStart));
  // Sliding-window energy e[k] = Σ r[j]², |j − k| <= half.
  const energy = new Float64Array(r.length);
  let running = 0;
  for (let j = 0; j < Math.min(r.length, half); j++) running += r[j] * r[j];
  for (let k = 0; k < r.length; k++) {
    const add = k + half;
    const drop = k - half - 1;
    if (add < r.length) running += r[add] * r[add];
    if (drop >= 0) running -= r[drop] * r[drop];
    energy[k] = Math.max(0, running);
  }
  const median = Float64Array.from(energy).sort()[Math.floor(energy.length / 2)];
  // The three strongest windows, each more than two windows from the others.
  const candidates: number[] = [];
  const taken = new Uint8Array(energy.length);
  for (let n = 0; n < 3; n++) {
    let best = -1;
    for (let k = 0; k < energy.length; k++) if (!taken[k] && (best < 0 || energy[k] > energy[best])) best = k;
    if (best < 0 || energy[best] <= median) break;
    candidates.push(best);
    taken.fill(1, Math.max(0, best - 2 * half), Math.min(energy.length, best + 2 * half + 1));
  }
  const arrivalDb = candidates.length > 0 ? powerToDb(energy[candidates[0]] / Math.max(median, 1e-300)) : 0;
  const count = last - firstEvent + 1;
  const verified = candidates.map((k) => {
    const peak = argMaxAbs(r, k - half, k + half + 1);
    const lag = c.signalStart + refinePeak(r, peak).position - templateStart;
    const confirmedAt = new Set<number>();
    let missing = 0;
    for (let i = firstEvent; i <= last; i++) {
      const m = measureEvent(s, i, Math.round(lag) - half - 8, Math.round(lag) + half + 8);
      const status = m ? classify(s, m).status : 'dropout';
      if (m && status === 'ok' && Math.abs(m.lagFrames - lag) <= half) confirmedAt.add(i);
      else if (status === 'dropout') missing++;
    }
    const confirmed = confirmedAt.size;
    return { lag, energy: energy[k], confirmed, confirmedAt, missing, support: confirmed / count };
  });
  // An alternating path: candidates that each have events of their own (clear there and nowhere
  // else), together most of the stretch. Two speakers give every event at both, so none of its own.
  const own = verified.map((v) => [...v.confirmedAt].filter((i) => !verified.some((o) => o !== v && o.confirmedAt.has(i))).length);
  const modal = verified.filter((_, k) => own[k] >= WEAK_SUPPORT_EVENTS);
  if (modal.length >= 2) {
    const union = new Set(modal.flatMap((v) => [...v.confirmedAt]));
    const shared = modal.reduce((n, v) => n + v.confirmed - own[verified.indexOf(v)], 0);
    if (union.size >= ACQUIRE_MIN_SUPPORT * count && shared <= 0.25 * union.size) {
      return { kind: 'found', lagFrames: modal[0].lag, firstEvent, modes: modal.map((v) => v.lag) };
    }
  }
  const accepted = verified.filter((v) => v.support >= ACQUIRE_MIN_SUPPORT);
  // Two confirmed arrivals of similar strength farther apart than one path's own lobes: two sources.
  if (accepted.length >= 2 && accepted[1].energy >= ACQUIRE_MAX_AMBIGUITY * accepted[0].energy && Math.abs(accepted[1].lag - accepted[0].lag) > ARRIVAL_NEIGHBOURHOOD_S * s.sampleRate) {
    return { kind: 'ambiguous', lagsFrames: [accepted[0].lag, accepted[1].lag], energyRatio: accepted[1].energy / accepted[0].energy };
  }
  if (accepted.length > 0) return { kind: 'found', lagFrames: accepted[0].lag, firstEvent };
  const best = verified.reduce<(typeof verified)[number] | null>((a, v) => (a === null || v.confirmed > a.confirmed ? v : a), null);
  if (best && best.confirmed >= WEAK_SUPPORT_EVENTS) {
    return { kind: 'weak', confirmed: best.confirmed, missing: best.missing, unclear: count - best.confirmed - best.missing, events: count };
  }
  return { kind: 'absent', arrivalDb };
}

/** Predicts the lag at `anchor` from recent good events: a line through the last 8, or the last one. */
function predictLag(history: Array<[number, number]>, anchor: number, fallback: number, sampleRate: number): number {
  if (history.length === 0) return fallback;
  const recent = history.slice(-8);
  const span = Math.abs(recent[recent.length - 1][0] - recent[0][0]);
  if (recent.length >= 3 && span >= sampleRate) {
    const fit = fitLine(recent.map(([a]) => a), recent.map(([, l]) => l));
    return fit.intercept + fit.slope * anchor;
  }
  return recent[recent.length - 1][1];
}

/**
 * Tracks every event from the acquired stretch: forward from it (re-acquiring after
 * MISSES_BEFORE_REACQUIRE misses in a row, so a latency jump is followed), then backward to the
 * start. `searchHalf` is the per-event search half-width; `spanFrames` the acquisition stretch.
 */
export function trackEvents(
  s: Setup,
  found: Extract<AcquisitionOutcome, { kind: 'found' }>,
  window: { searchHalf: number; spanFrames: number; minLag: number; maxLag: number },
): EventResult[] {
  const { events, capture, sampleRate } = s;
  const { searchHalf, spanFrames, minLag, maxLag } = window;
  const results: EventResult[] = events.map((e, index) => ({
    index, anchorFrame: e.anchorFrame, status: 'dropout', lagFrames: null, confidence: 0, peakToNoiseDb: null, ambiguity: null, inverted: null, arrivalCandidatesFrames: null, correlationWindow: null,
  }));
  const notCaptured = (r: EventResult): void => {
    Object.assign(r, { status: 'not-captured', lagFrames: null, confidence: 0, peakToNoiseDb: null, ambiguity: null, inverted: null, arrivalCandidatesFrames: null, correlationWindow: null });
  };
  // The polarity of every k-th event only: agreement over MAX_POLARITY_EVENTS is as telling as over
  // all of them, and each costs a transform (a quarter of the pink noise analysis, read on all 250).
  const polarityStride = Math.max(1, Math.ceil(events.length / MAX_POLARITY_EVENTS));
  /** One event measured in a window of ±half around `predicted`; null when it is not captured. */
  const measureNear = (i: number, predicted: number, half: number): { m: Measurement; status: EventStatus; confidence: number } | null => {
    const e = events[i];
    const centre = Math.round(predicted);
    if (e.endFrame + centre + Math.floor(half / 4) > capture.length) return null;
    const m = measureEvent(s, i, centre - half, centre + half, i % polarityStride === 0 ? 'when-cheaper' : 'never');
    return m ? { m, ...classify(s, m) } : null;
  };
  /**
   * Measures event i around each mode's prediction (one mode for most paths; an alternating path
   * has more, each searched in a window that stops halfway to the next) and keeps the clearest.
   * Returns the mode that found it, or -1.
   */
  const measureAt = (i: number, predictions: number[]): number => {
    const result = results[i];
    const guard = Math.round(0.002 * sampleRate);
    let best: ReturnType<typeof measureNear> = null;
    let bestMode = -1;
    let captured = false;
    predictions.forEach((predicted, k) => {
      const gap = Math.min(...predictions.filter((_, j) => j !== k).map((q) => Math.abs(q - predicted)));
      const half = Number.isFinite(gap) ? Math.max(guard, Math.min(searchHalf, Math.floor(gap / 2) - guard)) : searchHalf;
      const here = measureNear(i, predicted, half);
      if (!here) return;
      captured = true;
      const rank = (x: NonNullable<typeof here>): number => x.confidence * 1000 + x.m.peakToNoiseDb;
      if (!best || rank(here) > rank(best)) {
        best = here;
        bestMode = k;
      }
    });
    const chosen = best as ReturnType<typeof measureNear>;
    if (!captured || !chosen) {
      notCaptured(result);
      return -1;
    }
    const { m, status, confidence } = chosen;
    Object.assign(result, {
      status, confidence,
      lagFrames: status === 'dropout' ? null : m.lagFrames,
      peakToNoiseDb: m.peakToNoiseDb, ambiguity: m.ambiguity,
      arrivalCandidatesFrames: status === 'dropout' ? null : m.lobes,
      // Read only for events that are kept (acquisition measures many more, without it).
      inverted: status === 'dropout' ? null : i % polarityStride === 0 ? invertedFor(s, i, m) : undefined,
      correlationWindow: status === 'ok' ? keptCorrelation(m, sampleRate) : null,
    });
    return status === 'ok' ? bestMode : -1;
  };
  interface Mode { seed: number; history: Array<[number, number]>; lastHit: number }
  const MAX_MODES = 3;
  /** A mode with no hit in this many events while another mode hits is gone (a step, not alternation). */
  const STALE_AFTER = 32;
  const track = (order: number[], seeds: number[], allowReacquire: boolean): void => {
    let modes: Mode[] = seeds.map((seed) => ({ seed, history: [], lastHit: 0 }));
    let misses: number[] = [];
    for (let p = 0; p < order.length; p++) {
      const i = order[p];
      const predictions = modes.map((mode) => predictLag(mode.history, events[i].anchorFrame, mode.seed, sampleRate));
      const hit = measureAt(i, predictions);
      const r = results[i];
      if (hit >= 0) {
        modes[hit].history.push([r.anchorFrame, r.lagFrames as number]);
        modes[hit].lastHit = p;
        if (modes.length > 1) modes = modes.filter((mode) => p - mode.lastHit < STALE_AFTER);
        misses = [];
        continue;
      }
      if (r.status === 'not-captured') continue;
      misses.push(p);
      if (!allowReacquire || misses.length < MISSES_BEFORE_REACQUIRE) continue;
      const firstMiss = misses[0];
      misses = [];
      const again = acquire(s, order[firstMiss], spanFrames, minLag, maxLag);
      if (again.kind !== 'found') continue;
      const newLags = (again.modes ?? [again.lagFrames]).filter((lag) => predictions.every((q) => Math.abs(lag - q) >= searchHalf / 2));
      if (newLags.length === 0) continue;
      // The latency moved outside the search windows. A mode that hit recently stays (the path may
      // alternate); otherwise the path stepped and the new lag replaces it. Re-measure the misses.
      const recent = modes.filter((mode) => mode.history.length > 0 && firstMiss - mode.lastHit <= 2 * MISSES_BEFORE_REACQUIRE);
      modes = [...recent, ...newLags.map((seed) => ({ seed, history: [], lastHit: firstMiss }))].slice(-MAX_MODES);
      p = firstMiss - 1;
    }
  };
  const first = found.firstEvent;
  track(events.map((_, i) => i).slice(first), found.modes ?? [found.lagFrames], true);
  track(events.map((_, i) => i).slice(0, first).reverse(), found.modes ?? [results[first].lagFrames ?? found.lagFrames], false);
  return results;
}

export function explainFailedAcquisition(outcomes: AcquisitionOutcome[], capture: Float32Array, sampleRate: number, minLag: number, maxLag: number): Refusal {
  const range = `${msText(minLag, sampleRate)} to ${msText(maxLag, sampleRate)} ms`;
  const ambiguous = outcomes.find((o) => o.kind === 'ambiguous');
  if (ambiguous) {
    const [a, b] = ambiguous.lagsFrames;
    return refusal('AMBIGUOUS_PEAK', `The stimulus arrives twice with similar strength, at ${msText(Math.min(a, b), sampleRate)} ms and ${msText(Math.max(a, b), sampleRate)} ms (the weaker holds ${(ambiguous.energyRatio * 100).toFixed(0)} % of the stronger one's energy).`);
  }
  const weak = outcomes.filter((o) => o.kind === 'weak');
  if (weak.length > 0) {
    const best = weak.reduce((x, y) => (y.confirmed > x.confirmed ? y : x));
    const found = `at best ${best.confirmed} of ${best.events} test events in a stretch could be found (${best.missing} missing, ${best.unclear} unclear), and at least half are needed to align the capture`;
    if (best.missing > best.unclear) return refusal('TOO_FEW_EVENTS', `Most test events are missing from the capture: ${found}.`);
    return refusal('SIGNAL_TOO_LOW', `The stimulus is only faintly present in the capture: ${found}.`);
  }
  const absent = outcomes.filter((o) => o.kind === 'absent');
  if (absent.length > 0) {
    const bestDb = Math.max(...absent.map((o) => o.arrivalDb));
    return refusal('NO_STIMULUS', `The capture has sound (peak ${amplitudeToDb(peakAbs(capture)).toFixed(1)} dBFS) but nothing that matches the stimulus at any latency from ${range} (the best match stands ${bestDb.toFixed(1)} dB above the correlation noise and is not confirmed by the individual test events).`);
  }
  return refusal('TOO_SHORT', `The capture (${(capture.length / sampleRate).toFixed(2)} s) is too short to hold the stimulus at any latency from ${range}.`);
}

