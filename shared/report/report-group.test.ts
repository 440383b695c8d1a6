import { beforeAll, describe, expect, it } from 'vitest';
import { guidedReport, outputsReport, speakersReport } from './group-test-support';
import { guidedGroup, outputsGroup, SYNC_TOLERANCE_DEFAULTS, syncTolerance } from './report-group';
import { parseReport, parseReportText, REPORT_SCHEMA_VERSION, ReportError, type Report } from './report-schema';

let outputs: { report: Report; truthMs: number[] };
let speakers: { report: Report; truthMs: number[] };

beforeAll(() => {
  outputs = outputsReport();
  speakers = speakersReport();
}, 60000);

const copy = (report: Report): Record<string, unknown> => JSON.parse(JSON.stringify(report)) as Record<string, unknown>;

describe('reports of several speakers (schemaVersion 4)', () => {
  it('several outputs: each output within 0.2 ms of the truth, the options and the verdicts recorded', () => {
    const group = outputs.report.group;
    if (group?.kind !== 'outputs') throw new Error('not an outputs group');
    expect(outputs.report.schemaVersion).toBe(5);
    expect(group.outputs.map((o) => o.device?.label)).toEqual(['Left speaker', 'Right speaker']);
    expect(group.tolerance).toEqual({ toleranceMs: 10, source: 'stereo-pair' });
    group.result.outputs.forEach((o, k) => expect(Math.abs((o.latency?.medianMs ?? Number.NaN) - outputs.truthMs[k])).toBeLessThan(0.2));
    // 85 ms apart: beyond ±10 ms from the start, better than the claimed 120–200 ms.
    expect(group.verdicts?.tolerance.outcome).toBe('beyond');
    expect(group.verdicts?.tolerance.exceedsToleranceAtS).toBe(0);
    expect(group.verdicts?.claims.map((c) => [c.claimId, c.outcome])).toEqual([['statement-multi-room-bluetooth-variance', 'better'], ['statement-dual-link-divergence-12', 'worse']]);
    // The ordinary analysis of every output's clicks together sees a path alternating between them.
    expect(outputs.report.analysis.status).toBe('ok');
  });

  it('one stream on two speakers: each within 0.2 ms of the truth; within ±40 ms across rooms', () => {
    const group = speakers.report.group;
    if (group?.kind !== 'speakers' || group.result.status !== 'ok') throw new Error('no speakers result');
    group.result.speakers.forEach((s, k) => expect(Math.abs(s.latencyMs - speakers.truthMs[k])).toBeLessThan(0.2));
    expect(group.verdicts?.tolerance.outcome).toBe('beyond');
    expect(group.verdicts?.tolerance.source).toBe('rooms');
  });

  it('round trip: JSON text back to the same report, for every kind of group', () => {
    const guided = guidedReport(speakers.report.analysis);
    for (const report of [outputs.report, speakers.report, guided]) {
      expect(parseReportText(JSON.stringify(report))).toEqual(report);
    }
    expect(guided.group?.kind === 'guided' && guided.group.result.status).toBe('ok');
    const weak = guidedReport(speakers.report.analysis, true);
    expect(weak.group?.kind === 'guided' && weak.group.result).toMatchObject({ status: 'refused', reason: 'NOT_DOMINANT', speaker: 3 });
    expect(weak.group?.verdicts).toBeNull();
    expect(parseReportText(JSON.stringify(weak))).toEqual(weak);
  });

  it('a version-3 report migrates with group null and its data unchanged', () => {
    const old = copy(speakers.report);
    delete old.group;
    old.schemaVersion = 3;
    const migrated = parseReport(old);
    expect(migrated.schemaVersion).toBe(REPORT_SCHEMA_VERSION);
    expect(migrated.group).toBeNull();
    expect(migrated.analysis).toEqual(speakers.report.analysis);
    expect(migrated.settings).toEqual(speakers.report.settings);
    // A version-3 report cannot smuggle a group in: it is dropped.
    const smuggled = copy(speakers.report);
    smuggled.schemaVersion = 3;
    expect(parseReport(smuggled).group).toBeNull();
  });

  it('the current version requires group (null for one output)', () => {
    const missing = copy(speakers.report);
    delete missing.group;
    expect(() => parseReport(missing)).toThrow(/group/);
  });
});

describe('hostile reports of several speakers are refused, naming the field', () => {
  const broken = (mutate: (group: Record<string, unknown>) => void): ReportError => {
    const data = copy(outputs.report);
    mutate(data.group as Record<string, unknown>);
    try {
      parseReport(data);
    } catch (error) {
      expect(error).toBeInstanceOf(ReportError);
      return error as ReportError;
    }
    throw new Error('the report was accepted');
  };

  it('an unknown kind, one output, nine outputs', () => {
    expect(broken((g) => { g.kind = 'choir'; }).issues[0]).toMatch(/^group\.kind/);
    expect(broken((g) => { g.outputs = (g.outputs as unknown[]).slice(0, 1); }).issues[0]).toMatch(/^group\.outputs/);
    expect(broken((g) => { g.outputs = Array.from({ length: 9 }, (_, k) => ({ channel: k + 1, device: null })); }).issues[0]).toMatch(/^group\.outputs/);
  });

  it('a tolerance that is not positive, or from an unknown source', () => {
    expect(broken((g) => { g.tolerance = { toleranceMs: -5, source: 'rooms' }; }).issues[0]).toMatch(/^group\.tolerance\.toleranceMs/);
    expect(broken((g) => { g.tolerance = { toleranceMs: 5, source: 'ears' }; }).issues[0]).toMatch(/^group\.tolerance\.source/);
  });

  it('a result with too many outputs, a NaN latency (null in JSON) or an overlong message', () => {
    expect(broken((g) => {
      const result = g.result as { outputs: unknown[] };
      result.outputs = Array.from({ length: 9 }, () => result.outputs[0]);
    }).issues[0]).toMatch(/^group\.result\.outputs/);
    expect(broken((g) => {
      const o = (g.result as { outputs: Array<{ latency: { medianMs: unknown } }> }).outputs[0];
      o.latency.medianMs = null;
    }).issues[0]).toMatch(/^group\.result\.outputs\.0\.latency\.medianMs/);
    expect(broken((g) => {
      (g.verdicts as { tolerance: { summary: string } }).tolerance.summary = 'x'.repeat(3000);
    }).issues[0]).toMatch(/^group\.verdicts\.tolerance\.summary/);
  });
});

describe('building a group', () => {
  it('the default tolerances carry their values and sources', () => {
    expect(SYNC_TOLERANCE_DEFAULTS.map((d) => [d.source, d.toleranceMs])).toEqual([['stereo-pair', 10], ['rooms', 40]]);
    for (const d of SYNC_TOLERANCE_DEFAULTS) expect(d.basis).toMatch(/Haas 1951/);
    expect(syncTolerance('rooms')).toEqual({ toleranceMs: 40, source: 'rooms' });
    expect(syncTolerance('custom', 25)).toEqual({ toleranceMs: 25, source: 'custom' });
    expect(() => syncTolerance('custom')).toThrow(/custom sync tolerance must be 0.1 to 10000 ms, got undefined/);
    expect(() => syncTolerance('custom', 0)).toThrow(/got 0/);
  });

  it('refuses to record a tolerance other than the one the analysis used', () => {
    const group = outputs.report.group;
    if (group?.kind !== 'outputs') throw new Error('not an outputs group');
    expect(() => outputsGroup(group.result, group.outputs, syncTolerance('rooms'))).toThrow(/±10 ms tolerance, not the ±40 ms/);
  });

  it('a guided group with a missing speaker is refused and has no verdicts', () => {
    const group = guidedGroup([{ nearSpeaker: 1, arrivals: [] }], 2, syncTolerance('stereo-pair'));
    expect(group.kind === 'guided' && group.result.status).toBe('refused');
    expect(group.verdicts).toBeNull();
  });
});
