/** Harmonic distortion of a sweep: H2, H3 and THD in dB re the fundamental, against the fundamental's frequency. */
import { useMemo } from 'react';
import type { DistortionPoint } from '../../../shared/analysis/distortion';
import { thdDb } from '../../../shared/report/html/response-views';
import { CHART_COLORS } from './ChartFrame';
import { type ChartPoint, InteractiveChart } from './InteractiveChart';
import { formatDb, formatNumber } from '../format/format';
import { formatFrequency, frequencyPresets, LOWEST_CHART_HZ } from './frequency-views';

const defined = (points: Array<ChartPoint | null>): ChartPoint[] => points.filter((p): p is ChartPoint => p !== null);

export function DistortionChart({ points, maxHz }: { points: readonly DistortionPoint[]; maxHz: number }) {
  const top = Math.max(LOWEST_CHART_HZ * 2, maxHz);
  const series = useMemo(
    () => [
      { id: 'thd', label: 'THD', color: CHART_COLORS.primary, points: defined(points.map((p) => { const y = thdDb(p.thdPercent); return y === null ? null : { x: p.hz, y }; })), format: (y: number) => `${formatDb(y)} (${formatNumber(100 * 10 ** (y / 20), 2)} %)` },
      { id: 'h2', label: 'H2', color: CHART_COLORS.secondary, points: defined(points.map((p) => (p.h2Db === null ? null : { x: p.hz, y: p.h2Db }))), format: (y: number) => formatDb(y) },
      { id: 'h3', label: 'H3', color: CHART_COLORS.tertiary, dashed: true, points: defined(points.map((p) => (p.h3Db === null ? null : { x: p.hz, y: p.h3Db }))), format: (y: number) => formatDb(y) },
    ],
    [points],
  );
  return (
    <InteractiveChart
      title="Harmonic distortion"
      subject="Second and third harmonic and THD re the fundamental (harmonic and linear IRs under windows of the same length, 1/6-octave power average)"
      series={series}
      xScale="log"
      xDomain={[LOWEST_CHART_HZ, top]}
      xLabel="Fundamental frequency (Hz)"
      yLabel="Level (dB re fundamental)"
      formatX={formatFrequency}
      yKind="db"
      fixedDbRange={[-80, 0]}
      presets={frequencyPresets(top)}
      note="From the sweep's harmonic impulse responses, separated from the linear one by deconvolution; each harmonic IR and the linear IR under windows of the same length, power-averaged over 1/6 octave. −40 dB is 1 %."
    />
  );
}
