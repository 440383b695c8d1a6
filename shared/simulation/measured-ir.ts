/**
 * Real measured impulse responses (shared/simulation/data/ir/, see its README for sources and
 * licences) and the truth a measurement of them is checked against: |FFT(IR)|² pooled and smoothed
 * exactly as the analysis pools and smooths its own response. Test and bench only.
 */
import { decodeWav } from '../io/wav-file';
import { type FrequencyPoint, type SmoothingFraction, smoothResponse } from '../analysis/frequency-response';
import { windowedSpectrum } from '../analysis/ir-window';

export const MEASURED_IRS = {
  'great hall': 'great-hall.wav',
  'seminar room': 'seminar-room-clap.wav',
  'guitar cabinet': 'guitar-cabinet.wav',
} as const;
export type MeasuredIrName = keyof typeof MEASURED_IRS;

/** The truth's FFT size: the band averages of |H(f)|² sampled every 0.023 Hz at 48 kHz (12 bins in the narrowest 1/48-octave band, at 20 Hz), so they are the continuous spectrum's, not a coarse grid's (a 2^16 grid read 0.9 dB off at 116 Hz for a 1 s IR). */
export const TRUTH_FFT_SIZE = 2 ** 21;

/** Where the files are, relative to this folder (callers read them: shared/ has no file system). */
export const MEASURED_IR_FOLDER = 'data/ir';

/** The IR (48 kHz mono) from the file's bytes. */
export function decodeMeasuredIr(bytes: Uint8Array): { h: Float32Array; sampleRate: number } {
  const audio = decodeWav(bytes);
  return { h: audio.channels[0], sampleRate: audio.sampleRate };
}

/**
 * The truth for an IR under a window (1 everywhere by default): the transfer function of h·w with
 * time 0 at `arrival`, pooled into 1/48-octave bands and smoothed like the analysis' response.
 */
export function truthResponse(
  h: ArrayLike<number>,
  sampleRate: number,
  smoothing: SmoothingFraction,
  options: { window?: Float64Array; arrival?: number; lowHz?: number; highHz?: number } = {},
): FrequencyPoint[] {
  const w = options.window ?? new Float64Array(h.length).fill(1);
  const spectrum = windowedSpectrum(h, w, options.arrival ?? 0, sampleRate, options.lowHz ?? 20, options.highHz ?? 0.45 * sampleRate, null, { minFftSize: TRUTH_FFT_SIZE });
  return smoothResponse({ bands: spectrum.bands }, smoothing);
}
