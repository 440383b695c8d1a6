/**
 * The tables of the results screen: the statistics, the warnings and the measurement's settings.
 * The headline is in Headline.tsx, the verdict in ClaimVerdictPanel.tsx, lip sync in LipSyncPanel.tsx.
 */
import type { LatencyStatsOutput } from '../../../shared/analysis/analyze-capture';
import type { AnalysisOutput } from '../../../shared/claims/judge';
import { signalLabel } from '../../../shared/report/labels';
import type { Report } from '../../../shared/report/report-schema';
import { formatDateTime, formatMs, formatNumber } from '../../ui/format/format';

const STAT_ROWS: Array<{ label: string; value: (s: LatencyStatsOutput) => string }> = [
  { label: 'Median', value: (s) => formatMs(s.medianMs) },
  { label: 'Mean', value: (s) => formatMs(s.meanMs) },
  { label: 'Standard deviation', value: (s) => formatMs(s.stdMs) },
  { label: 'Minimum', value: (s) => formatMs(s.minMs) },
  { label: 'Maximum', value: (s) => formatMs(s.maxMs) },
  { label: '95th percentile', value: (s) => formatMs(s.p95Ms) },
  { label: '95 % CI of the median', value: (s) => (s.medianCi95Ms ? `${formatNumber(s.medianCi95Ms[0], 2)}–${formatMs(s.medianCi95Ms[1])}` : 'needs 6 events') },
  { label: 'Events used', value: (s) => String(s.count) },
];

export function StatisticsTable({ analysis, mode = 'single' }: { analysis: AnalysisOutput; mode?: Report['settings']['mode'] }) {
  const latency = analysis.latency;
  if (!latency) return null;
  const added = analysis.added;
  const steady = latency.startup && latency.steadyState ? latency.steadyState : null;
  return (
    <section className="panel" aria-labelledby="stats-heading">
      <h3 id="stats-heading">{steady ? `Statistics of the steady state (the confident events from ${formatNumber(steady.fromS, 1)} s)` : 'Statistics of the confident events'}</h3>
      <table className="stats-table">
        <thead>
          <tr>
            <th scope="col">Statistic</th>
            <th scope="col" className="num">
              {mode === 'dual-channel' ? 'After the timing reference' : 'Measured'}
            </th>
            {added && (
              <th scope="col" className="num">
                Added over baseline
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {STAT_ROWS.map((row) => (
            <tr key={row.label}>
              <th scope="row">{row.label}</th>
              <td className="num">{row.value(latency)}</td>
              {added && <td className="num">{row.value(added)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
export function WarningsPanel({ warnings }: { warnings: AnalysisOutput['warnings'] }) {
  if (warnings.length === 0) return null;
  return (
    <section className="panel warnings" aria-labelledby="warnings-heading">
      <h3 id="warnings-heading">
        {warnings.length} warning{warnings.length === 1 ? '' : 's'}
      </h3>
      <ul>
        {warnings.map((w, i) => (
          <li key={`${w.code}-${i}`}>
            <code>{w.code}</code> {w.message}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function MeasurementDetails({ report }: { report: Report }) {
  const s = report.settings;
  const rows: Array<[string, string]> = [
    ['Measured', formatDateTime(report.createdAt)],
    ['Setup', s.setupDescription || '—'],
    ['Output', s.outputDevice?.label || '—'],
    ['Input', s.inputDevice?.label || '—'],
    ['Mode', s.mode === 'dual-channel' ? 'Timing reference (dual channel: a loopback of the output on one input channel)' : 'Single channel'],
    ['Signal', `${signalLabel(report.signal.kind)}, ${formatNumber(report.signal.durationS, 1)} s at ${report.signal.sampleRate} Hz`],
    ['Baseline', s.mode === 'dual-channel' ? 'none needed (timing reference)' : s.baselineMs === null ? 'none' : formatMs(s.baselineMs)],
    ['Video latency', formatMs(s.videoLatencyMs, 0)],
    ['Search range', `up to ${formatMs(s.maxLatencyMs, 0)}`],
    ['Weighting', s.weighting === 'phat' ? 'GCC-PHAT' : 'none'],
    ['Microphone calibration', s.micCalibrationFile ?? 'none'],
    ['Software', `${report.software.name} ${report.software.version} (${report.software.source})`],
    ['Report id', report.id],
  ];
  const capture = s.captureSettings;
  if (capture) {
    const flag = (v: boolean | null) => (v === null ? 'unknown' : v ? 'on' : 'off');
    rows.push(['Browser processing', `echo cancellation ${flag(capture.echoCancellation)}, noise suppression ${flag(capture.noiseSuppression)}, auto gain ${flag(capture.autoGainControl)}`]);
  }
  return (
    <section className="panel" aria-labelledby="details-heading">
      <h3 id="details-heading">Measurement</h3>
      <table className="kv-table">
        <tbody>
          {rows.map(([k, v]) => (
            <tr key={k}>
              <th scope="row">{k}</th>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.notes && (
        <>
          <h4>Notes</h4>
          <p className="notes">{report.notes}</p>
        </>
      )}
    </section>
  );
}
