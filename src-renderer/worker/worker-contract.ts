/**
 * The analysis worker's one typed contract: every method with its params and response. Large
 * arrays travel as transferables (moved, not copied) in both directions.
 */
import type { AnalysisOutput, AnalyzeOptions } from '../../shared/analyze-capture';
import type { CorrelationZoom } from '../../shared/correlation-zoom';
import type { StimulusEvent } from '../../shared/stimulus-layout';
import type { StimulusSpec } from '../../shared/stimulus';

export interface AnalyzeParams {
  reference: Float32Array;
  capture: Float32Array;
  sampleRate: number;
  options: AnalyzeOptions;
}

export interface AnalyzeResponse {
  output: AnalysisOutput;
  /** The correlation around the median event's arrival, for the peak chart; null when refused. */
  zoom: CorrelationZoom | null;
  /** The stimulus events the analysis used (for charts and music mode). */
  events: StimulusEvent[];
  /** The input buffers, handed back (they were transferred to the worker). */
  reference: Float32Array;
  capture: Float32Array;
}

export interface WorkerMethods {
  analyze: { params: AnalyzeParams; response: AnalyzeResponse };
  generateStimulus: { params: StimulusSpec; response: { samples: Float32Array } };
}

export type WorkerMethod = keyof WorkerMethods;

export type WorkerRequest = {
  [M in WorkerMethod]: { id: number; method: M; params: WorkerMethods[M]['params'] };
}[WorkerMethod];

export type WorkerReply =
  | { id: number; ok: true; result: WorkerMethods[WorkerMethod]['response'] }
  | { id: number; ok: false; error: string };

/** The ArrayBuffers inside a value that can be transferred instead of copied. */
export function transferablesOf(value: unknown): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const visit = (v: unknown): void => {
    if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer) buffers.add(v.buffer);
    else if (v && typeof v === 'object' && !ArrayBuffer.isView(v)) for (const child of Object.values(v)) if (ArrayBuffer.isView(child) || (child && typeof child === 'object')) visit(child);
  };
  visit(value);
  return [...buffers];
}
