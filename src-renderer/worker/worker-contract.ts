/**
 * The analysis worker's one typed contract: every method with its params and response. Large
 * arrays travel as transferables (moved, not copied) in both directions.
 */
import type { AnalyzeOptions } from '../../shared/analysis/analyze-capture';
import type { AnalysisOutput, JudgeOptions } from '../../shared/claims/judge';
import type { CorrelationZoom } from '../../shared/analysis/correlation-zoom';
import type { StimulusEvent } from '../../shared/analysis/stimulus-layout';
import type { StimulusSpec } from '../../shared/stimulus/stimulus';
import type { MultiOutputAnalysis, MultiOutputOptions } from '../../shared/analysis/multi-output';
import type { MultiSpeakerOptions, MultiSpeakerResult } from '../../shared/analysis/multi-speaker';
import type { MultiOutputReference, MultiOutputSpec } from '../../shared/stimulus/multi-output';
import type { AvAnalysisOptions, AvAudioTrack } from '../../shared/av/av-analysis';
import type { AvAnalysisOutput } from '../../shared/av/av-schema';
import type { AvCalibrationOptions, AvCalibrationOutput } from '../../shared/av/av-calibration';
import type { LumaGridVideo } from '../../shared/av/luma-grid';

export interface AnalyzeParams {
  reference: Float32Array;
  capture: Float32Array;
  sampleRate: number;
  /** How to analyse and what to judge the result against. */
  options: AnalyzeOptions & JudgeOptions;
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

/** Several outputs in one run: one reference channel per output, one microphone. */
export interface AnalyzeOutputsParams {
  channels: Float32Array[];
  capture: Float32Array;
  sampleRate: number;
  options: MultiOutputOptions;
}

/** One stream on several speakers: a one-channel click reference, N arrivals to find. */
export interface AnalyzeSpeakersParams {
  reference: Float32Array;
  capture: Float32Array;
  sampleRate: number;
  options: MultiSpeakerOptions;
}

/**
 * A camera recording of the A/V pattern, decoded in the page to the analysis' luma grid and mono
 * audio (its cells, timestamps and samples are transferred, not copied).
 */
export interface AnalyzeAvParams {
  video: LumaGridVideo;
  audio: AvAudioTrack | null;
  options: AvAnalysisOptions;
}

/** A calibration recording: the pattern filmed from a display and speaker of known A/V offset. */
export interface CalibrateAvParams {
  video: LumaGridVideo;
  audio: AvAudioTrack | null;
  options: AvCalibrationOptions;
}

export interface WorkerMethods {
  analyze: { params: AnalyzeParams; response: AnalyzeResponse };
  analyzeOutputs: { params: AnalyzeOutputsParams; response: { output: MultiOutputAnalysis; channels: Float32Array[]; capture: Float32Array } };
  analyzeSpeakers: { params: AnalyzeSpeakersParams; response: { output: MultiSpeakerResult; reference: Float32Array; capture: Float32Array } };
  generateStimulus: { params: StimulusSpec; response: { samples: Float32Array } };
  generateMultiOutput: { params: MultiOutputSpec; response: Pick<MultiOutputReference, 'channels' | 'clickFrames'> };
  /** The A/V offset of a recording, judged against the lip-sync standards and the 50 ms claim. */
  analyzeAv: { params: AnalyzeAvParams; response: { output: AvAnalysisOutput } };
  /** The camera's own A/V offset from a calibration recording. */
  calibrateAv: { params: CalibrateAvParams; response: { output: AvCalibrationOutput } };
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
