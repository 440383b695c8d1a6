/**
 * The impulse-response views of a measurement: the response window to show (room, speaker or
 * frequency-dependent; each chart names it), magnitude and phase of that window, the impulse
 * response (linear and ETC), the step response, harmonic distortion of a sweep and the decay times
 * per octave. Shown when the report holds the engine's impulse response.
 */
import { useId, useState } from 'react';
import type { Report } from '../../../shared/report/report-schema';
import { availableWindows, type ResponseWindowId, WINDOW_NAMES, windowCurve, windowDescription } from '../../../shared/report/html/response-views';
import { DistortionChart } from '../../ui/charts/DistortionChart';
import { EtcChart } from '../../ui/charts/EtcChart';
import { ImpulseResponseChart } from '../../ui/charts/ImpulseResponseChart';
import { PhaseChart } from '../../ui/charts/PhaseChart';
import { StepResponseChart } from '../../ui/charts/StepResponseChart';
import { WindowMagnitudeChart } from '../../ui/charts/WindowMagnitudeChart';
import { nyquistOf } from '../../ui/charts/frequency-data';
import { DecayTimesTable } from './DecayTimesTable';

export function ImpulseResponseSection({ report }: { report: Report }) {
  const ids = useId();
  const fr = report.analysis.frequencyResponse;
  const [windowId, setWindowId] = useState<ResponseWindowId>('room');
  if (!fr?.impulse) return null;
  const impulse = fr.impulse;
  const windows = availableWindows(fr);
  const shown = windows.includes(windowId) ? windowId : 'room';
  const curve = windowCurve(fr, shown);
  const maxHz = nyquistOf(report);
  const roomLabel = windowDescription(fr, 'room');
  return (
    <section className="panel" aria-labelledby={`${ids}-heading`}>
      <h3 id={`${ids}-heading`}>Impulse response, phase and room</h3>
      <fieldset className="chart-controls">
        <legend>Response window</legend>
        {(['room', 'speaker', 'fdw'] as const).map((id) => (
          <label key={id} className="inline-option">
            <input type="radio" name={`${ids}-window`} value={id} checked={shown === id} disabled={!windows.includes(id)} onChange={() => setWindowId(id)} /> {WINDOW_NAMES[id]}
          </label>
        ))}
      </fieldset>
      <p className="muted">
        Showing the {curve?.description ?? roomLabel}.{!windows.includes('speaker') && ' No speaker window: the impulse response has no reflection the gate could stop before.'}
      </p>
      {curve && <WindowMagnitudeChart curve={curve} referenceLevelDb={fr.referenceLevelDb} maxHz={maxHz} />}
      {curve && <PhaseChart curve={curve} maxHz={maxHz} />}
      <ImpulseResponseChart impulse={impulse} windowLabel={roomLabel} />
      <EtcChart impulse={impulse} windowLabel={roomLabel} reflectionMs={fr.windows?.speaker?.firstReflectionMs ?? null} />
      <StepResponseChart impulse={impulse} windowLabel={roomLabel} />
      {fr.distortion && fr.distortion.length > 0 && <DistortionChart points={fr.distortion} maxHz={maxHz} />}
      {fr.decay && <DecayTimesTable bands={fr.decay} />}
    </section>
  );
}
