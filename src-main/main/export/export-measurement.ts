/**
 * Exports one measurement: renders the file first (so a measurement that cannot be exported in the
 * chosen form fails before any dialog), asks where with the OS save dialog (which asks before
 * replacing a file), and writes atomically. A name the user typed without the extension gets it
 * appended, and since the dialog did not confirm that name, an existing file there is refused
 * (EXISTS) rather than replaced. The dialog and the PDF printer are injected so this runs in Node.
 */
import { dirname, extname, join } from 'node:path';
import type { ExportFormatData, ExportResultData, MeasurementAudioData } from '../../../shared/contract/ipc-contract';
import type { StoredReport } from '../../../shared/report/av-report';
import { writeFileAtomic } from '../../fs/atomic-write';
import { renderExport } from '../../../shared/report/export-renderer';
import { EXPORT_FILES, exportFileName } from '../../../shared/report/export-file';

/** Prints self-contained HTML to PDF bytes. */
export type PrintHtmlToPdf = (html: string) => Promise<Uint8Array>;

export interface SaveDialogRequest {
  title: string;
  /** Folder + default file name. */
  defaultPath: string;
  filters: Array<{ name: string; extensions: string[] }>;
}

export interface ExportDeps {
  /** Shows the save dialog; the chosen path, or null when cancelled. */
  chooseSavePath(request: SaveDialogRequest): Promise<string | null>;
  printHtmlToPdf: PrintHtmlToPdf;
  /** Where the first dialog opens (e.g. the Documents folder). */
  defaultDirectory(): string;
}

export interface Exporter {
  exportMeasurement(report: StoredReport, audio: MeasurementAudioData | null, format: ExportFormatData): Promise<ExportResultData>;
}

export function createExporter(deps: ExportDeps): Exporter {
  let lastDirectory: string | null = null;

  return {
    async exportMeasurement(report, audio, format) {
      const info = EXPORT_FILES[format];
      const rendered = renderExport(report, audio, format);
      const content = rendered.kind === 'print' ? await deps.printHtmlToPdf(rendered.html) : rendered.content;
      const chosen = await deps.chooseSavePath({
        title: `Export ${info.description}`,
        defaultPath: join(lastDirectory ?? deps.defaultDirectory(), exportFileName(report, format)),
        filters: [{ name: info.description, extensions: [info.extension] }],
      });
      if (chosen === null || chosen === '') return { saved: false, location: null };
      const hasExtension = extname(chosen).toLowerCase() === `.${info.extension}`;
      const path = hasExtension ? chosen : `${chosen}.${info.extension}`;
      // The dialog confirmed replacing `chosen`, not a name we appended the extension to.
      writeFileAtomic(path, content, { overwrite: hasExtension });
      lastDirectory = dirname(path);
      return { saved: true, location: path };
    },
  };
}
