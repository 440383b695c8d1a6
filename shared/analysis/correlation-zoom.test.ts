import { describe, expect, it } from 'vitest';
import { analyzeCapture } from './analyze-capture';
import { generateClickTrain } from '../stimulus/click-train';
import { type CorrelationZoom, reportedPolarity, zoomForAnalysis, zoomPolarityNote } from './correlation-zoom';
import { applyIir, lowPass } from '../simulation/iir-filter';
import { describeStimulus } from './stimulus-layout';
import { addNoiseAtSnr, renderClickCapture, whiteBackground } from '../simulation/synthetic-path';

const RATE = 48000;

function clickZoom(delayFrames: number, gain: number, filter = false): { zoom: CorrelationZoom; polarityInverted: boolean | undefined; medianMs: number } {
  const train = generateClickTrain({ sampleRate: RATE, durationS: 6, seed: 3 });
  const length = train.samples.length + Math.ceil(delayFrames) + RATE / 2;
  const clean = renderClickCapture({ shape: train.shape, clickFrames: train.clickFrames, lengthFrames: length, delayFrames, gain }).capture;
  const capture = addNoiseAtSnr(filter ? applyIir([lowPass(2000, RATE, 1.414)], clean) : clean, whiteBackground(length, 2), 30);
  const output = analyzeCapture(train.samples, capture, RATE);
  const layout = describeStimulus(train.samples, RATE);
  if (!('events' in layout) || output.status !== 'ok' || !output.latency) throw new Error('no analysis');
  const zoom = zoomForAnalysis(train.samples, capture, RATE, output, layout.events);
  if (!zoom) throw new Error('no zoom');
  return { zoom, polarityInverted: output.polarityInverted, medianMs: output.latency.medianMs };
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
    expect(plain.polarityInverted).toBe(false);
    expect(zoomPolarityNote(plain.zoom, plain.polarityInverted, 'phat')).toBeNull();
    const inverted = clickZoom(1000, -0.5);
    expect(inverted.polarityInverted).toBe(true);
    expect(zoomPolarityNote(inverted.zoom, inverted.polarityInverted, 'phat')).toBeNull();
  });

  it('explains a low-pass path whose PHAT peak points down while its polarity is normal', () => {
    const lp = clickZoom(1000, 0.5, true);
    expect(lp.polarityInverted).toBe(false);
    expect(Math.min(...lp.zoom.value)).toBe(-1);
    expect(zoomPolarityNote(lp.zoom, lp.polarityInverted, 'phat')).toMatch(/points down although the polarity is normal/);
    // A plain correlation (--weighting none) is not PHAT: no note about PHAT.
    expect(zoomPolarityNote(lp.zoom, lp.polarityInverted, 'none')).toBeNull();
    const inverted = clickZoom(1000, -0.5, true);
    expect(inverted.polarityInverted).toBe(true);
    expect(zoomPolarityNote(inverted.zoom, inverted.polarityInverted, 'phat')).toMatch(/points up although the path inverts polarity/);
  });

  it('says nothing without a polarity (an older report) or without a peak', () => {
    expect(zoomPolarityNote({ eventIndex: 0, lagMs: [0, 1], value: [0, -1] }, undefined, 'phat')).toBeNull();
    expect(zoomPolarityNote({ eventIndex: 0, lagMs: [0, 1], value: [0, 0] }, false, 'phat')).toBeNull();
  });
});

describe('reportedPolarity', () => {
  it('is the result\'s polarity, or undefined when the result says it is not stable (no note then claims either sign)', () => {
    const unstable = { polarityInverted: false, warnings: [{ code: 'POLARITY_UNSTABLE' }] };
    expect(reportedPolarity({ polarityInverted: true, warnings: [{ code: 'INVERTED_POLARITY' }] })).toBe(true);
    expect(reportedPolarity({ polarityInverted: false, warnings: [] })).toBe(false);
    expect(reportedPolarity(unstable)).toBeUndefined();
    const zoom: CorrelationZoom = { eventIndex: 0, lagMs: [-0.1, 0, 0.1], value: [0.1, -1, 0.2] };
    expect(zoomPolarityNote(zoom, false, 'phat')).toMatch(/points down although the polarity is normal/);
    expect(zoomPolarityNote(zoom, reportedPolarity(unstable), 'phat')).toBeNull();
  });
});
