// The test tsconfig does not include shared/primitives/types; the fixtures reach shared/primitives/fft.ts.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../../../shared/primitives/types/fft-js.d.ts" />
import { describe, expect, it } from 'vitest';
import { findClaim } from '../../../shared/claims/claims-catalogue';
import { parseReport } from '../../../shared/report/report-schema';
import { DEFAULT_SETTINGS } from '../../host/host-api';
import { okAnalysis, refusedAnalysis } from '../../test-support/test-fixtures';
import { buildMeasurementReport, defaultTitle, type ReportParts } from './build-report';
import { defaultSetup } from './measure-setup';

const parts = (overrides: Partial<ReportParts> = {}): ReportParts => ({
  id: '0d4f1c3e-0000-4000-8000-000000000001',
  createdAt: new Date('2026-03-01T10:00:00Z'),
  setup: { ...defaultSetup(DEFAULT_SETTINGS), setupDescription: '  JBL over Bluetooth  ', videoLatencyMs: 20 },
  input: { id: 'mic', label: 'USB mic' },
  output: { id: 'default', label: 'System default output' },
  options: { claim: findClaim('speaker-jbl-flip-6') ?? null, baselineMs: 11.5, videoLatencyMs: 20, maxLatencyMs: 2000, weighting: 'phat', smoothing: 12 },
  captureSettings: { echoCancellation: false, noiseSuppression: false, autoGainControl: false, sampleRate: 48000, channelCount: 1 },
  signal: { kind: 'click', sampleRate: 48000, durationS: 10, levelDbfs: -6, seed: 1, referenceFile: null, captureFile: null },
  analysis: okAnalysis(),
  correlationZoom: { eventIndex: 3, lagMs: [10, 10.1, 10.2], value: [0.2, 1, 0.3] },
  notes: ['first', 'second'],
  ...overrides,
});

describe('measurement report', () => {
  it('is a valid report with the devices, claim snapshot, baseline, capture settings and notes', () => {
    const report = buildMeasurementReport(parts());
    expect(parseReport(JSON.parse(JSON.stringify(report)))).toEqual(report);
    expect(report.software.source).toBe('app');
    expect(report.title).toBe('JBL over Bluetooth');
    expect(report.settings).toMatchObject({
      mode: 'single',
      inputDevice: { id: 'mic', label: 'USB mic' },
      setupDescription: 'JBL over Bluetooth',
      claimId: 'speaker-jbl-flip-6',
      baselineMs: 11.5,
      videoLatencyMs: 20,
      maxLatencyMs: 2000,
      captureSettings: { echoCancellation: false, sampleRate: 48000 },
    });
    expect(report.settings.claim?.source.quote).toBeTruthy();
    expect(report.notes).toBe('first\nsecond');
    expect(report.correlationZoom).toEqual({ eventIndex: 3, lagMs: [10, 10.1, 10.2], value: [0.2, 1, 0.3] });
    expect(report.createdAt).toBe('2026-03-01T10:00:00.000Z');
  });

  it('a refusal is still a report', () => {
    const report = buildMeasurementReport(parts({ analysis: refusedAnalysis(), options: { maxLatencyMs: 2000 }, correlationZoom: null }));
    expect(report.analysis.status).toBe('refused');
    expect(report.settings.claim).toBeNull();
  });

  it('titles: an override, the description, else what was played and where', () => {
    const p = parts();
    expect(defaultTitle({ ...p, title: 'Baseline: a → b' })).toBe('Baseline: a → b');
    expect(defaultTitle({ ...p, setup: { ...p.setup, setupDescription: ' ' } })).toBe('Click train via System default output');
    expect(defaultTitle({ ...p, setup: { ...p.setup, setupDescription: '', mode: 'long', longRunMinutes: 5 } })).toBe('Long run (5 min) via System default output');
  });

  it('a run against a timing reference is a dual-channel report', () => {
    const report = buildMeasurementReport(parts({ timingReference: true, options: { maxLatencyMs: 2000, minLatencyMs: -500, weighting: 'phat', smoothing: 12, videoLatencyMs: 0 } }));
    expect(parseReport(JSON.parse(JSON.stringify(report)))).toEqual(report);
    expect(report.settings.mode).toBe('dual-channel');
    expect(report.settings.baselineMs).toBeNull();
  });

  it('records the microphone calibration file the analysis applied, and none when it applied none', () => {
    const micCalibration = { points: [{ hz: 20, db: -1, phaseDeg: null }, { hz: 20000, db: 1, phaseDeg: null }], sensitivityDb: -1.378, serial: '7001234' };
    const calibrated = buildMeasurementReport(parts({ options: { maxLatencyMs: 2000, micCalibration }, micCalibrationFile: 'umik-1 7001234.txt' }));
    expect(calibrated.settings.micCalibrationFile).toBe('umik-1 7001234.txt');
    expect(buildMeasurementReport(parts({ micCalibrationFile: 'umik-1 7001234.txt' })).settings.micCalibrationFile).toBeNull();
    expect(buildMeasurementReport(parts()).settings.micCalibrationFile).toBeNull();
  });
});
