/**
 * How the confident events' latencies are distributed: one bar per latency bin (width from the
 * Freedman–Diaconis rule, rounded), the bin holding the median marked.
 */
import { useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { LatencyEventOutput } from '../../../shared/analysis/analyze-capture';
import { AXIS_LABEL_STYLE, AXIS_TICK, CHART_COLORS, ChartFrame, type LegendItem } from './ChartFrame';
import { type HistogramBin, histogram } from './chart-data';
import { formatNumber } from '../format/format';

function BinTooltip({ active, payload }: { active?: boolean; payload?: ReadonlyArray<{ payload?: HistogramBin }> }) {
  const bin = payload?.[0]?.payload;
  if (!active || !bin) return null;
  return (
    <div className="recharts-default-tooltip chart-tooltip">
      <div>
        {formatNumber(bin.fromMs, 2)}–{formatNumber(bin.toMs, 2)} ms
      </div>
      <div>
        {bin.count} event{bin.count === 1 ? '' : 's'}
      </div>
    </div>
  );
}

/** Decimals that show `x` exactly (up to 4): 0.005 → 3, 0.05 → 2, 0.5 → 1, 5 → 0. */
function decimalsOf(x: number): number {
  for (let d = 0; d < 4; d++) if (Math.abs(Math.round(x * 10 ** d) - x * 10 ** d) < 1e-6) return d;
  return 4;
}

export function LatencyHistogramChart(props: { events: LatencyEventOutput[]; medianMs?: number; height?: number }) {
  const { events, medianMs, height = 240 } = props;
  const bins = useMemo(() => histogram(events.filter((e) => e.status === 'ok' && e.latencyMs !== null).map((e) => e.latencyMs as number)), [events]);
  const width = bins.length > 0 ? bins[0].toMs - bins[0].fromMs : 0;
  const digits = width >= 1 ? 0 : width >= 0.1 ? 1 : 2;
  // The ticks mark bin centres, half a bin from the edges: 12.535 for the 12.53–12.54 ms bin, not
  // "12.54" (which reads as the next bin and contradicts a 12.53 ms median drawn inside it).
  const tickDigits = decimalsOf(width / 2);
  const medianBin = medianMs === undefined ? undefined : bins.find((b) => medianMs >= b.fromMs && medianMs < b.toMs) ?? bins[bins.length - 1];
  const legend: LegendItem[] = [{ label: `Confident events per ${formatNumber(width, digits === 0 ? 1 : digits)} ms bin`, color: CHART_COLORS.primary, mark: 'bar' }];
  if (medianBin && medianMs !== undefined) legend.push({ label: `Median ${formatNumber(medianMs, 2)} ms`, color: CHART_COLORS.secondary, mark: 'dashed' });
  const peak = bins.reduce((best, b) => (b.count > best.count ? b : best), bins[0] ?? { count: 0, centerMs: 0 });
  const description =
    bins.length === 0
      ? 'No confident events to show.'
      : `Histogram of ${bins.reduce((n, b) => n + b.count, 0)} latencies in ${bins.length} bins from ${formatNumber(bins[0].fromMs, 2)} to ${formatNumber(bins[bins.length - 1].toMs, 2)} ms; the fullest bin is around ${formatNumber(peak.centerMs, 2)} ms.`;

  return (
    <ChartFrame title="Latency distribution" description={description} height={height} legend={legend}>
      {(width) => (
        <BarChart width={width} height={height} data={bins} margin={{ top: 10, right: 16, bottom: 24, left: 12 }} barCategoryGap={1}>
          <CartesianGrid stroke={CHART_COLORS.grid} strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="centerMs"
            tick={AXIS_TICK}
            tickFormatter={(v: number) => formatNumber(v, tickDigits)}
            minTickGap={12}
            label={{ value: 'Latency (ms)', position: 'insideBottom', offset: -14, style: AXIS_LABEL_STYLE }}
          />
          <YAxis
            allowDecimals={false}
            width={56}
            tick={AXIS_TICK}
            label={{ value: 'Events', angle: -90, position: 'insideLeft', offset: 4, style: { ...AXIS_LABEL_STYLE, textAnchor: 'middle' } }}
          />
          <Tooltip content={BinTooltip} cursor={{ fill: 'var(--surface-2)' }} isAnimationActive={false} />
          <Bar dataKey="count" name="Events" fill={CHART_COLORS.primary} isAnimationActive={false} />
          {medianBin && <ReferenceLine x={medianBin.centerMs} stroke={CHART_COLORS.secondary} strokeWidth={2} strokeDasharray="6 4" />}
        </BarChart>
        )}
    </ChartFrame>
  );
}
