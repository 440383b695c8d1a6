import { describe, expect, it } from 'vitest';
import { type Claim, type ClaimExpectation, createCustomClaim, findClaim } from './claims-catalogue';
import { LIP_SYNC_STANDARDS, findLipSyncStandard, toDocumentOffsetMs } from './lip-sync-standards';
import { type MeasuredLatencyStats, claimVerdict, lipSyncVerdicts, measuredStatistic, pointToleranceMs } from './verdict';

function stats(overrides: Partial<MeasuredLatencyStats> = {}): MeasuredLatencyStats {
  return { medianMs: 100, meanMs: 100, minMs: 90, maxMs: 110, p95Ms: 108, count: 20, ...overrides };
}

function claimWith(expectation: ClaimExpectation, id = 'test-claim'): Claim {
  return {
    id,
    kind: 'statement',
    name: 'Test claim',
    expectation,
    claimText: 'test',
    source: { file: 'test', article: 'test', location: 'test', quote: 'test' },
  };
}

function catalogueClaim(id: string): Claim {
  const claim = findClaim(id);
  if (!claim) throw new Error(`missing catalogue claim ${id}`);
  return claim;
}

describe('claimVerdict: range', () => {
  const receiver = catalogueClaim('method-alexa-app-bluetooth-receiver'); // 45–112 ms, median

  it('is better below the minimum, with the distance below it as margin', () => {
    const v = claimVerdict(receiver, stats({ medianMs: 40 }));
    expect(v).toMatchObject({ claimId: receiver.id, claimName: receiver.name, statistic: 'median', measuredMs: 40, outcome: 'better', marginMs: 5 });
    expect(v.expectation).toEqual(receiver.expectation);
    expect(v.toleranceMs).toBeUndefined();
    expect(v.summary).toBe("Measured median 40.0 ms is better than the claimed '45–112 ms' (5.0 ms below its lower bound).");
  });

  it('is within exactly at the minimum and exactly at the maximum', () => {
    expect(claimVerdict(receiver, stats({ medianMs: 45 }))).toMatchObject({ outcome: 'within', marginMs: 67 });
    const atMax = claimVerdict(receiver, stats({ medianMs: 112 }));
    expect(atMax).toMatchObject({ outcome: 'within', marginMs: 0 });
    expect(atMax.summary).toBe("Measured median 112.0 ms is within the claimed '45–112 ms' (0.0 ms to spare).");
  });

  it('is within inside the range, with the room left before the maximum', () => {
    const v = claimVerdict(receiver, stats({ medianMs: 60.04 }));
    expect(v.outcome).toBe('within');
    expect(v.marginMs).toBeCloseTo(51.96, 9);
    expect(v.summary).toBe("Measured median 60.0 ms is within the claimed '45–112 ms' (52.0 ms to spare).");
  });

  it('is worse above the maximum, with a negative margin', () => {
    const v = claimVerdict(receiver, stats({ medianMs: 112.4 }));
    expect(v.outcome).toBe('worse');
    expect(v.marginMs).toBeCloseTo(-0.4, 9);
    expect(v.summary).toBe("Measured median 112.4 ms is worse than the claimed '45–112 ms' (0.4 ms over).");
  });

  it('uses only the claimed statistic', () => {
    // Max and p95 far above the range do not matter for a median claim.
    expect(claimVerdict(receiver, stats({ medianMs: 50, maxMs: 400, p95Ms: 300 })).outcome).toBe('within');
  });
});

describe('claimVerdict: up-to', () => {
  const bose = catalogueClaim('speaker-bose-soundlink-flex'); // up to 143 ms, max

  it('is within below the maximum (never better)', () => {
    const v = claimVerdict(bose, stats({ minMs: 100, maxMs: 131.2 }));
    expect(v.outcome).toBe('within');
    expect(v.marginMs).toBeCloseTo(11.8, 9);
    expect(v.summary).toBe("Measured max 131.2 ms is within the claimed 'up to 143 ms' (11.8 ms to spare).");
    expect(claimVerdict(bose, stats({ minMs: 0, medianMs: 0, meanMs: 0, p95Ms: 0, maxMs: 0 }))).toMatchObject({ outcome: 'within', marginMs: 143 });
  });

  it('is within exactly at the maximum', () => {
    expect(claimVerdict(bose, stats({ maxMs: 143 }))).toMatchObject({ outcome: 'within', marginMs: 0 });
  });

  it('is worse above the maximum', () => {
    const v = claimVerdict(bose, stats({ maxMs: 150 }));
    expect(v).toMatchObject({ outcome: 'worse', marginMs: -7, measuredMs: 150 });
    expect(v.summary).toBe("Measured max 150.0 ms is worse than the claimed 'up to 143 ms' (7.0 ms over).");
  });

  it('reads the 95th percentile for the THX lip-sync claim', () => {
    const thx = catalogueClaim('statement-thx-lip-sync-under-50');
    expect(claimVerdict(thx, stats({ minMs: 30, p95Ms: 49.95, maxMs: 80 }))).toMatchObject({ outcome: 'within', measuredMs: 49.95 });
    const v = claimVerdict(thx, stats({ minMs: 30, p95Ms: 50.3, maxMs: 80 }));
    expect(v.outcome).toBe('worse');
    expect(v.summary).toBe("Measured 95th percentile 50.3 ms is worse than the claimed 'up to 50 ms' (0.3 ms over).");
  });

  it('treats floating-point noise at the bound as on the bound', () => {
    const claim = claimWith({ type: 'up-to', maxMs: 0.3, statistic: 'median' });
    expect(claimVerdict(claim, stats({ medianMs: 0.1 + 0.2, minMs: 0 }))).toMatchObject({ outcome: 'within', marginMs: 0 });
  });
});

describe('claimVerdict: at-least', () => {
  const lowest = catalogueClaim('statement-aux-lowest-38'); // at least 38 ms, median

  it('is within exactly at the claimed lowest value', () => {
    expect(claimVerdict(lowest, stats({ medianMs: 38, minMs: 30 }))).toMatchObject({ outcome: 'within', marginMs: 0 });
  });

  it('is within above it, with the distance above the claimed lowest value as margin', () => {
    const v = claimVerdict(lowest, stats({ medianMs: 50, minMs: 30 }));
    expect(v).toMatchObject({ outcome: 'within', marginMs: 12 });
    expect(v.summary).toBe("Measured median 50.0 ms is within the claimed 'at least 38 ms' (12.0 ms above the claimed lowest value).");
  });

  it('is better below it', () => {
    const v = claimVerdict(lowest, stats({ medianMs: 30, minMs: 25 }));
    expect(v).toMatchObject({ outcome: 'better', marginMs: 8 });
    expect(v.summary).toBe("Measured median 30.0 ms is better than the claimed 'at least 38 ms' (8.0 ms below it).");
  });
});

describe('claimVerdict: point', () => {
  const matter = catalogueClaim('statement-matter-average'); // 22 ms, mean

  it('is within at the value, with 0.5 ms tolerance for a figure stated to the millisecond', () => {
    const v = claimVerdict(matter, stats({ meanMs: 22, minMs: 10 }));
    expect(v).toMatchObject({ outcome: 'within', marginMs: 0.5, toleranceMs: 0.5 });
    expect(v.summary).toBe("Measured mean 22.0 ms is within the claimed '22 ms' (±0.5 ms tolerance; 0.5 ms to spare).");
  });

  it('is within exactly at both tolerance bounds', () => {
    expect(claimVerdict(matter, stats({ meanMs: 22.5, minMs: 10 }))).toMatchObject({ outcome: 'within', marginMs: 0 });
    expect(claimVerdict(matter, stats({ meanMs: 21.5, minMs: 10 }))).toMatchObject({ outcome: 'within', marginMs: 1 });
  });

  it('is worse just above the tolerance, by the distance past value + tolerance', () => {
    const v = claimVerdict(matter, stats({ meanMs: 22.6, minMs: 10 }));
    expect(v.outcome).toBe('worse');
    expect(v.marginMs).toBeCloseTo(-0.1, 9);
    const far = claimVerdict(matter, stats({ meanMs: 25, minMs: 10 }));
    expect(far).toMatchObject({ outcome: 'worse', marginMs: -2.5 });
    expect(far.summary).toBe("Measured mean 25.0 ms is worse than the claimed '22 ms' (2.5 ms over its ±0.5 ms tolerance).");
  });

  it('is better just below the tolerance, by the distance below the claimed value', () => {
    const v = claimVerdict(matter, stats({ meanMs: 21.4, minMs: 10 }));
    expect(v.outcome).toBe('better');
    expect(v.marginMs).toBeCloseTo(0.6, 9);
    const far = claimVerdict(matter, stats({ meanMs: 18, minMs: 10 }));
    expect(far).toMatchObject({ outcome: 'better', marginMs: 4 });
    expect(far.summary).toBe("Measured mean 18.0 ms is better than the claimed '22 ms' (4.0 ms below it, beyond its ±0.5 ms tolerance).");
  });

  it('widens the tolerance to half the median confidence interval when that is wider', () => {
    const adds45 = catalogueClaim('statement-receiver-method-adds-45'); // 45 ms, median
    const ci: [number, number] = [44, 50]; // half-width 3 ms
    expect(pointToleranceMs(stats({ medianCi95Ms: ci }))).toBe(3);
    expect(claimVerdict(adds45, stats({ medianMs: 47.9, minMs: 40, medianCi95Ms: ci }))).toMatchObject({ outcome: 'within', toleranceMs: 3 });
    expect(claimVerdict(adds45, stats({ medianMs: 48, minMs: 40, medianCi95Ms: ci }))).toMatchObject({ outcome: 'within', marginMs: 0 });
    expect(claimVerdict(adds45, stats({ medianMs: 42, minMs: 40, medianCi95Ms: ci }))).toMatchObject({ outcome: 'within', marginMs: 6 });
    const worse = claimVerdict(adds45, stats({ medianMs: 48.5, minMs: 40, medianCi95Ms: ci }));
    expect(worse).toMatchObject({ outcome: 'worse', marginMs: -0.5 });
    expect(worse.summary).toContain('±3 ms tolerance');
    expect(claimVerdict(adds45, stats({ medianMs: 41.5, minMs: 40, medianCi95Ms: ci }))).toMatchObject({ outcome: 'better', marginMs: 3.5 });
  });

  it('keeps 0.5 ms when the confidence interval is narrower than 1 ms', () => {
    expect(pointToleranceMs(stats({ medianCi95Ms: [21.9, 22.1] }))).toBe(0.5);
    expect(pointToleranceMs(stats())).toBe(0.5);
  });
});

describe('claimVerdict: spread', () => {
  const variance = catalogueClaim('statement-multi-room-bluetooth-variance'); // 120–200 ms spread

  it('measures max − min', () => {
    expect(measuredStatistic('spread', stats({ minMs: 50, maxMs: 150 }))).toBe(100);
  });

  it('is better when the spread is below the claimed variance', () => {
    const v = claimVerdict(variance, stats({ minMs: 50, maxMs: 150 }));
    expect(v).toMatchObject({ statistic: 'spread', measuredMs: 100, outcome: 'better', marginMs: 20 });
    expect(v.summary).toBe("Measured spread (max − min) 100.0 ms is better than the claimed '120–200 ms' (20.0 ms below its lower bound).");
  });

  it('is within at the bounds and worse above', () => {
    expect(claimVerdict(variance, stats({ minMs: 0, maxMs: 120, medianMs: 60, meanMs: 60, p95Ms: 110 }))).toMatchObject({ outcome: 'within', marginMs: 80 });
    expect(claimVerdict(variance, stats({ minMs: 0, maxMs: 200, medianMs: 60, meanMs: 60, p95Ms: 110 }))).toMatchObject({ outcome: 'within', marginMs: 0 });
    expect(claimVerdict(variance, stats({ minMs: 10, maxMs: 260 }))).toMatchObject({ outcome: 'worse', marginMs: -50 });
  });
});

describe('claimVerdict: other statistics and custom profiles', () => {
  it('reads min and mean', () => {
    expect(claimVerdict(claimWith({ type: 'up-to', maxMs: 95, statistic: 'min' }), stats())).toMatchObject({ measuredMs: 90, outcome: 'within', marginMs: 5 });
    expect(claimVerdict(claimWith({ type: 'up-to', maxMs: 95, statistic: 'mean' }), stats({ meanMs: 99 }))).toMatchObject({ measuredMs: 99, outcome: 'worse' });
  });

  it('checks a custom profile', () => {
    const result = createCustomClaim({ type: 'range', name: 'My soundbar', minMs: 20, maxMs: 40, statistic: 'p95' });
    if (!result.ok) throw new Error(result.errors.join('; '));
    const v = claimVerdict(result.claim, stats({ p95Ms: 35 }));
    expect(v).toMatchObject({ claimId: 'custom-my-soundbar', claimName: 'My soundbar', outcome: 'within', marginMs: 5 });
    expect(v.summary).toBe("Measured 95th percentile 35.0 ms is within the claimed '20–40 ms' (5.0 ms to spare).");
  });
});

describe('claimVerdict: invalid input', () => {
  const claim = claimWith({ type: 'up-to', maxMs: 100, statistic: 'max' });

  it.each([
    ['medianMs', Number.NaN],
    ['meanMs', Number.POSITIVE_INFINITY],
    ['minMs', Number.NEGATIVE_INFINITY],
    ['maxMs', Number.NaN],
    ['p95Ms', Number.POSITIVE_INFINITY],
    ['count', Number.NaN],
  ] as const)('throws a RangeError naming stats.%s when it is %s', (field, value) => {
    expect(() => claimVerdict(claim, stats({ [field]: value }))).toThrow(RangeError);
    expect(() => claimVerdict(claim, stats({ [field]: value }))).toThrow(`stats.${field}`);
  });

  it('rejects an empty run, a reversed run and a bad confidence interval', () => {
    expect(() => claimVerdict(claim, stats({ count: 0 }))).toThrow(/stats\.count must be a positive integer/);
    expect(() => claimVerdict(claim, stats({ count: 2.5 }))).toThrow(RangeError);
    expect(() => claimVerdict(claim, stats({ minMs: 120, maxMs: 110 }))).toThrow(/stats\.maxMs \(110\) is below stats\.minMs \(120\)/);
    expect(() => claimVerdict(claim, stats({ medianCi95Ms: [90, Number.NaN] }))).toThrow(/stats\.medianCi95Ms\[1\]/);
    expect(() => claimVerdict(claim, stats({ medianCi95Ms: [Number.NEGATIVE_INFINITY, 90] }))).toThrow(/stats\.medianCi95Ms\[0\]/);
    expect(() => claimVerdict(claim, stats({ medianCi95Ms: [110, 90] }))).toThrow(/reversed/);
  });

  it('rejects a non-finite expectation', () => {
    expect(() => claimVerdict(claimWith({ type: 'up-to', maxMs: Number.POSITIVE_INFINITY, statistic: 'max' }), stats())).toThrow(
      /claim\.expectation\.maxMs must be a finite number/,
    );
    expect(() => claimVerdict(claimWith({ type: 'point', valueMs: Number.NaN, statistic: 'mean' }), stats())).toThrow(/claim\.expectation\.valueMs/);
    expect(() => claimVerdict(claimWith({ type: 'at-least', minMs: Number.NaN, statistic: 'mean' }), stats())).toThrow(/claim\.expectation\.minMs/);
    expect(() => claimVerdict(claimWith({ type: 'range', minMs: 50, maxMs: 40, statistic: 'mean' }), stats())).toThrow(RangeError);
  });
});

describe('lip-sync standards', () => {
  it('hold the published limits as lead/lag magnitudes', () => {
    expect(LIP_SYNC_STANDARDS.map((s) => [s.id, s.maxLeadMs, s.maxLagMs])).toEqual([
      ['itu-r-bt1359-detectability', 45, 125],
      ['itu-r-bt1359-acceptability', 90, 185],
      ['ebu-r37', 40, 60],
      ['atsc-is-191', 15, 45],
    ]);
    for (const s of LIP_SYNC_STANDARDS) {
      expect(s.name.length).toBeGreaterThan(0);
      expect(s.description.length).toBeGreaterThan(0);
      expect(s.reference.title.length).toBeGreaterThan(0);
      expect(s.reference.year).toBeGreaterThan(1990);
    }
    expect(findLipSyncStandard('ebu-r37')?.reference.year).toBe(2007);
    expect(findLipSyncStandard('nope')).toBeUndefined();
    expect(Object.isFrozen(LIP_SYNC_STANDARDS)).toBe(true);
  });

  it('convert the app offset (+ = audio lags) to the documents’ convention (+ = audio leads)', () => {
    expect(toDocumentOffsetMs(60)).toBe(-60);
    expect(toDocumentOffsetMs(-40)).toBe(40);
    expect(Object.is(toDocumentOffsetMs(0), 0)).toBe(true);
  });
});

describe('lipSyncVerdicts', () => {
  const byId = (audio: number, video?: number) => new Map(lipSyncVerdicts(audio, video).map((v) => [v.standardId, v]));

  it('returns one verdict per standard, in order', () => {
    expect(lipSyncVerdicts(30).map((v) => v.standardId)).toEqual(LIP_SYNC_STANDARDS.map((s) => s.id));
    expect(lipSyncVerdicts(30).map((v) => v.standardName)).toEqual(LIP_SYNC_STANDARDS.map((s) => s.name));
    expect(lipSyncVerdicts(30)).toEqual(lipSyncVerdicts(30, 0));
  });

  describe.each(LIP_SYNC_STANDARDS.map((s) => [s.id, s] as const))('%s', (id, standard) => {
    it('passes exactly at the lag limit', () => {
      expect(byId(standard.maxLagMs).get(id)).toMatchObject({ offsetMs: standard.maxLagMs, pass: true, limit: 'lag', limitMs: standard.maxLagMs, marginMs: 0 });
    });

    it('fails just past the lag limit', () => {
      const v = byId(standard.maxLagMs + 0.1).get(id);
      expect(v).toMatchObject({ pass: false, limit: 'lag', limitMs: standard.maxLagMs });
      expect(v?.marginMs).toBeCloseTo(-0.1, 9);
    });

    it('passes exactly at the lead limit (audio ahead of the picture)', () => {
      expect(byId(0, standard.maxLeadMs).get(id)).toMatchObject({ offsetMs: -standard.maxLeadMs, pass: true, limit: 'lead', limitMs: standard.maxLeadMs, marginMs: 0 });
    });

    it('fails just past the lead limit', () => {
      const v = byId(0, standard.maxLeadMs + 0.1).get(id);
      expect(v).toMatchObject({ pass: false, limit: 'lead', limitMs: standard.maxLeadMs });
      expect(v?.marginMs).toBeCloseTo(-0.1, 9);
    });
  });

  it('reports the margin to the nearer limit inside the window', () => {
    const inSync = byId(0).get('atsc-is-191');
    expect(inSync).toMatchObject({ offsetMs: 0, pass: true, limit: 'lead', limitMs: 15, marginMs: 15 });
    expect(inSync?.summary).toBe('Audio and picture are in sync (0.0 ms offset), within ATSC IS-191 (lead ≤ 15 ms, lag ≤ 45 ms): 15.0 ms from the lead limit.');
    expect(byId(30).get('atsc-is-191')).toMatchObject({ pass: true, limit: 'lag', marginMs: 15 });
    // Equidistant (30 ms from either limit): the side the audio is on decides.
    expect(byId(15).get('atsc-is-191')).toMatchObject({ limit: 'lag', marginMs: 30 });
    expect(byId(-10).get('ebu-r37')).toMatchObject({ pass: true, limit: 'lead', marginMs: 30 });
  });

  it('writes a summary with the direction, the window and the margin', () => {
    expect(byId(50).get('atsc-is-191')?.summary).toBe(
      'Audio lags the picture by 50.0 ms, outside ATSC IS-191 (lead ≤ 15 ms, lag ≤ 45 ms): 5.0 ms past the lag limit.',
    );
    expect(byId(50).get('ebu-r37')?.summary).toBe(
      'Audio lags the picture by 50.0 ms, within EBU R37 (lead ≤ 40 ms, lag ≤ 60 ms): 10.0 ms from the lag limit.',
    );
  });

  it('subtracts the video latency from the audio latency', () => {
    const alone = byId(150);
    expect(alone.get('itu-r-bt1359-detectability')).toMatchObject({ offsetMs: 150, pass: false, marginMs: -25 });
    const withVideo = byId(150, 25);
    expect(withVideo.get('itu-r-bt1359-detectability')).toMatchObject({ offsetMs: 125, pass: true, marginMs: 0 });
    expect(withVideo.get('itu-r-bt1359-acceptability')).toMatchObject({ pass: true, marginMs: 60 });
    expect(withVideo.get('ebu-r37')).toMatchObject({ pass: false, limit: 'lag', marginMs: -65 });
    expect(withVideo.get('atsc-is-191')).toMatchObject({ pass: false, limit: 'lag', marginMs: -80 });
  });

  it('handles audio leading the picture when the display is slower than the speaker', () => {
    const v = byId(20, 60); // offset −40 ms
    expect(v.get('ebu-r37')).toMatchObject({ offsetMs: -40, pass: true, limit: 'lead', marginMs: 0 });
    expect(v.get('ebu-r37')?.summary).toBe('Audio leads the picture by 40.0 ms, within EBU R37 (lead ≤ 40 ms, lag ≤ 60 ms): 0.0 ms from the lead limit.');
    expect(v.get('atsc-is-191')).toMatchObject({ pass: false, limit: 'lead', limitMs: 15, marginMs: -25 });
    expect(v.get('itu-r-bt1359-detectability')).toMatchObject({ pass: true, limit: 'lead', marginMs: 5 });
    expect(v.get('itu-r-bt1359-acceptability')).toMatchObject({ pass: true, limit: 'lead', marginMs: 50 });
  });

  it('treats floating-point noise at a limit as on the limit', () => {
    expect(byId(60.3, 15.3).get('atsc-is-191')).toMatchObject({ offsetMs: 45, pass: true, marginMs: 0 });
  });

  it('throws a RangeError naming the non-finite input', () => {
    expect(() => lipSyncVerdicts(Number.NaN)).toThrow(RangeError);
    expect(() => lipSyncVerdicts(Number.NaN)).toThrow(/audioLatencyMs/);
    expect(() => lipSyncVerdicts(10, Number.POSITIVE_INFINITY)).toThrow(/videoLatencyMs/);
  });
});

describe('alternating paths (issue 9): verdicts on a median or mean become inconclusive when the modes disagree', () => {
  const receiver = catalogueClaim('method-alexa-app-bluetooth-receiver'); // 45–112 ms, median
  const alternating = stats({ medianMs: 120, meanMs: 152, minMs: 119, maxMs: 201, p95Ms: 200, modesMs: [120, 200] });

  it('a median claim judged at 120 and 200 ms (both worse than 45–112): worse, as the median says', () => {
    expect(claimVerdict(receiver, alternating)).toMatchObject({ outcome: 'worse', marginMs: -8 });
  });

  it('modes on both sides of a bound: inconclusive, margin 0, with the reason', () => {
    const v = claimVerdict(receiver, stats({ medianMs: 100, meanMs: 130, minMs: 99, maxMs: 181, p95Ms: 180, modesMs: [100, 180] }));
    expect(v.outcome).toBe('inconclusive');
    expect(v.marginMs).toBe(0);
    expect(v.reason).toBe('The path alternates between latencies of 100.0 ms (within), 180.0 ms (worse): its median describes no event, and the claim judges the modes differently.');
    expect(v.summary).toBe(`Inconclusive against the claimed '45–112 ms': ${v.reason}`);
  });

  it('a claim about the max still judges the measured max', () => {
    const v = claimVerdict(claimWith({ type: 'up-to', statistic: 'max', maxMs: 250 }), stats({ maxMs: 201, modesMs: [100, 200] }));
    expect(v).toMatchObject({ outcome: 'within', measuredMs: 201 });
    expect(v.reason).toBeUndefined();
  });

  it('lip sync: a standard both modes pass or fail keeps its verdict; one they straddle is inconclusive (pass false)', () => {
    const v = lipSyncVerdicts(100, 0, [40, 160]);
    const byId = Object.fromEntries(v.map((x) => [x.standardId, x]));
    expect(byId['itu-r-bt1359-acceptability']).toMatchObject({ pass: true });
    expect(byId['itu-r-bt1359-acceptability'].inconclusive).toBeUndefined();
    expect(byId['ebu-r37'].pass).toBe(false);
    expect(byId['ebu-r37'].inconclusive).toBe('The audio alternates between offsets of 40.0 ms (within), 160.0 ms (outside): some fall within EBU R37 and some outside it.');
    expect(byId['ebu-r37'].summary).toBe(`Inconclusive: ${byId['ebu-r37'].inconclusive}`);
    expect(lipSyncVerdicts(100, 0)).toEqual(lipSyncVerdicts(100, 0, [100]));
  });
});
