/**
 * A/V reports for tests: the analysis of a simulated camera recording (a 12 s clip at 120 fps of a
 * chain with a known offset), computed once per test file, and a refusal.
 */
import { analyzeAvRecording } from '../av/av-analysis';
import { refusedOutput } from '../av/av-refusal';
import type { AvAnalysisOutput } from '../av/av-schema';
import { judgeAvAnalysis } from '../claims/av-judge';
import { simulateAvCamera } from '../simulation/av-camera';
import { createAvReport, type AvReport, type AvReportSettings } from './av-report';

let cached: { output: AvAnalysisOutput; trueOffsetMs: number } | null = null;

/** The judged analysis of a simulated recording, and the true offset it should hold. */
export function simulatedAvOutput(): { output: AvAnalysisOutput; trueOffsetMs: number } {
  if (!cached) {
    const recording = simulateAvCamera({ seed: 5, durationS: 12, cameraFps: 120, videoLatencyS: 0.03, audioLatencyS: 0.075, distanceM: 2, cameraOffsetMs: 4, displayPpm: 1000 });
    const output = judgeAvAnalysis(analyzeAvRecording(recording.video, recording.audio, { distanceM: 2, cameraOffsetMs: 4, cameraOffsetUncertaintyMs: 0.5 }));
    cached = { output, trueOffsetMs: recording.trueOffsetMs };
  }
  return cached;
}

export const AV_TEST_SETTINGS: AvReportSettings = {
  source: 'file', videoFile: 'clip.mp4', codec: 'avc1.64001f', setupDescription: 'TV → soundbar', distanceM: 2, cameraOffsetMs: 4, cameraOffsetUncertaintyMs: 0.5, cameraName: 'Phone', patternFps: 60,
};

/** A valid A/V report with a result. */
export function sampleAvReport(overrides: { id?: string; title?: string; notes?: string; createdAt?: Date } = {}): AvReport {
  return createAvReport({
    id: overrides.id ?? 'av-test-0001', title: overrides.title ?? 'Living room', softwareVersion: '0.1.0', source: 'app', settings: AV_TEST_SETTINGS,
    analysis: simulatedAvOutput().output, createdAt: overrides.createdAt ?? new Date('2026-12-06T10:00:00Z'), notes: overrides.notes ?? '',
  });
}

/** A valid A/V report of a refused recording. */
export function refusedAvReport(id = 'av-test-0002'): AvReport {
  return createAvReport({
    id, title: '', softwareVersion: '0.1.0', source: 'cli', settings: { ...AV_TEST_SETTINGS, source: 'cli', cameraOffsetMs: null, cameraOffsetUncertaintyMs: 0, cameraName: null },
    analysis: refusedOutput('NO_CLICKS', 'The audio has 0 clicks.'),
  });
}
