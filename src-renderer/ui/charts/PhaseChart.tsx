/** Phase of one response window with the latency removed (time 0 at the measured arrival), wrapped to ±180°. */
import { useMemo } from 'react';
import { type WindowCurve, wrapPhase } from '../../../shared/report/html/response-views';
import { CHART_COLORS } from './ChartFrame';
import { InteractiveChart } from './InteractiveChart';
import { formatNumber } from '../format/format';
import { formatFrequency, frequencyPresets, LOWEST_CHART_HZ } from './frequency-views';

export function PhaseChart({ curve, maxHz }: { curve: WindowCurve; maxHz: number }) {
  const top = Math.max(LOWEST_CHART_HZ * 2, maxHz);
  const series = useMemo(
    () => [
      {
        id: `${curve.id}-phase`,
        label: 'Phase',
        color: CHART_COLORS.secondary,
        points: curve.points.map((p) => ({ x: p.hz, y: wrapPhase(p.phaseDeg), low: !!p.lowQuality || (curve.lowestValidHz !== null && p.hz < curve.lowestValidHz) })),
        format: (y: number) => `${formatNumber(y, 0)}°`,
      },
    ],
    [curve],
  );
  return (
    <InteractiveChart
      title={`Phase (latency removed): ${curve.description}`}
      subject={`Phase with the latency removed, ${curve.description}`}
      series={series}
      xScale="log"
      xDomain={[LOWEST_CHART_HZ, top]}
      xLabel="Frequency (Hz)"
      yLabel="Phase (°)"
      formatX={formatFrequency}
      yKind="linear"
      yFixed={[-180, 180]}
      presets={frequencyPresets(top)}
      shade={curve.lowestValidHz !== null ? { from: LOWEST_CHART_HZ, to: curve.lowestValidHz } : null}
      note="The excess phase beyond the measured arrival: the latency is removed, so a flat line at 0° is a path with no delay other than the latency."
    />
  );
}
