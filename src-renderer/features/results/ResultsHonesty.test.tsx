// @vitest-environment jsdom
/**
 * Results on time-varying paths and with a timing reference or a doubtful baseline (issue 9): the
 * start-up shown apart from the steady state, the modes of an alternating path, the basis of the
 * headline, baseline caveats, the noise floor, the claim's row and the statistic it is judged by.
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Report } from '../../../shared/report/report-schema';
import { BASELINE_CAVEAT_NOTE } from '../../../shared/report/labels';
import { createBrowserHost } from '../../host/browser-host';
import { DEFAULT_SETTINGS } from '../../host/host-api';
import { HostProvider } from '../../host/host-context';
import { installChartLayout } from '../../test-support/jsdom-chart-layout';
import { fixtureAudio, okReport, refusedReport } from '../../test-support/test-fixtures';
import { ResultsPage } from './ResultsPage';
import { resultOf } from '../../../shared/claims/judge';

installChartLayout();
afterEach(cleanup);

function show(report: Report, host = createBrowserHost({ indexedDB: new IDBFactory(), download: () => undefined })) {
  const onNewMeasurement = vi.fn();
  render(
    <HostProvider host={host}>
      <ResultsPage
        measurement={{ report, audio: fixtureAudio(), savedId: null }}
        settings={{ ...DEFAULT_SETTINGS, videoLatencyMs: 20 }}
        exportRequest={0}
        onMeasurementChange={vi.fn()}
        onSaved={vi.fn()}
        onNewMeasurement={onNewMeasurement}
      />
    </HostProvider>,
  );
  return { onNewMeasurement };
}

/** A report whose latency has these extra fields (start-up, steady state, modes). */
function withLatency(report: Report, extra: Partial<NonNullable<Report['analysis']['latency']>>): Report {
  return { ...report, analysis: { ...resultOf(report.analysis), latency: { ...resultOf(report.analysis).latency, ...extra } } };
}

describe('Results on real, time-varying paths', () => {
  it('a start-up is shown apart: the headline is the steady state, the start-up its own line and a shaded stretch of the chart', async () => {
    const base = okReport({ events: 40 });
    const latency = base.analysis.latency!;
    const report = withLatency(base, {
      steadyState: { medianMs: latency.medianMs, fromS: 3.75, count: latency.count },
      startup: { untilS: 3.5, medianMs: 162.7, maxMs: 184 },
      segments: [{ fromS: 0.25, toS: 3.25, medianMs: 162.7, count: 6 }, { fromS: 3.75, toS: 19.75, medianMs: latency.medianMs, count: latency.count }],
      modes: [],
    });
    show(report);
    const headline = screen.getByTestId('headline');
    expect(headline.textContent).toContain('Median end-to-end latency of the steady state, from 3.8 s');
    expect(within(headline).getByTestId('startup').textContent).toBe(
      'Start-up: the latency settled after 3.5 s; until then its median was 162.70 ms, up to 184.00 ms. Those events are left out of the figures above (they are on the latency chart).',
    );
    expect(screen.getByRole('heading', { name: 'Statistics of the steady state (the confident events from 3.8 s)' })).toBeTruthy();
    await waitFor(() => expect(screen.getByText('Start-up, until 3.5 s')).toBeTruthy());
    expect(screen.getByText(/Median of the steady state \d+\.\d\d ms/)).toBeTruthy();
  });

  it('the frequency response says it is measured over the steady state when there was a start-up', async () => {
    const base = okReport({ frequencyResponse: true });
    show(withLatency(base, { startup: { untilS: 6, medianMs: 100, maxMs: 110 }, steadyState: { medianMs: base.analysis.latency!.medianMs, fromS: 6.25, count: 20 } }));
    expect(await screen.findByText(/Measured over the steady state, from 6\.3 s: the start-up, while the latency still changed, is left out\./)).toBeTruthy();
  });

  it('a path stable from the start has no start-up line', () => {
    const base = okReport();
    show(withLatency(base, { steadyState: { medianMs: base.analysis.latency!.medianMs, fromS: 0.25, count: base.analysis.latency!.count }, startup: null, modes: [] }));
    expect(screen.queryByTestId('startup')).toBeNull();
    expect(screen.getByTestId('headline').textContent).toContain('Median end-to-end latency');
    expect(screen.getByTestId('headline').textContent).not.toContain('steady state');
  });

  it('an alternating path lists its modes and how often each occurs', () => {
    show(withLatency(okReport(), { modes: [{ medianMs: 120, share: 0.55, count: 11 }, { medianMs: 200, share: 0.45, count: 9 }] }));
    const modes = screen.getByTestId('modes');
    expect(modes.textContent).toContain('The latency alternates between 2 values');
    expect(within(modes).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['120.00 ms: 55 % of the events (11)', '200.00 ms: 45 % of the events (9)']);
  });

  it('with a baseline the modes and the start-up are shown as added latency, like the headline', () => {
    const base = okReport({ baselineMs: 20 });
    show(withLatency(base, { startup: { untilS: 2, medianMs: 150, maxMs: 170 }, steadyState: { medianMs: 120, fromS: 2.25, count: 30 }, modes: [{ medianMs: 120, share: 0.5, count: 10 }, { medianMs: 200, share: 0.5, count: 10 }] }));
    expect(screen.getByTestId('startup').textContent).toContain('its median was 130.00 ms, up to 150.00 ms');
    expect(within(screen.getByTestId('modes')).getAllByRole('listitem')[1].textContent).toMatch(/^180\.00 ms/);
  });
});

describe('Results: the basis of the headline', () => {
  it('a timing reference: the latency after the loopback is the headline; no baseline, and the verdict says so', () => {
    const base = okReport();
    show({ ...base, settings: { ...base.settings, mode: 'dual-channel' } });
    const headline = screen.getByTestId('headline');
    expect(headline.textContent).toContain('Median latency after the timing reference');
    expect(headline.textContent).toContain("the computer's own delay cancels");
    const details = screen.getByRole('heading', { name: 'Measurement' }).closest('section')!;
    expect(within(details).getByRole('row', { name: /^Mode/ }).textContent).toContain('Timing reference');
    expect(within(details).getByRole('row', { name: /^Baseline/ }).textContent).toContain('none needed (timing reference)');
    expect(screen.getByRole('columnheader', { name: 'After the timing reference' })).toBeTruthy();
  });

  it('a baseline from another audio session: the result says so and offers to re-measure it', () => {
    const base = okReport({ baselineMs: 12.5 });
    const { onNewMeasurement } = show({ ...base, notes: `Some note\n${BASELINE_CAVEAT_NOTE}It was measured in another audio session: the output stream has been opened again since.` });
    const alert = screen.getByText('The baseline may not apply to this measurement:').closest('[role="alert"]') as HTMLElement;
    expect(alert.textContent).toContain('It was measured in another audio session');
    fireEvent.click(within(alert).getByRole('button', { name: 'Re-measure the baseline' }));
    expect(onNewMeasurement).toHaveBeenCalledTimes(1);
  });

  it('a negative added latency says the baseline no longer fits', () => {
    const base = okReport({ baselineMs: 20 });
    show(withLatency(base, { startup: { untilS: 5, medianMs: 12, maxMs: 12 }, steadyState: { medianMs: base.analysis.latency!.medianMs, fromS: 5.1, count: 20 } }));
    expect(screen.getByTestId('startup').textContent).toContain('its median was −8.00 ms');
    expect(screen.getByTestId('negative-added').textContent).toMatch(/the baseline \(20\.00 ms\) is longer than the start-up took in total/);
  });

  it('an added latency a few µs below zero is the two measurements\' spread, not a baseline that no longer fits', () => {
    const base = okReport({ baselineMs: 20 });
    const totalMs = base.analysis.latency!.medianMs;
    show(okReport({ baselineMs: totalMs + 0.01 }));
    expect(screen.queryByTestId('negative-added')).toBeNull();
    show(okReport({ baselineMs: totalMs + 1 }));
    expect(screen.getByTestId('negative-added').textContent).toMatch(/longer than this run took in total/);
  });

  it('no baseline caveat, no alert', () => {
    show(okReport({ baselineMs: 12.5 }));
    expect(screen.queryByText('The baseline may not apply to this measurement:')).toBeNull();
  });

  it('no measurable noise: the SNR is not given as a number', () => {
    const base = okReport();
    show({ ...base, analysis: { ...resultOf(base.analysis), snrDb: null, noiseFloorDbfs: null, warnings: [{ code: 'NO_NOISE_FLOOR', message: 'No noise was measurable.' }] } });
    const headline = screen.getByTestId('headline');
    expect(headline.textContent).toContain('SNRno measurable noise');
    expect(headline.textContent).toContain('Noise floornone measurable');
  });
});

describe('Results: polarity', () => {
  const unstable = { code: 'POLARITY_UNSTABLE' as const, message: 'The events disagree on the sign of the impulse response at the arrival, so no polarity is reported.' };
  const figure = (): string => {
    const dt = within(screen.getByTestId('headline')).getByText('Polarity');
    return dt.closest('.figure')?.querySelector('dd')?.textContent ?? '';
  };

  it('normal and inverted as the result states them', () => {
    const base = okReport();
    expect(base.analysis.polarity).toBe('normal');
    show(base);
    expect(figure()).toBe('normal');
    cleanup();
    show({ ...base, analysis: { ...resultOf(base.analysis), polarity: 'inverted', polarityInverted: true } });
    expect(figure()).toBe('inverted');
  });

  it('an unstable polarity reads "not determined", with why, never "normal"', () => {
    const base = okReport();
    const a = resultOf(base.analysis);
    show({ ...base, analysis: { ...a, polarity: 'not-determined', polarityInverted: false, warnings: [...a.warnings, unstable] } });
    expect(figure()).toBe('not determined its sign does not hold; POLARITY_UNSTABLE says why');
  });

  it('a report saved before the polarity field reads its warnings: POLARITY_UNSTABLE is not determined', () => {
    const base = okReport();
    const { polarity: _dropped, ...old } = resultOf(base.analysis);
    void _dropped;
    show({ ...base, analysis: { ...old, warnings: [...old.warnings, unstable] } });
    expect(figure()).toBe('not determined its sign does not hold; POLARITY_UNSTABLE says why');
    cleanup();
    show({ ...base, analysis: old });
    expect(figure()).toBe('normal');
  });
});

describe('Results: the claim', () => {
  it("a 'max' claim: says the measured maximum is compared, and shows the source row as a table with the claim's cell marked", () => {
    show(okReport({ claimId: 'speaker-jbl-flip-6' }));
    const verdict = screen.getByRole('heading', { name: /Against the claim: JBL Flip 6/ }).closest('section')!;
    expect(verdict.textContent).toContain('Compared: the measured maximum of the total latency, because the claim states a maximum.');
    const table = within(verdict).getByRole('table', { name: 'The table row, as the article gives it' });
    expect(within(table).getAllByRole('columnheader').map((th) => th.textContent)).toEqual(['Speaker', 'Max Latency (ms)', 'Supported codecs', 'Pairing success rate', 'Recommended use case']);
    expect(within(table).getAllByRole('cell').map((td) => td.textContent)).toEqual(['JBL Flip 6', '156', 'SBC, AAC', '98.7%', 'Outdoor/patio listening']);
    expect(table.querySelector('mark')?.textContent).toBe('156');
  });

  it('a connection method whose cells the article runs together is split into its columns', () => {
    show(okReport({ claimId: 'method-alexa-app-bluetooth-receiver' }));
    const verdict = screen.getByRole('heading', { name: /Against the claim:/ }).closest('section')!;
    const table = within(verdict).getByRole('table', { name: 'The table row, as the article gives it' });
    expect(within(table).getAllByRole('cell')).toHaveLength(6);
    expect(verdict.textContent).toContain('Compared: the measured median of the total latency, because the claim states a typical latency.');
    expect(within(verdict).queryByText(/\(Receiver Mode\)All Echo models/)).toBeNull();
    expect(within(table).getByText('All Echo models (2017–2024)')).toBeTruthy();
  });
});

describe('Results: refusal advice in the app', () => {
  it('wrong device: the advice talks about the output chosen in Setup, not a reference file', () => {
    const base = refusedReport();
    show({ ...base, analysis: { status: 'refused', warnings: base.analysis.warnings, error: { code: 'NO_STIMULUS', message: 'There is sound, but not the stimulus.', advice: 'Check … that the reference file is the stimulus that was played.' } } });
    const refusal = screen.getByTestId('headline').closest('section')!;
    expect(refusal.textContent).not.toContain('reference file');
    expect(refusal.textContent).toContain('the output chosen in Setup');
  });
});

describe('Results: frequency response controls', () => {
  it('smoothing offers 1/48 octave once (it is the bands themselves); the overlay list tells measurements of the same title apart by their time', async () => {
    const host = createBrowserHost({ indexedDB: new IDBFactory(), download: () => undefined });
    await host.library.save(okReport({ id: 'pink-a', title: 'Pink via Flip', frequencyResponse: true, createdAt: '2026-03-01T10:00:00.000Z' }), null);
    await host.library.save(okReport({ id: 'pink-b', title: 'Pink via Flip', frequencyResponse: true, createdAt: '2026-03-01T15:30:00.000Z' }), null);
    show(okReport({ id: 'pink-shown', frequencyResponse: true }), host);
    const smoothing = (await screen.findByLabelText('Smoothing')) as HTMLSelectElement;
    const labels = [...smoothing.options].map((o) => o.textContent);
    expect(labels.filter((l) => /1\/48/.test(l ?? ''))).toEqual(['None (1/48-octave bands)']);
    const overlay = screen.getByLabelText('Overlay a saved measurement') as HTMLSelectElement;
    await waitFor(() => expect(overlay.options.length).toBe(3));
    const names = [...overlay.options].slice(1).map((o) => o.textContent ?? '');
    expect(new Set(names).size).toBe(2);
    for (const name of names) expect(name).toMatch(/^Pink via Flip \(.*\d{1,2}:\d{2}.*\)$/);
  });
});

describe('Results: inconclusive verdicts on an alternating path', () => {
  it('the claim verdict and a lip-sync standard say inconclusive, with the reason, not better/worse or pass/fail', () => {
    const base = okReport({ claimId: 'method-aux-bluetooth-transmitter' });
    const verdict = base.analysis.verdict!;
    const reason = 'The path alternates between latencies of 40.0 ms (within), 120.0 ms (worse): its median describes no event, and the claim judges the modes differently.';
    const lip = base.analysis.lipSync!;
    const report: Report = {
      ...base,
      analysis: {
        ...resultOf(base.analysis),
        latency: { ...resultOf(base.analysis).latency, modes: [{ medianMs: 40, share: 0.5, count: 10 }, { medianMs: 120, share: 0.5, count: 10 }] },
        verdict: { ...verdict, claim: { ...verdict.claim, outcome: 'inconclusive' as const, marginMs: 0, reason, summary: `Inconclusive against the claimed '38–76 ms': ${reason}` } },
        lipSync: {
          ...lip,
          verdicts: lip.verdicts.map((v, i) => (i === 0 ? { ...v, pass: false, inconclusive: 'The audio alternates between offsets of 20.0 ms (within), 100.0 ms (outside).', summary: 'Inconclusive: the audio alternates.' } : v)),
        },
      },
    };
    show(report);
    const panel = screen.getByRole('heading', { name: /Against the claim:/ }).closest('section')!;
    expect(panel.querySelector('.verdict-outcome')?.textContent).toBe('Inconclusive: the path alternates');
    expect(panel.textContent).toContain(reason);
    expect(within(panel).getByTestId('inconclusive-reason').textContent).toContain('the modes are listed at the top of the results');
    const lipSync = screen.getByRole('heading', { name: 'Lip sync' }).closest('section')!;
    const first = within(lipSync).getAllByRole('row')[1];
    expect(first.textContent).toContain('Inconclusive');
    expect(first.textContent).not.toMatch(/Pass|Fail/);
    expect(within(lipSync).getByRole('list', { name: 'Inconclusive lip-sync verdicts' }).textContent).toBe('Inconclusive: the audio alternates.');
  });
});
