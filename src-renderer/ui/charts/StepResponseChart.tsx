/** The step response (running sum of the IR), normalised to its largest |value|, over the first 50 ms. */
import { useCallback } from 'react';
import type { ImpulseResponseOutput } from '../../../shared/analysis/response-output';
import { stepSeries, stepSpanMs } from '../../../shared/report/html/response-views';
import { CHART_COLORS } from './ChartFrame';
import { type ChartSeries, InteractiveChart } from './InteractiveChart';
import { formatNumber } from '../format/format';
import { formatTimeMs, timePresets } from './time-views';

export function StepResponseChart({ impulse, windowLabel }: { impulse: ImpulseResponseOutput; windowLabel: string }) {
  const span = stepSpanMs(impulse);
  const seriesFor = useCallback(
    (domain: [number, number]): ChartSeries[] => [
      { id: 'step', label: 'Step response', color: CHART_COLORS.primary, points: stepSeries(impulse, domain[0], domain[1]).map((p) => ({ x: p.ms, y: p.value })), format: (y) => formatNumber(y, 3) },
    ],
    [impulse],
  );
  return (
    <InteractiveChart
      title="Step response"
      subject={`Step response, 1 = its largest value; ${windowLabel}`}
      series={[]}
      seriesFor={seriesFor}
      xScale="linear"
      xDomain={span}
      xLabel="Time re the arrival (ms)"
      yLabel="Step (re largest)"
      formatX={formatTimeMs}
      yKind="linear"
      presets={timePresets(span)}
      note={`The running sum of the impulse response, ${windowLabel}, over its first ${formatTimeMs(span[1])}.`}
    />
  );
}
