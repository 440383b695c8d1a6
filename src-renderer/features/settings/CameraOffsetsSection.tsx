/**
 * Settings › Camera A/V offsets: the cameras calibrated on the A/V page (each camera's own offset
 * between its sound and its picture, with its uncertainty and the frame rate it holds for), listed
 * with delete. Calibrating happens on the A/V page, where the recording is analysed; an offset
 * known from elsewhere (e.g. `latency-lab av-calibrate`) can be entered by hand.
 */
import { type FormEvent, useId, useState } from 'react';
import { cameraOffsetSchema } from '../../../shared/contract/ipc-contract';
import type { AppSettings, CameraOffset } from '../../host/host-api';
import { formatDateTime, formatNumber } from '../../ui/format/format';

export function CameraOffsetsSection({ settings, onSettingsChange }: { settings: AppSettings; onSettingsChange(s: AppSettings): void }) {
  const ids = useId();
  const [message, setMessage] = useState<string | null>(null);
  const cameras = settings.cameraOffsets ?? [];
  const [form, setForm] = useState({ name: '', offset: '', uncertainty: '', fps: '' });
  const [formError, setFormError] = useState<string | null>(null);
  const add = (event: FormEvent) => {
    event.preventDefault();
    const number = (text: string) => (/^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$/.test(text.replace('−', '-')) ? Number(text.replace('−', '-')) : NaN);
    const name = form.name.trim();
    if (cameras.some((c) => c.name === name)) return setFormError(`A camera named “${name}” is stored already: delete it first, or choose another name.`);
    const candidate = {
      name,
      offsetMs: number(form.offset),
      uncertaintyMs: number(form.uncertainty),
      measuredAt: new Date().toISOString(),
      method: 'entered by hand',
      videoFps: form.fps.trim() === '' ? null : number(form.fps),
    };
    const parsed = cameraOffsetSchema.safeParse(candidate);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = { name: 'Name', offsetMs: 'Offset (ms, −1000 to 1000)', uncertaintyMs: 'Uncertainty (ms, 0 to 1000)', videoFps: 'Frame rate (fps)' }[String(issue.path[0])] ?? String(issue.path[0]);
      return setFormError(`${field}: ${Number.isNaN((candidate as Record<string, unknown>)[String(issue.path[0])]) ? 'enter a number' : issue.message}.`);
    }
    setFormError(null);
    onSettingsChange({ ...settings, cameraOffsets: [...cameras, parsed.data] });
    setForm({ name: '', offset: '', uncertainty: '', fps: '' });
    setMessage(`“${parsed.data.name}” was added.`);
  };
  const remove = (camera: CameraOffset) => {
    onSettingsChange({ ...settings, cameraOffsets: cameras.filter((c) => c.name !== camera.name) });
    setMessage(`The offset of “${camera.name}” was deleted; recordings from it are uncalibrated until you calibrate it again.`);
  };
  return (
    <section className="panel" aria-labelledby={`${ids}-heading`}>
      <h3 id={`${ids}-heading`}>Camera A/V offsets</h3>
      <p className="muted">
        A camera records its sound a little before or after its picture. Calibrate each camera once on the A/V page (film the pattern from a display and speaker whose A/V offset is
        known); the A/V page then subtracts it. A calibration holds for the frame rate it was filmed at.
      </p>
      {cameras.length === 0 ? (
        <p className="muted">No cameras calibrated.</p>
      ) : (
        <table className="baselines-table">
          <thead>
            <tr>
              <th scope="col">Camera</th>
              <th scope="col" className="num">
                Offset
              </th>
              <th scope="col" className="num">
                Frame rate
              </th>
              <th scope="col">Calibrated</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {cameras.map((c) => (
              <tr key={c.name}>
                <td>
                  {c.name}
                  {c.method && <span className="entry-sub muted">{c.method}</span>}
                </td>
                <td className="num">
                  {formatNumber(c.offsetMs, 1)} ± {formatNumber(c.uncertaintyMs, 1)} ms
                </td>
                <td className="num">{c.videoFps === null ? '—' : `${formatNumber(c.videoFps, 0)} fps`}</td>
                <td>{formatDateTime(c.measuredAt)}</td>
                <td className="actions-cell">
                  <button type="button" className="secondary small" onClick={() => remove(c)} aria-label={`Delete the offset of camera ${c.name}`}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="camera-offset-form" onSubmit={add} aria-labelledby={`${ids}-add`}>
        <h4 id={`${ids}-add`}>Add an offset known from elsewhere</h4>
        <label htmlFor={`${ids}-name`}>Camera name</label>
        <input id={`${ids}-name`} value={form.name} maxLength={200} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        <label htmlFor={`${ids}-offset`}>Offset (ms, positive: sound late)</label>
        <input id={`${ids}-offset`} inputMode="decimal" value={form.offset} onChange={(e) => setForm({ ...form, offset: e.target.value })} />
        <label htmlFor={`${ids}-unc`}>Uncertainty (± ms)</label>
        <input id={`${ids}-unc`} inputMode="decimal" value={form.uncertainty} onChange={(e) => setForm({ ...form, uncertainty: e.target.value })} />
        <label htmlFor={`${ids}-fps`}>Frame rate (fps, optional)</label>
        <input id={`${ids}-fps`} inputMode="decimal" value={form.fps} onChange={(e) => setForm({ ...form, fps: e.target.value })} />
        <button type="submit" className="secondary">
          Add camera
        </button>
        {formError && (
          <p className="status-bad" role="alert">
            {formError}
          </p>
        )}
      </form>
      {message && (
        <p className="status-ok" role="status">
          {message}
        </p>
      )}
    </section>
  );
}
