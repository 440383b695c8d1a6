/**
 * `latency-lab report REPORT.json --html OUT.html [--window room|speaker|fdw] [--csv-fr OUT.csv]
 * [--csv-events OUT.csv] [--csv-group OUT.csv] [--ir-wav OUT.wav]`: turns a saved report into a
 * self-contained HTML document (for a published review or a printout; --window picks the response
 * window of its magnitude and phase charts), a frequency response REW can import, a per-event CSV
 * for spreadsheets, the table of several outputs or speakers (a report of several), and the impulse
 * response as a 32-bit float WAV REW imports.
 *
 * An A/V (lip-sync) report (`av-analyze --report`) gives --html and --csv-events (its events);
 * the audio-only outputs are refused with the reason.
 *
 * All or nothing: every output target is checked first (an existing file needs --force; a folder,
 * device, FIFO or symbolic link is refused), every output is rendered before anything is written
 * (a report that cannot give one of them, e.g. --csv-fr for a click train, writes nothing), and the
 * files are written together (src-main/fs/atomic-write.ts writeFilesAtomic): if one cannot be
 * written, e.g. its folder is missing, none is, and files this call replaced are restored.
 */
import { resolve } from 'node:path';
import { SMOOTHING_FRACTIONS, type SmoothingFraction } from '../../shared/analysis/frequency-response';
import { frequencyResponseCsv, groupCsv, latencyEventsCsv, ReportExportError } from '../../shared/report/report-csv';
import { renderReportHtml } from '../../shared/report/html/report-html';
import { parseWindowId } from '../../shared/report/html/response-views';
import { impulseResponseWav } from '../../shared/report/export-renderer';
import { ReportError, type Report } from '../../shared/report/report-schema';
import { isAvReport, parseStoredReportText, type AvReport, type StoredReport } from '../../shared/report/av-report';
import { avEventsCsv } from '../../shared/report/av-csv';
import { avExportRefusal } from '../../shared/report/export-renderer';
import { renderAvReportHtml } from '../../shared/report/html/av-report-html';
import type { ExportFormat } from '../../shared/report/export-file';
import { SOFTWARE_VERSION } from '../../shared/primitives/version';
import { FileWriteError, writeFilesAtomic } from '../fs/atomic-write';
import { checkOutputTarget, CliError, integerOption, oneLine, outputError, readInputText } from './cli-io';

export interface ReportArgs {
  html?: string;
  'csv-fr'?: string;
  'csv-events'?: string;
  'csv-group'?: string;
  smoothing?: string;
  coherence?: boolean;
  'ir-wav'?: string;
  window?: string;
  force?: boolean;
}

/** Reports hold at most 200 000 events; even then the JSON stays far below this. */
const MAX_REPORT_BYTES = 256 * 1024 * 1024;

interface Output {
  option: string;
  path: string;
  what: string;
  /** What it is for an A/V report, when that differs. */
  whatAv?: string;
  render: (report: Report) => string | Uint8Array;
  /** What an A/V report gives for this option; null: refused (avExportRefusal says why). */
  renderAv: ((report: AvReport) => string) | null;
  /** The export format it corresponds to, for the reason an A/V report has none. */
  format: ExportFormat;
}

function loadReport(path: string): StoredReport {
  const text = readInputText(path, 'report', MAX_REPORT_BYTES);
  try {
    return parseStoredReportText(text);
  } catch (error) {
    // One line on stderr: JSON.parse quotes the text it failed on, line breaks and all.
    if (error instanceof ReportError) throw new CliError(`${path}: ${oneLine(error.message)}`);
    throw error;
  }
}

const sizeLabel = (bytes: number): string => (bytes < 1024 ? `${bytes} bytes` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(0)} KiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`);

/** Writes the requested files; returns one line per file written. */
export function reportCommand(positionals: string[], args: ReportArgs): string {
  if (positionals.length === 0) throw new CliError('report needs a report file: latency-lab report REPORT.json --html OUT.html');
  if (positionals.length > 1) throw new CliError(`report takes one report file, got ${positionals.length}: ${positionals.join(' ')}`);
  const reportPath = positionals[0];
  const smoothingValue = integerOption('smoothing', args.smoothing, 0, 48);
  if (smoothingValue !== undefined && !SMOOTHING_FRACTIONS.includes(smoothingValue as SmoothingFraction)) {
    throw new CliError(`--smoothing must be one of ${SMOOTHING_FRACTIONS.join(', ')} (1/N octave; 0 = none), got ${smoothingValue}`);
  }
  const smoothing = smoothingValue as SmoothingFraction | undefined;
  if ((smoothing !== undefined || args.coherence) && !args['csv-fr']) throw new CliError('--smoothing and --coherence apply to --csv-fr; add --csv-fr OUT.csv');

  const window = args.window === undefined ? undefined : parseWindowId(args.window);
  if (window === null) throw new CliError(`--window must be room, speaker or fdw (frequency-dependent), got "${oneLine(args.window ?? '')}"`);
  if (window !== undefined && args.html === undefined) throw new CliError('--window applies to --html (the window of its magnitude and phase charts); add --html OUT.html');

  const outputs: Output[] = [];
  if (args.html !== undefined) {
    const windowText = window === undefined ? '' : `, ${window === 'fdw' ? 'frequency-dependent' : window} window`;
    outputs.push({ option: 'html', path: args.html, what: `HTML report${windowText}`, render: (r) => renderReportHtml(r, { generatedBy: `latency-lab ${SOFTWARE_VERSION} (latency-lab report)`, ...(window ? { window } : {}) }),
      renderAv: window ? null : (r) => renderAvReportHtml(r, { generatedBy: `latency-lab ${SOFTWARE_VERSION} (latency-lab report)` }),
      format: 'html',
    });
  }
  if (args['csv-fr'] !== undefined) {
    const coherence = args.coherence === true;
    outputs.push({
      option: 'csv-fr',
      path: args['csv-fr'],
      what: `frequency response CSV (${coherence ? 'with coherence, 4 columns' : 'REW import, 3 columns'})`,
      render: (r) => frequencyResponseCsv(r, smoothing, { includeCoherence: coherence }),
      renderAv: null,
      format: 'csv-frequency-response',
    });
  }
  if (args['csv-events'] !== undefined) outputs.push({ option: 'csv-events', path: args['csv-events'], what: 'per-event latency CSV', whatAv: 'per-event A/V offset CSV', render: latencyEventsCsv, renderAv: avEventsCsv, format: 'csv-events' });
  if (args['csv-group'] !== undefined) outputs.push({ option: 'csv-group', path: args['csv-group'], what: 'table of the outputs or speakers (CSV)', render: groupCsv, renderAv: null, format: 'csv-group' });
  if (args['ir-wav'] !== undefined) outputs.push({ option: 'ir-wav', path: args['ir-wav'], what: 'impulse response WAV (32-bit float, room window)', render: impulseResponseWav, renderAv: null, format: 'wav-impulse-response' });
  if (outputs.length === 0) throw new CliError('report needs at least one output: --html OUT.html, --csv-fr OUT.csv, --csv-events OUT.csv, --csv-group OUT.csv or --ir-wav OUT.wav');

  const seen = new Map<string, string>([[resolve(reportPath), 'the report itself']]);
  for (const output of outputs) {
    if (output.path === '') throw new CliError(`--${output.option} needs a file name`);
    const other = seen.get(resolve(output.path));
    if (other !== undefined) throw new CliError(`--${output.option} ${output.path} is the same file as ${other}`);
    seen.set(resolve(output.path), `--${output.option}`);
  }
  // Checked before reading and rendering; the write checks again, should one appear meanwhile.
  for (const output of outputs) checkOutputTarget(output.path, args.force === true);

  const report = loadReport(reportPath);
  const rendered = outputs.map((output) => {
    try {
      if (isAvReport(report)) {
        if (!output.renderAv) {
          const reason = output.format === 'html' ? 'an A/V report has no response windows (--window applies to audio reports)' : avExportRefusal(output.format);
          throw new CliError(`--${output.option}: ${reportPath} is an A/V (lip-sync) report: ${reason}`);
        }
        return { output: { ...output, what: output.whatAv ?? `A/V ${output.what}` }, text: output.renderAv(report) };
      }
      return { output, text: output.render(report) };
    } catch (error) {
      if (error instanceof ReportExportError) throw new CliError(`--${output.option}: ${error.message}`);
      throw error;
    }
  });

  try {
    writeFilesAtomic(rendered.map(({ output, text }) => ({ path: output.path, data: text })), { overwrite: args.force === true });
  } catch (error) {
    if (error instanceof FileWriteError) throw new CliError(`${outputError(error.path, error.cause).message}; nothing was written`);
    const path = (error as { path?: string }).path ?? rendered[0].output.path;
    throw new CliError(`${outputError(path, error).message}; nothing was written`);
  }
  return rendered.map(({ output, text }) => `Wrote ${output.path}: ${output.what}, ${sizeLabel(typeof text === 'string' ? Buffer.byteLength(text, 'utf8') : text.byteLength)}.`).join('\n');
}
