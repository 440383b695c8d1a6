/**
 * The impulse-response views of a measurement: the response window to show (room, speaker or
 * frequency-dependent; each chart names it), magnitude and phase of that window, the impulse
 * response (linear and ETC), the step response, harmonic distortion of a sweep and the decay times
 * per octave. The speaker gate (found from the ETC before the first reflection) can be set by hand:
 * the speaker response is then recomputed from the stored IR. Shown when the report holds the
 * engine's impulse response.
 */
import { type FormEvent, useId, useMemo, useState } from 'react';
import { decayAbsentNote } from '../../../shared/report/labels';
import type { Report } from '../../../shared/report/report-schema';
import { availableWindows, GATE_MS_RANGE, gatedSpeakerCurve, type ResponseWindowId, WINDOW_NAMES, windowCurve, windowDescription } from '../../../shared/report/html/response-views';
import { formatNumber } from '../../ui/format/format';
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
  const [gateText, setGateText] = useState(() => (fr?.windows?.speaker ? formatNumber(fr.windows.speaker.endMs, 2).replace('−', '-') : '5'));
  const [gateMs, setGateMs] = useState<number | null>(null);
  const [gateError, setGateError] = useState<string | null>(null);
  const gated = useMemo(() => (fr && gateMs !== null ? gatedSpeakerCurve(fr, gateMs) : null), [fr, gateMs]);
  if (!fr?.impulse) return null;
  const impulse = fr.impulse;
  // The speaker window: the engine's gate, or one set by hand (also when the engine found no reflection).
  const windows: ResponseWindowId[] = [...new Set<ResponseWindowId>([...availableWindows(fr), 'speaker'])];
  const shown = windows.includes(windowId) ? windowId : 'room';
  const curve = shown === 'speaker' && gated ? gated : windowCurve(fr, shown);
  const applyGate = (event: FormEvent) => {
    event.preventDefault();
    const value = Number(gateText.replace(',', '.'));
    if (!Number.isFinite(value) || value < GATE_MS_RANGE[0] || value > GATE_MS_RANGE[1]) return setGateError(`The gate must be ${GATE_MS_RANGE[0]} to ${GATE_MS_RANGE[1]} ms after the arrival.`);
    if (!gatedSpeakerCurve(fr, value)) return setGateError(`A ${value} ms gate reaches past the stored impulse response.`);
    setGateError(null);
    setGateMs(value);
  };
  const maxHz = nyquistOf(report);
  const roomLabel = windowDescription(fr, 'room');
  const decayAbsent = decayAbsentNote(fr);
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
      {shown === 'speaker' && (
        <form className="chart-controls" onSubmit={applyGate} noValidate>
          <label htmlFor={`${ids}-gate`}>Gate end (ms after the arrival)</label>
          <input id={`${ids}-gate`} type="number" inputMode="decimal" step="0.1" min={GATE_MS_RANGE[0]} max={GATE_MS_RANGE[1]} value={gateText} onChange={(e) => setGateText(e.target.value)} />
          <button type="submit" className="secondary">
            Apply gate
          </button>
          {gateMs !== null && fr.windows?.speaker && (
            <button type="button" className="secondary" onClick={() => setGateMs(null)}>
              Gate at the first reflection
            </button>
          )}
          {gateError && (
            <p className="field-error" role="alert">
              {gateError}
            </p>
          )}
        </form>
      )}
      <p className="muted">
        Showing the {curve?.description ?? roomLabel}.
        {shown === 'speaker' && !curve && ' The engine found no reflection before the end of the room window to gate before: set a gate by hand.'}
      </p>
      {curve && <WindowMagnitudeChart curve={curve} referenceLevelDb={fr.referenceLevelDb} maxHz={maxHz} />}
      {curve && <PhaseChart curve={curve} maxHz={maxHz} />}
      <ImpulseResponseChart impulse={impulse} windowLabel={roomLabel} />
      <EtcChart impulse={impulse} windowLabel={roomLabel} reflectionMs={fr.windows?.speaker?.firstReflectionMs ?? null} />
      <StepResponseChart impulse={impulse} windowLabel={roomLabel} />
      {fr.distortion && fr.distortion.length > 0 && <DistortionChart points={fr.distortion} maxHz={maxHz} />}
      {fr.decay && <DecayTimesTable bands={fr.decay} />}
      {decayAbsent !== null && (
        <div className="decay-times">
          <h4>Decay times per octave (the room)</h4>
          <p className="muted">{decayAbsent}</p>
        </div>
      )}
    </section>
  );
}
