/**
 * Several frequency responses overlaid on one log-frequency axis (the library's comparison: A, B
 * and imported curves), each in its own colour, with the cursor read-out of every curve at the
 * pointer, zoom and a fixed dB scale option.
 */
import { useMemo } from 'react';
import { CHART_COLORS } from './ChartFrame';
import { InteractiveChart } from './InteractiveChart';
import { formatDb } from '../format/format';
import { formatFrequency, frequencyPresets, LOWEST_CHART_HZ } from './frequency-views';

/** Colours of the overlays, in order: the three chart tokens, then three more with fallbacks. */
export const OVERLAY_COLORS = [CHART_COLORS.primary, CHART_COLORS.secondary, CHART_COLORS.tertiary, 'var(--chart-4, #7c3aed)', 'var(--chart-5, #0e7490)', 'var(--chart-6, #a16207)'] as const;

export interface OverlayCurve {
  id: string;
  label: string;
  points: ReadonlyArray<{ hz: number; db: number }>;
}

export function OverlayResponseChart({ curves, maxHz, magnitudeLabel, title = 'Frequency response' }: { curves: OverlayCurve[]; maxHz: number; magnitudeLabel: string; title?: string }) {
  const top = Math.max(LOWEST_CHART_HZ * 2, maxHz);
  const series = useMemo(
    () =>
      curves.map((c, i) => ({
        id: c.id,
        label: c.label,
        color: OVERLAY_COLORS[i % OVERLAY_COLORS.length],
        dashed: i >= OVERLAY_COLORS.length,
        points: c.points.map((p) => ({ x: p.hz, y: p.db })),
        format: (y: number) => formatDb(y),
      })),
    [curves],
  );
  return (
    <InteractiveChart
      title={title}
      subject={`Magnitude of ${curves.length} response${curves.length === 1 ? '' : 's'} overlaid (${curves.map((c) => c.label).join(', ')})`}
      series={series}
      xScale="log"
      xDomain={[LOWEST_CHART_HZ, top]}
      xLabel="Frequency (Hz)"
      yLabel={magnitudeLabel}
      formatX={formatFrequency}
      yKind="db"
      fixedDbRange={[-30, 15]}
      presets={frequencyPresets(top)}
      height={320}
    />
  );
}
