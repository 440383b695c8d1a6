/**
 * Several outputs measured in one run (shared/stimulus/multi-output.ts): one microphone capture
 * analysed against each output's channel of the reference with the ordinary per-event analysis,
 * then compared between outputs.
 *
 * Per output: the latency statistics of analyzeLatency (as for one output), its drift against the
 * capture clock, dropouts, and its level (path gain). Between outputs: each one's offset from the
 * first, the relative drift (ppm and ms per minute) and whether the spread between them stays within
 * a sync tolerance over the run.
 *
 * Other outputs' clicks are not taken for this output's: the outputs take turns on one irregular
 * train, so this output's schedule lines up with another's clicks one click at a time at most
 * (acquisition needs half of a stretch), and every event whose arrival window (±`OVERLAP_GUARD_MS`)
 * also holds another output's predicted arrival is left out and the output analysed again without
 * it (warning OUTPUTS_OVERLAP).
 */
import type { AnalysisWarning, RefusalCode } from './analysis-refusal';
import { analyzeCapture, type LatencyOutput } from './analyze-capture';
import { describeStimulus, isRefusal, type StimulusEvent } from './stimulus-layout';
import type { AnalysisWeighting } from './analyze-capture';
import { median } from '../primitives/statistics';

/**
 * Default sync tolerances, ms (our choice: no standard sets one for speakers playing together).
 * - A stereo pair, ±10 ms: past a few ms the precedence (Haas) effect pulls the image to the earlier
 *   speaker, and from about 10–30 ms on the later one starts to be heard as a separate sound
 *   (Haas 1951); 10 ms keeps the pair at the lower end of that range.
 * - Across rooms, ±40 ms: a listener between rooms hears both; around 40 ms the later sound becomes
 *   an audible echo for speech and music (the upper end of the echo thresholds in Haas 1951 and
 *   Blauert, "Spatial Hearing"); rooms far apart tolerate more, so the user can change it.
 */
export const SYNC_TOLERANCE_MS = { stereoPair: 10, rooms: 40 } as const;

/** Events whose arrival lies this close to another output's predicted arrival are left out. */
export const OVERLAP_GUARD_MS = 100;

export type MultiOutputWarningCode = AnalysisWarning['code'] | 'OUTPUTS_OVERLAP' | 'OUTPUT_REFUSED' | 'OUT_OF_SYNC';
export interface MultiOutputWarning {
  code: MultiOutputWarningCode;
  message: string;
}

export interface OutputResult {
  /** 1-based channel of the reference (the output). */
  channel: number;
  status: 'ok' | 'refused';
  error?: { code: RefusalCode; message: string; advice: string };
  /** As for one output (analyze's `latency`). */
  latency?: LatencyOutput;
  /** Drift against the capture clock; null with too few events or less than 1 s between them. */
  drift?: { ppm: number; ppmStdError: number | null; jitterMs: number | null } | null;
  /** Path gain: energy of the capture over the click's support at its arrival over the reference click's energy (median over the events), dB. */
  levelDb?: number | null;
  /** This output's median latency less the first measured output's, ms. */
  offsetFromFirstMs?: number | null;
  confidence?: number;
  /** Events left out because another output's click arrives in their window. */
  overlappingEvents?: number;
  warnings: MultiOutputWarning[];
}

export interface SyncPair {
  channel: number;
  /** Offset from the first output at the start and the end of the run (drift lines), ms. */
  offsetStartMs: number;
  offsetEndMs: number;
  /** This output's drift less the first's: how fast the offset changes. */
  relativeDriftPpm: number | null;
  relativeDriftMsPerMinute: number | null;
}

export interface SyncResult {
  toleranceMs: number;
  /** The output the offsets are measured from (the first one measured). */
  firstChannel: number;
  pairs: SyncPair[];
  /** Latest minus earliest output, at the start and the end of the run, ms. */
  spreadStartMs: number;
  spreadEndMs: number;
  maxSpreadMs: number;
  withinTolerance: boolean;
  /** Seconds into the run at which the spread first exceeds the tolerance; null when it never does. */
  exceedsToleranceAtS: number | null;
  runS: number;
}

export interface MultiOutputAnalysis {
  status: 'ok' | 'refused';
  outputs: OutputResult[];
  /** Null with fewer than two outputs measured. */
  sync: SyncResult | null;
  warnings: MultiOutputWarning[];
}

export interface MultiOutputOptions {
  weighting?: AnalysisWeighting;
  maxLatencyMs?: number;
  minLatencyMs?: number;
  /** Default SYNC_TOLERANCE_MS.stereoPair. */
  syncToleranceMs?: number;
}

interface Measured {
  result: OutputResult;
  events: StimulusEvent[];
  /** Arrival line: lag (ms) = interceptMs + slopeMsPerS · t (reference time in s). */
  line: { interceptMs: number; slopeMsPerS: number } | null;
}

function analyzeOne(channel: Float32Array, index: number, capture: Float32Array, sampleRate: number, events: StimulusEvent[], options: MultiOutputOptions, span: number): Measured {
  const out = analyzeCapture(channel, capture, sampleRate, {
    kind: 'click', events, acquisitionSpanS: span, maxLatencyMs: options.maxLatencyMs, minLatencyMs: options.minLatencyMs, weighting: options.weighting,
  });
  const result: OutputResult = { channel: index + 1, status: out.status, warnings: out.warnings };
  if (out.status !== 'ok' || !out.latency) return { result: { ...result, status: 'refused', error: 'error' in out ? out.error : undefined }, events, line: null };
  const latency = out.latency;
  const ok = latency.events.map((e, i) => ({ e, i })).filter(({ e }) => e.status === 'ok' && e.latencyMs !== null);
  const slopeMsPerS = out.drift ? out.drift.ppm * 1e-3 : 0;
  const interceptMs = median(ok.map(({ e }) => (e.latencyMs as number) - slopeMsPerS * e.timeS));
  // Level: energy at the arrival over the reference click's energy, per event, median.
  const ratios: number[] = [];
  for (const { e, i } of ok) {
    const ev = events[i];
    const shift = Math.round(((e.latencyMs as number) / 1000) * sampleRate);
    let er = 0;
    let ec = 0;
    for (let n = ev.startFrame; n < ev.endFrame; n++) {
      er += channel[n] * channel[n];
      const c = capture[n + shift] ?? 0;
      ec += c * c;
    }
    if (er > 0) ratios.push(ec / er);
  }
  const levelDb = ratios.length > 0 ? 10 * Math.log10(median(ratios)) : null;
  return {
    result: { ...result, latency, drift: out.drift ?? null, levelDb, confidence: out.confidence },
    events,
    line: { interceptMs, slopeMsPerS },
  };
}

/**
 * Analyses `capture` against every channel of a multi-output reference (see the module comment).
 * Refused when no output can be measured; each output that cannot is listed with its own refusal.
 */
export function analyzeMultiOutput(channels: Float32Array[], capture: Float32Array, sampleRate: number, options: MultiOutputOptions = {}): MultiOutputAnalysis {
  if (channels.length < 2) throw new RangeError('a multi-output analysis needs two or more reference channels');
  const toleranceMs = options.syncToleranceMs ?? SYNC_TOLERANCE_MS.stereoPair;
  if (!(toleranceMs > 0)) throw new RangeError(`the sync tolerance must be positive, got ${toleranceMs}`);
  const warnings: MultiOutputWarning[] = [];
  // Each output plays every K-th click: the acquisition stretch holds as many of its clicks as one output's 3 s would.
  const span = 3 * channels.length;
  const measured: Measured[] = channels.map((channel, k) => {
    const layout = describeStimulus(channel, sampleRate, { kind: 'click' });
    if (isRefusal(layout)) return { result: { channel: k + 1, status: 'refused', error: { code: layout.code, message: layout.message, advice: layout.advice }, warnings: [] }, events: [], line: null };
    return analyzeOne(channel, k, capture, sampleRate, layout.events, options, span);
  });

  // Events whose window also holds another output's arrival: left out, and the output measured again.
  const guard = OVERLAP_GUARD_MS / 1000;
  const arrivals = measured.map((m) => (m.line ? m.events.map((e) => arrivalS(e, m.line!, sampleRate)) : []));
  for (let k = 0; k < measured.length; k++) {
    const m = measured[k];
    if (m.events.length === 0) continue;
    const ownLine = m.line;
    const kept = m.events.filter((e) => {
      if (!ownLine) return true;
      const at = arrivalS(e, ownLine, sampleRate);
      return !arrivals.some((other, j) => j !== k && other.some((t) => Math.abs(t - at) < guard));
    });
    if (kept.length < m.events.length) {
      const again = kept.length > 0 ? analyzeOne(channels[k], k, capture, sampleRate, kept, options, span) : null;
      const dropped = m.events.length - kept.length;
      const message = `${dropped} of output ${k + 1}'s clicks arrive within ${OVERLAP_GUARD_MS} ms of another output's and were left out: the outputs' latencies differ by nearly the spacing of the clicks.`;
      measured[k] = again ?? m;
      measured[k].result.overlappingEvents = dropped;
      measured[k].result.warnings = [{ code: 'OUTPUTS_OVERLAP', message }, ...measured[k].result.warnings];
      if (!again) measured[k].result = { channel: k + 1, status: 'refused', error: { code: 'TOO_FEW_EVENTS', message, advice: 'Measure outputs whose latencies differ by less than 0.2 s, or use a longer --mean interval.' }, warnings: [] };
    }
  }

  const ok = measured.filter((m) => m.result.status === 'ok' && m.line);
  for (const m of measured) {
    if (m.result.status !== 'ok') warnings.push({ code: 'OUTPUT_REFUSED', message: `Output ${m.result.channel} could not be measured: ${m.result.error?.message ?? 'no result'}` });
  }
  if (ok.length === 0) return { status: 'refused', outputs: measured.map((m) => m.result), sync: null, warnings };
  const first = ok[0];
  const firstMedian = (first.result.latency as LatencyOutput).medianMs;
  for (const m of ok) m.result.offsetFromFirstMs = (m.result.latency as LatencyOutput).medianMs - firstMedian;
  const sync = ok.length >= 2 ? syncOf(ok, toleranceMs, sampleRate) : null;
  if (sync && !sync.withinTolerance) {
    warnings.push({
      code: 'OUT_OF_SYNC',
      message: `The outputs are ${sync.maxSpreadMs.toFixed(1)} ms apart at most, beyond the ±${toleranceMs} ms tolerance${sync.exceedsToleranceAtS !== null && sync.exceedsToleranceAtS > 0 ? ` from ${sync.exceedsToleranceAtS.toFixed(0)} s into the run` : ''}.`,
    });
  }
  return { status: 'ok', outputs: measured.map((m) => m.result), sync, warnings };
}

const arrivalS = (e: StimulusEvent, line: { interceptMs: number; slopeMsPerS: number }, rate: number): number => {
  const t = e.anchorFrame / rate;
  return t + (line.interceptMs + line.slopeMsPerS * t) / 1000;
};

function syncOf(ok: Measured[], toleranceMs: number, sampleRate: number): SyncResult {
  const times = ok.flatMap((m) => m.events.map((e) => e.anchorFrame / sampleRate));
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const lagAt = (m: Measured, t: number): number => (m.line as NonNullable<Measured['line']>).interceptMs + (m.line as NonNullable<Measured['line']>).slopeMsPerS * t;
  const first = ok[0];
  const firstPpm = first.result.drift?.ppm ?? null;
  const pairs: SyncPair[] = ok.slice(1).map((m) => {
    const ppm = m.result.drift?.ppm ?? null;
    const relative = ppm !== null && firstPpm !== null ? ppm - firstPpm : null;
    return {
      channel: m.result.channel,
      offsetStartMs: lagAt(m, t0) - lagAt(first, t0),
      offsetEndMs: lagAt(m, t1) - lagAt(first, t1),
      relativeDriftPpm: relative,
      relativeDriftMsPerMinute: relative === null ? null : relative * 1e-6 * 60 * 1000,
    };
  });
  const spreadAt = (t: number): number => {
    const lags = ok.map((m) => lagAt(m, t));
    return Math.max(...lags) - Math.min(...lags);
  };
  const spreadStartMs = spreadAt(t0);
  const spreadEndMs = spreadAt(t1);
  // The spread of straight lines is convex in time: its largest value is at an end of the run.
  const maxSpreadMs = Math.max(spreadStartMs, spreadEndMs);
  let exceedsToleranceAtS: number | null = null;
  const steps = 1000;
  for (let i = 0; i <= steps && exceedsToleranceAtS === null; i++) {
    const t = t0 + ((t1 - t0) * i) / steps;
    if (spreadAt(t) > toleranceMs) exceedsToleranceAtS = t - t0;
  }
  return {
    toleranceMs, firstChannel: first.result.channel, pairs, spreadStartMs, spreadEndMs, maxSpreadMs,
    withinTolerance: maxSpreadMs <= toleranceMs, exceedsToleranceAtS, runS: t1 - t0,
  };
}
