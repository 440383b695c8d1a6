/**
 * An A/V measurement: the offset with its uncertainty (never one without the other), the lip-sync
 * verdicts and the articles' 50 ms claim, the offset of each event over time, the uncertainty
 * budget, the corrections and the recording, warnings — or the refusal with what to do. Save to
 * the library and export (JSON, HTML, events CSV, PDF: the formats an A/V report has).
 */
import { useState } from 'react';
import { formatOffset, type AvReport } from '../../../shared/report/av-report';
import { AV_EXPORT_FORMATS, EXPORT_FILES, type ExportFormat } from '../../../shared/report/export-file';
import { HostError } from '../../host/host-api';
import { useHost } from '../../host/host-context';
import { formatNumber, formatSignedMs } from '../../ui/format/format';
import { AvOffsetChart } from './AvOffsetChart';

export interface AvResultViewProps {
  report: AvReport;
  savedId: string | null;
  onSaved(id: string): void;
}

const errorText = (error: unknown): string => (error instanceof HostError || error instanceof Error ? error.message : String(error));

export function AvResultView({ report, savedId, onSaved }: AvResultViewProps) {
  const host = useHost();
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const a = report.analysis;
  const av = a.status === 'ok' ? a.av : undefined;

  const save = async () => {
    setBusy('save');
    setMessage(null);
    try {
      const entry = await host.library.save(report, null);
      onSaved(entry.id);
      setMessage({ ok: true, text: `Saved to the library as “${entry.title}”.` });
    } catch (error) {
      setMessage({ ok: false, text: `The measurement could not be saved: ${errorText(error)}` });
    } finally {
      setBusy(null);
    }
  };

  const exportAs = async (format: ExportFormat) => {
    setBusy(format);
    setMessage(null);
    try {
      const outcome = await host.exportMeasurement(report, null, format);
      if (outcome.saved) setMessage({ ok: true, text: outcome.location ? `Exported ${EXPORT_FILES[format].description.replace('Latency events', 'A/V events')}: ${outcome.location}` : 'Sent to the print dialog.' });
    } catch (error) {
      setMessage({ ok: false, text: errorText(error) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="panel av-result" aria-labelledby="av-result-heading">
      <h3 id="av-result-heading">{report.title}</h3>
      {report.settings.setupDescription && <p className="muted">{report.settings.setupDescription}</p>}
      {!av ? (
        <div className="av-refusal" role="alert">
          <p className="av-refusal-title">No result: the recording was refused</p>
          <p>
            <code>{a.error?.code}</code> {a.error?.message}
          </p>
          <p>
            <strong>What to do:</strong> {a.error?.advice}
          </p>
        </div>
      ) : (
        <>
          <div className="av-headline">
            <p className="av-offset" data-testid="av-offset">
              <span className="av-offset-value">{formatOffset(av.offsetMs)}</span> <span className="av-offset-uncertainty">± {formatNumber(av.uncertaintyMs, 1)} ms</span>
            </p>
            <p>
              {av.offsetMs > 0 ? 'The sound arrives after the picture' : av.offsetMs < 0 ? 'The sound arrives before the picture' : 'Sound and picture in sync'}: the median of {av.count} events; the true offset lies within ±{' '}
              {formatNumber(av.uncertaintyMs, 1)} ms of it (about 95 %). Spread between events {formatNumber(av.stdMs, 1)} ms; confidence {formatNumber(av.confidence, 2)}.
            </p>
            {!av.cameraCalibrated && (
              <p className="status-warn">The camera is not calibrated: ± half a frame is in the uncertainty, and its own audio delay is not subtracted. Calibrate it once (below) to remove both.</p>
            )}
          </div>

          {a.lipSync && (
            <div className="av-verdicts">
              <h4>Lip sync</h4>
              <table className="data-table">
                <thead>
                  <tr>
                    <th scope="col">Standard</th>
                    <th scope="col" className="num">
                      Offset
                    </th>
                    <th scope="col">Result</th>
                    <th scope="col" className="num">
                      Margin
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {a.lipSync.verdicts.map((v) => (
                    <tr key={v.standardId}>
                      <th scope="row">{v.standardName}</th>
                      <td className="num">{formatSignedMs(v.offsetMs, 1)}</td>
                      <td className={v.pass ? 'status-ok' : 'status-bad'}>
                        {v.pass ? 'Pass' : 'Fail'}
                        {!v.decisive && <span className="muted"> (not decisive: the interval crosses a limit)</span>}
                      </td>
                      <td className="num">{formatSignedMs(v.marginMs, 1)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {a.lipSync.claim && (
                <p>
                  <strong>{a.lipSync.claim.claimName}:</strong> {a.lipSync.claim.summary}
                </p>
              )}
            </div>
          )}

          <AvOffsetChart av={av} />

          <div className="av-budget">
            <h4>Uncertainty budget</h4>
            <table className="data-table">
              <tbody>
                {(
                  [
                    ['Spread between events (statistical)', av.uncertaintyBudget.statisticalMs],
                    ['Rolling-shutter correction', av.uncertaintyBudget.rollingShutterMs],
                    ['Timestamp resolution', av.uncertaintyBudget.timestampMs],
                    ['Calibration’s own uncertainty', av.uncertaintyBudget.calibrationMs],
                    ['Uncalibrated camera (± half a frame)', av.uncertaintyBudget.cameraMs],
                    ['Display frame hold', av.uncertaintyBudget.displayRefreshMs],
                  ] as const
                ).map(([label, value]) => (
                  <tr key={label}>
                    <th scope="row">{label}</th>
                    <td className="num">{formatNumber(value, 2)} ms</td>
                  </tr>
                ))}
                <tr>
                  <th scope="row">Total (first four in quadrature, the last two added)</th>
                  <td className="num">
                    <strong>± {formatNumber(av.uncertaintyMs, 2)} ms</strong>
                  </td>
                </tr>
              </tbody>
            </table>
          </div>

          <div className="av-recording">
            <h4>Recording and corrections</h4>
            <ul>
              <li>
                {av.videoWidth} × {av.videoHeight} at {formatNumber(av.videoFps, 1)} fps, {formatNumber(av.durationS, 1)} s{report.settings.codec ? ` (${report.settings.codec})` : ''}; the screen fills{' '}
                {formatNumber(100 * av.screen.width, 0)} × {formatNumber(100 * av.screen.height, 0)} % of the picture.
              </li>
              <li>
                {av.flashesFound} flashes and {av.clicksFound} clicks found, {av.eventsPaired} paired, {av.count} used.
              </li>
              <li>
                Sound travel over {formatNumber(av.distanceM, 2)} m: {formatNumber(av.travelMs, 2)} ms subtracted. Camera:{' '}
                {av.cameraCalibrated ? `${formatSignedMs(av.cameraOffsetMs, 2)} subtracted${report.settings.cameraName ? ` (${report.settings.cameraName})` : ''}` : 'not calibrated'}.
              </li>
              <li>Rolling shutter {formatNumber(av.rollingShutterMs, 2)} ms; the display’s clock {formatNumber(av.clockPpm, 0)} ppm against the camera’s.</li>
            </ul>
          </div>
        </>
      )}

      {a.warnings.length > 0 && (
        <div className="av-warnings">
          <h4>Warnings</h4>
          <ul>
            {a.warnings.map((w) => (
              <li key={w.code}>
                <code>{w.code}</code> {w.message}
              </li>
            ))}
          </ul>
        </div>
      )}

      <div className="av-actions">
        <button type="button" className="primary" onClick={() => void save()} disabled={busy !== null || savedId !== null}>
          {savedId !== null ? 'Saved to the library' : busy === 'save' ? 'Saving…' : 'Save to library'}
        </button>
        {AV_EXPORT_FORMATS.map((format) => (
          <button key={format} type="button" className="secondary" onClick={() => void exportAs(format)} disabled={busy !== null || (format === 'csv-events' && !av)}>
            {format === 'json' ? 'Export JSON' : format === 'html' ? 'Export HTML' : format === 'pdf' ? 'Export PDF' : 'Export events (CSV)'}
          </button>
        ))}
      </div>
      <p className="muted">An A/V measurement keeps no audio of its own (the recording is your video file), so there is no WAV or frequency-response export.</p>
      <div aria-live="polite">
        {message && (
          <p className={message.ok ? 'status-ok' : 'status-bad'} role={message.ok ? 'status' : 'alert'}>
            {message.text}
          </p>
        )}
      </div>
    </section>
  );
}
