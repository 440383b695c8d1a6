/**
 * The A/V report's per-event CSV, for spreadsheets: one row per event paired from a flash and its
 * click, plain CSV with a header row and no comment lines; fields go through csvField, so no cell
 * can run as a formula. A refused recording has no events and is refused with the reason.
 */
import type { AvReport } from './av-report';
import { csvField, ReportExportError } from './report-csv';

export const AV_EVENTS_CSV_HEADER = 'event,time_s,offset_ms,confidence,flash_std_err_ms,click_peak_to_noise_db,status';

function fixed(value: number, digits: number): string {
  if (!Number.isFinite(value)) throw new ReportExportError(`cannot export the non-finite value ${value}`);
  const text = value.toFixed(digits);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

export function avEventsCsv(report: AvReport): string {
  const av = report.analysis.av;
  if (report.analysis.status !== 'ok' || !av) {
    throw new ReportExportError(`the A/V report has no events: the analysis refused the recording (${report.analysis.error?.code ?? 'no result'})`);
  }
  const rows = [AV_EVENTS_CSV_HEADER];
  for (const e of av.events) {
    rows.push([String(e.index), fixed(e.timeS, 6), fixed(e.offsetMs, 4), fixed(e.confidence, 4), fixed(e.flashStdErrMs, 4), fixed(e.clickPeakToNoiseDb, 2), e.status].map(csvField).join(','));
  }
  return `${rows.join('\n')}\n`;
}
