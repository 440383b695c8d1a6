import { describe, expect, it } from 'vitest';
import { avEventsCsv, AV_EVENTS_CSV_HEADER } from './av-csv';
import { AV_REPORT_KIND, defaultAvTitle, formatOffset, isAvReport, MAX_AV_EVENTS, parseAvReport, parseStoredReport, parseStoredReportText } from './av-report';
import { refusedAvReport, sampleAvReport, simulatedAvOutput } from './av-report-test-fixtures';
import { AV_EXPORT_FORMATS, EXPORT_FORMATS } from './export-file';
import { avExportRefusal, renderExport } from './export-renderer';
import { renderAvReportHtml } from './html/av-report-html';
import { ReportError } from './report-schema';

const { output: okOutput, trueOffsetMs } = simulatedAvOutput();
const okReport = sampleAvReport;
const refused = refusedAvReport();

const issuesOf = (data: unknown): string => {
  try {
    parseStoredReport(data);
  } catch (error) {
    expect(error).toBeInstanceOf(ReportError);
    return (error as Error).message;
  }
  throw new Error('the report was accepted');
};

describe('A/V report', () => {
  it('the simulated recording gives a result that holds the truth (the fixture the rest relies on)', () => {
    expect(okOutput.status).toBe('ok');
    expect(Math.abs(okOutput.av!.offsetMs - trueOffsetMs)).toBeLessThanOrEqual(okOutput.av!.uncertaintyMs);
  });

  it('round-trips through JSON unchanged, and parseStoredReport tells it from an audio report by kind', () => {
    const report = okReport();
    const text = JSON.stringify(report);
    const back = parseStoredReportText(text);
    expect(back).toEqual(report);
    expect(isAvReport(back)).toBe(true);
    expect(back.kind).toBe(AV_REPORT_KIND);
    expect(parseStoredReportText(`\uFEFF${JSON.stringify(refused)}`)).toEqual(refused);
  });

  it('names itself from the offset when no title is given', () => {
    expect(refused.title).toBe('A/V recording refused (NO_CLICKS)');
    expect(defaultAvTitle(okOutput)).toBe(`A/V offset ${formatOffset(okOutput.av!.offsetMs)} ± ${okOutput.av!.uncertaintyMs.toFixed(1)} ms`);
    expect(formatOffset(42.06)).toBe('+42.1 ms');
    expect(formatOffset(-3)).toBe('−3.0 ms');
    expect(formatOffset(-0.01)).toBe('0.0 ms');
  });

  it('refuses invalid and hostile files with a specific reason', () => {
    const report = okReport();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON document edited field by field
    const json = JSON.parse(JSON.stringify(report)) as Record<string, any>;
    expect(issuesOf([])).toMatch(/not a Latency Lab report: the file is not a JSON object/);
    expect(issuesOf({ ...json, kind: 'something' })).toMatch(/"kind" is "something", expected "latency-lab-report" or "latency-lab-av-report"/);
    expect(issuesOf({ ...json, kind: 'latency-lab-av-result' })).toMatch(/earlier development build/);
    expect(issuesOf({ ...json, schemaVersion: 2 })).toMatch(/schemaVersion 2, newer than this Latency Lab understands \(1\)/);
    expect(issuesOf({ ...json, schemaVersion: '1' })).toMatch(/no valid schemaVersion/);
    expect(issuesOf({ ...json, extra: 1 })).toMatch(/Unrecognized key/i);
    expect(issuesOf({ ...json, id: '../../etc' })).toMatch(/id: id must be 6-64 letters/);
    expect(issuesOf({ ...json, analysis: { ...json.analysis, av: undefined } })).toMatch(/analysis\.av: a result \(status "ok"\) must hold its figures/);
    expect(issuesOf({ ...json, analysis: { ...json.analysis, status: 'refused' } })).toMatch(/a refusal must say why/);
    expect(issuesOf({ ...json, analysis: { ...json.analysis, av: { ...json.analysis.av, offsetMs: 'NaN' } } })).toMatch(/analysis\.av\.offsetMs/);
    expect(issuesOf({ ...json, analysis: { ...json.analysis, av: { ...json.analysis.av, uncertaintyMs: -1 } } })).toMatch(/analysis\.av\.uncertaintyMs/);
    const many = Array.from({ length: MAX_AV_EVENTS + 1 }, () => json.analysis.av.events[0]);
    expect(issuesOf({ ...json, analysis: { ...json.analysis, av: { ...json.analysis.av, events: many } } })).toMatch(/at most 5000 events/);
    expect(issuesOf({ ...json, settings: { ...json.settings, videoFile: 'a\u0000b' } })).toMatch(/settings\.videoFile: must not contain control characters/);
    expect(issuesOf({ ...json, settings: { ...json.settings, distanceM: -1 } })).toMatch(/settings\.distanceM/);
    expect(() => parseStoredReportText('')).toThrow(/not valid JSON \(it is empty\)/);
    expect(() => parseStoredReportText('MZ\u0090\u0000')).toThrow(/starts with the bytes 4D 5A/);
    expect(() => parseAvReport({ kind: 'latency-lab-report', schemaVersion: 3 })).toThrow(/not a Latency Lab A\/V report/);
  });

  it('the events CSV has one row per event with the offsets as measured', () => {
    const report = okReport();
    const lines = avEventsCsv(report).trimEnd().split('\n');
    expect(lines[0]).toBe(AV_EVENTS_CSV_HEADER);
    expect(lines.length).toBe(report.analysis.av!.events.length + 1);
    const first = report.analysis.av!.events[0];
    const cells = lines[1].split(',');
    expect(Number(cells[0])).toBe(first.index);
    expect(Number(cells[2])).toBeCloseTo(first.offsetMs, 4);
    expect(cells[6]).toBe(first.status);
    expect(() => avEventsCsv(refused)).toThrow(/refused the recording \(NO_CLICKS\)/);
  });

  it('HTML: offset with its uncertainty, verdicts, chart, budget; user text escaped; no script', () => {
    const report = okReport({ title: '<script>alert(1)</script>', notes: '<img src=x onerror=alert(1)>' });
    const html = renderAvReportHtml(report);
    const av = report.analysis.av!;
    expect(html).toContain(`${formatOffset(av.offsetMs)} ± ${av.uncertaintyMs.toFixed(1)} ms`);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    for (const v of report.analysis.lipSync!.verdicts) expect(html).toContain(v.standardName);
    expect(html).toContain('id="av-events"');
    expect(html).toContain('Uncertainty budget');
    const refusedHtml = renderAvReportHtml(refused);
    expect(refusedHtml).toContain('No result');
    expect(refusedHtml).toContain('NO_CLICKS');
    expect(refusedHtml).not.toContain('id="av-events"');
  });

  it('exports: JSON, HTML, PDF and the events CSV; every audio-only format refused with the reason', () => {
    const report = okReport();
    const json = renderExport(report, null, 'json');
    expect(json.kind === 'file' && parseStoredReportText(json.content as string)).toEqual(report);
    const html = renderExport(report, null, 'html');
    expect(html.kind === 'file' && (html.content as string).startsWith('<!DOCTYPE html>')).toBe(true);
    expect(renderExport(report, null, 'pdf').kind).toBe('print');
    for (const format of EXPORT_FORMATS) {
      if ((AV_EXPORT_FORMATS as readonly string[]).includes(format)) continue;
      expect(() => renderExport(report, null, format)).toThrow(avExportRefusal(format)!);
    }
    expect(avExportRefusal('wav-capture')).toMatch(/keeps no audio of its own/);
    expect(avExportRefusal('csv-frequency-response')).toMatch(/no frequency response/);
  });
});
