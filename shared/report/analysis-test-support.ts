/**
 * Test support: the smallest measured result, for tests of what reads one (labels, text output).
 * Not product code (see TEST_SUPPORT in the lint configuration).
 */
import type { AnalysisOk } from '../claims/judge';

/** One event at 10 ms, nothing else measured; `overrides` replace any field. */
export function minimalAnalysis(overrides: Partial<AnalysisOk> = {}): AnalysisOk {
  return {
    status: 'ok',
    stimulus: { kind: 'noise', sampleRate: 48000, events: 1, durationS: 6 },
    latency: {
      medianMs: 10, meanMs: 10, stdMs: 0, minMs: 10, maxMs: 10, p95Ms: 10, medianCi95Ms: null, count: 1,
      eventsTotal: 1, dropouts: 0, lowConfidence: 0, notCaptured: 0, events: [{ timeS: 0, latencyMs: 10, confidence: 1, status: 'ok', peakToNoiseDb: 40 }],
    },
    confidence: 1, drift: null, snrDb: null, capturePeakDbfs: -6, noiseFloorDbfs: null,
    polarityInverted: false, polarity: 'normal', frequencyResponse: null, warnings: [],
    ...overrides,
  };
}
