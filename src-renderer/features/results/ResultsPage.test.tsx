// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import type { Report } from '../../../shared/report/report-schema';
import type { OpenMeasurement } from '../../navigation/open-measurement';
import { createBrowserHost } from '../../host/browser-host';
import { DEFAULT_SETTINGS, type HostApi } from '../../host/host-api';
import { HostProvider } from '../../host/host-context';
import { ResultsPage, type ResultsPageProps } from './ResultsPage';
import { fixtureAudio, okReport, refusedReport } from '../../test-support/test-fixtures';
import { installChartLayout } from '../../test-support/jsdom-chart-layout';
import { resultOf } from '../../../shared/claims/judge';

installChartLayout();

function newHost(): HostApi {
  return createBrowserHost({ indexedDB: new IDBFactory(), download: () => undefined });
}

function renderResults(measurement: OpenMeasurement | null, overrides: Partial<ResultsPageProps> = {}, host: HostApi = newHost()) {
  const props: ResultsPageProps = {
    measurement,
    settings: { ...DEFAULT_SETTINGS, videoLatencyMs: 20 },
    exportRequest: 0,
    onMeasurementChange: vi.fn(),
    onSaved: vi.fn(),
    onNewMeasurement: vi.fn(),
    ...overrides,
  };
  const view = render(
    <HostProvider host={host}>
      <ResultsPage {...props} />
    </HostProvider>,
  );
  return { ...view, props, host };
}

const open = (report = okReport(), savedId: string | null = null): OpenMeasurement => ({ report, audio: fixtureAudio(), savedId });

/** Sum of |Δy| along an SVG path of straight segments: how much a drawn curve wiggles. */
function verticalTravel(d: string): number {
  const ys = [...d.matchAll(/[ML]\s*(-?[\d.e+-]+)[ ,](-?[\d.e+-]+)/g)].map((m) => Number(m[2]));
  let travel = 0;
  for (let i = 1; i < ys.length; i++) travel += Math.abs(ys[i] - ys[i - 1]);
  return travel;
}

/** "123.45 ms", "+1.2 ms", "−3 ms": any figure in milliseconds. */
const MS_FIGURE = /\d\s*ms\b/;

describe('ResultsPage', () => {
  it('shows the headline, spread, confidence, verdict with its source, lip sync and warnings for a result', () => {
    const report = okReport({ baselineMs: 12.5 });
    const latency = report.analysis.latency!;
    renderResults(open(report));
    const headline = screen.getByTestId('headline');
    // With a baseline the headline is the added latency (what the verdict judges), the total beside it.
    const added = report.analysis.added!;
    expect(headline.querySelector('.headline-value')?.textContent).toBe(added.medianMs.toFixed(2));
    expect(headline.textContent).toContain('Median added latency');
    expect(headline.textContent).toContain(`± ${added.stdMs.toFixed(2)} ms standard deviation`);
    expect(headline.textContent).toMatch(/95 % CI of the median \d+\.\d\d–\d+\.\d\d ms/);
    expect(headline.textContent).toContain(`Added over the baseline of 12.50 ms; total end-to-end ${latency.medianMs.toFixed(2)} ms`);
    expect(headline.textContent).toContain(`${latency.count} of ${latency.eventsTotal}`);
    expect(headline.textContent).toContain('91 %');
    expect(headline.textContent).toMatch(/4\.2 ± 0\.8 ppm/);

    const verdict = screen.getByRole('heading', { name: /Against the claim: JBL Flip 6/ }).closest('section')!;
    expect(verdict.textContent).toMatch(/Better than the claim|Within the claim|Worse than the claim/);
    expect(verdict.textContent).toContain('002_f3d4c556ca5cd35a.txt');
    expect(verdict.textContent).toContain(report.settings.claim!.source.location);

    const lipSync = screen.getByRole('heading', { name: 'Lip sync' }).closest('section')!;
    const rows = within(lipSync).getAllByRole('row');
    expect(rows).toHaveLength(1 + 4);
    expect(lipSync.textContent).toContain('EBU R37');
    expect(lipSync.textContent).toMatch(/Pass|Fail/);

    expect(screen.getByRole('heading', { name: '2 warnings' })).toBeTruthy();
    expect(screen.getByText('DROPOUTS')).toBeTruthy();
  });

  it('draws the latency charts', async () => {
    const { container } = renderResults(open(okReport({ events: 80 })));
    await waitFor(() => expect(container.querySelectorAll('.recharts-surface').length).toBeGreaterThanOrEqual(2));
    expect(screen.getByText('Latency over time')).toBeTruthy();
    expect(screen.getByText('Latency distribution')).toBeTruthy();
    expect(screen.getByText('Time (s)')).toBeTruthy();
  });

  it('draws the correlation peak stored in the report, and says why when a report has none', async () => {
    const lagMs = Array.from({ length: 101 }, (_, i) => 120 + i * 0.1);
    const value = lagMs.map((l) => Math.exp(-(((l - 125) / 0.2) ** 2)));
    const withZoom: Report = { ...okReport({ events: 80 }), correlationZoom: { eventIndex: 6, lagMs, value } };
    const { container } = renderResults(open(withZoom));
    await waitFor(() => expect(screen.getByRole('img', { name: /^Correlation of event 7 over lags 120\.00 to 130\.00 ms/ })).toBeTruthy());
    await waitFor(() => expect(container.querySelectorAll('.recharts-surface').length).toBeGreaterThanOrEqual(3));
    expect(screen.queryByText(/PHAT-weighted/)).toBeNull();
    cleanup();

    // A low-pass path: the PHAT peak points down, the polarity (from the impulse response) is normal.
    const lowPass: Report = { ...withZoom, correlationZoom: { eventIndex: 6, lagMs, value: value.map((v) => -v) } };
    expect(lowPass.analysis.polarityInverted).toBe(false);
    renderResults(open(lowPass));
    await waitFor(() => expect(screen.getByText(/The peak points down although the polarity is normal/)).toBeTruthy());
    cleanup();

    // The same peak when the polarity was not determined: the note says the peak does not tell it.
    const undetermined: Report = { ...lowPass, analysis: { ...resultOf(lowPass.analysis), polarity: 'not-determined', warnings: [{ code: 'POLARITY_UNSTABLE', message: 'The events disagree.' }] } };
    renderResults(open(undetermined));
    await waitFor(() => expect(screen.getByText(/The polarity was not determined \(the sign of the impulse response at the arrival does not hold: POLARITY_UNSTABLE\), so the peak pointing down does not tell it either\./)).toBeTruthy());
    expect(screen.queryByText(/although the polarity is normal/)).toBeNull();
    cleanup();

    renderResults(open({ ...okReport({ events: 80 }), correlationZoom: null }));
    expect(screen.getByText(/This report has no correlation data/)).toBeTruthy();
    expect(screen.queryByRole('img', { name: /^Correlation of event/ })).toBeNull();
  });

  it('shows a refusal with its reason and advice, never a number, and offers to measure again', () => {
    const report = refusedReport();
    const { props } = renderResults(open(report));
    const headline = screen.getByTestId('headline');
    expect(headline.textContent).toContain('No latency figure');
    expect(headline.textContent).toContain('SIGNAL_TOO_LOW');
    expect(headline.textContent).not.toMatch(MS_FIGURE);
    expect(headline.textContent).not.toMatch(/\d+\.\d+/);
    const refusal = headline.closest('section')!;
    expect(refusal.textContent).toContain(report.analysis.error!.message);
    expect(refusal.textContent).toContain(report.analysis.error!.advice);
    expect(screen.queryByText('Median end-to-end latency')).toBeNull();
    expect(screen.queryByRole('heading', { name: 'Lip sync' })).toBeNull();
    fireEvent.click(within(refusal).getByRole('button', { name: 'Measure again' }));
    expect(props.onNewMeasurement).toHaveBeenCalledTimes(1);
  });

  it('explains the empty state and offers a new measurement', () => {
    const { props } = renderResults(null);
    expect(screen.getByRole('heading', { name: 'No measurement open' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'New measurement' }));
    expect(props.onNewMeasurement).toHaveBeenCalledTimes(1);
  });

  it('saves to the library once, then reports it saved', async () => {
    const measurement = open(okReport({ id: 'save-test-1' }));
    const { props, host, rerender } = renderResults(measurement);
    fireEvent.click(screen.getByRole('button', { name: 'Save to library' }));
    await waitFor(() => expect(props.onSaved).toHaveBeenCalledTimes(1));
    expect(props.onMeasurementChange).toHaveBeenCalledWith({ ...measurement, savedId: 'save-test-1' });
    expect((await host.library.list()).map((e) => e.id)).toEqual(['save-test-1']);
    expect(screen.getByRole('status').textContent).toContain('Saved to the library with its audio');
    rerender(
      <HostProvider host={host}>
        <ResultsPage {...props} measurement={{ ...measurement, savedId: 'save-test-1' }} />
      </HostProvider>,
    );
    const saved = screen.getByRole('button', { name: 'Saved in library' }) as HTMLButtonElement;
    expect(saved.disabled).toBe(true);
  });

  it('opens the export panel on a menu request and exports, disabling what the measurement lacks', async () => {
    const host = newHost();
    const exportSpy = vi.spyOn(host, 'exportMeasurement');
    const measurement: OpenMeasurement = { report: okReport(), audio: null, savedId: null };
    const { props, rerender } = renderResults(measurement, {}, host);
    expect(screen.queryByRole('heading', { name: 'Export' })).toBeNull();
    rerender(
      <HostProvider host={host}>
        <ResultsPage {...props} exportRequest={1} />
      </HostProvider>,
    );
    const panel = screen.getByRole('heading', { name: 'Export' }).closest('section')!;
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Export' }));
    expect((within(panel).getByRole('button', { name: 'Capture (WAV)' }) as HTMLButtonElement).disabled).toBe(true);
    expect((within(panel).getByRole('button', { name: 'Frequency response (CSV)' }) as HTMLButtonElement).disabled).toBe(true);
    expect(panel.textContent).toContain('choose "Save as PDF"');
    await act(async () => {
      fireEvent.click(within(panel).getByRole('button', { name: 'Report (JSON)' }));
    });
    await waitFor(() => expect(within(panel).getByRole('status').textContent).toContain('latency-lab-2026-03-01-flip-6-in-the-living-room.json'));
    expect(exportSpy).toHaveBeenCalledWith(measurement.report, null, 'json');
  });

  it('re-smooths the frequency response when the smoothing changes', async () => {
    const { container } = renderResults(open(okReport({ frequencyResponse: true })));
    const primaryPath = () => container.querySelector('.recharts-line-curve[stroke="var(--chart-1)"]')?.getAttribute('d') ?? null;
    await waitFor(() => expect(primaryPath()).not.toBeNull());
    const smoothing = (await screen.findByLabelText('Smoothing')) as HTMLSelectElement;
    expect(smoothing.value).toBe('12');
    const at12 = primaryPath();
    fireEvent.change(smoothing, { target: { value: '1' } });
    expect(screen.getByText(/Frequency response, 1\/1 octave smoothing/)).toBeTruthy();
    await waitFor(() => expect(primaryPath()).not.toBe(at12));
    const at1 = primaryPath();
    fireEvent.change(smoothing, { target: { value: '0' } });
    await waitFor(() => expect(primaryPath()).not.toBe(at1));
    // Unsmoothed 1/48-octave bands carry the ripple that 1/1-octave smoothing removes.
    expect(verticalTravel(primaryPath()!)).toBeGreaterThan(2 * verticalTravel(at1!));
  });

  it('switches the frequency response between normalised and absolute gain', async () => {
    renderResults(open(okReport({ frequencyResponse: true })));
    expect(await screen.findByText('Level (dB re 500 Hz–2 kHz)')).toBeTruthy();
    fireEvent.click(screen.getByLabelText('Absolute path gain'));
    await waitFor(() => expect(screen.getByText('Path gain (dB)')).toBeTruthy());
  });

  it('overlays an imported reference curve with a legend entry', async () => {
    const { container } = renderResults(open(okReport({ frequencyResponse: true })));
    const input = (await screen.findByLabelText('Reference curve file')) as HTMLInputElement;
    const file = new File(['* target curve\n20 3\n1000 0\n20000 -2\n'], 'target.txt', { type: 'text/plain' });
    fireEvent.change(input, { target: { files: [file] } });
    await waitFor(() => expect(screen.getByText('target.txt (reference curve)')).toBeTruthy());
    await waitFor(() => expect(container.querySelector('.recharts-line-curve[stroke="var(--chart-2)"]')).not.toBeNull());
    const bad = new File(['this is not a curve\n1 2 3 4\n'], 'bad.txt', { type: 'text/plain' });
    fireEvent.change(input, { target: { files: [bad] } });
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('"bad.txt" is not a usable curve'));
  });
});
