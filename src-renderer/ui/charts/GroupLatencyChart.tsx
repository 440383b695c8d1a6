/**
 * Several outputs or speakers on one axis: each output's confident events as dots, each speaker of
 * one stream as its drift line through its median (groupLatencySeries in shared/report/chart-math.ts,
 * which the HTML report draws too), one colour each.
 */
import { useMemo } from 'react';
import { CartesianGrid, ReferenceLine, ScatterChart, XAxis, YAxis } from 'recharts';
import { type GroupLatencySeries, niceScale } from '../../../shared/report/chart-math';
import { formatNumber } from '../format/format';
import { AXIS_LABEL_STYLE, AXIS_TICK, CHART_COLORS, ChartFrame, type LegendItem } from './ChartFrame';
import { type PointSeries, PointsLayer } from './PointsLayer';

/** One colour per output or speaker (Okabe–Ito, readable on light and dark and by most colour-blind readers). */
export const GROUP_COLORS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#8c6d1f', '#888888'] as const;

export function GroupLatencyChart({ series, durationS, height = 300 }: { series: GroupLatencySeries[]; durationS: number; height?: number }) {
  const view = useMemo(() => {
    let lo = Infinity;
    let hi = -Infinity;
    let t1 = durationS;
    for (const s of series) {
      for (const p of s.points) {
        lo = Math.min(lo, p.latencyMs);
        hi = Math.max(hi, p.latencyMs);
        t1 = Math.max(t1, p.timeS);
      }
    }
    if (!Number.isFinite(lo)) {
      lo = 0;
      hi = 100;
    }
    const pad = Math.max(0.5, (hi - lo) * 0.08);
    const y = niceScale(lo - pad, hi + pad, 6, 1);
    const x = niceScale(0, Math.max(t1, 1), 8, 1);
    const points: PointSeries[] = series.flatMap((s, k) =>
      s.kind === 'events'
        ? [{
          id: s.name,
          points: s.points.map((p) => ({ x: p.timeS, y: p.latencyMs })),
          mark: 'dot' as const,
          color: GROUP_COLORS[k % GROUP_COLORS.length],
          describe: (i: number) => [s.name, `${formatNumber(s.points[i].latencyMs, 2)} ms`, `at ${formatNumber(s.points[i].timeS, 2)} s`],
        }]
        : [],
    );
    return { x, y, points };
  }, [series, durationS]);
  const legend: LegendItem[] = series.map((s, k) => ({ label: s.name, color: GROUP_COLORS[k % GROUP_COLORS.length], mark: s.kind === 'events' ? 'dot' : 'line' }));
  const { x, y } = view;
  const tickDigits = (step: number) => (step >= 1 ? 0 : step >= 0.1 ? 1 : 2);
  const description = series.length === 0
    ? 'Nothing measured to draw.'
    : `Latency over time of ${series.length} ${series.some((s) => s.kind === 'events') ? 'outputs' : 'speakers'} on one axis, between ${formatNumber(y.lo, 1)} and ${formatNumber(y.hi, 1)} ms.`;
  return (
    <ChartFrame
      title="Latency of each over time"
      description={description}
      height={height}
      legend={legend}
      note={series.some((s) => s.kind === 'line') ? 'A speaker of one stream is drawn as its drift line through its median latency: the analysis follows every click but keeps the line.' : undefined}
    >
      {(width) => (
        <ScatterChart width={width} height={height} margin={{ top: 10, right: 16, bottom: 24, left: 12 }}>
          <CartesianGrid stroke={CHART_COLORS.grid} strokeDasharray="3 3" />
          <XAxis type="number" dataKey="x" domain={[x.lo, x.hi]} ticks={x.ticks} interval={0} allowDataOverflow tick={AXIS_TICK}
            tickFormatter={(v: number) => formatNumber(v, tickDigits(x.ticks[1] - x.ticks[0]))}
            label={{ value: 'Time (s)', position: 'insideBottom', offset: -14, style: AXIS_LABEL_STYLE }} />
          <YAxis type="number" dataKey="y" domain={[y.lo, y.hi]} ticks={y.ticks} interval={0} allowDataOverflow width={64} tick={AXIS_TICK}
            tickFormatter={(v: number) => formatNumber(v, tickDigits(y.ticks[1] - y.ticks[0]))}
            label={{ value: 'Latency (ms)', angle: -90, position: 'insideLeft', offset: 4, style: { ...AXIS_LABEL_STYLE, textAnchor: 'middle' } }} />
          {series.map((s, k) =>
            s.kind === 'line' && s.points.length === 2 ? (
              <ReferenceLine key={s.name} segment={[{ x: s.points[0].timeS, y: s.points[0].latencyMs }, { x: s.points[1].timeS, y: s.points[1].latencyMs }]} stroke={GROUP_COLORS[k % GROUP_COLORS.length]} strokeWidth={2} ifOverflow="hidden" />
            ) : null,
          )}
          <PointsLayer series={view.points} />
        </ScatterChart>
      )}
    </ChartFrame>
  );
}
