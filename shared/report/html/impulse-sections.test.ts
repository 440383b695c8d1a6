import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../analysis/analyze-capture';
import { judgeAnalysis } from '../../claims/judge';
import { roomCapture } from '../../simulation/room-captures';
import { roomImpulseResponse } from '../../simulation/synthetic-path';
import { generateLogSweep } from '../../stimulus/log-sweep';
import { createReport, type Report } from '../report-schema';
import { renderReportHtml } from './report-html';

const RATE = 48000;
let report: Report;

beforeAll(() => {
  // The real analysis of a short sweep through a small room (a reflection at 3 ms) with mild H2.
  const sweep = generateLogSweep({ sampleRate: RATE, durationS: 3, tailS: 0.5 });
  const h = roomImpulseResponse({ sampleRate: RATE, rt60S: 0.3, directToReverbDb: 6, reflections: [{ delayMs: 3, gain: 0.5 }], seed: 5 });
  const { capture } = roomCapture({ samples: sweep.samples, startFrame: 0, endFrame: sweep.samples.length }, h, 2400, 50);
  const analysis = judgeAnalysis(analyzeCapture(sweep.samples, capture.map((v) => v + 0.05 * v * v), RATE));
  report = createReport({
    id: 'report-ir-0001',
    title: 'Monitor in the study',
    createdAt: '2026-03-01T12:00:00.000Z',
    source: 'cli',
    settings: { mode: 'single', inputDevice: null, outputDevice: null, setupDescription: '', claimId: null, claim: null, baselineMs: null, videoLatencyMs: 0, maxLatencyMs: 2000, weighting: 'phat', smoothing: 12, micCalibrationFile: null, captureSettings: null },
    signal: { kind: 'sweep', sampleRate: RATE, durationS: 3, levelDbfs: -6, seed: 1, referenceFile: null, captureFile: null },
    analysis,
    notes: '',
  });
}, 60_000);

describe('impulse-response section of the HTML report', () => {
  it('holds magnitude and phase of the room window, IR, ETC, step, distortion charts and the decay table, each naming its window', () => {
    const html = renderReportHtml(report);
    for (const id of ['chart-window-magnitude', 'chart-window-phase', 'chart-ir', 'chart-etc', 'chart-step', 'chart-distortion']) expect(html).toContain(`id="${id}"`);
    expect(html).toContain('<strong>Magnitude, Room window (the whole IR');
    expect(html).toContain('<strong>Phase (latency removed), Room window');
    expect(html).toMatch(/<strong>Impulse response\.<\/strong> Room window/);
    expect(html).toMatch(/<strong>Energy-time curve \(ETC\)\.<\/strong> Room window/);
    expect(html).toContain('Decay times per octave (the room)');
    const rows = html.match(/<table class="decay-times">[\s\S]*?<\/table>/)?.[0].match(/<tr>/g) ?? [];
    expect(rows.length).toBe(report.analysis.frequencyResponse!.decay!.length + 1);
    expect(html).not.toMatch(/<script/i);
  });

  it('shows the speaker window when asked: its lowest valid frequency, and the band below greyed', () => {
    const html = renderReportHtml(report, { window: 'speaker' });
    expect(html).toContain('Response window shown: Speaker window (gated');
    expect(html).toMatch(/<strong>Magnitude, Speaker window \(gated [^)]*valid above \d+ Hz\)/);
    expect(html).toContain('class="startup-area shade-invalid"');
    expect(html).toContain('class="trace low"');
    expect(html).toContain('low quality (greyed)');
    expect(renderReportHtml(report, { window: 'fdw' })).toContain('<strong>Magnitude, Frequency-dependent window (15 cycles');
  });

  it('is absent for a report without the engine output', () => {
    const fr = report.analysis.frequencyResponse!;
    const older = { ...report, analysis: { ...report.analysis, frequencyResponse: { ...fr, impulse: undefined, windows: undefined, distortion: undefined, decay: undefined } } } as Report;
    const html = renderReportHtml(older);
    expect(html).not.toContain('chart-ir');
    expect(html).not.toContain('Decay times per octave');
  });
});
