import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../analysis/analyze-capture';
import { judgeAnalysis } from '../claims/judge';
import { createReport, type Report } from '../report/report-schema';
import { generateClickTrain } from '../stimulus/click-train';
import { renderVaryingClicks } from '../simulation/time-varying-path';
import { refusedAvReport, sampleAvReport } from '../report/av-report-test-fixtures';
import { libraryEntrySchema } from './ipc-contract';
import { libraryEntryOf } from './library-entry';
import { outputsReport } from '../report/group-test-support';

const RATE = 48000;

function report(lagFrames: (i: number, frame: number) => number, mode: 'single' | 'dual-channel'): Report {
  const train = generateClickTrain({ sampleRate: RATE, durationS: 12, seed: 3 });
  const { capture } = renderVaryingClicks(train.shape, train.clickFrames, train.samples.length + RATE / 2, lagFrames);
  return createReport({
    id: 'library-entry-01', title: 'Step', createdAt: '2026-12-01T10:00:00.000Z', source: 'cli',
    settings: {
      mode, inputDevice: null, outputDevice: null, setupDescription: '', claimId: null, claim: null, baselineMs: null,
      videoLatencyMs: 0, maxLatencyMs: 2000, weighting: 'phat', smoothing: 12, micCalibrationFile: null, captureSettings: null,
    },
    signal: { kind: 'click', sampleRate: RATE, durationS: 12, levelDbfs: -6, seed: 3, referenceFile: null, captureFile: null },
    analysis: judgeAnalysis(analyzeCapture(train.samples, capture, RATE)),
  });
}

describe('libraryEntryOf', () => {
  it('says when the path settled and that it was measured against a timing reference', () => {
    const stepAfter3s = report((_, frame) => (frame < 3 * RATE ? 0.16 * RATE : 0.15 * RATE), 'dual-channel');
    const entry = libraryEntryOf(stepAfter3s, false);
    expect(entry.timingReference).toBe(true);
    expect(entry.startupUntilS).not.toBeNull();
    expect(entry.startupUntilS as number).toBeGreaterThanOrEqual(3);
    expect(entry.startupUntilS as number).toBeLessThan(4.5);
    expect(entry.medianMs).toBeCloseTo(150, 2);
    expect(entry.modes).toBe(0);
    expect(entry).toMatchObject({ kind: 'latency', avOffsetMs: null, avUncertaintyMs: null });
  });

  it('counts the latencies an alternating path takes turns at; a stable path has neither', () => {
    const alternating = report((i) => ((i * 7) % 3 === 0 ? 0.2 * RATE : 0.12 * RATE), 'single');
    expect(libraryEntryOf(alternating, true)).toMatchObject({ modes: 2, timingReference: false, hasAudio: true });
    const stable = report(() => 0.1 * RATE + 0.25, 'single');
    expect(libraryEntryOf(stable, false)).toMatchObject({ modes: 0, startupUntilS: null });
  });

  it('lists an A/V measurement with its offset and uncertainty, and a refused one without them', () => {
    const report = sampleAvReport();
    const entry = libraryEntryOf(report, false);
    expect(libraryEntrySchema.parse(entry)).toEqual(entry);
    expect(entry).toMatchObject({ kind: 'av', status: 'ok', medianMs: null, hasAudio: false, setupDescription: 'TV → soundbar' });
    expect(entry.avOffsetMs).toBe(report.analysis.av!.offsetMs);
    expect(entry.avUncertaintyMs).toBe(report.analysis.av!.uncertaintyMs);
    expect(libraryEntryOf(refusedAvReport(), false)).toMatchObject({ kind: 'av', status: 'refused', avOffsetMs: null, avUncertaintyMs: null, confidence: null });
  });

  it('a run of several outputs lists how many, their spread and the sync verdict (its median is the whole train\'s, a mix); one output has no group', () => {
    const { report: outputs, truthMs } = outputsReport();
    const entry = libraryEntryOf(outputs, false);
    expect(libraryEntrySchema.parse(entry)).toEqual(entry);
    const group = entry.group;
    if (!group) throw new Error('no group summary');
    expect(group.kind).toBe('outputs');
    expect(group.count).toBe(2);
    expect(Math.abs((group.spreadMs ?? Number.NaN) - Math.abs(truthMs[1] - truthMs[0]))).toBeLessThan(1);
    expect(group.toleranceMs).toBe(outputs.group?.tolerance.toleranceMs);
    // 85 ms apart: beyond any default tolerance.
    expect(group.sync).toBe('beyond');
    const single = report(() => 0.15 * RATE, 'single');
    expect(libraryEntryOf(single, false).group).toBeNull();
  }, 60_000);
});
