// @vitest-environment jsdom
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { IDBFactory } from 'fake-indexeddb';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Report } from '../../../shared/report/report-schema';
import { createBrowserHost } from '../../host/browser-host';
import { DEFAULT_SETTINGS, type HostApi } from '../../host/host-api';
import { HostProvider } from '../../host/host-context';
import { ResultsPage } from './ResultsPage';
import { impulseReport, okReport } from '../../test-support/test-fixtures';
import { installChartLayout } from '../../test-support/jsdom-chart-layout';

installChartLayout();

let report: Report;
beforeAll(() => {
  report = impulseReport();
}, 60_000);

function renderResults(r: Report, exportRequest = 0, host: HostApi = createBrowserHost({ indexedDB: new IDBFactory(), download: () => undefined })) {
  const props = { measurement: { report: r, audio: null, savedId: null }, settings: DEFAULT_SETTINGS, exportRequest, onMeasurementChange: vi.fn(), onSaved: vi.fn(), onNewMeasurement: vi.fn() };
  render(
    <HostProvider host={host}>
      <ResultsPage {...props} />
    </HostProvider>,
  );
  return host;
}

describe('results page: impulse-response views and the IR export', () => {
  it('shows the impulse-response section of a report that holds one', async () => {
    renderResults(report);
    expect(await screen.findByRole('heading', { name: 'Impulse response, phase and room' })).toBeTruthy();
    expect(await screen.findByText(/^Magnitude: Room window/, { selector: 'figcaption' })).toBeTruthy();
  });

  it('has no such section for a report without one', async () => {
    renderResults(okReport({ frequencyResponse: true }));
    await screen.findByText('Frequency response', { selector: 'h3' });
    expect(screen.queryByRole('heading', { name: 'Impulse response, phase and room' })).toBeNull();
  });

  it('exports the impulse response as a WAV; disabled, with the reason, when the report has none', async () => {
    const host = renderResults(report, 101);
    const exportSpy = vi.spyOn(host, 'exportMeasurement');
    const panel = screen.getByRole('heading', { name: 'Export' }).closest('section')!;
    const button = within(panel).getByRole('button', { name: 'Impulse response (WAV)' }) as HTMLButtonElement;
    expect(button.disabled).toBe(false);
    await act(async () => {
      fireEvent.click(button);
    });
    await waitFor(() => expect(within(panel).getByRole('status').textContent).toMatch(/Impulse response \(WAV\) saved as latency-lab-2026-03-01-.*-impulse-response\.wav/));
    expect(exportSpy).toHaveBeenCalledWith(report, null, 'wav-impulse-response');
  });

  it('a click report cannot export one', () => {
    renderResults(okReport(), 102);
    const panel = screen.getByRole('heading', { name: 'Export' }).closest('section')!;
    expect((within(panel).getByRole('button', { name: 'Impulse response (WAV)' }) as HTMLButtonElement).disabled).toBe(true);
    expect(panel.textContent).toContain('No impulse response: it comes with a frequency response (pink noise or a sweep).');
  });
});
