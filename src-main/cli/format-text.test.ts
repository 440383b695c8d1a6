// The text `latency-lab analyze` prints without --json: the response line of a click train, the polarity line.
import { describe, expect, it } from 'vitest';
import { minimalAnalysis } from '../../shared/report/analysis-test-support';
import { clickRoomReport } from '../../shared/report/click-report-test-support';
import type { AnalysisOk } from '../../shared/claims/judge';
import { formatAnalysis } from './format-text';

describe('formatAnalysis', () => {
  it('a click train\'s response line counts the clicks averaged', () => {
    const { analysis } = clickRoomReport({ rt60S: 0.15, durationS: 20 }).report;
    const fr = analysis.frequencyResponse;
    if (!fr?.impulse) throw new Error('no click response');
    const line = formatAnalysis(analysis, null).split('\n').find((l) => l.startsWith('Response'));
    expect(line).toBe(
      `Response  ${fr.points.length} points ${fr.points[0].hz.toFixed(0)} Hz–${(fr.points[fr.points.length - 1].hz / 1000).toFixed(1)} kHz, 1/12 octave, ${fr.impulse.eventsAveraged} clicks averaged, median coherence ${fr.medianCoherence?.toFixed(3)} (--json for the points)`,
    );
    expect(fr.averages).toBe(fr.impulse.eventsAveraged);
  }, 30_000);
});

describe('formatAnalysis: the polarity line', () => {
  /** A minimal result: one event at 10 ms, nothing else measured. */
  const result = minimalAnalysis({ stimulus: { kind: 'sweep', sampleRate: 48000, events: 1, durationS: 6 } });
  const unstable = { code: 'POLARITY_UNSTABLE' as const, message: 'The sign of the impulse response at the arrival does not hold.' };
  const polarityLine = (output: AnalysisOk): string | undefined => formatAnalysis(output, null).split('\n').find((l) => l.startsWith('Polarity'));

  it('states the polarity, "not determined" when the events do not agree on a sign', () => {
    expect(polarityLine(result)).toBe('Polarity  normal (the impulse response is positive at the arrival)');
    expect(polarityLine({ ...result, polarity: 'inverted', polarityInverted: true })).toBe('Polarity  inverted (the impulse response is negative at the arrival)');
    expect(polarityLine({ ...result, polarity: 'not-determined', warnings: [unstable] })).toBe('Polarity  not determined (its sign does not hold; POLARITY_UNSTABLE says why)');
  });

  it('a result saved before the polarity field: read from its warnings', () => {
    const { polarity: _dropped, ...old } = result;
    void _dropped;
    expect(polarityLine({ ...old, warnings: [unstable] })).toBe('Polarity  not determined (its sign does not hold; POLARITY_UNSTABLE says why)');
    expect(polarityLine(old)).toBe('Polarity  normal (the impulse response is positive at the arrival)');
  });

  it('a refusal has no polarity line', () => {
    expect(formatAnalysis({ status: 'refused', error: { code: 'SILENT_CAPTURE', message: 'm', advice: 'a' }, warnings: [] }, null)).not.toContain('Polarity');
  });
});
