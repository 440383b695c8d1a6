/**
 * The impulse-response views shared by the app's charts and the HTML report, so that both show the
 * same thing: the response windows (room, speaker, frequency-dependent) with what each one means,
 * the stored IR, ETC and step response as time series (thinned by min/max per bucket, so a peak is
 * never lost), phase wrapped to ±180°, and harmonic distortion in dB.
 */
import { smoothResponse } from '../../analysis/frequency-response';
import { gateWindow, windowedSpectrum } from '../../analysis/ir-window';
import { decodeFloat32Base64, type FrequencyResponseOutput, type ImpulseResponseOutput } from '../../analysis/response-output';

export type ResponseWindowId = 'room' | 'speaker' | 'fdw';

export const RESPONSE_WINDOW_IDS: readonly ResponseWindowId[] = ['room', 'speaker', 'fdw'];

export const WINDOW_NAMES: Record<ResponseWindowId, string> = {
  room: 'Room',
  speaker: 'Speaker (gated)',
  fdw: 'Frequency-dependent',
};

export interface WindowPoint {
  hz: number;
  db: number;
  phaseDeg: number;
  lowQuality?: boolean;
}

export interface WindowCurve {
  id: ResponseWindowId;
  /** "Room window (whole IR, to 412 ms)" and the like: every chart and export names it. */
  description: string;
  points: WindowPoint[];
  /** Speaker window: 1 / gate length; the band below it is greyed. */
  lowestValidHz: number | null;
}

const fmt = (v: number, digits: number): string => Number(v.toFixed(digits)).toString();
const hzText = (hz: number): string => (hz >= 1000 ? `${fmt(hz / 1000, 2)} kHz` : `${Math.round(hz)} Hz`);

/** The windows the response holds: always the room one, the others when the engine computed them. */
export function availableWindows(fr: FrequencyResponseOutput): ResponseWindowId[] {
  const out: ResponseWindowId[] = ['room'];
  if (fr.windows?.speaker) out.push('speaker');
  if (fr.windows && fr.windows.frequencyDependent.points.length > 0) out.push('fdw');
  return out;
}

/** One sentence naming the window and its extent. */
export function windowDescription(fr: FrequencyResponseOutput, id: ResponseWindowId): string {
  const w = fr.windows;
  if (id === 'speaker' && w?.speaker) {
    const s = w.speaker;
    const reflection = s.firstReflectionMs === null ? 'gate set by hand' : `first reflection at ${fmt(s.firstReflectionMs, 2)} ms`;
    return `Speaker window (gated ${fmt(s.startMs, 2)} to ${fmt(s.endMs, 2)} ms re the arrival, ${reflection}; valid above ${hzText(s.lowestValidHz)})`;
  }
  if (id === 'fdw' && w) return `Frequency-dependent window (${w.frequencyDependent.cycles} cycles of each frequency)`;
  return w ? `Room window (the whole IR, to ${fmt(w.room.endMs, 0)} ms after the arrival)` : 'Room window (the whole capture)';
}

/** The response of a window; null when the report lacks it (older reports hold the room one only). */
export function windowCurve(fr: FrequencyResponseOutput, id: ResponseWindowId): WindowCurve | null {
  const w = fr.windows;
  if (id === 'room') return { id, description: windowDescription(fr, id), points: fr.points, lowestValidHz: null };
  if (id === 'speaker' && w?.speaker) return { id, description: windowDescription(fr, id), points: w.speaker.points, lowestValidHz: w.speaker.lowestValidHz };
  if (id === 'fdw' && w && w.frequencyDependent.points.length > 0) return { id, description: windowDescription(fr, id), points: w.frequencyDependent.points, lowestValidHz: null };
  return null;
}

/** Parses a window name as the CLI spells it (room, speaker, fdw or frequency-dependent). */
export function parseWindowId(text: string): ResponseWindowId | null {
  const t = text.trim().toLowerCase();
  if (t === 'room' || t === 'speaker' || t === 'fdw') return t;
  if (t === 'frequency-dependent') return 'fdw';
  return null;
}

/** Phase wrapped to (−180°, 180°]. */
export function wrapPhase(deg: number): number {
  const w = ((((deg + 180) % 360) + 360) % 360) - 180;
  return w === -180 ? 180 : w;
}

export interface TimePoint {
  ms: number;
  value: number;
}

/** The stored IR samples (the float32 base64), or null when malformed. */
export function impulseSamples(impulse: ImpulseResponseOutput): Float32Array | null {
  try {
    return decodeFloat32Base64(impulse.samplesBase64);
  } catch {
    return null;
  }
}

/**
 * Values on a regular time grid between `fromMs` and `toMs`, at most about `maxPoints`: where there
 * are more, each bucket keeps its minimum and maximum in time order.
 */
export function thinTimeSeries(values: ArrayLike<number>, startMs: number, stepMs: number, fromMs: number, toMs: number, maxPoints = 1600): TimePoint[] {
  const first = Math.max(0, Math.floor((fromMs - startMs) / stepMs));
  const last = Math.min(values.length - 1, Math.ceil((toMs - startMs) / stepMs));
  const out: TimePoint[] = [];
  if (last < first) return out;
  const count = last - first + 1;
  if (count <= maxPoints) {
    for (let i = first; i <= last; i++) out.push({ ms: startMs + i * stepMs, value: values[i] });
    return out;
  }
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const size = count / buckets;
  for (let b = 0; b < buckets; b++) {
    const from = first + Math.floor(b * size);
    const to = Math.min(last + 1, first + Math.floor((b + 1) * size));
    if (to <= from) continue;
    let lo = from;
    let hi = from;
    for (let i = from; i < to; i++) {
      if (values[i] < values[lo]) lo = i;
      if (values[i] > values[hi]) hi = i;
    }
    for (const i of lo <= hi ? [lo, hi] : [hi, lo]) if (out.length === 0 || out[out.length - 1].ms !== startMs + i * stepMs) out.push({ ms: startMs + i * stepMs, value: values[i] });
  }
  return out;
}

/** Time span the stored IR covers, ms re the arrival. */
export function impulseSpanMs(impulse: ImpulseResponseOutput): [number, number] {
  return [impulse.startMs, impulse.startMs + (impulse.length / impulse.sampleRate) * 1000];
}

/** The IR's samples normalised to its largest |h| (so 1 is the peak), over [fromMs, toMs]. */
export function impulseSeries(impulse: ImpulseResponseOutput, fromMs: number, toMs: number, maxPoints = 1600): TimePoint[] {
  const h = impulseSamples(impulse);
  if (!h || h.length === 0) return [];
  const peak = Math.abs(h[Math.min(h.length - 1, Math.max(0, impulse.peakIndex))]) || 1;
  const scaled = new Float32Array(h.length);
  for (let i = 0; i < h.length; i++) scaled[i] = h[i] / peak;
  return thinTimeSeries(scaled, impulse.startMs, 1000 / impulse.sampleRate, fromMs, toMs, maxPoints);
}

/** The energy-time curve, dB re its peak, over [fromMs, toMs]. */
export function etcSeries(impulse: ImpulseResponseOutput, fromMs: number, toMs: number, maxPoints = 1600): TimePoint[] {
  return thinTimeSeries(impulse.etc.db, impulse.etc.startMs, impulse.etc.stepMs, fromMs, toMs, maxPoints);
}

/** The step response normalised to its largest |value|, over [fromMs, toMs]. */
export function stepSeries(impulse: ImpulseResponseOutput, fromMs: number, toMs: number, maxPoints = 1600): TimePoint[] {
  const v = impulse.step.values;
  let peak = 0;
  for (const x of v) peak = Math.max(peak, Math.abs(x));
  const scaled = v.map((x) => x / (peak || 1));
  return thinTimeSeries(scaled, impulse.step.startMs, impulse.step.stepMs, fromMs, toMs, maxPoints);
}

/** Time span of the stored step response, ms. */
export function stepSpanMs(impulse: ImpulseResponseOutput): [number, number] {
  return [impulse.step.startMs, impulse.step.startMs + impulse.step.values.length * impulse.step.stepMs];
}

/** THD as dB re the fundamental (null at 0 %). */
export const thdDb = (percent: number): number | null => (percent > 0 ? 20 * Math.log10(percent / 100) : null);

/** Shortest and longest speaker gate a user can set, ms after the arrival. */
export const GATE_MS_RANGE: readonly [number, number] = [0.5, 500];

/**
 * The speaker window with a gate of the user's choosing (`gateMs` after the arrival, from 1 ms
 * before it, the same half-Hann edges as the engine's), computed from the stored IR and smoothed
 * as the report's response. The band below 1 / gate is flagged lowQuality. A microphone calibration
 * the report applied is carried over from the room window (its correction per band). Null when the
 * report stores no IR or the gate is outside GATE_MS_RANGE or the stored IR.
 */
export function gatedSpeakerCurve(fr: FrequencyResponseOutput, gateMs: number): WindowCurve | null {
  const impulse = fr.impulse;
  if (!impulse || !(gateMs >= GATE_MS_RANGE[0] && gateMs <= GATE_MS_RANGE[1])) return null;
  const h = impulseSamples(impulse);
  if (!h) return null;
  const sr = impulse.sampleRate;
  const arrival = Math.round((-impulse.startMs / 1000) * sr);
  const end = arrival + Math.round((gateMs / 1000) * sr);
  if (end > h.length || end - arrival < 2) return null;
  const start = Math.max(0, arrival - Math.round(0.001 * sr));
  const w = gateWindow(h.length, start, end, Math.round(0.0005 * sr), Math.max(1, Math.round(0.25 * (end - arrival))));
  const spectrum = windowedSpectrum(h, w, arrival, sr, impulse.lowHz, impulse.highHz, null);
  const lowestValidHz = sr / (end - arrival);
  let correction: ((hz: number) => number) | null = null;
  if (fr.micCalibration && fr.bands.length > 0) {
    const uncalibrated = new Map(smoothResponse({ bands: fr.bands }, fr.smoothing).map((p) => [p.hz.toPrecision(9), p.db]));
    const byHz = new Map(fr.points.map((p) => [p.hz.toPrecision(9), p.db - (uncalibrated.get(p.hz.toPrecision(9)) ?? p.db)]));
    correction = (hz) => byHz.get(hz.toPrecision(9)) ?? 0;
  }
  const points = smoothResponse({ bands: spectrum.bands }, fr.smoothing).map((p) => {
    const db = correction ? p.db + correction(p.hz) : p.db;
    return p.hz < lowestValidHz ? { ...p, db, lowQuality: true } : { ...p, db };
  });
  return {
    id: 'speaker',
    description: `Speaker window (gated ${fmt(-(arrival - start) / sr * 1000, 2)} to ${fmt(gateMs, 2)} ms re the arrival, gate set by hand; valid above ${hzText(lowestValidHz)})`,
    points,
    lowestValidHz,
  };
}
