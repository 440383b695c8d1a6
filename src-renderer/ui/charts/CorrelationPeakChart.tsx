/**
 * The cross-correlation around the arrival of the event closest to the median: how sharp and how
 * clear the peak behind the latency figure is. Reflections show as secondary peaks.
 */
import { useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { type CorrelationZoom, type Polarity, zoomPolarityNote } from '../../../shared/analysis/correlation-zoom';
import type { CorrelationWeighting } from '../../../shared/dsp/cross-correlation';
import { AXIS_LABEL_STYLE, AXIS_TICK, CHART_COLORS, ChartFrame, type LegendItem } from './ChartFrame';
import { niceScale } from '../../../shared/report/chart-math';
import { thinLine } from './chart-data';
import { formatNumber } from '../format/format';

interface Point {
  lagMs: number;
  value: number;
}

const MAX_POINTS = 1200;

function LagTooltip({ active, payload }: { active?: boolean; payload?: ReadonlyArray<{ payload?: Point }> }) {
  const point = payload?.[0]?.payload;
  if (!active || !point) return null;
  return (
    <div className="recharts-default-tooltip chart-tooltip">
      <div>lag {formatNumber(point.lagMs, 3)} ms</div>
      <div>correlation {formatNumber(point.value, 3)}</div>
    </div>
  );
}

export function CorrelationPeakChart(props: { zoom: CorrelationZoom; weighting: CorrelationWeighting; latencyMs?: number; polarity?: Polarity; height?: number }) {
  const { zoom, weighting, latencyMs, polarity, height = 240 } = props;
  const polarityNote = zoomPolarityNote(zoom, polarity, weighting);
  const data = useMemo(() => {
    const points: Point[] = zoom.lagMs.map((lagMs, i) => ({ lagMs, value: zoom.value[i] }));
    return thinLine(points, MAX_POINTS, (p) => p.value);
  }, [zoom]);
  const first = data[0]?.lagMs ?? 0;
  const last = data[data.length - 1]?.lagMs ?? 1;
  const scale = niceScale(first, last, 6, 0.1);
  const xTicks = scale.ticks.filter((t) => t >= first - 1e-9 && t <= last + 1e-9);
  const step = scale.ticks.length > 1 ? scale.ticks[1] - scale.ticks[0] : 1;
  const legend: LegendItem[] = [{ label: 'Normalised correlation', color: CHART_COLORS.primary, mark: 'line' }];
  if (latencyMs !== undefined) legend.push({ label: `Measured latency ${formatNumber(latencyMs, 3)} ms`, color: CHART_COLORS.secondary, mark: 'dashed' });
  const description = `Correlation of event ${zoom.eventIndex + 1} over lags ${formatNumber(first, 2)} to ${formatNumber(last, 2)} ms, normalised so the peak is ±1${latencyMs === undefined ? '' : `; measured latency ${formatNumber(latencyMs, 3)} ms`}.`;

  return (
    <ChartFrame
      title="Correlation peak"
      description={description}
      height={height}
      legend={legend}
      note={`Event ${zoom.eventIndex + 1}, the confident event closest to the median. Secondary peaks are reflections or a second arrival.${polarityNote ? ` ${polarityNote}` : ''}`}
    >
      {(width) => (
        <LineChart width={width} height={height} data={data} margin={{ top: 10, right: 16, bottom: 24, left: 12 }}>
          <CartesianGrid stroke={CHART_COLORS.grid} strokeDasharray="3 3" />
          <XAxis
            type="number"
            dataKey="lagMs"
            domain={[first, last]}
            ticks={xTicks}
            interval={0}
            allowDataOverflow
            tick={AXIS_TICK}
            tickFormatter={(v: number) => formatNumber(v, step >= 1 ? 0 : step >= 0.1 ? 1 : 2)}
            label={{ value: 'Lag (ms)', position: 'insideBottom', offset: -14, style: AXIS_LABEL_STYLE }}
          />
          <YAxis
            type="number"
            domain={[-1, 1]}
            ticks={[-1, -0.5, 0, 0.5, 1]}
            interval={0}
            width={56}
            tick={AXIS_TICK}
            tickFormatter={(v: number) => formatNumber(v, v === Math.round(v) ? 0 : 1)}
            label={{ value: 'Correlation', angle: -90, position: 'insideLeft', offset: 4, style: { ...AXIS_LABEL_STYLE, textAnchor: 'middle' } }}
          />
          <Tooltip content={LagTooltip} isAnimationActive={false} />
          {latencyMs !== undefined && <ReferenceLine x={latencyMs} stroke={CHART_COLORS.secondary} strokeWidth={1.5} strokeDasharray="6 4" ifOverflow="hidden" />}
          <Line type="linear" dataKey="value" stroke={CHART_COLORS.primary} strokeWidth={1.5} dot={false} activeDot={{ r: 3 }} isAnimationActive={false} />
        </LineChart>
        )}
    </ChartFrame>
  );
}
