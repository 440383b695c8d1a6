/**
 * How the confident events' latencies are distributed: one bar per latency bin, the bin holding
 * the median marked. The bins are shared/report/chart-math.ts's latencyHistogram, the same as in
 * the exported HTML report.
 */
import { useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { LatencyEventOutput } from '../../../shared/analysis/analyze-capture';
import { AXIS_LABEL_STYLE, AXIS_TICK, CHART_COLORS, ChartFrame, type LegendItem } from './ChartFrame';
import { confidentLatencies, type HistogramBin, latencyHistogram, MIN_BIN_WIDTH_MS, narrowSpread, narrowSpreadText, stepDecimals } from '../../../shared/report/chart-math';
import { formatNumber } from '../format/format';

function BinTooltip({ active, payload }: { active?: boolean; payload?: ReadonlyArray<{ payload?: HistogramBin }> }) {
  const bin = payload?.[0]?.payload;
  if (!active || !bin) return null;
  const digits = Math.max(2, stepDecimals(bin.toMs - bin.fromMs));
  return (
    <div className="recharts-default-tooltip chart-tooltip">
      <div>
        {formatNumber(bin.fromMs, digits)}–{formatNumber(bin.toMs, digits)} ms
      </div>
      <div>
        {bin.count} event{bin.count === 1 ? '' : 's'}
      </div>
    </div>
  );
}

export function LatencyHistogramChart(props: { events: LatencyEventOutput[]; medianMs?: number; height?: number }) {
  const { events, medianMs, height = 240 } = props;
  const { bins, widthMs: width, narrow } = useMemo(() => {
    const values = confidentLatencies(events);
    return { ...latencyHistogram(values), narrow: narrowSpread(values) };
  }, [events]);
  // Decimals that show the bin width (at least one) and the bin edges (at least two).
  const digits = Math.max(1, stepDecimals(width));
  const edgeDigits = Math.max(2, digits);
  // The ticks mark bin centres, half a bin from the edges: 12.535 for the 12.53–12.54 ms bin, not
  // "12.54" (which reads as the next bin and contradicts a 12.53 ms median drawn inside it).
  const tickDigits = Math.min(4, stepDecimals(width / 2));
  const medianBin = medianMs === undefined ? undefined : bins.find((b) => medianMs >= b.fromMs && medianMs < b.toMs) ?? bins[bins.length - 1];
  const legend: LegendItem[] = [{ label: `Confident events per ${formatNumber(width, digits)} ms bin`, color: CHART_COLORS.primary, mark: 'bar' }];
  if (medianBin && medianMs !== undefined) legend.push({ label: `Median ${formatNumber(medianMs, 2)} ms`, color: CHART_COLORS.secondary, mark: 'dashed' });
  const peak = bins.reduce((best, b) => (b.count > best.count ? b : best), bins[0] ?? { count: 0, centerMs: 0 });
  const description =
    bins.length === 0
      ? 'No confident events to show.'
      : `Histogram of ${bins.reduce((n, b) => n + b.count, 0)} latencies in ${bins.length} bins from ${formatNumber(bins[0].fromMs, edgeDigits)} to ${formatNumber(bins[bins.length - 1].toMs, edgeDigits)} ms; the fullest bin is around ${formatNumber(peak.centerMs, edgeDigits)} ms.`;

  if (narrow) {
    // No spread a histogram can draw (one solid block): say how closely the events agree instead.
    const text = `${narrowSpreadText(narrow)}: ${narrow.count === 1 ? 'at' : 'from'} ${formatNumber(narrow.lowMs, 4)}${narrow.count === 1 ? '' : ` to ${formatNumber(narrow.highMs, 4)}`} ms.`;
    return (
      <ChartFrame
        title="Latency distribution"
        description={text}
        height={height}
        note={`No spread to draw: the histogram resolves ${formatNumber(MIN_BIN_WIDTH_MS * 1000, 0)} µs, and every confident event falls within a few of its bins.`}
      >
        {() => (
          <div className="chart-narrow" data-testid="histogram-narrow">
            <p>{text}</p>
          </div>
        )}
      </ChartFrame>
    );
  }

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
