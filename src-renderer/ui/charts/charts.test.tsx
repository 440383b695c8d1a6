// @vitest-environment jsdom
import { render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { LatencyEventOutput } from '../../../shared/analysis/analyze-capture';
import { latencySeries, MAX_DIRECT_EVENTS, thinPerOctave, TIME_SLICES } from './chart-data';
import { FrequencyResponseChart } from './FrequencyResponseChart';
import { LatencyHistogramChart } from './LatencyHistogramChart';
import { LatencyOverTimeChart } from './LatencyOverTimeChart';
import { okAnalysis } from '../../test-support/test-fixtures';
import { installChartLayout } from '../../test-support/jsdom-chart-layout';

installChartLayout();

const manyEvents = (n: number): LatencyEventOutput[] => okAnalysis({ events: n }).latency!.events;

describe('chart data', () => {
  it('keeps every event of a short run', () => {
    const events = manyEvents(40);
    const s = latencySeries(events);
    expect(s.downsampled).toBe(false);
    expect(s.ok.length + s.lowConfidence.length + s.lost.length).toBe(40);
    expect(s.lost.length).toBe(events.filter((e) => e.status === 'dropout').length);
  });

  it('downsamples a long run to a bounded number of points, keeping extremes and dropouts', () => {
    const events = manyEvents(20000);
    // An outlier must survive.
    events[12345] = { ...events[12345], latencyMs: 500, status: 'ok' };
    const s = latencySeries(events);
    expect(s.downsampled).toBe(true);
    expect(s.ok.length).toBeLessThanOrEqual(2 * TIME_SLICES);
    expect(s.lowConfidence.length).toBeLessThanOrEqual(TIME_SLICES);
    expect(s.lost.length).toBeLessThanOrEqual(TIME_SLICES);
    expect(s.lost.length).toBeGreaterThan(0);
    expect(Math.max(...s.ok.map((p) => p.latencyMs))).toBe(500);
    expect(s.total).toBe(20000);
    expect(MAX_DIRECT_EVENTS).toBeLessThan(20000);
  });

  it('thins a dense log-frequency line to a number of points per octave', () => {
    const dense = Array.from({ length: 481 }, (_, i) => ({ hz: 20 * 2 ** (i / 48) }));
    expect(thinPerOctave(dense, 12).length).toBe(10 * 12 + 1);
    expect(thinPerOctave(dense, 48).length).toBe(481);
  });
});

describe('charts', () => {
  it('draws thousands of events as a few paths with axis labels and units', async () => {
    const events = manyEvents(6000);
    const { container } = render(<LatencyOverTimeChart events={events} medianMs={150} />);
    await waitFor(() => expect(container.querySelector('.points-layer')).not.toBeNull());
    const paths = container.querySelectorAll('.points-layer > path');
    expect(paths.length).toBe(3); // confident, low-confidence (hollow), dropouts
    expect(paths[1].getAttribute('fill')).toBe('none');
    expect(screen.getByText('Time (s)')).toBeTruthy();
    expect(screen.getByText('Latency (ms)')).toBeTruthy();
    expect(screen.getByText(/6000 events, drawn as \d+ points/)).toBeTruthy();
    expect(screen.getByText('Median 150.00 ms')).toBeTruthy();
    expect(screen.getByText('Dropout')).toBeTruthy();
  });

  it('draws a log-frequency axis with decade ticks and an overlay legend', async () => {
    const points = Array.from({ length: 481 }, (_, i) => ({ hz: 20 * 2 ** (i / 48), db: Math.sin(i / 10) }));
    const { container } = render(
      <FrequencyResponseChart
        curves={[
          { id: 'a', label: 'Measured', points, role: 'primary' },
          { id: 'b', label: 'Target', points: points.map((p) => ({ ...p, db: 0 })), role: 'overlay' },
        ]}
        coherence={points.map((p) => ({ hz: p.hz, coherence: 0.9 }))}
        maxHz={24000}
        magnitudeLabel="Level (dB)"
      />,
    );
    await waitFor(() => expect(container.querySelectorAll('.recharts-line-curve').length).toBe(3));
    // The x axis is drawn first: its ticks come first.
    const ticks = Array.from(container.querySelectorAll('.recharts-cartesian-axis-tick-value'), (t) => t.textContent).slice(0, 10);
    expect(ticks).toEqual(['20', '50', '100', '200', '500', '1k', '2k', '5k', '10k', '20k']);
    expect(screen.getByText('Target')).toBeTruthy();
    expect(screen.getByText('Coherence (right axis, 0–1)')).toBeTruthy();
  });
});

describe('latency histogram', () => {
  const events = (latencies: number[]): LatencyEventOutput[] => latencies.map((latencyMs, i) => ({ timeS: i * 0.5, latencyMs, confidence: 0.99, status: 'ok', peakToNoiseDb: 30 }));

  it('zero spread: says all events are within 1 µs instead of drawing one solid block', async () => {
    render(<LatencyHistogramChart events={events(Array.from({ length: 19 }, () => 12.5125))} medianMs={12.5125} />);
    const narrow = await screen.findByTestId('histogram-narrow');
    expect(narrow.textContent).toBe('All 19 events within 1 µs: from 12.5125 to 12.5125 ms.');
    expect(screen.getByRole('img', { name: 'All 19 events within 1 µs: from 12.5125 to 12.5125 ms.' })).toBeTruthy();
    expect(screen.getByText(/No spread to draw: the histogram resolves 1 µs/)).toBeTruthy();
  });

  it('a real spread is drawn as bars', async () => {
    const { container } = render(<LatencyHistogramChart events={events(Array.from({ length: 40 }, (_, i) => 120 + (i % 9) * 0.25))} medianMs={121} />);
    await waitFor(() => expect(container.querySelectorAll('.recharts-bar-rectangle').length).toBeGreaterThan(3));
    expect(screen.queryByTestId('histogram-narrow')).toBeNull();
  });
});
