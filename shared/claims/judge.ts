/**
 * The step after the analysis: the measured latency judged against the lip-sync standards and, when
 * one is chosen, a claim. With a baseline the added latency is judged, otherwise the total. The
 * statistics judged are the steady state's (a start-up is left out of them by the analysis); an
 * alternating path is judged at each of its modes, and a verdict the modes disagree on is inconclusive. The
 * analysis itself (shared/analysis/) knows nothing of claims; this is where the two meet.
 */
import type { LatencyStatsOutput, MeasuredOk, MeasuredOutput, MeasuredRefused } from '../analysis/analyze-capture';
import type { Claim } from './claims-catalogue';
import { claimVerdict, lipSyncVerdicts, type ClaimVerdict, type LipSyncVerdict, type MeasuredLatencyStats } from './verdict';

export interface JudgeOptions {
  /** Claim to compare with (catalogue entry or custom profile). */
  claim?: Claim | null;
  /** The display's video latency, for the A/V offset. Default 0. */
  videoLatencyMs?: number;
}

/** The analysis output with its verdicts: what the CLI prints with --json and a report stores. */
export interface AnalysisOk extends MeasuredOk {
  /** The A/V offset against every lip-sync standard (uses added latency when a baseline is given). */
  lipSync?: { videoLatencyMs: number; basis: 'added' | 'total'; verdicts: LipSyncVerdict[] };
  /** Comparison with the chosen claim (uses added latency when a baseline is given). */
  verdict?: { basis: 'added' | 'total'; claim: ClaimVerdict };
}

/** A result with its verdicts, or a refusal: told apart by `status`. */
export type AnalysisOutput = AnalysisOk | MeasuredRefused;

/** The result of an analysis that is known to have one (throws for a refusal, saying which). */
export function resultOf(output: AnalysisOutput): AnalysisOk {
  if (output.status !== 'ok') throw new Error(`the analysis refused: ${output.error.code}`);
  return output;
}

const asVerdictStats = (s: LatencyStatsOutput, modesMs: number[]): MeasuredLatencyStats => ({
  medianMs: s.medianMs, meanMs: s.meanMs, minMs: s.minMs, maxMs: s.maxMs, p95Ms: s.p95Ms, count: s.count,
  ...(s.medianCi95Ms ? { medianCi95Ms: s.medianCi95Ms } : {}),
  ...(modesMs.length >= 2 ? { modesMs } : {}),
});

/** Adds the lip-sync verdicts and the claim verdict to a measured analysis (a refusal stays as it is). */
export function judgeAnalysis(measured: MeasuredOutput, options: JudgeOptions = {}): AnalysisOutput {
  if (measured.status !== 'ok') return measured;
  const basis: 'added' | 'total' = measured.added ? 'added' : 'total';
  const basisStats: LatencyStatsOutput = measured.added ?? measured.latency;
  const videoLatencyMs = options.videoLatencyMs ?? 0;
  // The statistics are the steady state's (see LatencyOutput); an alternating path is judged per mode.
  const modesMs = (measured.latency.modes ?? []).map((m) => m.medianMs - (measured.added?.baselineMs ?? 0));
  const output: AnalysisOk = { ...measured, lipSync: { videoLatencyMs, basis, verdicts: lipSyncVerdicts(basisStats.medianMs, videoLatencyMs, modesMs) } };
  if (options.claim) output.verdict = { basis, claim: claimVerdict(options.claim, asVerdictStats(basisStats, modesMs)) };
  return output;
}
