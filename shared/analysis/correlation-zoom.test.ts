import { describe, expect, it } from 'vitest';
import { analyzeCapture } from './analyze-capture';
import { generateClickTrain } from '../stimulus/click-train';
import { type CorrelationZoom, type Polarity, resultPolarity, zoomForAnalysis, zoomPolarityNote } from './correlation-zoom';
import { applyIir, highPass, lowPass } from '../simulation/iir-filter';
import { generateLogSweep } from '../stimulus/log-sweep';
import { generatePinkNoise } from '../stimulus/pink-noise';
import { describeStimulus } from './stimulus-layout';
import { addNoiseAtSnr, delaySignal, renderClickCapture, whiteBackground } from '../simulation/synthetic-path';

const RATE = 48000;

function clickZoom(delayFrames: number, gain: number, filter = false): { zoom: CorrelationZoom; polarity: Polarity | undefined; medianMs: number } {
  const train = generateClickTrain({ sampleRate: RATE, durationS: 6, seed: 3 });
  const length = train.samples.length + Math.ceil(delayFrames) + RATE / 2;
  const clean = renderClickCapture({ shape: train.shape, clickFrames: train.clickFrames, lengthFrames: length, delayFrames, gain }).capture;
  const capture = addNoiseAtSnr(filter ? applyIir([lowPass(2000, RATE, 1.414)], clean) : clean, whiteBackground(length, 2), 30);
  const output = analyzeCapture(train.samples, capture, RATE);
  const layout = describeStimulus(train.samples, RATE);
  if (!('events' in layout) || output.status !== 'ok' || !output.latency) throw new Error('no analysis');
  const zoom = zoomForAnalysis(train.samples, capture, RATE, output, layout.events);
  if (!zoom) throw new Error('no zoom');
  return { zoom, polarity: output.polarity, medianMs: output.latency.medianMs };
}

describe('zoomForAnalysis', () => {
  it('one point per sample over ±5 ms around the event, normalised so the peak at the latency is 1', () => {
    const delayFrames = 2400.3;
    const { zoom, medianMs } = clickZoom(delayFrames, 0.5);
    expect(zoom.lagMs).toHaveLength(zoom.value.length);
    expect(zoom.lagMs.length).toBeGreaterThanOrEqual(480);
    expect(zoom.lagMs[1] - zoom.lagMs[0]).toBeCloseTo(1000 / RATE, 9);
    expect(zoom.lagMs[0]).toBeLessThan(medianMs - 4.9);
    expect(zoom.lagMs[zoom.lagMs.length - 1]).toBeGreaterThan(medianMs + 4.9);
    const k = zoom.value.indexOf(Math.max(...zoom.value));
    expect(zoom.value[k]).toBe(1);
    expect(Math.abs(zoom.lagMs[k] - (delayFrames / RATE) * 1000)).toBeLessThan(1000 / RATE);
  });
});

describe('zoomPolarityNote', () => {
  it('says nothing when the peak agrees with the polarity', () => {
    const plain = clickZoom(1000, 0.5);
    expect(plain.polarity).toBe('normal');
    expect(zoomPolarityNote(plain.zoom, plain.polarity, 'phat')).toBeNull();
    const inverted = clickZoom(1000, -0.5);
    expect(inverted.polarity).toBe('inverted');
    expect(zoomPolarityNote(inverted.zoom, inverted.polarity, 'phat')).toBeNull();
  });

  it('explains a low-pass path whose PHAT peak points down while its polarity is normal', () => {
    const lp = clickZoom(1000, 0.5, true);
    expect(lp.polarity).toBe('normal');
    expect(Math.min(...lp.zoom.value)).toBe(-1);
    expect(zoomPolarityNote(lp.zoom, lp.polarity, 'phat')).toMatch(/points down although the polarity is normal/);
    // A plain correlation (--weighting none) is not PHAT: no note about PHAT.
    expect(zoomPolarityNote(lp.zoom, lp.polarity, 'none')).toBeNull();
    const inverted = clickZoom(1000, -0.5, true);
    expect(inverted.polarity).toBe('inverted');
    expect(zoomPolarityNote(inverted.zoom, inverted.polarity, 'phat')).toMatch(/points up although the path inverts polarity/);
  });

  it('without a determined polarity, says that the peak does not tell it, whichever way it points and however weighted', () => {
    const down: CorrelationZoom = { eventIndex: 0, lagMs: [-0.1, 0, 0.1], value: [0.1, -1, 0.2] };
    const up: CorrelationZoom = { ...down, value: [0.1, 1, -0.2] };
    const note = (way: string): string => `The polarity was not determined (the sign of the impulse response at the arrival does not hold: POLARITY_UNSTABLE), so the peak pointing ${way} does not tell it either.`;
    expect(zoomPolarityNote(down, 'not-determined', 'phat')).toBe(note('down'));
    expect(zoomPolarityNote(up, 'not-determined', 'phat')).toBe(note('up'));
    expect(zoomPolarityNote(down, 'not-determined', 'none')).toBe(note('down'));
    // With a polarity, the same down-pointing PHAT peak is explained.
    expect(zoomPolarityNote(down, 'normal', 'phat')).toMatch(/points down although the polarity is normal/);
  });

  it('says nothing without a result (a refusal has no polarity) or without a peak', () => {
    expect(zoomPolarityNote({ eventIndex: 0, lagMs: [0, 1], value: [0, -1] }, undefined, 'phat')).toBeNull();
    expect(zoomPolarityNote({ eventIndex: 0, lagMs: [0, 1], value: [0, 0] }, 'normal', 'phat')).toBeNull();
    expect(zoomPolarityNote({ eventIndex: 0, lagMs: [0, 1], value: [0, 0] }, 'not-determined', 'phat')).toBeNull();
  });
});

describe('resultPolarity', () => {
  it('is the result\'s polarity field; for a result saved before it, not determined when POLARITY_UNSTABLE says so, else polarityInverted', () => {
    expect(resultPolarity({ polarity: 'not-determined', polarityInverted: false, warnings: [] })).toBe('not-determined');
    expect(resultPolarity({ polarity: 'inverted', polarityInverted: true, warnings: [{ code: 'INVERTED_POLARITY' }] })).toBe('inverted');
    expect(resultPolarity({ polarityInverted: true, warnings: [{ code: 'INVERTED_POLARITY' }] })).toBe('inverted');
    expect(resultPolarity({ polarityInverted: false, warnings: [] })).toBe('normal');
    expect(resultPolarity({ polarityInverted: false, warnings: [{ code: 'POLARITY_UNSTABLE' }] })).toBe('not-determined');
    expect(resultPolarity({ warnings: [] })).toBeUndefined();
  });
});

describe('analyzeCapture states the polarity', () => {
  // A sweep is one event: through a 1 kHz high-pass its sign does not hold across bandwidths
  // (polarity.ts), so it has none; pink noise through the same path has one, each way up.
  const path = [highPass(1000, RATE)];
  const through = (x: Float32Array, gain: number): Float32Array => {
    const filtered = applyIir(path, delaySignal(x, 1500.3, x.length + 6000)).map((v) => v * gain);
    return addNoiseAtSnr(filtered, whiteBackground(filtered.length, 11), 30);
  };

  it('a sweep through a 1 kHz high-pass: not determined (POLARITY_UNSTABLE), polarityInverted false, each way up', () => {
    const sweep = generateLogSweep({ sampleRate: RATE, durationS: 6 }).samples;
    for (const gain of [1, -1]) {
      const out = analyzeCapture(sweep, through(sweep, gain), RATE);
      if (out.status !== 'ok') throw new Error(`refused: ${out.error.code}`);
      expect(out.polarity, `gain ${gain}`).toBe('not-determined');
      expect(out.polarityInverted).toBe(false);
      expect(out.warnings.map((w) => w.code)).toContain('POLARITY_UNSTABLE');
      expect(out.warnings.map((w) => w.code)).not.toContain('INVERTED_POLARITY');
      expect(resultPolarity(out)).toBe('not-determined');
    }
  }, 30_000);

  it('pink noise through the same path: normal, and inverted when the path inverts', () => {
    const pink = generatePinkNoise({ sampleRate: RATE, durationS: 6, seed: 4 }).samples;
    for (const [gain, polarity] of [[1, 'normal'], [-1, 'inverted']] as const) {
      const out = analyzeCapture(pink, through(pink, gain), RATE);
      if (out.status !== 'ok') throw new Error(`refused: ${out.error.code}`);
      expect(out.polarity).toBe(polarity);
      expect(out.polarityInverted).toBe(gain < 0);
      expect(out.warnings.map((w) => w.code)).not.toContain('POLARITY_UNSTABLE');
    }
  }, 30_000);
});
