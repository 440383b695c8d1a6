/**
 * A reference for several outputs measured in one run (two Bluetooth speakers, the left and right of
 * a stereo pair, a soundbar and a sub): K channels, one per output, each holding the clicks of that
 * output only.
 *
 * The clicks of all outputs together form ONE click train of the usual kind (click-train.ts: the
 * same click shape, seeded irregular intervals around `meanIntervalS` with distinct spacings within
 * 3 s), dealt round-robin to the outputs: click i plays on output i mod K. So
 * - every event belongs to exactly one output (no two outputs ever play at once), and consecutive
 *   events, whichever outputs they are on, are at least 0.65 · `meanIntervalS` apart (the guard gap:
 *   0.325 s by default);
 * - each output's own schedule is irregular, and a stretch of it lines up with the whole train (what
 *   the microphone hears) at one click at most anywhere but at its own alignment, so one output's
 *   analysis cannot lock onto another output's clicks;
 * - the outputs may differ in latency by up to the guard gap less the per-event search window
 *   (about 0.2 s) before one output's clicks arrive where another's are searched for; the analysis
 *   checks this and leaves such events out (shared/analysis/multi-output.ts).
 * Zero DC and seeded, like every stimulus; the WAV INFO comment written by `multiOutputComment`
 * marks the file as multi-output coded so `analyze` knows to analyse every channel.
 */
import { clickShape, type ClickShape, clickHalfLengthFrames, clickTimes, renderClick, validateSampleRate } from './click-train';

export const MULTI_OUTPUT_MAX = 8;

export interface MultiOutputSpec {
  signal: 'click';
  /** Number of outputs (channels), 2..8. */
  outputs: number;
  sampleRate: number;
  /** Total length including lead-in and tail, seconds. */
  durationS: number;
  seed: number;
  /** Peak level of each click, dBFS. */
  levelDbfs: number;
  /** Mean interval between consecutive clicks of the whole train (all outputs), seconds. */
  meanIntervalS: number;
}

export interface MultiOutputReference {
  spec: MultiOutputSpec;
  /** One channel per output. */
  channels: Float32Array[];
  /** Click centres (frames) of each output, in time order. */
  clickFrames: number[][];
  shape: ClickShape;
}

const LEAD_IN_S = 0.25;
const TAIL_S = 0.25;

/** Fills in defaults and checks ranges; throws RangeError with a specific message. */
export function resolveMultiOutputSpec(input: Partial<MultiOutputSpec> & { outputs: number }): MultiOutputSpec {
  const spec: MultiOutputSpec = {
    signal: 'click',
    outputs: input.outputs,
    sampleRate: input.sampleRate ?? 48000,
    // Each output plays every K-th click: a longer default run keeps ~20 clicks per output.
    durationS: input.durationS ?? Math.max(10, 10 * input.outputs),
    seed: input.seed ?? 1,
    levelDbfs: input.levelDbfs ?? -6,
    meanIntervalS: input.meanIntervalS ?? 0.5,
  };
  if (input.signal !== undefined && input.signal !== 'click') throw new RangeError(`several outputs are measured with clicks only, not "${String(input.signal)}"`);
  if (!Number.isInteger(spec.outputs) || spec.outputs < 2 || spec.outputs > MULTI_OUTPUT_MAX) throw new RangeError(`outputs must be an integer 2..${MULTI_OUTPUT_MAX}, got ${spec.outputs}`);
  validateSampleRate(spec.sampleRate);
  if (!(spec.durationS >= 1 && spec.durationS <= 3600)) throw new RangeError(`duration must be 1 to 3600 s, got ${spec.durationS}`);
  if (!Number.isInteger(spec.seed) || spec.seed < 0 || spec.seed > 2 ** 32 - 1) throw new RangeError(`seed must be an integer 0..4294967295, got ${spec.seed}`);
  if (!(spec.levelDbfs >= -60 && spec.levelDbfs <= 0)) throw new RangeError(`level must be -60 to 0 dBFS, got ${spec.levelDbfs}`);
  if (!(spec.meanIntervalS >= 0.45 && spec.meanIntervalS <= 10)) throw new RangeError(`mean click interval must be 0.45..10 s, got ${spec.meanIntervalS}`);
  // At least three clicks per output (a drift needs three events), at the shortest intervals.
  const spanS = spec.durationS - LEAD_IN_S - TAIL_S;
  if (spanS < 3 * spec.outputs * spec.meanIntervalS * 1.35) {
    throw new RangeError(`${spec.durationS} s is too short for ${spec.outputs} outputs: use at least ${Math.ceil(3 * spec.outputs * spec.meanIntervalS * 1.35 + LEAD_IN_S + TAIL_S)} s`);
  }
  return spec;
}

export function generateMultiOutputReference(spec: MultiOutputSpec): MultiOutputReference {
  const { sampleRate, outputs } = spec;
  const shape = clickShape(sampleRate, { levelDbfs: spec.levelDbfs });
  const spanS = spec.durationS - LEAD_IN_S - TAIL_S;
  const times = clickTimes(Math.floor(spanS / (0.65 * spec.meanIntervalS)) + 1, spec.meanIntervalS, spec.seed).filter((t) => t <= spanS);
  const leadFrames = Math.round(LEAD_IN_S * sampleRate) + clickHalfLengthFrames(shape);
  const length = Math.round(spec.durationS * sampleRate);
  const channels = Array.from({ length: outputs }, () => new Float32Array(length));
  const clickFrames: number[][] = Array.from({ length: outputs }, () => []);
  times.forEach((t, i) => {
    const frame = leadFrames + Math.round(t * sampleRate);
    renderClick(channels[i % outputs], shape, frame);
    clickFrames[i % outputs].push(frame);
  });
  return { spec, channels, clickFrames, shape };
}

/** Marks a WAV as a multi-output reference, in its INFO comment. */
export const MULTI_OUTPUT_COMMENT_PREFIX = 'latency-lab multi-output stimulus ';

export const multiOutputComment = (spec: MultiOutputSpec): string => MULTI_OUTPUT_COMMENT_PREFIX + JSON.stringify(spec);

/** The spec from a WAV INFO comment written by `multiOutputComment`, or null (any other comment, or an invalid one). */
export function parseMultiOutputComment(comment: string | undefined): MultiOutputSpec | null {
  if (!comment?.startsWith(MULTI_OUTPUT_COMMENT_PREFIX)) return null;
  try {
    const parsed = JSON.parse(comment.slice(MULTI_OUTPUT_COMMENT_PREFIX.length)) as Record<string, unknown>;
    if (typeof parsed !== 'object' || parsed === null) return null;
    for (const key of ['outputs', 'sampleRate', 'durationS', 'seed', 'levelDbfs', 'meanIntervalS'] as const) {
      if (typeof parsed[key] !== 'number') return null;
    }
    return resolveMultiOutputSpec(parsed as unknown as MultiOutputSpec);
  } catch {
    return null;
  }
}
