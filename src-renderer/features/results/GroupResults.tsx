/**
 * Results of several outputs or speakers measured together (a report's `group`): the per-output or
 * per-speaker table (latency, offset, level, drift, events, dropouts; a refused output with its
 * reason and advice), the spread, each output's offset against the first over the run with the
 * relative drift, the verdict against the chosen sync tolerance (and when it was first exceeded),
 * the verdicts against the catalogue's multi-room claims, a refusal of the whole run with advice,
 * and every one's latency over time on one axis. The table model is shared/report/group-view.ts,
 * as in the HTML report.
 */
import { groupLatencySeries } from '../../../shared/report/chart-math';
import { groupView, TOLERANCE_SOURCE_LABELS } from '../../../shared/report/group-view';
import type { Report, ReportGroup } from '../../../shared/report/report-schema';
import { formatNumber } from '../../ui/format/format';
import { GroupLatencyChart } from '../../ui/charts/GroupLatencyChart';

const OUTCOME_TEXT = { better: 'Better than the claim', within: 'Within the claim', worse: 'Worse than the claim', inconclusive: 'Inconclusive' } as const;
const TOLERANCE_TEXT = { within: 'In sync', beyond: 'Out of sync', inconclusive: 'Inconclusive' } as const;

const opt = (v: number | null, digits: number, unit: string): string => (v === null ? '—' : `${formatNumber(v, digits)} ${unit}`);
const signed = (v: number | null, digits: number, unit: string): string => (v === null ? '—' : `${v > 0 ? '+' : v < 0 ? '−' : ''}${formatNumber(Math.abs(v), digits)} ${unit}`);

export function GroupResults({ report, group }: { report: Report; group: ReportGroup }) {
  const view = groupView(group);
  const verdicts = group.verdicts;
  const series = groupLatencySeries(group, Math.max(report.signal.durationS, 1e-3));
  const noun = group.kind === 'outputs' ? 'output' : 'speaker';
  return (
    <section className="panel group-results" aria-labelledby="group-heading">
      <h3 id="group-heading">{view.title}</h3>
      {view.refusal && (
        <div className="refusal-inline" role="alert">
          <p>
            <strong>Refused:</strong> {view.refusal.message}
          </p>
          <p>{view.refusal.advice}</p>
        </div>
      )}
      {view.rows.length > 0 && (
        <table className="stats-table group-table">
          <thead>
            <tr>
              <th scope="col">{group.kind === 'outputs' ? 'Output' : 'Speaker'}</th>
              <th scope="col" className="num">Latency</th>
              <th scope="col" className="num">{group.kind === 'outputs' ? 'Offset from first' : 'Offset from earliest'}</th>
              <th scope="col" className="num">Level</th>
              <th scope="col" className="num">Drift</th>
              <th scope="col" className="num">Events</th>
              <th scope="col" className="num">Dropouts</th>
            </tr>
          </thead>
          <tbody>
            {view.rows.map((r) =>
              r.refusal ? (
                <tr key={r.name} className="refused-row">
                  <th scope="row">{r.name}</th>
                  <td colSpan={6}>
                    Refused: {r.refusal.message} {r.refusal.advice}
                  </td>
                </tr>
              ) : (
                <tr key={r.name}>
                  <th scope="row">{r.name}</th>
                  <td className="num">{opt(r.latencyMs, 2, 'ms')}</td>
                  <td className="num">{signed(r.offsetMs, 2, 'ms')}</td>
                  <td className="num">{opt(r.levelDb, 1, 'dB')}</td>
                  <td className="num">{signed(r.driftPpm, 1, 'ppm')}</td>
                  <td className="num">{r.events ?? '—'}</td>
                  <td className="num">{r.dropouts ?? '—'}</td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      )}
      <p className="group-spread">
        <strong>Spread:</strong> {view.spreadMs === null ? 'none to give' : `${formatNumber(view.spreadMs, 2)} ms`} <span className="muted">({view.spreadBasis})</span>
      </p>
      {view.pairs.length > 0 && (
        <table className="stats-table">
          <caption>Offsets over the run</caption>
          <thead>
            <tr>
              <th scope="col">Pair</th>
              <th scope="col" className="num">At the start</th>
              <th scope="col" className="num">At the end</th>
              <th scope="col" className="num">Relative drift</th>
              <th scope="col" className="num">Change per minute</th>
            </tr>
          </thead>
          <tbody>
            {view.pairs.map((p) => (
              <tr key={p.name}>
                <th scope="row">{p.name}</th>
                <td className="num">{signed(p.offsetStartMs, 2, 'ms')}</td>
                <td className="num">{signed(p.offsetEndMs, 2, 'ms')}</td>
                <td className="num">{signed(p.relativeDriftPpm, 1, 'ppm')}</td>
                <td className="num">{signed(p.relativeDriftMsPerMinute, 2, 'ms')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="group-verdicts">
        <h4>Sync: ±{formatNumber(group.tolerance.toleranceMs, 1)} ms ({TOLERANCE_SOURCE_LABELS[group.tolerance.source]})</h4>
        {verdicts ? (
          <p className={verdicts.tolerance.outcome === 'within' ? 'status-ok' : verdicts.tolerance.outcome === 'beyond' ? 'status-bad' : 'status-warn'}>
            <strong>{TOLERANCE_TEXT[verdicts.tolerance.outcome]}.</strong> {verdicts.tolerance.summary}
          </p>
        ) : (
          <p className="muted">No verdict: the {noun}s could not be measured apart.</p>
        )}
        {verdicts && verdicts.claims.length > 0 && (
          <>
            <h4>Multi-room claims</h4>
            <ul className="group-claims">
              {verdicts.claims.map((c) => (
                <li key={c.claimId}>
                  <strong>{c.claimName}</strong>: {OUTCOME_TEXT[c.outcome]}. {c.summary}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      {series.length > 0 && <GroupLatencyChart series={series} durationS={report.signal.durationS} />}
      {view.warnings.length > 0 && (
        <ul className="group-warnings">
          {view.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
