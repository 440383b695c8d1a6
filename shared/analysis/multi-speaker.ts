/**
 * One signal, several speakers (a multi-room group, or a stereo pair fed one stream): the user says
 * how many speakers play; the analysis finds that many distinct arrivals of the click train in one
 * microphone capture, and refuses, with the reason, when it cannot separate them.
 *
 * 1. Every click of the reference is correlated (plainly, so a peak's height is the path's gain)
 *    with the capture over the whole latency range. Squared and smoothed over ±0.25 ms, the
 *    correlations of a block of `BLOCK_EVENTS` clicks are averaged: a path's arrival lines up in
 *    every one of them; the other clicks of the train fall at a different lag each time (the
 *    intervals are irregular) and average out. Its peaks, at least `MIN_SEPARATION_MS` apart and no
 *    more than `MAX_LEVEL_RANGE_DB` below the strongest, are the candidate arrivals. Up to
 *    `DISCOVERY_BLOCKS` blocks spread over the run are searched, so a speaker that joins late or
 *    leaves early is found too (and said to be heard over part of the run only, PARTIAL_RUN).
 * 2. Each candidate is followed click by click, from its block to both ends of the run: the
 *    correlation's peak within a window around the median of its last lags (±`TRACK_HALF_MS`, as
 *    wide as a wireless speaker's per-click jitter, narrowed to stay clear of a stronger arrival
 *    nearby, never below ±`MIN_TRACK_HALF_MS`), refined to a fraction of a sample (band-limited
 *    interpolation). A click whose peak is under half the arrival's typical height is a dropout
 *    (or the speaker not playing yet). A line through the arrival's lags gives its drift; a
 *    candidate heard in under 70 % of the clicks of its span, or whose lags wander over the whole
 *    window, is noise or the room's tail. Candidates that followed the same arrival are merged.
 * 3. A speaker and its reflections play from one clock and one buffer: click by click, a reflection
 *    keeps a fixed distance to its speaker. The strongest arrival is a speaker; every further
 *    candidate, strongest first, is another speaker when its distance to every speaker found so far
 *    drifts (by more than max(`MIN_RELATIVE_PPM`, 4 standard errors)) or jitters from click to click
 *    (by more than `MAX_PAIR_JITTER_MS`, independent buffers). Otherwise it is a reflection, or a
 *    speaker on the same clock and buffer, which no capture from one place can tell apart. An
 *    arrival heard only while a stronger one is not (no clicks in common) is that speaker after a
 *    latency jump, or another speaker taking over: not counted, and said (LATENCY_JUMP, or the
 *    refusal JUMP_OR_TAKEOVER when it was needed to make up N).
 * Fewer than N speakers found: refused, with why (no further arrival strong enough; or the next
 * arrivals keep a fixed distance to a stronger one; or two arrivals closer than the resolution).
 */
import { refinePeak } from '../dsp/subsample-peak';
import { fitLine, median } from '../primitives/statistics';
import { describeStimulus, isRefusal, type StimulusEvent } from './stimulus-layout';

export const MIN_SEPARATION_MS = 1;
export const MAX_LEVEL_RANGE_DB = 20;
/** Half-width of the window an arrival is followed in from click to click: its jitter may be this large. */
export const TRACK_HALF_MS = 2;
/** The narrowest such window, for an arrival close to a stronger one. */
export const MIN_TRACK_HALF_MS = 0.4;
export const MIN_RELATIVE_PPM = 2;
/**
 * Largest click-to-click spread of one arrival's distance to another for the two to count as one
 * source (a speaker and its reflection): independent buffers jitter apart by more.
 */
export const MAX_PAIR_JITTER_MS = 0.05;
const BLOCK_EVENTS = 8;
/** Blocks of clicks, spread over the run, in which arrivals are looked for. */
const DISCOVERY_BLOCKS = 4;
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

export type MultiSpeakerRefusalReason = 'NOT_CLICKS' | 'TOO_FEW_EVENTS' | 'TOO_WEAK_OR_TOO_CLOSE' | 'TOO_CLOSE' | 'SAME_CLOCK' | 'JUMP_OR_TAKEOVER';

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
  /** First and last click heard, seconds from the first click. */
  heardFromS: number;
  heardToS: number;
  /** Heard over less than most of the run. */
  partial: boolean;
}

/** Share of the clicks both tracks measured where their lags agree within `toleranceFrames`. */
function agreement(a: Track['lags'], b: Track['lags'], toleranceFrames: number): number {
  const other = new Map(b.map((x) => [x.frame, x.lag]));
  let common = 0;
  let close = 0;
  for (const x of a) {
    const y = other.get(x.frame);
    if (y === undefined) continue;
    common++;
    if (Math.abs(x.lag - y) <= toleranceFrames) close++;
  }
  return common === 0 ? 0 : close / common;
}

/** How `b` moves against `a` over the clicks both measured: relative drift and the spread around it. */
function relativeMotion(a: Track['lags'], b: Track['lags']): { driftPpm: number; residualFrames: number } | null {
  const other = new Map(b.map((x) => [x.frame, x.lag]));
  const frames: number[] = [];
  const differences: number[] = [];
  for (const x of a) {
    const y = other.get(x.frame);
    if (y !== undefined) {
      frames.push(x.frame);
      differences.push(y - x.lag);
    }
  }
  if (frames.length < 3) return null;
  const fit = fitLine(frames, differences);
  return { driftPpm: fit.slope * 1e6, residualFrames: fit.residualStd };
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

  // 1. Candidates from the averaged, smoothed squared correlation of blocks of clicks spread over the
  //    run (a speaker that joins late or leaves early is heard in some blocks only).
  const playable = events.filter((e) => e.anchorFrame + maxLag + half < capture.length);
  if (playable.length < BLOCK_EVENTS / 2) return refuse('TOO_FEW_EVENTS', 'The capture ends before the first clicks could arrive over the latency range searched.');
  const smoothHalf = Math.max(1, Math.round(0.00025 * sampleRate));
  const separation = Math.round((MIN_SEPARATION_MS / 1000) * sampleRate);
  const blockCount = Math.max(1, Math.min(DISCOVERY_BLOCKS, Math.floor(playable.length / BLOCK_EVENTS)));
  const candidates: Array<{ lag: number; block: StimulusEvent[]; strength: number }> = [];
  for (let b = 0; b < blockCount; b++) {
    const first = blockCount === 1 ? 0 : Math.round((b * (playable.length - BLOCK_EVENTS)) / (blockCount - 1));
    const block = playable.slice(Math.max(0, first), Math.max(0, first) + BLOCK_EVENTS);
    const average = new Float64Array(lags);
    for (const e of block) for (let l = 0; l < lags; l++) average[l] += corr(e.anchorFrame, minLag + l) ** 2;
    const envelope = new Float64Array(lags);
    let acc = 0;
    for (let l = 0; l < lags + smoothHalf; l++) {
      if (l < lags) acc += average[l];
      if (l - 2 * smoothHalf - 1 >= 0) acc -= average[l - 2 * smoothHalf - 1];
      if (l - smoothHalf >= 0 && l - smoothHalf < lags) envelope[l - smoothHalf] = acc;
    }
    const suppressed = new Uint8Array(lags);
    let strongest = 0;
    for (let round = 0; round < 3 * n + 3; round++) {
      let best = -1;
      for (let l = 0; l < lags; l++) if (!suppressed[l] && (best < 0 || envelope[l] > envelope[best])) best = l;
      if (best < 0 || envelope[best] <= 0) break;
      if (round === 0) strongest = envelope[best];
      if (envelope[best] < strongest * 10 ** (-MAX_LEVEL_RANGE_DB / 10)) break;
      for (let l = Math.max(0, best - separation); l <= Math.min(lags - 1, best + separation); l++) suppressed[l] = 1;
      candidates.push({ lag: minLag + best, block, strength: envelope[best] });
    }
  }

  // 2. Each candidate followed click by click, from its block to both ends of the run.
  const trackHalf = Math.max(2, Math.round((TRACK_HALF_MS / 1000) * sampleRate));
  const minTrackHalf = Math.max(2, Math.round((MIN_TRACK_HALF_MS / 1000) * sampleRate));
  const pairJitter = (MAX_PAIR_JITTER_MS / 1000) * sampleRate;
  type Found = { frame: number; lag: number; height: number };
  const measure = (e: StimulusEvent, predicted: number, windowHalf: number): Found | null => {
    if (e.anchorFrame + predicted + windowHalf + half + INTERPOLATION_TAPS >= capture.length) return null;
    const from = Math.round(predicted) - windowHalf - INTERPOLATION_TAPS;
    const values = new Float64Array(2 * (windowHalf + INTERPOLATION_TAPS) + 1);
    for (let k = 0; k < values.length; k++) values[k] = corr(e.anchorFrame, from + k);
    let peak = INTERPOLATION_TAPS;
    for (let k = INTERPOLATION_TAPS; k < values.length - INTERPOLATION_TAPS; k++) if (Math.abs(values[k]) > Math.abs(values[peak])) peak = k;
    const refined = refinePeak(values, peak);
    return { frame: e.anchorFrame, lag: from + refined.position, height: Math.abs(refined.value) };
  };
  const tracks: Track[] = [];
  for (const candidate of candidates) {
    // The arrival's typical height, from the clicks it was found in.
    // Followed in a window as wide as a wireless speaker's jitter, but never reaching a stronger
    // arrival found nearby (a speaker, for its reflection): it would be taken instead.
    const nearestStronger = Math.min(...candidates.filter((c) => c.block === candidate.block && c.strength > candidate.strength).map((c) => Math.abs(c.lag - candidate.lag)));
    const windowHalf = Math.max(minTrackHalf, Math.min(trackHalf, Math.floor(0.45 * nearestStronger)));
    const seed = candidate.block.map((e) => measure(e, candidate.lag, windowHalf)).filter((f): f is Found => f !== null);
    if (seed.length === 0) continue;
    // Of the block's clicks, those it plays in (a speaker may join within the block).
    const loudest = Math.max(...seed.map((f) => f.height));
    const typical = median(seed.filter((f) => f.height >= 0.5 * loudest).map((f) => f.height));
    const startIndex = events.indexOf(candidate.block[Math.floor(candidate.block.length / 2)]);
    const follow = (indices: number[]): Found[] => {
      const heard: Found[] = [];
      const out: Found[] = [];
      for (const i of indices) {
        // The prediction is the median of the last lags heard: it follows drift, not one click's jitter.
        const predicted = heard.length === 0 ? candidate.lag : median(heard.slice(-5).map((f) => f.lag));
        const here = measure(events[i], predicted, windowHalf);
        if (!here) break;
        out.push(here);
        if (here.height >= 0.5 * typical) heard.push(here);
      }
      return out;
    };
    const forward = follow(events.map((_, i) => i).filter((i) => i >= startIndex));
    const backward = follow(events.map((_, i) => i).filter((i) => i < startIndex).reverse()).reverse();
    const found = [...backward, ...forward];
    const kept = found.filter((f) => f.height >= 0.5 * typical);
    if (kept.length < 3) continue;
    // Heard in most clicks between its first and last: a path; a peak of noise is heard now and then.
    const span = found.filter((f) => f.frame >= kept[0].frame && f.frame <= kept[kept.length - 1].frame);
    if (kept.length < 0.7 * span.length) continue;
    const fit = fitLine(kept.map((f) => f.frame), kept.map((f) => f.lag));
    // Wanders over the whole window: noise or the room's tail, not an arrival with jitter.
    if (fit.residualStd > 0.45 * windowHalf) continue;
    const track: Track = {
      latencyMs: (median(kept.map((f) => f.lag)) / sampleRate) * 1000,
      levelDb: 20 * Math.log10(median(kept.map((f) => f.height))),
      driftPpm: fit.slope * 1e6,
      driftPpmStdError: Number.isFinite(fit.slopeStdError) ? fit.slopeStdError * 1e6 : null,
      events: kept.length,
      dropouts: found.length - kept.length,
      lags: kept.map(({ frame, lag }) => ({ frame, lag })),
      heardFromS: (kept[0].frame - events[0].anchorFrame) / sampleRate,
      heardToS: (kept[kept.length - 1].frame - events[0].anchorFrame) / sampleRate,
      partial: span.length < 0.85 * found.length,
    };
    // Candidates from several blocks (or from one jittery blob) that followed the same arrival: one.
    const same = tracks.findIndex((t) => agreement(t.lags, track.lags, separation / 4) >= 0.7);
    if (same < 0) tracks.push(track);
    else if (track.levelDb > tracks[same].levelDb + 0.5 || (track.levelDb > tracks[same].levelDb - 0.5 && track.events > tracks[same].events)) tracks[same] = track;
  }
  tracks.sort((a, b) => b.levelDb - a.levelDb);
  const audible = tracks.filter((t) => t.levelDb >= tracks[0].levelDb - MAX_LEVEL_RANGE_DB);

  // 3. Speakers: arrivals that move against every stronger speaker, by drift or by their own jitter.
  //    A reflection (or a speaker on the same clock and buffer) keeps a fixed distance, click by click.
  const speakers: Track[] = [];
  let sameClock: { weak: Track; of: Track } | null = null;
  // An arrival heard only while a stronger one is not: that speaker's latency jumped (a wireless
  // buffer resizing), or another speaker took over; with no clicks in common, nothing tells which.
  let handover: { weak: Track; of: Track } | null = null;
  for (const t of audible) {
    if (speakers.length === n) break;
    const apart = speakers.find((s) => relativeMotion(s.lags, t.lags) === null);
    if (apart) {
      handover ??= { weak: t, of: apart };
      continue;
    }
    const tiedTo = speakers.find((s) => {
      const pair = relativeMotion(s.lags, t.lags);
      if (!pair) return false;
      const se = Math.hypot(s.driftPpmStdError ?? 0, t.driftPpmStdError ?? 0);
      return Math.abs(pair.driftPpm) <= Math.max(MIN_RELATIVE_PPM, 4 * se) && pair.residualFrames <= pairJitter;
    });
    if (tiedTo) {
      sameClock ??= { weak: t, of: tiedTo };
      continue;
    }
    speakers.push(t);
  }
  const publicOf = ({ lags: _lags, heardFromS: _from, heardToS: _to, partial: _partial, ...arrival }: Track): SpeakerArrival => arrival;
  const byArrival = speakers.map(publicOf).sort((a, b) => a.latencyMs - b.latencyMs);
  if (speakers.length < n) {
    const text = (t: Track): string => `${t.latencyMs.toFixed(1)} ms (${t.levelDb.toFixed(1)} dB)`;
    if (sameClock) {
      return refuse('SAME_CLOCK', `Found ${speakers.length} of ${n} speakers: the next arrival, at ${text(sameClock.weak)}, keeps a fixed distance to the one at ${text(sameClock.of)} (relative drift ${(sameClock.weak.driftPpm - sameClock.of.driftPpm).toFixed(1)} ppm), so it is a reflection or a speaker on the same clock; from one microphone position they cannot be told apart. Measure with the microphone next to each speaker in turn.`, byArrival);
    }
    if (handover) {
      return refuse('JUMP_OR_TAKEOVER', `Found ${speakers.length} of ${n} speakers: the next arrival, at ${text(handover.weak)}, is heard only from ${handover.weak.heardFromS.toFixed(1)} s to ${handover.weak.heardToS.toFixed(1)} s, while the one at ${text(handover.of)} is heard from ${handover.of.heardFromS.toFixed(1)} s to ${handover.of.heardToS.toFixed(1)} s: that speaker's latency jumped, or another speaker took over, and one capture cannot tell which. Run again; if it repeats, measure with the microphone next to each speaker in turn.`, byArrival);
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
  for (const t of speakers) {
    if (t.partial) warnings.push({ code: 'PARTIAL_RUN', message: `The speaker at ${t.latencyMs.toFixed(1)} ms was heard from ${t.heardFromS.toFixed(1)} s to ${t.heardToS.toFixed(1)} s of the run only (it joined late, left early, or was silent): its figures describe that part.` });
  }
  if (handover) warnings.push({ code: 'LATENCY_JUMP', message: `An arrival at ${handover.weak.latencyMs.toFixed(1)} ms is heard from ${handover.weak.heardFromS.toFixed(1)} s to ${handover.weak.heardToS.toFixed(1)} s, when the speaker at ${handover.of.latencyMs.toFixed(1)} ms is not: its latency jumped (or another speaker took over); that speaker's figures describe ${handover.of.heardFromS.toFixed(1)}–${handover.of.heardToS.toFixed(1)} s.` });
  if (sameClock) warnings.push({ code: 'REFLECTIONS_IGNORED', message: `The arrival at ${sameClock.weak.latencyMs.toFixed(1)} ms keeps a fixed distance to the speaker at ${sameClock.of.latencyMs.toFixed(1)} ms and was taken for its reflection.` });
  const latencies = byArrival.map((s) => s.latencyMs);
  return { status: 'ok', speakers: byArrival, syncSpreadMs: Math.max(...latencies) - Math.min(...latencies), warnings };
}
