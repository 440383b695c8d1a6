import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../host/host-api';
import { analysisOptions, cameraNameProblem, parseDistance, parseKnownOffset, withCameraOffset } from './av-inputs';

const calibration = {
  version: 1 as const, cameraOffsetMs: 11.25, uncertaintyMs: 0.9, uncertaintyBudget: { statisticalMs: 0.3, rollingShutterMs: 0, timestampMs: 0, displayRefreshMs: 0.5, referenceMs: 0.2 },
  measuredOffsetMs: 13.25, referenceOffsetMs: 2, referenceUncertaintyMs: 0.2, distanceM: 0.5, travelMs: 1.46, videoFps: 240, videoWidth: 1920, videoHeight: 1080, count: 14, stdMs: 0.4, events: [], rollingShutterMs: 0, confidence: 0.9,
};

describe('A/V page inputs', () => {
  it('reads the distance and offsets as numbers in range, or says what is wrong', () => {
    expect(parseDistance(' 2,5 ')).toEqual({ ok: true, value: 2.5 });
    expect(parseKnownOffset('−12.5')).toEqual({ ok: true, value: -12.5 });
    expect(parseDistance('')).toEqual({ ok: false, error: expect.stringMatching(/^Enter the distance/) });
    expect(parseDistance('2 m')).toEqual({ ok: false, error: expect.stringMatching(/must be a number in m/) });
    expect(parseDistance('150')).toEqual({ ok: false, error: 'The distance from the speaker to the camera must be 0 to 100 m; 150 is outside.' });
    expect(parseKnownOffset('0x10').ok).toBe(false);
  });

  it('analysis options: an uncalibrated camera passes null, a calibrated one its offset and uncertainty', () => {
    expect(analysisOptions(3, null, 1 / 600)).toEqual({ distanceM: 3, cameraOffsetMs: null, cameraOffsetUncertaintyMs: 0, timestampResolutionS: 1 / 600 });
    const camera = { name: 'Phone', offsetMs: 7, uncertaintyMs: 0.5, measuredAt: '2026-12-06T10:00:00.000Z', method: '', videoFps: 240 };
    expect(analysisOptions(0, camera, 0)).toEqual({ distanceM: 0, cameraOffsetMs: 7, cameraOffsetUncertaintyMs: 0.5, cameraCalibrationFps: 240 });
    expect(analysisOptions(0, { ...camera, videoFps: null }, 0)).toEqual({ distanceM: 0, cameraOffsetMs: 7, cameraOffsetUncertaintyMs: 0.5 });
  });

  it('stores a calibration per camera name (the newest replaces an older one)', () => {
    const now = new Date('2026-12-06T11:00:00Z');
    const once = withCameraOffset(DEFAULT_SETTINGS, '  Phone 240 ', calibration, 'pattern on this laptop', now);
    expect(once.cameraOffsets).toEqual([{ name: 'Phone 240', offsetMs: 11.25, uncertaintyMs: 0.9, measuredAt: '2026-12-06T11:00:00.000Z', method: 'pattern on this laptop', videoFps: 240 }]);
    const twice = withCameraOffset(once, 'Phone 240', { ...calibration, cameraOffsetMs: 10 }, 'again', now);
    expect(twice.cameraOffsets!.map((c) => c.offsetMs)).toEqual([10]);
  });

  it('a camera needs a name', () => {
    expect(cameraNameProblem('  ')).toMatch(/Name the camera/);
    expect(cameraNameProblem('x'.repeat(201))).toMatch(/at most 200/);
    expect(cameraNameProblem('Phone')).toBeNull();
  });
});
