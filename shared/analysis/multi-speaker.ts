/**
 * One signal, several speakers (a multi-room group, or a stereo pair fed one stream): the user says
 * how many speakers play; the analysis finds that many distinct arrivals of the click train in one
 * microphone capture, and refuses, with the reason, when it cannot separate them.
 *
 * 1. Every click of the reference is correlated (plainly, so a peak's height is the path's gain)
 *    with the capture over the whole latency range. Squared and smoothed over ±0.25 ms, the
 *    correlations of the first `BLOCK_EVENTS` clicks are averaged: a path's arrival lines up in
 *    every one of them; the other clicks of the train fall at a different lag each time (the
 *    intervals are irregular) and average out. Its peaks, at least `MIN_SEPARATION_MS` apart and no
 *    more than `MAX_LEVEL_RANGE_DB` below the strongest, are the candidate arrivals.
 * 2. Each candidate is followed click by click: the correlation's peak within ±`TRACK_HALF_MS` of
 *    where it was last, refined to a fraction of a sample (band-limited interpolation). A click
 *    whose peak is under a quarter of the arrival's typical height is a dropout. A line through the
 *    arrival's lags gives its drift; a candidate whose lags spread more than `MAX_TRACK_JITTER_MS`
 *    around it is noise or the room's tail, and one more than `MAX_LEVEL_RANGE_DB` below the
 *    strongest arrival is not counted (so per-click jitter beyond ±0.4 ms is not followed).
 * 3. A speaker and its reflections play from one clock; two wireless speakers do not. The strongest
 *    arrival is a speaker; every further candidate, strongest first, is another speaker only when
 *    its drift differs from every speaker found so far by more than max(`MIN_RELATIVE_PPM`,
 *    4 standard errors). Otherwise it keeps a fixed distance to one of them: a reflection, or a
 *    speaker on the same clock, which no capture from one place can tell apart.
 * Fewer than N speakers found: refused, with why (no further arrival strong enough; or the next
 * arrivals keep a fixed distance to a stronger one; or two arrivals closer than the resolution).
 */
import { refinePeak } from '../dsp/subsample-peak';
import { fitLine, median } from '../primitives/statistics';
import { describeStimulus, isRefusal } from './stimulus-layout';

export const MIN_SEPARATION_MS = 1;
export const MAX_LEVEL_RANGE_DB = 20;
export const TRACK_HALF_MS = 0.4;
export const MIN_RELATIVE_PPM = 2;
/** Largest spread of an arrival's lags around its drift line: more is noise, not a path. */
export const MAX_TRACK_JITTER_MS = 0.1;
const BLOCK_EVENTS = 8;
const INTERPOLATION_TAPS = 40;

export interface SpeakerArrival {
  latencyMs: number;
  /** Path gain at the arrival (the correlation peak over the click's own energy), dB. */
  levelDb: number;
  /** Drift of this arrival against the capture clock (its lag grows by ppm·1e-6 per frame). */
  driftPpm: number;
  driftPpmStdError: number | null;
  /** Clicks measured and clicks missing. */
  events: number;
  dropouts: number;
}

export type MultiSpeakerRefusalReason = 'NOT_CLICKS' | 'TOO_FEW_EVENTS' | 'TOO_WEAK_OR_TOO_CLOSE' | 'TOO_CLOSE' | 'SAME_CLOCK';

export type MultiSpeakerResult =
  | { status: 'ok'; speakers: SpeakerArrival[]; syncSpreadMs: number; warnings: Array<{ code: string; message: string }> }
  | { status: 'refused'; reason: MultiSpeakerRefusalReason; message: string; found: SpeakerArrival[] };

export interface MultiSpeakerOptions {
  speakers: number;
  /** Longest latency searched for, ms. Default 1000. */
  maxLatencyMs?: number;
  /** Shortest latency searched for, ms. Default 0. */
  minLatencyMs?: number;
}

interface Track extends SpeakerArrival {
  lags: Array<{ frame: number; lag: number }>;
}

export function analyzeMultiSpeaker(reference: Float32Array, capture: Float32Array, sampleRate: number, options: MultiSpeakerOptions): MultiSpeakerResult {
  const n = options.speakers;
  if (!Number.isInteger(n) || n < 1 || n > 8) throw new RangeError(`speakers must be an integer 1..8, got ${n}`);
  const refuse = (reason: MultiSpeakerRefusalReason, message: string, found: SpeakerArrival[] = []): MultiSpeakerResult => ({ status: 'refused', reason, message, found });
  const layout = describeStimulus(reference, sampleRate, {});
  if (isRefusal(layout) || layout.kind !== 'click') return refuse('NOT_CLICKS', 'Several speakers are told apart with a click reference (latency-lab generate --signal click).');
  const events = layout.events;
  if (events.length < BLOCK_EVENTS) return refuse('TOO_FEW_EVENTS', `The reference has ${events.length} clicks; telling speakers apart needs at least ${BLOCK_EVENTS}.`);
  const template = reference.subarray(events[0].startFrame, events[0].endFrame);
  const half = events[0].anchorFrame - events[0].startFrame;
  let templateEnergy = 0;
  for (const v of template) templateEnergy += v * v;
  // r(lag) for the click anchored at `anchor`: the correlation of its template with the capture, over the template's energy.
  const corr = (anchor: number, lag: number): number => {
    const start = anchor - half + lag;
    let s = 0;
    for (let k = 0; k < template.length; k++) s += template[k] * (capture[start + k] ?? 0);
    return s / templateEnergy;
  };
  const minLag = Math.round(((options.minLatencyMs ?? 0) / 1000) * sampleRate);
  const maxLag = Math.round(((options.maxLatencyMs ?? 1000) / 1000) * sampleRate);
  const lags = maxLag - minLag + 1;

  // 1. Candidates from the averaged, smoothed squared correlation of the first clicks.
  const average = new Float64Array(lags);
  const block = events.slice(0, BLOCK_EVENTS).filter((e) => e.anchorFrame + maxLag + half < capture.length);
  if (block.length < BLOCK_EVENTS / 2) return refuse('TOO_FEW_EVENTS', 'The capture ends before the first clicks could arrive over the latency range searched.');
  for (const e of block) for (let l = 0; l < lags; l++) average[l] += corr(e.anchorFrame, minLag + l) ** 2;
  const smoothHalf = Math.max(1, Math.round(0.00025 * sampleRate));
  const envelope = new Float64Array(lags);
  let acc = 0;
  for (let l = 0; l < lags + smoothHalf; l++) {
    if (l < lags) acc += average[l];
    if (l - 2 * smoothHalf - 1 >= 0) acc -= average[l - 2 * smoothHalf - 1];
    if (l - smoothHalf >= 0 && l - smoothHalf < lags) envelope[l - smoothHalf] = acc;
  }
  const separation = Math.round((MIN_SEPARATION_MS / 1000) * sampleRate);
  const suppressed = new Uint8Array(lags);
  const candidates: number[] = [];
  let strongest = 0;
  for (let round = 0; round < 3 * n + 3; round++) {
    let best = -1;
    for (let l = 0; l < lags; l++) if (!suppressed[l] && (best < 0 || envelope[l] > envelope[best])) best = l;
    if (best < 0 || envelope[best] <= 0) break;
    if (round === 0) strongest = envelope[best];
    if (envelope[best] < strongest * 10 ** (-MAX_LEVEL_RANGE_DB / 10)) break;
    for (let l = Math.max(0, best - separation); l <= Math.min(lags - 1, best + separation); l++) suppressed[l] = 1;
    candidates.push(minLag + best);
  }

  // 2. Each candidate followed click by click.
  const trackHalf = Math.max(2, Math.round((TRACK_HALF_MS / 1000) * sampleRate));
  const tracks: Track[] = [];
  for (const start of candidates) {
    let predicted = start;
    const found: Array<{ frame: number; lag: number; height: number }> = [];
    for (const e of events) {
      if (e.anchorFrame + predicted + trackHalf + half + INTERPOLATION_TAPS >= capture.length) break;
      const from = Math.round(predicted) - trackHalf - INTERPOLATION_TAPS;
      const values = new Float64Array(2 * (trackHalf + INTERPOLATION_TAPS) + 1);
      for (let k = 0; k < values.length; k++) values[k] = corr(e.anchorFrame, from + k);
      let peak = INTERPOLATION_TAPS;
      for (let k = INTERPOLATION_TAPS; k < values.length - INTERPOLATION_TAPS; k++) if (Math.abs(values[k]) > Math.abs(values[peak])) peak = k;
      const refined = refinePeak(values, peak);
      const here = { frame: e.anchorFrame, lag: from + refined.position, height: Math.abs(refined.value) };
      found.push(here);
      // The prediction follows the arrival (drift moves it by microseconds per click), not a dropout's noise.
      if (here.height >= 0.25 * median(found.slice(-8).map((f) => f.height))) predicted = here.lag;
    }
    const typical = median(found.map((f) => f.height));
    const kept = found.filter((f) => f.height >= 0.25 * typical);
    if (kept.length < 3) continue;
    const fit = fitLine(kept.map((f) => f.frame), kept.map((f) => f.lag));
    // An arrival keeps to its line within microseconds; a peak of noise or of the room's tail wanders.
    if (fit.residualStd > (MAX_TRACK_JITTER_MS / 1000) * sampleRate) continue;
    tracks.push({
      latencyMs: (median(kept.map((f) => f.lag)) / sampleRate) * 1000,
      levelDb: 20 * Math.log10(median(kept.map((f) => f.height))),
      driftPpm: fit.slope * 1e6,
      driftPpmStdError: Number.isFinite(fit.slopeStdError) ? fit.slopeStdError * 1e6 : null,
      events: kept.length,
      dropouts: found.length - kept.length,
      lags: kept.map(({ frame, lag }) => ({ frame, lag })),
    });
  }
  tracks.sort((a, b) => b.levelDb - a.levelDb);
  const audible = tracks.filter((t) => t.levelDb >= tracks[0].levelDb - MAX_LEVEL_RANGE_DB);

  // 3. Speakers: arrivals that drift against every stronger speaker.
  const speakers: Track[] = [];
  let sameClock: { weak: Track; of: Track } | null = null;
  for (const t of audible) {
    if (speakers.length === n) break;
    const tiedTo = speakers.find((s) => {
      const se = Math.hypot(s.driftPpmStdError ?? 0, t.driftPpmStdError ?? 0);
      return Math.abs(t.driftPpm - s.driftPpm) <= Math.max(MIN_RELATIVE_PPM, 4 * se);
    });
    if (tiedTo) {
      sameClock ??= { weak: t, of: tiedTo };
      continue;
    }
    speakers.push(t);
  }
  const publicOf = ({ lags: _lags, ...arrival }: Track): SpeakerArrival => arrival;
  const byArrival = speakers.map(publicOf).sort((a, b) => a.latencyMs - b.latencyMs);
  if (speakers.length < n) {
    const text = (t: Track): string => `${t.latencyMs.toFixed(1)} ms (${t.levelDb.toFixed(1)} dB)`;
    if (sameClock) {
      return refuse('SAME_CLOCK', `Found ${speakers.length} of ${n} speakers: the next arrival, at ${text(sameClock.weak)}, keeps a fixed distance to the one at ${text(sameClock.of)} (relative drift ${(sameClock.weak.driftPpm - sameClock.of.driftPpm).toFixed(1)} ppm), so it is a reflection or a speaker on the same clock; from one microphone position they cannot be told apart. Measure with the microphone next to each speaker in turn.`, byArrival);
    }
    return refuse('TOO_WEAK_OR_TOO_CLOSE', `Found ${speakers.length} of ${n} speakers: no further arrival stands within ${MAX_LEVEL_RANGE_DB} dB of the strongest and at least ${MIN_SEPARATION_MS} ms from the others; a speaker is too weak where the microphone is, or two arrive less than ${MIN_SEPARATION_MS} ms apart.`, byArrival);
  }
  // Two speakers whose arrivals cross within the resolution were followed through each other: not separable.
  for (let i = 0; i < speakers.length; i++) {
    for (let j = i + 1; j < speakers.length; j++) {
      const a = speakers[i].lags;
      const b = new Map(speakers[j].lags.map((x) => [x.frame, x.lag]));
      const closest = Math.min(...a.filter((x) => b.has(x.frame)).map((x) => Math.abs(x.lag - (b.get(x.frame) as number))));
      if (closest < separation) return refuse('TOO_CLOSE', `Two arrivals come within ${((closest / sampleRate) * 1000).toFixed(2)} ms of each other during the run, closer than the ${MIN_SEPARATION_MS} ms the clicks can separate.`, byArrival);
    }
  }
  const warnings: Array<{ code: string; message: string }> = [];
  if (sameClock) warnings.push({ code: 'REFLECTIONS_IGNORED', message: `The arrival at ${sameClock.weak.latencyMs.toFixed(1)} ms keeps a fixed distance to the speaker at ${sameClock.of.latencyMs.toFixed(1)} ms and was taken for its reflection.` });
  const latencies = byArrival.map((s) => s.latencyMs);
  return { status: 'ok', speakers: byArrival, syncSpreadMs: Math.max(...latencies) - Math.min(...latencies), warnings };
}
