/**
 * Export of one measurement in every format the host offers. Formats the measurement cannot
 * provide (no audio, no frequency response, a refusal without events) are disabled with the
 * reason next to them.
 */
import { type Ref, useState } from 'react';
import type { ExportFormat } from '../../host/host-api';
import { useHost } from '../../host/host-context';
import type { OpenMeasurement } from '../../navigation/open-measurement';
import { missingResponseReason } from '../../../shared/report/labels';
import { hasFrequencyResponse } from '../../ui/charts/frequency-data';

interface FormatInfo {
  format: ExportFormat;
  label: string;
  description: string;
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export function ExportPanel({ measurement, onClose, headingRef }: { measurement: OpenMeasurement; onClose(): void; headingRef?: Ref<HTMLHeadingElement> }) {
  const host = useHost();
  const [busy, setBusy] = useState<ExportFormat | null>(null);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const { report, audio } = measurement;
  const ok = report.analysis.status === 'ok';

  const formats: FormatInfo[] = [
    { format: 'json', label: 'Report (JSON)', description: 'The whole report: settings, every figure, verdicts. Import it again later or elsewhere.' },
    { format: 'html', label: 'Report (HTML)', description: 'One self-contained page to publish or print, charts included.' },
    {
      format: 'pdf',
      label: 'Report (PDF)',
      description:
        host.kind === 'browser'
          ? 'Opens the print dialog with the report: choose "Save as PDF" as the printer.'
          : 'The HTML report as a PDF file.',
    },
    { format: 'csv-frequency-response', label: 'Frequency response (CSV)', description: 'Frequency, dB, phase of the room window, its window and smoothing named in the header: imports into Room EQ Wizard (File › Import › Frequency response).' },
    { format: 'wav-impulse-response', label: 'Impulse response (WAV)', description: 'The measured impulse response (room window, from 10 ms before the arrival), 32-bit float: imports into Room EQ Wizard (File › Import › Impulse response).' },
    {
      format: 'csv-events',
      label: 'Latency events (CSV)',
      description: report.group?.kind === 'outputs' ? 'One row per event of every output: time, output, latency, confidence, status, peak-to-noise.' : 'One row per event: time, latency, confidence, status, peak-to-noise.',
    },
    {
      format: 'csv-group',
      label: 'Outputs or speakers (CSV)',
      description: 'One row per output or speaker: latency, level, drift, offset, events, dropouts; then the spread and the verdicts.',
    },
    { format: 'wav-capture', label: 'Capture (WAV)', description: 'The microphone recording, 32-bit float, to re-run the analysis elsewhere.' },
    { format: 'wav-stimulus', label: 'Stimulus (WAV)', description: 'The test signal as played, 32-bit float.' },
  ];

  const unavailable = (format: ExportFormat): string | null => {
    if ((format === 'wav-capture' || format === 'wav-stimulus') && !audio) return 'No audio is stored with this measurement (it was imported from a report file).';
    if (format === 'csv-frequency-response' && !hasFrequencyResponse(report))
      return `No frequency response: ${missingResponseReason(report.analysis)}.`;
    if (format === 'wav-impulse-response' && !report.analysis.frequencyResponse?.impulse)
      return hasFrequencyResponse(report) ? 'No impulse response: this report was made by a version that measured the response without one.' : `No impulse response, as there is no frequency response: ${missingResponseReason(report.analysis)}.`;
    if (format === 'csv-events' && report.group?.kind === 'outputs') return report.group.result.outputs.some((o) => o.status === 'ok') ? null : 'No events: no output could be measured.';
    if (format === 'csv-events' && !ok) return 'No events: the analysis refused the capture.';
    if (format === 'csv-group' && !report.group) return 'One output was measured: the table of several outputs or speakers comes with a run of several.';
    return null;
  };

  const run = async (format: ExportFormat, label: string) => {
    setBusy(format);
    setResult(null);
    try {
      const outcome = await host.exportMeasurement(report, audio, format);
      if (!outcome.saved) setResult({ ok: true, text: `${label}: export cancelled.` });
      else if (format === 'pdf' && host.kind === 'browser') setResult({ ok: true, text: 'The print dialog opened: choose "Save as PDF" to keep the report as a PDF file.' });
      else setResult({ ok: true, text: `${label} saved${outcome.location ? ` as ${outcome.location}` : ''}.` });
    } catch (error) {
      setResult({ ok: false, text: `${label} could not be exported: ${errorText(error)}` });
    } finally {
      setBusy(null);
    }
  };

  return (
    <section id="export-panel" className="panel export-panel" aria-labelledby="export-heading">
      <div className="panel-header">
        <h3 id="export-heading" ref={headingRef} tabIndex={-1}>
          Export
        </h3>
        <button type="button" className="secondary" onClick={onClose}>
          Close
        </button>
      </div>
      <p className="muted">
        {host.kind === 'browser' ? 'Files are downloaded by the browser.' : 'You choose where each file goes; nothing is overwritten without asking.'}
      </p>
      <ul className="export-list">
        {formats.map((f) => {
          const reason = unavailable(f.format);
          const descriptionId = `export-${f.format}-description`;
          return (
            <li key={f.format}>
              <button type="button" className="secondary" disabled={reason !== null || busy !== null} aria-describedby={descriptionId} onClick={() => void run(f.format, f.label)}>
                {busy === f.format ? 'Exporting…' : f.label}
              </button>
              <span id={descriptionId} className="muted">
                {reason ?? f.description}
              </span>
            </li>
          );
        })}
      </ul>
      <div aria-live="polite">
        {result && (
          <p className={result.ok ? 'status-ok' : 'status-bad'} role={result.ok ? 'status' : 'alert'}>
            {result.text}
          </p>
        )}
      </div>
    </section>
  );
}
