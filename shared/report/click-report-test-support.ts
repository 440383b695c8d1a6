/**
 * Test support: a click-train report with its frequency response (the averaged per-click
 * deconvolution), from a real analysis of a click train through a synthetic room of known IR
 * (used by the CSV, export, HTML and app tests).
 */
import { analyzeCapture } from '../analysis/analyze-capture';
import { judgeAnalysis } from '../claims/judge';
import { roomCapture } from '../simulation/room-captures';
import { roomImpulseResponse } from '../simulation/synthetic-path';
import { generateClickTrain } from '../stimulus/click-train';
import { createReport, type Report } from './report-schema';

const RATE = 48000;

/**
 * A `durationS` click train (seed 3) through a room whose tail decays 60 dB in `rt60S` (a direct
 * sound, a reflection at 3.1 ms, seed 5), 25 ms late, 30 dB SNR. `h` is the room's IR at the
 * capture's scale: the truth of the response.
 */
export function clickRoomReport(options: { rt60S: number; durationS: number }): { report: Report; h: Float32Array } {
  const train = generateClickTrain({ sampleRate: RATE, durationS: options.durationS, seed: 3 });
  const path = roomImpulseResponse({ sampleRate: RATE, rt60S: options.rt60S, directToReverbDb: -3, reflections: [{ delayMs: 3.1, gain: 0.5 }], seed: 5 });
  const { capture, h } = roomCapture({ samples: train.samples, startFrame: 0, endFrame: train.samples.length }, path, 0.025 * RATE, 30);
  const analysis = judgeAnalysis(analyzeCapture(train.samples, capture, RATE), {});
  const report = createReport({
    id: `click-room-${Math.round(options.rt60S * 1000)}`,
    title: `Click train, room ${options.rt60S} s`,
    createdAt: '2026-06-01T10:00:00.000Z',
    source: 'cli',
    settings: {
      mode: 'single', inputDevice: null, outputDevice: null, setupDescription: 'Speaker in a room', claimId: null, claim: null,
      baselineMs: null, videoLatencyMs: 0, maxLatencyMs: 2000, weighting: 'phat', smoothing: 12, micCalibrationFile: null, captureSettings: null,
    },
    signal: { kind: 'click', sampleRate: RATE, durationS: options.durationS, levelDbfs: -6, seed: 3, referenceFile: 'click.wav', captureFile: 'cap.wav' },
    analysis,
  });
  return { report, h };
}
