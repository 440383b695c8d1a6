/**
 * The camera's own A/V offset, from a calibration recording: the camera films the A/V pattern
 * played by a display and a speaker whose own A/V offset is known (a computer's screen and speaker
 * measured in sync, or a TV whose offset was measured with a light sensor), from a known distance.
 *
 * The recording is analysed like any other (analyzeAvRecording) with no camera offset; what it
 * measures, minus the reference's known offset, is the camera's: the delay of its sound against its
 * picture, together with where in a frame's exposure it puts the frame's timestamp. Both depend on
 * the camera's mode, so a calibration holds for the frame rate (and resolution) it was made at;
 * `videoFps`, `videoWidth` and `videoHeight` are kept with it for that check.
 *
 * Uncertainty (half-width, about 95 %): the recording's own (statistical, rolling-shutter and
 * timestamp terms in quadrature with the reference's uncertainty, plus the display-frame-hold bound
 * linearly). Pass `uncertaintyMs` as `cameraOffsetUncertaintyMs` when the calibration is used:
 *
 *   const cal = calibrateAvCamera(video, audio, { referenceOffsetMs: 0, distanceM: 0.5 });
 *   if (cal.status === 'ok') analyzeAvRecording(v2, a2, { cameraOffsetMs: cal.calibration.cameraOffsetMs, cameraOffsetUncertaintyMs: cal.calibration.uncertaintyMs });
 *
 * Refusals: every refusal of the analysis (no pattern, no clicks, …) with its reason, and
 * CAMERA_OFFSET_OUT_OF_RANGE (the camera offset found is beyond ±1000 ms: the reference's offset is
 * wrong) and CALIBRATION_TOO_UNCERTAIN (no better than leaving the camera uncalibrated: half a frame).
 */
import { z } from 'zod';
import { analyzeAvRecording, type AvAudioTrack } from './av-analysis';
import { AV_REFUSAL_CODES, AV_WARNING_CODES, avEventSchema, type AvAnalysisOutput } from './av-schema';
import { avRefusal } from './av-refusal';
import type { LumaGridVideo } from './luma-grid';

export const AV_CALIBRATION_VERSION = 1;
/** Largest camera offset the analysis accepts (analyzeAvRecording's cameraOffsetMs range). */
export const MAX_CAMERA_OFFSET_MS = 1000;
/** Camera offsets beyond this are unusual (a camera's audio is rarely more than a few frames off): a warning. */
export const LARGE_CAMERA_OFFSET_MS = 100;

export const AV_CALIBRATION_REFUSAL_CODES = [...AV_REFUSAL_CODES, 'CAMERA_OFFSET_OUT_OF_RANGE', 'CALIBRATION_TOO_UNCERTAIN'] as const;
export type AvCalibrationRefusalCode = (typeof AV_CALIBRATION_REFUSAL_CODES)[number];
export const AV_CALIBRATION_WARNING_CODES = [...AV_WARNING_CODES, 'LARGE_CAMERA_OFFSET'] as const;

const finite = z.number().finite();

export const avCameraCalibrationSchema = z.object({
  version: z.literal(AV_CALIBRATION_VERSION),
  /** The camera's own A/V offset, ms (positive = it records sound late against its picture). Pass as cameraOffsetMs. */
  cameraOffsetMs: finite,
  /** Half-width of the interval the camera's offset lies in (about 95 %), ms. Pass as cameraOffsetUncertaintyMs. */
  uncertaintyMs: finite.nonnegative(),
  uncertaintyBudget: z.object({
    statisticalMs: finite.nonnegative(),
    rollingShutterMs: finite.nonnegative(),
    timestampMs: finite.nonnegative(),
    displayRefreshMs: finite.nonnegative(),
    /** The reference's own uncertainty, as given. */
    referenceMs: finite.nonnegative(),
  }),
  /** What the camera measured (median, travel time subtracted, no camera offset), ms. */
  measuredOffsetMs: finite,
  /** The reference's known A/V offset (display and speaker), ms, and its uncertainty. */
  referenceOffsetMs: finite,
  referenceUncertaintyMs: finite.nonnegative(),
  distanceM: finite.nonnegative(),
  travelMs: finite.nonnegative(),
  /** The camera's mode the calibration holds for. */
  videoFps: finite.positive(),
  videoWidth: z.number().int().positive(),
  videoHeight: z.number().int().positive(),
  /** Events used, and the spread of the camera offset between them, ms. */
  count: z.number().int().nonnegative(),
  stdMs: finite.nonnegative(),
  /** Per event: offsetMs is that event's camera offset. */
  events: z.array(avEventSchema),
  /** Top-to-bottom readout time seen (rolling shutter), ms. */
  rollingShutterMs: finite,
  confidence: z.number().min(0).max(1),
});
export type AvCameraCalibration = z.infer<typeof avCameraCalibrationSchema>;

const calibrationWarningSchema = z.object({ code: z.enum(AV_CALIBRATION_WARNING_CODES), message: z.string() });
export type AvCalibrationWarning = z.infer<typeof calibrationWarningSchema>;
const calibrationRefusalSchema = z.object({ code: z.enum(AV_CALIBRATION_REFUSAL_CODES), message: z.string(), advice: z.string() });
export type AvCalibrationRefusal = z.infer<typeof calibrationRefusalSchema>;

export const avCalibrationOutputSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ok'), calibration: avCameraCalibrationSchema, warnings: z.array(calibrationWarningSchema) }),
  z.object({ status: z.literal('refused'), error: calibrationRefusalSchema, warnings: z.array(calibrationWarningSchema) }),
]);
export type AvCalibrationOutput = z.infer<typeof avCalibrationOutputSchema>;

export interface AvCalibrationOptions {
  /** The reference's known A/V offset, ms (positive = its sound is late). Default 0: a display and speaker measured in sync. */
  referenceOffsetMs?: number;
  /** Its uncertainty (half-width), ms. Default 0. */
  referenceUncertaintyMs?: number;
  /** Speaker-to-camera distance, metres. Default 0. */
  distanceM?: number;
  /** Frame rate of the pattern as played. Default 60. */
  patternFps?: number;
  /** Resolution of the container's timestamps, seconds. */
  timestampResolutionS?: number;
}

const CALIBRATION_ADVICE: Record<'CAMERA_OFFSET_OUT_OF_RANGE' | 'CALIBRATION_TOO_UNCERTAIN', string> = {
  CAMERA_OFFSET_OUT_OF_RANGE:
    'Check the reference\'s A/V offset: calibrate in front of a display and speaker whose offset is known (the computer\'s own screen and speaker, measured in sync, are a good reference), and give that offset.',
  CALIBRATION_TOO_UNCERTAIN:
    'Film the calibration at the highest frame rate the camera offers (120 or 240 fps), for at least 20 seconds, with the screen large in the picture and the speaker close and loud.',
};

const refused = (code: AvCalibrationRefusalCode, message: string, advice: string, warnings: AvCalibrationWarning[] = []): AvCalibrationOutput => ({ status: 'refused', error: { code, message, advice }, warnings });

/**
 * The camera's A/V offset from a calibration recording of the pattern (same inputs as
 * analyzeAvRecording). Throws RangeError for options out of range (bad input, not a refusal).
 */
export function calibrateAvCamera(video: LumaGridVideo, audio: AvAudioTrack | null, options: AvCalibrationOptions = {}): AvCalibrationOutput {
  const referenceOffsetMs = options.referenceOffsetMs ?? 0;
  const referenceUncertaintyMs = options.referenceUncertaintyMs ?? 0;
  if (!(Number.isFinite(referenceOffsetMs) && Math.abs(referenceOffsetMs) <= MAX_CAMERA_OFFSET_MS)) throw new RangeError(`the reference's A/V offset must be within ±${MAX_CAMERA_OFFSET_MS} ms, got ${referenceOffsetMs}`);
  if (!(Number.isFinite(referenceUncertaintyMs) && referenceUncertaintyMs >= 0 && referenceUncertaintyMs <= 100)) throw new RangeError(`the reference's uncertainty must be 0–100 ms, got ${referenceUncertaintyMs}`);
  const output: AvAnalysisOutput = analyzeAvRecording(video, audio, {
    distanceM: options.distanceM ?? 0,
    cameraOffsetMs: 0,
    cameraOffsetUncertaintyMs: 0,
    ...(options.patternFps !== undefined ? { patternFps: options.patternFps } : {}),
    ...(options.timestampResolutionS !== undefined ? { timestampResolutionS: options.timestampResolutionS } : {}),
  });
  const warnings: AvCalibrationWarning[] = output.warnings.map((w) => ({ code: w.code, message: w.message }));
  if (output.status !== 'ok' || !output.av) {
    const error = output.error ?? avRefusal('NO_PATTERN', 'The calibration recording could not be analysed.');
    return refused(error.code, error.message, error.advice, warnings);
  }
  const av = output.av;
  const cameraOffsetMs = av.offsetMs - referenceOffsetMs;
  if (!(Math.abs(cameraOffsetMs) <= MAX_CAMERA_OFFSET_MS)) {
    return refused('CAMERA_OFFSET_OUT_OF_RANGE', `The recording measured ${av.offsetMs.toFixed(1)} ms against a reference offset of ${referenceOffsetMs.toFixed(1)} ms: a camera offset of ${cameraOffsetMs.toFixed(1)} ms, beyond ±${MAX_CAMERA_OFFSET_MS} ms.`, CALIBRATION_ADVICE.CAMERA_OFFSET_OUT_OF_RANGE, warnings);
  }
  const b = av.uncertaintyBudget;
  const uncertaintyMs = Math.hypot(b.statisticalMs, b.rollingShutterMs, b.timestampMs, referenceUncertaintyMs) + b.displayRefreshMs;
  const halfFrameMs = 500 / av.videoFps;
  if (!(uncertaintyMs < halfFrameMs)) {
    return refused('CALIBRATION_TOO_UNCERTAIN', `The camera's offset came out as ${cameraOffsetMs.toFixed(1)} ± ${uncertaintyMs.toFixed(1)} ms from ${av.count} events at ${av.videoFps.toFixed(0)} fps: no narrower than the ± half a frame (${halfFrameMs.toFixed(1)} ms) an uncalibrated camera is given.`, CALIBRATION_ADVICE.CALIBRATION_TOO_UNCERTAIN, warnings);
  }
  if (Math.abs(cameraOffsetMs) > LARGE_CAMERA_OFFSET_MS) {
    warnings.push({ code: 'LARGE_CAMERA_OFFSET', message: `A camera offset of ${cameraOffsetMs.toFixed(1)} ms is unusually large for a camera: check that the reference's A/V offset (${referenceOffsetMs.toFixed(1)} ms) is right.` });
  }
  const calibration: AvCameraCalibration = {
    version: AV_CALIBRATION_VERSION,
    cameraOffsetMs,
    uncertaintyMs,
    uncertaintyBudget: { statisticalMs: b.statisticalMs, rollingShutterMs: b.rollingShutterMs, timestampMs: b.timestampMs, displayRefreshMs: b.displayRefreshMs, referenceMs: referenceUncertaintyMs },
    measuredOffsetMs: av.offsetMs,
    referenceOffsetMs,
    referenceUncertaintyMs,
    distanceM: av.distanceM,
    travelMs: av.travelMs,
    videoFps: av.videoFps,
    videoWidth: av.videoWidth,
    videoHeight: av.videoHeight,
    count: av.count,
    stdMs: av.stdMs,
    events: av.events.map((e) => ({ ...e, offsetMs: e.offsetMs - referenceOffsetMs })),
    rollingShutterMs: av.rollingShutterMs,
    confidence: av.confidence,
  };
  return { status: 'ok', calibration, warnings };
}
