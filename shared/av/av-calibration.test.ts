import { describe, expect, it } from 'vitest';
import { simulateAvCamera, type AvCameraOptions } from '../simulation/av-camera';
import { analyzeAvRecording } from './av-analysis';
import { avCalibrationOutputSchema, calibrateAvCamera } from './av-calibration';

// The camera under test records its sound 7 ms late and stamps each frame at the start of its
// exposure (half the exposure before its middle); what a calibration must find is the sum of both.
const camera = (fps: number) => ({ cameraFps: fps, exposureFraction: 0.5, cameraOffsetMs: 7, timestampOffsetS: -0.25 / fps });
const effectiveCameraOffsetMs = (fps: number): number => 7 + (1000 * 0.25) / fps;
// The reference: a computer's screen and speaker, 0.6 m away, whose A/V offset is known (the
// simulation's truth for that chain; its pixel response makes it a few ms, not zero).
// A 60 fps camera filming a 60 Hz display samples the same phases of its frames unless their
// clocks differ (59.94 against 60 Hz: 1000 ppm), so the recordings run 30 s at 1000 ppm.
const reference = (fps: number, seed: number): AvCameraOptions => ({ seed, durationS: fps <= 60 ? 30 : 20, videoLatencyS: 0.021, audioLatencyS: 0.024, distanceM: 0.6, displayPpm: 1000, ...camera(fps) });
// The chain to measure afterwards: a TV and soundbar, 2.5 m away.
const tv = (fps: number, seed: number): AvCameraOptions => ({ seed, durationS: fps <= 60 ? 30 : 20, videoLatencyS: 0.0452, audioLatencyS: 0.1181, distanceM: 2.5, displayPpm: 1000, ...camera(fps) });

describe('camera calibration', () => {
  it.each([
    [240, 2.5],
    [120, 4],
    [60, 6],
  ])('%i fps: finds the camera offset within its uncertainty, and a later measurement with it finds the true offset', (fps, targetMs) => {
    const ref = simulateAvCamera(reference(fps, 20 + fps));
    const cal = calibrateAvCamera(ref.video, ref.audio, { referenceOffsetMs: ref.trueOffsetMs, referenceUncertaintyMs: 0.2, distanceM: 0.6 });
    expect(() => avCalibrationOutputSchema.parse(cal)).not.toThrow();
    expect(cal.status, JSON.stringify(cal)).toBe('ok');
    if (cal.status !== 'ok') return;
    const c = cal.calibration;
    const error = c.cameraOffsetMs - effectiveCameraOffsetMs(fps);
    console.log(`${fps} fps calibration: camera ${c.cameraOffsetMs.toFixed(2)} ± ${c.uncertaintyMs.toFixed(2)} ms (truth ${effectiveCameraOffsetMs(fps).toFixed(2)}, error ${error.toFixed(2)}) ${JSON.stringify(c.uncertaintyBudget)}`);
    expect(Math.abs(error)).toBeLessThanOrEqual(c.uncertaintyMs);
    expect(c.uncertaintyMs).toBeLessThan(500 / fps);
    expect(c.uncertaintyBudget.referenceMs).toBe(0.2);
    expect(c.videoFps).toBeCloseTo(fps, 0);
    expect(c.travelMs).toBeCloseTo((1000 * 0.6) / 343, 6);

    const rec = simulateAvCamera(tv(fps, 40 + fps));
    const out = analyzeAvRecording(rec.video, rec.audio, { distanceM: 2.5, cameraOffsetMs: c.cameraOffsetMs, cameraOffsetUncertaintyMs: c.uncertaintyMs, cameraCalibrationFps: c.videoFps });
    expect(out.status, JSON.stringify(out.error)).toBe('ok');
    const av = out.av!;
    const uncalibrated = analyzeAvRecording(rec.video, rec.audio, { distanceM: 2.5 }).av!;
    console.log(`${fps} fps with it: true ${rec.trueOffsetMs.toFixed(2)}, measured ${av.offsetMs.toFixed(2)} ± ${av.uncertaintyMs.toFixed(2)} ms (uncalibrated ${uncalibrated.offsetMs.toFixed(2)} ± ${uncalibrated.uncertaintyMs.toFixed(2)})`);
    expect(Math.abs(av.offsetMs - rec.trueOffsetMs)).toBeLessThanOrEqual(av.uncertaintyMs);
    expect(av.uncertaintyMs).toBeLessThanOrEqual(targetMs);
    expect(av.cameraCalibrated).toBe(true);
    expect(av.uncertaintyBudget.calibrationMs).toBe(c.uncertaintyMs);
    expect(av.uncertaintyBudget.cameraMs).toBe(0);
    expect(out.warnings.map((w) => w.code)).not.toContain('CALIBRATION_OTHER_FRAME_RATE');
    // Uncalibrated, the camera's 7 ms are in the result: it is off by them.
    expect(Math.abs(uncalibrated.offsetMs - rec.trueOffsetMs - effectiveCameraOffsetMs(fps))).toBeLessThan(Math.max(1, av.uncertaintyMs));
  }, 30_000);

  it('a calibration made at another frame rate is used with a warning and ± half a frame', () => {
    const ref = simulateAvCamera(reference(240, 31));
    const cal = calibrateAvCamera(ref.video, ref.audio, { referenceOffsetMs: ref.trueOffsetMs, distanceM: 0.6 });
    if (cal.status !== 'ok') throw new Error(JSON.stringify(cal.error));
    // The same camera at 120 fps: its frames are stamped 1/480 s earlier in their exposure than at 240 fps.
    const rec = simulateAvCamera(tv(120, 32));
    const out = analyzeAvRecording(rec.video, rec.audio, { distanceM: 2.5, cameraOffsetMs: cal.calibration.cameraOffsetMs, cameraOffsetUncertaintyMs: cal.calibration.uncertaintyMs, cameraCalibrationFps: cal.calibration.videoFps });
    expect(out.status).toBe('ok');
    expect(out.warnings.map((w) => w.code)).toContain('CALIBRATION_OTHER_FRAME_RATE');
    expect(out.av!.uncertaintyBudget.cameraMs).toBeCloseTo(1000 / 120 / 2, 1);
    expect(Math.abs(out.av!.offsetMs - rec.trueOffsetMs)).toBeLessThanOrEqual(out.av!.uncertaintyMs);
    expect(() => analyzeAvRecording(rec.video, rec.audio, { cameraOffsetMs: 1, cameraCalibrationFps: 0 })).toThrow(/calibration's frame rate/);
  }, 30_000);

  it('the default reference is a display and speaker in sync (0 ms)', () => {
    const ref = simulateAvCamera({ ...reference(240, 3), durationS: 10 });
    const withDefault = calibrateAvCamera(ref.video, ref.audio, { distanceM: 0.6 });
    const withZero = calibrateAvCamera(ref.video, ref.audio, { distanceM: 0.6, referenceOffsetMs: 0 });
    expect(withDefault.status).toBe('ok');
    if (withDefault.status !== 'ok' || withZero.status !== 'ok') return;
    expect(withDefault.calibration.cameraOffsetMs).toBe(withZero.calibration.cameraOffsetMs);
    expect(withDefault.calibration.cameraOffsetMs).toBe(withDefault.calibration.measuredOffsetMs);
  });

  it('passes on the analysis\' refusals with their reasons', () => {
    const muted = simulateAvCamera({ ...reference(60, 4), durationS: 10, muted: true });
    const out = calibrateAvCamera(muted.video, muted.audio);
    expect(out.status).toBe('refused');
    if (out.status !== 'refused') return;
    expect(out.error.code).toBe('NO_CLICKS');
    expect(out.error.advice).toMatch(/speaker/);
    expect(calibrateAvCamera(muted.video, null).status === 'refused' && calibrateAvCamera(muted.video, null)).toMatchObject({ error: { code: 'NO_AUDIO' } });
  });

  it('refuses a reference offset that makes the camera offset impossible, and warns at a large one', () => {
    const ref = simulateAvCamera({ ...reference(120, 5), durationS: 10, audioLatencyS: 0.621 });
    // The truth is about 600 ms; claiming the reference is −500 ms leaves the camera 1.1 s late.
    const impossible = calibrateAvCamera(ref.video, ref.audio, { referenceOffsetMs: -500, distanceM: 0.6 });
    expect(impossible.status === 'refused' && impossible.error.code).toBe('CAMERA_OFFSET_OUT_OF_RANGE');
    expect(impossible.status === 'refused' && impossible.error.message).toMatch(/-500\.0 ms/);
    // Claiming it is in sync leaves the camera about 0.6 s late: possible, but suspicious.
    const large = calibrateAvCamera(ref.video, ref.audio, { distanceM: 0.6 });
    expect(large.status).toBe('ok');
    expect(large.warnings.map((w) => w.code)).toContain('LARGE_CAMERA_OFFSET');
  });

  it('refuses a calibration no better than half a frame', () => {
    // At 60 fps half a frame is 8.3 ms: a reference known to ±9 ms cannot calibrate the camera.
    const ref = simulateAvCamera({ ...reference(60, 6), durationS: 10 });
    const out = calibrateAvCamera(ref.video, ref.audio, { referenceOffsetMs: ref.trueOffsetMs, referenceUncertaintyMs: 9, distanceM: 0.6 });
    expect(out.status === 'refused' && out.error.code).toBe('CALIBRATION_TOO_UNCERTAIN');
    expect(out.status === 'refused' && out.error.message).toMatch(/half a frame \(8\.3 ms\)/);
    expect(calibrateAvCamera(ref.video, ref.audio, { referenceOffsetMs: ref.trueOffsetMs, referenceUncertaintyMs: 1, distanceM: 0.6 }).status).toBe('ok');
  });

  it('bad options are errors, not refusals', () => {
    const ref = simulateAvCamera({ ...reference(60, 7), durationS: 4 });
    expect(() => calibrateAvCamera(ref.video, ref.audio, { referenceOffsetMs: Number.NaN })).toThrow(/reference's A\/V offset/);
    expect(() => calibrateAvCamera(ref.video, ref.audio, { referenceOffsetMs: 2000 })).toThrow(/±1000 ms/);
    expect(() => calibrateAvCamera(ref.video, ref.audio, { referenceUncertaintyMs: -1 })).toThrow(/uncertainty/);
    expect(() => calibrateAvCamera(ref.video, ref.audio, { distanceM: -1 })).toThrow(/distance/);
  });
});
