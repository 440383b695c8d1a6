import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../analysis/analyze-capture';
import { judgeAnalysis } from '../../claims/judge';
import { roomCapture } from '../../simulation/room-captures';
import { roomImpulseResponse } from '../../simulation/synthetic-path';
import { generateLogSweep } from '../../stimulus/log-sweep';
import { clickRoomReport } from '../click-report-test-support';
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
    // Its methods footer describes the Welch H1 of that time; a report with the IR, the IR's methods.
    expect(html).toContain('Welch-averaged over Hann-windowed segments');
    expect(renderReportHtml(report)).toContain('From one impulse response of the steady state');
  });
});

describe('impulse-response section of a click train (the averaged per-click deconvolution)', () => {
  let small: Report;
  let reverberant: Report;
  beforeAll(() => {
    small = clickRoomReport({ rt60S: 0.15, durationS: 20 }).report;
    reverberant = clickRoomReport({ rt60S: 2, durationS: 20 }).report;
  }, 60_000);

  it('names the method and how many clicks were averaged, in the IR and the response captions; no distortion chart', () => {
    const fr = small.analysis.frequencyResponse;
    if (!fr?.impulse) throw new Error('no click response');
    const n = fr.impulse.eventsAveraged as number;
    expect(n).toBeGreaterThanOrEqual(30);
    const html = renderReportHtml(small);
    for (const id of ['chart-frequency', 'chart-window-magnitude', 'chart-window-phase', 'chart-ir', 'chart-etc', 'chart-step']) expect(html).toContain(`id="${id}"`);
    expect(html).not.toContain('id="chart-distortion"');
    expect(html).toContain(`Measured from the click train&#39;s steady state by deconvolving each click, averaged over ${n} clicks; time 0 is the measured arrival`);
    expect(html).toContain(`(the whole response until it sinks into its noise; each click deconvolved, averaged over ${n} clicks)`);
    expect(html).not.toContain('No frequency response');
    expect(html).toContain('a click train’s clicks each deconvolved and averaged');
  });

  it('a room that rings past the click spacing: no decay table, a note saying why with both durations', () => {
    const fr = reverberant.analysis.frequencyResponse;
    if (!fr?.impulse || !fr.windows) throw new Error('no click response');
    expect(fr.decay).toBeNull();
    const spacingMs = fr.impulse.shortestSpacingMs as number;
    expect(fr.windows.room.endMs).toBeGreaterThan(spacingMs);
    const html = renderReportHtml(reverberant);
    expect(html).not.toContain('<table class="decay-times">');
    expect(html).toContain(`<h3>Decay times per octave (the room)</h3><p class="note">No decay times: the room rings longer (${Math.round(fr.windows.room.endMs)} ms) than the shortest spacing of the clicks averaged (${Math.round(spacingMs)} ms), so each click&#39;s decay runs into the next click. Measure decay times with pink noise or a sweep.</p>`);
    // The small room's window ends within the spacing: its decay table, no such note.
    const smallHtml = renderReportHtml(small);
    expect(smallHtml).toContain('<table class="decay-times">');
    expect(smallHtml).not.toContain('No decay times');
  });
});
