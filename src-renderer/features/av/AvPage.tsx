/**
 * The A/V page: lip sync measured end to end from a camera recording of the A/V pattern. The
 * steps: play the pattern (full screen here, or as an MP4 exported here or by the CLI on a TV), film the screen and the
 * speaker, then drop the recording (MP4, MOV, WebM) or record with the webcam. The recording is
 * decoded in the page with progress and Cancel, analysed in the worker, and shown with its
 * uncertainty, the verdicts and the per-event offsets; saved to the library and exported.
 * A calibration recording measures a camera's own offset, stored per camera in the settings.
 */
import { type DragEvent, useEffect, useId, useState } from 'react';
import type { AvCalibrationOutput } from '../../../shared/av/av-calibration';
import type { AppSettings } from '../../host/host-api';
import type { OpenAvMeasurement } from '../../navigation/open-measurement';
import { createAnalysisClient, type AnalysisClient } from '../../worker/worker-client';
import { formatNumber, formatPercent } from '../../ui/format/format';
import { analysisOptions, cameraNameProblem, parseDistance, parseKnownOffset, parseKnownUncertainty, withCameraOffset } from './av-inputs';
import { AvResultView } from './AvResultView';
import { type CodecHost, pageCodecs } from './decode-recording';
import type { PatternExportProps } from './PatternExport';
import { PatternPlayer } from './PatternPlayer';
import { type RecordingSource, useAvAnalysis } from './use-av-analysis';
import { WebcamRecorder } from './WebcamRecorder';
import './av.css';

const ACCEPT = 'video/mp4,video/quicktime,video/webm,video/x-matroska,.mp4,.m4v,.mov,.webm,.mkv';

export interface AvPageProps {
  settings: AppSettings;
  onSettingsChange(s: AppSettings): void;
  /** A measurement opened from the library, shown until another is analysed. */
  opened: OpenAvMeasurement | null;
  onSaved(): void;
  /** For tests: the worker client and the codecs. */
  client?: AnalysisClient;
  codecs?: () => CodecHost | null;
  /** For tests: the pattern export's encoders and how its file is handed over. */
  exportProps?: PatternExportProps;
}

export function AvPage({ settings, onSettingsChange, opened, onSaved, client: givenClient, codecs = pageCodecs, exportProps }: AvPageProps) {
  const ids = useId();
  const [client] = useState(() => givenClient ?? createAnalysisClient());
  useEffect(() => () => client.cancel(), [client]);
  const { phase, setPhase, run, cancel } = useAvAnalysis(client, codecs);
  const [mode, setMode] = useState<'measure' | 'calibrate'>('measure');
  const [distance, setDistance] = useState('0');
  const [cameraName, setCameraName] = useState('');
  const [title, setTitle] = useState('');
  const [setup, setSetup] = useState('');
  const [knownOffset, setKnownOffset] = useState('0');
  const [knownUncertainty, setKnownUncertainty] = useState('0');
  const [newCameraName, setNewCameraName] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [savedCamera, setSavedCamera] = useState<string | null>(null);

  useEffect(() => {
    if (opened) setPhase({ kind: 'measured', report: opened.report, savedId: opened.savedId });
  }, [opened, setPhase]);

  const cameras = settings.cameraOffsets ?? [];
  const camera = cameras.find((c) => c.name === cameraName) ?? null;
  const busy = phase.kind === 'decoding' || phase.kind === 'analysing';

  const start = (recording: RecordingSource) => {
    setFormError(null);
    setSavedCamera(null);
    const d = parseDistance(distance);
    if (!d.ok) return setFormError(d.error);
    if (mode === 'calibrate') {
      const k = parseKnownOffset(knownOffset);
      if (!k.ok) return setFormError(k.error);
      const u = parseKnownUncertainty(knownUncertainty);
      if (!u.ok) return setFormError(u.error);
      const problem = cameraNameProblem(newCameraName);
      if (problem) return setFormError(problem);
      void run(recording, { mode: 'calibrate', options: { distanceM: d.value, referenceOffsetMs: k.value, referenceUncertaintyMs: u.value } });
      return;
    }
    void run(recording, {
      mode: 'measure',
      options: (decoded) => analysisOptions(d.value, camera, decoded.timestampResolutionS),
      title,
      setupDescription: setup,
      cameraName: camera?.name ?? null,
      patternFps: 60,
    });
  };

  const onFiles = (files: FileList | null) => {
    const file = files?.[0];
    if (file) start({ blob: file, fileName: file.name, source: 'file' });
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    if (!busy) onFiles(event.dataTransfer.files);
  };

  const saveCamera = (output: Extract<AvCalibrationOutput, { status: 'ok' }>) => {
    const name = newCameraName.trim();
    const method = `pattern on a display and speaker of known A/V offset ${knownOffset.trim()} ± ${knownUncertainty.trim()} ms, ${formatNumber(output.calibration.videoFps, 0)} fps`;
    onSettingsChange(withCameraOffset(settings, name, output.calibration, method));
    setCameraName(name);
    setSavedCamera(name);
  };

  return (
    <div className="av-page">
      <h2>A/V offset (lip sync)</h2>
      <p className="muted">
        Measure the whole chain — a TV or streamer feeding a soundbar, a Bluetooth speaker or an Echo — by filming the screen and the speaker together. The offset is timed to a
        fraction of a frame from the pattern’s brightness ramps and the clicks in the recording’s sound.
      </p>

      <PatternPlayer exportProps={exportProps} />

      <section className="panel" aria-labelledby={`${ids}-film`}>
        <h3 id={`${ids}-film`}>2. Film it</h3>
        <ul>
          <li>Film the screen and the speaker together, at least 10 s, with the whole screen in the picture and in focus. Hold the phone still or rest it.</li>
          <li>Use slow motion (120 or 240 fps) for the smallest uncertainty; 30 or 60 fps work with a wider one. On an iPhone, set Formats › Most Compatible (H.264): this app cannot decode HEVC.</li>
          <li>Lock the exposure on the screen (tap and hold) so the flashes are not clipped white. Keep the camera’s microphone near the speaker and note the distance.</li>
        </ul>
      </section>

      <section className="panel" aria-labelledby={`${ids}-analyse`}>
        <h3 id={`${ids}-analyse`}>3. Analyse the recording</h3>
        <fieldset className="av-mode">
          <legend>This recording</legend>
          <label>
            <input type="radio" name={`${ids}-mode`} checked={mode === 'measure'} onChange={() => setMode('measure')} disabled={busy} /> measures a setup
          </label>
          <label>
            <input type="radio" name={`${ids}-mode`} checked={mode === 'calibrate'} onChange={() => setMode('calibrate')} disabled={busy} /> calibrates the camera (the pattern on a
            display and speaker whose A/V offset is known)
          </label>
        </fieldset>
        <div className="av-fields">
          <label htmlFor={`${ids}-distance`}>Speaker to camera (m)</label>
          <input id={`${ids}-distance`} inputMode="decimal" value={distance} onChange={(e) => setDistance(e.target.value)} disabled={busy} />
          {mode === 'measure' ? (
            <>
              <label htmlFor={`${ids}-camera`}>Camera</label>
              <select id={`${ids}-camera`} value={camera?.name ?? ''} onChange={(e) => setCameraName(e.target.value)} disabled={busy}>
                <option value="">Not calibrated (± half a frame, its own delay not subtracted)</option>
                {cameras.map((c) => (
                  <option key={c.name} value={c.name}>
                    {c.name}: {formatNumber(c.offsetMs, 1)} ± {formatNumber(c.uncertaintyMs, 1)} ms
                  </option>
                ))}
              </select>
              <label htmlFor={`${ids}-title`}>Title (optional)</label>
              <input id={`${ids}-title`} value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} disabled={busy} placeholder="e.g. Living-room TV and soundbar" />
              <label htmlFor={`${ids}-setup`}>Setup (optional)</label>
              <input id={`${ids}-setup`} value={setup} maxLength={500} onChange={(e) => setSetup(e.target.value)} disabled={busy} placeholder="e.g. Apple TV → TV → soundbar over HDMI ARC" />
            </>
          ) : (
            <>
              <label htmlFor={`${ids}-camera-name`}>Camera name</label>
              <input id={`${ids}-camera-name`} value={newCameraName} maxLength={200} onChange={(e) => setNewCameraName(e.target.value)} disabled={busy} placeholder="e.g. Phone, slow motion 240" />
              <label htmlFor={`${ids}-known`}>Known A/V offset of the display and speaker (ms)</label>
              <input id={`${ids}-known`} inputMode="decimal" value={knownOffset} onChange={(e) => setKnownOffset(e.target.value)} disabled={busy} />
              <label htmlFor={`${ids}-known-unc`}>Its uncertainty (± ms)</label>
              <input id={`${ids}-known-unc`} inputMode="decimal" value={knownUncertainty} onChange={(e) => setKnownUncertainty(e.target.value)} disabled={busy} />
              <p className="muted av-span">
                Film the pattern from a display and speaker whose own A/V offset you know (measured with a light sensor and microphone, or a setup already measured with a calibrated
                camera): the camera’s offset is what it measures minus that. 0 ms is right only for a display and speaker known to be in sync.
              </p>
            </>
          )}
        </div>
        {formError && (
          <p className="status-bad" role="alert">
            {formError}
          </p>
        )}
        <div
          className={dragging ? 'av-drop av-drop-active' : 'av-drop'}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          data-testid="av-drop"
        >
          <p>Drop the recording here (MP4, MOV or WebM), or</p>
          <label className="button secondary">
            Choose a video file…
            <input type="file" accept={ACCEPT} className="visually-hidden" onChange={(e) => onFiles(e.target.files)} disabled={busy} aria-label="Choose a video file" />
          </label>
        </div>
        <WebcamRecorder disabled={busy} onRecorded={(blob) => start({ blob, fileName: null, source: 'webcam' })} />

        <div aria-live="polite">
          {phase.kind === 'decoding' && (
            <div className="av-progress" role="status">
              <p>
                Decoding {phase.fileLabel}: {formatPercent(phase.fraction)} ({phase.framesDecoded} frames)
              </p>
              <progress max={1} value={phase.fraction} aria-label="Decoding progress" />
              <button type="button" className="secondary" onClick={cancel}>
                Cancel
              </button>
            </div>
          )}
          {phase.kind === 'analysing' && (
            <div className="av-progress" role="status">
              <p>Analysing {phase.fileLabel}…</p>
              <button type="button" className="secondary" onClick={cancel}>
                Cancel
              </button>
            </div>
          )}
          {phase.kind === 'idle' && phase.note && <p className="muted">{phase.note}</p>}
          {phase.kind === 'failed' && (
            <p className="status-bad" role="alert">
              {phase.message}
            </p>
          )}
        </div>
      </section>

      {phase.kind === 'measured' && (
        <AvResultView
          report={phase.report}
          savedId={phase.savedId}
          onSaved={(id) => {
            setPhase({ ...phase, savedId: id });
            onSaved();
          }}
        />
      )}

      {phase.kind === 'calibrated' && (
        <section className="panel av-result" aria-labelledby={`${ids}-cal`}>
          <h3 id={`${ids}-cal`}>Camera calibration</h3>
          {phase.output.status === 'ok' ? (
            <>
              <p className="av-offset" data-testid="av-camera-offset">
                <span className="av-offset-value">{formatNumber(phase.output.calibration.cameraOffsetMs, 1)} ms</span>{' '}
                <span className="av-offset-uncertainty">± {formatNumber(phase.output.calibration.uncertaintyMs, 1)} ms</span>
              </p>
              <p>
                The camera records its sound {phase.output.calibration.cameraOffsetMs >= 0 ? 'late' : 'early'} against its picture by this much (measured{' '}
                {formatNumber(phase.output.calibration.measuredOffsetMs, 1)} ms − the display’s known {formatNumber(phase.output.calibration.referenceOffsetMs, 1)} ms), at{' '}
                {formatNumber(phase.output.calibration.videoFps, 0)} fps from {phase.output.calibration.count} events.
              </p>
              <button type="button" className="primary" onClick={() => saveCamera(phase.output as Extract<AvCalibrationOutput, { status: 'ok' }>)} disabled={savedCamera !== null}>
                {savedCamera !== null ? `Stored as “${savedCamera}”` : `Store as the offset of “${newCameraName.trim()}”`}
              </button>
            </>
          ) : (
            <div className="av-refusal" role="alert">
              <p className="av-refusal-title">No calibration: the recording was refused</p>
              <p>
                <code>{phase.output.error.code}</code> {phase.output.error.message}
              </p>
              <p>
                <strong>What to do:</strong> {phase.output.error.advice}
              </p>
            </div>
          )}
          {phase.output.warnings.length > 0 && (
            <ul>
              {phase.output.warnings.map((w) => (
                <li key={w.code}>
                  <code>{w.code}</code> {w.message}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </div>
  );
}
