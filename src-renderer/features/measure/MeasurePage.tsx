/**
 * The measurement flow: setup, level check, baseline, measure (single or long run), then the
 * report goes to Results through onMeasured. Nothing is saved here; a cancelled or failed run
 * leaves the setup as it was. The level check, the baseline and the measurements share one audio
 * session (one clock, one output stream) while the devices stay the same (use-audio-session.ts).
 */
import { useEffect, useRef, useState } from 'react';
import type { OpenMeasurement } from '../../navigation/open-measurement';
import { DEFAULT_OUTPUT, sinkSelectionSupported } from '../../audio/devices';
import type { AppSettings } from '../../host/host-api';
import { appAdvice } from '../../../shared/report/labels';
import { BaselinePanel } from './BaselinePanel';
import { CaptureWarnings } from './CaptureWarnings';
import { LastResult, type LastResultSummary } from './LastResult';
import { LevelCheck } from './LevelCheck';
import { LongRunPanel } from './LongRunPanel';
import { MeasureProgress } from './MeasureProgress';
import { baselineCaveats, defaultSetup, deviceProblems, effectiveLevelProblem, findBaseline, type MeasureSetup, microphoneChannel, resolveClaim, setupProblems, SIGNAL_LABELS, stimulusDurationS, withBaseline } from './measure-setup';
import type { MusicInfo } from './MusicPicker';
import type { MusicSource } from './run-measurement';
import { SetupForm } from './SetupForm';
import { GroupPanel } from './GroupPanel';
import { defaultGroupSetup, type GroupSetup } from './group-setup';
import { useAnalysisClient } from './use-analysis-client';
import { useAudioSession } from './use-audio-session';
import { useDevices } from './use-devices';
import { useLevelCheck } from './use-level-check';
import { useMeasurementRun } from './use-measurement-run';
import './measure.css';

/** Warnings that make a baseline doubtful as a reference. */
const DOUBTFUL_BASELINE = new Set(['LATENCY_JUMP', 'LOW_CONFIDENCE_EVENTS', 'DROPOUTS', 'CLIPPING']);

export interface MeasurePageProps {
  settings: AppSettings;
  onSettingsChange(s: AppSettings): void;
  onMeasured(m: OpenMeasurement): void;
}

function describeRun(setup: MeasureSetup, durationS: number): string {
  if (setup.mode === 'long') return `Long run: ${setup.longRunMinutes} min of click train at ${setup.levelDbfs} dBFS peak.`;
  const level = `${setup.levelDbfs} dBFS ${setup.signal === 'pink' ? 'RMS' : 'peak'}`;
  if (setup.signal === 'sweep') return `${setup.sweeps} × ${SIGNAL_LABELS.sweep.toLowerCase()} (${durationS} s) at ${level}.`;
  if (setup.signal === 'music') return durationS > 0 ? `Your music (${durationS.toFixed(0)} s) at ${level}.` : 'Your music: choose a file.';
  return `${SIGNAL_LABELS[setup.signal]}, ${durationS} s at ${level}.`;
}

export function MeasurePage({ settings, onSettingsChange, onMeasured }: MeasurePageProps) {
  const [setup, setSetup] = useState<MeasureSetup>(() => defaultSetup(settings));
  const [videoEdited, setVideoEdited] = useState(false);
  const [music, setMusic] = useState<MusicSource | null>(null);
  const [musicInfo, setMusicInfo] = useState<MusicInfo | null>(null);
  const [lastResult, setLastResult] = useState<LastResultSummary | null>(null);
  /** Several outputs or speakers in one run (GroupPanel.tsx); 'one' is the ordinary run below. */
  const [group, setGroup] = useState<GroupSetup>(defaultGroupSetup);
  const [groupRunning, setGroupRunning] = useState(false);
  /** The outcome of the last baseline run, and the audio session it ran in (a success is not repeated once that session is gone). */
  const [baselineMessage, setBaselineMessage] = useState<{ severity: 'ok' | 'warn' | 'bad'; text: string; sessionId: string | null } | null>(null);
  const settingsRef = useRef(settings);
  useEffect(() => {
    settingsRef.current = settings;
  });

  const devicesState = useDevices();
  const { devices } = devicesState;
  const client = useAnalysisClient();
  const run = useMeasurementRun();

  const input = devices?.inputs.find((d) => d.deviceId === (setup.inputDeviceId || devices.inputs[0]?.deviceId)) ?? null;
  const output = devices?.outputs.find((d) => d.deviceId === setup.outputDeviceId) ?? DEFAULT_OUTPUT;
  const effective: MeasureSetup = {
    ...setup,
    inputDeviceId: setup.inputDeviceId || input?.deviceId || '',
    videoLatencyMs: videoEdited ? setup.videoLatencyMs : settings.videoLatencyMs,
  };
  const claim = resolveClaim(setup.claimId, settings);
  const baseline = input ? findBaseline(settings, input.label, output.label) : null;
  const musicReady = music !== null && musicInfo !== null;
  const problems = setupProblems(effective, { devices, musicReady });
  const audio = useAudioSession(input, output, setup.timingReference ? 2 : 1);
  const caveats = baseline && input ? baselineCaveats(baseline, { inputDeviceId: input.deviceId, outputDeviceId: output.deviceId, sampleRate: audio.sampleRate, sessionId: audio.sessionId }) : [];
  const subtractBaseline = !setup.timingReference && setup.useBaseline && baseline !== null;
  const level = useLevelCheck({ input, output, setup: effective, music, client, audio });
  const running = run.state.status === 'running';
  const busy = running || groupRunning || level.state.burstRunning;
  const durationS = stimulusDurationS(effective, musicInfo?.usedS ?? null);

  const change = (patch: Partial<MeasureSetup>) => {
    if (patch.videoLatencyMs !== undefined) setVideoEdited(true);
    setSetup((prev) => ({ ...prev, ...patch }));
  };

  const start = async () => {
    if (!input || problems.length > 0) return;
    await level.stop();
    const baselineMs = subtractBaseline ? baseline.baselineMs : null;
    const result = await run.start({ purpose: 'measurement', setup: effective, input, output, claim, baselineMs, baselineCaveats: caveats, music, client, sharedSession: audio, micCalibrations: settings.micCalibrations });
    if (!result) return;
    const { report } = result.measurement;
    setLastResult({ report, beatCheck: result.beatCheck, missingFrames: result.missingFrames });
    onMeasured(result.measurement);
  };

  const measureBaseline = async () => {
    if (!input) return;
    setBaselineMessage(null);
    await level.stop();
    const result = await run.start({ purpose: 'baseline', setup: effective, input, output, claim: null, baselineMs: null, music: null, client, sharedSession: audio });
    if (!result) return;
    const { analysis } = result.measurement.report;
    if (analysis.status !== 'ok' || !analysis.latency) {
      setBaselineMessage({ severity: 'bad', text: `The baseline could not be measured: ${analysis.error?.message ?? 'no result'} ${analysis.error ? appAdvice(analysis.error.code, analysis.error.advice, { timingReference: false }) : ''}`, sessionId: result.session.id });
      return;
    }
    const stored = {
      inputDeviceLabel: input.label,
      outputDeviceLabel: output.label,
      baselineMs: analysis.latency.medianMs,
      confidence: analysis.confidence ?? 0,
      measuredAt: new Date().toISOString(),
      ...(input.deviceId ? { inputDeviceId: input.deviceId } : {}),
      outputDeviceId: output.deviceId,
      sampleRate: result.session.sampleRate,
      audioSessionId: result.session.id,
    };
    onSettingsChange(withBaseline(settingsRef.current, input.label, output.label, stored));
    setSetup((prev) => ({ ...prev, useBaseline: true }));
    const measured = `Baseline measured: ${stored.baselineMs.toFixed(2)} ms (confidence ${Math.round(stored.confidence * 100)} %).`;
    // A jump or doubtful events during the baseline make it a poor reference: say so.
    const doubts = analysis.warnings.filter((w) => DOUBTFUL_BASELINE.has(w.code));
    setBaselineMessage(
      doubts.length === 0
        ? { severity: 'ok', text: measured, sessionId: result.session.id }
        : { severity: 'warn', text: `${measured} Warning: ${doubts.map((w) => w.message).join(' ')} Re-measure the baseline if the path was disturbed.`, sessionId: result.session.id },
    );
  };

  const clearBaseline = () => {
    if (!input) return;
    onSettingsChange(withBaseline(settingsRef.current, input.label, output.label, null));
    setBaselineMessage(null);
  };

  const { state } = run;
  return (
    <div className="measure-page">
      <h2>New measurement</h2>
      {state.error && (
        <div className="banner-inline banner-error" role="alert">
          <p>
            <strong>{state.purpose === 'baseline' ? 'The baseline' : 'The measurement'} stopped:</strong> {state.error}
          </p>
          <p className="muted">Your setup is unchanged; fix the problem and start again.</p>
          <button type="button" className="secondary" onClick={run.dismissError}>
            Dismiss
          </button>
        </div>
      )}
      {running && state.stage && state.purpose && (
        <div className="measure-running">
          <MeasureProgress purpose={state.purpose} stage={state.stage} progress={state.progress} onCancel={run.cancel} />
          {state.purpose === 'measurement' && effective.mode === 'long' && <LongRunPanel events={state.liveEvents} stats={state.liveStats} errors={state.liveErrors} />}
        </div>
      )}
      <div className="measure-grid">
        <SetupForm
          setup={effective}
          onChange={change}
          devices={devices}
          devicesError={devicesState.error}
          askingPermission={devicesState.asking}
          onRequestPermission={() => void devicesState.requestPermission()}
          onRefreshDevices={() => void devicesState.refresh()}
          sinkSupported={sinkSelectionSupported()}
          customClaims={settings.customClaims}
          claim={claim}
          music={music}
          musicInfo={musicInfo}
          onMusicChange={(m, info) => {
            setMusic(m);
            setMusicInfo(info);
          }}
          disabled={busy}
        />
        <div className="measure-side">
          <CaptureWarnings warnings={[...level.state.captureWarnings, ...(running ? [] : state.captureWarnings)]} />
          <LevelCheck
            state={level.state}
            busy={running}
            canStart={input !== null}
            onStart={() => void level.start()}
            onStop={() => void level.stop()}
            onResetClip={level.resetClip}
            onNoiseFloor={level.measureNoiseFloor}
            onBurst={() => void level.playBurst()}
            timingReference={setup.timingReference}
          />
          <BaselinePanel
            inputLabel={input?.label ?? null}
            outputLabel={output.label}
            baseline={baseline}
            caveats={caveats}
            timingReference={setup.timingReference}
            useBaseline={setup.useBaseline}
            onUseBaselineChange={(useBaseline) => change({ useBaseline })}
            onMeasure={() => void measureBaseline()}
            onClear={clearBaseline}
            busy={busy}
            canMeasure={input !== null}
            message={baselineMessage && (baselineMessage.severity !== 'ok' || baselineMessage.sessionId === audio.sessionId) ? baselineMessage : null}
          />
          <GroupPanel
            group={group}
            onChange={(patch) => setGroup((prev) => ({ ...prev, ...patch }))}
            devices={devices}
            setup={effective}
            input={input}
            output={output}
            client={client}
            audio={audio}
            busy={running || level.state.burstRunning}
            pageProblems={[...deviceProblems(effective, devices), ...(effective.signal === 'click' && effectiveLevelProblem(effective) ? [effectiveLevelProblem(effective) as string] : [])]}
            beforeRun={() => level.stop()}
            onRunningChange={setGroupRunning}
            onMeasured={onMeasured}
          />
          {group.mode === 'one' && (
          <section className="panel run-panel" aria-labelledby="run-heading">
            <h3 id="run-heading">4. Measure</h3>
            <p>{describeRun(effective, durationS)}</p>
            <p className="muted">
              {claim ? `Compared with: ${claim.name}.` : 'No claim to compare with.'}{' '}
              {setup.timingReference
                ? `Timing reference on input channel ${setup.referenceChannel} (microphone on channel ${microphoneChannel(setup.referenceChannel)}): no baseline needed.`
                : subtractBaseline
                  ? `Baseline ${baseline.baselineMs.toFixed(2)} ms subtracted${caveats.length > 0 ? ' (measured in another audio session or with other devices: see step 3)' : ''}.`
                  : 'No baseline.'}
            </p>
            {problems.length > 0 && (
              <ul className="problems" aria-label="Before you can start">
                {problems.map((p) => (
                  <li key={p} className="status-bad">
                    {p}
                  </li>
                ))}
              </ul>
            )}
            <button type="button" className="primary start-button" onClick={() => void start()} disabled={busy || problems.length > 0 || input === null}>
              {effective.mode === 'long' ? 'Start long run' : 'Start measurement'}
            </button>
            {audio.open && !busy && level.state.status === 'off' && (
              <div className="session-held">
                <p className="muted" role="status">
                  The microphone and the output stream stay open between runs, so the baseline and your measurements go through the same stream.
                </p>
                <button type="button" onClick={() => void audio.release()}>
                  Release the microphone
                </button>
              </div>
            )}
          </section>
          )}
          {lastResult && !running && <LastResult summary={lastResult} />}
        </div>
      </div>
    </div>
  );
}
