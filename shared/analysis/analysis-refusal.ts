/**
 * Typed refusals and warnings. When a capture cannot support a number, the analysis returns a
 * refusal instead: a code a program can branch on, a message that says what was found (with the
 * figures), and advice that says what the user can do about it.
 */

export const REFUSAL_CODES = [
  'EMPTY_REFERENCE',
  'EMPTY_CAPTURE',
  'INVALID_SAMPLES',
  'SAMPLE_RATE_MISMATCH',
  'NO_EVENTS_IN_REFERENCE',
  'SILENT_CAPTURE',
  'TOO_SHORT',
  'CLIPPED',
  'NO_STIMULUS',
  'SIGNAL_TOO_LOW',
  'AMBIGUOUS_PEAK',
  'TOO_FEW_EVENTS',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

export interface Refusal {
  code: RefusalCode;
  /** What was found, with the figures that led to the refusal. */
  message: string;
  /** What the user can do about it. */
  advice: string;
}

export const WARNING_CODES = [
  'CLIPPING',
  'DROPOUTS',
  'LOW_CONFIDENCE_EVENTS',
  'CAPTURE_ENDS_EARLY',
  'INVERTED_POLARITY',
  'NEGATIVE_LATENCY',
  'LATENCY_JUMP',
  'NO_NOISE_FLOOR',
  /** A frequency response was measured, but its quality (coherence) is low over much of it. */
  'LOW_COHERENCE',
  'STEREO_INPUT',
  'STARTUP_TRANSIENT',
  'MULTIMODAL_LATENCY',
  'AMBIGUOUS_ARRIVAL',
  'POLARITY_UNSTABLE',
  /**
   * No frequency response was measured; the message (it starts "No frequency response: ") says why.
   * Reports made before this code gave these messages LOW_COHERENCE.
   */
  'NO_FREQUENCY_RESPONSE',
  /**
   * The response has no decay times (a click train whose room outlasts the spacing of its clicks).
   * Reports made before this code gave this message LOW_COHERENCE.
   */
  'NO_DECAY_TIMES',
] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

export interface AnalysisWarning {
  code: WarningCode;
  message: string;
}

const ADVICE: Record<RefusalCode, string> = {
  EMPTY_REFERENCE: 'Use the stimulus file that was played (latency-lab generate writes one).',
  EMPTY_CAPTURE: 'Record again: the capture has no samples.',
  INVALID_SAMPLES: 'The recording is corrupt; record again or re-export it from the recorder.',
  SAMPLE_RATE_MISMATCH: 'Record at the reference\'s sample rate, or generate the stimulus at the capture\'s rate (latency-lab generate --rate HZ).',
  NO_EVENTS_IN_REFERENCE: 'The reference must be the test signal that was played (a click train, pink noise or a sweep), not silence.',
  SILENT_CAPTURE: 'Check that the right microphone is selected and not muted, that the input gain is up, and that the speaker is on and playing.',
  TOO_SHORT: 'Record for at least the stimulus length plus the expected latency.',
  CLIPPED: 'Lower the playback volume or the microphone gain until the input meter stays below -3 dBFS, then measure again.',
  NO_STIMULUS: 'Check that the speaker being recorded is the output that played the stimulus, that playback was not muted, and that the reference file is the stimulus that was played.',
  SIGNAL_TOO_LOW: 'Raise the playback volume, move the microphone closer to the speaker, or make the room quieter; a longer run also helps.',
  AMBIGUOUS_PEAK: 'Two arrivals of similar strength were found (a strong reflection, or two speakers playing at once): move the microphone close to one speaker, away from walls, and play through one output only.',
  TOO_FEW_EVENTS: 'Most test events were missing from the capture (dropouts or interruptions): check the connection and measure again, or use a longer run.',
};

export function refusal(code: RefusalCode, message: string): Refusal {
  return { code, message, advice: ADVICE[code] };
}
