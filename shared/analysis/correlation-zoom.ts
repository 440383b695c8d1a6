/**
 * The correlation around a measured arrival, for the "correlation peak" chart: it shows how sharp
 * and how clear the peak behind a latency figure is (reflections appear as secondary peaks).
 */
import { crossCorrelateWindow, type CorrelationWeighting } from '../dsp/cross-correlation';
import type { StimulusEvent } from './stimulus-layout';

export interface CorrelationZoom {
  /** The event shown (the confident event whose latency is closest to the median). */
  eventIndex: number;
  /** Lag of each point, in ms. */
  lagMs: number[];
  /** Correlation normalised to the peak's magnitude (the peak is ±1). */
  value: number[];
}

/**
 * The correlation of reference[event] with the capture over lags within ±halfWidthMs of
 * `lagFrames`, one point per frame. Null when the window does not fit in the capture.
 */
export function correlationZoom(
  reference: Float32Array,
  capture: Float32Array,
  sampleRate: number,
  event: StimulusEvent,
  eventIndex: number,
  lagFrames: number,
  options: { weighting: CorrelationWeighting; halfWidthMs?: number },
): CorrelationZoom | null {
  const half = Math.round(((options.halfWidthMs ?? 5) / 1000) * sampleRate);
  const from = Math.round(lagFrames) - half;
  const templateLength = event.endFrame - event.startFrame;
  const signalStart = event.startFrame + from;
  const signalLength = Math.min(capture.length - signalStart, templateLength + 2 * half);
  if (signalStart < 0 || signalLength < templateLength + 2) return null;
  const r = crossCorrelateWindow(
    { template: reference, templateStart: event.startFrame, templateLength, signal: capture, signalStart, signalLength },
    { weighting: options.weighting },
  );
  return normalisedZoom(eventIndex, from, r, sampleRate);
}

/** The part of an analysis output that picks the event to zoom on. */
export interface ZoomSource {
  status: 'ok' | 'refused';
  latency?: { medianMs: number; events: { status: string; latencyMs: number | null }[] };
}

/**
 * The zoom for an analysis: around the confident event whose latency is closest to the median.
 * Null for a refused analysis or when no event qualifies.
 */
export function zoomForAnalysis(
  reference: Float32Array,
  capture: Float32Array,
  sampleRate: number,
  output: ZoomSource,
  events: StimulusEvent[],
  weighting: CorrelationWeighting = 'phat',
  /** The correlation the analysis already computed around each event's arrival, where it kept one. */
  kept?: ReadonlyArray<{ fromLagFrames: number; values: Float32Array } | null>,
): CorrelationZoom | null {
  const latency = output.latency;
  if (output.status !== 'ok' || !latency) return null;
  let best = -1;
  let bestDistance = Infinity;
  latency.events.forEach((e, i) => {
    if (e.status !== 'ok' || e.latencyMs === null) return;
    const distance = Math.abs(e.latencyMs - latency.medianMs);
    if (distance < bestDistance) {
      best = i;
      bestDistance = distance;
    }
  });
  if (best < 0 || !events[best]) return null;
  const window = kept?.[best];
  if (window) return normalisedZoom(best, window.fromLagFrames, window.values, sampleRate);
  const lagFrames = ((latency.events[best].latencyMs as number) / 1000) * sampleRate;
  return correlationZoom(reference, capture, sampleRate, events[best], best, lagFrames, { weighting });
}

/** A correlation window (value k at lag `fromLagFrames` + k) as a zoom: lags in ms, the peak ±1. */
function normalisedZoom(eventIndex: number, fromLagFrames: number, values: ArrayLike<number>, sampleRate: number): CorrelationZoom | null {
  let peak = 0;
  for (let k = 0; k < values.length; k++) peak = Math.max(peak, Math.abs(values[k]));
  if (peak === 0) return null;
  return {
    eventIndex,
    lagMs: Array.from({ length: values.length }, (_, k) => ((fromLagFrames + k) / sampleRate) * 1000),
    value: Array.from({ length: values.length }, (_, k) => values[k] / peak),
  };
}

/**
 * The polarity a result reports: undefined when it is not stable (the POLARITY_UNSTABLE warning),
 * where `polarityInverted` is false for want of a sign, not because the path does not invert.
 */
export function reportedPolarity(analysis: { polarityInverted?: boolean; warnings: ReadonlyArray<{ code: string }> }): boolean | undefined {
  return analysis.warnings.some((w) => w.code === 'POLARITY_UNSTABLE') ? undefined : analysis.polarityInverted;
}

/**
 * A note for a PHAT zoom whose main peak points the other way than the reported polarity, else null.
 * The zoom is the PHAT-weighted correlation (the one the latency comes from), which weighs every
 * frequency bin equally: a path that rolls off above a cut-off (a 2-pole low-pass) turns it negative
 * although its impulse response, from which the polarity is read, is positive.
 */
export function zoomPolarityNote(zoom: CorrelationZoom, polarityInverted: boolean | undefined, weighting: CorrelationWeighting): string | null {
  // Only PHAT has this to explain; a plain correlation is read as it is.
  if (weighting !== 'phat') return null;
  let extreme = 0;
  for (const v of zoom.value) if (Math.abs(v) > Math.abs(extreme)) extreme = v;
  if (extreme === 0 || polarityInverted === undefined || extreme < 0 === polarityInverted) return null;
  return polarityInverted
    ? 'The peak points up although the path inverts polarity: this correlation is PHAT-weighted (every frequency counts equally, as for the latency); the polarity is read from the impulse response, which is negative at the arrival.'
    : 'The peak points down although the polarity is normal: this correlation is PHAT-weighted (every frequency counts equally, as for the latency), and a path that rolls off above a cut-off turns its peak negative; the polarity is read from the impulse response, which is positive at the arrival.';
}
