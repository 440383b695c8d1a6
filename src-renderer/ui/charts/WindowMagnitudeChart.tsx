/**
 * Magnitude of one response window (room, speaker or frequency-dependent) on a log axis, in dB re
 * the mean 500 Hz–2 kHz path gain; low-quality points and the band below the speaker window's
 * lowest valid frequency are greyed, not hidden.
 */
import { useMemo } from 'react';
import type { WindowCurve } from '../../../shared/report/html/response-views';
import { CHART_COLORS } from './ChartFrame';
import { InteractiveChart } from './InteractiveChart';
import { formatDb } from '../format/format';
import { formatFrequency, frequencyPresets, LOWEST_CHART_HZ } from './frequency-views';

export function WindowMagnitudeChart({ curve, referenceLevelDb, maxHz }: { curve: WindowCurve; referenceLevelDb: number | null; maxHz: number }) {
  const top = Math.max(LOWEST_CHART_HZ * 2, maxHz);
  const offset = referenceLevelDb ?? 0;
  const series = useMemo(
    () => [
      {
        id: curve.id,
        label: 'Magnitude',
        color: CHART_COLORS.primary,
        points: curve.points.map((p) => ({ x: p.hz, y: p.db - offset, low: !!p.lowQuality || (curve.lowestValidHz !== null && p.hz < curve.lowestValidHz) })),
        format: (y: number) => formatDb(y),
      },
    ],
    [curve, offset],
  );
  return (
    <InteractiveChart
      title={`Magnitude: ${curve.description}`}
      subject={`Magnitude, ${curve.description}`}
      series={series}
      xScale="log"
      xDomain={[LOWEST_CHART_HZ, top]}
      xLabel="Frequency (Hz)"
      yLabel={referenceLevelDb === null ? 'Level (dB)' : 'Level (dB, 0 = mean 500 Hz–2 kHz)'}
      formatX={formatFrequency}
      yKind="db"
      fixedDbRange={[-40, 10]}
      presets={frequencyPresets(top)}
      shade={curve.lowestValidHz !== null ? { from: LOWEST_CHART_HZ, to: curve.lowestValidHz } : null}
      note={curve.lowestValidHz !== null ? `Below ${formatFrequency(curve.lowestValidHz)} the gate is too short for the response to be valid: that band is greyed.` : 'Points whose quality figure is low are greyed.'}
    />
  );
}
