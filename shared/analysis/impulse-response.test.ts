import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from './analyze-capture';
import { decodeFloat32Base64, encodeFloat32Base64 } from './response-output';
import { roomDecay } from './room-decay';
import { generateLogSweep } from '../stimulus/log-sweep';
import { generatePinkNoise } from '../stimulus/pink-noise';
import { decodeMeasuredIr, MEASURED_IRS, type MeasuredIrName } from '../simulation/measured-ir';
import { responseError, roomCapture } from '../simulation/room-captures';
import { applyIir, highPass } from '../simulation/iir-filter';
import { roomImpulseResponse } from '../simulation/synthetic-path';

const RATE = 48000;
const load = (name: MeasuredIrName) => decodeMeasuredIr(new Uint8Array(readFileSync(new URL(`../simulation/data/ir/${MEASURED_IRS[name]}`, import.meta.url)))).h;
const sweep = generateLogSweep({ sampleRate: RATE, durationS: 10, levelDbfs: -6 });

function measure(stimulus: { samples: Float32Array; startFrame: number; endFrame: number }, path: Float32Array, snrDb: number | null) {
  const { capture, h } = roomCapture(stimulus, path, 1234.3, snrDb);
  const out = analyzeCapture(stimulus.samples, capture, RATE, { smoothing: 12 });
  if (!out.frequencyResponse) throw new Error(`no response: ${out.error?.code}`);
  return { ...out.frequencyResponse, h };
}

describe('room response from real measured impulse responses, log sweep, 20 dB SNR (1/12 octave, 100 Hz–12 kHz)', () => {
  // Measured (seed 3): seminar room 0.90 dB, guitar cabinet 0.64 dB (every point, flagged ones too:
  // its room window now ends where its last octave band sinks into the noise, 0.1 s, not 1.1 s out
  // where the broadband ETC met a far-lag noise lacking the treble), great hall 0.12 dB.
  it.each([
    ['seminar room', 1, 0.1, false],
    ['guitar cabinet', 1, 0.1, false],
    ['great hall', 0.3, 0.1, false],
  ] as const)('%s: within %s dB of |FFT(IR)|², level bias within %s dB (only unflagged points: %s)', (name, maxDb, biasDb, skipFlagged) => {
    const fr = measure(sweep, load(name), 20);
    const e = responseError(fr.points, fr.h, RATE, 100, 12000, skipFlagged);
    expect(e.count).toBeGreaterThan(300);
    expect(e.maxDb).toBeLessThan(maxDb);
    expect(Math.abs(e.biasDb)).toBeLessThan(biasDb);
    expect(fr.impulse?.method).toBe('sweep-deconvolution');
    expect(JSON.stringify({ ...fr, h: null }).length).toBeLessThan(2e6);
  });

  it('great hall, periodic pink noise (30 s: two whole periods averaged): within 1.5 dB, bias within 0.5 dB', () => {
    const fr = measure(generatePinkNoise({ sampleRate: RATE, durationS: 30, seed: 1 }), load('great hall'), 20);
    expect(fr.impulse?.method).toBe('periodic-noise');
    expect(fr.impulse?.periodsAveraged).toBe(2);
    const e = responseError(fr.points, fr.h, RATE);
    expect(e.maxDb).toBeLessThan(1.5);
    expect(Math.abs(e.biasDb)).toBeLessThan(0.5);
  });
});

describe('synthetic rooms, log sweep, 20 dB SNR', () => {
  it.each([
    // Measured 0.21, 0.16, 0.13 dB (targets 1, 1, 1.5 dB).
    [0.3, 0.4],
    [1, 0.4],
    [2.5, 0.4],
  ])('RT60 %s s: room response within %s dB; T20 and T30 from 250 Hz to 8 kHz within 6 % of the clean IR\'s Schroeder decay', (rt60S, maxDb) => {
    const fr = measure(sweep, roomImpulseResponse({ sampleRate: RATE, rt60S: rt60S * 1.3, directToReverbDb: -3, reflections: [{ delayMs: 3.1, gain: 0.5 }], seed: 5 }), 20);
    const h = fr.h;
    const e = responseError(fr.points, h, RATE);
    expect(e.maxDb).toBeLessThan(maxDb);
    expect(Math.abs(e.biasDb)).toBeLessThan(0.1);
    const truth = roomDecay(h, RATE, 20, 20000);
    for (const band of fr.decay ?? []) {
      const t = truth.find((b) => b.hz === band.hz);
      // 4 and 8 kHz read T30 6–35× long while the noise came from the far lags only, which lack a
      // sweep's treble noise (measured now: within 5.3 % from 250 Hz to 8 kHz, 3 % above 500 Hz).
      if (!t || band.hz < 250) continue;
      for (const key of ['t20S', 't30S'] as const) {
        expect(band[key], `${key} at ${band.hz} Hz`).not.toBeNull();
        expect(Math.abs((band[key] as number) / (t[key] as number) - 1), `${key} at ${band.hz} Hz`).toBeLessThan(0.06);
      }
    }
    expect(fr.decay?.filter((b) => b.hz >= 250).length).toBe(6);
  });
});

describe('speaker window and distortion', () => {
  // A speaker-like impulse (a decaying 2 kHz resonance) and one reflection 4 ms later at -6 dB. With
  // a flat response down to DC (no real speaker has one), what the stimulus never excited (below
  // 28 Hz, tapered out of the IR) is missing under the 4.7 ms gate too: its gated truth differs by
  // 0.55 dB at 350 Hz, which no measurement can know. A speaker rolls off at the bottom (here a
  // 4th-order high-pass at 40 Hz): then the gated response is exact.
  const speakerPath = (highPassHz: number | null): Float32Array => {
    let h: Float32Array = new Float32Array(9600);
    for (let i = 0; i < 200; i++) h[i] += Math.exp(-i / 20) * Math.cos((2 * Math.PI * 2000 * i) / RATE) * 0.5 + (i === 0 ? 0.5 : 0);
    if (highPassHz !== null) h = applyIir([highPass(highPassHz, RATE), highPass(highPassHz, RATE)], h);
    const direct = h.slice();
    for (let i = 0; i + 192 < h.length; i++) h[192 + i] += 0.5 * direct[i];
    return h;
  };
  it.each([
    ['rolling off below 40 Hz', 40, 0.05],
    ['flat down to DC', null, 0.6],
  ] as const)('a speaker %s: the gate ends before the reflection 4 ms after the arrival; the gated response is within $2 dB of the gated truth above 1/gate (measured 0.009 and 0.41 dB)', (_label, highPassHz, maxDb) => {
    const fr = measure(sweep, speakerPath(highPassHz), 30);
    const speaker = fr.windows?.speaker;
    if (!speaker) throw new Error('no speaker window');
    expect(speaker.endMs).toBeLessThan(4);
    expect(speaker.endMs).toBeGreaterThan(2);
    // Gated truth: the same window on the true IR (its arrival at 0).
    const w = Math.round((speaker.endMs / 1000) * RATE);
    const gated = Float32Array.from(fr.h, (v, i) => (i < w ? v : 0));
    const fall = Math.max(1, Math.round(0.25 * w));
    for (let i = w - fall; i < w; i++) gated[i] *= 0.5 - 0.5 * Math.cos((Math.PI * (w - i - 0.5)) / fall);
    const e = responseError(speaker.points, gated, RATE, speaker.lowestValidHz, 12000);
    expect(e.count).toBeGreaterThan(250);
    expect(e.maxDb).toBeLessThan(maxDb);
  });

  it('a memoryless x + 0.1·x² path: H2 reads 0.05·A re the fundamental (-32 dB at A = 0.5), within 1 dB from 200 Hz to 5 kHz', () => {
    const length = sweep.samples.length + 5000;
    const delayed = new Float32Array(length);
    delayed.set(sweep.samples, 1000);
    const capture = delayed.map((v) => v + 0.1 * v * v);
    const out = analyzeCapture(sweep.samples, capture, RATE);
    const points = out.frequencyResponse?.distortion?.filter((p) => p.hz >= 200 && p.hz <= 5000) ?? [];
    expect(points.length).toBeGreaterThan(20);
    for (const p of points) expect(Math.abs((p.h2Db as number) - 20 * Math.log10(0.05 * 0.5)), `${p.hz.toFixed(0)} Hz`).toBeLessThan(1);
  });
});

describe('helpers', () => {
  it('float32 base64 round trip', () => {
    const values = Float32Array.from([0, 1, -1.5, 3.25e-7, 12345.678]);
    expect(Array.from(decodeFloat32Base64(encodeFloat32Base64(values)))).toEqual(Array.from(values));
    expect(() => decodeFloat32Base64('abc')).toThrow(RangeError);
  });
});
