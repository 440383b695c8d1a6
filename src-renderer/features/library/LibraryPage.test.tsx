// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createBrowserHost } from '../../host/browser-host';
import { type HostApi, HostError } from '../../host/host-api';
import { HostProvider } from '../../host/host-context';
import { okReport, refusedReport } from '../../test-support/test-fixtures';
import { LibraryPage } from './LibraryPage';
import type { Report } from '../../../shared/report/report-schema';
import { compareBasis, latencyDifferences, octaveBandDifferences, searchEntries, sortEntries } from './library-model';
import { installChartLayout } from '../../test-support/jsdom-chart-layout';
import { resultOf } from '../../../shared/claims/judge';
import { sampleAvReport } from '../../../shared/report/av-report-test-fixtures';
import { formatOffset } from '../../../shared/report/av-report';

installChartLayout();

let host: HostApi;

beforeEach(async () => {
  host = createBrowserHost({ indexedDB: new IDBFactory(), download: () => undefined });
  await host.library.save(
    okReport({ id: 'kitchen-1', title: 'Kitchen Echo Dot', createdAt: '2026-01-10T10:00:00Z', latencyMs: 180, outputDevice: 'Echo Dot', setupDescription: 'aux out to a transmitter', claimId: 'speaker-jbl-flip-6', frequencyResponse: true }),
    null,
  );
  await host.library.save(
    okReport({ id: 'living-1', title: 'Living room soundbar', createdAt: '2026-02-20T10:00:00Z', latencyMs: 45, outputDevice: 'Sonos Beam', setupDescription: 'HDMI eARC', claimId: null, frequencyResponse: true, bassDb: 0 }),
    null,
  );
  await host.library.save(refusedReport({ id: 'garage-1', title: 'Garage speaker', createdAt: '2026-03-05T10:00:00Z', outputDevice: 'Anker Soundcore', setupDescription: 'Bluetooth, far away', claimId: null }), null);
});

function renderLibrary(props: { libraryVersion?: number; importRequest?: number } = {}) {
  const onOpen = vi.fn();
  const onOpenAv = vi.fn();
  const view = render(
    <HostProvider host={host}>
      <LibraryPage onOpen={onOpen} onOpenAv={onOpenAv} libraryVersion={props.libraryVersion ?? 0} importRequest={props.importRequest ?? 0} />
    </HostProvider>,
  );
  return { ...view, onOpen, onOpenAv };
}

/** Titles in table order. */
const titles = (): string[] => Array.from(document.querySelectorAll('.library-table tbody .entry-title'), (el) => el.textContent ?? '');

describe('LibraryPage', () => {
  it('lists the measurements, newest first', async () => {
    renderLibrary();
    await waitFor(() => expect(titles()).toHaveLength(3));
    expect(titles()).toEqual(['Garage speaker', 'Living room soundbar', 'Kitchen Echo Dot']);
    expect(screen.getByText('3 measurements')).toBeTruthy();
    expect(screen.getByText('refused')).toBeTruthy();
  });

  it('sorts by every column, both ways', async () => {
    renderLibrary();
    await waitFor(() => expect(titles()).toHaveLength(3));
    fireEvent.click(screen.getByRole('button', { name: /^Title/ }));
    expect(titles()).toEqual(['Garage speaker', 'Kitchen Echo Dot', 'Living room soundbar']);
    expect(screen.getByRole('columnheader', { name: /Title/ }).getAttribute('aria-sort')).toBe('ascending');
    fireEvent.click(screen.getByRole('button', { name: /^Title/ }));
    expect(titles()).toEqual(['Living room soundbar', 'Kitchen Echo Dot', 'Garage speaker']);
    expect(screen.getByRole('columnheader', { name: /Title/ }).getAttribute('aria-sort')).toBe('descending');
    fireEvent.click(screen.getByRole('button', { name: /^Result/ }));
    expect(titles()).toEqual(['Living room soundbar', 'Kitchen Echo Dot', 'Garage speaker']); // 45 ms, 180 ms, refused
    fireEvent.click(screen.getByRole('button', { name: /^Devices/ }));
    expect(titles()).toEqual(['Garage speaker', 'Kitchen Echo Dot', 'Living room soundbar']); // Anker, Echo, Sonos
    fireEvent.click(screen.getByRole('button', { name: /^Method/ }));
    expect(titles()[0]).toBe('Kitchen Echo Dot'); // the only one with a claim; none last
    fireEvent.click(screen.getByRole('button', { name: /^Date/ }));
    expect(titles()).toEqual(['Garage speaker', 'Living room soundbar', 'Kitchen Echo Dot']);
    fireEvent.click(screen.getByRole('button', { name: /^Date/ }));
    expect(titles()).toEqual(['Kitchen Echo Dot', 'Living room soundbar', 'Garage speaker']);
  });

  it('searches title, setup text, devices and claim', async () => {
    renderLibrary();
    await waitFor(() => expect(titles()).toHaveLength(3));
    const search = screen.getByLabelText('Search');
    fireEvent.change(search, { target: { value: 'soundbar' } });
    expect(titles()).toEqual(['Living room soundbar']);
    fireEvent.change(search, { target: { value: 'earc' } });
    expect(titles()).toEqual(['Living room soundbar']);
    fireEvent.change(search, { target: { value: 'anker' } });
    expect(titles()).toEqual(['Garage speaker']);
    fireEvent.change(search, { target: { value: 'flip 6' } });
    expect(titles()).toEqual(['Kitchen Echo Dot']);
    expect(screen.getByText('1 of 3 measurements match')).toBeTruthy();
    fireEvent.change(search, { target: { value: 'nothing like this' } });
    expect(titles()).toEqual([]);
    expect(screen.getByText(/No measurement matches/)).toBeTruthy();
  });

  it('reopens a measurement', async () => {
    const { onOpen } = renderLibrary();
    await waitFor(() => expect(titles()).toHaveLength(3));
    fireEvent.click(screen.getByRole('button', { name: 'Open “Kitchen Echo Dot”' }));
    await waitFor(() => expect(onOpen).toHaveBeenCalledTimes(1));
    expect(onOpen.mock.calls[0][0]).toMatchObject({ savedId: 'kitchen-1', audio: null, report: { id: 'kitchen-1', title: 'Kitchen Echo Dot' } });
  });

  it('renames inline with validation', async () => {
    renderLibrary();
    await waitFor(() => expect(titles()).toHaveLength(3));
    fireEvent.click(screen.getByRole('button', { name: 'Rename “Garage speaker”' }));
    const input = screen.getByLabelText('New title for “Garage speaker”');
    fireEvent.change(input, { target: { value: '   ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.getByRole('alert').textContent).toBe('The title must not be empty.');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    fireEvent.change(input, { target: { value: 'x'.repeat(201) } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.getByRole('alert').textContent).toContain('at most 200 characters');
    fireEvent.change(input, { target: { value: 'Garage, Anker over Bluetooth' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(titles()).toContain('Garage, Anker over Bluetooth'));
    expect((await host.library.open('garage-1')).report.title).toBe('Garage, Anker over Bluetooth');
  });

  it('deletes after confirmation, saying what happens to the data', async () => {
    renderLibrary();
    await waitFor(() => expect(titles()).toHaveLength(3));
    fireEvent.click(screen.getByRole('button', { name: 'Delete “Garage speaker”' }));
    const dialog = screen.getByRole('alertdialog');
    expect(dialog.textContent).toContain('removed from this browser’s storage');
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(titles()).toHaveLength(3);
    fireEvent.click(screen.getByRole('button', { name: 'Delete “Garage speaker”' }));
    fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(titles()).toEqual(['Living room soundbar', 'Kitchen Echo Dot']));
    expect((await host.library.list()).map((e) => e.id).sort()).toEqual(['kitchen-1', 'living-1']);
  });

  it('compares two selected measurements', async () => {
    renderLibrary();
    await waitFor(() => expect(titles()).toHaveLength(3));
    const compare = screen.getByRole('button', { name: /Compare selected/ }) as HTMLButtonElement;
    expect(compare.disabled).toBe(true);
    fireEvent.click(screen.getByLabelText('Select “Kitchen Echo Dot” for comparison'));
    fireEvent.click(screen.getByLabelText('Select “Living room soundbar” for comparison'));
    expect(compare.disabled).toBe(false);
    fireEvent.click(compare);
    const heading = await screen.findByRole('heading', { name: 'Comparing A and B' });
    const panel = heading.closest('section')!;
    const latencyTable = within(panel).getByRole('table', { name: /Latency \(total\)/ });
    const median = within(latencyTable).getByRole('row', { name: /Median/ });
    expect(median.textContent).toMatch(/−\d+\.\d\d ms/); // B (45 ms) − A (180 ms) is negative
    const bands = within(panel).getByRole('table', { name: /Level per octave band/ });
    expect(within(bands).getAllByRole('row')).toHaveLength(1 + 9);
    expect(bands.textContent).toContain('63 Hz');
    expect(bands.textContent).toContain('16k Hz');
    await waitFor(() => expect(panel.querySelectorAll('.recharts-surface').length).toBe(2));
  });

  it('imports a report on a menu request and shows the specific error on failure', async () => {
    const importSpy = vi.spyOn(host.library, 'importReport').mockRejectedValueOnce(new HostError('"x.json" cannot be imported: the report has schemaVersion 9, newer than this Latency Lab understands (1): update Latency Lab to open it.'));
    renderLibrary({ importRequest: 1 });
    await waitFor(() => expect(importSpy).toHaveBeenCalledTimes(1));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('schemaVersion 9, newer than this Latency Lab understands'));
    importSpy.mockResolvedValueOnce(null);
    fireEvent.click(screen.getByRole('button', { name: 'Import report…' }));
    await waitFor(() => expect(importSpy).toHaveBeenCalledTimes(2));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows the empty state', async () => {
    host = createBrowserHost({ indexedDB: new IDBFactory() });
    renderLibrary();
    expect(await screen.findByText('No saved measurements yet.')).toBeTruthy();
  });

  it('shows a load error with a retry', async () => {
    const list = vi.spyOn(host.library, 'list').mockRejectedValueOnce(new HostError('The library could not be opened: blocked'));
    renderLibrary();
    expect((await screen.findByRole('alert')).textContent).toContain('blocked');
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(titles()).toHaveLength(3));
    expect(list).toHaveBeenCalledTimes(2);
  });
});

describe('library model', () => {
  it('sorts and searches entries', async () => {
    const entries = await host.library.list();
    expect(sortEntries(entries, 'result', 'ascending').map((e) => e.id)).toEqual(['living-1', 'kitchen-1', 'garage-1']);
    expect(sortEntries(entries, 'result', 'descending').map((e) => e.id)).toEqual(['garage-1', 'kitchen-1', 'living-1']);
    expect(searchEntries(entries, 'ECHO   dot').map((e) => e.id)).toEqual(['kitchen-1']);
    expect(searchEntries(entries, '  ')).toHaveLength(3);
  });

  it('computes latency and octave-band differences B − A', () => {
    const a = okReport({ latencyMs: 100, frequencyResponse: true, bassDb: 0 });
    const b = okReport({ latencyMs: 130, frequencyResponse: true, bassDb: 6 });
    const latency = latencyDifferences(a, b);
    expect(latency.map((r) => r.label)).toEqual(['Median', 'Mean', '95th percentile', 'Maximum']);
    expect(latency[0].delta).toBeCloseTo(b.analysis.latency!.medianMs - a.analysis.latency!.medianMs, 9);
    const bands = octaveBandDifferences(a, b);
    expect(bands.map((r) => r.hz)).toEqual([63, 125, 250, 500, 1000, 2000, 4000, 8000, 16000]);
    // B has a bass shelf: more level at 63 Hz, the same at 1 kHz.
    expect(bands[0].delta!).toBeGreaterThan(2);
    expect(Math.abs(bands[4].delta!)).toBeLessThan(0.5);
    const refused = latencyDifferences(a, refusedReport());
    expect(refused[0]).toMatchObject({ b: null, delta: null });
  });

  it('compares on the same basis: added latency when both have a baseline or a timing reference, the total otherwise, nothing across a timing reference and no baseline', () => {
    const withBaseline = okReport({ latencyMs: 100, baselineMs: 20 });
    const otherBaseline = okReport({ latencyMs: 130, baselineMs: 30 });
    expect(compareBasis(withBaseline, otherBaseline)).toEqual({ basis: 'added', note: null });
    const added = latencyDifferences(withBaseline, otherBaseline);
    expect(added[0].a).toBeCloseTo(withBaseline.analysis.added!.medianMs, 9);
    expect(added[0].delta).toBeCloseTo(otherBaseline.analysis.added!.medianMs - withBaseline.analysis.added!.medianMs, 9);

    const plain = okReport({ latencyMs: 90 });
    expect(compareBasis(withBaseline, plain)).toEqual({ basis: 'total', note: 'B has no baseline, so both are compared on the total latency.' });
    expect(latencyDifferences(withBaseline, plain)[0].a).toBeCloseTo(withBaseline.analysis.latency!.medianMs, 9);

    const base = okReport({ latencyMs: 60 });
    const dual: Report = { ...base, settings: { ...base.settings, mode: 'dual-channel' } };
    expect(compareBasis(dual, withBaseline).basis).toBe('added');
    expect(latencyDifferences(dual, withBaseline)[0].a).toBeCloseTo(dual.analysis.latency!.medianMs, 9);
    expect(compareBasis(dual, plain)).toMatchObject({ basis: null });
    expect(latencyDifferences(dual, plain).every((row) => row.a === null && row.b === null && row.delta === null)).toBe(true);
  });
});

describe('compare panel', () => {
  it('on the added latency when both have a baseline; says when there is no common basis; shows when each settled', async () => {
    const { ComparePanel } = await import('./ComparePanel');
    const a = okReport({ title: 'A run', latencyMs: 100, baselineMs: 20 });
    const startupB = okReport({ title: 'B run', latencyMs: 130, baselineMs: 20 });
    const b: Report = { ...startupB, analysis: { ...resultOf(startupB.analysis), latency: { ...resultOf(startupB.analysis).latency, startup: { untilS: 3.5, medianMs: 160, maxMs: 184 } } } };
    const view = render(<ComparePanel a={a} b={b} onClose={vi.fn()} />);
    const table = screen.getByRole('table', { name: /^Added latency of the steady state, B − A/ });
    expect(within(table).getByRole('row', { name: /^Median/ }).textContent).toContain(`${a.analysis.added!.medianMs.toFixed(2)} ms`);
    expect(within(table).getByRole('row', { name: /^Start-up, settled after/ }).textContent).toContain('none3.5 s');
    view.unmount();

    const plain = okReport({ title: 'Plain', latencyMs: 90 });
    const dual: Report = { ...a, settings: { ...a.settings, mode: 'dual-channel' } };
    render(<ComparePanel a={dual} b={plain} onClose={vi.fn()} />);
    expect(screen.getByTestId('compare-basis').textContent).toMatch(/A was measured against a timing reference \(no total\) and B without a baseline/);
    expect(within(screen.getByRole('table', { name: /^Latency, B − A/ })).getByRole('row', { name: /^Median/ }).textContent).toBe('Median———');
  });
});

describe('LibraryPage: A/V measurements', () => {
  it('lists an A/V measurement with its offset ± uncertainty, opens it on the A/V page, and keeps it out of Compare', async () => {
    const report = sampleAvReport({ id: 'av-lib-0001', title: 'TV and soundbar', createdAt: new Date('2026-04-01T10:00:00Z') });
    await host.library.save(report, null);
    const { onOpen, onOpenAv } = renderLibrary();
    await waitFor(() => expect(titles()).toHaveLength(4));
    const row = screen.getByText('TV and soundbar').closest('tr')!;
    const av = report.analysis.av!;
    expect(within(row).getByText(`${formatOffset(av.offsetMs)} ± ${av.uncertaintyMs.toFixed(1)} ms`)).toBeTruthy();
    expect(within(row).getByText(/A\/V \(lip sync\) · camera recording/)).toBeTruthy();
    fireEvent.click(within(row).getByRole('button', { name: 'Open “TV and soundbar”' }));
    await waitFor(() => expect(onOpenAv).toHaveBeenCalledTimes(1));
    expect(onOpenAv).toHaveBeenCalledWith({ report, savedId: 'av-lib-0001' });
    expect(onOpen).not.toHaveBeenCalled();
    fireEvent.click(within(row).getByRole('checkbox'));
    fireEvent.click(within(screen.getByText('Living room soundbar').closest('tr')!).getByRole('checkbox'));
    fireEvent.click(screen.getByRole('button', { name: /Compare selected \(2\/2\)/ }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/“TV and soundbar” is an A\/V \(lip-sync\) measurement/);
  });
});
