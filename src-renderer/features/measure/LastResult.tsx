/** The last measurement's headline on the measure page (Results has the details). */
import type { Report } from '../../../shared/report/report-schema';
import { BEAT_CROSS_CHECK_TOLERANCE_MS, type BeatCrossCheck } from '../../audio/beat-events';

export interface LastResultSummary {
  report: Report;
  beatCheck: BeatCrossCheck | null;
  missingFrames: number;
}

export function LastResult({ summary }: { summary: LastResultSummary }) {
  const { report, beatCheck } = summary;
  const a = report.analysis;
  return (
    <section className="panel last-result" aria-labelledby="last-result-heading">
      <h3 id="last-result-heading">Last measurement</h3>
      <p className="muted">{report.title}</p>
      {a.status === 'ok' && a.latency ? (
        <p>
          {report.settings.mode === 'dual-channel' ? (
            <>
              Median latency after the timing reference <strong>{a.latency.medianMs.toFixed(2)} ms</strong>
            </>
          ) : a.added ? (
            <>
              Median added latency <strong>{a.added.medianMs.toFixed(2)} ms</strong> over the {a.added.baselineMs.toFixed(2)} ms baseline (total {a.latency.medianMs.toFixed(2)} ms)
            </>
          ) : (
            <>
              Median latency <strong>{a.latency.medianMs.toFixed(2)} ms</strong>
            </>
          )}
          {a.latency.startup ? `, steady after ${a.latency.startup.untilS.toFixed(1)} s` : ''}, confidence {Math.round((a.confidence ?? 0) * 100)} %, {a.latency.count} of {a.latency.eventsTotal} events.
        </p>
      ) : (
        <p className="status-bad">Refused: {a.error?.message}</p>
      )}
      {beatCheck && (
        <p className={beatCheck.agrees ? 'status-ok' : 'status-warn'} role={beatCheck.agrees ? undefined : 'alert'}>
          Beat-grid cross-check: {beatCheck.coarseLatencyMs.toFixed(1)} ms (coarse, from the beat detector) vs {a.latency?.medianMs.toFixed(1)} ms measured —{' '}
          {beatCheck.agrees
            ? 'they agree.'
            : `they differ by ${Math.abs(beatCheck.differenceMs).toFixed(1)} ms (more than ${BEAT_CROSS_CHECK_TOLERANCE_MS} ms): the measurement may have locked onto a repeated bar; check the correlation peak in Results.`}
        </p>
      )}
      {summary.missingFrames > 0 && <p className="status-warn">{summary.missingFrames} capture frames were missing (left silent).</p>}
    </section>
  );
}
