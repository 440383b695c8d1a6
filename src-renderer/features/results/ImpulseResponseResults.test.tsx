// @vitest-environment jsdom
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { IDBFactory } from 'fake-indexeddb';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Report } from '../../../shared/report/report-schema';
import { createBrowserHost } from '../../host/browser-host';
import { DEFAULT_SETTINGS, type HostApi } from '../../host/host-api';
import { HostProvider } from '../../host/host-context';
import { ResultsPage } from './ResultsPage';
import { clickRoomReport } from '../../../shared/report/click-report-test-support';
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

  it('a click report made before click trains had a response cannot export one, and says why', () => {
    renderResults(okReport(), 102);
    const panel = screen.getByRole('heading', { name: 'Export' }).closest('section')!;
    expect((within(panel).getByRole('button', { name: 'Impulse response (WAV)' }) as HTMLButtonElement).disabled).toBe(true);
    expect((within(panel).getByRole('button', { name: /Frequency response/ }) as HTMLButtonElement).disabled).toBe(true);
    expect(panel.textContent).toContain('No impulse response, as there is no frequency response: a click train measured by a version of Latency Lab that gave click trains no response; analyse its capture again (latency-lab analyze) for one.');
  });
});

describe('results page: a click train\'s response (the averaged per-click deconvolution)', () => {
  let small: Report;
  let reverberant: Report;
  beforeAll(() => {
    small = clickRoomReport({ rt60S: 0.15, durationS: 20 }).report;
    reverberant = clickRoomReport({ rt60S: 2, durationS: 20 }).report;
  }, 60_000);

  it('shows the response and the impulse-response views, names the clicks averaged, and exports the IR and the response', async () => {
    const n = small.analysis.frequencyResponse?.impulse?.eventsAveraged as number;
    expect(n).toBeGreaterThanOrEqual(30);
    renderResults(small, 103);
    expect(await screen.findByRole('heading', { name: 'Impulse response, phase and room' })).toBeTruthy();
    // The response's note and the IR chart's both say how it was measured.
    expect(screen.getByText(new RegExp(`deconvolving each click, averaged over ${n} clicks; the room window of its impulse response; median coherence`))).toBeTruthy();
    expect(screen.getAllByText(new RegExp(`deconvolving each click, averaged over ${n} clicks`)).length).toBeGreaterThan(1);
    expect(screen.queryByText(/No frequency response/)).toBeNull();
    expect(screen.getByRole('heading', { name: 'Decay times per octave (the room)' })).toBeTruthy();
    const panel = screen.getByRole('heading', { name: 'Export' }).closest('section')!;
    expect((within(panel).getByRole('button', { name: 'Impulse response (WAV)' }) as HTMLButtonElement).disabled).toBe(false);
    expect((within(panel).getByRole('button', { name: /Frequency response/ }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('a room ringing past the click spacing: no decay table, the reason instead', async () => {
    const fr = reverberant.analysis.frequencyResponse;
    if (!fr?.impulse || !fr.windows) throw new Error('no click response');
    renderResults(reverberant);
    expect(await screen.findByRole('heading', { name: 'Decay times per octave (the room)' })).toBeTruthy();
    expect(screen.getByText(`No decay times: the room rings longer (${Math.round(fr.windows.room.endMs)} ms) than the shortest spacing of the clicks averaged (${Math.round(fr.impulse.shortestSpacingMs as number)} ms), so each click's decay runs into the next click. Measure decay times with pink noise or a sweep.`)).toBeTruthy();
    expect(screen.queryByRole('table', { name: /EDT, T20 and T30/ })).toBeNull();
  });
});
