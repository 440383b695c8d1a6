/** The impulse response, linear, normalised to its peak (1 = the largest |h|), with time 0 at the arrival. */
import { useCallback } from 'react';
import type { ImpulseResponseOutput } from '../../../shared/analysis/response-output';
import { impulseSeries, impulseSpanMs } from '../../../shared/report/html/response-views';
import { CHART_COLORS } from './ChartFrame';
import { type ChartSeries, InteractiveChart } from './InteractiveChart';
import { formatNumber } from '../format/format';
import { formatTimeMs, impulseNote, timePresets } from './time-views';

export function ImpulseResponseChart({ impulse, windowLabel }: { impulse: ImpulseResponseOutput; windowLabel: string }) {
  const span = impulseSpanMs(impulse);
  const seriesFor = useCallback(
    (domain: [number, number]): ChartSeries[] => [
      { id: 'ir', label: 'Impulse response', color: CHART_COLORS.primary, points: impulseSeries(impulse, domain[0], domain[1]).map((p) => ({ x: p.ms, y: p.value })), format: (y) => formatNumber(y, 3) },
    ],
    [impulse],
  );
  return (
    <InteractiveChart
      title="Impulse response"
      subject={`Impulse response, linear, 1 = its peak; ${windowLabel}`}
      series={[]}
      seriesFor={seriesFor}
      xScale="linear"
      xDomain={span}
      xLabel="Time re the arrival (ms)"
      yLabel="Amplitude (re peak)"
      formatX={formatTimeMs}
      yKind="linear"
      presets={timePresets(span)}
      note={`${impulseNote(impulse)} Stored IR: ${windowLabel}.`}
    />
  );
}
