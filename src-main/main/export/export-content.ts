/**
 * The bytes of each export format: the full versioned report as pretty JSON, the REW-importable
 * frequency response CSV, the events CSV, the self-contained HTML report, that HTML printed to PDF
 * (by the injected printer), and the capture or stimulus as 32-bit float WAV.
 */
import type { ExportFormatData, MeasurementAudioData } from '../../../shared/contract/ipc-contract';
import { frequencyResponseCsv, latencyEventsCsv } from '../../../shared/report/report-csv';
import { renderReportHtml } from '../../../shared/report/html/report-html';
import type { Report } from '../../../shared/report/report-schema';
import { encodeWav } from '../../../shared/io/wav-file';
import { IpcError } from '../ipc/ipc-error';

/** Prints self-contained HTML to PDF bytes. */
export type PrintHtmlToPdf = (html: string) => Promise<Uint8Array>;

function monoWav(samples: Float32Array, sampleRate: number, what: string, report: Report): Uint8Array {
  return encodeWav({ sampleRate, channels: [samples] }, { format: 'float32', info: { ISFT: 'Latency Lab', INAM: `${report.title} (${what})`.slice(0, 200) } });
}

export async function renderExport(report: Report, audio: MeasurementAudioData | null, format: ExportFormatData, printHtmlToPdf: PrintHtmlToPdf): Promise<string | Uint8Array> {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'csv-frequency-response':
      return frequencyResponseCsv(report);
    case 'csv-events':
      return latencyEventsCsv(report);
    case 'html':
      return renderReportHtml(report);
    case 'pdf':
      return printHtmlToPdf(renderReportHtml(report));
    case 'wav-capture':
    case 'wav-stimulus': {
      if (!audio) throw new IpcError('NOT_EXPORTABLE', 'This measurement has no stored audio, so there is no WAV to export.');
      return format === 'wav-capture' ? monoWav(audio.capture, audio.sampleRate, 'capture', report) : monoWav(audio.reference, audio.sampleRate, 'stimulus', report);
    }
  }
}
