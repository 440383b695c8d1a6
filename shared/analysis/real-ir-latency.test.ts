/**
 * Latency on real measured impulse responses (issue 13, item 6): click, pink and sweep through a
 * hall, a seminar room and a guitar cabinet (shared/simulation/data/ir/, with their sources), a
 * known delay and pink noise at 20 and 5 dB SNR. The reported arrival must agree across stimuli and
 * SNR within 0.05 ms, or, where the path itself is ambiguous, every run must say so and its interval
 * must cover the others' answers; no run may be refused; polarity is reported only when stable and
 * then the same in every run.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeWav } from '../io/wav-file';
import { analyzeLatency, type LatencyAnalysis } from './latency-analysis';
import { describeStimulus, isRefusal } from './stimulus-layout';
import { generateStimulus, resolveStimulusSpec } from '../stimulus/stimulus';
import { addNoiseAtSnr, applyImpulseResponse, delaySignal, pinkBackground } from '../simulation/synthetic-path';

const RATE = 48000;
const DELAY = 4800.25;
const ms = (frames: number): number => (frames / RATE) * 1000;

const readIr = (name: string): Float32Array =>
  decodeWav(new Uint8Array(readFileSync(new URL(`../simulation/data/ir/${name}.wav`, import.meta.url)))).channels[0];

interface Run {
  label: string;
  a: LatencyAnalysis;
}

function runAll(name: string): Run[] {
  const h = readIr(name);
  const runs: Run[] = [];
  for (const signal of ['click', 'pink', 'sweep'] as const) {
    const reference = generateStimulus(resolveStimulusSpec({ signal, sampleRate: RATE, durationS: { click: 12, pink: 20, sweep: 6 }[signal], seed: 2 }));
    const layout = describeStimulus(reference, RATE);
    if (isRefusal(layout)) throw new Error(layout.message);
    const length = reference.length + h.length + RATE;
    const raw = delaySignal(applyImpulseResponse(reference, h, length), DELAY, length);
    let peak = 0;
    for (const v of raw) peak = Math.max(peak, Math.abs(v));
    const clean = raw.map((v) => (v / peak) * 0.25);
    for (const snr of [20, 5]) {
      const capture = addNoiseAtSnr(clean, pinkBackground(length, snr + 7), snr, layout.activeStartFrame + Math.round(DELAY), layout.activeEndFrame + Math.round(DELAY));
      const result = analyzeLatency(reference, capture, RATE);
      const label = `${signal} at ${snr} dB`;
      if (!result.ok) throw new Error(`${name}, ${label}: refused ${result.refusal.code}: ${result.refusal.message}`);
      runs.push({ label, a: result.analysis });
    }
  }
  return runs;
}

describe('latency on real impulse responses', () => {
  for (const name of ['great-hall', 'seminar-room-clap', 'guitar-cabinet']) {
    it(`${name}: click, pink and sweep at 20 and 5 dB agree within 0.05 ms or each interval covers every answer; polarity stable and the same`, () => {
      const runs = runAll(name);
      const medians = runs.map((r) => ms(r.a.lag.median));
      // A fixed path: no start-up, no alternation, whatever the lobes do.
      for (const { label, a } of runs) expect(a.warnings.map((w) => w.code), label).not.toEqual(expect.arrayContaining(['MULTIMODAL_LATENCY']));
      for (const { label, a } of runs) expect(a.startup, label).toBeNull();
      const spread = Math.max(...medians) - Math.min(...medians);
      if (spread > 0.05) {
        for (const { label, a } of runs) {
          expect(a.warnings.map((w) => w.code), label).toContain('AMBIGUOUS_ARRIVAL');
          const [low, high] = (a.lag.medianCi95 as [number, number]).map(ms);
          for (const m of medians) {
            expect(m, `${label}: [${low.toFixed(4)}, ${high.toFixed(4)}]`).toBeGreaterThanOrEqual(low);
            expect(m, `${label}: [${low.toFixed(4)}, ${high.toFixed(4)}]`).toBeLessThanOrEqual(high);
          }
        }
      }
      // Truth from the IR itself: the arrival is a strong early part of it, from its onset (the first
      // sample within 10 dB of its largest) to 0.5 ms after its largest sample.
      const h = readIr(name);
      let top = 0;
      for (let i = 1; i < h.length; i++) if (Math.abs(h[i]) > Math.abs(h[top])) top = i;
      const onset = h.findIndex((v) => Math.abs(v) >= 0.316 * Math.abs(h[top]));
      for (const m of medians) {
        expect(m).toBeGreaterThanOrEqual(ms(DELAY + onset) - 0.05);
        expect(m).toBeLessThanOrEqual(ms(DELAY + top) + 0.5);
      }
      expect(runs.every((r) => r.a.polarityStable)).toBe(true);
      expect(new Set(runs.map((r) => r.a.polarityInverted)).size).toBe(1);
    }, 120000);
  }
});
