/**
 * Latency of every event over the run: confident events as dots, low-confidence events hollow,
 * dropouts (and events the capture did not reach) as triangles along the bottom, the median as a
 * dashed line. Long runs are downsampled (see latencySeries) and the points are drawn as paths
 * (PointsLayer), so thousands of events stay cheap; the live long-run view of the measure page
 * uses the same chart.
 */
import { useMemo } from 'react';
import { CartesianGrid, ReferenceArea, ReferenceLine, ScatterChart, XAxis, YAxis } from 'recharts';
import type { LatencyEventOutput } from '../../../shared/analysis/analyze-capture';
import { AXIS_LABEL_STYLE, AXIS_TICK, CHART_COLORS, ChartFrame, type LegendItem } from './ChartFrame';
import { niceScale } from '../../../shared/report/chart-math';
import { latencySeries, TIME_SLICES } from './chart-data';
import { formatNumber } from '../format/format';
import { type PointSeries, PointsLayer } from './PointsLayer';

/**
 * `startupUntilS`: the path settled at this time (the analysis' start-up); the start-up is shaded
 * and the median is that of the steady state after it.
 */
export function LatencyOverTimeChart(props: { events: LatencyEventOutput[]; medianMs?: number; height?: number; startupUntilS?: number | null }) {
  const { events, medianMs, height = 280 } = props;
  const startupUntilS = props.startupUntilS ?? null;

  const view = useMemo(() => {
    const series = latencySeries(events);
    let lo = Infinity;
    let hi = -Infinity;
    for (const p of series.ok) {
      if (p.latencyMs < lo) lo = p.latencyMs;
      if (p.latencyMs > hi) hi = p.latencyMs;
    }
    for (const p of series.lowConfidence) {
      if (p.latencyMs < lo) lo = p.latencyMs;
      if (p.latencyMs > hi) hi = p.latencyMs;
    }
    if (medianMs !== undefined && Number.isFinite(medianMs)) {
      lo = Math.min(lo, medianMs);
      hi = Math.max(hi, medianMs);
    }
    if (!Number.isFinite(lo)) {
      lo = 0;
      hi = 100;
    }
    // Room below the data for the dropout marks.
    const pad = Math.max(0.5, (hi - lo) * 0.12);
    const y = niceScale(lo - (series.lost.length > 0 ? pad : pad / 3), hi + pad / 3, 5, 1);
    let t1 = 0;
    let lost = 0;
    for (const e of events) {
      if (e.timeS > t1) t1 = e.timeS;
      if (e.latencyMs === null || e.status === 'dropout' || e.status === 'not-captured') lost++;
    }
    const x = niceScale(0, Math.max(t1, 1), 8, 1);
    const time = (t: number) => `${formatNumber(t, 2)} s`;
    const points: PointSeries[] = [
      {
        id: 'ok',
        points: series.ok.map((p) => ({ x: p.timeS, y: p.latencyMs })),
        mark: 'dot',
        color: CHART_COLORS.primary,
        describe: (i) => [`${formatNumber(series.ok[i].latencyMs, 2)} ms`, `at ${time(series.ok[i].timeS)}`],
      },
      {
        id: 'low',
        points: series.lowConfidence.map((p) => ({ x: p.timeS, y: p.latencyMs })),
        mark: 'hollow',
        color: CHART_COLORS.primary,
        describe: (i) => [`${formatNumber(series.lowConfidence[i].latencyMs, 2)} ms`, `at ${time(series.lowConfidence[i].timeS)}`, 'low confidence, left out'],
      },
      {
        id: 'lost',
        points: series.lost.map((t) => ({ x: t, y: y.lo })),
        mark: 'triangle-bottom',
        color: CHART_COLORS.bad,
        describe: (i) => ['dropout', `at ${time(series.lost[i])}`],
      },
    ];
    return { series, points, x, y, lost };
  }, [events, medianMs]);

  const { series, x, y } = view;
  const legend: LegendItem[] = [{ label: 'Event latency', color: CHART_COLORS.primary, mark: 'dot' }];
  if (series.lowConfidence.length > 0) legend.push({ label: 'Low confidence (left out)', color: CHART_COLORS.primary, mark: 'hollow' });
  if (series.lost.length > 0) legend.push({ label: 'Dropout', color: CHART_COLORS.bad, mark: 'triangle' });
  if (startupUntilS !== null) legend.push({ label: `Start-up, until ${formatNumber(startupUntilS, 1)} s`, color: CHART_COLORS.startup, mark: 'bar' });
  if (medianMs !== undefined) legend.push({ label: `Median${startupUntilS !== null ? ' of the steady state' : ''} ${formatNumber(medianMs, 2)} ms`, color: CHART_COLORS.secondary, mark: 'dashed' });

  const description =
    events.length === 0
      ? 'No events yet.'
      : `Latency of ${events.length} events over ${formatNumber(x.hi, 0)} s, between ${formatNumber(y.lo, 1)} and ${formatNumber(y.hi, 1)} ms${startupUntilS !== null ? `; a start-up until ${formatNumber(startupUntilS, 1)} s` : ''}${medianMs === undefined ? '' : `, median${startupUntilS !== null ? ' of the steady state' : ''} ${formatNumber(medianMs, 2)} ms`}; ${view.lost} dropouts.`;
  const tickDigits = (step: number) => (step >= 1 ? 0 : step >= 0.1 ? 1 : 2);

  return (
    <ChartFrame
      title="Latency over time"
      description={description}
      height={height}
      legend={legend}
      note={
        series.downsampled
          ? `${series.total} events, drawn as ${series.shown} points: each of ${TIME_SLICES} time slices shows its lowest and highest latency, so outliers stay visible.`
          : undefined
      }
    >
      {(width) => (
        <ScatterChart width={width} height={height} margin={{ top: 10, right: 16, bottom: 24, left: 12 }}>
          <CartesianGrid stroke={CHART_COLORS.grid} strokeDasharray="3 3" />
          <XAxis
            type="number"
            dataKey="x"
            domain={[x.lo, x.hi]}
            ticks={x.ticks}
            interval={0}
            allowDataOverflow
            tick={AXIS_TICK}
            tickFormatter={(v: number) => formatNumber(v, tickDigits(x.ticks[1] - x.ticks[0]))}
            label={{ value: 'Time (s)', position: 'insideBottom', offset: -14, style: AXIS_LABEL_STYLE }}
          />
          <YAxis
            type="number"
            dataKey="y"
            domain={[y.lo, y.hi]}
            ticks={y.ticks}
            interval={0}
            allowDataOverflow
            width={64}
            tick={AXIS_TICK}
            tickFormatter={(v: number) => formatNumber(v, tickDigits(y.ticks[1] - y.ticks[0]))}
            label={{ value: 'Latency (ms)', angle: -90, position: 'insideLeft', offset: 4, style: { ...AXIS_LABEL_STYLE, textAnchor: 'middle' } }}
          />
          {startupUntilS !== null && (
            <ReferenceArea x1={x.lo} x2={Math.min(x.hi, startupUntilS)} y1={y.lo} y2={y.hi} fill={CHART_COLORS.startup} fillOpacity={0.35} stroke="none" ifOverflow="hidden" />
          )}
          {medianMs !== undefined && <ReferenceLine y={medianMs} stroke={CHART_COLORS.secondary} strokeWidth={1.5} strokeDasharray="6 4" ifOverflow="extendDomain" />}
          <PointsLayer series={view.points} />
        </ScatterChart>
        )}
    </ChartFrame>
  );
}
