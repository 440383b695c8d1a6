/**
 * Frequency response on a log-frequency axis (20 Hz to Nyquist, ticks 20, 50, 100, 200, 500,
 * 1k …): magnitude in dB of one or two curves (the measurement and an overlay) and, optionally,
 * coherence on a secondary 0–1 axis. The chart only draws; FrequencyResponsePanel prepares the
 * curves (smoothing, normalisation, overlays).
 */
import { useMemo } from 'react';
import { CartesianGrid, Line, LineChart, XAxis, YAxis } from 'recharts';
import { AXIS_LABEL_STYLE, AXIS_TICK, CHART_COLORS, ChartFrame, type LegendItem } from './ChartFrame';
import { decibelScale, formatHz, frequencyTicks } from '../../../shared/report/chart-math';
import { thinPerOctave } from './chart-data';
import { formatNumber } from '../format/format';

export const LOWEST_HZ = 20;

export interface FrequencyCurve {
  id: string;
  label: string;
  points: ReadonlyArray<{ hz: number; db: number }>;
  /** 'primary' draws in the first chart colour, 'overlay' in the second. */
  role: 'primary' | 'overlay';
}

export interface FrequencyResponseChartProps {
  curves: FrequencyCurve[];
  /** Coherence of the primary curve (0–1), drawn on the right axis; omit to hide. */
  coherence?: ReadonlyArray<{ hz: number; coherence: number }> | null;
  /** Top of the axis: the Nyquist frequency of the measurement. */
  maxHz: number;
  /** Y axis label, e.g. "Level (dB, 0 = mean 500 Hz–2 kHz)". */
  magnitudeLabel: string;
  height?: number;
  title?: string;
  /**
   * Points drawn per octave (default 48, every 1/48-octave band). A smoothed curve needs no more
   * than a few points per smoothing width, and fewer points draw faster.
   */
  pointsPerOctave?: number;
}

const COLOR = { primary: CHART_COLORS.primary, overlay: CHART_COLORS.secondary } as const;

export function FrequencyResponseChart({ curves, coherence, maxHz, magnitudeLabel, height = 320, title = 'Frequency response', pointsPerOctave = 48 }: FrequencyResponseChartProps) {
  const view = useMemo(() => {
    const top = Math.max(LOWEST_HZ * 2, maxHz);
    const visible = curves.map((c) => ({ ...c, points: thinPerOctave(c.points.filter((p) => p.hz >= LOWEST_HZ && p.hz <= top && Number.isFinite(p.db)), pointsPerOctave) }));
    let lo = Infinity;
    let hi = -Infinity;
    for (const c of visible)
      for (const p of c.points) {
        if (p.db < lo) lo = p.db;
        if (p.db > hi) hi = p.db;
      }
    if (!Number.isFinite(lo)) {
      lo = -20;
      hi = 10;
    }
    // At most 60 dB below the top, the same axis as the HTML report's.
    const y = decibelScale(lo, hi);
    const cohPoints = coherence ? thinPerOctave(coherence.filter((p) => p.hz >= LOWEST_HZ && p.hz <= top), pointsPerOctave) : null;
    return { top, visible, y, cohPoints, ticks: frequencyTicks(LOWEST_HZ, top) };
  }, [curves, coherence, maxHz, pointsPerOctave]);

  const legend: LegendItem[] = view.visible.map((c) => ({ label: c.label, color: COLOR[c.role], mark: 'line' }));
  if (view.cohPoints) legend.push({ label: 'Coherence (right axis, 0–1)', color: CHART_COLORS.tertiary, mark: 'dashed' });
  const primary = view.visible.find((c) => c.role === 'primary');
  const description = primary
    ? `Magnitude from ${formatHz(LOWEST_HZ)} Hz to ${formatHz(view.top)} Hz on a log axis, between ${formatNumber(view.y.lo, 0)} and ${formatNumber(view.y.hi, 0)} dB${view.visible.length > 1 ? `, with ${view.visible.filter((c) => c.role === 'overlay').map((c) => c.label).join(', ')} overlaid` : ''}.`
    : 'No frequency response.';

  return (
    <ChartFrame title={title} description={description} height={height} legend={legend}>
      {(width) => (
        <LineChart width={width} height={height} margin={{ top: 10, right: view.cohPoints ? 8 : 20, bottom: 24, left: 12 }}>
          <CartesianGrid stroke={CHART_COLORS.grid} strokeDasharray="3 3" />
          <XAxis
            type="number"
            dataKey="hz"
            scale="log"
            domain={[LOWEST_HZ, view.top]}
            ticks={view.ticks}
            interval={0}
            allowDataOverflow
            tick={AXIS_TICK}
            tickFormatter={(v: number) => formatHz(v)}
            label={{ value: 'Frequency (Hz)', position: 'insideBottom', offset: -14, style: AXIS_LABEL_STYLE }}
          />
          <YAxis
            yAxisId="db"
            type="number"
            domain={[view.y.lo, view.y.hi]}
            ticks={view.y.ticks}
            interval={0}
            allowDataOverflow
            width={64}
            tick={AXIS_TICK}
            tickFormatter={(v: number) => formatNumber(v, 0)}
            label={{ value: magnitudeLabel, angle: -90, position: 'insideLeft', offset: 4, style: { ...AXIS_LABEL_STYLE, textAnchor: 'middle' } }}
          />
          {view.cohPoints && (
            <YAxis
              yAxisId="coherence"
              orientation="right"
              type="number"
              domain={[0, 1]}
              ticks={[0, 0.25, 0.5, 0.75, 1]}
              interval={0}
              width={52}
              tick={AXIS_TICK}
              label={{ value: 'Coherence', angle: 90, position: 'insideRight', offset: 4, style: { ...AXIS_LABEL_STYLE, textAnchor: 'middle' } }}
            />
          )}
          {view.cohPoints && (
            <Line
              yAxisId="coherence"
              data={view.cohPoints as { hz: number; coherence: number }[]}
              dataKey="coherence"
              name="Coherence"
              type="linear"
              stroke={CHART_COLORS.tertiary}
              strokeWidth={1}
              strokeDasharray="4 3"
              dot={false}
              activeDot={false}
              isAnimationActive={false}
            />
          )}
          {view.visible.map((c) => (
            <Line
              key={c.id}
              yAxisId="db"
              data={c.points as { hz: number; db: number }[]}
              dataKey="db"
              name={c.label}
              type="linear"
              stroke={COLOR[c.role]}
              strokeWidth={c.role === 'primary' ? 2 : 1.6}
              dot={false}
              activeDot={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
        )}
    </ChartFrame>
  );
}
