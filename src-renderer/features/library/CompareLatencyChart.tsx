/**
 * Latency over time of two measurements overlaid (confident events only, downsampled like the
 * single-measurement chart), each with its median as a dashed line.
 */
import { useMemo } from 'react';
import { CartesianGrid, ReferenceLine, ScatterChart, XAxis, YAxis } from 'recharts';
import type { LatencyEventOutput } from '../../../shared/analysis/analyze-capture';
import { AXIS_LABEL_STYLE, AXIS_TICK, CHART_COLORS, ChartFrame, type LegendItem } from '../../ui/charts/ChartFrame';
import { niceScale } from '../../../shared/report/chart-math';
import { latencySeries } from '../../ui/charts/chart-data';
import { formatNumber } from '../../ui/format/format';
import { type PointSeries, PointsLayer } from '../../ui/charts/PointsLayer';

export interface CompareSeries {
  label: string;
  events: LatencyEventOutput[];
  medianMs?: number;
}

export function CompareLatencyChart({ a, b, height = 280 }: { a: CompareSeries; b: CompareSeries; height?: number }) {
  const view = useMemo(() => {
    const sa = latencySeries(a.events).ok;
    const sb = latencySeries(b.events).ok;
    let lo = Infinity;
    let hi = -Infinity;
    let t1 = 1;
    for (const p of [...sa, ...sb]) {
      lo = Math.min(lo, p.latencyMs);
      hi = Math.max(hi, p.latencyMs);
      t1 = Math.max(t1, p.timeS);
    }
    for (const m of [a.medianMs, b.medianMs]) {
      if (m !== undefined) {
        lo = Math.min(lo, m);
        hi = Math.max(hi, m);
      }
    }
    if (!Number.isFinite(lo)) {
      lo = 0;
      hi = 100;
    }
    const pad = Math.max(0.5, (hi - lo) * 0.05);
    const describe = (label: string, points: typeof sa) => (i: number) => [`${label}: ${formatNumber(points[i].latencyMs, 2)} ms`, `at ${formatNumber(points[i].timeS, 2)} s`];
    // B as small squares, so the two stay apart without colour.
    const series: PointSeries[] = [
      { id: 'a', points: sa.map((p) => ({ x: p.timeS, y: p.latencyMs })), mark: 'dot', color: CHART_COLORS.primary, describe: describe('A', sa) },
      { id: 'b', points: sb.map((p) => ({ x: p.timeS, y: p.latencyMs })), mark: 'square', color: CHART_COLORS.secondary, describe: describe('B', sb) },
    ];
    return { series, x: niceScale(0, t1, 8, 1), y: niceScale(lo - pad, hi + pad, 5, 1) };
  }, [a, b]);

  const legend: LegendItem[] = [
    { label: `A: ${a.label}`, color: CHART_COLORS.primary, mark: 'dot' },
    { label: `B: ${b.label}`, color: CHART_COLORS.secondary, mark: 'bar' },
  ];
  if (a.medianMs !== undefined || b.medianMs !== undefined) legend.push({ label: 'Medians', color: CHART_COLORS.text, mark: 'dashed' });
  const description = `Latency over time of A (${a.label}${a.medianMs === undefined ? '' : `, median ${formatNumber(a.medianMs, 2)} ms`}) and B (${b.label}${b.medianMs === undefined ? '' : `, median ${formatNumber(b.medianMs, 2)} ms`}).`;

  return (
    <ChartFrame title="Latency over time" description={description} height={height} legend={legend}>
      {(width) => (
        <ScatterChart width={width} height={height} margin={{ top: 10, right: 16, bottom: 24, left: 12 }}>
          <CartesianGrid stroke={CHART_COLORS.grid} strokeDasharray="3 3" />
          <XAxis
            type="number"
            dataKey="x"
            domain={[view.x.lo, view.x.hi]}
            ticks={view.x.ticks}
            interval={0}
            allowDataOverflow
            tick={AXIS_TICK}
            tickFormatter={(v: number) => formatNumber(v, 0)}
            label={{ value: 'Time (s)', position: 'insideBottom', offset: -14, style: AXIS_LABEL_STYLE }}
          />
          <YAxis
            type="number"
            dataKey="y"
            domain={[view.y.lo, view.y.hi]}
            ticks={view.y.ticks}
            interval={0}
            allowDataOverflow
            width={64}
            tick={AXIS_TICK}
            tickFormatter={(v: number) => formatNumber(v, view.y.hi - view.y.lo < 5 ? 1 : 0)}
            label={{ value: 'Latency (ms)', angle: -90, position: 'insideLeft', offset: 4, style: { ...AXIS_LABEL_STYLE, textAnchor: 'middle' } }}
          />
          {a.medianMs !== undefined && <ReferenceLine y={a.medianMs} stroke={CHART_COLORS.primary} strokeDasharray="6 4" />}
          {b.medianMs !== undefined && <ReferenceLine y={b.medianMs} stroke={CHART_COLORS.secondary} strokeDasharray="6 4" />}
          <PointsLayer series={view.series} />
        </ScatterChart>
        )}
    </ChartFrame>
  );
}
