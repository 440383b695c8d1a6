/**
 * The A/V offset of each event over the recording: events used as dots, outliers (left out) as
 * squares, the median as a dashed line and its uncertainty as a shaded band, so the headline is
 * never drawn without its interval.
 */
import { useMemo } from 'react';
import { CartesianGrid, ReferenceArea, ReferenceLine, ScatterChart, XAxis, YAxis } from 'recharts';
import type { AvResult } from '../../../shared/av/av-schema';
import { niceScale } from '../../../shared/report/chart-math';
import { AXIS_LABEL_STYLE, AXIS_TICK, CHART_COLORS, ChartFrame, type LegendItem } from '../../ui/charts/ChartFrame';
import { type PointSeries, PointsLayer } from '../../ui/charts/PointsLayer';
import { formatNumber, formatSignedMs } from '../../ui/format/format';

export function AvOffsetChart({ av, height = 260 }: { av: AvResult; height?: number }) {
  const view = useMemo(() => {
    const ok = av.events.filter((e) => e.status === 'ok');
    const out = av.events.filter((e) => e.status === 'outlier');
    const values = [...av.events.map((e) => e.offsetMs), av.offsetMs - av.uncertaintyMs, av.offsetMs + av.uncertaintyMs];
    const y = niceScale(Math.min(...values), Math.max(...values), 5, 2);
    const x = niceScale(0, Math.max(1, ...av.events.map((e) => e.timeS)), 8, 1);
    const describe = (e: (typeof av.events)[number]) => [`${formatSignedMs(e.offsetMs, 2)}`, `event ${e.index} at ${formatNumber(e.timeS, 2)} s`, `confidence ${formatNumber(e.confidence, 2)}`];
    const series: PointSeries[] = [
      { id: 'ok', points: ok.map((e) => ({ x: e.timeS, y: e.offsetMs })), mark: 'dot', color: CHART_COLORS.primary, describe: (i) => describe(ok[i]) },
      { id: 'outlier', points: out.map((e) => ({ x: e.timeS, y: e.offsetMs })), mark: 'square', color: CHART_COLORS.bad, describe: (i) => [...describe(out[i]), 'outlier, left out'] },
    ];
    return { x, y, series, outliers: out.length };
  }, [av]);
  const legend: LegendItem[] = [
    { label: 'Event offset', color: CHART_COLORS.primary, mark: 'dot' },
    { label: `Median ${formatSignedMs(av.offsetMs, 1)} ± ${formatNumber(av.uncertaintyMs, 1)} ms`, color: CHART_COLORS.secondary, mark: 'dashed' },
  ];
  if (view.outliers > 0) legend.splice(1, 0, { label: 'Outlier (left out)', color: CHART_COLORS.bad, mark: 'dot' });
  const digits = (step: number) => (step >= 1 ? 0 : step >= 0.1 ? 1 : 2);
  const { x, y } = view;
  return (
    <ChartFrame
      title="A/V offset per event"
      description={`A/V offset of ${av.events.length} events over ${formatNumber(x.hi, 0)} s, between ${formatNumber(y.lo, 1)} and ${formatNumber(y.hi, 1)} ms; median ${formatNumber(av.offsetMs, 1)} ms ± ${formatNumber(av.uncertaintyMs, 1)} ms.`}
      height={height}
      legend={legend}
      note="Positive: the sound arrives after the picture. The band is the median ± its uncertainty."
    >
      {(width) => (
        <ScatterChart width={width} height={height} margin={{ top: 10, right: 16, bottom: 24, left: 12 }}>
          <CartesianGrid stroke={CHART_COLORS.grid} strokeDasharray="3 3" />
          <XAxis type="number" dataKey="x" domain={[x.lo, x.hi]} ticks={x.ticks} interval={0} allowDataOverflow tick={AXIS_TICK} tickFormatter={(v: number) => formatNumber(v, digits(x.ticks[1] - x.ticks[0]))} label={{ value: 'Time in the recording (s)', position: 'insideBottom', offset: -14, style: AXIS_LABEL_STYLE }} />
          <YAxis type="number" dataKey="y" domain={[y.lo, y.hi]} ticks={y.ticks} interval={0} allowDataOverflow width={64} tick={AXIS_TICK} tickFormatter={(v: number) => formatNumber(v, digits(y.ticks[1] - y.ticks[0]))} label={{ value: 'A/V offset (ms)', angle: -90, position: 'insideLeft', offset: 4, style: { ...AXIS_LABEL_STYLE, textAnchor: 'middle' } }} />
          <ReferenceArea y1={av.offsetMs - av.uncertaintyMs} y2={av.offsetMs + av.uncertaintyMs} x1={x.lo} x2={x.hi} fill={CHART_COLORS.startup} fillOpacity={0.6} stroke="none" ifOverflow="hidden" />
          <ReferenceLine y={av.offsetMs} stroke={CHART_COLORS.secondary} strokeWidth={1.5} strokeDasharray="6 4" />
          <PointsLayer series={view.series} />
        </ScatterChart>
      )}
    </ChartFrame>
  );
}
