/**
 * Real reports and audio for the main-process tests: a short click train and pink noise through a
 * known delay, analysed by the shared analysis and assembled with createReport, so they are exactly
 * what the app stores. Cached: the analysis runs once per test file.
 */
import { analyzeCapture } from '../../../shared/analysis/analyze-capture';
import { judgeAnalysis } from '../../../shared/claims/judge';
import { generateClickTrain } from '../../../shared/stimulus/click-train';
import type { MeasurementAudioData } from '../../../shared/contract/ipc-contract';
import { generatePinkNoise } from '../../../shared/stimulus/pink-noise';
import { createReport, type Report } from '../../../shared/report/report-schema';
import { addNoiseAtSnr, delaySignal, renderClickCapture, whiteBackground } from '../../../shared/simulation/synthetic-path';

export const FIXTURE_RATE = 48000;
const DELAY_MS = 42.5;

export interface Fixture {
  report: Report;
  audio: MeasurementAudioData;
}

let clicks: Fixture | null = null;
let noise: Fixture | null = null;

function settings(): Report['settings'] {
  return {
    mode: 'single', inputDevice: { label: 'USB mic' }, outputDevice: { label: 'JBL Flip 6' }, setupDescription: 'Flip 6 over Bluetooth', claimId: null, claim: null,
    baselineMs: null, videoLatencyMs: 0, maxLatencyMs: 2000, weighting: 'phat', smoothing: 12, micCalibrationFile: null, captureSettings: null,
  };
}

/** A click-train measurement (no frequency response). */
export function clickFixture(): Fixture {
  if (!clicks) {
    const train = generateClickTrain({ sampleRate: FIXTURE_RATE, durationS: 3, seed: 1 });
    const length = train.samples.length + Math.round(0.2 * FIXTURE_RATE);
    const clean = renderClickCapture({ shape: train.shape, clickFrames: train.clickFrames, lengthFrames: length, delayFrames: (DELAY_MS / 1000) * FIXTURE_RATE }).capture;
    const capture = addNoiseAtSnr(clean, whiteBackground(length, 21), 30);
    const analysis = judgeAnalysis(analyzeCapture(train.samples, capture, FIXTURE_RATE));
    const report = createReport({
      id: 'fixture-clicks-0001', title: 'Flip 6 in the living room', createdAt: '2026-03-01T12:34:56.789Z', source: 'app', settings: settings(),
      signal: { kind: 'click', sampleRate: FIXTURE_RATE, durationS: 3, levelDbfs: -6, seed: 1, referenceFile: null, captureFile: null }, analysis,
    });
    clicks = { report, audio: { sampleRate: FIXTURE_RATE, reference: train.samples, capture } };
  }
  return clicks;
}

/** A pink-noise measurement (with a frequency response). */
export function noiseFixture(): Fixture {
  if (!noise) {
    const pink = generatePinkNoise({ sampleRate: FIXTURE_RATE, durationS: 3, seed: 2 }).samples;
    const capture = delaySignal(pink, (DELAY_MS / 1000) * FIXTURE_RATE, pink.length + Math.round(0.2 * FIXTURE_RATE));
    const analysis = judgeAnalysis(analyzeCapture(pink, capture, FIXTURE_RATE, { smoothing: 6 }));
    const report = createReport({
      id: 'fixture-noise-0001', title: 'Soundbar, pink noise', createdAt: '2026-03-02T08:00:00.000Z', source: 'app', settings: { ...settings(), smoothing: 6 },
      signal: { kind: 'pink', sampleRate: FIXTURE_RATE, durationS: 3, levelDbfs: -20, seed: 2, referenceFile: null, captureFile: null }, analysis,
    });
    noise = { report, audio: { sampleRate: FIXTURE_RATE, reference: pink, capture } };
  }
  return noise;
}

/** A deep copy to mutate. */
export function cloneReport(report: Report): Report {
  return JSON.parse(JSON.stringify(report)) as Report;
}
