/**
 * Reports for tests of the results, library and host code: built directly from known numbers
 * (no DSP), validated with createReport so they are exactly what the app stores.
 */
import type { LatencyEventOutput } from '../../shared/analysis/analyze-capture';
import type { AnalysisOutput } from '../../shared/claims/judge';
import { type Claim, findClaim } from '../../shared/claims/claims-catalogue';
import { BANDS_PER_OCTAVE, LOWEST_BAND_HZ, meanLevelDb, medianCoherence, smoothResponse, type SpectrumBand } from '../../shared/analysis/frequency-response';
import { createReport, type Report } from '../../shared/report/report-schema';
import { summarize } from '../../shared/primitives/statistics';
import { claimVerdict, lipSyncVerdicts } from '../../shared/claims/verdict';
import type { MeasurementAudio } from '../host/host-api';
import { analyzeCapture } from '../../shared/analysis/analyze-capture';
import { judgeAnalysis } from '../../shared/claims/judge';
import { generateLogSweep } from '../../shared/stimulus/log-sweep';
import { roomImpulseResponse } from '../../shared/simulation/synthetic-path';
import { roomCapture } from '../../shared/simulation/room-captures';

export interface FixtureOptions {
  id?: string;
  title?: string;
  createdAt?: string;
  /** Number of events (default 40). */
  events?: number;
  /** Median latency around which the events scatter (default 120 ms). */
  latencyMs?: number;
  /** Give the report a frequency response (a noise stimulus) instead of clicks. */
  frequencyResponse?: boolean;
  /** Bass boost of the synthetic response, dB at 20 Hz falling to 0 at 200 Hz (default 6). */
  bassDb?: number;
  claimId?: string | null;
  baselineMs?: number | null;
  setupDescription?: string;
  outputDevice?: string | null;
  inputDevice?: string | null;
}

/** 1/48-octave bands of a path with a bass shelf and a top roll-off, gain `gainDb`. */
export function syntheticBands(gainDb: number, bassDb: number, topHz = 20000): SpectrumBand[] {
  const bands: SpectrumBand[] = [];
  for (let i = 0; ; i++) {
    const hz = LOWEST_BAND_HZ * 2 ** (i / BANDS_PER_OCTAVE);
    if (hz > topHz) break;
    const shelf = hz < 200 ? (bassDb * Math.log2(200 / hz)) / Math.log2(10) : 0;
    const rolloff = hz > 12000 ? -12 * Math.log2(hz / 12000) : 0;
    const ripple = 1.5 * Math.sin(i / 3.7); // visible detail that smoothing removes
    const db = gainDb + shelf + rolloff + ripple;
    const mag = 10 ** (db / 20);
    const phase = -0.3 * Math.log2(hz / 20);
    const bins = Math.max(1, Math.round(hz / 200));
    const gxx = bins;
    const coherence = hz < 40 ? 0.6 : 0.97;
    const gyy = (mag * mag * gxx) / coherence;
    bands.push({ hz, bins, gxx, gyy, gxyRe: mag * Math.cos(phase) * gxx, gxyIm: mag * Math.sin(phase) * gxx + 0 }); // + 0: no -0, which JSON cannot keep
  }
  return bands;
}

function fixtureEvents(n: number, latencyMs: number): LatencyEventOutput[] {
  const events: LatencyEventOutput[] = [];
  for (let i = 0; i < n; i++) {
    const timeS = 0.25 + i * 0.5;
    const jitter = 0.8 * Math.sin(i * 1.7) + 0.3 * Math.cos(i * 0.37);
    const drift = i * 0.002;
    if (i % 17 === 9) events.push({ timeS, latencyMs: null, confidence: 0, status: 'dropout', peakToNoiseDb: null });
    else if (i % 13 === 6) events.push({ timeS, latencyMs: latencyMs + jitter + 4, confidence: 0.35, status: 'low-confidence', peakToNoiseDb: 9.5 });
    else events.push({ timeS, latencyMs: latencyMs + jitter + drift, confidence: 0.92 + 0.05 * Math.sin(i), status: 'ok', peakToNoiseDb: 24 + 3 * Math.sin(i) });
  }
  return events;
}

function claimOf(id: string): Claim {
  const claim = findClaim(id);
  if (!claim) throw new Error(`no claim ${id}`);
  return claim;
}

export function okAnalysis(options: FixtureOptions = {}): AnalysisOutput {
  const n = options.events ?? 40;
  const events = fixtureEvents(n, options.latencyMs ?? 120);
  const good = events.filter((e) => e.status === 'ok').map((e) => e.latencyMs as number);
  const s = summarize(good);
  const stats = { medianMs: s.median, meanMs: s.mean, stdMs: s.std, minMs: s.min, maxMs: s.max, p95Ms: s.p95, medianCi95Ms: s.medianCi95, count: s.count };
  const baselineMs = options.baselineMs ?? null;
  const added = baselineMs === null ? undefined : (() => {
    const a = summarize(good.map((v) => v - baselineMs));
    return { medianMs: a.median, meanMs: a.mean, stdMs: a.std, minMs: a.min, maxMs: a.max, p95Ms: a.p95, medianCi95Ms: a.medianCi95, count: a.count, baselineMs };
  })();
  const basis = added ? 'added' : 'total';
  const basisStats = added ?? stats;
  const claimId = options.claimId === undefined ? 'speaker-jbl-flip-6' : options.claimId;
  const claim = claimId ? claimOf(claimId) : null;
  const withFr = options.frequencyResponse ?? false;
  const bands = withFr ? syntheticBands(-18, options.bassDb ?? 6) : [];
  return {
    status: 'ok',
    stimulus: { kind: withFr ? 'noise' : 'click', sampleRate: 48000, events: n, durationS: n * 0.5 + 0.25 },
    latency: {
      ...stats,
      eventsTotal: n,
      dropouts: events.filter((e) => e.status === 'dropout').length,
      lowConfidence: events.filter((e) => e.status === 'low-confidence').length,
      notCaptured: 0,
      events,
    },
    ...(added ? { added } : {}),
    confidence: 0.91,
    drift: { ppm: 4.2, ppmStdError: 0.8, jitterMs: 0.61 },
    snrDb: 31.5,
    capturePeakDbfs: -9.2,
    noiseFloorDbfs: -68.4,
    polarityInverted: false,
    polarity: 'normal',
    frequencyResponse: withFr
      ? {
          smoothing: 12,
          fftSize: 16384,
          averages: 8,
          referenceLevelDb: meanLevelDb({ bands }),
          medianCoherence: medianCoherence({ bands }),
          micCalibration: null,
          points: smoothResponse({ bands }, 12),
          bands,
        }
      : null,
    lipSync: { videoLatencyMs: 20, basis, verdicts: lipSyncVerdicts(basisStats.medianMs, 20) },
    ...(claim
      ? {
          verdict: {
            basis,
            claim: claimVerdict(claim, {
              medianMs: basisStats.medianMs, meanMs: basisStats.meanMs, minMs: basisStats.minMs, maxMs: basisStats.maxMs, p95Ms: basisStats.p95Ms, count: basisStats.count,
              ...(basisStats.medianCi95Ms ? { medianCi95Ms: basisStats.medianCi95Ms } : {}),
            }),
          },
        }
      : {}),
    warnings: [
      { code: 'DROPOUTS', message: `${events.filter((e) => e.status === 'dropout').length} events were not found in the capture.` },
      { code: 'LOW_CONFIDENCE_EVENTS', message: 'Some events had no clear peak and were left out.' },
    ],
  };
}

export function refusedAnalysis(): AnalysisOutput {
  return {
    status: 'refused',
    error: {
      code: 'SIGNAL_TOO_LOW',
      message: 'The stimulus is only 2.1 dB above the noise (at least 6 dB is needed).',
      advice: 'Raise the playback volume, move the microphone closer to the speaker, or make the room quieter; a longer run also helps.',
    },
    warnings: [],
  };
}

export function fixtureReport(analysis: AnalysisOutput, options: FixtureOptions = {}): Report {
  const claimId = options.claimId === undefined ? 'speaker-jbl-flip-6' : options.claimId;
  const withFr = options.frequencyResponse ?? false;
  return createReport({
    id: options.id ?? 'report-0001',
    title: options.title ?? 'Flip 6 in the living room',
    createdAt: options.createdAt ?? '2026-03-01T12:34:56.789Z',
    source: 'app',
    settings: {
      mode: 'single',
      inputDevice: options.inputDevice === null ? null : { label: options.inputDevice ?? 'USB microphone' },
      outputDevice: options.outputDevice === null ? null : { label: options.outputDevice ?? 'JBL Flip 6 (Bluetooth)' },
      setupDescription: options.setupDescription ?? 'JBL Flip 6 over Bluetooth from an Echo Studio',
      claimId,
      claim: claimId ? claimOf(claimId) : null,
      baselineMs: options.baselineMs ?? null,
      videoLatencyMs: 20,
      maxLatencyMs: 2000,
      weighting: 'phat',
      smoothing: 12,
      micCalibrationFile: null,
      captureSettings: null,
    },
    signal: { kind: withFr ? 'pink' : 'click', sampleRate: 48000, durationS: 20, levelDbfs: -6, seed: 1, referenceFile: null, captureFile: null },
    analysis,
    notes: '',
  });
}

export const okReport = (options: FixtureOptions = {}): Report => fixtureReport(okAnalysis(options), options);
export const refusedReport = (options: FixtureOptions = {}): Report => fixtureReport(refusedAnalysis(), options);

export function fixtureAudio(frames = 4800): MeasurementAudio {
  const reference = new Float32Array(frames);
  const capture = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    reference[i] = Math.sin(i / 7) * 0.5;
    capture[i] = Math.sin((i - 50) / 7) * 0.25;
  }
  return { sampleRate: 48000, reference, capture };
}

/**
 * A sweep report from the real analysis (no hand-made numbers): a 3 s sweep through a small room
 * (a reflection 3 ms after the direct sound, RT60 0.3 s) with a mild second-order non-linearity,
 * so the response carries the engine's impulse, windows, distortion and decay.
 */
export function impulseReport(options: FixtureOptions = {}): Report {
  const sampleRate = 48000;
  const sweep = generateLogSweep({ sampleRate, durationS: 3, tailS: 0.5 });
  const h = roomImpulseResponse({ sampleRate, rt60S: 0.3, directToReverbDb: 6, reflections: [{ delayMs: 3, gain: 0.5 }], seed: 5 });
  const { capture } = roomCapture({ samples: sweep.samples, startFrame: 0, endFrame: sweep.samples.length }, h, 2400, 50);
  const distorted = capture.map((v) => v + 0.05 * v * v);
  const analysis = judgeAnalysis(analyzeCapture(sweep.samples, distorted, sampleRate));
  const report = fixtureReport(analysis, { ...options, frequencyResponse: true });
  return { ...report, signal: { ...report.signal, kind: 'sweep', durationS: 3 } };
}
