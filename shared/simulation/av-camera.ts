/**
 * Test-only: a camera filming a display that plays the A/V pattern, with a known answer.
 *
 * The player's clock maps pattern time p to real time start + p·(1 + displayPpm·1e-6). The display
 * shows pattern frame n (its level at the frame's middle, as an exported video holds it) from that
 * frame's time + the video latency until the next, and its pixels follow with a first-order
 * response (rise and fall time constants); light = level^2.2. The speaker plays each click at its
 * time + the audio latency, and the sound reaches the camera after distance / 343 m/s, through a
 * room (direct sound, reflections, a reverberant tail) with noise.
 *
 * The camera: frames at 1/fps (or jittered, for variable frame rate), each timestamped at the
 * middle of its top row's exposure; row y is exposed y·readout later (rolling shutter). A pixel's
 * value is the light integrated over its exposure, times the exposure gain (which may drift: auto
 * exposure), through a 1/2.2 tone curve, clipped at 255, with noise. The screen covers a rectangle
 * of the frame (its edge cells partly), the rest is a static background. The camera's audio is
 * `cameraOffsetMs` late in its own file.
 *
 * Truth: offset = audio latency − video latency − the pixel response's delay of the flash's centre
 * (computed on the continuous flash: about the mean of the two time constants) — what the analysis
 * reports once travel time and camera offset are subtracted. A camera that stamps its frames
 * `timestampOffsetS` away from the middle of the top row's exposure (or drops frames, or changes its
 * gain) does not change the truth: the stamp offset is part of the camera's own offset, which a
 * calibration measures as cameraOffsetMs − 1000 · timestampOffsetS.
 */
import { createRandom } from '../primitives/random';
import { renderClick } from '../stimulus/click-train';
import { BRIGHT_LEVEL, DARK_LEVEL, flashShape, patternClickShape, patternEventTimes, patternFrameLevel } from '../av/av-pattern';
import { LumaGridBuilder, type LumaGridVideo } from '../av/luma-grid';
import type { AvAudioTrack } from '../av/av-analysis';
import { applyImpulseResponse, roomImpulseResponse } from './synthetic-path';

export interface AvCameraOptions {
  seed?: number;
  /** Recording length, seconds. */
  durationS: number;
  /** Where in the pattern (pattern seconds) the recording starts. Default 3.3. */
  patternStartS?: number;
  cameraFps: number;
  /** Source resolution of the camera (only its aspect and cell size matter for the grid). Default 640 × 360. */
  width?: number;
  height?: number;
  /** Exposure as a fraction of the frame period. Default 0.5. */
  exposureFraction?: number;
  /** Top-to-bottom readout time, seconds (0 = global shutter). Default 0. */
  readoutS?: number;
  /** Where the camera stamps a frame: this many seconds after the middle of its top row's exposure (a camera that stamps the exposure's start: −exposure/2). Default 0. */
  timestampOffsetS?: number;
  /** Frame interval jitter (fraction of the period, uniform ±); timestamps stay exact. Default 0. */
  frameJitter?: number;
  /** Fraction of frames the camera drops (gaps in the timestamps, as phones do under load). Default 0. */
  frameDropRate?: number;
  /** Pattern frame rate as played. Default 60. */
  patternFps?: number;
  /** The display's clock against the camera's, ppm. Default 37. */
  displayPpm?: number;
  videoLatencyS: number;
  audioLatencyS: number;
  /** Pixel response time constants, seconds. Default 4 ms rise, 8 ms fall. */
  riseTauS?: number;
  fallTauS?: number;
  distanceM?: number;
  /** The camera records its sound this much late. Default 0. */
  cameraOffsetMs?: number;
  /** Screen rectangle in the frame, fractions [x, y, width, height]. Default [0.3, 0.25, 0.4, 0.45]. */
  screenRect?: [number, number, number, number];
  /** Camera gain for the bright screen (1 = bright level maps to about 220 of 255). Default 1. */
  exposureGain?: number;
  /** Relative gain change over the recording (auto exposure): gain × (1 + amount · sin). Default 0. */
  autoExposure?: number;
  /** A step of the camera's gain (auto exposure re-adjusting): × factor from atS, reached over rampS (0 = at once). */
  exposureStep?: { atS: number; factor: number; rampS?: number };
  /** Per-pixel luma noise, standard deviation. Default 2. */
  pixelNoise?: number;
  /** Audio: sample rate, SNR of the clicks over noise (dB), room RT60 (s). */
  sampleRate?: number;
  snrDb?: number;
  rt60S?: number;
  /** No sound at all (a muted speaker). */
  muted?: boolean;
}

export interface AvCameraRecording {
  video: LumaGridVideo;
  audio: AvAudioTrack;
  /** The answer, ms: what the analysis should report after travel and camera corrections. */
  trueOffsetMs: number;
  /** Renders frame i's full luma plane (8-bit, width × height), as the camera saw it. */
  renderLuma(i: number, out: Uint8Array): void;
  timestampsS: Float64Array;
  width: number;
  height: number;
}

const GAMMA = 2.2;
const STEP_S = 1e-4;

export function simulateAvCamera(options: AvCameraOptions): AvCameraRecording {
  const seed = options.seed ?? 1;
  const random = createRandom(seed);
  const width = options.width ?? 640;
  const height = options.height ?? 360;
  const fps = options.cameraFps;
  const period = 1 / fps;
  const exposure = (options.exposureFraction ?? 0.5) * period;
  const readout = options.readoutS ?? 0;
  const patternFps = options.patternFps ?? 60;
  const rate = 1 + (options.displayPpm ?? 37) * 1e-6;
  const patternStart = options.patternStartS ?? 3.3;
  const riseTau = options.riseTauS ?? 0.004;
  const fallTau = options.fallTauS ?? 0.008;
  const durationS = options.durationS;
  const events = patternEventTimes(patternStart + durationS / rate + 5);
  // Real time of pattern time p: (p − patternStart) · rate (the recording starts at real time 0).
  const realOf = (p: number): number => (p - patternStart) * rate;

  // Screen light on a fine grid covering the recording (plus margins for exposure and readout).
  const t0 = -0.2;
  const steps = Math.ceil((durationS + 0.4 + readout) / STEP_S);
  const light = new Float64Array(steps);
  let state = 0;
  for (let s = 0; s < steps; s++) {
    const t = t0 + s * STEP_S;
    // The pattern frame on screen at real time t: shown from its time + the video latency.
    const p = (t - options.videoLatencyS) / rate + patternStart;
    const frame = Math.floor(p * patternFps);
    const target = patternFrameLevel(events, frame, patternFps) ** GAMMA;
    const tau = target > state ? riseTau : fallTau;
    state += (target - state) * (1 - Math.exp(-STEP_S / tau));
    light[s] = state;
  }
  const prefix = new Float64Array(steps + 1);
  for (let s = 0; s < steps; s++) prefix[s + 1] = prefix[s] + light[s];
  const meanLight = (from: number, to: number): number => {
    const a = Math.max(0, Math.min(steps, (from - t0) / STEP_S));
    const b = Math.max(0, Math.min(steps, (to - t0) / STEP_S));
    const ia = Math.floor(a);
    const ib = Math.floor(b);
    if (ib <= ia) return light[Math.min(steps - 1, ia)];
    // Integral with fractional ends.
    const total = prefix[ib] - prefix[ia] - (a - ia) * light[ia] + (ib < steps ? (b - ib) * light[ib] : 0);
    return total / (b - a);
  };

  // Frame times (the middle of each frame's top-row exposure), and the timestamps the camera writes.
  const jitter = options.frameJitter ?? 0;
  const dropRate = options.frameDropRate ?? 0;
  const exposureTimes: number[] = [];
  for (let t = 0.02 * random.next(); t < durationS; t += period * (1 + (jitter > 0 ? random.uniform(-jitter, jitter) : 0))) {
    if (dropRate > 0 && random.next() < dropRate) continue;
    exposureTimes.push(t);
  }
  const stampShiftS = options.timestampOffsetS ?? 0;
  const timestampsS = Float64Array.from(exposureTimes, (t) => t + stampShiftS);

  const gain = options.exposureGain ?? 1;
  const autoExposure = options.autoExposure ?? 0;
  const step = options.exposureStep;
  const stepAt = (t: number): number => {
    if (!step) return 1;
    const u = step.rampS && step.rampS > 0 ? Math.min(1, Math.max(0, (t - step.atS) / step.rampS)) : t >= step.atS ? 1 : 0;
    return 1 + (step.factor - 1) * u;
  };
  const gainAt = (t: number): number => gain * (1 + autoExposure * Math.sin((2 * Math.PI * t) / 7.3)) * stepAt(t);
  const brightLight = 0.82 ** GAMMA;
  const toLuma = (lightValue: number, t: number): number => Math.min(255, 220 * Math.max(0, (gainAt(t) * lightValue) / brightLight) ** (1 / GAMMA));
  const screenLuma = (t: number, y: number): number => {
    const mid = t + y * readout;
    return toLuma(meanLight(mid - exposure / 2, mid + exposure / 2), t);
  };
  const [sx, sy, sw, sh] = options.screenRect ?? [0.3, 0.25, 0.4, 0.45];
  const background = (x: number, y: number): number => 60 + 40 * Math.sin(9 * x + 3) * Math.cos(7 * y + 1);
  const pixelNoise = options.pixelNoise ?? 2;

  // The luma grid, computed per cell with exact screen coverage.
  const builder = new LumaGridBuilder(width, height);
  const gw = builder.gridWidth;
  const gh = builder.gridHeight;
  const cellPixels = ((width / gw) * (height / gh)) / 4; // every second pixel of every second row
  const coverage = new Float64Array(gw * gh);
  const backgroundCell = new Float64Array(gw * gh);
  for (let r = 0; r < gh; r++) {
    for (let c = 0; c < gw; c++) {
      const ox = Math.max(0, Math.min((c + 1) / gw, sx + sw) - Math.max(c / gw, sx));
      const oy = Math.max(0, Math.min((r + 1) / gh, sy + sh) - Math.max(r / gh, sy));
      coverage[r * gw + c] = (ox * oy) * gw * gh;
      backgroundCell[r * gw + c] = background((c + 0.5) / gw, (r + 0.5) / gh);
    }
  }
  const means = new Float64Array(gw * gh);
  exposureTimes.forEach((t, i) => {
    for (let r = 0; r < gh; r++) {
      const rowValue = screenLuma(t, (r + 0.5) / gh);
      for (let c = 0; c < gw; c++) {
        const k = r * gw + c;
        const v = coverage[k] * rowValue + (1 - coverage[k]) * backgroundCell[k];
        means[k] = Math.min(255, Math.max(0, v + (pixelNoise / Math.sqrt(cellPixels)) * random.gaussian()));
      }
    }
    builder.addCells(means, timestampsS[i]);
  });
  const video = builder.build(fps);

  // Audio on the camera's timeline, from 0.
  const sampleRate = options.sampleRate ?? 48000;
  const length = Math.round(durationS * sampleRate);
  const distanceS = (options.distanceM ?? 0) / 343;
  const cameraOffsetS = (options.cameraOffsetMs ?? 0) / 1000;
  const dry = new Float32Array(length);
  const shape = patternClickShape(sampleRate);
  if (!options.muted) {
    for (const p of events) {
      const arrival = realOf(p) + options.audioLatencyS + distanceS + cameraOffsetS;
      if (arrival > -0.5 && arrival < durationS + 0.5) renderClick(dry, shape, arrival * sampleRate, 0.5);
    }
  }
  const room = roomImpulseResponse({ sampleRate, rt60S: options.rt60S ?? 0.4, directToReverbDb: 0, reflections: [{ delayMs: 3.1, gain: 0.5 }, { delayMs: 11.7, gain: -0.35 }], seed: seed + 7 });
  const wet = applyImpulseResponse(dry, room, length);
  const snrDb = options.snrDb ?? 25;
  // Noise relative to the clicks' peak power over their own length.
  const clickPower = 0.25 * 0.3 * (shape.amplitude ** 2);
  const noiseStd = Math.sqrt(clickPower / 10 ** (snrDb / 10));
  const samples = Float32Array.from(wet, (v) => v + noiseStd * random.gaussian());

  // The visual delay, exactly: the continuous (not frame-held) flash through the same pixel
  // response, back in code values, timed at its half-level crossings like a perfect camera would.
  const trueOffsetMs = 1000 * (options.audioLatencyS - options.videoLatencyS - pixelDelayS(riseTau, fallTau));

  // The static background and the scaled noise, computed once (a 1080p frame has two million
  // pixels); Uint8ClampedArray rounds and clips each value as it is stored.
  let backgroundImage: Float32Array | null = null;
  const noise = Float32Array.from(NOISE_TABLE, (v) => v * pixelNoise);
  const renderLuma = (i: number, out: Uint8Array): void => {
    if (!backgroundImage) {
      backgroundImage = new Float32Array(width * height);
      for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) backgroundImage[y * width + x] = background(x / width, y / height);
    }
    const bg = backgroundImage;
    const pixels = new Uint8ClampedArray(out.buffer, out.byteOffset, width * height);
    const t = exposureTimes[i];
    const x0 = Math.round(sx * width);
    const x1 = Math.round((sx + sw) * width);
    const y0 = Math.round(sy * height);
    const y1 = Math.round((sy + sh) * height);
    const noiseOffset = createRandom(seed * 7919 + i).int(4096);
    for (let y = 0; y < height; y++) {
      const base = y * width;
      const inRows = y >= y0 && y < y1;
      const value = inRows ? screenLuma(t, (y + 0.5) / height) : 0;
      const screenFrom = inRows ? base + x0 : base + width;
      const screenTo = inRows ? base + x1 : base + width;
      for (let k = base; k < screenFrom; k++) pixels[k] = bg[k] + noise[(k + noiseOffset) & 4095];
      for (let k = screenFrom; k < screenTo; k++) pixels[k] = value + noise[(k + noiseOffset) & 4095];
      for (let k = screenTo; k < base + width; k++) pixels[k] = bg[k] + noise[(k + noiseOffset) & 4095];
    }
  };
  return { video, audio: { samples, sampleRate, startS: 0 }, trueOffsetMs, renderLuma, timestampsS, width, height };
}

/** Delay of a flash's centre through a first-order pixel response (rise and fall time constants), in code values. */
function pixelDelayS(riseTau: number, fallTau: number): number {
  const step = 1e-5;
  let state = 0;
  let rise = NaN;
  let fall = NaN;
  let previous = 0;
  const half = (DARK_LEVEL + BRIGHT_LEVEL) / 2;
  for (let t = -0.5; t < 0.5; t += step) {
    const target = (DARK_LEVEL + (BRIGHT_LEVEL - DARK_LEVEL) * flashShape(t)) ** GAMMA;
    state += (target - state) * (1 - Math.exp(-step / (target > state ? riseTau : fallTau)));
    const code = state ** (1 / GAMMA);
    if (previous < half && code >= half) rise = t;
    if (previous >= half && code < half) fall = t;
    previous = code;
  }
  return (rise + fall) / 2;
}

const NOISE_TABLE = (() => {
  const random = createRandom(4242);
  return Float64Array.from({ length: 4096 }, () => random.gaussian());
})();
