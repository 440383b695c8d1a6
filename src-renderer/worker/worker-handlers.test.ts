import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../shared/analysis/analyze-capture';
import { judgeAnalysis } from '../../shared/claims/judge';
import { generateStimulus, resolveStimulusSpec } from '../../shared/stimulus/stimulus';
import { addNoiseAtSnr, delaySignal, whiteBackground } from '../../shared/simulation/synthetic-path';
import { handlers } from './worker-handlers';
import { generateMultiOutputReference, resolveMultiOutputSpec } from '../../shared/stimulus/multi-output';
import { renderMultiOutputCapture } from '../../shared/simulation/multi-output-capture';
import { simulateAvCamera } from '../../shared/simulation/av-camera';
import { avAnalysisOutputSchema } from '../../shared/av/av-schema';
import { transferablesOf } from './worker-contract';

const RATE = 48000;
const DELAY = 1234;

function clickCase() {
  const reference = generateStimulus(resolveStimulusSpec({ signal: 'click', sampleRate: RATE, durationS: 6, seed: 3 }));
  const clean = delaySignal(reference, DELAY, reference.length + RATE);
  const capture = addNoiseAtSnr(clean, whiteBackground(clean.length, 7), 30);
  return { reference, capture };
}

describe('worker handlers', () => {
  it('analyze returns the same output as analyzeCapture, the events, a zoom at the median, and hands back the same buffers', () => {
    const { reference, capture } = clickCase();
    const direct = judgeAnalysis(analyzeCapture(reference, capture, RATE, { maxLatencyMs: 2000 }));
    const result = handlers.analyze({ reference, capture, sampleRate: RATE, options: { maxLatencyMs: 2000 } });
    expect(result.output).toEqual(direct);
    expect(result.output.status).toBe('ok');
    expect(result.output.latency?.medianMs).toBeCloseTo((DELAY / RATE) * 1000, 3);
    expect(result.events.length).toBe(result.output.latency?.eventsTotal);
    for (const e of result.events) expect(e.startFrame).toBeLessThan(e.endFrame);
    expect(result.zoom).not.toBeNull();
    const zoom = result.zoom!;
    const peakIndex = zoom.value.reduce((best, v, i) => (Math.abs(v) > Math.abs(zoom.value[best]) ? i : best), 0);
    expect(Math.abs(zoom.lagMs[peakIndex] - (DELAY / RATE) * 1000)).toBeLessThan(1000 / RATE + 1e-9);
    expect(zoom.eventIndex).toBeGreaterThanOrEqual(0);
    expect(result.reference).toBe(reference);
    expect(result.capture).toBe(capture);
  });

  it('analyze uses the given events (music mode) and reports them back', () => {
    const { reference, capture } = clickCase();
    const layout = handlers.analyze({ reference, capture, sampleRate: RATE, options: {} }).events;
    const chosen = layout.slice(1, 6);
    const result = handlers.analyze({ reference, capture, sampleRate: RATE, options: { events: chosen, kind: 'noise' } });
    expect(result.events).toBe(chosen);
    expect(result.output.latency?.eventsTotal).toBe(chosen.length);
  });

  it('a refused analysis has no zoom and still hands the buffers back', () => {
    const { reference } = clickCase();
    const silent = new Float32Array(reference.length + RATE);
    const result = handlers.analyze({ reference, capture: silent, sampleRate: RATE, options: {} });
    expect(result.output.status).toBe('refused');
    expect(result.output.error?.code).toBe('SILENT_CAPTURE');
    expect(result.zoom).toBeNull();
    expect(result.capture).toBe(silent);
    expect(result.events.length).toBeGreaterThan(0);
  });

  it('generateStimulus equals the shared generator sample for sample', () => {
    for (const signal of ['click', 'pink', 'sweep'] as const) {
      const spec = resolveStimulusSpec({ signal, sampleRate: 44100, durationS: 3, seed: 9 });
      const { samples } = handlers.generateStimulus(spec);
      expect(samples).toEqual(generateStimulus(spec));
    }
  });

  it('generateMultiOutput and analyzeOutputs: each output found at its own latency', () => {
    const spec = resolveMultiOutputSpec({ outputs: 2, sampleRate: RATE, durationS: 20, seed: 4 });
    const generated = handlers.generateMultiOutput(spec);
    const direct = generateMultiOutputReference(spec);
    expect(generated.channels).toEqual(direct.channels);
    expect(generated.clickFrames).toEqual(direct.clickFrames);
    const latencies = [150, 230];
    const { capture } = renderMultiOutputCapture({
      shape: direct.shape, clickFrames: direct.clickFrames, lengthFrames: direct.channels[0].length + RATE, seed: 5, snrDb: 30,
      outputs: latencies.map((latencyMs) => ({ latencyMs, driftPpm: 0, jitterMs: 0, gainDb: 0, dropoutRate: 0 })),
    });
    const result = handlers.analyzeOutputs({ channels: generated.channels, capture, sampleRate: RATE, options: { maxLatencyMs: 1000 } });
    expect(result.output.status).toBe('ok');
    result.output.outputs.forEach((o, k) => expect(Math.abs((o.latency?.medianMs ?? NaN) - latencies[k])).toBeLessThan(0.2));
    expect(result.capture).toBe(capture);
  }, 120_000);

  it('analyzeSpeakers refuses a one-speaker capture asked for two, and hands the buffers back', () => {
    const { reference, capture } = clickCase();
    const result = handlers.analyzeSpeakers({ reference, capture, sampleRate: RATE, options: { speakers: 2 } });
    expect(result.output.status).toBe('refused');
    expect(result.reference).toBe(reference);
    expect(result.capture).toBe(capture);
  });

  it('analyzeAv: the offset of a simulated camera recording within its uncertainty, judged; its buffers are transferable', () => {
    const rec = simulateAvCamera({ seed: 31, durationS: 12, cameraFps: 120, videoLatencyS: 0.025, audioLatencyS: 0.1, distanceM: 3, cameraOffsetMs: 6, displayPpm: 1000 });
    const params = { video: rec.video, audio: rec.audio, options: { distanceM: 3, cameraOffsetMs: 6 } };
    const buffers = transferablesOf(params);
    expect(buffers).toContain(rec.video.cells.buffer);
    expect(buffers).toContain(rec.audio.samples.buffer);
    const { output } = handlers.analyzeAv(params);
    expect(avAnalysisOutputSchema.parse(output)).toEqual(output);
    expect(output.status).toBe('ok');
    expect(Math.abs(output.av!.offsetMs - rec.trueOffsetMs)).toBeLessThanOrEqual(output.av!.uncertaintyMs);
    expect(output.av!.uncertaintyMs).toBeLessThanOrEqual(4);
    expect(output.lipSync!.verdicts.length).toBeGreaterThanOrEqual(4);
    expect(output.lipSync!.claim?.claimId).toBe('statement-thx-lip-sync-under-50');
  });

  it('calibrateAv: a camera recording sound 9 ms late, filmed from a reference of known offset, reads 9 ms within its uncertainty', () => {
    // The reference (display and speaker) has the simulation's true offset (its pixel response
    // included); the camera adds its own 9 ms.
    const rec = simulateAvCamera({ seed: 32, durationS: 15, cameraFps: 240, videoLatencyS: 0.02, audioLatencyS: 0.024, distanceM: 0.5, cameraOffsetMs: 9, displayPpm: 1000 });
    const { output } = handlers.calibrateAv({ video: rec.video, audio: rec.audio, options: { referenceOffsetMs: rec.trueOffsetMs, distanceM: 0.5 } });
    expect(output.status).toBe('ok');
    if (output.status !== 'ok') return;
    expect(Math.abs(output.calibration.cameraOffsetMs - 9)).toBeLessThanOrEqual(output.calibration.uncertaintyMs);
    expect(output.calibration.videoFps).toBeCloseTo(240, 0);
  });

  it('analyzeAv refuses a muted recording with the reason and what to do', () => {
    const rec = simulateAvCamera({ seed: 33, durationS: 10, cameraFps: 60, videoLatencyS: 0.02, audioLatencyS: 0.05, muted: true });
    const { output } = handlers.analyzeAv({ video: rec.video, audio: rec.audio, options: {} });
    expect(output.status).toBe('refused');
    expect(output.error?.code).toBe('NO_CLICKS');
    expect(output.error?.advice).toMatch(/Turn the speaker up/);
  });
});
