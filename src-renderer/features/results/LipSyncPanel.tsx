/** The A/V offset against each lip-sync standard, and a note when the display's video latency has changed since. */
import type { AnalysisOutput } from '../../../shared/claims/judge';
import { LIP_SYNC_STANDARDS } from '../../../shared/claims/lip-sync-standards';
import { formatMs, formatNumber, formatSignedMs } from '../../ui/format/format';

export function LipSyncPanel({ analysis, currentVideoLatencyMs, timingReference = false }: { analysis: AnalysisOutput; currentVideoLatencyMs?: number; timingReference?: boolean }) {
  const lip = analysis.lipSync;
  if (!lip) return null;
  // An alternating path whose modes fall on both sides of a limit: no pass or fail (judge.ts).
  const inconclusive = lip.verdicts.filter((v) => v.inconclusive);
  const changed = currentVideoLatencyMs !== undefined && Math.abs(currentVideoLatencyMs - lip.videoLatencyMs) > 1e-9;
  return (
    <section className="panel" aria-labelledby="lipsync-heading">
      <h3 id="lipsync-heading">Lip sync</h3>
      <p className="muted">
        A/V offset = {timingReference ? 'the audio latency after the timing reference' : lip.basis === 'added' ? 'added audio latency' : 'total audio latency'} − the display’s video latency ({formatMs(lip.videoLatencyMs, 0)}); positive means the sound lags the
        picture.
      </p>
      {changed && (
        <p className="status-warn">
          Your settings now give the display’s video latency as {formatMs(currentVideoLatencyMs, 0)}; this measurement was checked with {formatMs(lip.videoLatencyMs, 0)}. Measure
          again to check with the new value.
        </p>
      )}
      {inconclusive.length > 0 && (
        <ul className="status-warn" aria-label="Inconclusive lip-sync verdicts">
          {inconclusive.map((v) => (
            <li key={v.standardId}>{v.summary}</li>
          ))}
        </ul>
      )}
      <table className="lipsync-table">
        <thead>
          <tr>
            <th scope="col">Standard</th>
            <th scope="col">Window, lead / lag</th>
            <th scope="col" className="num">
              Offset
            </th>
            <th scope="col">Result</th>
            <th scope="col" className="num">
              Margin
            </th>
          </tr>
        </thead>
        <tbody>
          {lip.verdicts.map((v) => {
            const standard = LIP_SYNC_STANDARDS.find((s) => s.id === v.standardId);
            return (
              <tr key={v.standardId}>
                <th scope="row" title={standard?.description}>
                  {v.standardName}
                </th>
                <td className="nowrap">{standard ? `${formatNumber(standard.maxLeadMs, 0)} / ${formatMs(standard.maxLagMs, 0)}` : `${v.limit} ≤ ${formatMs(v.limitMs, 0)}`}</td>
                <td className="num">{formatSignedMs(v.offsetMs, 1)}</td>
                <td>
                  {v.inconclusive ? (
                    <span className="status-warn" title={v.inconclusive}>
                      Inconclusive
                    </span>
                  ) : (
                    <span className={v.pass ? 'status-ok' : 'status-bad'}>{v.pass ? 'Pass' : 'Fail'}</span>
                  )}
                </td>
                <td className="num" title={`to the ${v.limit} limit`}>
                  {formatSignedMs(v.marginMs, 1)} <span className="muted">({v.limit})</span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
