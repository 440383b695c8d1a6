/**
 * Verdicts for several speakers playing together: the measured sync spread (latest minus earliest
 * output or speaker) judged against the catalogue's multi-room claims (statistic 'spread', e.g. the
 * second seed article's "Bluetooth introduces 120–200ms latency variance") and against the sync
 * tolerance the user chose.
 *
 * Both judgements are 'inconclusive' when the evidence does not decide: fewer than two outputs or
 * speakers measured, or a spread whose uncertainty (`spreadUncertaintyMs`) reaches across the bound
 * that decides the outcome.
 */
import { type Claim, findClaim } from './claims-catalogue';
import { type ClaimVerdict, claimVerdict } from './verdict';
import type { GuidedResult } from '../analysis/guided-speakers';
import type { MultiOutputAnalysis } from '../analysis/multi-output';
import type { MultiSpeakerResult } from '../analysis/multi-speaker';

/** The catalogue's claims about the latency differences between speakers playing together. */
export const MULTI_ROOM_CLAIM_IDS = ['statement-multi-room-bluetooth-variance', 'statement-dual-link-divergence-12'] as const;

/** Where a sync tolerance came from: one of the two defaults (see SYNC_TOLERANCE_MS) or the user. */
export const SYNC_TOLERANCE_SOURCES = ['stereo-pair', 'rooms', 'custom'] as const;
export type SyncToleranceSource = (typeof SYNC_TOLERANCE_SOURCES)[number];

/** What was measured about the group. */
export interface SyncSpreadEvidence {
  /** Largest spread between the outputs or speakers over the run, ms (≥ 0). */
  spreadMs: number;
  /** How far the true spread may lie from `spreadMs`, ms (≥ 0). */
  spreadUncertaintyMs: number;
  /** Outputs or speakers measured. */
  measured: number;
  /** Seconds into the run at which the spread first exceeded the tolerance (several outputs only), or null. */
  exceedsToleranceAtS?: number | null;
}

export const TOLERANCE_OUTCOMES = ['within', 'beyond', 'inconclusive'] as const;
export type ToleranceOutcome = (typeof TOLERANCE_OUTCOMES)[number];

export interface ToleranceVerdict {
  toleranceMs: number;
  source: SyncToleranceSource;
  outcome: ToleranceOutcome;
  /** Tolerance − spread: positive within, negative beyond. */
  marginMs: number;
  exceedsToleranceAtS: number | null;
  reason?: string;
  summary: string;
}

export interface MultiRoomVerdicts {
  tolerance: ToleranceVerdict;
  claims: ClaimVerdict[];
}

const fmt = (ms: number): string => (Math.round(ms * 10) / 10 || 0).toFixed(1);

function checkEvidence(e: SyncSpreadEvidence): void {
  if (!Number.isFinite(e.spreadMs) || e.spreadMs < 0) throw new RangeError(`spreadMs must be a finite number ≥ 0, got ${e.spreadMs}`);
  if (!Number.isFinite(e.spreadUncertaintyMs) || e.spreadUncertaintyMs < 0) throw new RangeError(`spreadUncertaintyMs must be a finite number ≥ 0, got ${e.spreadUncertaintyMs}`);
  if (!Number.isInteger(e.measured) || e.measured < 0) throw new RangeError(`measured must be a whole number ≥ 0, got ${e.measured}`);
}

/** The spread against the chosen tolerance (inclusive: a spread equal to it is within). */
export function toleranceVerdict(evidence: SyncSpreadEvidence, toleranceMs: number, source: SyncToleranceSource): ToleranceVerdict {
  checkEvidence(evidence);
  if (!Number.isFinite(toleranceMs) || toleranceMs <= 0) throw new RangeError(`the sync tolerance must be a positive number of ms, got ${toleranceMs}`);
  const exceedsToleranceAtS = evidence.exceedsToleranceAtS ?? null;
  const marginMs = toleranceMs - evidence.spreadMs;
  const base = { toleranceMs, source, marginMs, exceedsToleranceAtS };
  if (evidence.measured < 2) {
    const reason = `Only ${evidence.measured} of the outputs or speakers could be measured: there is no spread to compare.`;
    return { ...base, outcome: 'inconclusive', reason, summary: `Inconclusive against ±${fmt(toleranceMs)} ms: ${reason}` };
  }
  if (Math.abs(marginMs) <= evidence.spreadUncertaintyMs) {
    const reason = `The spread, ${fmt(evidence.spreadMs)} ± ${fmt(evidence.spreadUncertaintyMs)} ms, reaches across the tolerance.`;
    return { ...base, outcome: 'inconclusive', reason, summary: `Inconclusive against ±${fmt(toleranceMs)} ms: ${reason}` };
  }
  if (marginMs > 0) {
    return { ...base, outcome: 'within', summary: `In sync: a spread of ${fmt(evidence.spreadMs)} ms is within ±${fmt(toleranceMs)} ms (${fmt(marginMs)} ms to spare).` };
  }
  const when = exceedsToleranceAtS === null ? '' : exceedsToleranceAtS > 0 ? `, first exceeded ${exceedsToleranceAtS.toFixed(0)} s into the run` : ', from the start of the run';
  return { ...base, outcome: 'beyond', summary: `Out of sync: a spread of ${fmt(evidence.spreadMs)} ms is beyond ±${fmt(toleranceMs)} ms by ${fmt(-marginMs)} ms${when}.` };
}

/**
 * The spread judged against one claim about it (statistic 'spread'). The claim's verdict is taken at
 * both ends of the uncertainty (spread ± uncertainty, clamped at 0); when the two disagree the
 * verdict is 'inconclusive' with the reason.
 */
export function spreadClaimVerdict(claim: Claim, evidence: SyncSpreadEvidence): ClaimVerdict {
  checkEvidence(evidence);
  if (claim.expectation.statistic !== 'spread') throw new RangeError(`claim ${claim.id} is about the ${claim.expectation.statistic}, not a spread`);
  const at = (spreadMs: number): ClaimVerdict =>
    claimVerdict(claim, { medianMs: spreadMs, meanMs: spreadMs, minMs: 0, maxMs: spreadMs, p95Ms: spreadMs, count: Math.max(1, evidence.measured) });
  const verdict = at(evidence.spreadMs);
  const inconclusive = (reason: string): ClaimVerdict => ({
    ...verdict, outcome: 'inconclusive', marginMs: 0, reason, summary: `Inconclusive against the claim '${claim.claimText}': ${reason}`,
  });
  if (evidence.measured < 2) return inconclusive(`only ${evidence.measured} of the outputs or speakers could be measured, so there is no spread between them.`);
  const low = at(Math.max(0, evidence.spreadMs - evidence.spreadUncertaintyMs)).outcome;
  const high = at(evidence.spreadMs + evidence.spreadUncertaintyMs).outcome;
  if (low !== verdict.outcome || high !== verdict.outcome) {
    return inconclusive(`the spread, ${fmt(evidence.spreadMs)} ± ${fmt(evidence.spreadUncertaintyMs)} ms, lies on both sides of a bound of the claim.`);
  }
  return { ...verdict, summary: `${verdict.summary.replace('spread (max − min)', 'spread between the speakers')}` };
}

/** The spread against the catalogue's multi-room claims and the chosen tolerance. */
export function judgeMultiRoom(evidence: SyncSpreadEvidence, toleranceMs: number, source: SyncToleranceSource): MultiRoomVerdicts {
  const claims = MULTI_ROOM_CLAIM_IDS.map((id) => {
    const claim = findClaim(id);
    if (!claim) throw new Error(`the claims catalogue has no claim ${id}`);
    return spreadClaimVerdict(claim, evidence);
  });
  return { tolerance: toleranceVerdict(evidence, toleranceMs, source), claims };
}

/**
 * How far a spread between two arrivals found by following clicks may be off, ms: each arrival's
 * median within 0.1 ms of the truth, both together 0.2 ms — the accuracy the analysis is tested to
 * (shared/analysis/multi-speaker.test.ts, with and without per-click jitter).
 */
export const ARRIVAL_SPREAD_UNCERTAINTY_MS = 0.2;

/**
 * The evidence of a several-outputs run: the largest spread of the outputs' drift lines over the run;
 * its uncertainty is the sum of the two widest half 95 % intervals of the outputs' medians (at least
 * ARRIVAL_SPREAD_UNCERTAINTY_MS). Null when fewer than two outputs were measured (no sync).
 */
export function outputsEvidence(result: MultiOutputAnalysis): SyncSpreadEvidence | null {
  if (!result.sync) return null;
  const measured = result.outputs.filter((o) => o.status === 'ok' && o.latency);
  const halfWidths = measured
    .map((o) => (o.latency?.medianCi95Ms ? (o.latency.medianCi95Ms[1] - o.latency.medianCi95Ms[0]) / 2 : 0))
    .sort((a, b) => b - a);
  const uncertainty = Math.max(ARRIVAL_SPREAD_UNCERTAINTY_MS, (halfWidths[0] ?? 0) + (halfWidths[1] ?? 0));
  return { spreadMs: result.sync.maxSpreadMs, spreadUncertaintyMs: uncertainty, measured: measured.length, exceedsToleranceAtS: result.sync.exceedsToleranceAtS };
}

/** The evidence of one stream on N speakers, or of a guided run; null when it was refused (the speakers were not told apart). */
export function speakersEvidence(result: MultiSpeakerResult | GuidedResult): SyncSpreadEvidence | null {
  if (result.status !== 'ok') return null;
  return { spreadMs: result.syncSpreadMs, spreadUncertaintyMs: ARRIVAL_SPREAD_UNCERTAINTY_MS, measured: result.speakers.length };
}
