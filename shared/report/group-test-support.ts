/**
 * Test support: reports of several speakers measured together, from real analyses of simulated
 * captures with a known answer (used by the report, CSV, HTML and app tests).
 */
import { analyzeCapture } from '../analysis/analyze-capture';
import { analyzeMultiOutput } from '../analysis/multi-output';
import { analyzeMultiSpeaker, type SpeakerArrival } from '../analysis/multi-speaker';
import { judgeAnalysis } from '../claims/judge';
import { generateClickTrain } from '../stimulus/click-train';
import { generateMultiOutputReference, resolveMultiOutputSpec } from '../stimulus/multi-output';
import { renderMultiOutputCapture, type SimulatedOutput } from '../simulation/multi-output-capture';
import { guidedGroup, outputsGroup, speakersGroup, syncTolerance } from './report-group';
import { createReport, type Report, type ReportInput } from './report-schema';

const RATE = 48000;

/** The median of the true lags of the clicks that arrived, ms. */
export function trueMedianMs(lags: Array<number | null>): number {
  const v = lags.filter((x): x is number => x !== null).sort((a, b) => a - b);
  const m = v.length >> 1;
  return ((v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2) / RATE) * 1000;
}

function base(title: string): Omit<ReportInput, 'analysis' | 'group'> {
  return {
    id: `group-${title.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`.slice(0, 64),
    title,
    createdAt: '2026-05-01T10:00:00.000Z',
    source: 'cli',
    settings: {
      mode: 'single', inputDevice: null, outputDevice: null, setupDescription: 'Two speakers', claimId: null, claim: null,
      baselineMs: null, videoLatencyMs: 0, maxLatencyMs: 1000, weighting: 'phat', smoothing: 12, micCalibrationFile: null, captureSettings: null,
    },
    signal: { kind: 'click', sampleRate: RATE, durationS: 20, levelDbfs: -6, seed: 4, referenceFile: null, captureFile: null },
  };
}

/** Two outputs, 180 and 265 ms, drifting +50 and −50 ppm, 20 s: out of sync for a stereo pair. */
export function outputsReport(): { report: Report; truthMs: number[] } {
  const outputs: SimulatedOutput[] = [
    { latencyMs: 180, driftPpm: 50, jitterMs: 0, gainDb: 0, dropoutRate: 0 },
    { latencyMs: 265, driftPpm: -50, jitterMs: 0, gainDb: -6, dropoutRate: 0 },
  ];
  const reference = generateMultiOutputReference(resolveMultiOutputSpec({ outputs: 2, durationS: 20, seed: 4, sampleRate: RATE }));
  const { capture, trueLagFrames } = renderMultiOutputCapture({
    shape: reference.shape, clickFrames: reference.clickFrames, lengthFrames: reference.channels[0].length + RATE, outputs, seed: 4, snrDb: 40,
  });
  const tolerance = syncTolerance('stereo-pair');
  const result = analyzeMultiOutput(reference.channels, capture, RATE, { syncToleranceMs: tolerance.toleranceMs, maxLatencyMs: 1000 });
  const sum = new Float32Array(reference.channels[0].length);
  for (const channel of reference.channels) for (let i = 0; i < sum.length; i++) sum[i] += channel[i];
  const analysis = judgeAnalysis(analyzeCapture(sum, capture, RATE, { maxLatencyMs: 1000 }));
  const group = outputsGroup(result, [{ channel: 1, device: { id: 'left', label: 'Left speaker' } }, { channel: 2, device: { id: 'right', label: 'Right speaker' } }], tolerance);
  return { report: createReport({ ...base('Left and right'), analysis, group }), truthMs: trueLagFrames.map(trueMedianMs) };
}

/** One stream on two speakers 60 ms and 6 dB apart, drifting ±20 ppm. */
export function speakersReport(): { report: Report; truthMs: number[] } {
  const speakers: SimulatedOutput[] = [
    { latencyMs: 180, driftPpm: 20, jitterMs: 0, gainDb: 0, dropoutRate: 0 },
    { latencyMs: 240, driftPpm: -20, jitterMs: 0, gainDb: -6, dropoutRate: 0 },
  ];
  const train = generateClickTrain({ sampleRate: RATE, durationS: 20, seed: 6 });
  const { capture, trueLagFrames } = renderMultiOutputCapture({
    shape: train.shape, clickFrames: speakers.map(() => train.clickFrames), lengthFrames: train.samples.length + RATE, outputs: speakers, seed: 6, snrDb: 40,
  });
  const result = analyzeMultiSpeaker(train.samples, capture, RATE, { speakers: 2 });
  const analysis = judgeAnalysis(analyzeCapture(train.samples, capture, RATE, { maxLatencyMs: 1000 }));
  const group = speakersGroup(result, 2, syncTolerance('rooms'));
  return { report: createReport({ ...base('Kitchen and living room'), analysis, group }), truthMs: trueLagFrames.map(trueMedianMs) };
}

const arrival = (latencyMs: number, levelDb: number, driftPpm: number): SpeakerArrival => ({ latencyMs, levelDb, driftPpm, driftPpmStdError: null, events: 30, dropouts: 0 });

/** A guided measurement of three speakers; `weak` makes the run next to speaker 3 undecided. */
export function guidedReport(analysis: ReportInput['analysis'], weak = false): Report {
  const runs = [
    { nearSpeaker: 1, arrivals: [arrival(150.25, -2, 10), arrival(212, -15, -10)] },
    { nearSpeaker: 2, arrivals: [arrival(151.5, -14, 10), arrival(205.75, -3, -10)] },
    { nearSpeaker: 3, arrivals: weak ? [arrival(170, -8, 0), arrival(175, -10, 0)] : [arrival(171.5, -4, 0)] },
  ];
  return createReport({ ...base('Three rooms, guided'), analysis, group: guidedGroup(runs, 3, syncTolerance('custom', 25)) });
}
