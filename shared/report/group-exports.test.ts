import { beforeAll, describe, expect, it } from 'vitest';
import { groupLatencySeries } from './chart-math';
import { guidedReport, outputsReport, speakersReport } from './group-test-support';
import { groupView } from './group-view';
import { renderReportHtml } from './html/report-html';
import { GROUP_CSV_HEADER, groupCsv, LATENCY_EVENTS_BY_OUTPUT_CSV_HEADER, latencyEventsCsv, ReportExportError } from './report-csv';
import type { Report } from './report-schema';

let outputs: { report: Report; truthMs: number[] };
let speakers: { report: Report; truthMs: number[] };

beforeAll(() => {
  outputs = outputsReport();
  speakers = speakersReport();
}, 60000);

const group = (report: Report): NonNullable<Report['group']> => {
  if (!report.group) throw new Error('no group');
  return report.group;
};

describe('groupView', () => {
  it('several outputs: a row per output named by its device, offsets from the first, the pair over the run', () => {
    const view = groupView(group(outputs.report));
    expect(view.title).toBe('Several outputs (2)');
    expect(view.rows.map((r) => r.name)).toEqual(['Output 1 (Left speaker)', 'Output 2 (Right speaker)']);
    view.rows.forEach((r, k) => expect(Math.abs((r.latencyMs ?? Number.NaN) - outputs.truthMs[k])).toBeLessThan(0.2));
    expect(view.rows[0].offsetMs).toBe(0);
    expect(Math.abs((view.rows[1].offsetMs ?? Number.NaN) - (outputs.truthMs[1] - outputs.truthMs[0]))).toBeLessThan(0.3);
    // +50 and −50 ppm: the second output's lag shrinks against the first's by about 100 ppm.
    expect(Math.abs((view.pairs[0].relativeDriftPpm ?? Number.NaN) + 100)).toBeLessThan(15);
    expect(view.spreadMs).toBeGreaterThan(80);
    expect(view.refusal).toBeNull();
  });

  it('one stream: speakers in order of arrival, offsets from the earliest', () => {
    const view = groupView(group(speakers.report));
    expect(view.rows.map((r) => r.name)).toEqual(['Speaker heard 1st', 'Speaker heard 2nd']);
    expect(view.rows[0].offsetMs).toBe(0);
    expect(Math.abs((view.spreadMs ?? Number.NaN) - (speakers.truthMs[1] - speakers.truthMs[0]))).toBeLessThan(0.2);
  });

  it('a refused one-stream run keeps what was found and gives advice for its reason', () => {
    const g = group(speakers.report);
    if (g.kind !== 'speakers' || g.result.status !== 'ok') throw new Error('fixture changed');
    const refused: NonNullable<Report['group']> = { ...g, result: { status: 'refused', reason: 'SAME_CLOCK', message: 'The second arrival keeps a fixed distance to the first.', found: g.result.speakers.slice(0, 1) }, verdicts: null };
    const view = groupView(refused);
    expect(view.rows).toHaveLength(1);
    expect(view.spreadMs).toBeNull();
    expect(view.refusal?.advice).toMatch(/guided mode/);
  });

  it('guided: a refused run names the speaker and the advice', () => {
    const view = groupView(group(guidedReport(speakers.report.analysis, true)));
    expect(view.refusal?.message).toMatch(/speaker 3/);
    expect(view.refusal?.advice).toMatch(/hand's width/);
    expect(view.rows.map((r) => r.name)).toEqual(['Speaker 1', 'Speaker 2']);
  });
});

describe('groupLatencySeries', () => {
  it('several outputs: every confident event of each output', () => {
    const series = groupLatencySeries(group(outputs.report), 20);
    const g = group(outputs.report);
    if (g.kind !== 'outputs') throw new Error('fixture changed');
    expect(series.map((s) => s.kind)).toEqual(['events', 'events']);
    series.forEach((s, k) => expect(s.points).toHaveLength(g.result.outputs[k].latency?.events.filter((e) => e.status === 'ok' && e.latencyMs !== null).length ?? -1));
  });

  it('speakers: drift lines through the median at mid-run', () => {
    const series = groupLatencySeries(group(guidedReport(speakers.report.analysis)), 60);
    // Speaker 1: 150.25 ms at +10 ppm: 0.3 ms lower at 0 s and 0.3 ms higher at 60 s.
    expect(series[0].points.map((p) => p.timeS)).toEqual([0, 60]);
    expect(series[0].points[0].latencyMs).toBeCloseTo(149.95, 9);
    expect(series[0].points[1].latencyMs).toBeCloseTo(150.55, 9);
    expect(() => groupLatencySeries(group(speakers.report), 0)).toThrow(/durationS/);
  });
});

describe('CSV of several speakers', () => {
  it('groupCsv: a row per output, the spread, the tolerance and the claim', () => {
    const text = groupCsv(outputs.report);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe(GROUP_CSV_HEADER);
    expect(lines.map((l) => l.split(',')[0])).toEqual(['row', 'output', 'output', 'spread', 'tolerance', 'claim', 'claim']);
    const latency = Number(lines[1].split(',')[3]);
    expect(Math.abs(latency - outputs.truthMs[0])).toBeLessThan(0.2);
    expect(lines[4]).toMatch(/^tolerance,±10\.0 ms \(stereo pair default\),+beyond,/);
    expect(lines[5]).toMatch(/^claim,Bluetooth multi-room latency variance,,,,,[\d.]+,,,better,/);
    expect(() => groupCsv({ ...outputs.report, group: null })).toThrow(ReportExportError);
  });

  it('the events CSV of several outputs has every output\'s events with its channel', () => {
    const text = latencyEventsCsv(outputs.report);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe(LATENCY_EVENTS_BY_OUTPUT_CSV_HEADER);
    const channels = new Set(lines.slice(1).map((l) => l.split(',')[1]));
    expect([...channels].sort()).toEqual(['1', '2']);
  });

  it('user text in a device name cannot start a formula', () => {
    const g = group(outputs.report);
    if (g.kind !== 'outputs') throw new Error('fixture changed');
    const hostile: Report = { ...outputs.report, group: { ...g, outputs: [{ channel: 1, device: { label: '=HYPERLINK("x")' } }, g.outputs[1]] } };
    expect(groupCsv(hostile)).toContain(`"Output 1 (=HYPERLINK(""x""))"`);
  });
});

describe('HTML report of several speakers', () => {
  it('shows the table, the spread, the sync verdict, the claim and one chart with a series per output', () => {
    const html = renderReportHtml(outputs.report);
    expect(html).toContain('<h2 id="h-group">Several outputs (2)</h2>');
    expect(html).toContain('Output 1 (Left speaker)');
    expect(html).toMatch(/<strong>Spread:<\/strong> \d+\.\d\d ms/);
    expect(html).toContain('Beyond tolerance');
    expect(html).toContain('Better than the claim');
    expect(html).toContain('Worse than the claim');
    expect(html).toContain('id="chart-group"');
    expect(html.match(/class="group-pt series-\d"/g)).toHaveLength(2);
    expect(html).toContain('the ordinary one-output analysis of the whole click train');
  });

  it('a refusal is shown with its advice, and user text is escaped', () => {
    const refused = guidedReport(speakers.report.analysis, true);
    const html = renderReportHtml(refused);
    expect(html).toContain('Refused.');
    expect(html).toContain('hand&#39;s width');
    const g = group(outputs.report);
    if (g.kind !== 'outputs') throw new Error('fixture changed');
    const hostile: Report = { ...outputs.report, group: { ...g, outputs: [{ channel: 1, device: { label: '<script>x</script>' } }, g.outputs[1]] } };
    const text = renderReportHtml(hostile);
    expect(text).not.toContain('<script>x');
    expect(text).toContain('&lt;script&gt;x');
  });

  it('a report of one output has no such section', () => {
    expect(renderReportHtml({ ...outputs.report, group: null })).not.toContain('h-group');
  });
});
