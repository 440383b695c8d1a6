// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatOffset, parseStoredReportText } from '../../../shared/report/av-report';
import { refusedAvReport, sampleAvReport } from '../../../shared/report/av-report-test-fixtures';
import { createBrowserHost } from '../../host/browser-host';
import { DEFAULT_SETTINGS } from '../../host/host-api';
import { HostProvider } from '../../host/host-context';
import { installChartLayout } from '../../test-support/jsdom-chart-layout';
import type { AnalysisClient } from '../../worker/worker-client';
import { AvPage } from './AvPage';

installChartLayout();
afterEach(cleanup);

const idleClient: AnalysisClient = { call: () => Promise.reject(new Error('not used')), cancel: () => undefined };

function renderPage(opened: Parameters<typeof AvPage>[0]['opened'], codecs: () => null = () => null) {
  const downloads: Array<{ blob: Blob; fileName: string }> = [];
  const host = createBrowserHost({ indexedDB: new IDBFactory(), download: (blob, fileName) => downloads.push({ blob, fileName }) });
  const onSaved = vi.fn();
  render(
    <HostProvider host={host}>
      <AvPage settings={DEFAULT_SETTINGS} onSettingsChange={() => undefined} opened={opened} onSaved={onSaved} client={idleClient} codecs={codecs} />
    </HostProvider>,
  );
  return { host, downloads, onSaved };
}

describe('AvPage', () => {
  it('shows an opened measurement: offset ± uncertainty, verdicts, chart and budget; saves it and exports JSON', async () => {
    const report = sampleAvReport({ id: 'av-page-0001', title: 'Bedroom TV' });
    const { host, downloads, onSaved } = renderPage({ report, savedId: null });
    const av = report.analysis.av!;
    const headline = await screen.findByTestId('av-offset');
    expect(headline.textContent).toBe(`${formatOffset(av.offsetMs)} ± ${av.uncertaintyMs.toFixed(1)} ms`);
    for (const v of report.analysis.lipSync!.verdicts) expect(screen.getByText(v.standardName)).toBeTruthy();
    expect(screen.getByText('A/V offset per event')).toBeTruthy();
    expect(screen.getByText('Uncertainty budget')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Save to library' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledTimes(1));
    expect(screen.getByRole('button', { name: 'Saved to the library' })).toBeTruthy();
    expect((await host.library.list()).map((e) => [e.id, e.kind])).toEqual([['av-page-0001', 'av']]);
    fireEvent.click(screen.getByRole('button', { name: 'Export JSON' }));
    await waitFor(() => expect(downloads).toHaveLength(1));
    expect(parseStoredReportText(await downloads[0].blob.text())).toEqual(report);
  });

  it('shows a refusal with its reason and what to do, and offers no events CSV', async () => {
    renderPage({ report: refusedAvReport(), savedId: 'av-test-0002' });
    const alert = (await screen.findByText('No result: the recording was refused')).closest('div')!;
    expect(within(alert).getByText('NO_CLICKS')).toBeTruthy();
    expect(alert.textContent).toMatch(/What to do: Turn the speaker up/);
    expect((screen.getByRole('button', { name: 'Export events (CSV)' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByRole('button', { name: 'Saved to the library' })).toBeTruthy();
  });

  it('says so when the browser cannot decode video, and checks the inputs first', async () => {
    renderPage(null);
    const input = screen.getByLabelText('Choose a video file');
    const file = new File([new Uint8Array(16)], 'clip.mp4', { type: 'video/mp4' });
    fireEvent.change(screen.getByLabelText('Speaker to camera (m)'), { target: { value: '-1' } });
    fireEvent.change(input, { target: { files: [file] } });
    expect((await screen.findByRole('alert')).textContent).toMatch(/distance from the speaker to the camera must be 0 to 100 m/);
    fireEvent.change(screen.getByLabelText('Speaker to camera (m)'), { target: { value: '2' } });
    fireEvent.change(input, { target: { files: [file] } });
    expect((await screen.findByRole('alert')).textContent).toMatch(/no WebCodecs decoders/);
  });
});
