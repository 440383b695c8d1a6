import { describe, expect, it } from 'vitest';
import { clickHalfLengthFrames } from './click-train';
import { generateMultiOutputReference, multiOutputComment, parseMultiOutputComment, resolveMultiOutputSpec } from './multi-output';
import { parseStimulusComment } from './stimulus';

describe('multi-output reference', () => {
  it('deals one irregular train to the outputs in turn: every click on one channel, at least the guard gap apart', () => {
    for (const outputs of [2, 3, 4]) {
      const ref = generateMultiOutputReference(resolveMultiOutputSpec({ outputs, durationS: 40, seed: 4 }));
      expect(ref.channels).toHaveLength(outputs);
      const all = ref.clickFrames.flatMap((frames, k) => frames.map((f) => ({ f, k }))).sort((a, b) => a.f - b.f);
      all.forEach((c, i) => expect(c.k).toBe(i % outputs));
      for (let i = 1; i < all.length; i++) expect(all[i].f - all[i - 1].f).toBeGreaterThanOrEqual(Math.floor(0.65 * 0.5 * 48000));
      const half = clickHalfLengthFrames(ref.shape);
      for (let k = 0; k < outputs; k++) {
        // Silent except around its own clicks, zero DC.
        const own = new Set(ref.clickFrames[k]);
        for (const { f, k: j } of all) if (j !== k) expect(ref.channels[k][f]).toBe(0);
        expect(own.size).toBeGreaterThanOrEqual(3);
        let sum = 0;
        for (const v of ref.channels[k]) sum += v;
        expect(Math.abs(sum)).toBeLessThan(1e-3);
        expect(Math.max(...ref.channels[k].subarray(ref.clickFrames[k][0] - half, ref.clickFrames[k][0] + half))).toBeCloseTo(0.5, 2);
      }
    }
  });

  it('is seeded: the same spec gives the same channels, another seed another schedule', () => {
    const a = generateMultiOutputReference(resolveMultiOutputSpec({ outputs: 2, durationS: 20, seed: 1 }));
    const b = generateMultiOutputReference(resolveMultiOutputSpec({ outputs: 2, durationS: 20, seed: 1 }));
    const c = generateMultiOutputReference(resolveMultiOutputSpec({ outputs: 2, durationS: 20, seed: 2 }));
    expect(a.channels[1].every((v, i) => v === b.channels[1][i])).toBe(true);
    expect(a.clickFrames).not.toEqual(c.clickFrames);
  });

  it('round-trips its WAV comment, which the one-channel parser does not take for its own', () => {
    const spec = resolveMultiOutputSpec({ outputs: 3 });
    expect(spec.durationS).toBe(30);
    const comment = multiOutputComment(spec);
    expect(parseMultiOutputComment(comment)).toEqual(spec);
    expect(parseStimulusComment(comment)).toBeNull();
    expect(parseMultiOutputComment('latency-lab stimulus {"signal":"click"}')).toBeNull();
    expect(parseMultiOutputComment(`${comment.slice(0, -1)},"outputs":"3"}`)).toBeNull();
    expect(parseMultiOutputComment(undefined)).toBeNull();
  });

  it('refuses out-of-range specs with a specific message', () => {
    expect(() => resolveMultiOutputSpec({ outputs: 1 })).toThrow(/outputs must be an integer 2..8/);
    expect(() => resolveMultiOutputSpec({ outputs: 9 })).toThrow(/outputs must be/);
    expect(() => resolveMultiOutputSpec({ outputs: 4, durationS: 5 })).toThrow(/too short for 4 outputs/);
    expect(() => resolveMultiOutputSpec({ outputs: 2, levelDbfs: 3 })).toThrow(/level/);
  });
});
