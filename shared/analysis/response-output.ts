/** The frequency response part of an analysis: the transfer function measured from the capture. */
import {
  type BandSpectra,
  estimateBandSpectra,
  type FrequencyPoint,
  meanLevelDb,
  medianCoherence,
  type SmoothingFraction,
  smoothResponse,
  type SpectrumBand,
} from './frequency-response';
import type { AnalysisWarning } from './analysis-refusal';
import type { LatencyAnalysis } from './latency-analysis';
import { applyMicCalibration, type MicCalibration } from './mic-calibration';

export interface FrequencyResponseOutput {
  smoothing: SmoothingFraction;
  fftSize: number;
  averages: number;
  /** Mean path gain over 500 Hz–2 kHz, for normalised display. */
  referenceLevelDb: number | null;
  /** Median coherence over 100 Hz–10 kHz. */
  medianCoherence: number | null;
  micCalibration: { applied: true; sensitivityDb: number | null; serial: string | null } | null;
  points: FrequencyPoint[];
  /** 1/48-octave band spectra, from which any smoothing can be recomputed exactly. */
  bands: SpectrumBand[];
}

/**
 * The frequency response of a noise or sweep capture, from the latency analysis' alignment (its
 * drift line, or the median lag); null (with a warning) when the stimulus is too short for one.
 */
export function measureFrequencyResponse(
  reference: Float32Array,
  capture: Float32Array,
  a: LatencyAnalysis,
  options: { smoothing: SmoothingFraction; micCalibration?: MicCalibration },
  warnings: AnalysisWarning[],
): FrequencyResponseOutput | null {
  const lag = a.drift ? { interceptFrames: a.drift.interceptFrames, slope: a.drift.ppm * 1e-6 } : { interceptFrames: a.lag.median, slope: 0 };
  const spectra: BandSpectra | null = estimateBandSpectra(reference, capture, a.sampleRate, {
    startFrame: a.activeStartFrame,
    endFrame: a.activeEndFrame,
    lag,
  });
  if (!spectra || spectra.bands.length === 0) {
    warnings.push({ code: 'LOW_COHERENCE', message: 'The stimulus is too short for a frequency response (it needs at least 4096 frames of noise or sweep).' });
    return null;
  }
  const smoothing = options.smoothing;
  let points = smoothResponse(spectra, smoothing);
  if (options.micCalibration) points = applyMicCalibration(points, options.micCalibration);
  const coherence = medianCoherence(spectra);
  if (coherence !== null && coherence < 0.8) {
    warnings.push({ code: 'LOW_COHERENCE', message: `Median coherence over 100 Hz–10 kHz is ${coherence.toFixed(2)}: the response is noisy or the path is not linear and time-invariant; treat it with care.` });
  }
  return {
    smoothing,
    fftSize: spectra.fftSize,
    averages: spectra.averages,
    referenceLevelDb: meanLevelDb(spectra),
    medianCoherence: coherence,
    micCalibration: options.micCalibration
      ? { applied: true, sensitivityDb: options.micCalibration.sensitivityDb, serial: options.micCalibration.serial }
      : null,
    points,
    bands: spectra.bands,
  };
}
