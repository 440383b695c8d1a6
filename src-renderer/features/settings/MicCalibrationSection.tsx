/**
 * Settings › Microphone calibration: load a UMIK-1 / REW-style calibration file (`freq dB [phase]`
 * lines, optional `Sens Factor` and serial header) for a microphone, kept in the settings per input
 * device label and applied to every frequency response measured with that microphone.
 */
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { MicCalibrationError, parseMicCalibration } from '../../../shared/analysis/mic-calibration';
import type { AppSettings } from '../../host/host-api';
import { formatDateTime, formatNumber } from '../../ui/format/format';

/** Calibration files are text of a few kB; anything over this is not one. */
const MAX_FILE_BYTES = 2 * 1024 * 1024;

type Calibrations = NonNullable<AppSettings['micCalibrations']>;

/** The calibration stored for an input device label, or null. */
export function calibrationForInput(settings: Pick<AppSettings, 'micCalibrations'>, inputLabel: string): Calibrations[string] | null {
  const all = settings.micCalibrations;
  return all && Object.hasOwn(all, inputLabel) ? all[inputLabel] : null;
}

/** Labels of the audio inputs the browser names (empty until the microphone permission is granted). */
function useInputLabels(): string[] {
  const [labels, setLabels] = useState<string[]>([]);
  useEffect(() => {
    let alive = true;
    const devices = typeof navigator !== 'undefined' ? navigator.mediaDevices : undefined;
    if (!devices?.enumerateDevices) return undefined;
    devices
      .enumerateDevices()
      .then((list) => {
        if (alive) setLabels([...new Set(list.filter((d) => d.kind === 'audioinput' && d.label).map((d) => d.label))]);
      })
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, []);
  return labels;
}

export function MicCalibrationSection({ settings, onSettingsChange }: { settings: AppSettings; onSettingsChange(s: AppSettings): void }) {
  const ids = useId();
  const labels = useInputLabels();
  const [microphone, setMicrophone] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const stored = Object.entries(settings.micCalibrations ?? {});

  const load = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setMessage(null);
    const label = microphone.trim();
    const file = fileInput.current?.files?.[0];
    if (!label) return setError('Enter the microphone: its input device name as the Measure page lists it.');
    if (!file) return setError('Choose the calibration file (a .txt or .cal file from the microphone maker or REW).');
    if (file.size > MAX_FILE_BYTES) return setError(`${file.name} is larger than 2 MB: it is not a calibration file.`);
    setLoading(true);
    try {
      const calibration = parseMicCalibration(await file.text());
      onSettingsChange({ ...settings, micCalibrations: { ...(settings.micCalibrations ?? {}), [label]: { fileName: file.name.slice(0, 500), importedAt: new Date().toISOString(), calibration } } });
      setMessage(`${file.name} (${calibration.points.length} points) is applied to every measurement with ${label}.`);
      if (fileInput.current) fileInput.current.value = '';
    } catch (e) {
      setError(e instanceof MicCalibrationError ? `${file.name} is not a calibration file: ${e.message}.` : `${file.name} could not be read: ${e instanceof Error ? e.message : String(e)}.`);
    } finally {
      setLoading(false);
    }
  };

  const remove = (label: string) => {
    const next = { ...(settings.micCalibrations ?? {}) };
    delete next[label];
    onSettingsChange({ ...settings, micCalibrations: next });
    setMessage(`The calibration of ${label} was removed.`);
  };

  return (
    <section className="panel" aria-labelledby={`${ids}-heading`}>
      <h3 id={`${ids}-heading`}>Microphone calibration</h3>
      <p className="muted">
        A calibration file (UMIK-1, REW style: lines of frequency, dB and optional phase) corrects the microphone’s own response. It is kept per microphone, applied to
        every frequency response measured with it, and named in the report.
      </p>
      <form onSubmit={load} noValidate>
        <label htmlFor={`${ids}-mic`}>Microphone (input device)</label>
        <input id={`${ids}-mic`} list={`${ids}-mics`} value={microphone} onChange={(e) => setMicrophone(e.target.value)} maxLength={500} autoComplete="off" />
        <datalist id={`${ids}-mics`}>
          {labels.map((l) => (
            <option key={l} value={l} />
          ))}
        </datalist>
        <label htmlFor={`${ids}-file`}>Calibration file</label>
        <input id={`${ids}-file`} ref={fileInput} type="file" accept=".txt,.cal,.frd,text/plain" />
        <button type="submit" disabled={loading}>
          {loading ? 'Loading…' : 'Load calibration'}
        </button>
      </form>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {stored.length === 0 ? (
        <p className="muted">No microphone calibrations stored.</p>
      ) : (
        <table className="baselines-table">
          <thead>
            <tr>
              <th scope="col">Microphone</th>
              <th scope="col">File</th>
              <th scope="col">Sensitivity</th>
              <th scope="col">Loaded</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {stored.map(([label, c]) => (
              <tr key={label}>
                <td>{label}</td>
                <td>
                  {c.fileName}
                  <span className="entry-sub muted">
                    {c.calibration.points.length} points{c.calibration.serial ? `, serial ${c.calibration.serial}` : ''}
                  </span>
                </td>
                <td>{c.calibration.sensitivityDb === null ? '—' : `${formatNumber(c.calibration.sensitivityDb, 2)} dB`}</td>
                <td>{formatDateTime(c.importedAt)}</td>
                <td className="actions-cell">
                  <button type="button" className="secondary small" onClick={() => remove(label)} aria-label={`Remove the calibration of ${label}`}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {message && (
        <p className="status-ok" role="status">
          {message}
        </p>
      )}
    </section>
  );
}
