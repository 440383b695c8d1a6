/** Step 2: live input meter, noise floor, a test burst's SNR, and what to do about the levels. */
import { appAdvice } from '../../../shared/report/labels';
import { formatMeterDb, levelAdvice, type MeterReading, meterFraction } from '../../audio/level-meter';
import { type LevelCheckState, NOISE_FLOOR_S } from './use-level-check';

export interface LevelCheckProps {
  state: LevelCheckState;
  /** Something else (a measurement) is running. */
  busy: boolean;
  canStart: boolean;
  onStart(): void;
  onStop(): void;
  onResetClip(): void;
  onNoiseFloor(): void;
  onBurst(): void;
  /** The setup records a timing reference (the refusal advice names the loopback channel). */
  timingReference: boolean;
}

const METER_FLOOR = -60;
const fmt = formatMeterDb;

function Meter({ reading }: { reading: MeterReading | null }) {
  const peak = reading?.peakDbfs ?? null;
  const rms = reading?.rmsDbfs ?? null;
  const hold = reading?.holdDbfs ?? null;
  const max = reading?.maxPeakDbfs ?? null;
  return (
    <div className="meter">
      <div
        className="meter-track"
        role="meter"
        aria-label="Input peak level"
        aria-valuemin={METER_FLOOR}
        aria-valuemax={0}
        aria-valuenow={peak === null ? METER_FLOOR : Math.max(METER_FLOOR, Math.round(peak))}
        aria-valuetext={`true peak ${fmt(peak)} dBFS, RMS ${fmt(rms)} dBFS`}
      >
        <div className="meter-rms" style={{ width: `${meterFraction(rms ?? -Infinity, METER_FLOOR) * 100}%` }} />
        <div className="meter-peak" style={{ width: `${meterFraction(peak ?? -Infinity, METER_FLOOR) * 100}%` }} />
        <div className="meter-hold" style={{ left: `calc(${meterFraction(hold ?? -Infinity, METER_FLOOR) * 100}% - 1px)` }} />
      </div>
      <div className="meter-scale muted" aria-hidden="true">
        {[-60, -48, -36, -24, -12, -6, 0].map((db) => (
          <span key={db} style={{ left: `${meterFraction(db, METER_FLOOR) * 100}%` }}>
            {db}
          </span>
        ))}
      </div>
      <p className="meter-values mono">
        True peak {fmt(peak)} dBFS · RMS {fmt(rms)} dBFS · Hold {fmt(hold)} dBFS
      </p>
      <p className="meter-values mono" data-testid="meter-max">
        Highest true peak since reset: {fmt(max)} dBFS
      </p>
    </div>
  );
}

export function LevelCheck({ state, busy, canStart, onStart, onStop, onResetClip, onNoiseFloor, onBurst, timingReference }: LevelCheckProps) {
  const on = state.status === 'on';
  const clipped = state.reading?.clipped ?? false;
  const burst = state.burst;
  // The burst's SNR is a figure only when the analysis measured a noise floor under it.
  const burstSnr = burst && burst.noiseFloorDbfs !== null ? burst.snrDb : null;
  const advice = levelAdvice({
    noiseFloorDbfs: state.noiseFloorDbfs,
    snrDb: burstSnr,
    burstPeakDbfs: state.burst?.peakDbfs ?? null,
    clipped,
  });
  return (
    <section className="panel level-check" aria-labelledby="level-heading">
      <h3 id="level-heading">2. Level check</h3>
      {!on ? (
        <>
          <p className="muted">Listen to the microphone before measuring: the meter, the room's noise floor, and the SNR of a short burst of the chosen signal.</p>
          <button type="button" className="secondary" onClick={onStart} disabled={busy || !canStart || state.status === 'starting'}>
            {state.status === 'starting' ? 'Opening the microphone…' : 'Start level check'}
          </button>
        </>
      ) : (
        <>
          <Meter reading={state.reading} />
          <div className="clip-row">
            <span className={`clip-light ${clipped ? 'clip-on' : ''}`} role="status" aria-live="polite">
              <span className="clip-dot" aria-hidden="true" />
              {clipped ? 'Clipped' : 'No clipping'}
            </span>
            <button type="button" className="secondary" onClick={onResetClip}>
              Reset clip light and highest peak
            </button>
          </div>
          <div className="button-row">
            <button type="button" className="secondary" onClick={onNoiseFloor} disabled={busy || state.noiseProgress !== null || state.burstRunning}>
              {state.noiseProgress !== null ? `Listening… ${Math.round(state.noiseProgress * 100)} %` : `Measure noise floor (${NOISE_FLOOR_S} s of quiet)`}
            </button>
            <button type="button" className="secondary" onClick={onBurst} disabled={busy || state.burstRunning || state.noiseProgress !== null || !canStart}>
              {state.burstRunning ? 'Playing test burst…' : 'Play test burst'}
            </button>
            <button type="button" className="secondary" onClick={onStop} disabled={state.burstRunning}>
              Stop level check
            </button>
          </div>
          <dl className="figures">
            <div>
              <dt>Noise floor</dt>
              <dd>{state.noiseFloorDbfs === null ? '—' : `${fmt(state.noiseFloorDbfs)} dBFS RMS`}</dd>
            </div>
            <div>
              <dt>Test burst SNR</dt>
              <dd>{!burst || burst.refusal ? '—' : burstSnr !== null ? `${burstSnr.toFixed(1).replace('-', '−')} dB` : 'no measurable noise in the burst'}</dd>
            </div>
            <div>
              <dt>Test burst peak</dt>
              <dd>{burst ? `${fmt(burst.peakDbfs)} dBFS` : '—'}</dd>
            </div>
          </dl>
        </>
      )}
      {state.burst?.refusal && (
        <div className="status-bad" role="alert">
          <p>
            The test burst could not be measured: {state.burst.refusal.message}
          </p>
          <p>{appAdvice(state.burst.refusal.code, state.burst.refusal.advice, { timingReference })}</p>
        </div>
      )}
      {advice.length > 0 && (
        <ul className="advice" aria-label="Level advice">
          {advice.map((a) => (
            <li key={a.text} className={`status-${a.severity}`}>
              {a.text}
            </li>
          ))}
        </ul>
      )}
      {state.error && (
        <p className="status-bad" role="alert">
          {state.error}
        </p>
      )}
    </section>
  );
}
