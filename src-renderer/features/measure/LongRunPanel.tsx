/**
 * Long run: the live latency-over-time chart with the start-up shaded, and the steady state's
 * median, spread, drift and jitter, the latency changes and modes so far, dropout counts; from the
 * same jump-aware model as the final result (audio/long-run.ts).
 */
import type { LatencyEventOutput } from '../../../shared/analysis/analyze-capture';
import type { LiveStats } from '../../audio/long-run';
import { LatencyOverTimeChart } from '../../ui/charts/LatencyOverTimeChart';

export interface LongRunPanelProps {
  events: LatencyEventOutput[];
  stats: LiveStats | null;
  /** Live segments that could not be analysed. */
  errors?: string[];
}

const ms = (v: number | null, digits = 2) => (v === null ? '—' : `${v.toFixed(digits)} ms`);

export function LongRunPanel({ events, stats, errors = [] }: LongRunPanelProps) {
  return (
    <section className="panel long-run" aria-labelledby="long-run-heading">
      <h3 id="long-run-heading">Long run: live results</h3>
      {events.length === 0 ? (
        <p className="muted" role="status">
          The first segment is analysed after about 12 s of recording; the chart then updates every 10 s.
        </p>
      ) : (
        <LatencyOverTimeChart events={events} medianMs={stats?.medianMs ?? undefined} startupUntilS={stats?.steadyFromS ?? null} height={240} />
      )}
      {stats && (
        <dl className="figures" aria-live="polite">
          <div>
            <dt>Events analysed</dt>
            <dd>
              {stats.count} of {stats.eventsTotal}
            </dd>
          </div>
          <div>
            <dt>{stats.steadyFromS !== null ? 'Median (steady state)' : 'Median'}</dt>
            <dd>{ms(stats.medianMs)}</dd>
          </div>
          <div>
            <dt>Start-up</dt>
            <dd>{stats.steadyFromS === null ? 'none: stable from the start' : `settled after ${stats.steadyFromS.toFixed(1)} s`}</dd>
          </div>
          <div>
            <dt>Latency changes</dt>
            <dd>{stats.jumps}</dd>
          </div>
          {stats.modes.length >= 2 && (
            <div>
              <dt>Alternates between</dt>
              <dd>{stats.modes.map((m) => `${m.medianMs.toFixed(1)} ms (${Math.round(m.share * 100)} %)`).join(' · ')}</dd>
            </div>
          )}
          <div>
            <dt>{stats.steadyFromS !== null ? 'Spread of the steady state' : 'Spread (max − min)'}</dt>
            <dd>{ms(stats.spreadMs)}</dd>
          </div>
          <div>
            <dt>Drift</dt>
            <dd>{stats.driftPpm === null ? '—' : `${stats.driftPpm.toFixed(0)} ppm`}</dd>
          </div>
          <div>
            <dt>Jitter</dt>
            <dd>{ms(stats.jitterMs, 3)}</dd>
          </div>
          <div>
            <dt>Dropouts</dt>
            <dd>{stats.dropouts}</dd>
          </div>
          <div>
            <dt>Low confidence</dt>
            <dd>{stats.lowConfidence}</dd>
          </div>
        </dl>
      )}
      {errors.length > 0 && (
        <ul className="live-errors" role="status">
          {errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
