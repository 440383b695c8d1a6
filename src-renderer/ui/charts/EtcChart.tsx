/** The energy-time curve: the IR's envelope in dB re its peak, with its noise floor. */
import { useCallback } from 'react';
import type { ImpulseResponseOutput } from '../../../shared/analysis/response-output';
import { etcSeries, impulseSpanMs } from '../../../shared/report/html/response-views';
import { CHART_COLORS } from './ChartFrame';
import { type ChartSeries, InteractiveChart } from './InteractiveChart';
import { formatDb } from '../format/format';
import { formatTimeMs, timePresets } from './time-views';

export function EtcChart({ impulse, windowLabel, reflectionMs }: { impulse: ImpulseResponseOutput; windowLabel: string; reflectionMs?: number | null }) {
  const span = impulseSpanMs(impulse);
  const seriesFor = useCallback(
    (domain: [number, number]): ChartSeries[] => [
      { id: 'etc', label: 'Energy-time curve', color: CHART_COLORS.primary, points: etcSeries(impulse, domain[0], domain[1]).map((p) => ({ x: p.ms, y: p.value })), format: (y) => formatDb(y) },
    ],
    [impulse],
  );
  const reflection = reflectionMs === null || reflectionMs === undefined ? 'no reflection found before the end of the room window' : `first reflection at ${formatTimeMs(reflectionMs)}`;
  return (
    <InteractiveChart
      title="Energy-time curve (ETC)"
      subject={`Energy-time curve in dB re its peak; ${windowLabel}`}
      series={[]}
      seriesFor={seriesFor}
      xScale="linear"
      xDomain={span}
      xLabel="Time re the arrival (ms)"
      yLabel="Level (dB re peak)"
      formatX={formatTimeMs}
      yKind="db"
      fixedDbRange={[-80, 0]}
      presets={timePresets(span)}
      note={`The envelope's maximum over each ${formatTimeMs(impulse.etc.stepMs)}; noise floor ${formatDb(impulse.noiseFloorDb)} re the peak; ${reflection}.`}
    />
  );
}
