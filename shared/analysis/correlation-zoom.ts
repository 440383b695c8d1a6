/**
 * The correlation around a measured arrival, for the "correlation peak" chart: it shows how sharp
 * and how clear the peak behind a latency figure is (reflections appear as secondary peaks). Also
 * what a result says of the path's polarity (resultPolarity), which the chart's note, the app, the
 * HTML report and the CLI read, so that none of them calls an undetermined polarity normal.
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
 * What a result says of the path's polarity (the sign of its impulse response at the arrival):
 * 'not-determined' when the events do not agree on a sign (the POLARITY_UNSTABLE warning), where
 * `polarityInverted` is false for want of a sign, not because the path does not invert.
 */
export const POLARITIES = ['normal', 'inverted', 'not-determined'] as const;
export type Polarity = (typeof POLARITIES)[number];

/** The polarity of an analysis whose events agree on a sign (`polarityStable`) or not. */
export const polarityOf = (a: { polarityStable: boolean; polarityInverted: boolean }): Polarity =>
  !a.polarityStable ? 'not-determined' : a.polarityInverted ? 'inverted' : 'normal';

/**
 * The polarity a result states: its `polarity` field, or for a result made before that field, what
 * its warnings say (POLARITY_UNSTABLE: not determined) with `polarityInverted`. Undefined for a
 * result without one (a refusal).
 */
export function resultPolarity(analysis: { polarity?: Polarity; polarityInverted?: boolean; warnings: ReadonlyArray<{ code: string }> }): Polarity | undefined {
  if (analysis.polarity !== undefined) return analysis.polarity;
  if (analysis.polarityInverted === undefined) return undefined;
  return polarityOf({ polarityStable: !analysis.warnings.some((w) => w.code === 'POLARITY_UNSTABLE'), polarityInverted: analysis.polarityInverted });
}

/**
 * A note on the sign of a zoom's main peak, else null. With a polarity (normal or inverted): only
 * for a PHAT zoom whose peak points the other way. The zoom is the PHAT-weighted correlation (the
 * one the latency comes from), which weighs every frequency bin equally: a path that rolls off above
 * a cut-off (a 2-pole low-pass) turns it negative although its impulse response, from which the
 * polarity is read, is positive. Without one (not determined), whichever way the peak points, so
 * that nobody reads a polarity into it. Null for a result without a polarity (undefined).
 */
export function zoomPolarityNote(zoom: CorrelationZoom, polarity: Polarity | undefined, weighting: CorrelationWeighting): string | null {
  let extreme = 0;
  for (const v of zoom.value) if (Math.abs(v) > Math.abs(extreme)) extreme = v;
  if (extreme === 0 || polarity === undefined) return null;
  if (polarity === 'not-determined') {
    return `The polarity was not determined (the sign of the impulse response at the arrival does not hold: POLARITY_UNSTABLE), so the peak pointing ${extreme < 0 ? 'down' : 'up'} does not tell it either.`;
  }
  // Only PHAT has this to explain; a plain correlation is read as it is.
  if (weighting !== 'phat' || extreme < 0 === (polarity === 'inverted')) return null;
  return polarity === 'inverted'
    ? 'The peak points up although the path inverts polarity: this correlation is PHAT-weighted (every frequency counts equally, as for the latency); the polarity is read from the impulse response, which is negative at the arrival.'
    : 'The peak points down although the polarity is normal: this correlation is PHAT-weighted (every frequency counts equally, as for the latency), and a path that rolls off above a cut-off turns its peak negative; the polarity is read from the impulse response, which is positive at the arrival.';
}
