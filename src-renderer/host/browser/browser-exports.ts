/** The browser host's exports: files are downloads, a PDF goes through the print dialog. */
import { type ExportContent, renderExport } from '../../../shared/report/export-renderer';
import { EXPORT_FILES, exportFileName } from '../../../shared/report/export-file';
import { ReportExportError } from '../../../shared/report/report-csv';
import type { StoredReport } from '../../../shared/report/av-report';
import { type ExportFormat, type ExportResult, type HostApi, HostError, type MeasurementAudio } from '../host-api';
import { messageOf } from './browser-errors';



let printFrame: HTMLIFrameElement | null = null;

/** Opens the report in a hidden frame and calls its print(): the user picks "Save as PDF". */
function printHtml(html: string): Promise<void> {
  return new Promise((resolve, reject) => {
    printFrame?.remove();
    const frame = document.createElement('iframe');
    printFrame = frame;
    frame.title = 'Report for printing';
    frame.setAttribute('aria-hidden', 'true');
    frame.tabIndex = -1;
    // The report is static HTML: no scripts run in the frame, and it cannot navigate this page. Same
    // origin so this page can call its print(); modals for the print dialog.
    frame.setAttribute('sandbox', 'allow-same-origin allow-modals');
    Object.assign(frame.style, { position: 'fixed', right: '0', bottom: '0', width: '0', height: '0', border: '0', visibility: 'hidden' });
    frame.addEventListener(
      'load',
      () => {
        const win = frame.contentWindow;
        if (!win) {
          reject(new HostError('The report could not be prepared for printing.'));
          return;
        }
        win.addEventListener('afterprint', () => {
          if (printFrame === frame) printFrame = null;
          frame.remove();
        });
        try {
          win.focus();
          win.print();
          resolve();
        } catch (error) {
          reject(new HostError(`The print dialog could not be opened (${messageOf(error)}).`));
        }
      },
      { once: true },
    );
    frame.srcdoc = html;
    document.body.append(frame);
  });
}

function exportError(error: unknown): HostError {
  if (error instanceof HostError) return error;
  if (error instanceof ReportExportError) return new HostError(`This measurement cannot be exported in that form: ${error.message}.`);
  return new HostError(`The export failed: ${messageOf(error)}.`);
}

/** Exports through the shared renderer; `download` hands a finished file to the user. */
export function createBrowserExporter(download: (blob: Blob, fileName: string) => void): HostApi['exportMeasurement'] {
  return async function exportMeasurement(report: StoredReport, audio: MeasurementAudio | null, format: ExportFormat): Promise<ExportResult> {
    const fileName = exportFileName(report, format);
    let rendered: ExportContent;
    try {
      rendered = renderExport(report, audio, format);
      if (rendered.kind === 'print') {
        await printHtml(rendered.html);
        return { saved: true, location: null };
      }
    } catch (error) {
      throw exportError(error);
    }
    const { content } = rendered;
    const part: BlobPart = typeof content === 'string' || content.buffer instanceof ArrayBuffer ? (content as string | Uint8Array<ArrayBuffer>) : content.slice();
    try {
      download(new Blob([part], { type: EXPORT_FILES[format].mime }), fileName);
    } catch (error) {
      throw new HostError(`The download of ${fileName} failed: ${messageOf(error)}.`);
    }
    return { saved: true, location: fileName };
  };
}
