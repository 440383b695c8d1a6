import { describe, expect, it } from 'vitest';
import { alignedStartFrame, CaptureAssembler, frameToTime, type TaggedChunk } from './capture-assembly';

/** The "input" of a context: the value at frame f is f, so every sample says where it came from. */
const chunkAt = (startFrame: number, length: number): TaggedChunk => ({ startFrame, samples: Float32Array.from({ length }, (_, i) => startFrame + i) });

describe('capture assembly', () => {
  it('keeps exactly the frames from F0 on, trimming a chunk that straddles F0 and one that runs past the end', () => {
    const F0 = 10_000;
    const a = new CaptureAssembler(F0, 3000);
    // Chunks of 1024 on a grid that does not line up with F0.
    for (let start = 8 * 1024; start < F0 + 4000; start += 1024) a.push(chunkAt(start, 1024));
    expect(a.complete).toBe(true);
    const { samples, missingFrames, gaps } = a.result();
    expect(missingFrames).toBe(0);
    expect(gaps).toEqual([]);
    expect(samples.length).toBe(3000);
    for (let i = 0; i < samples.length; i++) expect(samples[i]).toBe(F0 + i);
  });

  it('ignores chunks entirely before F0 or after the window', () => {
    const a = new CaptureAssembler(5000, 100);
    expect(a.push(chunkAt(0, 1024))).toBe(0);
    expect(a.push(chunkAt(4096, 904))).toBe(0);
    expect(a.push(chunkAt(5100, 50))).toBe(0);
    expect(a.coveredFrames).toBe(0);
    expect(a.contiguousFrames).toBe(0);
  });

  it('places late (out-of-order) chunks by their tag', () => {
    const a = new CaptureAssembler(0, 4096);
    a.push(chunkAt(2048, 1024));
    a.push(chunkAt(0, 1024));
    expect(a.contiguousFrames).toBe(1024);
    a.push(chunkAt(3072, 1024));
    a.push(chunkAt(1024, 1024));
    expect(a.complete).toBe(true);
    const { samples } = a.result();
    for (let i = 0; i < 4096; i++) expect(samples[i]).toBe(i);
  });

  it('leaves dropped chunks silent and lists them as gaps without shifting what follows', () => {
    const F0 = 256;
    const a = new CaptureAssembler(F0, 5000);
    for (let start = 0; start < F0 + 5000; start += 1024) if (start !== 2048 && start !== 4096) a.push(chunkAt(start, 1024));
    expect(a.complete).toBe(false);
    const { samples, missingFrames, gaps } = a.result();
    expect(gaps).toEqual([
      { startFrame: 2048 - F0, lengthFrames: 1024 },
      { startFrame: 4096 - F0, lengthFrames: 1024 },
    ]);
    expect(missingFrames).toBe(2048);
    expect(samples[2048 - F0 - 1]).toBe(2047);
    expect(samples[2048 - F0]).toBe(0);
    expect(samples[3072 - F0]).toBe(3072);
    expect(a.contiguousFrames).toBe(2048 - F0);
  });

  it('reports a missing end as a gap, and duplicate chunks count once', () => {
    const a = new CaptureAssembler(0, 3000);
    expect(a.push(chunkAt(0, 1024))).toBe(1024);
    expect(a.push(chunkAt(0, 1024))).toBe(0);
    expect(a.push(chunkAt(512, 1024))).toBe(512);
    expect(a.result().gaps).toEqual([{ startFrame: 1536, lengthFrames: 1464 }]);
  });

  it('rejects a window that is not whole frames', () => {
    expect(() => new CaptureAssembler(1.5, 10)).toThrow(RangeError);
    expect(() => new CaptureAssembler(0, 0)).toThrow(RangeError);
  });
});

describe('playback start time', () => {
  it('frameToTime never lands after the frame (the engine would start a frame late)', () => {
    for (const rate of [22050, 44100, 48000, 88200, 96000, 192000]) {
      for (let frame = 0; frame < 5_000_000; frame += 12_289) {
        const t = frameToTime(frame, rate);
        expect(t * rate).toBeLessThanOrEqual(frame);
        expect(frame - t * rate).toBeLessThan(1e-6);
        expect(Math.ceil(t * rate - 1e-9) + 0).toBe(frame);
      }
    }
  });

  it('alignedStartFrame is the first render-quantum boundary at least the lead time ahead', () => {
    expect(alignedStartFrame(0, 48000, 0.2)).toBe(9600);
    expect(alignedStartFrame(1.001, 48000, 0.2) % 128).toBe(0);
    expect(alignedStartFrame(1.001, 48000, 0.2)).toBeGreaterThanOrEqual(1.201 * 48000);
    expect(alignedStartFrame(1.001, 48000, 0.2) - 1.201 * 48000).toBeLessThan(128);
  });
});
