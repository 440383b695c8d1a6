/**
 * Phone-like recordings: rolling shutter, variable frame rate (jittered and dropped frames, with
 * timestamps), auto exposure stepping the gain mid-recording. In every case the true offset lies
 * within the reported uncertainty, and the uncertainty meets the targets (2.5 ms at 240 fps,
 * 4 ms at 120, 6 ms at 60) with a calibrated camera.
 */
import { describe, expect, it } from 'vitest';
import { simulateAvCamera, type AvCameraOptions } from '../simulation/av-camera';
import { analyzeAvRecording, type AvAnalysisOptions } from './av-analysis';
import { avAnalysisOutputSchema } from './av-schema';

const chain = (overrides: Partial<AvCameraOptions>): AvCameraOptions => ({
  seed: 1, durationS: 20, cameraFps: 240, videoLatencyS: 0.0286, audioLatencyS: 0.0917, distanceM: 1.5, cameraOffsetMs: 4, displayPpm: 1000, ...overrides,
});
const calibrated: AvAnalysisOptions = { distanceM: 1.5, cameraOffsetMs: 4 };
const TARGET_MS: Record<number, number> = { 240: 2.5, 120: 4, 60: 6 };

function check(name: string, overrides: Partial<AvCameraOptions>) {
  const options = chain(overrides);
  const recording = simulateAvCamera(options);
  const output = analyzeAvRecording(recording.video, recording.audio, calibrated);
  expect(() => avAnalysisOutputSchema.parse(output)).not.toThrow();
  expect(output.status, JSON.stringify(output.error)).toBe('ok');
  const av = output.av!;
  const error = av.offsetMs - recording.trueOffsetMs;
  console.log(`${name}: true ${recording.trueOffsetMs.toFixed(2)} ms, measured ${av.offsetMs.toFixed(2)} ± ${av.uncertaintyMs.toFixed(2)} ms (error ${error.toFixed(2)}, ${av.count} of ${av.eventsPaired} events, readout ${av.rollingShutterMs.toFixed(1)} ms) ${JSON.stringify(av.uncertaintyBudget, (_k, v: unknown) => (typeof v === 'number' ? Number(v.toFixed(2)) : v))}`);
  expect(Math.abs(error)).toBeLessThanOrEqual(av.uncertaintyMs);
  expect(av.uncertaintyMs).toBeLessThanOrEqual(TARGET_MS[options.cameraFps]);
  return { recording, output, av };
}

describe('rolling shutter', () => {
  it.each<[string, Partial<AvCameraOptions>]>([
    ['240 fps, 4 ms readout, screen low in the picture', { readoutS: 0.004, screenRect: [0.25, 0.5, 0.45, 0.45], seed: 2 }],
    ['120 fps, 8 ms readout, screen high in the picture', { cameraFps: 120, readoutS: 0.008, screenRect: [0.1, 0.05, 0.5, 0.5], seed: 3 }],
    ['60 fps, 15 ms readout, 30 s', { cameraFps: 60, durationS: 30, readoutS: 0.015, seed: 4 }],
  ])('%s', (name, overrides) => {
    const { output, av } = check(name, overrides);
    // The readout is measured from the screen's rows and corrected.
    expect(av.rollingShutterMs).toBeGreaterThan(0.6 * 1000 * (overrides.readoutS ?? 0));
    expect(av.rollingShutterMs).toBeLessThan(1.4 * 1000 * (overrides.readoutS ?? 0));
    expect(output.warnings.map((w) => w.code)).toContain('ROLLING_SHUTTER');
  }, 30_000);
});

describe('variable frame rate (with timestamps)', () => {
  it.each<[string, Partial<AvCameraOptions>]>([
    ['240 fps, 8 % of frames dropped', { frameDropRate: 0.08, seed: 5 }],
    ['120 fps, intervals ±20 % and 5 % dropped', { cameraFps: 120, frameJitter: 0.2, frameDropRate: 0.05, seed: 6 }],
    ['60 fps, intervals ±10 %, 30 s', { cameraFps: 60, durationS: 30, frameJitter: 0.1, seed: 7 }],
  ])('%s', (name, overrides) => {
    const { output } = check(name, overrides);
    expect(output.warnings.map((w) => w.code)).not.toContain('NO_TIMESTAMPS');
    // A steady exposure is not reported as changing (noise alone must not trigger it).
    expect(output.warnings.map((w) => w.code)).not.toContain('EXPOSURE_CHANGES');
  }, 30_000);

  it('refuses dropped frames without timestamps (an assumed frame rate would misplace the flashes)', () => {
    const recording = simulateAvCamera(chain({ cameraFps: 120, durationS: 12, frameDropRate: 0.1, seed: 8 }));
    const output = analyzeAvRecording({ ...recording.video, timestampsS: null, nominalFps: 120 }, recording.audio, calibrated);
    expect(output.status).toBe('refused');
    expect(output.error?.code).toBe('VARIABLE_FRAME_RATE');
    expect(output.error?.advice).toMatch(/timestamps/);
  });
});

describe('auto exposure', () => {
  it.each<[string, Partial<AvCameraOptions>]>([
    ['240 fps, gain drops to 0.6 at once at 8 s', { exposureStep: { atS: 8.02, factor: 0.6 }, seed: 9 }],
    ['120 fps, gain rises to 1.6 over 0.4 s at 6 s', { cameraFps: 120, exposureStep: { atS: 6, factor: 1.6, rampS: 0.4 }, seed: 10 }],
    ['60 fps, gain halves at 12 s, 30 s', { cameraFps: 60, durationS: 30, exposureStep: { atS: 12, factor: 0.5 }, seed: 11 }],
  ])('%s', (name, overrides) => {
    const { output } = check(name, overrides);
    expect(output.warnings.map((w) => w.code)).toContain('EXPOSURE_CHANGES');
  }, 30_000);
});

describe('all at once', () => {
  it('240 fps phone: 5 ms readout, 4 % dropped frames, a gain step, frames stamped at exposure start (calibrated for)', () => {
    const stampS = -0.25 / 240;
    const recording = simulateAvCamera(chain({ readoutS: 0.005, frameDropRate: 0.04, exposureStep: { atS: 9.5, factor: 0.7, rampS: 0.2 }, timestampOffsetS: stampS, seed: 12 }));
    const output = analyzeAvRecording(recording.video, recording.audio, { distanceM: 1.5, cameraOffsetMs: 4 - 1000 * stampS, cameraOffsetUncertaintyMs: 0.4 });
    expect(output.status, JSON.stringify(output.error)).toBe('ok');
    const av = output.av!;
    console.log(`all at once: true ${recording.trueOffsetMs.toFixed(2)}, measured ${av.offsetMs.toFixed(2)} ± ${av.uncertaintyMs.toFixed(2)} ms`);
    expect(Math.abs(av.offsetMs - recording.trueOffsetMs)).toBeLessThanOrEqual(av.uncertaintyMs);
    expect(av.uncertaintyMs).toBeLessThanOrEqual(2.5);
  }, 30_000);
});
