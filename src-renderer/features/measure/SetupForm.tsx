/** Step 1: devices, signal, run length, level, what to compare against, video latency, description. */
import { useId } from 'react';
import type { Claim } from '../../../shared/claims/claims-catalogue';
import type { DeviceList } from '../../audio/devices';
import { ClaimPicker } from './ClaimPicker';
import { DEFAULT_LEVELS, LIMITS, type MeasureSetup, type SignalChoice, SIGNAL_HINTS, SIGNAL_LABELS, SWEEP_REPEAT_S } from './measure-setup';
import { type MusicInfo, MusicPicker } from './MusicPicker';
import { NumberField } from './NumberField';
import type { MusicSource } from './run-measurement';

export interface SetupFormProps {
  setup: MeasureSetup;
  onChange(patch: Partial<MeasureSetup>): void;
  devices: DeviceList | null;
  devicesError: string | null;
  askingPermission: boolean;
  onRequestPermission(): void;
  onRefreshDevices(): void;
  sinkSupported: boolean;
  customClaims: Claim[];
  claim: Claim | null;
  music: MusicSource | null;
  musicInfo: MusicInfo | null;
  onMusicChange(music: MusicSource | null, info: MusicInfo | null): void;
  /** While something runs, the setup is read-only. */
  disabled: boolean;
}

const SIGNALS: SignalChoice[] = ['click', 'pink', 'sweep', 'music'];

export function SetupForm(props: SetupFormProps) {
  const { setup, onChange, devices, disabled } = props;
  const ids = { input: useId(), output: useId(), mode: useId(), description: useId(), signalHint: useId(), timing: useId(), refChannel: useId(), timingHint: useId() };
  const inputValue = setup.inputDeviceId || devices?.inputs[0]?.deviceId || '';
  const long = setup.mode === 'long';

  const chooseSignal = (signal: SignalChoice) => {
    const keepLevel = setup.levelDbfs !== DEFAULT_LEVELS[setup.signal] && Number.isFinite(setup.levelDbfs) && !(signal === 'pink' && setup.levelDbfs > LIMITS.pinkMaxDbfs);
    onChange({ signal, ...(keepLevel ? {} : { levelDbfs: DEFAULT_LEVELS[signal] }) });
  };

  return (
    <section className="panel setup-form" aria-labelledby="setup-heading">
      <h3 id="setup-heading">1. Setup</h3>

      <fieldset disabled={disabled}>
        <legend>Devices</legend>
        {devices?.labelsHidden && (
          <div className="inline-notice">
            <p>Allow microphone access to see device names.</p>
            <button type="button" className="secondary" onClick={props.onRequestPermission} disabled={props.askingPermission}>
              {props.askingPermission ? 'Asking…' : 'Allow microphone access'}
            </button>
          </div>
        )}
        {props.devicesError && (
          <p className="status-bad" role="alert">
            {props.devicesError}
          </p>
        )}
        <div className="device-fields">
          <div>
            <label htmlFor={ids.input}>Microphone (input)</label>
            <select id={ids.input} value={inputValue} onChange={(e) => onChange({ inputDeviceId: e.target.value })}>
              {(devices?.inputs ?? []).length === 0 && <option value="">No microphone found</option>}
              {devices?.inputs.map((d) => (
                <option key={d.deviceId || 'default-input'} value={d.deviceId}>
                  {d.label}
                </option>
              ))}
              {setup.inputDeviceId && devices && !devices.inputs.some((d) => d.deviceId === setup.inputDeviceId) && (
                <option value={setup.inputDeviceId}>Disconnected microphone</option>
              )}
            </select>
          </div>
          <div>
            <label htmlFor={ids.output}>Speaker (output)</label>
            <select id={ids.output} value={setup.outputDeviceId} onChange={(e) => onChange({ outputDeviceId: e.target.value })} disabled={!props.sinkSupported}>
              {(devices?.outputs ?? [{ deviceId: 'default', label: 'System default output' }]).map((d) => (
                <option key={d.deviceId} value={d.deviceId}>
                  {d.label}
                </option>
              ))}
              {devices && !devices.outputs.some((d) => d.deviceId === setup.outputDeviceId) && <option value={setup.outputDeviceId}>Disconnected output</option>}
            </select>
          </div>
          <button type="button" className="secondary refresh-devices" onClick={props.onRefreshDevices}>
            Refresh devices
          </button>
        </div>
        {!props.sinkSupported && <p className="muted">This browser plays through the system default output only (no AudioContext.setSinkId): choose the speaker in the system's sound settings.</p>}
        <label className="checkbox" htmlFor={ids.timing}>
          <input id={ids.timing} type="checkbox" checked={setup.timingReference} aria-describedby={ids.timingHint} onChange={(e) => onChange({ timingReference: e.target.checked })} />
          Timing reference: one input channel carries a loopback of the output
        </label>
        <p id={ids.timingHint} className="muted">
          {setup.timingReference
            ? `Cable the output (before the speaker) into one channel of a two-channel input and the microphone into the other. Both channels are recorded and the latency is measured from the loopback to the microphone, so the computer's own delay cancels: no baseline is needed.`
            : 'With a two-channel input, an electrical loopback of the output on one channel replaces the baseline: the computer\'s own delay cancels in every run.'}
        </p>
        {setup.timingReference && (
          <div className="field-row">
            <div>
              <label htmlFor={ids.refChannel}>Loopback on input channel</label>
              <select id={ids.refChannel} value={setup.referenceChannel} onChange={(e) => onChange({ referenceChannel: e.target.value === '1' ? 1 : 2 })}>
                <option value={1}>Channel 1 (left); microphone on channel 2</option>
                <option value={2}>Channel 2 (right); microphone on channel 1</option>
              </select>
            </div>
          </div>
        )}
      </fieldset>

      <fieldset disabled={disabled}>
        <legend>Signal</legend>
        <div className="field-row">
          <div>
            <label htmlFor={ids.mode}>Run</label>
            <select id={ids.mode} value={setup.mode} onChange={(e) => onChange({ mode: e.target.value as MeasureSetup['mode'] })}>
              <option value="single">Single measurement</option>
              <option value="long">Long run (click train, live latency chart)</option>
            </select>
          </div>
        </div>
        {!long && (
          <div className="signal-choices" role="radiogroup" aria-label="Test signal" aria-describedby={ids.signalHint}>
            {SIGNALS.map((s) => (
              <label key={s} className="radio">
                <input type="radio" name="signal" value={s} checked={setup.signal === s} onChange={() => chooseSignal(s)} />
                {SIGNAL_LABELS[s]}
              </label>
            ))}
          </div>
        )}
        <p id={ids.signalHint} className="muted">
          {long ? 'A click train for several minutes: latency over time, drift and dropouts update while it runs (checks claims such as latency variance, or Bluetooth latency that settles).' : SIGNAL_HINTS[setup.signal]}
        </p>
        <div className="field-row">
          {long && (
            <NumberField label="Run length" unit="minutes" value={setup.longRunMinutes} min={LIMITS.longRunMinutes.min} max={LIMITS.longRunMinutes.max} step={0.5} onChange={(longRunMinutes) => onChange({ longRunMinutes })} />
          )}
          {!long && (setup.signal === 'click' || setup.signal === 'pink') && (
            <NumberField label="Run length" unit="s" value={setup.durationS} min={LIMITS.durationS.min} max={LIMITS.durationS.max} step={1} onChange={(durationS) => onChange({ durationS })} />
          )}
          {!long && setup.signal === 'sweep' && (
            <NumberField label="Number of sweeps" value={setup.sweeps} min={LIMITS.sweeps.min} max={LIMITS.sweeps.max} step={1} hint={`${SWEEP_REPEAT_S} s each`} onChange={(sweeps) => onChange({ sweeps })} />
          )}
          <NumberField
            label={!long && setup.signal === 'pink' ? 'Level (RMS)' : 'Level (peak)'}
            unit="dBFS"
            value={setup.levelDbfs}
            min={LIMITS.levelDbfs.min}
            max={!long && setup.signal === 'pink' ? LIMITS.pinkMaxDbfs : LIMITS.levelDbfs.max}
            step={1}
            onChange={(levelDbfs) => onChange({ levelDbfs })}
          />
        </div>
        {!long && setup.signal === 'music' && <MusicPicker music={props.music} info={props.musicInfo} disabled={disabled} onChange={props.onMusicChange} />}
      </fieldset>

      <fieldset disabled={disabled}>
        <legend>Compare and describe</legend>
        <ClaimPicker claimId={setup.claimId} customClaims={props.customClaims} claim={props.claim} onChange={(claimId) => onChange({ claimId })} />
        <div className="field-row">
          <NumberField
            label="Display video latency"
            unit="ms"
            value={setup.videoLatencyMs}
            min={LIMITS.videoLatencyMs.min}
            max={LIMITS.videoLatencyMs.max}
            step={1}
            hint="For the lip-sync A/V offset (audio latency − video latency)."
            onChange={(videoLatencyMs) => onChange({ videoLatencyMs })}
          />
        </div>
        <label htmlFor={ids.description}>Setup description</label>
        <input
          id={ids.description}
          type="text"
          className="wide"
          maxLength={LIMITS.setupDescription}
          placeholder="e.g. JBL Flip 6 over Bluetooth from an Echo Studio, mic 1 m away"
          value={setup.setupDescription}
          onChange={(e) => onChange({ setupDescription: e.target.value })}
        />
      </fieldset>
    </section>
  );
}
