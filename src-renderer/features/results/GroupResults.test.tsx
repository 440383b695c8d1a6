// @vitest-environment jsdom
import { render, screen, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { guidedReport, outputsReport, speakersReport } from '../../../shared/report/group-test-support';
import type { Report } from '../../../shared/report/report-schema';
import { installChartLayout } from '../../test-support/jsdom-chart-layout';
import { GroupResults } from './GroupResults';
import { IDBFactory } from 'fake-indexeddb';
import { createBrowserHost } from '../../host/browser-host';
import { HostProvider } from '../../host/host-context';
import { ExportPanel } from './ExportPanel';

installChartLayout();

let outputs: { report: Report; truthMs: number[] };
let speakers: { report: Report; truthMs: number[] };

beforeAll(() => {
  outputs = outputsReport();
  speakers = speakersReport();
}, 60000);

const show = (report: Report) => {
  if (!report.group) throw new Error('no group');
  return render(<GroupResults report={report} group={report.group} />);
};

describe('GroupResults', () => {
  it('several outputs: a row per output with its measured latency, the spread, the offsets over the run, the verdicts and one chart', async () => {
    show(outputs.report);
    expect(screen.getByRole('heading', { name: 'Several outputs (2)' })).toBeTruthy();
    const table = screen.getAllByRole('table')[0];
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getByRole('rowheader').textContent)).toEqual(['Output 1 (Left speaker)', 'Output 2 (Right speaker)']);
    rows.forEach((r, k) => {
      const shown = Number.parseFloat(within(r).getAllByRole('cell')[0].textContent ?? '');
      expect(Math.abs(shown - outputs.truthMs[k])).toBeLessThan(0.2 + 0.005);
    });
    expect(screen.getByText(/^Spread:/).parentElement?.textContent).toMatch(/Spread: \d+\.\d\d ms/);
    expect(screen.getByRole('table', { name: 'Offsets over the run' })).toBeTruthy();
    expect(screen.getByText('Out of sync.')).toBeTruthy();
    expect(screen.getByText(/Sync: ±10(\.0)? ms \(stereo pair default\)/)).toBeTruthy();
    expect(screen.getByText('Bluetooth multi-room latency variance').parentElement?.textContent).toMatch(/Better than the claim/);
    expect(screen.getByText('Dual-link transmitter divergence between units').parentElement?.textContent).toMatch(/Worse than the claim/);
    expect(await screen.findByRole('img', { name: /Latency over time of 2 outputs on one axis/ })).toBeTruthy();
    const legend = screen.getByRole('list', { name: 'Legend' });
    expect(within(legend).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Output 1 (Left speaker)', 'Output 2 (Right speaker)']);
  });

  it('one stream: the speakers in order of arrival, the across-rooms tolerance and drift lines', async () => {
    show(speakers.report);
    expect(screen.getByRole('heading', { name: 'One stream on 2 speakers' })).toBeTruthy();
    expect(screen.getByRole('rowheader', { name: 'Speaker heard 1st' })).toBeTruthy();
    expect(screen.getByText(/Sync: ±40(\.0)? ms \(across-rooms default\)/)).toBeTruthy();
    expect(await screen.findByText(/drawn as its drift line/)).toBeTruthy();
  });

  it('a refused guided run says which speaker and what to do, with no verdict', () => {
    show(guidedReport(speakers.report.analysis, true));
    expect(screen.getByRole('alert').textContent).toMatch(/Refused:.*speaker 3.*hand's width/s);
    expect(screen.getByText('No verdict: the speakers could not be measured apart.')).toBeTruthy();
  });

  it('a refused output shows its reason in its row', () => {
    const g = outputs.report.group;
    if (g?.kind !== 'outputs') throw new Error('fixture changed');
    const refusedOutput = { channel: 2, status: 'refused' as const, error: { code: 'NO_STIMULUS' as const, message: 'Output 2 was not heard.', advice: 'Check that it plays.' }, warnings: [] };
    const report: Report = { ...outputs.report, group: { ...g, result: { ...g.result, outputs: [g.result.outputs[0], refusedOutput], sync: null }, verdicts: null } };
    show(report);
    const row = screen.getByRole('rowheader', { name: 'Output 2 (Right speaker)' }).closest('tr');
    expect(row?.textContent).toContain('Refused: Output 2 was not heard. Check that it plays.');
  });
});

describe('ExportPanel of several outputs', () => {
  it('offers every output\'s events, and says when no output was measured', () => {
    const host = createBrowserHost({ indexedDB: new IDBFactory(), download: () => undefined });
    const g = outputs.report.group;
    if (g?.kind !== 'outputs') throw new Error('fixture changed');
    const { unmount } = render(
      <HostProvider host={host}>
        <ExportPanel measurement={{ report: outputs.report, audio: null, savedId: null }} onClose={() => undefined} />
      </HostProvider>,
    );
    expect(screen.getByText(/One row per event of every output: time, output, latency/)).toBeTruthy();
    unmount();
    const none: Report = { ...outputs.report, group: { ...g, result: { ...g.result, status: 'refused', outputs: g.result.outputs.map((o) => ({ channel: o.channel, status: 'refused' as const, warnings: [] })), sync: null }, verdicts: null } };
    render(
      <HostProvider host={host}>
        <ExportPanel measurement={{ report: none, audio: null, savedId: null }} onClose={() => undefined} />
      </HostProvider>,
    );
    expect(screen.getByText('No events: no output could be measured.')).toBeTruthy();
  });
});
