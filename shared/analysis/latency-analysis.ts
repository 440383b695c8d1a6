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
import type { CorrelationWeighting, WholeDeconvolution } from '../dsp/cross-correlation';
import { amplitudeToDb, CLIP_THRESHOLD, detectClipping, firstNonFiniteIndex, peakAbs } from '../primitives/signal-level';
import { summarize, type Summary } from '../primitives/statistics';
import {
  ACQUIRE_MAX_AMBIGUITY, acquire, type AcquisitionOutcome, explainFailedAcquisition, LOBE_POSITION_TOLERANCE_S, msText, type Setup, SILENT_PEAK, trackEvents,
} from './latency-events';
import { driftModel, type SeriesSegment } from './latency-series';
import { measureNoiseFloor, NO_NOISE_DBFS } from './noise-floor';
import { defaultSegmentFrames, describeStimulus, isRefusal, type StimulusEvent, type StimulusKind, type StimulusLayout } from './stimulus-layout';

export { ARRIVAL_NEIGHBOURHOOD_S, eventConfidence, noisePeakDb } from './latency-events';

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
  /**
   * Keep a sweep's whole deconvolution for its impulse response (the result's `sweepDeconvolution`):
   * about 8 bytes per frame of the capture, held until the caller lets go of the result.
   */
  keepSweepDeconvolution?: boolean;
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
  /**
   * The impulse response at the arrival is negative: the path inverts polarity (see invertedAt).
   * Null for a dropout, and for a sweep whose sign is not stable (see polarity.ts); undefined when
   * not read (of a long run, only every k-th event's is: see MAX_POLARITY_EVENTS).
   */
  inverted: boolean | null | undefined;
  /**
   * Other lobes of the correlation within 1 ms of the peak and at least 0.7 of its height (lags in
   * frames): candidates for the arrival on an ambiguous path; null when not measured.
   */
  arrivalCandidatesFrames: number[] | null;
  /**
   * The correlation around the arrival of an 'ok' event (±5 ms, as measured: value k is at lag
   * `fromLagFrames` + k), kept for the peak chart; null for other events or when the search window
   * was narrower.
   */
  correlationWindow: { fromLagFrames: number; values: Float32Array } | null;
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
  /**
   * The events agree on the polarity (80 % or more of them have a stable sign, the same); an event
   * without a stable sign (a sweep whose response drift bent, see polarity.ts) counts against it.
   * polarityInverted is false when it is not.
   */
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
  | {
    ok: true;
    analysis: LatencyAnalysis;
    /**
     * With `keepSweepDeconvolution`, a sweep's regularised deconvolution over every lag (the
     * acquisition's, see correlateWithImpulse), for measureImpulseResponse to read the impulse
     * response from; null for other stimuli or when the sweep was not correlated whole.
     */
    sweepDeconvolution?: WholeDeconvolution | null;
  }
  /** `stimulusEvents`: the reference's events, when the layout was found before the refusal. */
  | { ok: false; refusal: Refusal; stimulusEvents?: StimulusEvent[] };

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
    const i = firstNonFiniteIndex(x);
    if (i >= 0) return fail(refusal('INVALID_SAMPLES', `The ${name} has a non-finite sample (${x[i]}) at frame ${i}.`));
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
    sweep: layout.kind === 'sweep',
    keepWhole: options.keepSweepDeconvolution === true,
    whole: null,
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
  const results = trackEvents(s, found, { searchHalf, spanFrames, minLag, maxLag });

  // 4. Statistics and honesty checks.
  const evidence = weighEvidence(results, capture.length, sampleRate, found.lagFrames);
  if ('code' in evidence) return fail(evidence, events);
  const { good, captured, lowConfidence, dropouts, confidence } = evidence;

  const warnings: AnalysisWarning[] = [];
  // Clipping: refuse when it touches more than 10 % of the measured events, warn otherwise.
  const clipping = checkClipping(capture, capturePeak, events, good);
  if ('code' in clipping) return fail(clipping, events);
  if (clipping.warning) warnings.push(clipping.warning);
  const { clipRuns } = clipping;

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
  const ambiguity = ambiguousArrival(steady, lag, sampleRate);
  if (ambiguity) {
    lag = ambiguity.lag;
    warnings.push(ambiguity.warning);
  }
  const arrivalSpreadFrames = ambiguity?.spreadFrames ?? null;

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
  // Polarity only when the events agree: at least 80 % one way, an event without a stable sign of
  // its own (see polarity.ts) counting against both. Over the steady state's events whose sign was
  // read (every k-th of a long run), or if none was, the whole run's.
  const readSteady = steady.filter((r) => r.inverted !== undefined);
  const polarityEvents = readSteady.length > 0 ? readSteady : good.filter((r) => r.inverted !== undefined);
  const invertedShare = polarityEvents.filter((r) => r.inverted === true).length / Math.max(1, polarityEvents.length);
  const upShare = polarityEvents.filter((r) => r.inverted === false).length / Math.max(1, polarityEvents.length);
  const polarityStable = invertedShare >= 0.8 || upShare >= 0.8;
  const polarityInverted = polarityStable && invertedShare >= 0.8;
  if (polarityInverted) warnings.push({ code: 'INVERTED_POLARITY', message: 'The path inverts polarity (its impulse response is negative at the arrival). Latency is unaffected.' });
  if (!polarityStable) warnings.push({ code: 'POLARITY_UNSTABLE', message: polarityUnstableMessage(polarityEvents, invertedShare, upShare) });
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
    ...(options.keepSweepDeconvolution ? { sweepDeconvolution: s.whole } : {}),
    analysis: {
      sampleRate, kind: layout.kind, weighting: s.weighting, activeStartFrame: layout.activeStartFrame, activeEndFrame: layout.activeEndFrame, stimulusEvents: events,
      events: results, lag, allLag, confidence: pathConfidence, drift, snrDb, capturePeakDbfs: amplitudeToDb(capturePeak), noiseFloorDbfs, clipRuns,
      polarityInverted, polarityStable, latencyJumps, segments, steadyState, startup, modes, steadyStartFrame, steadyEndFrame, arrivalSpreadFrames, warnings,
    },
  };
}

/** Why no polarity is reported: a sweep's sign that does not hold, or events that disagree. */
function polarityUnstableMessage(steady: EventResult[], invertedShare: number, upShare: number): string {
  if (steady.length === 1) {
    return 'The sign of the impulse response at the arrival does not hold: it changes with the bandwidth, or once the bend that clock drift gives a sweep is undone (a sweep is one event, so its drift cannot be measured), so no polarity is reported. Latency is unaffected.';
  }
  const undecided = 1 - invertedShare - upShare;
  const without = undecided > 0 ? ` and without a stable sign in ${(undecided * 100).toFixed(0)} %` : '';
  return `The sign of the impulse response at the arrival is not stable (negative in ${(invertedShare * 100).toFixed(0)} % of the ${steady.length} events read${without}), so no polarity is reported.`;
}

interface Evidence {
  good: EventResult[];
  captured: EventResult[];
  lowConfidence: EventResult[];
  dropouts: EventResult[];
  /** Median event confidence × coverage × the share of captured events that are clear. */
  confidence: number;
}

/**
 * What the tracked events support: the refusal when too few are clear (none captured, none clear,
 * fewer than three, or an overall confidence under 0.3), else the events sorted by status and the
 * overall confidence of their measurement.
 */
function weighEvidence(results: EventResult[], captureFrames: number, sampleRate: number, acquiredLagFrames: number): Evidence | Refusal {
  const good = results.filter((r) => r.status === 'ok');
  const captured = results.filter((r) => r.status !== 'not-captured');
  const lowConfidence = results.filter((r) => r.status === 'low-confidence');
  const dropouts = results.filter((r) => r.status === 'dropout');
  if (captured.length === 0) {
    return refusal('TOO_SHORT', `The capture (${(captureFrames / sampleRate).toFixed(2)} s) ends before any test event could arrive at the measured latency of ${msText(acquiredLagFrames, sampleRate)} ms.`);
  }
  const counts = `${dropouts.length} missing, ${lowConfidence.length} unclear`;
  if (good.length === 0) {
    const ambiguous = lowConfidence.filter((r) => (r.ambiguity ?? 0) > ACQUIRE_MAX_AMBIGUITY).length;
    if (lowConfidence.length > 0 && ambiguous > lowConfidence.length / 2) {
      return refusal('AMBIGUOUS_PEAK', `None of the ${captured.length} test events had a single clear arrival: ${ambiguous} showed two peaks of similar height.`);
    }
    return refusal('SIGNAL_TOO_LOW', `None of the ${captured.length} test events rose clearly above the noise (${counts}).`);
  }
  if (captured.length >= 3 && good.length < 3) {
    return refusal('TOO_FEW_EVENTS', `Only ${good.length} of ${captured.length} test events were measured with confidence (${counts}).`);
  }
  const confidences = good.map((r) => r.confidence).sort((a, b) => a - b);
  const medianConfidence = confidences[Math.floor((confidences.length - 1) / 2)];
  const coverage = Math.min(1, good.length / Math.min(5, captured.length));
  const confidence = medianConfidence * coverage * (good.length / (good.length + lowConfidence.length));
  if (confidence < 0.3) {
    const code = dropouts.length > lowConfidence.length ? 'TOO_FEW_EVENTS' : 'SIGNAL_TOO_LOW';
    return refusal(code, `Overall confidence is ${confidence.toFixed(2)}: only ${good.length} of ${captured.length} test events were measured clearly (${counts}).`);
  }
  return { good, captured, lowConfidence, dropouts, confidence };
}

/**
 * A path whose arrival is ambiguous: most steady-state events show another lobe of the correlation
 * nearly as high as the peak near it. Returns the statistics with the interval of the median widened
 * to cover every candidate (see LOBE_POSITION_TOLERANCE_S), the spread of the candidates and the
 * warning; null when the arrival is clear.
 */
function ambiguousArrival(steady: EventResult[], lag: Summary, sampleRate: number): { lag: Summary; spreadFrames: [number, number]; warning: AnalysisWarning } | null {
  const withLobes = steady.filter((r) => r.arrivalCandidatesFrames && r.arrivalCandidatesFrames.length > 0);
  if (withLobes.length === 0 || withLobes.length < 0.5 * steady.length) return null;
  const lows = withLobes.map((r) => Math.min(0, ...(r.arrivalCandidatesFrames as number[]).map((c) => c - (r.lagFrames as number))));
  const highs = withLobes.map((r) => Math.max(0, ...(r.arrivalCandidatesFrames as number[]).map((c) => c - (r.lagFrames as number))));
  const mid = (v: number[]): number => Float64Array.from(v).sort()[Math.floor((v.length - 1) / 2)];
  const spreadFrames: [number, number] = [lag.median + mid(lows), lag.median + mid(highs)];
  const ci = lag.medianCi95 ?? [lag.median, lag.median];
  // Each lobe's own position is known only to about LOBE_POSITION_TOLERANCE_S (it moves by a few
  // µs with the stimulus' spectrum and the noise), so the interval reaches that far past them.
  const tolerance = LOBE_POSITION_TOLERANCE_S * sampleRate;
  return {
    lag: { ...lag, medianCi95: [Math.min(ci[0], spreadFrames[0], lag.min) - tolerance, Math.max(ci[1], spreadFrames[1], lag.max) + tolerance] },
    spreadFrames,
    warning: {
      code: 'AMBIGUOUS_ARRIVAL',
      message: `The path's correlation has lobes of nearly equal height from ${msText(spreadFrames[0], sampleRate, 3)} to ${msText(spreadFrames[1], sampleRate, 3)} ms in ${withLobes.length} of ${steady.length} events: which one is "the" arrival depends on the stimulus and the noise, so the interval of the median covers them all.`,
    },
  };
}

/** Clipped stretches of the capture: a refusal when they touch more than 10 % of the measured events, else a warning (or none). */
function checkClipping(capture: Float32Array, capturePeak: number, events: StimulusEvent[], good: EventResult[]): { clipRuns: number; warning: AnalysisWarning | null } | Refusal {
  // Under full scale nothing clips: no scan of the capture for clipped runs.
  if (capturePeak < CLIP_THRESHOLD) return { clipRuns: 0, warning: null };
  const { clipRuns } = detectClipping(capture);
  if (clipRuns === 0) return { clipRuns, warning: null };
  let affected = 0;
  for (const r of good) {
    const e = events[r.index];
    const start = e.startFrame + Math.round(r.lagFrames as number);
    if (peakAbs(capture, start, start + (e.endFrame - e.startFrame)) >= CLIP_THRESHOLD) affected++;
  }
  if (affected > 0.1 * good.length) {
    return refusal('CLIPPED', `The capture clips: ${affected} of ${good.length} measured events reach full scale (${clipRuns} clipped stretches in all).`);
  }
  return { clipRuns, warning: { code: 'CLIPPING', message: `${clipRuns} clipped stretch(es) in the capture, touching ${affected} measured event(s); the result stands, but lower the level next time.` } };
}
