/**
 * What the in-browser loop must measure, computed in Node with the shared code.
 *
 * Latency: the loop is a pure delay of `delayFrames` followed by a 2nd-order Butterworth low-pass.
 * A minimum-phase filter has no single delay: its group delay varies with frequency (about 2.7
 * frames at low frequencies for 4 kHz at 48 kHz, falling to zero far above the cut-off), and the
 * GCC-PHAT peak — the figure the app reports — sits at a phase-weighted average of it over the
 * stimulus band. So the expected value is the peak arrival of the filtered stimulus computed
 * offline: the same reference, delayed by the same whole number of frames, filtered by the same
 * coefficients (applyIir is the same difference equation an IIRFilterNode runs), analysed by the
 * same analyzeCapture. The browser path must then agree to within 0.05 ms; any error in capture
 * alignment (a frame lost or gained between playback and capture) would show as 0.0208 ms steps
 * at 48 kHz, and any extra buffering as a multiple of 128 frames (2.67 ms). The group delay at the
 * stimulus' energy centroid is reported next to it for reference.
 *
 * Frequency response: the measured path gain in 1/48-octave bands against the filter's exact
 * |H(f)| at each band centre, the error averaged per octave band (125 Hz–8 kHz).
 */
import { analyzeCapture } from '../../shared/analysis/analyze-capture';
import type { AnalysisOutput } from '../../shared/claims/judge';
import { fftPlan } from '../../shared/primitives/fft';
import { applyIir, iirGroupDelayFrames, iirMagnitudeDb } from '../../shared/simulation/iir-filter';
import { generateStimulus, resolveStimulusSpec, type StimulusSignal } from '../../shared/stimulus/stimulus';
import { LOOP_DELAY_FRAMES, loopFilter } from './loop-filter';

export interface ExpectedLatency {
  /** Offline analysis of the same path (the reference for the 0.05 ms check). */
  offlineMedianMs: number;
  pureDelayMs: number;
  /** Group delay of the filter at the stimulus' spectral energy centroid. */
  groupDelayAtCentroidMs: number;
  centroidHz: number;
}

export function expectedLatency(signal: StimulusSignal, durationS: number, levelDbfs: number, sampleRate: number): ExpectedLatency {
  const spec = resolveStimulusSpec({ signal, durationS, levelDbfs, sampleRate, seed: 1 });
  const reference = generateStimulus(spec);
  const tail = Math.round(2.25 * sampleRate);
  const delayed = new Float32Array(reference.length + tail);
  delayed.set(reference, LOOP_DELAY_FRAMES);
  const capture = applyIir([loopFilter(sampleRate)], delayed);
  const out: AnalysisOutput = analyzeCapture(reference, capture, sampleRate, { maxLatencyMs: 2000, weighting: 'phat' });
  if (out.status !== 'ok' || !out.latency) throw new Error(`offline analysis refused: ${out.error?.message}`);
  const centroidHz = spectralCentroid(reference, sampleRate);
  return {
    offlineMedianMs: out.latency.medianMs,
    pureDelayMs: (LOOP_DELAY_FRAMES / sampleRate) * 1000,
    groupDelayAtCentroidMs: (iirGroupDelayFrames([loopFilter(sampleRate)], centroidHz, sampleRate) / sampleRate) * 1000,
    centroidHz,
  };
}

function spectralCentroid(x: Float32Array, sampleRate: number): number {
  let n = 1;
  while (n < x.length) n *= 2;
  const padded = new Float32Array(n);
  padded.set(x);
  const spectrum = fftPlan(n).forwardReal(padded, 0, n);
  let weighted = 0;
  let total = 0;
  for (let k = 1; k < n / 2; k++) {
    const p = spectrum[2 * k] ** 2 + spectrum[2 * k + 1] ** 2;
    weighted += p * ((k * sampleRate) / n);
    total += p;
  }
  return weighted / total;
}

export interface OctaveBandError {
  centreHz: number;
  /** Mean of (measured − expected) dB over the 1/48-octave bands in this octave. */
  meanErrorDb: number;
  maxAbsErrorDb: number;
  bands: number;
}

interface Band {
  hz: number;
  gxx: number;
  gxyRe: number;
  gxyIm: number;
}

export function octaveBandErrors(bands: Band[], sampleRate: number, centres = [125, 250, 500, 1000, 2000, 4000, 8000]): OctaveBandError[] {
  const filter = [loopFilter(sampleRate)];
  return centres.map((centreHz) => {
    const inside = bands.filter((b) => b.hz >= centreHz / Math.SQRT2 && b.hz < centreHz * Math.SQRT2 && b.gxx > 0);
    const errors = inside.map((b) => 10 * Math.log10((b.gxyRe ** 2 + b.gxyIm ** 2) / b.gxx ** 2) - iirMagnitudeDb(filter, b.hz, sampleRate));
    return {
      centreHz,
      meanErrorDb: errors.reduce((s, e) => s + e, 0) / Math.max(1, errors.length),
      maxAbsErrorDb: Math.max(0, ...errors.map(Math.abs)),
      bands: errors.length,
    };
  });
}
