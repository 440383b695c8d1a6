/**
 * The frequency response part of an analysis: the path's impulse response measured from the whole
 * capture (impulse-response.ts), its windows (ir-window.ts), and what follows from them — the
 * transfer function with power smoothing over log frequency and a per-band quality figure, the
 * energy-time curve, the step response, decay times per octave (room-decay.ts) and, for sweeps,
 * harmonic distortion (distortion.ts).
 *
 * `points` and `bands` show the "room" window (the whole IR up to where it sinks into its noise: the
 * steady-state response a listener hears); `windows` holds the "speaker" window (gated before the
 * first reflection) and the frequency-dependent window.
 */
import { type BandSpectra, defaultFftSize, estimateBandSpectra, type FrequencyPoint, LOWEST_BAND_HZ, meanLevelDb, medianCoherence, type SmoothingFraction, smoothResponse, type SpectrumBand } from './frequency-response';
import type { AnalysisWarning } from './analysis-refusal';
import type { WholeDeconvolution } from '../dsp/cross-correlation';
import { type DistortionPoint, harmonicDistortion } from './distortion';
import { CLICK_IR_S, type ClickEvent, type ClickImpulseMeasurement, type ImpulseMeasurement, type ImpulseMethod, measureClickImpulse, measureImpulseResponse } from './impulse-response';
import {
  analyticPower,
  type FdwPoint,
  findFirstReflection,
  findTruncation,
  frequencyDependentResponse,
  gateWindow,
  noiseSpectrum,
  peakIndex,
  significantTailEnd,
  stepResponse,
  windowedSpectrum,
} from './ir-window';
import type { LatencyAnalysis } from './latency-analysis';
import { applyMicCalibration, type MicCalibration } from './mic-calibration';
import { type DecayBand, decayOfBands, octaveCentresWithin, startOctaveBands } from './room-decay';
import { nextFftSize } from '../primitives/fft';
import { meanSquare } from '../primitives/signal-level';

/** At most this many IR samples are stored (2.7 s at 48 kHz): about 700 kB of base64. */
export const IR_STORED_MAX = 131072;
/** The step response is stored over the first STEP_STORED_MS after the arrival. */
export const STEP_STORED_MS = 50;
/** ETC resolution stored: the envelope's maximum over each step. */
export const ETC_STEP_MS = 0.25;
/**
 * The room window's spectrum is sampled every sampleRate / 2^⌈log2(this × sampleRate)⌉ Hz (0.09 Hz
 * at 48 kHz): a band's mean |H|² is then the continuous spectrum's (a 0.73 Hz grid read up to 0.6 dB
 * off at 116 Hz in a 1 s room, where a 1/48-octave band holds two bins).
 */
export const ROOM_BIN_RATIO = 8;
/** The room window is at least this long after the arrival, seconds. */
export const ROOM_MIN_S = 0.1;
/** Frequency-dependent window: cycles of each frequency. */
export const FDW_CYCLES = 15;
/**
 * Clicks averaged at least for a click train's response. Every neighbouring click lands in the
 * averaged IR at 1/N of the arrival's amplitude, each at its own lag (the spacings differ by design):
 * with fewer than 10 such false arrivals stand within 20 dB of the direct sound.
 */
export const MIN_CLICKS_FOR_RESPONSE = 10;

/**
 * The start of the warning (NO_FREQUENCY_RESPONSE) that says why an analysis has no frequency
 * response (one is always given when it has none): what follows it is the reason, which the
 * report's views quote.
 */
export const NO_RESPONSE_WARNING = 'No frequency response: ';

/** How an impulse response was measured: a whole-stimulus deconvolution (ImpulseMethod) or the clicks' averaging. */
export type ResponseMethod = ImpulseMethod | ClickImpulseMeasurement['method'];

export interface ImpulseResponseOutput {
  method: ResponseMethod;
  sampleRate: number;
  /** Periods averaged (periodic pink noise), else null. */
  periodsAveraged: number | null;
  /** Click trains: clicks averaged (absent in reports made before click trains had a response). */
  eventsAveraged?: number | null;
  /**
   * Click trains: the shortest spacing between consecutive clicks averaged, ms. Decay times are only
   * given when the room window ends within it (a room still ringing overlaps the next click).
   */
  shortestSpacingMs?: number | null;
  /** Time of the first stored sample relative to the measured arrival (the latency), ms. */
  startMs: number;
  /** The linear IR as little-endian float32, base64 (decodeFloat32Base64), up to the end of the room window. */
  samplesBase64: string;
  length: number;
  /** Index of the largest |h| among the stored samples. */
  peakIndex: number;
  /** Energy-time curve, dB re its peak: the maximum of the envelope over each step. */
  etc: { startMs: number; stepMs: number; db: number[] };
  /** Step response (running sum of the IR) at full rate from `startMs`. */
  step: { startMs: number; stepMs: number; values: number[] };
  /** The IR's noise (its last quarter) re the ETC peak, dB. */
  noiseFloorDb: number;
  /** The band the stimulus excited, where the IR is valid. */
  lowHz: number;
  highHz: number;
}

export interface ResponseWindows {
  /** The window `points` and `bands` show. */
  shown: 'room';
  /** The room window: from PRE_ARRIVAL_S before the arrival to where the IR sinks into its noise, ms re the arrival. */
  room: { startMs: number; endMs: number };
  /** Gated before the first reflection; null when the IR has none before the room window's end. */
  speaker: {
    startMs: number;
    endMs: number;
    firstReflectionMs: number | null;
    /** 1 / (gate end − arrival): points below are flagged lowQuality. */
    lowestValidHz: number;
    points: FrequencyPoint[];
    bands: SpectrumBand[];
  } | null;
  frequencyDependent: { cycles: number; points: FdwPoint[] };
}

export interface FrequencyResponseOutput {
  smoothing: SmoothingFraction;
  fftSize: number;
  /** Room-window lengths of stimulus the IR was measured from (Welch versions: segments averaged; click trains: clicks averaged). */
  averages: number;
  /** Mean path gain over 500 Hz–2 kHz, for normalised display. */
  referenceLevelDb: number | null;
  /** Median coherence over 100 Hz–10 kHz. */
  medianCoherence: number | null;
  micCalibration: { applied: true; sensitivityDb: number | null; serial: string | null } | null;
  points: FrequencyPoint[];
  /** 1/48-octave band spectra, from which any smoothing can be recomputed exactly. */
  bands: SpectrumBand[];
  /** The impulse response the response comes from (absent in reports from Welch-based versions). */
  impulse?: ImpulseResponseOutput | null;
  windows?: ResponseWindows | null;
  /** Sweeps: harmonic distortion re the fundamental. */
  distortion?: DistortionPoint[] | null;
  /** Decay times per octave band (ISO 3382-1, Schroeder). */
  decay?: DecayBand[] | null;
}

const round = (v: number, digits: number): number => Number(v.toPrecision(digits));

/** Float32 little-endian samples as base64. */
export function encodeFloat32Base64(values: ArrayLike<number>): string {
  const bytes = new Uint8Array(Float32Array.from(values).buffer);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i];
    const b = i + 1 < bytes.length ? bytes[i + 1] : 0;
    const c = i + 2 < bytes.length ? bytes[i + 2] : 0;
    const triple = (a << 16) | (b << 8) | c;
    out += alphabet[(triple >> 18) & 63] + alphabet[(triple >> 12) & 63];
    out += i + 1 < bytes.length ? alphabet[(triple >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? alphabet[triple & 63] : '=';
  }
  return out;
}

/** The samples of `encodeFloat32Base64`. Throws RangeError on a malformed string. */
export function decodeFloat32Base64(text: string): Float32Array {
  if (text.length % 4 !== 0 || /[^A-Za-z0-9+/=]/.test(text)) throw new RangeError('not base64');
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((text.length / 4) * 3 - padding);
  let j = 0;
  for (let i = 0; i < text.length; i += 4) {
    const triple = [0, 1, 2, 3].reduce((acc, k) => (acc << 6) | Math.max(0, alphabet.indexOf(text[i + k])), 0);
    for (const shift of [16, 8, 0]) if (j < bytes.length) bytes[j++] = (triple >> shift) & 255;
  }
  if (bytes.length % 4 !== 0) throw new RangeError('base64 length is not a whole number of float32 samples');
  return new Float32Array(bytes.buffer);
}

/** Options of the windows; the app can recompute a speaker response with its own gate from the stored IR. */
export interface WindowOptions {
  /** Speaker gate end re the arrival, ms, instead of the one found from the ETC. */
  gateMs?: number;
}

export interface SpeakerGate {
  start: number;
  end: number;
  firstReflection: number | null;
  rise: number;
  fall: number;
}

/** The speaker gate for an IR whose arrival is at `arrival`: from 1 ms before it to before the first reflection. */
export function speakerGate(h: ArrayLike<number>, etc: Float64Array, arrival: number, sampleRate: number, roomEnd: number, options: WindowOptions = {}): SpeakerGate | null {
  const peak = Math.max(arrival - Math.round(0.001 * sampleRate), Math.min(peakIndex(h), arrival + Math.round(0.002 * sampleRate)));
  const reflection = findFirstReflection(etc, peak, sampleRate, Math.min(roomEnd, arrival + Math.round(0.1 * sampleRate)));
  let end: number;
  if (options.gateMs !== undefined) end = arrival + Math.round((options.gateMs / 1000) * sampleRate);
  else if (reflection !== null) end = reflection - Math.round(0.0002 * sampleRate);
  else return null;
  const start = Math.max(0, arrival - Math.round(0.001 * sampleRate));
  if (end - arrival < Math.round(0.0005 * sampleRate)) return null;
  return { start, end, firstReflection: reflection, rise: Math.round(0.0005 * sampleRate), fall: Math.max(1, Math.round(0.25 * (end - arrival))) };
}

/**
 * The alignment the response is measured along: lag(frame) = interceptFrames + slope·frame.
 */
export function responseAlignment(a: LatencyAnalysis): { interceptFrames: number; slope: number } {
  // The drift line, when its slope is significant (over 3 standard errors); else the line's lag at
  // the middle of the steady state, without a slope. A spurious slope misaligns what is averaged: in
  // the great hall at 5 dB SNR, −2.1 ± 1.8 ppm moved the second period of pink noise by a sample
  // against the first and cost 3.7 dB at 10 kHz.
  const drift = a.drift;
  const middle = (a.steadyStartFrame + a.steadyEndFrame) / 2;
  const lag = !drift
    ? { interceptFrames: a.lag.median, slope: 0 }
    : drift.ppmStdError === null || Math.abs(drift.ppm) > 3 * drift.ppmStdError
      ? { interceptFrames: drift.interceptFrames, slope: drift.ppm * 1e-6 }
      : { interceptFrames: drift.interceptFrames + drift.ppm * 1e-6 * middle, slope: 0 };
  return lag;
}

/**
 * The frequency response of a capture, from the latency analysis' alignment (its drift line, or the
 * median lag): noise and sweeps by deconvolving the whole stimulus, click trains by averaging the
 * per-click deconvolutions of the steady state's measured clicks (clickFrequencyResponse). Null, with
 * a warning that says why, when the stimulus is too short or too few clicks could be averaged.
 */
export function measureFrequencyResponse(
  reference: Float32Array,
  capture: Float32Array,
  a: LatencyAnalysis,
  options: {
    smoothing: SmoothingFraction;
    micCalibration?: MicCalibration;
    /** A sweep's deconvolution from its latency analysis (analyzeLatency's keepSweepDeconvolution): the IR is read from it where it can be. */
    sweepDeconvolution?: WholeDeconvolution | null;
  },
  warnings: AnalysisWarning[],
): FrequencyResponseOutput | null {
  if (a.kind === 'click') return clickFrequencyResponse(reference, capture, a, options, warnings);
  const lag = responseAlignment(a);
  const ir = measureImpulseResponse(reference, capture, a.sampleRate, { kind: a.kind, startFrame: a.steadyStartFrame, endFrame: a.steadyEndFrame, lag, whole: options.sweepDeconvolution });
  if (!ir) {
    warnings.push({ code: 'NO_FREQUENCY_RESPONSE', message: `${NO_RESPONSE_WARNING}the stimulus is too short for one (it needs at least 4096 frames of noise or sweep).` });
    return null;
  }
  return responseFromImpulse(ir, { ...options, welch: { reference, capture, span: { startFrame: a.steadyStartFrame, endFrame: a.steadyEndFrame }, lag } }, warnings);
}

/**
 * A click train's response: measureClickImpulse over clickEvents(a), then the same pipeline as any
 * IR (responseFromImpulse). Its per-band quality figure is the pipeline's, γ² against the noise of the
 * averaged IR's far lags: what differs from click to click (the noise, a neighbour's arrival and
 * ringing, which land at other lags in every click) averages down there as it does under the
 * arrival. Null, with a warning, below MIN_CLICKS_FOR_RESPONSE clicks or when the latency alternates
 * between modes (several speakers on one train).
 */
function clickFrequencyResponse(
  reference: Float32Array,
  capture: Float32Array,
  a: LatencyAnalysis,
  options: { smoothing: SmoothingFraction; micCalibration?: MicCalibration },
  warnings: AnalysisWarning[],
): FrequencyResponseOutput | null {
  if (a.modes.length >= 2) {
    // Clicks read along one alignment line would average arrivals of different latencies.
    warnings.push({ code: 'NO_FREQUENCY_RESPONSE', message: `${NO_RESPONSE_WARNING}the latency alternates between ${a.modes.length} levels from click to click, so no one alignment reads every click at its arrival.` });
    return null;
  }
  const events = clickEvents(a);
  const ir = events.length >= MIN_CLICKS_FOR_RESPONSE ? measureClickImpulse(reference, capture, a.sampleRate, events) : null;
  const averaged = ir ? ir.eventsAveraged : 0;
  if (!ir || averaged < MIN_CLICKS_FOR_RESPONSE) {
    const usable = ir || events.length >= MIN_CLICKS_FOR_RESPONSE ? `, ${averaged} of them with the ${CLICK_IR_S} s after the arrival captured` : '';
    warnings.push({
      code: 'NO_FREQUENCY_RESPONSE',
      message: `${NO_RESPONSE_WARNING}a click train needs at least ${MIN_CLICKS_FOR_RESPONSE} clicks with a measured latency in the steady state for a response (with fewer, the neighbouring clicks stand in the impulse response within 20 dB of the arrival); this one has ${events.length}${usable}. Use a longer run, and keep recording ${CLICK_IR_S} s after the last click.`,
    });
    return null;
  }
  return responseFromImpulse(ir, options, warnings);
}

/**
 * The clicks of the steady state whose latency was measured (status 'ok'), for measureClickImpulse,
 * each at the lag of the analysis' alignment line (responseAlignment), not its own: on a path with
 * an ambiguous arrival (the guitar cabinet) single clicks picked peaks up to 5 frames apart, and
 * aligned on them the response read 1.75 dB low at 11 kHz.
 */
export function clickEvents(a: LatencyAnalysis): ClickEvent[] {
  const lag = responseAlignment(a);
  const out: ClickEvent[] = [];
  for (const e of a.events) {
    if (e.status !== 'ok' || e.lagFrames === null || e.anchorFrame < a.steadyStartFrame || e.anchorFrame >= a.steadyEndFrame) continue;
    const s = a.stimulusEvents[e.index];
    out.push({ startFrame: s.startFrame, endFrame: s.endFrame, anchorFrame: s.anchorFrame, lagFrames: lag.interceptFrames + lag.slope * s.anchorFrame });
  }
  return out;
}

/** What the room window needs of an impulse response (any method: `method` tells how its noise behaves over the lags). */
export type RoomWindowInput = Pick<ImpulseMeasurement, 'h' | 'sampleRate' | 'preFrames' | 'lowHz' | 'highHz' | 'usedFrames'> & { method: ResponseMethod };

/** The room window of an IR, its noise and its response in 1/48-octave bands; also the octave-band IRs the decay times use. */
export function roomWindowOf(ir: RoomWindowInput) {
  const { h, sampleRate, preFrames: arrival } = ir;
  // The band taper ends at ir.lowHz, but a window smears it upwards (by about 1/length): from
  // 1/12 octave above it the response is clear of it (clicks, whose band starts at 300 Hz, read
  // 1.4 dB high at 409 Hz right at the taper's end).
  const lowHz = Math.max(ir.lowHz * 2 ** (1 / 12), LOWEST_BAND_HZ * 2 ** (-0.5 / 48));
  const highHz = Math.min(ir.highHz, 0.5 * sampleRate);
  // Octave-band IRs (from the arrival on: decay times; all of it: the room window's end), started
  // first: the helper thread, if one runs, filters bands while this one computes the envelope.
  const bandJob = startOctaveBands(h, sampleRate, octaveCentresWithin(sampleRate, lowHz, highHz));
  let power: Float64Array;
  let bands: Array<{ hz: number; band: Float64Array }>;
  try {
    power = analyticPower(h);
  } finally {
    // Finished whatever happens: a job left open would keep every later loop from being shared.
    bands = bandJob.finish();
  }
  const truncation = findTruncation(power, arrival, sampleRate);
  const roomStart = 0; // the IR's whole pre-arrival part: the band tapers ring before the arrival too
  // Noise-only lags: the IR's last 40 %.
  const noiseFrom = Math.round(0.6 * h.length);
  // A sweep's noise at positive lags misses the top octaves (the capture ends soon after the sweep,
  // which plays them last); before the arrival it misses the bottom ones. The larger of the two.
  const preNoiseTo = ir.method === 'sweep-deconvolution' ? Math.max(0, arrival - Math.round(0.01 * sampleRate)) : 0;
  // The room window ends where the last octave band sinks into its noise (not where the broadband
  // ETC does: a recorded IR's own noise floor at the level of the measurement's is real response,
  // and cutting it cost 11 dB at 110 Hz; a sweep's far lags lack the treble's noise, which put the
  // broadband end 1.8 s out in a 1 s room), with a 10 % half-Hann fall after that point; at least
  // ROOM_MIN_S, never into the noise-only lags.
  // A whole-capture deconvolution of noise has, at lag τ, the capture's noise over its overlap with
  // the reference, (T − τ)/T of it (T the frames used); a sweep's is there or not, frequency by
  // frequency (see preNoiseTo); a periodic one's is the same at every lag.
  const noiseEnd = Math.min(h.length, noiseFrom + 2 * sampleRate);
  const overlapAt = (index: number): number => (ir.method === 'noise-deconvolution' ? Math.max(0.1, 1 - (index - arrival) / ir.usedFrames) : 1);
  const overlap = overlapAt((noiseFrom + noiseEnd) / 2);
  const tailEnd = significantTailEnd(bands, arrival, noiseFrom, sampleRate, preNoiseTo, (index) => overlapAt(index) / overlap);
  const roomEnd = Math.min(noiseFrom, Math.max(arrival + Math.round(ROOM_MIN_S * sampleRate), arrival + Math.round((tailEnd - arrival) / 0.9)));
  // The noise, from the noise-only lags, scaled back to lag 0.
  const measuredNoise = noiseFrom + 2048 <= noiseEnd ? noiseSpectrum(h.subarray(noiseFrom, noiseEnd), sampleRate) : null;
  const preNoise = preNoiseTo > 0 ? noiseSpectrum(h.subarray(0, preNoiseTo), sampleRate) : null;
  const noise = measuredNoise && { psd: (hz: number) => Math.max(measuredNoise.psd(hz) / overlap, preNoise ? preNoise.psd(hz) : 0) };
  const roomWindow = gateWindow(h.length, roomStart, roomEnd, Math.round(0.005 * sampleRate), Math.max(1, Math.round(0.1 * (roomEnd - arrival))));
  const room = windowedSpectrum(h, roomWindow, arrival, sampleRate, lowHz, highHz, noise, { minFftSize: nextFftSize(ROOM_BIN_RATIO * sampleRate) });
  return { lowHz, highHz, power, truncation, bands, noiseFrom, noiseEnd, overlap, preNoiseTo, roomStart, roomEnd, noise, room };
}

/**
 * The energy-time curve in dB re its peak, over the first `end` values of the envelope `power`.
 * The loops of the response stage that run over whole IRs are functions of their own (here and
 * below), so that V8 optimises each whole rather than one long function a loop at a time.
 */
function etcDbOf(power: Float64Array, end: number): Float64Array {
  let peakPower = 0;
  // An index loop: for…of over a typed array allocates an iterator result per value until V8 has optimised it.
  for (let i = 0; i < power.length; i++) peakPower = Math.max(peakPower, power[i]);
  const etc = new Float64Array(end);
  for (let i = 0; i < end; i++) etc[i] = 10 * Math.log10(Math.max(power[i] / (peakPower || 1), 1e-30));
  return etc;
}

/** The largest value of each `step` values of `values` over [from, to) (−300 for none), rounded to 4 decimals. */
function stepMaxima(values: Float64Array, from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i += step) {
    let m = -300;
    for (let j = i; j < Math.min(to, i + step); j++) m = Math.max(m, values[j]);
    out.push(round(m, 4));
  }
  return out;
}

/**
 * Everything the response output holds, from a measured impulse response. A click train's (see
 * clickFrequencyResponse) has no harmonics, counts its clicks as the averages, and gets decay times
 * only when its room window ends within the shortest click spacing (with a warning otherwise).
 */
export function responseFromImpulse(
  ir: ImpulseMeasurement | ClickImpulseMeasurement,
  options: {
    smoothing: SmoothingFraction;
    micCalibration?: MicCalibration;
    window?: WindowOptions;
    /** For noise runs without a whole period: the capture for Welch's estimate (see below). */
    welch?: { reference: Float32Array; capture: Float32Array; span: { startFrame: number; endFrame: number }; lag: { interceptFrames: number; slope: number } };
  },
  warnings: AnalysisWarning[],
): FrequencyResponseOutput | null {
  const { h, sampleRate, preFrames: arrival } = ir;
  const ms = (frames: number): number => (frames / sampleRate) * 1000;
  const { lowHz, highHz, power, truncation, bands, noiseFrom, noiseEnd, overlap, preNoiseTo, roomStart, roomEnd, noise, room: roomSpectrum } = roomWindowOf(ir);
  let room = roomSpectrum;
  const clicks = ir.method === 'click-averaging' ? ir : null;
  let averages = clicks ? clicks.eventsAveraged : Math.max(1, Math.floor(ir.usedFrames / (roomEnd - roomStart)));
  if (ir.method === 'noise-deconvolution' && options.welch) {
    // One noise realisation's spectrum dips, and dividing by it amplifies the noise there (about
    // 12 dB over a periodic stimulus): until the run holds a whole period, the room response is
    // Welch's H1 with segments at least 4× as long as the IR measured here (so they outlast the
    // room's decay) while the span gives 4 of them.
    const { span, lag } = options.welch;
    let fftSize = 4096;
    while (fftSize < 4 * (roomEnd - arrival) && span.endFrame - span.startFrame >= 2.25 * (2 * fftSize)) fftSize *= 2;
    fftSize = Math.max(fftSize, defaultFftSize(span.endFrame - span.startFrame));
    const welch = options.welch.reference && options.welch.capture
      ? estimateBandSpectra(options.welch.reference, options.welch.capture, sampleRate, { ...span, lag, fftSize })
      : null;
    if (welch && welch.bands.length > 0) {
      room = { bands: welch.bands, fftSize: welch.fftSize };
      averages = welch.averages;
    }
  }
  if (room.bands.length === 0) {
    warnings.push({ code: 'NO_FREQUENCY_RESPONSE', message: `${NO_RESPONSE_WARNING}the capture holds no part of the stimulus' band.` });
    return null;
  }
  const spectra: Pick<BandSpectra, 'bands'> = { bands: room.bands };
  const calibrate = (points: FrequencyPoint[]): FrequencyPoint[] => (options.micCalibration ? applyMicCalibration(points, options.micCalibration) : points);
  const points = calibrate(smoothResponse(spectra, options.smoothing));
  const coherence = medianCoherence(spectra);
  // Bands the noise reaches are flagged (greyed) point by point; when they are a tenth or more of
  // 100 Hz–10 kHz the result says so too, with where they lie (the median quality can still be high).
  const inRange = points.filter((p) => p.hz >= 100 && p.hz <= 10000);
  const flaggedPoints = inRange.filter((p) => p.lowQuality);
  if (coherence !== null && coherence < 0.8) {
    warnings.push({ code: 'LOW_COHERENCE', message: `Median response quality (coherence) over 100 Hz–10 kHz is ${coherence.toFixed(2)}: the response is noisy or the path is not linear and time-invariant; treat it with care.` });
  } else if (inRange.length > 0 && flaggedPoints.length >= 0.1 * inRange.length) {
    const hz = (v: number): string => (v >= 1000 ? `${(v / 1000).toFixed(1)} kHz` : `${v.toFixed(0)} Hz`);
    warnings.push({
      code: 'LOW_COHERENCE',
      message: `${Math.round((100 * flaggedPoints.length) / inRange.length)} % of the response between 100 Hz and 10 kHz (from ${hz(flaggedPoints[0].hz)} to ${hz(flaggedPoints[flaggedPoints.length - 1].hz)}) is at or below the noise: those points are greyed and may be several dB off.`,
    });
  }

  // Energy-time curve in dB re its peak, from the envelope.
  // Only as far as anything reads it: the stored part (below) and the speaker gate's search for the
  // first reflection (to roomEnd, at most 0.1 s after the arrival).
  const storedStart = Math.max(0, arrival - Math.round(0.01 * sampleRate));
  const storedEnd = Math.min(h.length, roomEnd, storedStart + IR_STORED_MAX);
  const etcEnd = Math.min(h.length, Math.max(storedEnd, Math.min(roomEnd, arrival + Math.round(0.1 * sampleRate))));
  const etcFull = etcDbOf(power, etcEnd);

  // Speaker window.
  const gate = speakerGate(h, etcFull, arrival, sampleRate, roomEnd, options.window);
  let speaker: ResponseWindows['speaker'] = null;
  if (gate) {
    const w = gateWindow(h.length, gate.start, gate.end, gate.rise, gate.fall);
    const gated = windowedSpectrum(h, w, arrival, sampleRate, lowHz, highHz, noise);
    const lowestValidHz = sampleRate / (gate.end - arrival);
    speaker = {
      startMs: ms(gate.start - arrival),
      endMs: ms(gate.end - arrival),
      firstReflectionMs: gate.firstReflection === null ? null : ms(gate.firstReflection - arrival),
      lowestValidHz,
      points: calibrate(smoothResponse({ bands: gated.bands }, options.smoothing)).map((p) => (p.hz < lowestValidHz ? { ...p, lowQuality: true } : p)),
      bands: gated.bands,
    };
  }
  const fdwPoints = frequencyDependentResponse(h, arrival, sampleRate, lowHz, highHz, { cycles: FDW_CYCLES, maxFrames: roomEnd - arrival });
  const fdw = options.micCalibration ? applyMicCalibration(fdwPoints.map((p) => ({ ...p, coherence: 1 })), options.micCalibration).map(({ hz, db, phaseDeg }) => ({ hz, db, phaseDeg })) : fdwPoints;

  // Stored IR, ETC and step response.
  const stored = h.subarray(storedStart, storedEnd);
  const etcStep = Math.max(1, Math.round((ETC_STEP_MS / 1000) * sampleRate));
  const etcDbValues = stepMaxima(etcFull, storedStart, storedEnd, etcStep);
  const stepEnd = Math.min(storedEnd, arrival + Math.round((STEP_STORED_MS / 1000) * sampleRate));
  const step = stepResponse(h.subarray(storedStart, stepEnd));

  const decayFrom = Math.max(0, arrival - Math.round(0.001 * sampleRate));
  // A click train's room that still rings when the next click arrives overlaps it: the neighbours'
  // ringing averages down as noise in the response, but not in a decay curve, which it would lengthen.
  const decayOverlapsNextClick = clicks !== null && roomEnd - arrival >= clicks.shortestSpacingFrames;
  if (decayOverlapsNextClick) {
    warnings.push({
      code: 'NO_DECAY_TIMES',
      message: `No decay times: the room rings for ${ms(roomEnd - arrival).toFixed(0)} ms (the room window), longer than the shortest spacing of the clicks averaged (${ms(clicks.shortestSpacingFrames).toFixed(0)} ms), so each click's decay overlaps the next click. Measure decay times with pink noise or a sweep.`,
    });
  }
  // Each band's noise as the room window's: from the noise-only lags (scaled back to lag 0) or, for a
  // sweep, from before the arrival, the larger; but not below 250 Hz, where the band taper's
  // pre-ringing reaches the octave band (63 and 125 Hz read no decay at all) and the far lags hold
  // the sweep's noise anyway (it plays the bass first).
  const decay = decayOverlapsNextClick
    ? null
    : decayOfBands(
      bands.map(({ hz, band }) => ({ hz, band: band.subarray(decayFrom), noisePower: Math.max(meanSquare(band, noiseFrom, noiseEnd) / overlap, hz >= 250 ? meanSquare(band, 0, preNoiseTo) : 0) })),
      sampleRate,
    );
  const distortion = ir.method !== 'click-averaging' && ir.harmonics.length > 0 ? harmonicDistortion(h, arrival, ir.harmonics, sampleRate, lowHz, highHz) : null;

  return {
    smoothing: options.smoothing,
    fftSize: room.fftSize,
    averages,
    referenceLevelDb: meanLevelDb(spectra),
    medianCoherence: coherence,
    micCalibration: options.micCalibration ? { applied: true, sensitivityDb: options.micCalibration.sensitivityDb, serial: options.micCalibration.serial } : null,
    points,
    bands: room.bands,
    impulse: {
      method: ir.method,
      sampleRate,
      periodsAveraged: ir.method === 'click-averaging' ? null : ir.periodsAveraged,
      ...(clicks ? { eventsAveraged: clicks.eventsAveraged, shortestSpacingMs: ms(clicks.shortestSpacingFrames) } : {}),
      startMs: ms(storedStart - arrival),
      samplesBase64: encodeFloat32Base64(stored),
      length: stored.length,
      peakIndex: peakIndex(stored),
      etc: { startMs: ms(storedStart - arrival), stepMs: ms(etcStep), db: etcDbValues },
      step: { startMs: ms(storedStart - arrival), stepMs: ms(1), values: Array.from(step, (v) => round(v, 6)) },
      noiseFloorDb: truncation.noiseDb,
      lowHz,
      highHz,
    },
    windows: {
      shown: 'room',
      room: { startMs: ms(roomStart - arrival), endMs: ms(roomEnd - arrival) },
      speaker,
      frequencyDependent: { cycles: FDW_CYCLES, points: fdw },
    },
    distortion,
    decay,
  };
}
