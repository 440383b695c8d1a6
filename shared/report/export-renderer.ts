/**
 * The one export renderer, used by the desktop app (main process) and the browser host alike: the
 * bytes of every export format for a measurement. The full versioned report as pretty JSON, the
 * REW-importable frequency response CSV, the events CSV, the self-contained HTML report, and the
 * capture or stimulus as 32-bit float WAV with INFO tags, the measured impulse response as a 32-bit
 * float WAV that REW imports (File › Import › Impulse response: the stored IR exactly, from 10 ms
 * before the arrival to the end of the room window). A PDF is the HTML report printed, which
 * each host does its own way (Electron's printToPDF, the browser's print dialog): for 'pdf' the
 * renderer hands back the HTML to print.
 */
import { encodeWav } from '../io/wav-file';
import { avEventsCsv } from './av-csv';
import { isAvReport, type AvReport, type StoredReport } from './av-report';
import { AV_EXPORT_FORMATS, EXPORT_FILES, type ExportFormat } from './export-file';
import { renderAvReportHtml } from './html/av-report-html';
import { renderReportHtml } from './html/report-html';
import { impulseSamples, windowDescription } from './html/response-views';
import { missingResponseReason } from './labels';
import { frequencyResponseCsv, groupCsv, latencyEventsCsv, ReportExportError } from './report-csv';
import type { Report } from './report-schema';

/** The audio kept with a measurement (mono float32): what the WAV exports write. */
export interface ExportAudio {
  sampleRate: number;
  reference: Float32Array;
  capture: Float32Array;
}

/** A finished file, or (PDF) the HTML the host prints to one. */
export type ExportContent = { kind: 'file'; content: string | Uint8Array } | { kind: 'print'; html: string };

/** Longest WAV INFO string written (the name of the measurement and what the file holds). */
const MAX_INFO_CHARS = 200;

function monoWav(samples: Float32Array, sampleRate: number, what: 'capture' | 'stimulus', report: Report): Uint8Array {
  if (samples.length === 0) throw new ReportExportError(`the ${what} of this measurement is empty`);
  const name = `${report.title} (${what})`.slice(0, MAX_INFO_CHARS);
  return encodeWav({ sampleRate, channels: [samples] }, { format: 'float32', info: { ISFT: 'Latency Lab', INAM: name } });
}

/** The report's impulse response as a mono 32-bit float WAV at its sample rate; its INFO comment says the window and where the arrival is. */
export function impulseResponseWav(report: Report): Uint8Array {
  const fr = report.analysis.status === 'ok' ? report.analysis.frequencyResponse : null;
  const impulse = fr?.impulse;
  if (!fr || !impulse) {
    throw new ReportExportError(
      fr ? 'the report holds no impulse response (it was made by a version that measured the response without one)' : `the report has no frequency response, so no impulse response: ${missingResponseReason(report.analysis)}`,
    );
  }
  const samples = impulseSamples(impulse);
  if (!samples || samples.length === 0) throw new ReportExportError('the report\'s impulse response is empty or malformed');
  const window = windowDescription(fr, 'room');
  const comment = `${window}; the arrival (the measured latency) is at ${(-impulse.startMs).toFixed(3)} ms, sample ${Math.round((-impulse.startMs / 1000) * impulse.sampleRate)}; ${impulse.method}`;
  return encodeWav(
    { sampleRate: impulse.sampleRate, channels: [samples] },
    { format: 'float32', info: { ISFT: 'Latency Lab', INAM: `${report.title} (impulse response)`.slice(0, MAX_INFO_CHARS), ICMT: comment.slice(0, MAX_INFO_CHARS) } },
  );
}

/**
 * Why an A/V report cannot be exported in `format`, or null when it can. An A/V measurement keeps
 * no audio of its own (the recording is the user's video file) and has no frequency response.
 */
export function avExportRefusal(format: ExportFormat): string | null {
  if ((AV_EXPORT_FORMATS as readonly ExportFormat[]).includes(format)) return null;
  const what = EXPORT_FILES[format].description;
  return format === 'csv-frequency-response' || format === 'wav-impulse-response'
    ? `an A/V (lip-sync) measurement has no frequency response or impulse response, so there is no ${what}`
    : `an A/V (lip-sync) measurement keeps no audio of its own (the recording is your video file), so there is no ${what}`;
}

function renderAvExport(report: AvReport, format: ExportFormat): ExportContent {
  const refusal = avExportRefusal(format);
  if (refusal) throw new ReportExportError(refusal);
  switch (format) {
    case 'json':
      return { kind: 'file', content: `${JSON.stringify(report, null, 2)}\n` };
    case 'csv-events':
      return { kind: 'file', content: avEventsCsv(report) };
    case 'pdf':
      return { kind: 'print', html: renderAvReportHtml(report) };
    default:
      return { kind: 'file', content: renderAvReportHtml(report) };
  }
}

/**
 * Renders one export. Throws ReportExportError (with the reason, fit for the user) when the
 * measurement cannot be exported in that form: no frequency response for its CSV, no events for a
 * refusal, no audio for a WAV, an A/V measurement in an audio-only form (avExportRefusal).
 */
export function renderExport(stored: StoredReport, audio: ExportAudio | null, format: ExportFormat): ExportContent {
  if (isAvReport(stored)) return renderAvExport(stored, format);
  const report: Report = stored;
  switch (format) {
    case 'json':
      return { kind: 'file', content: `${JSON.stringify(report, null, 2)}\n` };
    case 'csv-frequency-response':
      return { kind: 'file', content: frequencyResponseCsv(report) };
    case 'csv-events':
      return { kind: 'file', content: latencyEventsCsv(report) };
    case 'csv-group':
      return { kind: 'file', content: groupCsv(report) };
    case 'html':
      return { kind: 'file', content: renderReportHtml(report) };
    case 'pdf':
      return { kind: 'print', html: renderReportHtml(report) };
    case 'wav-capture':
    case 'wav-stimulus': {
      const what = format === 'wav-capture' ? 'capture' : 'stimulus';
      if (!audio) throw new ReportExportError(`it has no stored audio (a report imported from a file keeps none), so there is no ${what} WAV`);
      return { kind: 'file', content: monoWav(what === 'capture' ? audio.capture : audio.reference, audio.sampleRate, what, report) };
    }
    case 'wav-impulse-response':
      return { kind: 'file', content: impulseResponseWav(report) };
  }
}
