/**
 * A report as one self-contained HTML document, for a published review or a printout: the
 * headline figures, the verdict against the claim with its provenance, the lip-sync table, charts
 * (latency per event, histogram, correlation peak, frequency response) as inline SVG, the
 * per-event table, warnings, notes and how every figure is computed.
 *
 * Self-contained means nothing is fetched: the CSS is inline (style.ts), the charts are SVG built
 * as text (charts.ts), fonts are the reader's system fonts, and there is no script at all (a
 * Content Security Policy in the document forbids any anyway). Every string that comes from the
 * report (titles, setup text, device names, file names, notes, claim text, warning messages) is
 * user data and is HTML-escaped (text.ts); only numbers formatted here and fixed text are written
 * unescaped.
 */
import type { Report } from '../report-schema';
import { chartsSection } from './charts';
import { impulseResponseSection } from './impulse-sections';
import type { ResponseWindowId } from './response-views';
import { verdictSection } from './claim-sections';
import { groupSection } from './group-sections';
import { eventsSection, headerSection, headlineSection, lipSyncSection, methodsFooter, notesSection, setupSection, statisticsSection, warningsSection } from './sections';
import { STYLE } from './style';
import { esc } from './text';

export interface ReportHtmlOptions {
  /** Shown in the footer, e.g. "latency-lab 0.1.0 (latency-lab report)". Default: the report's software. */
  generatedBy?: string;
  /** The response window of the impulse-response section's magnitude and phase (default: room). */
  window?: ResponseWindowId;
}

/** Renders a report as one self-contained HTML document (no network, no script). */
export function renderReportHtml(report: Report, options: ReportHtmlOptions = {}): string {
  const generatedBy = options.generatedBy ?? `${report.software.name} ${report.software.version}`;
  const title = report.title.trim() === '' ? 'Untitled measurement' : report.title;
  const body = [
    headerSection(report),
    groupSection(report),
    headlineSection(report.analysis, report),
    verdictSection(report),
    lipSyncSection(report.analysis, report),
    chartsSection(report),
    impulseResponseSection(report, options.window),
    statisticsSection(report.analysis, report),
    setupSection(report),
    warningsSection(report.analysis),
    notesSection(report),
    eventsSection(report.analysis),
    methodsFooter(report, generatedBy),
  ].join('\n');
  return (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">\n` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    `<meta name="generator" content="${esc(generatedBy)}">\n` +
    `<title>${esc(title)} · Latency Lab report</title>\n<style>${STYLE}</style>\n</head>\n<body>\n${body}\n</body>\n</html>\n`
  );
}
