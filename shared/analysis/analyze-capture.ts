/**
 * The whole analysis of one capture: latency (per event, with statistics, drift and confidence),
 * the frequency response (every stimulus: click trains by their averaged per-click deconvolution),
 * and added latency over a baseline. Its output,
 * in milliseconds, is what the CLI prints with --json and what a report stores (with the verdicts
 * that shared/claims/judge.ts adds after it); `analyzeLatency` underneath works in frames.
 */
import type { AnalysisWarning, RefusalCode } from './analysis-refusal';
import type { SmoothingFraction } from './frequency-response';
import { type CorrelationZoom, type Polarity, polarityOf, zoomForAnalysis } from './correlation-zoom';
import { analyzeLatency, type EventStatus, type LatencyAnalysis, type LatencyOptions } from './latency-analysis';
import type { MicCalibration } from './mic-calibration';
import { type FrequencyResponseOutput, measureFrequencyResponse } from './response-output';
import type { Summary } from '../primitives/statistics';
import type { StimulusEvent, StimulusKind } from './stimulus-layout';

/** The correlation weightings a user can choose ('deconvolve' is internal: the polarity read-out). */
export const ANALYSIS_WEIGHTINGS = ['phat', 'none'] as const;
export type AnalysisWeighting = (typeof ANALYSIS_WEIGHTINGS)[number];

export interface AnalyzeOptions extends Omit<LatencyOptions, 'weighting'> {
  /** Correlation weighting of the latency search. Default 'phat'. */
  weighting?: AnalysisWeighting;
  /** The computer's own round trip, measured on a wired or reference path, in ms. */
  baselineMs?: number;
  micCalibration?: MicCalibration;
  /** Smoothing of the frequency response points. Default 1/12 octave. */
  smoothing?: SmoothingFraction;
}

export type { FrequencyResponseOutput } from './response-output';

export interface LatencyEventOutput {
  /** When the event was played, seconds from the start of the reference. */
  timeS: number;
  latencyMs: number | null;
  confidence: number;
  status: EventStatus;
  peakToNoiseDb: number | null;
}

export interface LatencyStatsOutput {
  medianMs: number;
  meanMs: number;
  stdMs: number;
  minMs: number;
  maxMs: number;
  p95Ms: number;
  /** 95 % confidence interval of the median (null below 6 events). */
  medianCi95Ms: [number, number] | null;
  /** Events used in the statistics. */
  count: number;
}

/** A stretch of the run over which the latency held one level. */
export interface LatencySegmentOutput {
  /** Times of its first and last event, s from the start of the reference. */
  fromS: number;
  toS: number;
  medianMs: number;
  count: number;
}

/**
 * The latency statistics (medianMs … count) describe the steady state: when a start-up is detected,
 * its events are left out of them (they are in `startup` and `events`), so the verdicts and lip sync
 * judge the latency the path settled at. The four fields below are optional only so that reports
 * written before them still load; every analysis fills them.
 */
export interface LatencyOutput extends LatencyStatsOutput {
  /** The steady state the statistics describe: from when, over how many events. */
  steadyState?: { medianMs: number; fromS: number; count: number };
  /** The events before the steady state; null when the path is stable from the start. */
  startup?: { untilS: number; medianMs: number; maxMs: number } | null;
  /** Stable segments in time order (one for a stable path, and for an alternating one). */
  segments?: LatencySegmentOutput[];
  /** The latencies an alternating path takes turns at (two or more); empty otherwise. */
  modes?: Array<{ medianMs: number; share: number; count: number }>;
  eventsTotal: number;
  dropouts: number;
  lowConfidence: number;
  notCaptured: number;
  events: LatencyEventOutput[];
}

export interface AddedLatencyOutput extends LatencyStatsOutput {
  baselineMs: number;
}


/** The options every analysis uses unless told otherwise; a report records them with the overrides. */
export const ANALYSIS_DEFAULTS = { weighting: 'phat', maxLatencyMs: 2000, smoothing: 12 } as const satisfies AnalyzeOptions;

/** The options an analysis actually ran with: the caller's, over the defaults. */
export const resolveAnalyzeOptions = <T extends AnalyzeOptions>(options: T): T & Required<Pick<AnalyzeOptions, keyof typeof ANALYSIS_DEFAULTS>> =>
  ({ ...ANALYSIS_DEFAULTS, ...options });

/** What the analysis measured; shared/claims/judge.ts adds the verdicts to make an AnalysisOutput. */
export interface MeasuredOk {
  status: 'ok';
  stimulus: { kind: StimulusKind; sampleRate: number; events: number; durationS: number };
  latency: LatencyOutput;
  /** Measured minus baseline, when a baseline is given. */
  added?: AddedLatencyOutput;
  confidence: number;
  drift: { ppm: number; ppmStdError: number | null; jitterMs: number | null } | null;
  snrDb: number | null;
  capturePeakDbfs: number;
  noiseFloorDbfs: number | null;
  /**
   * The path inverts polarity; false also when the polarity was not determined (see `polarity`),
   * so read `polarity` (or resultPolarity) for what the result says.
   */
  polarityInverted: boolean;
  /**
   * 'normal', 'inverted', or 'not-determined' when the events do not agree on a sign (80 % or more
   * the same; POLARITY_UNSTABLE says why). Optional only so that reports written before it still
   * load (resultPolarity then reads the warnings); every analysis fills it.
   */
  polarity?: Polarity;
  frequencyResponse: FrequencyResponseOutput | null;
  warnings: AnalysisWarning[];
  /** Never on a result (the refusal's field), so `output.error` reads on either variant. */
  error?: undefined;
}

/**
 * A capture that cannot support a number: the typed reason and what to do, nothing measured. The
 * result's fields are declared absent (`?: undefined`), so `output.latency?.medianMs` reads on
 * either variant while narrowing on `status` gives the one that holds them.
 */
export interface MeasuredRefused {
  status: 'refused';
  error: { code: RefusalCode; message: string; advice: string };
  warnings: AnalysisWarning[];
  stimulus?: undefined;
  latency?: undefined;
  added?: undefined;
  confidence?: undefined;
  drift?: undefined;
  snrDb?: undefined;
  capturePeakDbfs?: undefined;
  noiseFloorDbfs?: undefined;
  polarityInverted?: undefined;
  polarity?: undefined;
  frequencyResponse?: undefined;
  lipSync?: undefined;
  verdict?: undefined;
}

/** What the analysis measured (ok) or why it refused, told apart by `status`; judge.ts adds the verdicts. */
export type MeasuredOutput = MeasuredOk | MeasuredRefused;

const toMs = (frames: number, sampleRate: number): number => (frames / sampleRate) * 1000;

/** Statistics in frames as milliseconds, less `offsetMs` (the baseline). */
function statsOutput(s: Summary, sampleRate: number, offsetMs = 0): LatencyStatsOutput {
  const ms = (frames: number): number => toMs(frames, sampleRate) - offsetMs;
  return {
    medianMs: ms(s.median), meanMs: ms(s.mean), stdMs: toMs(s.std, sampleRate), minMs: ms(s.min), maxMs: ms(s.max), p95Ms: ms(s.p95),
    medianCi95Ms: s.medianCi95 && [ms(s.medianCi95[0]), ms(s.medianCi95[1])], count: s.count,
  };
}

/** One analysis pass: the output, the stimulus events it found and the correlation around the median arrival. */
export interface CapturePass {
  output: MeasuredOutput;
  /** The stimulus events of the reference the latencies belong to, in frames (empty when refused early). */
  events: StimulusEvent[];
  /** The correlation around the confident event closest to the median, for the peak chart; null when refused. */
  zoom: CorrelationZoom | null;
}

/**
 * Analyses a capture once and hands back everything the app, the CLI and a report need from it, so
 * nothing downstream finds the events or correlates again.
 */
export function measureCapture(reference: Float32Array, capture: Float32Array, sampleRate: number, options: AnalyzeOptions = {}): CapturePass {
  const { output, analysis, stimulusEvents } = runAnalysis(reference, capture, sampleRate, options);
  if (!analysis) return { output, events: stimulusEvents, zoom: null };
  const kept = analysis.events.map((e) => e.correlationWindow);
  const zoom = zoomForAnalysis(reference, capture, sampleRate, output, analysis.stimulusEvents, analysis.weighting, kept);
  return { output, events: analysis.stimulusEvents, zoom };
}

/** The analysis output alone (see measureCapture for the events and the zoom as well). */
export function analyzeCapture(reference: Float32Array, capture: Float32Array, sampleRate: number, options: AnalyzeOptions = {}): MeasuredOutput {
  return runAnalysis(reference, capture, sampleRate, options).output;
}

interface AnalysisRun {
  output: MeasuredOutput;
  analysis: LatencyAnalysis | null;
  /** The reference's events (also when refused, if they were found before the refusal). */
  stimulusEvents: StimulusEvent[];
}

function runAnalysis(reference: Float32Array, capture: Float32Array, sampleRate: number, given: AnalyzeOptions): AnalysisRun {
  const options = resolveAnalyzeOptions(given);
  const result = analyzeLatency(reference, capture, sampleRate, { ...options, keepSweepDeconvolution: true });
  if (!result.ok) return { output: { status: 'refused', error: { ...result.refusal }, warnings: [] }, analysis: null, stimulusEvents: result.stimulusEvents ?? [] };
  const a = result.analysis;
  const warnings = [...a.warnings];

  const latency: LatencyOutput = {
    // The steady state's statistics (see LatencyOutput).
    ...statsOutput(a.lag, sampleRate),
    steadyState: { medianMs: toMs(a.steadyState.medianLagFrames, sampleRate), fromS: a.steadyState.startAnchorFrame / sampleRate, count: a.steadyState.count },
    startup: a.startup && { untilS: a.startup.untilFrame / sampleRate, medianMs: toMs(a.startup.medianLagFrames, sampleRate), maxMs: toMs(a.startup.maxLagFrames, sampleRate) },
    segments: a.segments.map((seg) => ({
      fromS: seg.startAnchorFrame / sampleRate, toS: seg.endAnchorFrame / sampleRate, medianMs: toMs(seg.medianLagFrames, sampleRate), count: seg.count,
    })),
    modes: a.modes.map((m) => ({ medianMs: toMs(m.medianLagFrames, sampleRate), share: m.share, count: m.count })),
    eventsTotal: a.events.length,
    dropouts: a.events.filter((e) => e.status === 'dropout').length,
    lowConfidence: a.events.filter((e) => e.status === 'low-confidence').length,
    notCaptured: a.events.filter((e) => e.status === 'not-captured').length,
    events: a.events.map((e) => ({
      timeS: e.anchorFrame / sampleRate,
      latencyMs: e.lagFrames === null ? null : toMs(e.lagFrames, sampleRate),
      confidence: e.confidence,
      status: e.status,
      peakToNoiseDb: e.peakToNoiseDb,
    })),
  };

  const output: MeasuredOutput = {
    status: 'ok',
    stimulus: { kind: a.kind, sampleRate, events: a.events.length, durationS: reference.length / sampleRate },
    latency,
    confidence: a.confidence,
    drift: a.drift && {
      ppm: a.drift.ppm,
      ppmStdError: a.drift.ppmStdError,
      jitterMs: a.drift.jitterFrames === null ? null : toMs(a.drift.jitterFrames, sampleRate),
    },
    snrDb: a.snrDb,
    capturePeakDbfs: a.capturePeakDbfs,
    noiseFloorDbfs: a.noiseFloorDbfs,
    polarityInverted: a.polarityInverted,
    polarity: polarityOf(a),
    frequencyResponse: null,
    warnings,
  };

  if (options.baselineMs !== undefined) {
    if (!Number.isFinite(options.baselineMs)) throw new RangeError(`baselineMs must be a finite number, got ${options.baselineMs}`);
    const baselineMs = options.baselineMs;
    output.added = { ...statsOutput(a.lag, sampleRate, baselineMs), baselineMs };
  }

  output.frequencyResponse = measureFrequencyResponse(reference, capture, a, { ...options, sweepDeconvolution: result.sweepDeconvolution }, warnings);
  return { output, analysis: a, stimulusEvents: a.stimulusEvents };
}
