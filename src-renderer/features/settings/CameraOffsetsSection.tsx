/**
 * Settings › Camera A/V offsets: the cameras calibrated on the A/V page (each camera's own offset
 * between its sound and its picture, with its uncertainty and the frame rate it holds for), listed
 * with delete. Calibrating happens on the A/V page, where the recording is analysed.
 */
import { useId, useState } from 'react';
import type { AppSettings, CameraOffset } from '../../host/host-api';
import { formatDateTime, formatNumber } from '../../ui/format/format';

export function CameraOffsetsSection({ settings, onSettingsChange }: { settings: AppSettings; onSettingsChange(s: AppSettings): void }) {
  const ids = useId();
  const [message, setMessage] = useState<string | null>(null);
  const cameras = settings.cameraOffsets ?? [];
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
      {message && (
        <p className="status-ok" role="status">
          {message}
        </p>
      )}
    </section>
  );
}
