/**
 * The export formats and their default file names, shared by the desktop save dialog and the
 * browser's downloads: `latency-lab-<date>-<title-slug>[-what].<ext>`, built only from [a-z0-9-], so
 * a title can never smuggle a path, a reserved device name or a control character into a file name.
 */
import type { Report } from './report-schema';

export const EXPORT_FORMATS = ['json', 'csv-frequency-response', 'csv-events', 'csv-group', 'html', 'pdf', 'wav-capture', 'wav-stimulus', 'wav-impulse-response'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** The formats an A/V (lip-sync) report has: no audio of its own, no frequency response. */
export const AV_EXPORT_FORMATS = ['json', 'csv-events', 'html', 'pdf'] as const satisfies readonly ExportFormat[];

export interface ExportFileKind {
  /** Added to the default file name, e.g. "-events". */
  suffix: string;
  extension: string;
  mime: string;
  /** For file-type filters and buttons. */
  description: string;
  /** Needs the measurement's audio (WAV exports). */
  needsAudio: boolean;
}

export const EXPORT_FILES: Record<ExportFormat, ExportFileKind> = {
  json: { suffix: '', extension: 'json', mime: 'application/json', description: 'Latency Lab report (JSON)', needsAudio: false },
  'csv-frequency-response': { suffix: '-frequency-response', extension: 'csv', mime: 'text/csv', description: 'Frequency response (CSV, REW)', needsAudio: false },
  'csv-events': { suffix: '-events', extension: 'csv', mime: 'text/csv', description: 'Latency events (CSV)', needsAudio: false },
  'csv-group': { suffix: '-speakers', extension: 'csv', mime: 'text/csv', description: 'Several outputs or speakers (CSV)', needsAudio: false },
  html: { suffix: '', extension: 'html', mime: 'text/html', description: 'Report (HTML)', needsAudio: false },
  pdf: { suffix: '', extension: 'pdf', mime: 'application/pdf', description: 'Report (PDF)', needsAudio: false },
  'wav-capture': { suffix: '-capture', extension: 'wav', mime: 'audio/wav', description: 'Capture (WAV, 32-bit float)', needsAudio: true },
  'wav-stimulus': { suffix: '-stimulus', extension: 'wav', mime: 'audio/wav', description: 'Stimulus (WAV, 32-bit float)', needsAudio: true },
  'wav-impulse-response': { suffix: '-impulse-response', extension: 'wav', mime: 'audio/wav', description: 'Impulse response (WAV, 32-bit float, REW)', needsAudio: false },
};

/** "JBL Flip 6 over Bluetooth!" → "jbl-flip-6-over-bluetooth"; "measurement" when nothing is left. */
export function titleSlug(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 60)
    .replace(/^-+|-+$/g, '');
  return slug === '' ? 'measurement' : slug;
}

/** The default file name of an export; the date is the measurement's (YYYY-MM-DD). */
export function exportFileName(report: Pick<Report, 'createdAt' | 'title'>, format: ExportFormat, today: Date = new Date()): string {
  const date = /^\d{4}-\d{2}-\d{2}/.exec(report.createdAt)?.[0] ?? today.toISOString().slice(0, 10);
  const file = EXPORT_FILES[format];
  return `latency-lab-${date}-${titleSlug(report.title)}${file.suffix}.${file.extension}`;
}
