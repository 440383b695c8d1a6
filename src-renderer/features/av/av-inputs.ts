/**
 * The A/V page's inputs, as pure functions: the distance and offset fields (text → a number in
 * range, or the reason it is not), the analysis options from the chosen camera, and storing a
 * camera's calibration in the settings (one per name, the newest wins).
 */
import type { AvAnalysisOptions } from '../../../shared/av/av-analysis';
import type { AvCameraCalibration } from '../../../shared/av/av-calibration';
import type { AppSettings, CameraOffset } from '../../host/host-api';

export type Parsed = { ok: true; value: number } | { ok: false; error: string };

/** A decimal number field in [min, max]; `what` names it in the message. */
export function parseNumberField(text: string, what: string, min: number, max: number, unit: string): Parsed {
  const trimmed = text.trim().replace(',', '.').replace('−', '-');
  if (trimmed === '') return { ok: false, error: `Enter the ${what} (${min} to ${max} ${unit}).` };
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(trimmed)) return { ok: false, error: `The ${what} must be a number in ${unit}, e.g. ${max > 10 ? '12.5' : '2.5'}.` };
  const value = Number(trimmed);
  if (value < min || value > max) return { ok: false, error: `The ${what} must be ${min} to ${max} ${unit}; ${value} is outside.` };
  return { ok: true, value };
}

export const parseDistance = (text: string): Parsed => parseNumberField(text, 'distance from the speaker to the camera', 0, 100, 'm');
export const parseKnownOffset = (text: string): Parsed => parseNumberField(text, 'known A/V offset of the display and speaker', -1000, 1000, 'ms');
export const parseKnownUncertainty = (text: string): Parsed => parseNumberField(text, 'uncertainty of that offset', 0, 100, 'ms');

/**
 * The analysis options for a measurement with the chosen camera (null: uncalibrated). The frame
 * rate it was calibrated at goes along: a recording at another one is warned about and widened.
 */
export function analysisOptions(distanceM: number, camera: CameraOffset | null, timestampResolutionS: number): AvAnalysisOptions {
  return {
    distanceM,
    cameraOffsetMs: camera ? camera.offsetMs : null,
    cameraOffsetUncertaintyMs: camera ? camera.uncertaintyMs : 0,
    ...(camera && camera.videoFps !== null ? { cameraCalibrationFps: camera.videoFps } : {}),
    ...(timestampResolutionS > 0 ? { timestampResolutionS } : {}),
  };
}

/** A camera's name as typed: trimmed, 1–200 characters, no control characters; or the reason it is not. */
export function cameraNameProblem(name: string): string | null {
  const t = name.trim();
  if (t === '') return 'Name the camera (e.g. “Phone, slow motion 240”), so that later recordings can use its offset.';
  if (t.length > 200) return `The camera name must be at most 200 characters (it has ${t.length}).`;
  if (/\p{Cc}/u.test(t)) return 'The camera name must not contain control characters.';
  return null;
}

/** The settings with this camera's calibration stored (replacing an earlier one of the same name). */
export function withCameraOffset(settings: AppSettings, name: string, calibration: AvCameraCalibration, method: string, now: Date = new Date()): AppSettings {
  const entry: CameraOffset = {
    name: name.trim(),
    offsetMs: calibration.cameraOffsetMs,
    uncertaintyMs: calibration.uncertaintyMs,
    measuredAt: now.toISOString(),
    method: method.slice(0, 500),
    videoFps: calibration.videoFps,
  };
  const others = (settings.cameraOffsets ?? []).filter((c) => c.name !== entry.name);
  return { ...settings, cameraOffsets: [...others, entry].slice(-100) };
}
