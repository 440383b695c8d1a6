/**
 * Guided multi-speaker measurement: the user moves the microphone next to each speaker in turn and
 * measures one run there (one stream on all the speakers, analysed by analyzeMultiSpeaker); this
 * combines the runs into one result.
 *
 * Next to a speaker, that speaker's arrival is the strongest in the capture: each run's strongest
 * arrival is assigned to the speaker the user says the microphone was near. A run whose strongest
 * arrival is less than `MIN_DOMINANCE_DB` above the next is not used (the microphone was not close
 * enough to say which speaker it heard): the result is refused, naming the speaker, rather than
 * guessing. The speakers were measured one after another, so the spread between them holds for
 * the moments they were measured; wireless speakers drift against each other between runs
 * (warning MEASURED_AT_DIFFERENT_TIMES, with the drifts when known).
 */
import type { SpeakerArrival } from './multi-speaker';

/** The strongest arrival must be this much stronger than the next to be the speaker near the microphone. */
export const MIN_DOMINANCE_DB = 6;
/** Two speakers' latencies closer than this may be one speaker heard twice (warning). */
export const SAME_ARRIVAL_MS = 0.5;

export interface GuidedRun {
  /** The speaker (1-based) the microphone was next to. */
  nearSpeaker: number;
  /** Every arrival the run found (analyzeMultiSpeaker's speakers, or `found` when it refused). */
  arrivals: SpeakerArrival[];
}

export interface GuidedSpeaker {
  /** 1-based, as the user numbered the speakers. */
  speaker: number;
  latencyMs: number;
  levelDb: number;
  driftPpm: number;
  /** How far the assigned arrival stood above the next one in its run, dB; null when it was the only one. */
  marginDb: number | null;
}

export const GUIDED_REFUSAL_REASONS = ['MISSING_RUN', 'NO_ARRIVAL', 'NOT_DOMINANT'] as const;
export type GuidedRefusalReason = (typeof GUIDED_REFUSAL_REASONS)[number];

export const GUIDED_WARNING_CODES = ['MEASURED_AT_DIFFERENT_TIMES', 'SAME_ARRIVAL'] as const;
export interface GuidedWarning {
  code: (typeof GUIDED_WARNING_CODES)[number];
  message: string;
}

export type GuidedResult =
  | { status: 'ok'; speakers: GuidedSpeaker[]; syncSpreadMs: number; warnings: GuidedWarning[] }
  | { status: 'refused'; reason: GuidedRefusalReason; speaker: number; message: string; advice: string; speakers: GuidedSpeaker[] };

const ADVICE: Record<GuidedRefusalReason, string> = {
  MISSING_RUN: 'Measure once with the microphone next to each speaker.',
  NO_ARRIVAL: 'Check that the speaker is playing and the microphone is on, then measure that speaker again.',
  NOT_DOMINANT: 'Hold the microphone within a hand\'s width of that speaker, pointing at it, and measure it again.',
};

const db = (v: number): string => v.toFixed(1);

/**
 * Combines one run per speaker (any order) into the speakers' latencies, levels and drifts, or a
 * refusal naming the first speaker that could not be assigned. Throws RangeError on a speaker count
 * outside 2–8, a run for a speaker outside 1…N, or two runs for one speaker.
 */
export function combineGuidedRuns(runs: readonly GuidedRun[], speakerCount: number, minDominanceDb = MIN_DOMINANCE_DB): GuidedResult {
  if (!Number.isInteger(speakerCount) || speakerCount < 2 || speakerCount > 8) throw new RangeError(`a guided measurement needs 2 to 8 speakers, got ${speakerCount}`);
  if (!(minDominanceDb >= 0)) throw new RangeError(`minDominanceDb must be ≥ 0, got ${minDominanceDb}`);
  const bySpeaker = new Map<number, GuidedRun>();
  for (const run of runs) {
    if (!Number.isInteger(run.nearSpeaker) || run.nearSpeaker < 1 || run.nearSpeaker > speakerCount) throw new RangeError(`a run is near speaker ${run.nearSpeaker}, outside 1–${speakerCount}`);
    if (bySpeaker.has(run.nearSpeaker)) throw new RangeError(`two runs are near speaker ${run.nearSpeaker}: keep one per speaker`);
    for (const a of run.arrivals) {
      if (![a.latencyMs, a.levelDb, a.driftPpm].every(Number.isFinite)) throw new RangeError(`an arrival near speaker ${run.nearSpeaker} has a value that is not a finite number`);
    }
    bySpeaker.set(run.nearSpeaker, run);
  }
  const speakers: GuidedSpeaker[] = [];
  const refuse = (reason: GuidedRefusalReason, speaker: number, message: string): GuidedResult => ({ status: 'refused', reason, speaker, message, advice: ADVICE[reason], speakers });
  for (let speaker = 1; speaker <= speakerCount; speaker++) {
    const run = bySpeaker.get(speaker);
    if (!run) return refuse('MISSING_RUN', speaker, `Speaker ${speaker} has not been measured yet.`);
    if (run.arrivals.length === 0) return refuse('NO_ARRIVAL', speaker, `The run next to speaker ${speaker} found no arrival of the clicks.`);
    const [strongest, next] = [...run.arrivals].sort((a, b) => b.levelDb - a.levelDb);
    const marginDb = next ? strongest.levelDb - next.levelDb : null;
    if (marginDb !== null && marginDb < minDominanceDb) {
      return refuse(
        'NOT_DOMINANT', speaker,
        `Next to speaker ${speaker} the strongest arrival (${strongest.latencyMs.toFixed(2)} ms, ${db(strongest.levelDb)} dB) is only ${db(marginDb)} dB above the next (${next.latencyMs.toFixed(2)} ms): it cannot be told which of them is speaker ${speaker} (at least ${db(minDominanceDb)} dB needed).`,
      );
    }
    speakers.push({ speaker, latencyMs: strongest.latencyMs, levelDb: strongest.levelDb, driftPpm: strongest.driftPpm, marginDb });
  }
  const latencies = speakers.map((s) => s.latencyMs);
  const warnings: GuidedWarning[] = [];
  const drifts = speakers.map((s) => s.driftPpm);
  const relativePpm = Math.max(...drifts) - Math.min(...drifts);
  warnings.push({
    code: 'MEASURED_AT_DIFFERENT_TIMES',
    message: `The speakers were measured one after another: the spread holds for the moments they were measured. Their drifts differ by up to ${relativePpm.toFixed(1)} ppm (${(relativePpm * 0.06).toFixed(2)} ms per minute), so the offsets change by that much for every minute between the runs.`,
  });
  for (let i = 0; i < speakers.length; i++) {
    for (let j = i + 1; j < speakers.length; j++) {
      const gap = Math.abs(speakers[i].latencyMs - speakers[j].latencyMs);
      if (gap < SAME_ARRIVAL_MS) {
        warnings.push({
          code: 'SAME_ARRIVAL',
          message: `Speakers ${speakers[i].speaker} and ${speakers[j].speaker} measured ${gap.toFixed(2)} ms apart: they are closely in sync, or the same speaker was the loudest in both runs.`,
        });
      }
    }
  }
  return { status: 'ok', speakers, syncSpreadMs: Math.max(...latencies) - Math.min(...latencies), warnings };
}
