// The text `latency-lab analyze` prints without --json: the response line of a click train.
import { describe, expect, it } from 'vitest';
import { clickRoomReport } from '../../shared/report/click-report-test-support';
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
