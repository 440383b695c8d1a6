/**
 * Verdicts: a measured latency run compared with a claim (shared/claims/claims-catalogue.ts) and with the
 * lip-sync standards (shared/claims/lip-sync-standards.ts).
 *
 * Lower latency, and a lower spread, is always better. Every verdict carries a signed margin that is
 * positive on the good side, and one human sentence with figures rounded to 0.1 ms.
 */
import { type Claim, type ClaimExpectation, type ClaimStatistic, formatClaimMs, formatExpectation } from './claims-catalogue';
import { LIP_SYNC_STANDARDS } from './lip-sync-standards';

/** Summary statistics of one latency run, in milliseconds. */
export interface MeasuredLatencyStats {
  medianMs: number;
  meanMs: number;
  minMs: number;
  maxMs: number;
  /** 95th percentile. */
  p95Ms: number;
  /** Number of latency measurements in the run (≥ 1). */
  count: number;
  /** 95 % confidence interval of the median, [low, high]. Widens the tolerance of 'point' claims. */
  medianCi95Ms?: [number, number];
  /**
   * The latencies an alternating path takes turns at (medians of its modes, two or more). A
   * median or mean of such a path describes no event: a claim about one is judged at every mode,
   * and is inconclusive when the modes disagree.
   */
  modesMs?: number[];
}

/**
 * 'inconclusive': the claim is about a median or mean, and the path alternates between latencies
 * (modes) that the claim would judge differently, so no single figure stands for the path.
 */
export const CLAIM_OUTCOMES = ['better', 'within', 'worse', 'inconclusive'] as const;
export type ClaimOutcome = (typeof CLAIM_OUTCOMES)[number];

export interface ClaimVerdict {
  claimId: string;
  claimName: string;
  statistic: ClaimStatistic;
  /** The measured value of `statistic` (for 'spread': maxMs − minMs). */
  measuredMs: number;
  outcome: ClaimOutcome;
  expectation: ClaimExpectation;
  /**
   * Signed, positive on the good side.
   * - within: room left before the bound that would make it worse ('range'/'up-to': maxMs − measured;
   *   'point': valueMs + tolerance − measured). An 'at-least' claim has no such bound, so there it is
   *   the distance above the claimed lowest value (measured − minMs, ≥ 0).
   * - worse: negative, how far past that bound.
   * - better: how far below the best claimed value ('range'/'at-least': minMs; 'point': valueMs).
   */
  marginMs: number;
  /** 'point' claims only: the tolerance used, max(0.5 ms, half the width of medianCi95Ms). */
  toleranceMs?: number;
  /** One sentence, e.g. "Measured max 131.2 ms is within the claimed 'up to 143 ms' (11.8 ms to spare)." */
  summary: string;
  /** Why the verdict is inconclusive (only then). */
  reason?: string;
}

export type LipSyncLimit = 'lead' | 'lag';

export interface LipSyncVerdict {
  standardId: string;
  standardName: string;
  /** Audio latency − video latency; positive = audio lags the picture. */
  offsetMs: number;
  /** True when the offset is inside the window (limits inclusive); false when inconclusive. */
  pass: boolean;
  /**
   * Why no pass or fail can be given (only then): the path alternates between latencies that fall
   * on both sides of a limit.
   */
  inconclusive?: string;
  /** The nearer of the two limits (when outside: the limit that was crossed). */
  limit: LipSyncLimit;
  /** That limit's magnitude in ms. */
  limitMs: number;
  /** Distance to the nearer limit; positive inside the window, negative outside. */
  marginMs: number;
  summary: string;
}

/** Tolerance of a 'point' claim stated to the millisecond. */
export const POINT_TOLERANCE_MS = 0.5;

/** Differences smaller than this are floating-point noise and count as exactly on the bound. */
const EPSILON_MS = 1e-9;

const STATISTIC_LABELS: Record<ClaimStatistic, string> = {
  median: 'median',
  mean: 'mean',
  max: 'max',
  min: 'min',
  p95: '95th percentile',
  spread: 'spread (max − min)',
};

function requireFinite(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RangeError(`${field} must be a finite number, got ${String(value)}`);
  }
  return value;
}

function snap(ms: number): number {
  return Math.abs(ms) < EPSILON_MS ? 0 : ms;
}

/** Measured figure rounded to 0.1 ms, always with one decimal ("131.2", "0.0"). */
function fmt(ms: number): string {
  const rounded = Math.round(ms * 10) / 10;
  return (rounded === 0 ? 0 : rounded).toFixed(1);
}

function validateStats(stats: MeasuredLatencyStats): void {
  const fields = ['medianMs', 'meanMs', 'minMs', 'maxMs', 'p95Ms', 'count'] as const;
  for (const field of fields) requireFinite(stats[field], `stats.${field}`);
  if (!Number.isInteger(stats.count) || stats.count < 1) {
    throw new RangeError(`stats.count must be a positive integer, got ${stats.count}`);
  }
  if (stats.maxMs < stats.minMs) {
    throw new RangeError(`stats.maxMs (${stats.maxMs}) is below stats.minMs (${stats.minMs})`);
  }
  const ci = stats.medianCi95Ms;
  if (ci !== undefined) {
    if (!Array.isArray(ci) || ci.length !== 2) throw new RangeError('stats.medianCi95Ms must be a [low, high] pair');
    requireFinite(ci[0], 'stats.medianCi95Ms[0]');
    requireFinite(ci[1], 'stats.medianCi95Ms[1]');
    if (ci[1] < ci[0]) throw new RangeError(`stats.medianCi95Ms is reversed: [${ci[0]}, ${ci[1]}]`);
  }
}

function validateExpectation(e: ClaimExpectation): void {
  switch (e.type) {
    case 'range':
      requireFinite(e.minMs, 'claim.expectation.minMs');
      requireFinite(e.maxMs, 'claim.expectation.maxMs');
      if (e.maxMs < e.minMs) throw new RangeError(`claim.expectation.maxMs (${e.maxMs}) is below claim.expectation.minMs (${e.minMs})`);
      return;
    case 'up-to':
      requireFinite(e.maxMs, 'claim.expectation.maxMs');
      return;
    case 'at-least':
      requireFinite(e.minMs, 'claim.expectation.minMs');
      return;
    case 'point':
      requireFinite(e.valueMs, 'claim.expectation.valueMs');
      return;
  }
}

/** The value of `statistic` in a run; 'spread' is maxMs − minMs. */
export function measuredStatistic(statistic: ClaimStatistic, stats: MeasuredLatencyStats): number {
  switch (statistic) {
    case 'median':
      return stats.medianMs;
    case 'mean':
      return stats.meanMs;
    case 'max':
      return stats.maxMs;
    case 'min':
      return stats.minMs;
    case 'p95':
      return stats.p95Ms;
    case 'spread':
      return stats.maxMs - stats.minMs;
  }
}

/** Tolerance for a 'point' claim: 0.5 ms, or half the median's 95 % confidence interval if wider. */
export function pointToleranceMs(stats: MeasuredLatencyStats): number {
  const ci = stats.medianCi95Ms;
  return ci === undefined ? POINT_TOLERANCE_MS : Math.max(POINT_TOLERANCE_MS, (ci[1] - ci[0]) / 2);
}

/**
 * Compares the claim's statistic in a measured run with what the claim says. For an alternating
 * path (`stats.modesMs`), a claim about the median or mean is judged at each mode; when they do not
 * all give the same outcome, the verdict is 'inconclusive' with the reason (margin 0).
 */
export function claimVerdict(claim: Claim, stats: MeasuredLatencyStats): ClaimVerdict {
  const verdict = singleVerdict(claim, stats);
  const modes = stats.modesMs ?? [];
  const statistic = claim.expectation.statistic;
  if (modes.length < 2 || (statistic !== 'median' && statistic !== 'mean')) return verdict;
  modes.forEach((m, i) => requireFinite(m, `stats.modesMs[${i}]`));
  const atMode = modes.map((m) => singleVerdict(claim, { ...stats, medianMs: m, meanMs: m }).outcome);
  if (atMode.every((o) => o === verdict.outcome)) return verdict;
  const list = modes.map((m, i) => `${fmt(m)} ms (${atMode[i]})`).join(', ');
  const reason = `The path alternates between latencies of ${list}: its ${STATISTIC_LABELS[statistic]} describes no event, and the claim judges the modes differently.`;
  return {
    ...verdict,
    outcome: 'inconclusive',
    marginMs: 0,
    reason,
    summary: `Inconclusive against the claimed '${formatExpectation(claim.expectation)}': ${reason}`,
  };
}

function singleVerdict(claim: Claim, stats: MeasuredLatencyStats): ClaimVerdict {
  validateStats(stats);
  const e = claim.expectation;
  validateExpectation(e);

  const measured = measuredStatistic(e.statistic, stats);
  const label = `Measured ${STATISTIC_LABELS[e.statistic]} ${fmt(measured)} ms`;
  const claimed = `the claimed '${formatExpectation(e)}'`;
  let outcome: ClaimOutcome;
  let marginMs: number;
  let detail: string;
  let toleranceMs: number | undefined;

  switch (e.type) {
    case 'range':
    case 'up-to': {
      const toMax = snap(e.maxMs - measured);
      const belowMin = e.type === 'range' ? snap(e.minMs - measured) : 0;
      if (toMax < 0) {
        outcome = 'worse';
        marginMs = toMax;
        detail = `${fmt(-toMax)} ms over`;
      } else if (belowMin > 0) {
        outcome = 'better';
        marginMs = belowMin;
        detail = `${fmt(belowMin)} ms below its lower bound`;
      } else {
        outcome = 'within';
        marginMs = toMax;
        detail = `${fmt(toMax)} ms to spare`;
      }
      break;
    }
    case 'at-least': {
      const aboveMin = snap(measured - e.minMs);
      if (aboveMin < 0) {
        outcome = 'better';
        marginMs = -aboveMin;
        detail = `${fmt(-aboveMin)} ms below it`;
      } else {
        outcome = 'within';
        marginMs = aboveMin;
        detail = `${fmt(aboveMin)} ms above the claimed lowest value`;
      }
      break;
    }
    case 'point': {
      toleranceMs = pointToleranceMs(stats);
      const upper = e.valueMs + toleranceMs;
      const toUpper = snap(upper - measured);
      const belowLower = snap(e.valueMs - toleranceMs - measured);
      const tol = `±${formatClaimMs(toleranceMs)} ms tolerance`;
      if (toUpper < 0) {
        outcome = 'worse';
        marginMs = toUpper;
        detail = `${fmt(-toUpper)} ms over its ${tol}`;
      } else if (belowLower > 0) {
        outcome = 'better';
        marginMs = snap(e.valueMs - measured);
        detail = `${fmt(marginMs)} ms below it, beyond its ${tol}`;
      } else {
        outcome = 'within';
        marginMs = toUpper;
        detail = `${tol}; ${fmt(toUpper)} ms to spare`;
      }
      break;
    }
  }

  const relation = outcome === 'within' ? 'is within' : outcome === 'better' ? 'is better than' : 'is worse than';
  return {
    claimId: claim.id,
    claimName: claim.name,
    statistic: e.statistic,
    measuredMs: measured,
    outcome,
    expectation: e,
    marginMs,
    ...(toleranceMs !== undefined ? { toleranceMs } : {}),
    summary: `${label} ${relation} ${claimed} (${detail}).`,
  };
}

/**
 * The A/V offset (audio latency − video latency; positive = audio lags the picture) checked
 * against every lip-sync standard. `videoLatencyMs` is the display's video latency (default 0).
 */
export function lipSyncVerdicts(audioLatencyMs: number, videoLatencyMs = 0, modesMs: readonly number[] = []): LipSyncVerdict[] {
  const verdicts = singleLipSync(audioLatencyMs, videoLatencyMs);
  if (modesMs.length < 2) return verdicts;
  // An alternating path: each standard judged at every mode; no pass or fail when they disagree.
  const atModes = modesMs.map((m) => singleLipSync(m, videoLatencyMs));
  return verdicts.map((v, k) => {
    const passes = atModes.map((a) => a[k].pass);
    if (passes.every((p) => p === passes[0])) return { ...v, pass: passes[0] };
    const list = modesMs.map((m, i) => `${fmt(m - videoLatencyMs)} ms (${passes[i] ? 'within' : 'outside'})`).join(', ');
    const inconclusive = `The audio alternates between offsets of ${list}: some fall within ${v.standardName} and some outside it.`;
    return { ...v, pass: false, inconclusive, summary: `Inconclusive: ${inconclusive}` };
  });
}

function singleLipSync(audioLatencyMs: number, videoLatencyMs: number): LipSyncVerdict[] {
  requireFinite(audioLatencyMs, 'audioLatencyMs');
  requireFinite(videoLatencyMs, 'videoLatencyMs');
  const offsetMs = snap(audioLatencyMs - videoLatencyMs);

  const direction =
    offsetMs > 0
      ? `Audio lags the picture by ${fmt(offsetMs)} ms`
      : offsetMs < 0
        ? `Audio leads the picture by ${fmt(-offsetMs)} ms`
        : 'Audio and picture are in sync (0.0 ms offset)';

  return LIP_SYNC_STANDARDS.map((standard) => {
    const lagMargin = snap(standard.maxLagMs - offsetMs);
    const leadMargin = snap(standard.maxLeadMs + offsetMs);
    const limit: LipSyncLimit = lagMargin < leadMargin || (lagMargin === leadMargin && offsetMs >= 0) ? 'lag' : 'lead';
    const marginMs = limit === 'lag' ? lagMargin : leadMargin;
    const limitMs = limit === 'lag' ? standard.maxLagMs : standard.maxLeadMs;
    const pass = marginMs >= 0;
    const window = `${standard.name} (lead ≤ ${formatClaimMs(standard.maxLeadMs)} ms, lag ≤ ${formatClaimMs(standard.maxLagMs)} ms)`;
    const summary = pass
      ? `${direction}, within ${window}: ${fmt(marginMs)} ms from the ${limit} limit.`
      : `${direction}, outside ${window}: ${fmt(-marginMs)} ms past the ${limit} limit.`;
    return { standardId: standard.id, standardName: standard.name, offsetMs, pass, limit, limitMs, marginMs, summary };
  });
}
