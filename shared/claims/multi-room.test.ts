import { describe, expect, it } from 'vitest';
import { findClaim } from './claims-catalogue';
import { ARRIVAL_SPREAD_UNCERTAINTY_MS, judgeMultiRoom, MULTI_ROOM_CLAIM_IDS, outputsEvidence, speakersEvidence, spreadClaimVerdict, toleranceVerdict } from './multi-room';
import type { MultiOutputAnalysis, OutputResult } from '../analysis/multi-output';

const variance = findClaim('statement-multi-room-bluetooth-variance');
if (!variance) throw new Error('catalogue lost the multi-room claim');

describe('spreadClaimVerdict against "Bluetooth introduces 120–200ms latency variance"', () => {
  it('a tight group is better than the claim, with the distance to its lower bound', () => {
    const v = spreadClaimVerdict(variance, { spreadMs: 40, spreadUncertaintyMs: 0.2, measured: 3 });
    expect(v.outcome).toBe('better');
    expect(v.measuredMs).toBe(40);
    expect(v.marginMs).toBeCloseTo(80, 9);
    expect(v.summary).toContain('40.0 ms');
  });

  it('a spread inside 120–200 ms is within it, one past 200 ms is worse', () => {
    const within = spreadClaimVerdict(variance, { spreadMs: 150, spreadUncertaintyMs: 0.2, measured: 2 });
    expect(within.outcome).toBe('within');
    expect(within.marginMs).toBeCloseTo(50, 9);
    const worse = spreadClaimVerdict(variance, { spreadMs: 250, spreadUncertaintyMs: 0.2, measured: 2 });
    expect(worse.outcome).toBe('worse');
    expect(worse.marginMs).toBeCloseTo(-50, 9);
  });

  it('is inconclusive when the uncertainty reaches across a bound, and says so', () => {
    const v = spreadClaimVerdict(variance, { spreadMs: 119.9, spreadUncertaintyMs: 0.5, measured: 2 });
    expect(v.outcome).toBe('inconclusive');
    expect(v.marginMs).toBe(0);
    expect(v.reason).toContain('119.9 ± 0.5 ms');
    // The same spread measured tightly is decided.
    expect(spreadClaimVerdict(variance, { spreadMs: 119.9, spreadUncertaintyMs: 0.05, measured: 2 }).outcome).toBe('better');
  });

  it('is inconclusive with fewer than two measured', () => {
    const v = spreadClaimVerdict(variance, { spreadMs: 0, spreadUncertaintyMs: 0, measured: 1 });
    expect(v.outcome).toBe('inconclusive');
    expect(v.reason).toContain('only 1');
  });

  it('refuses a claim about another statistic and bad evidence', () => {
    const median = findClaim('speaker-jbl-flip-6');
    if (!median) throw new Error('no JBL claim');
    expect(() => spreadClaimVerdict(median, { spreadMs: 1, spreadUncertaintyMs: 0, measured: 2 })).toThrow(/not a spread/);
    expect(() => spreadClaimVerdict(variance, { spreadMs: -1, spreadUncertaintyMs: 0, measured: 2 })).toThrow(/spreadMs/);
    expect(() => spreadClaimVerdict(variance, { spreadMs: 1, spreadUncertaintyMs: Number.NaN, measured: 2 })).toThrow(/spreadUncertaintyMs/);
    expect(() => spreadClaimVerdict(variance, { spreadMs: 1, spreadUncertaintyMs: 0, measured: 1.5 })).toThrow(/measured/);
  });
});

describe('toleranceVerdict', () => {
  it('within, with the room to spare', () => {
    const v = toleranceVerdict({ spreadMs: 8, spreadUncertaintyMs: 0.1, measured: 2 }, 10, 'stereo-pair');
    expect(v).toMatchObject({ outcome: 'within', toleranceMs: 10, source: 'stereo-pair', exceedsToleranceAtS: null });
    expect(v.marginMs).toBeCloseTo(2, 9);
  });

  it('beyond, saying when it was first exceeded', () => {
    const v = toleranceVerdict({ spreadMs: 12, spreadUncertaintyMs: 0.1, measured: 2, exceedsToleranceAtS: 30 }, 10, 'stereo-pair');
    expect(v.outcome).toBe('beyond');
    expect(v.marginMs).toBeCloseTo(-2, 9);
    expect(v.summary).toContain('30 s into the run');
    expect(toleranceVerdict({ spreadMs: 12, spreadUncertaintyMs: 0.1, measured: 2, exceedsToleranceAtS: 0 }, 10, 'stereo-pair').summary).toMatch(/by 2\.0 ms, from the start of the run\.$/);
    expect(toleranceVerdict({ spreadMs: 12, spreadUncertaintyMs: 0.1, measured: 2 }, 10, 'stereo-pair').summary).toMatch(/by 2\.0 ms\.$/);
  });

  it('inconclusive when the uncertainty reaches the tolerance, or with one speaker', () => {
    expect(toleranceVerdict({ spreadMs: 40.1, spreadUncertaintyMs: 0.2, measured: 2 }, 40, 'rooms').outcome).toBe('inconclusive');
    expect(toleranceVerdict({ spreadMs: 0, spreadUncertaintyMs: 0, measured: 1 }, 40, 'rooms').outcome).toBe('inconclusive');
  });

  it('refuses a tolerance that is not positive', () => {
    expect(() => toleranceVerdict({ spreadMs: 1, spreadUncertaintyMs: 0, measured: 2 }, 0, 'custom')).toThrow(/positive/);
  });
});

describe('judgeMultiRoom', () => {
  it('judges every multi-room claim of the catalogue and the tolerance', () => {
    const v = judgeMultiRoom({ spreadMs: 150, spreadUncertaintyMs: 0.3, measured: 3 }, 40, 'rooms');
    expect(v.claims.map((c) => c.claimId)).toEqual([...MULTI_ROOM_CLAIM_IDS]);
    expect(v.claims.map((c) => c.outcome)).toEqual(['within', 'worse']);
    expect(v.tolerance.outcome).toBe('beyond');
  });
});

describe('the evidence of a run', () => {
  const output = (channel: number, ci: [number, number] | null): OutputResult => ({
    channel, status: 'ok', warnings: [],
    latency: { medianMs: 150, meanMs: 150, stdMs: 0.1, minMs: 149, maxMs: 151, p95Ms: 151, medianCi95Ms: ci, count: 20, eventsTotal: 20, dropouts: 0, lowConfidence: 0, notCaptured: 0, events: [] },
  });
  const sync = { toleranceMs: 10, firstChannel: 1, pairs: [], spreadStartMs: 50, spreadEndMs: 52, maxSpreadMs: 52, withinTolerance: false, exceedsToleranceAtS: 0, runS: 60 };

  it('several outputs: the largest spread, the two widest half intervals summed, the outputs measured', () => {
    const result: MultiOutputAnalysis = { status: 'ok', outputs: [output(1, [149.9, 150.1]), output(2, [149, 151]), output(3, [149.5, 150.5]), { channel: 4, status: 'refused', warnings: [] }], sync, warnings: [] };
    const e = outputsEvidence(result);
    expect(e).not.toBeNull();
    expect(e?.spreadMs).toBe(52);
    expect(e?.spreadUncertaintyMs).toBeCloseTo(1.5, 9);
    expect(e?.measured).toBe(3);
    expect(e?.exceedsToleranceAtS).toBe(0);
    const tight: MultiOutputAnalysis = { ...result, outputs: [output(1, null), output(2, [150, 150])] };
    expect(outputsEvidence(tight)?.spreadUncertaintyMs).toBe(ARRIVAL_SPREAD_UNCERTAINTY_MS);
    expect(outputsEvidence({ ...result, sync: null })).toBeNull();
  });

  it('one stream on N speakers: the spread, or nothing when refused', () => {
    const arrival = { latencyMs: 100, levelDb: 0, driftPpm: 0, driftPpmStdError: null, events: 10, dropouts: 0 };
    expect(speakersEvidence({ status: 'ok', speakers: [arrival, { ...arrival, latencyMs: 160 }], syncSpreadMs: 60, warnings: [] }))
      .toEqual({ spreadMs: 60, spreadUncertaintyMs: ARRIVAL_SPREAD_UNCERTAINTY_MS, measured: 2 });
    expect(speakersEvidence({ status: 'refused', reason: 'SAME_CLOCK', message: 'x', found: [arrival] })).toBeNull();
  });
});
