/**
 * The result of analysing a camera recording of the A/V pattern: what `latency-lab av-analyze
 * --json` prints and what the app shows. The zod schema is the definition; the types are derived
 * from it.
 */
import { z } from 'zod';

export const AV_REFUSAL_CODES = [
  'NO_VIDEO',
  'CODEC_UNSUPPORTED',
  'FRAME_RATE_TOO_LOW',
  'VARIABLE_FRAME_RATE',
  'NO_PATTERN',
  'SCREEN_TOO_SMALL',
  'OVER_EXPOSED',
  'NO_AUDIO',
  'NO_CLICKS',
  'TOO_FEW_EVENTS',
] as const;
export type AvRefusalCode = (typeof AV_REFUSAL_CODES)[number];

export const AV_WARNING_CODES = [
  'CAMERA_NOT_CALIBRATED',
  'CALIBRATION_OTHER_FRAME_RATE',
  'NO_TIMESTAMPS',
  'LOW_FRAME_RATE',
  'OUTLIER_EVENTS',
  'ROLLING_SHUTTER',
  'EXPOSURE_CHANGES',
  'PHASE_LOCKED',
  'FEW_EVENTS',
  'UNPAIRED_EVENTS',
] as const;
export type AvWarningCode = (typeof AV_WARNING_CODES)[number];

const finite = z.number().finite();

export const avEventSchema = z.object({
  /** Pattern event number (0 = the pattern's first event). */
  index: z.number().int().nonnegative(),
  /** When the flash's centre was seen, seconds on the recording's timeline. */
  timeS: finite,
  /** Corrected A/V offset of this event (positive = sound late). */
  offsetMs: finite,
  /** 0–1: how clearly both the flash and the click were timed. */
  confidence: z.number().min(0).max(1),
  /** Standard error of the flash's timing, ms. */
  flashStdErrMs: finite.nonnegative(),
  /** Peak-to-noise ratio of the click's correlation, dB. */
  clickPeakToNoiseDb: finite,
  /** 'outlier': more than 5 robust deviations from the median, left out of the statistics. */
  status: z.enum(['ok', 'outlier']),
});
export type AvEvent = z.infer<typeof avEventSchema>;

export const avUncertaintyBudgetSchema = z.object({
  /** 95 % half-width of the median from the spread between events (or their fit errors, if larger). */
  statisticalMs: finite.nonnegative(),
  /** Rolling-shutter correction's own uncertainty (95 %). */
  rollingShutterMs: finite.nonnegative(),
  /** Timestamp resolution of the container (95 %). */
  timestampMs: finite.nonnegative(),
  /** Uncalibrated camera (or calibrated at another frame rate): half a frame, for where in its exposure the camera puts a frame's timestamp. 0 when calibrated. */
  cameraMs: finite.nonnegative(),
  /** The calibration's own uncertainty, as given. */
  calibrationMs: finite.nonnegative(),
  /** The display holds each pattern frame: the largest gap in the camera's sampled phases × half a pattern frame. */
  displayRefreshMs: finite.nonnegative(),
});

export const avResultSchema = z.object({
  /** Median corrected offset, ms: the headline. Positive = sound late (lags the picture). */
  offsetMs: finite,
  meanMs: finite,
  stdMs: finite.nonnegative(),
  minMs: finite,
  maxMs: finite,
  /** Half-width of the interval the true offset lies in (about 95 %), ms. */
  uncertaintyMs: finite.nonnegative(),
  uncertaintyBudget: avUncertaintyBudgetSchema,
  /** Median offset before corrections (sound at the camera − picture at the camera), ms. */
  rawOffsetMs: finite,
  /** Events used in the statistics. */
  count: z.number().int().nonnegative(),
  /** Flashes and clicks that were paired. */
  eventsPaired: z.number().int().nonnegative(),
  flashesFound: z.number().int().nonnegative(),
  clicksFound: z.number().int().nonnegative(),
  events: z.array(avEventSchema),
  videoFps: finite.positive(),
  /** Frame size of the recording, pixels. */
  videoWidth: z.number().int().positive(),
  videoHeight: z.number().int().positive(),
  durationS: finite.nonnegative(),
  /** The screen found in the frame, as fractions of the frame (x, y of the top-left corner). */
  screen: z.object({ x: finite, y: finite, width: finite, height: finite, contrast: finite }),
  /** The camera's own A/V offset subtracted (positive = the camera records sound late). */
  cameraOffsetMs: finite,
  cameraCalibrated: z.boolean(),
  distanceM: finite.nonnegative(),
  /** Sound's travel time from the speaker to the camera, subtracted. */
  travelMs: finite.nonnegative(),
  /** Top-to-bottom readout time estimated from the screen's rows (0 for a global shutter), ms. */
  rollingShutterMs: finite,
  /** The display's pattern clock against the camera's clock, ppm (positive = the display runs fast). */
  clockPpm: finite,
  confidence: z.number().min(0).max(1),
});
export type AvResult = z.infer<typeof avResultSchema>;

export const avWarningSchema = z.object({ code: z.enum(AV_WARNING_CODES), message: z.string() });
export type AvWarning = z.infer<typeof avWarningSchema>;

export const avRefusalSchema = z.object({ code: z.enum(AV_REFUSAL_CODES), message: z.string(), advice: z.string() });
export type AvRefusal = z.infer<typeof avRefusalSchema>;

const lipSyncVerdictSchema = z.object({
  standardId: z.string(),
  standardName: z.string(),
  offsetMs: finite,
  pass: z.boolean(),
  limit: z.enum(['lead', 'lag']),
  limitMs: finite,
  marginMs: finite,
  summary: z.string(),
});

const claimVerdictSchema = z.object({
  claimId: z.string(),
  claimName: z.string(),
  statistic: z.string(),
  measuredMs: finite,
  outcome: z.string(),
  expectation: z.unknown(),
  marginMs: finite,
  toleranceMs: finite.optional(),
  summary: z.string(),
});

export const avAnalysisOutputSchema = z.object({
  status: z.enum(['ok', 'refused']),
  error: avRefusalSchema.optional(),
  av: avResultSchema.optional(),
  warnings: z.array(avWarningSchema),
  /** The corrected offset against every lip-sync standard (added by shared/claims/av-judge.ts). */
  lipSync: z.object({
    basis: z.literal('av-recording'),
    /** True when every standard gives the same answer at both ends of offset ± uncertainty. */
    decisive: z.boolean(),
    verdicts: z.array(lipSyncVerdictSchema.extend({ decisive: z.boolean() })),
    /** The articles' "under 50 ms" lip-sync claim, judged on |offset|. */
    claim: claimVerdictSchema.optional(),
  }).optional(),
});
export type AvAnalysisOutput = z.infer<typeof avAnalysisOutputSchema>;
