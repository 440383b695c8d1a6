/**
 * How many speakers a run measures (issue 11): one output (the page's ordinary run), several
 * outputs of this computer in one run, or one stream on N speakers (with the guided mode: the
 * microphone next to each speaker in turn); the sync tolerance with the source of each default;
 * and, for the last two, the run itself: start, progress, cancel, the guided steps.
 */
import { useEffect, useRef, useState } from 'react';
import { SYNC_TOLERANCE_DEFAULTS } from '../../../shared/report/report-group';
import type { SyncToleranceSource } from '../../../shared/claims/multi-room';
import type { DeviceList, DeviceOption } from '../../audio/devices';
import { GROUP_ASSUMPTIONS } from '../../audio/group-playback';
import { isCancellation, type RecordProgress } from '../../audio/measurement-session';
import type { OpenMeasurement } from '../../navigation/open-measurement';
import type { AnalysisClient } from '../../worker/worker-client';
import { chosenTolerance, GROUP_LIMITS, type GroupSetup, groupProblems, minimumOutputsDurationS, outputCount } from './group-setup';
import type { MeasureSetup } from './measure-setup';
import { MeasureProgress } from './MeasureProgress';
import { NumberField } from './NumberField';
import { type GroupRunRequest, type GuidedStep, guidedMeasurement, runGuidedStep, runOutputsMeasurement, runSpeakersMeasurement } from './run-group';
import type { RunStage } from './run-measurement';
import type { SharedAudioSession } from './use-audio-session';

export interface GroupPanelProps {
  group: GroupSetup;
  onChange(patch: Partial<GroupSetup>): void;
  devices: DeviceList | null;
  setup: MeasureSetup;
  input: DeviceOption | null;
  output: DeviceOption;
  client: AnalysisClient;
  audio: SharedAudioSession;
  /** Another run or the level check is busy. */
  busy: boolean;
  /** Problems of the page's setup (microphone, output) that stop any run. */
  pageProblems: string[];
  /** Called before a run starts (the level check stops). */
  beforeRun(): Promise<void>;
  onRunningChange(running: boolean): void;
  onMeasured(m: OpenMeasurement): void;
}

const MODES: Array<{ mode: GroupSetup['mode']; label: string; hint: string }> = [
  { mode: 'one', label: 'One output', hint: 'The output chosen above, measured on its own.' },
  { mode: 'outputs', label: 'Several outputs', hint: 'Two to eight outputs of this computer in one run, each playing its own clicks in turn; one microphone hears all.' },
  { mode: 'speakers', label: 'One stream, N speakers', hint: 'A multi-room group or a stereo pair fed one stream: the click train plays once and the analysis finds each speaker\'s arrival.' },
];

export function GroupPanel(props: GroupPanelProps) {
  const { group, onChange, devices, setup, input, output, client, audio, busy, pageProblems, beforeRun, onRunningChange, onMeasured } = props;
  const [stage, setStage] = useState<RunStage | null>(null);
  const [progress, setProgress] = useState<RecordProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [steps, setSteps] = useState<GuidedStep[]>([]);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);
  // Guided steps belong to one number of speakers.
  const [stepsFor, setStepsFor] = useState(group.speakers);
  if (stepsFor !== group.speakers) {
    setStepsFor(group.speakers);
    setSteps([]);
  }

  const tolerance = chosenTolerance(group);
  const problems = [...pageProblems, ...groupProblems(group, devices, output.deviceId)];
  const running = stage !== null;
  const otherOutputs = (devices?.outputs ?? []).filter((d) => d.deviceId !== output.deviceId);

  const run = async <T,>(body: (req: GroupRunRequest) => Promise<T>): Promise<T | null> => {
    if (!input || !tolerance || problems.length > 0 || abort.current) return null;
    await beforeRun();
    const controller = new AbortController();
    abort.current = controller;
    setError(null);
    setStage('opening');
    onRunningChange(true);
    try {
      const extraOutputs = group.extraOutputIds.map((id) => otherOutputs.find((d) => d.deviceId === id)).filter((d): d is DeviceOption => d !== undefined);
      return await body({ group, tolerance, setup, input, output, extraOutputs, client, sharedSession: audio, signal: controller.signal, onStage: setStage, onProgress: setProgress });
    } catch (e) {
      if (!(controller.signal.aborted || isCancellation(e))) setError(e instanceof Error ? e.message : String(e));
      return null;
    } finally {
      abort.current = null;
      setStage(null);
      setProgress(null);
      onRunningChange(false);
    }
  };

  const start = async () => {
    const measured = await run((req) => (group.mode === 'outputs' ? runOutputsMeasurement(req) : runSpeakersMeasurement(req)));
    if (measured) onMeasured(measured);
  };
  const measureNear = async (speaker: number) => {
    const step = await run((req) => runGuidedStep(req, speaker));
    if (step) setSteps((prev) => [...prev.filter((s) => s.speaker !== speaker), step].sort((a, b) => a.speaker - b.speaker));
  };
  const cancel = () => abort.current?.abort();

  const choose = (tol: SyncToleranceSource) => onChange({ tolerance: tol });
  const speakersList = Array.from({ length: Math.max(0, Math.min(8, Math.floor(group.speakers))) }, (_, k) => k + 1);

  return (
    <section className="panel group-panel" aria-labelledby="group-panel-heading">
      <h3 id="group-panel-heading">Speakers in this run</h3>
      <fieldset disabled={busy || running}>
        <legend className="visually-hidden">How many speakers</legend>
        <div role="radiogroup" aria-label="Speakers in this run">
          {MODES.map((m) => (
            // The hint describes the choice; the radio is named by its label alone.
            <label key={m.mode} className="radio">
              <input type="radio" name="group-mode" value={m.mode} checked={group.mode === m.mode} onChange={() => onChange({ mode: m.mode })} aria-describedby={`group-mode-${m.mode}-hint`} />
              {m.label}
              <span className="muted" id={`group-mode-${m.mode}-hint`} aria-hidden="true">
                {' '}
                — {m.hint}
              </span>
            </label>
          ))}
        </div>
        {group.mode === 'outputs' && (
          <div className="group-options">
            <div role="radiogroup" aria-label="How the outputs play">
              <label className="radio">
                <input type="radio" name="group-playback" checked={group.playback === 'devices'} onChange={() => onChange({ playback: 'devices' })} />
                Separate output devices
              </label>
              <label className="radio">
                <input type="radio" name="group-playback" checked={group.playback === 'channels'} onChange={() => onChange({ playback: 'channels' })} />
                Channels of one device ({output.label})
              </label>
            </div>
            {group.playback === 'devices' ? (
              <fieldset className="group-devices">
                <legend>Output 1 is {output.label} (chosen above). Also play on:</legend>
                {otherOutputs.length === 0 && <p className="muted">No other output device is listed.</p>}
                {otherOutputs.map((d) => (
                  <label key={d.deviceId} className="checkbox">
                    <input
                      type="checkbox"
                      checked={group.extraOutputIds.includes(d.deviceId)}
                      onChange={(e) => onChange({ extraOutputIds: e.target.checked ? [...group.extraOutputIds, d.deviceId] : group.extraOutputIds.filter((id) => id !== d.deviceId) })}
                    />
                    {d.label}
                  </label>
                ))}
              </fieldset>
            ) : (
              <NumberField label="Channels" value={group.channels} onChange={(channels) => onChange({ channels })} min={GROUP_LIMITS.outputs.min} max={GROUP_LIMITS.outputs.max} step={1} />
            )}
            <p className="muted group-assumption">{GROUP_ASSUMPTIONS[group.playback]}</p>
          </div>
        )}
        {group.mode === 'speakers' && (
          <div className="group-options">
            <NumberField label="Speakers playing" value={group.speakers} onChange={(speakers) => onChange({ speakers })} min={GROUP_LIMITS.speakers.min} max={GROUP_LIMITS.speakers.max} step={1} />
            <label className="checkbox">
              <input type="checkbox" checked={group.guided} onChange={(e) => onChange({ guided: e.target.checked })} />
              Guided: I move the microphone next to each speaker in turn (one run each)
            </label>
            <p className="muted">
              {group.guided
                ? 'Next to a speaker, its arrival is the loudest: each run\'s loudest arrival is taken for the speaker you name, and a run where it does not stand out by 6 dB is refused. The speakers are measured one after another, so their clocks\' drift between runs is not seen.'
                : 'The speakers are told apart by their drift against each other (wireless speakers each have their own clock; a reflection does not drift). Speakers on one clock, or closer than 1 ms, cannot be told apart: the run then says so.'}
            </p>
          </div>
        )}
        {group.mode !== 'one' && (
          <div className="group-options">
            <NumberField label="Run length" unit="s" value={group.durationS} onChange={(durationS) => onChange({ durationS })} min={GROUP_LIMITS.durationS.min} max={GROUP_LIMITS.durationS.max} step={1}
              hint={group.mode === 'outputs' ? `Each output clicks every ${(outputCount(group) * 0.5).toFixed(1)} s on average; at least ${minimumOutputsDurationS(Math.max(2, outputCount(group)))} s.` : undefined} />
            <fieldset className="group-tolerance">
              <legend>Sync tolerance</legend>
              {SYNC_TOLERANCE_DEFAULTS.map((d) => (
                <label key={d.source} className="radio">
                  <input type="radio" name="group-tolerance" checked={group.tolerance === d.source} onChange={() => choose(d.source)} />
                  {d.label} ±{d.toleranceMs} ms
                  <span className="muted tolerance-basis"> — {d.basis}</span>
                </label>
              ))}
              <label className="radio">
                <input type="radio" name="group-tolerance" checked={group.tolerance === 'custom'} onChange={() => choose('custom')} />
                Custom
              </label>
              {group.tolerance === 'custom' && (
                <NumberField label="Custom tolerance" unit="ms" value={group.customToleranceMs} onChange={(customToleranceMs) => onChange({ customToleranceMs })} min={GROUP_LIMITS.customToleranceMs.min} max={GROUP_LIMITS.customToleranceMs.max} step={0.5} />
              )}
            </fieldset>
          </div>
        )}
      </fieldset>
      {group.mode !== 'one' && (
        <div className="group-run">
          {error && (
            <p className="status-bad" role="alert">
              <strong>The run stopped:</strong> {error}
            </p>
          )}
          {running && stage && <MeasureProgress purpose="measurement" stage={stage} progress={progress} onCancel={cancel} />}
          {problems.length > 0 && (
            <ul className="problems" aria-label="Before you can start">
              {problems.map((p) => (
                <li key={p} className="status-bad">
                  {p}
                </li>
              ))}
            </ul>
          )}
          {group.mode === 'speakers' && group.guided ? (
            <>
              <ol className="guided-steps" aria-label="Guided runs">
                {speakersList.map((k) => {
                  const step = steps.find((s) => s.speaker === k);
                  const loudest = step ? [...step.arrivals].sort((a, b) => b.levelDb - a.levelDb)[0] : undefined;
                  return (
                    <li key={k}>
                      <button type="button" onClick={() => void measureNear(k)} disabled={busy || running || problems.length > 0}>
                        {step ? `Measure next to speaker ${k} again` : `Measure next to speaker ${k}`}
                      </button>{' '}
                      <span className="muted" role="status">
                        {!step ? 'not measured yet' : loudest ? `loudest arrival ${loudest.latencyMs.toFixed(2)} ms (${loudest.levelDb.toFixed(1)} dB)` : `no arrival found${step.message ? `: ${step.message}` : ''}`}
                      </span>
                    </li>
                  );
                })}
              </ol>
              <button type="button" className="primary start-button" disabled={busy || running || steps.length === 0 || !tolerance} onClick={() => tolerance && onMeasured(guidedMeasurement(steps, group.speakers, tolerance))}>
                Combine the runs ({steps.length} of {group.speakers} measured)
              </button>
            </>
          ) : (
            <button type="button" className="primary start-button" onClick={() => void start()} disabled={busy || running || problems.length > 0 || input === null}>
              {group.mode === 'outputs' ? `Measure ${outputCount(group)} outputs` : `Measure ${group.speakers} speakers`}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
