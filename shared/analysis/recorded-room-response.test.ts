// A recorded room IR carries its recording's own noise; the response engine subtracts the noise it
// measures in the IR. Where that noise reaches what was measured, the band is noise: it must be
// flagged and kept within 10 dB of what was measured, never driven towards zero (a band of the
// seminar room read −138 dB with pink noise at 20 dB SNR).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from './analyze-capture';
import { generatePinkNoise } from '../stimulus/pink-noise';
import { decodeMeasuredIr, MEASURED_IRS } from '../simulation/measured-ir';
import { responseError, roomCapture } from '../simulation/room-captures';

const RATE = 48000;

describe('room response from a recorded room IR', () => {
  it('the seminar room with pink noise at 20 dB: no band below the noise floor is driven to −∞, and the flagged-free points are within 1.5 dB', () => {
    const ir = decodeMeasuredIr(new Uint8Array(readFileSync(new URL(`../simulation/data/ir/${MEASURED_IRS['seminar room']}`, import.meta.url)))).h;
    const pink = generatePinkNoise({ sampleRate: RATE, durationS: 30, seed: 1 });
    const { capture, h } = roomCapture(pink, ir, 1234.3, 20);
    const fr = analyzeCapture(pink.samples, capture, RATE, { smoothing: 12 }).frequencyResponse;
    if (!fr) throw new Error('no frequency response');
    const inBand = fr.points.filter((p) => p.hz >= 100 && p.hz <= 12000);
    const level = fr.referenceLevelDb ?? 0;
    for (const p of inBand) expect(p.db, `${p.hz.toFixed(0)} Hz`).toBeGreaterThan(level - 40);
    const all = responseError(fr.points, h, RATE);
    expect(Math.abs(all.biasDb)).toBeLessThan(0.5);
    const clear = responseError(fr.points, h, RATE, 100, 12000, true);
    expect(clear.count).toBeGreaterThan(200);
    expect(clear.maxDb).toBeLessThan(1.5);
  });
});
