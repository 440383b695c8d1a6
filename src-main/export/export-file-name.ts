/**
 * Default export file names: `latency-lab-<date>-<title-slug>[-what].<ext>` (the same scheme as the
 * browser's downloads), built only from [a-z0-9-], so a title can never smuggle a path, a reserved
 * device name or a control character into a file name.
 */
import type { ExportFormatData } from '../../shared/ipc-contract';
import type { Report } from '../../shared/report-schema';
import { EXPORT_FORMATS } from './export-formats';

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

export function exportFileName(report: Report, format: ExportFormatData, today: Date = new Date()): string {
  const date = /^\d{4}-\d{2}-\d{2}/.exec(report.createdAt)?.[0] ?? today.toISOString().slice(0, 10);
  const info = EXPORT_FORMATS[format];
  return `latency-lab-${date}-${titleSlug(report.title)}${info.suffix}.${info.extension}`;
}
