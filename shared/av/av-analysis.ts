/**
 * The A/V offset from a camera recording of the pattern (see av-pattern.ts for its design).
 *
 *  1. Frame times: the container's timestamps (variable frame rate is fine), or n / nominal fps
 *     when there are none — then the flashes must fit the pattern's timing, or the recording is
 *     refused as variable frame rate.
 *  2. The screen: found in the luma grid (av-screen.ts).
 *  3. Flashes: timed to a fraction of a frame on the screen's mean luma (av-flash.ts); the same on
 *     each grid row of the screen gives the rolling shutter's readout (time against row), and each
 *     flash is referred to the top row, where a frame's timestamp is taken.
 *  4. Clicks: matched filter on the audio (av-clicks.ts).
 *  5. Both identified by their coded spacing (av-identify.ts) and paired by event number.
 *  6. Offset per event = click − flash − travel time − the camera's own offset; positive = sound late.
 *
 * Uncertainty (half-width, about 95 %), reported with its parts:
 *  - statistical: t(n−1) × the standard error of the median (1.2533 σ / √n), σ the larger of the
 *    spread between events and their own timing errors (fit residuals and frame noise);
 *  - the rolling-shutter correction's own error (1.96 × its standard error × the screen's height);
 *  - the timestamps' resolution;
 *  - an uncalibrated camera: ± half a frame, since cameras differ in where in its exposure a frame's
 *    timestamp falls (the camera's own audio delay is not knowable without calibrating);
 *  - the calibration's own uncertainty, as given;
 *  - the display's frame hold: the pattern's frames are held for 1/patternFps, and a camera that
 *    samples them at the same few phases (its clock locked to the display's) cannot see where in a
 *    held frame the change came; the largest gap in the sampled phases × half a pattern frame.
 * The statistical terms add in quadrature; the bounds add linearly.
 */
import { lowerBound, median, summarize } from '../primitives/statistics';
import { detectClicks } from './av-clicks';
import { findFlashCentres, frameNoise, timeFlash, type FlashTiming } from './av-flash';
import { identifyEvents } from './av-identify';
import { FLASH_HALF_S, MAX_PATTERN_S, patternEventTimes } from './av-pattern';
import { AvRefusalError, refuse } from './av-refusal';
import type { AvAnalysisOutput, AvEvent, AvResult, AvWarning } from './av-schema';
import { findScreen } from './av-screen';
import type { LumaGridVideo } from './luma-grid';

export const SPEED_OF_SOUND_M_PER_S = 343;
/** Below this frame rate a ramp has too few frames to be timed. */
export const MIN_FPS = 23;
/** Below this many paired events no offset is given. */
export const MIN_EVENTS = 3;

export interface AvAudioTrack {
  /** Mono samples (the channels mixed or the first channel). */
  samples: Float32Array;
  sampleRate: number;
  /** Presentation time of the first sample on the recording's timeline, seconds. */
  startS: number;
}

export interface AvAnalysisOptions {
  /** Speaker-to-camera distance, metres (its travel time at 343 m/s is subtracted). Default 0. */
  distanceM?: number;
  /** The camera's own A/V offset from a calibration (positive = it records sound late); omitted = uncalibrated. */
  cameraOffsetMs?: number | null;
  /** The calibration's uncertainty (half-width), ms. Default 0. */
  cameraOffsetUncertaintyMs?: number;
  /** Frame rate the calibration was made at (av-calibration.ts keeps it as videoFps): a recording at another rate gets a warning and ± half a frame, since where a camera stamps its frames in the exposure depends on its mode. */
  cameraCalibrationFps?: number;
  /** Frame rate of the pattern as played (its frames are held this long). Default 60. */
  patternFps?: number;
  /** Resolution of the container's timestamps, seconds (e.g. 1/600 for a QuickTime timescale of 600). */
  timestampResolutionS?: number;
}

/** Two-sided 97.5 % quantiles of Student's t for 1..30 degrees of freedom. */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];
const tQuantile = (df: number): number => (df < 1 ? T975[0] : df <= 30 ? T975[df - 1] : 1.96 + 2.4 / df);

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

export function analyzeAvRecording(video: LumaGridVideo, audio: AvAudioTrack | null, options: AvAnalysisOptions = {}): AvAnalysisOutput {
  try {
    return analyze(video, audio, options);
  } catch (error) {
    if (error instanceof AvRefusalError) return { status: 'refused', error: error.refusal, warnings: [] };
    throw error;
  }
}

function frameTimes(video: LumaGridVideo): { times: Float64Array; fps: number; haveTimestamps: boolean } {
  const n = video.frameCount;
  if (video.timestampsS) {
    const t = video.timestampsS;
    const diffs: number[] = [];
    for (let i = 1; i < n; i++) {
      const d = t[i] - t[i - 1];
      if (!(d > 0)) refuse('VARIABLE_FRAME_RATE', `The frame timestamps are not increasing (frame ${i} at ${t[i].toFixed(4)} s after frame ${i - 1} at ${t[i - 1].toFixed(4)} s).`);
      diffs.push(d);
    }
    return { times: t, fps: 1 / median(diffs), haveTimestamps: true };
  }
  const fps = video.nominalFps;
  if (!(fps !== null && fps > 0)) refuse('VARIABLE_FRAME_RATE', 'The recording has neither frame timestamps nor a frame rate.');
  const rate = fps as number;
  return { times: Float64Array.from({ length: n }, (_, i) => i / rate), fps: rate, haveTimestamps: false };
}

function analyze(video: LumaGridVideo, audio: AvAudioTrack | null, options: AvAnalysisOptions): AvAnalysisOutput {
  const distanceM = options.distanceM ?? 0;
  if (!(distanceM >= 0 && distanceM <= 1000)) throw new RangeError(`distance must be 0–1000 m, got ${distanceM}`);
  const cameraOffsetMs = options.cameraOffsetMs ?? null;
  if (cameraOffsetMs !== null && !(Math.abs(cameraOffsetMs) <= 1000)) throw new RangeError(`camera offset must be within ±1000 ms, got ${cameraOffsetMs}`);
  if (video.frameCount < 2) refuse('NO_VIDEO', `The recording has ${video.frameCount} video frame${video.frameCount === 1 ? '' : 's'}.`);
  const warnings: AvWarning[] = [];
  const { times, fps, haveTimestamps } = frameTimes(video);
  const framePeriodS = 1 / fps;
  if (fps < MIN_FPS) refuse('FRAME_RATE_TOO_LOW', `The recording has ${fps.toFixed(1)} frames per second; a flash's ramp needs at least ${MIN_FPS}.`);
  if (!haveTimestamps) warnings.push({ code: 'NO_TIMESTAMPS', message: `The recording has no frame timestamps; frames are taken as evenly spaced at ${fps.toFixed(2)} fps (the flashes' timing confirmed it).` });
  if (fps < 100) warnings.push({ code: 'LOW_FRAME_RATE', message: `${fps.toFixed(0)} fps: the uncertainty is wider than with slow motion; film at 120 or 240 fps for the smallest.` });

  // The screen and its flashes.
  const screen = findScreen(video);
  const noise = frameNoise(screen.signal);
  const rough = findFlashCentres(screen.signal, times, screen.darkLevel, screen.brightLevel);
  const flashes: FlashTiming[] = [];
  for (const c of rough) {
    const timing = timeFlash(screen.signal, times, c, noise, framePeriodS);
    if (timing) flashes.push(timing);
  }
  const durationS = times[times.length - 1] - times[0] + framePeriodS;
  if (flashes.length < MIN_EVENTS && screen.brightLevel >= 250) {
    refuse('OVER_EXPOSED', `The screen's bright flashes are clipped white (${screen.brightLevel.toFixed(0)} of 255, dark ${screen.darkLevel.toFixed(0)}), which cuts off their ramps: ${flashes.length} of ${rough.length} flashes could be timed.`);
  }
  if (flashes.length < MIN_EVENTS) {
    refuse('NO_PATTERN', `The screen (${(100 * screen.fraction).toFixed(0)} % of the picture) shows ${flashes.length} flash${flashes.length === 1 ? '' : 'es'} of the pattern's shape in ${durationS.toFixed(1)} s (${rough.length} pulses); at least ${MIN_EVENTS} are needed.`);
  }
  const pattern = patternEventTimes(MAX_PATTERN_S);
  const flashIds = identifyEvents(flashes.map((f) => f.centreS), pattern);
  const vfrLimitS = Math.max(framePeriodS / 2, 0.003);
  if (!haveTimestamps && (!flashIds || !(flashIds.residualStdS <= vfrLimitS))) {
    refuse('VARIABLE_FRAME_RATE', `Without frame timestamps the ${flashes.length} flashes do not keep the pattern's timing${flashIds ? ` (they scatter by ${(1000 * flashIds.residualStdS).toFixed(1)} ms around it)` : ''}: the frame rate varies.`);
  }
  if (!flashIds) refuse('NO_PATTERN', `${flashes.length} flashes were found, but their spacing does not match the Latency Lab A/V pattern.`);
  const flashLine = flashIds as NonNullable<typeof flashIds>;
  const flashIndex = flashLine.indices;

  // Rolling shutter: per event, flash centre against screen row.
  const rowSlopes: number[] = [];
  const usableRows = screen.rows.filter((r) => r.cells >= 2);
  if (usableRows.length >= 2) {
    const rowNoise = usableRows.map((r) => frameNoise(r.signal));
    for (const f of flashes) {
      const ys: number[] = [];
      const ts: number[] = [];
      usableRows.forEach((row, i) => {
        const timing = timeFlash(row.signal, times, f.centreS, rowNoise[i], framePeriodS);
        if (timing) {
          ys.push(row.y);
          ts.push(timing.centreS);
        }
      });
      if (ys.length >= 2 && Math.max(...ys) - Math.min(...ys) > 0) {
        const my = ys.reduce((a, b) => a + b, 0) / ys.length;
        const mt = ts.reduce((a, b) => a + b, 0) / ts.length;
        let sxy = 0;
        let sxx = 0;
        ys.forEach((y, i) => {
          sxy += (y - my) * (ts[i] - mt);
          sxx += (y - my) ** 2;
        });
        rowSlopes.push(sxy / sxx);
      }
    }
  }
  const screenY = screen.rows.reduce((a, r) => a + r.y * r.cells, 0) / screen.rows.reduce((a, r) => a + r.cells, 0);
  let rsSlope = 0;
  let rsSlopeSe = 0;
  if (rowSlopes.length >= 3) {
    rsSlope = median(rowSlopes);
    rsSlopeSe = (1.2533 * summarize(rowSlopes).std) / Math.sqrt(rowSlopes.length);
  }
  const rsCorrectionS = rsSlope * screenY;
  const readoutMs = -rsSlope * 1000;
  if (Math.abs(readoutMs) >= 0.5) {
    warnings.push({ code: 'ROLLING_SHUTTER', message: `Rolling shutter: the picture is read out top to bottom in about ${readoutMs.toFixed(1)} ms; the flashes are referred to the top row (${(1000 * rsCorrectionS).toFixed(2)} ms at the screen's height).` });
  }

  // The clicks.
  if (!audio || audio.samples.length === 0) refuse('NO_AUDIO', 'The recording has no audio track.');
  const track = audio as AvAudioTrack;
  const detection = detectClicks(track.samples, track.sampleRate);
  const clickTimes = detection.arrivals.map((a) => track.startS + a.timeS);
  const clickIds = identifyEvents(clickTimes, pattern);
  if (detection.arrivals.length < MIN_EVENTS || !clickIds) {
    const level = Number.isFinite(detection.peakDbfs) ? `peak ${detection.peakDbfs.toFixed(1)} dBFS` : 'digital silence';
    refuse('NO_CLICKS', `The audio (${(track.samples.length / track.sampleRate).toFixed(1)} s, ${level}) has ${detection.arrivals.length} click-like arrival${detection.arrivals.length === 1 ? '' : 's'}${detection.arrivals.length >= MIN_EVENTS ? ', but their spacing does not match the pattern' : ''}.`);
  }
  const clickIndex = (clickIds as NonNullable<typeof clickIds>).indices;
  const clickByEvent = new Map<number, number>();
  clickIndex.forEach((k, j) => k >= 0 && clickByEvent.set(k, j));

  // Pair by event number.
  interface Pair { k: number; flash: FlashTiming; click: number; raw: number; confidence: number; ptn: number }
  const pairs: Pair[] = [];
  flashIndex.forEach((k, i) => {
    if (k < 0) return;
    const j = clickByEvent.get(k);
    if (j === undefined) return;
    const flash = flashes[i];
    const flashTop = flash.centreS - rsCorrectionS;
    const ptn = detection.arrivals[j].peakToNoiseDb;
    const confidence = clamp01(1 - flash.stdErrS / (0.5 * framePeriodS)) * clamp01((ptn - 12) / 12);
    pairs.push({ k, flash, click: clickTimes[j], raw: clickTimes[j] - flashTop, confidence, ptn });
  });
  const flashesMatched = flashIndex.filter((k) => k >= 0).length;
  const clicksMatched = clickIndex.filter((k) => k >= 0).length;
  if (pairs.length < MIN_EVENTS) {
    refuse('TOO_FEW_EVENTS', `${flashesMatched} flashes and ${clicksMatched} clicks of the pattern were found, but only ${pairs.length} event${pairs.length === 1 ? ' has' : 's have'} both; at least ${MIN_EVENTS} are needed.`);
  }
  const unpaired = flashesMatched + clicksMatched - 2 * pairs.length;
  if (unpaired > 0.2 * (flashesMatched + clicksMatched)) {
    warnings.push({ code: 'UNPAIRED_EVENTS', message: `${flashesMatched - pairs.length} flashes without their click and ${clicksMatched - pairs.length} clicks without their flash.` });
  }

  // Corrections.
  const travelMs = (1000 * distanceM) / SPEED_OF_SOUND_M_PER_S;
  const cameraMs = cameraOffsetMs ?? 0;
  const correct = (rawS: number): number => 1000 * rawS - travelMs - cameraMs;

  // Outliers: more than 5 robust deviations (or 4 timing errors, at least 1 ms) from the median.
  const rawMs = pairs.map((p) => 1000 * p.raw);
  const med = median(rawMs);
  const mad = median(rawMs.map((v) => Math.abs(v - med)));
  const rmsSeMs = 1000 * Math.sqrt(pairs.reduce((a, p) => a + p.flash.stdErrS ** 2, 0) / pairs.length);
  const outlierLimit = Math.max(5 * 1.4826 * mad, 4 * rmsSeMs, 1);
  const events: AvEvent[] = pairs.map((p, i) => ({
    index: p.k,
    timeS: p.flash.centreS,
    offsetMs: correct(p.raw),
    confidence: p.confidence,
    flashStdErrMs: 1000 * p.flash.stdErrS,
    clickPeakToNoiseDb: p.ptn,
    status: Math.abs(rawMs[i] - med) > outlierLimit ? 'outlier' : 'ok',
  }));
  const good = events.filter((e) => e.status === 'ok');
  if (good.length < MIN_EVENTS) refuse('TOO_FEW_EVENTS', `Only ${good.length} of ${events.length} events agree with each other; at least ${MIN_EVENTS} are needed.`);
  const outliers = events.length - good.length;
  if (outliers > 0) warnings.push({ code: 'OUTLIER_EVENTS', message: `${outliers} of ${events.length} events were more than ${outlierLimit.toFixed(1)} ms from the median and are left out.` });
  if (good.length < 6) warnings.push({ code: 'FEW_EVENTS', message: `Only ${good.length} events: film longer (at least 10 s) for a tighter result.` });

  const stats = summarize(good.map((e) => e.offsetMs));
  const goodSe = pairs.filter((_, i) => events[i].status === 'ok').map((p) => 1000 * p.flash.stdErrS);
  const fitSigmaMs = Math.sqrt(goodSe.reduce((a, s) => a + s * s, 0) / goodSe.length);
  const sigmaMs = Math.max(stats.std, fitSigmaMs);
  const statisticalMs = (tQuantile(good.length - 1) * 1.2533 * sigmaMs) / Math.sqrt(good.length);
  const rollingShutterMs = 1.96 * 1000 * rsSlopeSe * screenY;
  const timestampMs = options.timestampResolutionS ? (1.96 * 1000 * options.timestampResolutionS) / Math.sqrt(12) : 0;
  const calibrationFps = options.cameraCalibrationFps;
  if (calibrationFps !== undefined && !(calibrationFps > 0 && Number.isFinite(calibrationFps))) throw new RangeError(`the calibration's frame rate must be positive, got ${calibrationFps}`);
  const otherMode = cameraOffsetMs !== null && calibrationFps !== undefined && Math.abs(fps - calibrationFps) > 0.05 * calibrationFps;
  const cameraUncMs = cameraOffsetMs === null || otherMode ? (1000 * framePeriodS) / 2 : 0;
  if (otherMode) {
    warnings.push({ code: 'CALIBRATION_OTHER_FRAME_RATE', message: `The camera was calibrated at ${(calibrationFps as number).toFixed(0)} fps and this recording is ${fps.toFixed(0)} fps: where the camera stamps its frames may differ between its modes, so ± half a frame (${cameraUncMs.toFixed(1)} ms) is added. Calibrate at this frame rate for the smallest uncertainty.` });
  }
  const calibrationMs = cameraOffsetMs === null ? 0 : Math.abs(options.cameraOffsetUncertaintyMs ?? 0);
  // Display refresh: the pattern's frames are held for 1/patternFps; a camera sampling them at the
  // same few phases every time cannot tell where within a held frame the change came. The phases
  // of the camera's frames (on the ramps) within the pattern's frame grid show how densely that
  // frame was covered; the largest gap left, times half a pattern frame, bounds the error.
  const patternFrameS = 1 / (options.patternFps ?? 60);
  const gridS = flashLine.rate * patternFrameS;
  const phases: number[] = [];
  for (const p of pairs) {
    for (let i = lowerBound(times, p.flash.centreS - FLASH_HALF_S); i < times.length && times[i] <= p.flash.centreS + FLASH_HALF_S; i++) {
      const x = (times[i] - flashLine.offsetS) / gridS;
      phases.push(x - Math.floor(x));
    }
  }
  phases.sort((a, b) => a - b);
  let gap = phases.length > 0 ? 1 - phases[phases.length - 1] + phases[0] : 1;
  for (let i = 1; i < phases.length; i++) gap = Math.max(gap, phases[i] - phases[i - 1]);
  const displayRefreshMs = (1000 * gap * patternFrameS) / 2;
  if (gap > 0.3) {
    warnings.push({ code: 'PHASE_LOCKED', message: `The camera's frames kept nearly the same phase against the pattern's ${(1 / patternFrameS).toFixed(0)} fps frames (${(100 * gap).toFixed(0)} % of a pattern frame never sampled), so where within a frame the display changed is not seen: ±${displayRefreshMs.toFixed(1)} ms is added. A longer recording, or a frame rate that is not a multiple of the display's, narrows it.` });
  }
  if (cameraOffsetMs === null) {
    warnings.push({ code: 'CAMERA_NOT_CALIBRATED', message: `The camera is not calibrated: ± half a frame (${cameraUncMs.toFixed(1)} ms) is added for where its timestamps fall in the exposure, and the camera's own audio delay is not included. Calibrate it once and pass its offset.` });
  }
  const uncertaintyMs = Math.hypot(statisticalMs, rollingShutterMs, timestampMs, calibrationMs) + cameraUncMs + displayRefreshMs;

  // Auto exposure: the flashes' own dark and bright levels move (each flash is timed against its
  // own levels, so the timing survives; the warning says why the picture's levels varied).
  const darks = flashes.map((f) => f.darkBefore);
  const brights = flashes.map((f) => f.bright);
  const contrast = screen.brightLevel - screen.darkLevel;
  const brightMedian = median(brights);
  if (Math.max(...darks) - Math.min(...darks) > 0.25 * contrast || Math.max(...brights) - Math.min(...brights) > 0.12 * brightMedian) {
    warnings.push({ code: 'EXPOSURE_CHANGES', message: `The camera's exposure changed during the recording (the dark screen read ${Math.min(...darks).toFixed(0)}–${Math.max(...darks).toFixed(0)}, the bright flashes ${Math.min(...brights).toFixed(0)}–${Math.max(...brights).toFixed(0)} of 255); each flash is measured against its own levels. Lock exposure for the steadiest result.` });
  }
  const confidence = clamp01(median(good.map((e) => e.confidence)) * Math.min(1, good.length / 5));
  const av: AvResult = {
    offsetMs: stats.median,
    meanMs: stats.mean,
    stdMs: stats.std,
    minMs: stats.min,
    maxMs: stats.max,
    uncertaintyMs,
    uncertaintyBudget: { statisticalMs, rollingShutterMs, timestampMs, cameraMs: cameraUncMs, calibrationMs, displayRefreshMs },
    rawOffsetMs: median(good.map((e) => e.offsetMs + travelMs + cameraMs)),
    count: good.length,
    eventsPaired: pairs.length,
    flashesFound: flashes.length,
    clicksFound: detection.arrivals.length,
    events,
    videoFps: fps,
    videoWidth: video.width,
    videoHeight: video.height,
    durationS,
    screen: {
      x: screen.left / video.gridWidth,
      y: screen.top / video.gridHeight,
      width: (screen.right - screen.left + 1) / video.gridWidth,
      height: (screen.bottom - screen.top + 1) / video.gridHeight,
      contrast,
    },
    cameraOffsetMs: cameraMs,
    cameraCalibrated: cameraOffsetMs !== null,
    distanceM,
    travelMs,
    rollingShutterMs: readoutMs,
    clockPpm: (1 / flashLine.rate - 1) * 1e6,
    confidence,
  };
  return { status: 'ok', av, warnings };
}
