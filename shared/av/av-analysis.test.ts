import { describe, expect, it } from 'vitest';
import { simulateAvCamera, type AvCameraOptions } from '../simulation/av-camera';
import { analyzeAvRecording, type AvAnalysisOptions } from './av-analysis';
import { avAnalysisOutputSchema } from './av-schema';

// A TV-like chain: audio 112.3 ms late, video 31.2 ms, pixels 4/8 ms; the camera 2 m from the
// speaker, recording its sound 7 ms late; the display's clock 1000 ppm off the camera's (59.94 vs 60).
const chain = (overrides: Partial<AvCameraOptions>): AvCameraOptions => ({
  seed: 1, durationS: 20, cameraFps: 240, videoLatencyS: 0.0312, audioLatencyS: 0.1123, distanceM: 2, cameraOffsetMs: 7, displayPpm: 1000, ...overrides,
});
const calibrated: AvAnalysisOptions = { distanceM: 2, cameraOffsetMs: 7 };

function measure(options: AvCameraOptions, analysis: AvAnalysisOptions = calibrated) {
  const recording = simulateAvCamera(options);
  const output = analyzeAvRecording(recording.video, recording.audio, analysis);
  expect(() => avAnalysisOutputSchema.parse(output)).not.toThrow();
  return { recording, output };
}

describe('A/V offset from a simulated camera recording', () => {
  const cases: Array<[string, Partial<AvCameraOptions>, AvAnalysisOptions, number]> = [
    ['240 fps', { cameraFps: 240 }, calibrated, 2.5],
    ['240 fps, short exposure, seed 2', { cameraFps: 240, exposureFraction: 0.1, seed: 2 }, calibrated, 2.5],
    ['120 fps', { cameraFps: 120, seed: 3 }, calibrated, 4],
    ['120 fps, rolling shutter 6 ms', { cameraFps: 120, readoutS: 0.006, seed: 4 }, calibrated, 4],
    ['120 fps, variable frame rate (timestamps kept)', { cameraFps: 120, frameJitter: 0.15, seed: 5 }, calibrated, 4],
    ['60 fps, 30 s', { cameraFps: 60, durationS: 30, seed: 6 }, calibrated, 6],
    ['60 fps, auto exposure ±30 %', { cameraFps: 60, durationS: 30, autoExposure: 0.3, seed: 7 }, calibrated, 6],
    ['30 fps', { cameraFps: 30, seed: 8 }, calibrated, 12],
    ['240 fps, locked to the display (37 ppm)', { cameraFps: 240, displayPpm: 37, seed: 9 }, calibrated, 3.5],
    ['240 fps, uncalibrated camera', { cameraFps: 240, cameraOffsetMs: 0, seed: 10 }, { distanceM: 2 }, 4],
    ['sound 0.9 s late', { audioLatencyS: 0.93, seed: 11 }, calibrated, 2.5],
    ['sound 0.8 s early', { audioLatencyS: 0.01, videoLatencyS: 0.81, seed: 12 }, calibrated, 2.5],
  ];
  it.each(cases)('%s: the true offset lies within the reported uncertainty', (_name, overrides, analysis, maxUncertaintyMs) => {
    const { recording, output } = measure(chain(overrides), analysis);
    expect(output.status, JSON.stringify(output.error)).toBe('ok');
    const av = output.av!;
    const error = av.offsetMs - recording.trueOffsetMs;
    console.log(`${_name}: true ${recording.trueOffsetMs.toFixed(2)} ms, measured ${av.offsetMs.toFixed(2)} ± ${av.uncertaintyMs.toFixed(2)} ms (error ${error.toFixed(2)}, ${av.count} events)`);
    expect(Math.abs(error)).toBeLessThanOrEqual(av.uncertaintyMs);
    expect(av.uncertaintyMs).toBeLessThanOrEqual(maxUncertaintyMs);
    expect(av.travelMs).toBeCloseTo((1000 * (analysis.distanceM ?? 0)) / 343, 6);
  });

  it('reports the rolling shutter it corrected', () => {
    const { output } = measure(chain({ cameraFps: 120, readoutS: 0.006, seed: 4, durationS: 12 }));
    expect(output.av!.rollingShutterMs).toBeGreaterThan(4.5);
    expect(output.av!.rollingShutterMs).toBeLessThan(7.5);
    expect(output.warnings.map((w) => w.code)).toContain('ROLLING_SHUTTER');
  });

  it('says when the camera is not calibrated', () => {
    const { output } = measure(chain({ durationS: 10, cameraFps: 120 }), {});
    expect(output.av!.cameraCalibrated).toBe(false);
    expect(output.av!.uncertaintyBudget.cameraMs).toBeCloseTo(1000 / 120 / 2, 1);
    expect(output.warnings.map((w) => w.code)).toContain('CAMERA_NOT_CALIBRATED');
  });
});

describe('refusals', () => {
  const short = (overrides: Partial<AvCameraOptions>): AvCameraOptions => chain({ durationS: 10, cameraFps: 60, ...overrides });
  it('no audio track', () => {
    const recording = simulateAvCamera(short({}));
    expect(analyzeAvRecording(recording.video, null).error?.code).toBe('NO_AUDIO');
  });
  it('a muted speaker: no clicks', () => {
    const { output } = measure(short({ muted: true }));
    expect(output.error?.code).toBe('NO_CLICKS');
    expect(output.error?.advice).toMatch(/speaker/);
  });
  it('a screen too small', () => {
    expect(measure(short({ screenRect: [0.5, 0.5, 0.04, 0.06] })).output.error?.code).toBe('SCREEN_TOO_SMALL');
  });
  it('an over-exposed screen', () => {
    expect(measure(short({ exposureGain: 40 })).output.error?.code).toBe('OVER_EXPOSED');
  });
  it('a frame rate too low', () => {
    expect(measure(short({ cameraFps: 15 })).output.error?.code).toBe('FRAME_RATE_TOO_LOW');
  });
  it('variable frame rate without timestamps', () => {
    const recording = simulateAvCamera(short({ frameJitter: 0.3 }));
    const output = analyzeAvRecording({ ...recording.video, timestampsS: null }, recording.audio, calibrated);
    expect(output.error?.code).toBe('VARIABLE_FRAME_RATE');
  });
  it('constant frame rate without timestamps is accepted, with a warning', () => {
    const recording = simulateAvCamera(short({}));
    const shifted = recording.video.timestampsS![0];
    const output = analyzeAvRecording({ ...recording.video, timestampsS: null }, { ...recording.audio, startS: -shifted }, calibrated);
    expect(output.status).toBe('ok');
    expect(output.warnings.map((w) => w.code)).toContain('NO_TIMESTAMPS');
    expect(Math.abs(output.av!.offsetMs - recording.trueOffsetMs)).toBeLessThanOrEqual(output.av!.uncertaintyMs);
  });
  it('no pattern: a still picture', () => {
    const recording = simulateAvCamera(short({ screenRect: [0, 0, 0, 0] }));
    expect(analyzeAvRecording(recording.video, recording.audio).error?.code).toBe('NO_PATTERN');
  });
});
