/**
 * End-to-end latency from a reference (the stimulus as played) and a capture (what the microphone
 * recorded, sample 0 = the moment playback of reference sample 0 started).
 *
 * 1. Layout: find the stimulus events in the reference (clicks, segments of noise, sweeps).
 * 2. Acquisition: correlate a stretch of up to `acquisitionSpanS` of the reference (several clicks,
 *    or seconds of noise) against the capture over the whole latency range with GCC-PHAT. Over a
 *    stretch, clock drift and reverberation spread the events' peaks over a few hundred
 *    microseconds, so candidates are scored by correlation energy in a sliding window. Each
 *    candidate is then verified event by event: it is accepted only if most events of the stretch
 *    show their own clear peak there. Two verified candidates of similar strength are two
 *    arrivals (AMBIGUOUS_PEAK); none means the stimulus is not in the capture within the searched
 *    range. Later stretches are tried when the first is missing (a speaker still waking up).
 * 3. Tracking: every event is correlated on its own against a short capture window around its
 *    predicted arrival (tens of ms). The prediction follows a straight line through the last good
 *    events, so clock drift (100 ppm is 6 ms a minute) never smears the estimate the way a single
 *    global correlation does. Each event gets a sub-sample lag (band-limited interpolation of the
 *    correlation peak), a peak-to-noise ratio, an ambiguity ratio and a confidence. Events with no
 *    peak above what noise alone produces are dropouts. After four misses in a row the stretch is
 *    re-acquired, so a latency jump (a Bluetooth link renegotiating) is followed, not lost.
 * 4. Statistics over the confident events: median (the headline), mean, standard deviation, min,
 *    max, p95, a 95 % confidence interval of the median; drift in ppm from a line fit of lag
 *    against time, with jitter as the residual spread; latency jumps.
 * Results stay in frames; they are converted to milliseconds only for display and reports.
 */
import { type AnalysisWarning, refusal, type Refusal } from './analysis-refusal';
import { type CorrelationWeighting, crossCorrelateWindow } from '../dsp/cross-correlation';
import { amplitudeToDb, CLIP_THRESHOLD, peakAbs, powerToDb } from '../primitives/signal-level';
import { fitLine, summarize, type Summary } from '../primitives/statistics';
import { driftModel, type SeriesSegment } from './latency-series';
import { measureNoiseFloor, NO_NOISE_DBFS } from './noise-floor';
import { defaultSegmentFrames, describeStimulus, isRefusal, type StimulusEvent, type StimulusKind, type StimulusLayout } from './stimulus-layout';
import { argMaxAbs, refinePeak } from '../dsp/subsample-peak';

export interface LatencyOptions {
  /** Correlation weighting. Default 'phat'. */
  weighting?: CorrelationWeighting;
  phatExponent?: number;
  /** Longest latency searched for. Default 2000 ms. */
  maxLatencyMs?: number;
  /** Shortest latency searched for (negative allows a capture that leads). Default -50 ms. */
  minLatencyMs?: number;
  /** Force the stimulus kind instead of classifying the reference. */
  kind?: StimulusKind;
  /** Events supplied by the caller (e.g. beats of a music track), instead of detected ones. */
  events?: StimulusEvent[];
  /** Events below this confidence are not used in the statistics. Default 0.5. */
  minEventConfidence?: number;
  /** Length of reference used to acquire the alignment. Default 3 s (at least three noise segments). */
  acquisitionSpanS?: number;
  /**
   * Length of the segments a continuous noise signal is cut into, in frames. Default 0.24 s; when
   * short segments cannot be measured (a reverberant room at low SNR), the analysis tries 4× and
   * 16× longer ones before it refuses (see analyzeLatency).
   */
  segmentFrames?: number;
}

export type EventStatus = 'ok' | 'low-confidence' | 'dropout' | 'not-captured';

export interface EventResult {
  index: number;
  /** Where the event is in the reference (a click's peak, a segment's middle). */
  anchorFrame: number;
  status: EventStatus;
  /** Latency of this event in frames (fractional); null for dropouts and events not captured. */
  lagFrames: number | null;
  /** 0..1; see `eventConfidence`. */
  confidence: number;
  /** Correlation peak over the RMS of the correlation away from the peak, in dB. */
  peakToNoiseDb: number | null;
  /** Largest other peak of the correlation over the main one (0..1). */
  ambiguity: number | null;
  /** The impulse response at the arrival is negative: the path inverts polarity (see invertedAt). */
  inverted: boolean | null;
  /**
   * Other lobes of the correlation within 1 ms of the peak and at least 0.7 of its height (lags in
   * frames): candidates for the arrival on an ambiguous path; null when not measured.
   */
  arrivalCandidatesFrames: number[] | null;
}

export interface DriftEstimate {
  /** Capture clock relative to playback clock: positive means the lag grows over time. */
  ppm: number;
  ppmStdError: number | null;
  /** The drift line's lag at reference frame 0: lag(frame) = interceptFrames + ppm·1e-6·frame. */
  interceptFrames: number;
  /** Spread of event lags around the drift line (standard deviation), in frames. */
  jitterFrames: number | null;
  /** Time span of the events the line was fitted to, in frames. */
  spanFrames: number;
}

export interface LatencyJump {
  anchorFrame: number;
  fromLagFrames: number;
  toLagFrames: number;
}

/** A stretch of the run over which the latency held one level (see latency-series.ts). */
export interface LatencySegment {
  /** Anchors of its first and last event in the reference, frames. */
  startAnchorFrame: number;
  endAnchorFrame: number;
  medianLagFrames: number;
  count: number;
}

export interface LatencyStartupFrames {
  /** Where the steady state begins: the anchor of its first event. */
  untilFrame: number;
  medianLagFrames: number;
  maxLagFrames: number;
  minLagFrames: number;
  count: number;
}

export interface LatencyModeFrames {
  medianLagFrames: number;
  share: number;
  count: number;
}

export interface LatencyAnalysis {
  sampleRate: number;
  kind: StimulusKind;
  weighting: CorrelationWeighting;
  /** Where the stimulus plays in the reference, [start, end). */
  activeStartFrame: number;
  activeEndFrame: number;
  /** The stimulus events the analysis found in the reference (or was given), in frames. */
  stimulusEvents: StimulusEvent[];
  events: EventResult[];
  /**
   * Statistics of the lags of the 'ok' events of the steady state, in frames: the headline. With a
   * start-up, the events before the steady state are left out (they are in `allLag` and `startup`),
   * so verdicts and lip sync judge the steady state. Its medianCi95 is widened to cover the
   * candidates of an ambiguous arrival (`arrivalSpreadFrames`).
   */
  lag: Summary;
  /** Statistics of every 'ok' event, start-up included. */
  allLag: Summary;
  /** Stable segments in time order (one for a stable path and for an alternating one). */
  segments: LatencySegment[];
  /** The segment `lag` describes: the last, unless it is short (then the longest). */
  steadyState: LatencySegment;
  /** The events before the steady state; null when the path is stable from the start. */
  startup: LatencyStartupFrames | null;
  /** The latencies an alternating path takes turns at (two or more), else empty. */
  modes: LatencyModeFrames[];
  /**
   * The reference span of the steady state, [start, end): the frequency response should use only
   * this (equal to the active span when the path is stable from the start).
   */
  steadyStartFrame: number;
  steadyEndFrame: number;
  /** Lowest and highest arrival candidate of an ambiguous path (AMBIGUOUS_ARRIVAL), else null. */
  arrivalSpreadFrames: [number, number] | null;
  /** The events agree on the polarity (80 % or more one way); polarityInverted is false otherwise. */
  polarityStable: boolean;
  /** Overall confidence 0..1 (see README, "Confidence"). */
  confidence: number;
  /**
   * Drift of the steady state (within each mode for an alternating path); null with fewer than 3
   * good events or less than 1 s between the first and last.
   */
  drift: DriftEstimate | null;
  /** Capture power during the stimulus over the noise floor, in dB (noise-floor.ts); null without a quiet stretch or without measurable noise. */
  snrDb: number | null;
  capturePeakDbfs: number;
  noiseFloorDbfs: number | null;
  clipRuns: number;
  polarityInverted: boolean;
  latencyJumps: LatencyJump[];
  warnings: AnalysisWarning[];
}

export type LatencyResult =
  | { ok: true; analysis: LatencyAnalysis }
  /** `stimulusEvents`: the reference's events, when the layout was found before the refusal. */
  | { ok: false; refusal: Refusal; stimulusEvents?: StimulusEvent[] };

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

const MISSES_BEFORE_REACQUIRE = 4;
const SILENT_PEAK = 10 ** (-90 / 20);
/** A candidate alignment is accepted when at least this share of its stretch's events confirm it... */
const ACQUIRE_MIN_SUPPORT = 0.5;
/** ...and a second confirmed candidate with this much of its correlation energy makes it ambiguous. */
const ACQUIRE_MAX_AMBIGUITY = 0.8;
/**
 * Two or more events (but under half) confirming a candidate: the stimulus is there but could not
 * be aligned. A false alignment of the irregular click pattern lines up at most one click.
 */
const WEAK_SUPPORT_EVENTS = 2;

interface Setup {
  reference: Float32Array;
  capture: Float32Array;
  events: StimulusEvent[];
  weighting: CorrelationWeighting;
  phatExponent: number;
  sampleRate: number;
  minEventConfidence: number;
  /**
   * Correlations of single events over the whole latency range, kept from acquisition: a long
   * event (a sweep) is then measured from it instead of being correlated again.
   */
  wideCorrelations: Map<number, { r: Float64Array; lagFrom: number }>;
}

interface Measurement {
  lagFrames: number;
  peakToNoiseDb: number;
  ambiguity: number;
  /** Number of lags searched. */
  lags: number;
  /** Lags (frames) of other lobes near the peak and nearly as high: candidates for the arrival. */
  lobes: number[];
}

/**
 * Peaks within this distance of the main one belong to the same path (its own lobes, an early
 * reflection ~2.7 m of path or less): nearly equal ones make the arrival ambiguous (a warning and
 * a wider interval), not the event unclear. Farther ones are other arrivals (two speakers).
 */
export const ARRIVAL_NEIGHBOURHOOD_S = 0.008;
/** How far a lobe's measured position moves with the stimulus and the noise (see AMBIGUOUS_ARRIVAL). */
const LOBE_POSITION_TOLERANCE_S = 0.00002;
/** A lobe within 1 ms at least this high relative to the peak is a candidate for the arrival... */
const NEAR_LOBE_RATIO = 0.7;
/** ...and one from 1 ms to ARRIVAL_NEIGHBOURHOOD_S away, this high (where event confidence starts to fall). */
const FAR_LOBE_RATIO = 0.8;

/**
 * The correlation of reference[templateStart, templateEnd) with the capture over lags [lagFrom, lagTo]
 * (fewer at the end of the capture), with the analysis' weighting unless another is given.
 */
function correlate(s: Setup, templateStart: number, templateEnd: number, lagFrom: number, lagTo: number, weighting: CorrelationWeighting = s.weighting): { r: Float64Array; signalStart: number } | null {
  const templateLength = templateEnd - templateStart;
  const signalStart = templateStart + lagFrom;
  const signalEnd = Math.min(s.capture.length, templateEnd + lagTo);
  const signalLength = signalEnd - signalStart;
  if (signalLength < templateLength + 8) return null;
  const r = crossCorrelateWindow(
    { template: s.reference, templateStart, templateLength, signal: s.capture, signalStart, signalLength },
    { weighting, phatExponent: s.phatExponent },
  );
  return { r, signalStart };
}

/**
 * One event over lags [lagFrom, lagTo]: the sharpest correlation peak, refined to a fraction of a
 * sample. Peak-to-noise: the peak over the RMS of the correlation farther than 1 ms from it.
 * Ambiguity: the largest other local peak farther than ARRIVAL_NEIGHBOURHOOD_S (nearer ones are
 * the path's own lobes, returned as `lobes`), over the main one (1 when the peak
 * sits on the window's edge, where the true peak may lie outside). Null when the window does not
 * fit in the capture.
 */
function measureEvent(s: Setup, index: number, lagFrom: number, lagTo: number): Measurement | null {
  const e = s.events[index];
  let c: { r: Float64Array; signalStart: number } | null;
  const wide = s.wideCorrelations.get(index);
  if (wide && lagFrom >= wide.lagFrom && lagTo < wide.lagFrom + wide.r.length) {
    c = { r: wide.r.subarray(lagFrom - wide.lagFrom, lagTo - wide.lagFrom + 1), signalStart: e.startFrame + lagFrom };
  } else {
    c = correlate(s, e.startFrame, e.endFrame, lagFrom, lagTo);
  }
  if (!c) return null;
  const { r } = c;
  const k = argMaxAbs(r);
  const peak = refinePeak(r, k);
  const peakAbsValue = Math.abs(peak.value);
  const noiseGuard = Math.max(16, Math.round(0.001 * s.sampleRate));
  const ambiguityGuard = Math.round(ARRIVAL_NEIGHBOURHOOD_S * s.sampleRate);
  let noiseSum = 0;
  let noiseCount = 0;
  let second = 0;
  for (let i = 0; i < r.length; i++) {
    const d = Math.abs(i - k);
    const a = Math.abs(r[i]);
    if (d > noiseGuard) {
      noiseSum += a * a;
      noiseCount++;
    }
    // Only local maxima count as competing peaks, so the main peak's own flank does not.
    if (d > ambiguityGuard && a > second && (i === 0 || a >= Math.abs(r[i - 1])) && (i === r.length - 1 || a >= Math.abs(r[i + 1]))) second = a;
  }
  const noiseRms = noiseCount > 0 ? Math.sqrt(noiseSum / noiseCount) : 0;
  const atEdge = k < 2 || k > r.length - 3;
  // Lobes near the peak: local maxima within the arrival neighbourhood, separated from it by a dip,
  // nearly as high.
  const lobes: number[] = [];
  const near = Math.round(0.001 * s.sampleRate);
  for (let i = Math.max(1, k - ambiguityGuard); i <= Math.min(r.length - 2, k + ambiguityGuard); i++) {
    const a = Math.abs(r[i]);
    const ratio = Math.abs(i - k) <= near ? NEAR_LOBE_RATIO : FAR_LOBE_RATIO;
    if (Math.abs(i - k) < 2 || a < ratio * Math.abs(r[k]) || a < Math.abs(r[i - 1]) || a < Math.abs(r[i + 1])) continue;
    let dip = Infinity;
    for (let j = Math.min(i, k) + 1; j < Math.max(i, k); j++) dip = Math.min(dip, Math.abs(r[j]));
    if (dip < 0.95 * a) lobes.push(c.signalStart + refinePeak(r, i).position - e.startFrame);
  }
  return {
    lobes,
    lagFrames: c.signalStart + peak.position - e.startFrame,
    peakToNoiseDb: noiseRms > 0 ? amplitudeToDb(peakAbsValue / noiseRms) : 200,
    ambiguity: atEdge ? 1 : peakAbsValue > 0 ? Math.min(1, second / peakAbsValue) : 1,
    lags: r.length,
  };
}

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
  const c = correlate(s, start, end, Math.round(lagFrames - 0.00025 * s.sampleRate), Math.round(lagFrames + 0.001 * s.sampleRate), 'deconvolve');
  // No window left in the capture: nothing says the path inverts.
  return c !== null && c.r[argMaxAbs(c.r)] < 0;
}

function classify(s: Setup, m: Measurement): { status: EventStatus; confidence: number } {
  const confidence = eventConfidence(m.peakToNoiseDb, m.ambiguity, m.lags);
  if (confidence >= s.minEventConfidence) return { status: 'ok', confidence };
  // Nothing above what noise alone would produce in this window: the event is missing.
  if (m.peakToNoiseDb < noisePeakDb(m.lags) + 3) return { status: 'dropout', confidence };
  return { status: 'low-confidence', confidence };
}

type AcquisitionOutcome =
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
function acquire(s: Setup, firstEvent: number, spanFrames: number, minLag: number, maxLag: number): AcquisitionOutcome {
  const { events } = s;
  let last = firstEvent;
  while (last + 1 < events.length && events[last + 1].endFrame - events[firstEvent].startFrame <= spanFrames) last++;
  const templateStart = events[firstEvent].startFrame;
  const c = correlate(s, templateStart, events[last].endFrame, minLag, maxLag);
  if (!c) return { kind: 'no-room' };
  const { r } = c;
  if (last === firstEvent) s.wideCorrelations.set(firstEvent, { r, lagFrom: minLag });
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

function layoutFor(reference: Float32Array, sampleRate: number, options: LatencyOptions): StimulusLayout | Refusal {
  if (!options.events) return describeStimulus(reference, sampleRate, { kind: options.kind, segmentFrames: options.segmentFrames });
  if (options.events.length === 0) return refusal('NO_EVENTS_IN_REFERENCE', 'No events were given to measure.');
  const described = describeStimulus(reference, sampleRate, { kind: options.kind ?? 'noise' });
  if (isRefusal(described)) return described;
  let minSpacing = Infinity;
  for (let i = 1; i < options.events.length; i++) minSpacing = Math.min(minSpacing, options.events[i].anchorFrame - options.events[i - 1].anchorFrame);
  return { ...described, events: options.events, minEventSpacingFrames: minSpacing };
}

const fail = (r: Refusal, stimulusEvents?: StimulusEvent[]): LatencyResult => (stimulusEvents ? { ok: false, refusal: r, stimulusEvents } : { ok: false, refusal: r });
const msText = (frames: number, rate: number, digits = 1): string => ((frames / rate) * 1000).toFixed(digits);

/** Refusals that longer noise segments (more evidence per event) can overturn. */
const RETRY_LONGER: ReadonlySet<Refusal['code']> = new Set(['SIGNAL_TOO_LOW', 'TOO_FEW_EVENTS', 'NO_STIMULUS']);
const LONGER_SEGMENTS = 4;
const MAX_RETRIES = 2;

/**
 * The latency analysis (see the module comment). For a noise stimulus, a refusal for lack of
 * evidence is not final while the capture holds more: in a reverberant room at low SNR each 0.24 s
 * segment is swamped by the decay of the ones before, while the whole capture correlates clearly.
 * The analysis then cuts the noise into 4× and then 16× longer segments (6 and 12 dB more
 * processing gain per event), as long as at least three fit, and refuses only if those fail too
 * (with the first refusal's reason).
 */
export function analyzeLatency(reference: Float32Array, capture: Float32Array, sampleRate: number, options: LatencyOptions = {}): LatencyResult {
  const first = analyzeLatencyOnce(reference, capture, sampleRate, options);
  if (first.ok || options.events || options.segmentFrames !== undefined || !RETRY_LONGER.has(first.refusal.code)) return first;
  const layout = layoutFor(reference, sampleRate, options);
  if (isRefusal(layout) || layout.kind !== 'noise') return first;
  let segmentFrames = defaultSegmentFrames(sampleRate);
  for (let retry = 0; retry < MAX_RETRIES; retry++) {
    segmentFrames *= LONGER_SEGMENTS;
    if (segmentFrames * 3 > layout.activeEndFrame - layout.activeStartFrame) break;
    const again = analyzeLatencyOnce(reference, capture, sampleRate, {
      ...options,
      segmentFrames,
      acquisitionSpanS: Math.max(options.acquisitionSpanS ?? 3, (3 * segmentFrames) / sampleRate),
    });
    if (again.ok) return again;
  }
  return first;
}

function analyzeLatencyOnce(reference: Float32Array, capture: Float32Array, sampleRate: number, options: LatencyOptions): LatencyResult {
  if (reference.length === 0) return fail(refusal('EMPTY_REFERENCE', 'The reference signal has no samples.'));
  if (capture.length === 0) return fail(refusal('EMPTY_CAPTURE', 'The capture has no samples.'));
  for (const [name, x] of [['reference', reference], ['capture', capture]] as const) {
    for (let i = 0; i < x.length; i++) {
      if (!Number.isFinite(x[i])) return fail(refusal('INVALID_SAMPLES', `The ${name} has a non-finite sample (${x[i]}) at frame ${i}.`));
    }
  }
  const capturePeak = peakAbs(capture);
  if (capturePeak < SILENT_PEAK) {
    const played = layoutFor(reference, sampleRate, options);
    return fail(refusal('SILENT_CAPTURE', `The capture is silent: its peak is ${capturePeak === 0 ? '-∞' : amplitudeToDb(capturePeak).toFixed(1)} dBFS.`), isRefusal(played) ? undefined : played.events);
  }
  const maxLag = Math.round(((options.maxLatencyMs ?? 2000) / 1000) * sampleRate);
  const minLag = Math.round(((options.minLatencyMs ?? -50) / 1000) * sampleRate);
  if (!(maxLag > minLag)) throw new RangeError('maxLatencyMs must exceed minLatencyMs');

  const layout = layoutFor(reference, sampleRate, options);
  if (isRefusal(layout)) return fail(layout);
  const { events } = layout;
  const s: Setup = {
    reference, capture, events, sampleRate,
    weighting: options.weighting ?? 'phat',
    phatExponent: options.phatExponent ?? 1,
    minEventConfidence: options.minEventConfidence ?? 0.5,
    wideCorrelations: new Map(),
  };
  if (capture.length < events[0].endFrame + Math.max(0, minLag)) {
    return fail(refusal('TOO_SHORT', `The capture is ${(capture.length / sampleRate).toFixed(2)} s long and ends before the first test event of the reference (at ${(events[0].endFrame / sampleRate).toFixed(2)} s) could arrive.`), events);
  }

  // Per-event search half-width: 50 ms, widened to fill the FFT, but under half the click spacing.
  const longestTemplate = events.reduce((m, e) => Math.max(m, e.endFrame - e.startFrame), 0);
  const baseHalf = Math.round(0.05 * sampleRate);
  let searchHalf = Math.floor((2 ** Math.ceil(Math.log2(longestTemplate + 2 * baseHalf)) - longestTemplate) / 2);
  if (layout.kind === 'click') searchHalf = Math.min(searchHalf, Math.floor(0.45 * layout.minEventSpacingFrames));
  if (layout.kind === 'sweep') searchHalf = Math.min(searchHalf, Math.round(0.1 * sampleRate));
  searchHalf = Math.max(searchHalf, Math.round(0.002 * sampleRate));

  // 2. Acquisition, from the start, then from later stretches.
  const spanFrames = Math.round((options.acquisitionSpanS ?? 3) * sampleRate);
  const starts = [...new Set([0, Math.floor(events.length / 4), Math.floor(events.length / 2), Math.floor((3 * events.length) / 4)])];
  const outcomes: AcquisitionOutcome[] = [];
  let found: Extract<AcquisitionOutcome, { kind: 'found' }> | null = null;
  for (const start of starts) {
    const outcome = acquire(s, start, spanFrames, minLag, maxLag);
    outcomes.push(outcome);
    if (outcome.kind === 'found') {
      found = outcome;
      break;
    }
    if (outcome.kind === 'ambiguous') break; // two arrivals do not go away later in the run
  }
  if (!found) return fail(explainFailedAcquisition(outcomes, capture, sampleRate, minLag, maxLag), events);

  // 3. Tracking, forward from the acquired stretch, then backward.
  const results: EventResult[] = events.map((e, index) => ({
    index, anchorFrame: e.anchorFrame, status: 'dropout', lagFrames: null, confidence: 0, peakToNoiseDb: null, ambiguity: null, inverted: null, arrivalCandidatesFrames: null,
  }));
  const notCaptured = (r: EventResult): void => {
    Object.assign(r, { status: 'not-captured', lagFrames: null, confidence: 0, peakToNoiseDb: null, ambiguity: null, inverted: null, arrivalCandidatesFrames: null });
  };
  /** One event measured in a window of ±half around `predicted`; null when it is not captured. */
  const measureNear = (i: number, predicted: number, half: number): { m: Measurement; status: EventStatus; confidence: number } | null => {
    const e = events[i];
    const centre = Math.round(predicted);
    if (e.endFrame + centre + Math.floor(half / 4) > capture.length) return null;
    const m = measureEvent(s, i, centre - half, centre + half);
    return m ? { m, ...classify(s, m) } : null;
  };
  /**
   * Measures event i around each mode's prediction (one mode for most paths; an alternating path
   * has more, each searched in a window that stops halfway to the next) and keeps the clearest.
   * Returns the mode that found it, or -1.
   */
  const measureAt = (i: number, predictions: number[]): number => {
    const e = events[i];
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
      inverted: status === 'dropout' ? null : invertedAt(s, e.startFrame, e.endFrame, m.lagFrames),
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

  // 4. Statistics and honesty checks.
  const good = results.filter((r) => r.status === 'ok');
  const captured = results.filter((r) => r.status !== 'not-captured');
  const lowConfidence = results.filter((r) => r.status === 'low-confidence');
  const dropouts = results.filter((r) => r.status === 'dropout');
  if (captured.length === 0) {
    return fail(refusal('TOO_SHORT', `The capture (${(capture.length / sampleRate).toFixed(2)} s) ends before any test event could arrive at the measured latency of ${msText(found.lagFrames, sampleRate)} ms.`), events);
  }
  const counts = `${dropouts.length} missing, ${lowConfidence.length} unclear`;
  if (good.length === 0) {
    const ambiguous = lowConfidence.filter((r) => (r.ambiguity ?? 0) > ACQUIRE_MAX_AMBIGUITY).length;
    if (lowConfidence.length > 0 && ambiguous > lowConfidence.length / 2) {
      return fail(refusal('AMBIGUOUS_PEAK', `None of the ${captured.length} test events had a single clear arrival: ${ambiguous} showed two peaks of similar height.`), events);
    }
    return fail(refusal('SIGNAL_TOO_LOW', `None of the ${captured.length} test events rose clearly above the noise (${counts}).`), events);
  }
  if (captured.length >= 3 && good.length < 3) {
    return fail(refusal('TOO_FEW_EVENTS', `Only ${good.length} of ${captured.length} test events were measured with confidence (${counts}).`), events);
  }
  const confidences = good.map((r) => r.confidence).sort((a, b) => a - b);
  const medianConfidence = confidences[Math.floor((confidences.length - 1) / 2)];
  const coverage = Math.min(1, good.length / Math.min(5, captured.length));
  const confidence = medianConfidence * coverage * (good.length / (good.length + lowConfidence.length));
  if (confidence < 0.3) {
    const code = dropouts.length > lowConfidence.length ? 'TOO_FEW_EVENTS' : 'SIGNAL_TOO_LOW';
    return fail(refusal(code, `Overall confidence is ${confidence.toFixed(2)}: only ${good.length} of ${captured.length} test events were measured clearly (${counts}).`), events);
  }

  const warnings: AnalysisWarning[] = [];
  // Clipping: refuse when it touches more than 10 % of the measured events, warn otherwise.
  let clipRuns = 0;
  let run = 0;
  for (let i = 0; i < capture.length; i++) {
    if (Math.abs(capture[i]) >= CLIP_THRESHOLD) {
      run++;
      if (run === 2) clipRuns++;
    } else run = 0;
  }
  if (clipRuns > 0) {
    let affected = 0;
    for (const r of good) {
      const e = events[r.index];
      const start = e.startFrame + Math.round(r.lagFrames as number);
      if (peakAbs(capture, start, start + (e.endFrame - e.startFrame)) >= CLIP_THRESHOLD) affected++;
    }
    if (affected > 0.1 * good.length) {
      return fail(refusal('CLIPPED', `The capture clips: ${affected} of ${good.length} measured events reach full scale (${clipRuns} clipped stretches in all).`), events);
    }
    warnings.push({ code: 'CLIPPING', message: `${clipRuns} clipped stretch(es) in the capture, touching ${affected} measured event(s); the result stands, but lower the level next time.` });
  }

  // Time behaviour: segments, steady state, start-up, modes and drift from one model (latency-series.ts).
  const series = driftModel(good.map((r) => ({ timeS: r.anchorFrame / sampleRate, latencyMs: (r.lagFrames as number) / sampleRate * 1000 })));
  const frames = (ms: number): number => (ms / 1000) * sampleRate;
  const segmentOf = (seg: SeriesSegment): LatencySegment => ({
    startAnchorFrame: good[seg.indices[0]].anchorFrame,
    endAnchorFrame: good[seg.indices[seg.indices.length - 1]].anchorFrame,
    medianLagFrames: frames(seg.medianMs),
    count: seg.count,
  });
  const segments = series.segments.map(segmentOf);
  const steady = series.steadyIndices.map((k) => good[k]);
  const steadyState = segments[series.steadyIndex];
  const startup = series.startup && {
    untilFrame: steadyState.startAnchorFrame,
    medianLagFrames: frames(series.startup.medianMs),
    maxLagFrames: frames(series.startup.maxMs),
    minLagFrames: frames(series.startup.minMs),
    count: series.startup.count,
  };
  const modes = series.modes.map((m) => ({ medianLagFrames: frames(m.medianMs), share: m.share, count: m.count }));
  const latencyJumps: LatencyJump[] = series.jumps.map((j, n) => ({
    anchorFrame: segments[n + 1].startAnchorFrame, fromLagFrames: frames(j.fromMs), toLagFrames: frames(j.toMs),
  }));
  const drift: DriftEstimate | null = series.drift && {
    ppm: series.drift.ppm,
    ppmStdError: series.drift.ppmStdError,
    interceptFrames: frames(series.drift.interceptMs),
    jitterFrames: series.drift.jitterMs === null ? null : frames(series.drift.jitterMs),
    spanFrames: series.drift.spanS * sampleRate,
  };
  // The headline statistics describe the steady state: with a start-up, only the events after it.
  const allLag = summarize(good.map((r) => r.lagFrames as number));
  let lag = summarize(steady.map((r) => r.lagFrames as number));
  // The reference span of the steady state (the frequency response uses only this).
  const steadyEvents = steady.map((r) => events[r.index]);
  const steadyStartFrame = series.startup ? Math.max(layout.activeStartFrame, Math.min(...steadyEvents.map((e) => e.startFrame))) : layout.activeStartFrame;
  const steadyEndFrame = series.steadyIndex < series.segments.length - 1 ? Math.min(layout.activeEndFrame, Math.max(...steadyEvents.map((e) => e.endFrame))) : layout.activeEndFrame;

  // An ambiguous arrival: most events show another lobe nearly as high as the peak within 1 ms.
  const withLobes = steady.filter((r) => r.arrivalCandidatesFrames && r.arrivalCandidatesFrames.length > 0);
  let arrivalSpreadFrames: [number, number] | null = null;
  if (withLobes.length > 0 && withLobes.length >= 0.5 * steady.length) {
    const lows = withLobes.map((r) => Math.min(0, ...(r.arrivalCandidatesFrames as number[]).map((c) => c - (r.lagFrames as number))));
    const highs = withLobes.map((r) => Math.max(0, ...(r.arrivalCandidatesFrames as number[]).map((c) => c - (r.lagFrames as number))));
    const mid = (v: number[]): number => Float64Array.from(v).sort()[Math.floor((v.length - 1) / 2)];
    arrivalSpreadFrames = [lag.median + mid(lows), lag.median + mid(highs)];
    const ci = lag.medianCi95 ?? [lag.median, lag.median];
    // Each lobe's own position is known only to about LOBE_POSITION_TOLERANCE_S (it moves by a few
    // µs with the stimulus' spectrum and the noise), so the interval reaches that far past them.
    const tolerance = LOBE_POSITION_TOLERANCE_S * sampleRate;
    lag = { ...lag, medianCi95: [Math.min(ci[0], arrivalSpreadFrames[0], lag.min) - tolerance, Math.max(ci[1], arrivalSpreadFrames[1], lag.max) + tolerance] };
    warnings.push({
      code: 'AMBIGUOUS_ARRIVAL',
      message: `The path's correlation has lobes of nearly equal height from ${msText(arrivalSpreadFrames[0], sampleRate, 3)} to ${msText(arrivalSpreadFrames[1], sampleRate, 3)} ms in ${withLobes.length} of ${steady.length} events: which one is "the" arrival depends on the stimulus and the noise, so the interval of the median covers them all.`,
    });
  }

  const floor = measureNoiseFloor({
    capture, sampleRate, kind: layout.kind, events, activeStartFrame: layout.activeStartFrame, activeEndFrame: layout.activeEndFrame,
    lagOf: new Map(good.map((r) => [r.index, r.lagFrames as number])),
  });
  const snrDb = floor.status === 'measured' ? floor.snrDb : null;
  const noiseFloorDbfs = floor.status === 'measured' ? floor.noiseFloorDbfs : null;
  if (floor.status === 'no-quiet') warnings.push({ code: 'NO_NOISE_FLOOR', message: 'The capture has no quiet stretch (before the stimulus arrives, between clicks or after it) to measure the noise floor, so no SNR is given.' });
  if (floor.status === 'no-noise') warnings.push({ code: 'NO_NOISE_FLOOR', message: `No measurable noise: the capture is digital silence where the stimulus is not (below ${NO_NOISE_DBFS} dBFS), so no SNR is given.` });
  if (dropouts.length > 0) warnings.push({ code: 'DROPOUTS', message: `${dropouts.length} of ${captured.length} test events were missing from the capture (dropouts).` });
  if (lowConfidence.length > 0) warnings.push({ code: 'LOW_CONFIDENCE_EVENTS', message: `${lowConfidence.length} test event(s) were unclear and left out of the statistics.` });
  const outside = results.length - captured.length;
  if (outside > 0) warnings.push({ code: 'CAPTURE_ENDS_EARLY', message: `${outside} test event(s) fell outside the capture; record ${(allLag.max / sampleRate + 0.1).toFixed(1)} s longer than the stimulus.` });
  // Polarity only when the events agree: at least 80 % one way.
  const invertedShare = steady.filter((r) => r.inverted).length / steady.length;
  const polarityStable = invertedShare >= 0.8 || invertedShare <= 0.2;
  const polarityInverted = polarityStable && invertedShare >= 0.8;
  if (polarityInverted) warnings.push({ code: 'INVERTED_POLARITY', message: 'The path inverts polarity (its impulse response is negative at the arrival). Latency is unaffected.' });
  if (!polarityStable) warnings.push({ code: 'POLARITY_UNSTABLE', message: `The sign of the impulse response at the arrival is not stable (negative in ${(invertedShare * 100).toFixed(0)} % of the events), so no polarity is reported.` });
  if (lag.median < 0) warnings.push({ code: 'NEGATIVE_LATENCY', message: `The capture leads the reference by ${msText(-lag.median, sampleRate)} ms: check the channel assignment and that recording started before playback.` });
  if (startup) {
    warnings.push({
      code: 'STARTUP_TRANSIENT',
      message: `The latency settled only after ${(startup.untilFrame / sampleRate).toFixed(2)} s (start-up ${msText(startup.minLagFrames, sampleRate)} to ${msText(startup.maxLagFrames, sampleRate)} ms over ${startup.count} events); the results describe the steady state from then on (${steadyState.count} events).`,
    });
  }
  for (const jump of latencyJumps.slice(0, 3)) {
    warnings.push({ code: 'LATENCY_JUMP', message: `Latency changed from ${msText(jump.fromLagFrames, sampleRate)} to ${msText(jump.toLagFrames, sampleRate)} ms at ${(jump.anchorFrame / sampleRate).toFixed(2)} s.` });
  }
  if (latencyJumps.length > 3) warnings.push({ code: 'LATENCY_JUMP', message: `…and ${latencyJumps.length - 3} more latency changes.` });
  if (modes.length >= 2) {
    warnings.push({
      code: 'MULTIMODAL_LATENCY',
      message: `The latency alternates between ${modes.map((m) => `${msText(m.medianLagFrames, sampleRate)} ms (${(m.share * 100).toFixed(0)} %)`).join(' and ')} from event to event: a median or mean of this path describes no event, so verdicts that use one are inconclusive.`,
    });
  }
  // Confidence reflects the stability of the path: an alternating path only as much as its main
  // mode's share; a steady state of few events, or followed by further changes, less.
  const mainShare = modes.length >= 2 ? Math.max(...modes.map((m) => m.share)) : 1;
  const steadyShare = series.steadyIndex < series.segments.length - 1 ? steadyState.count / good.length : 1;
  const pathConfidence = confidence * mainShare * steadyShare * Math.min(1, steadyState.count / Math.min(5, good.length));

  return {
    ok: true,
    analysis: {
      sampleRate, kind: layout.kind, weighting: s.weighting, activeStartFrame: layout.activeStartFrame, activeEndFrame: layout.activeEndFrame, stimulusEvents: events,
      events: results, lag, allLag, confidence: pathConfidence, drift, snrDb, capturePeakDbfs: amplitudeToDb(capturePeak), noiseFloorDbfs, clipRuns,
      polarityInverted, polarityStable, latencyJumps, segments, steadyState, startup, modes, steadyStartFrame, steadyEndFrame, arrivalSpreadFrames, warnings,
    },
  };
}

function explainFailedAcquisition(outcomes: AcquisitionOutcome[], capture: Float32Array, sampleRate: number, minLag: number, maxLag: number): Refusal {
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
