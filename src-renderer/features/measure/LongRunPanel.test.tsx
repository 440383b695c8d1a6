// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { LatencyEventOutput } from '../../../shared/analysis/analyze-capture';
import { liveStats } from '../../audio/long-run';
import { installChartLayout } from '../../test-support/jsdom-chart-layout';
import { LongRunPanel } from './LongRunPanel';

installChartLayout();
afterEach(cleanup);

/** A path that starts at 160 ms and settles at 150 ms after 4 s, one click every 0.5 s. */
const settling = (): LatencyEventOutput[] =>
  Array.from({ length: 40 }, (_, i) => ({ timeS: 0.25 + i * 0.5, latencyMs: i < 8 ? 160 + (i % 2) : 150 + 0.01 * (i % 3), confidence: 0.98, status: 'ok' as const, peakToNoiseDb: 30 }));

describe('LongRunPanel', () => {
  it('shows the start-up apart: when it settled, and the steady state\'s median and spread, from the same model as the final result', async () => {
    const events = settling();
    const stats = liveStats(events);
    expect(stats.steadyFromS).not.toBeNull();
    render(<LongRunPanel events={events} stats={stats} />);
    const figures = screen.getByRole('heading', { name: 'Long run: live results' }).closest('section')!;
    const value = (label: string) => within(figures).getByText(label).nextElementSibling?.textContent;
    expect(value('Start-up')).toBe(`settled after ${stats.steadyFromS!.toFixed(1)} s`);
    expect(value('Median (steady state)')).toBe(`${stats.medianMs!.toFixed(2)} ms`);
    expect(stats.medianMs!).toBeCloseTo(150, 1);
    expect(value('Latency changes')).toBe(String(stats.jumps));
    expect(await screen.findByText(`Start-up, until ${stats.steadyFromS!.toFixed(1)} s`)).toBeTruthy();
  });

  it('a stable path: no start-up', () => {
    const events = settling().map((e) => ({ ...e, latencyMs: 150 }));
    render(<LongRunPanel events={events} stats={liveStats(events)} />);
    expect(screen.getByText('Start-up').nextElementSibling?.textContent).toBe('none: stable from the start');
    expect(screen.getByText('Median')).toBeTruthy();
  });
});
