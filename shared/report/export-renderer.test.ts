import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeCapture } from '../analysis/analyze-capture';
import { judgeAnalysis } from '../claims/judge';
import { decodeWav } from '../io/wav-file';
import { decodeFloat32Base64 } from '../analysis/response-output';
import { roomCapture } from '../simulation/room-captures';
import { roomImpulseResponse } from '../simulation/synthetic-path';
import { generateLogSweep } from '../stimulus/log-sweep';
import { generateClickTrain } from '../stimulus/click-train';
import { addNoiseAtSnr, renderClickCapture, whiteBackground } from '../simulation/synthetic-path';
import { EXPORT_FILES, EXPORT_FORMATS, exportFileName } from './export-file';
import { type ExportAudio, renderExport } from './export-renderer';
import { renderReportHtml } from './html/report-html';
import { frequencyResponseCsv, latencyEventsCsv, ReportExportError } from './report-csv';
import { createReport, type Report } from './report-schema';
import { clickRoomReport } from './click-report-test-support';

const RATE = 48000;
let report: Report;
let audio: ExportAudio;

beforeAll(() => {
  const train = generateClickTrain({ sampleRate: RATE, durationS: 3, seed: 4 });
  const length = train.samples.length + Math.round(0.2 * RATE);
  const capture = addNoiseAtSnr(renderClickCapture({ shape: train.shape, clickFrames: train.clickFrames, lengthFrames: length, delayFrames: 600.25 }).capture, whiteBackground(length, 3), 30);
  const analysis = judgeAnalysis(analyzeCapture(train.samples, capture, RATE));
  report = createReport({
    id: 'export-renderer-01', title: 'Soundbar', createdAt: '2026-03-01T12:00:00.000Z', source: 'cli',
    settings: {
      mode: 'single', inputDevice: null, outputDevice: null, setupDescription: '', claimId: null, claim: null, baselineMs: null,
      videoLatencyMs: 0, maxLatencyMs: 2000, weighting: 'phat', smoothing: 12, micCalibrationFile: null, captureSettings: null,
    },
    signal: { kind: 'click', sampleRate: RATE, durationS: 3, levelDbfs: -6, seed: 4, referenceFile: null, captureFile: null },
    analysis,
  });
  audio = { sampleRate: RATE, reference: train.samples, capture };
});

describe('renderExport: the one renderer both hosts use', () => {
  it('JSON, the events CSV and HTML are exactly what their modules render', () => {
    expect(renderExport(report, null, 'json')).toEqual({ kind: 'file', content: `${JSON.stringify(report, null, 2)}\n` });
    expect(renderExport(report, null, 'csv-events')).toEqual({ kind: 'file', content: latencyEventsCsv(report) });
    expect(renderExport(report, null, 'html')).toEqual({ kind: 'file', content: renderReportHtml(report) });
  });

  it('PDF hands back the HTML report for the host to print', () => {
    expect(renderExport(report, null, 'pdf')).toEqual({ kind: 'print', html: renderReportHtml(report) });
  });

  it('WAVs are 32-bit float, mono, bit-exact, with the measurement named in their INFO tags', () => {
    for (const [format, samples, what] of [['wav-capture', audio.capture, 'capture'], ['wav-stimulus', audio.reference, 'stimulus']] as const) {
      const out = renderExport(report, audio, format);
      if (out.kind !== 'file' || typeof out.content === 'string') throw new Error('expected WAV bytes');
      const wav = decodeWav(out.content);
      expect(wav.sampleRate).toBe(RATE);
      expect(wav.channels).toHaveLength(1);
      expect(wav.channels[0]).toEqual(samples);
      expect(wav.info).toMatchObject({ ISFT: 'Latency Lab', INAM: `Soundbar (${what})` });
    }
  });

  it('what cannot be exported is a ReportExportError saying why: no audio, no response from too few clicks, empty audio', () => {
    expect(() => renderExport(report, null, 'wav-capture')).toThrow(ReportExportError);
    expect(() => renderExport(report, null, 'wav-stimulus')).toThrow(/no stored audio/);
    expect(() => renderExport(report, audio, 'csv-frequency-response')).toThrow(ReportExportError);
    // A 3 s train: 5 clicks, fewer than the response averages.
    expect(() => frequencyResponseCsv(report)).toThrow(/the report has no frequency response: a click train needs at least 10 clicks with a measured latency in the steady state for a response \(with fewer, the neighbouring clicks stand in the impulse response within 20 dB of the arrival\); this one has 5\./);
    expect(() => renderExport(report, { ...audio, capture: new Float32Array(0) }, 'wav-capture')).toThrow(/capture of this measurement is empty/);
  });

  it('renders every format it knows', () => {
    for (const format of EXPORT_FORMATS) {
      if (format === 'csv-frequency-response' || format === 'wav-impulse-response') continue; // too few clicks for a response: see below
      if (format === 'csv-group') {
        // One output: no table of several, and the reason says so.
        expect(() => renderExport(report, audio, format)).toThrow(/the report is of one output/);
        continue;
      }
      expect(renderExport(report, audio, format).kind).toBe(format === 'pdf' ? 'print' : 'file');
    }
  });
});

describe('the impulse response as a WAV (REW: File › Import › Impulse response)', () => {
  let sweepReport: Report;
  beforeAll(() => {
    const sweep = generateLogSweep({ sampleRate: RATE, durationS: 3, tailS: 0.5 });
    const h = roomImpulseResponse({ sampleRate: RATE, rt60S: 0.3, directToReverbDb: 6, reflections: [{ delayMs: 3, gain: 0.5 }], seed: 5 });
    const { capture } = roomCapture({ samples: sweep.samples, startFrame: 0, endFrame: sweep.samples.length }, h, 2400, 50);
    sweepReport = createReport({
      id: 'export-renderer-02', title: 'Monitor', createdAt: '2026-03-01T12:00:00.000Z', source: 'cli',
      settings: { ...report.settings },
      signal: { kind: 'sweep', sampleRate: RATE, durationS: 3, levelDbfs: -6, seed: 1, referenceFile: null, captureFile: null },
      analysis: judgeAnalysis(analyzeCapture(sweep.samples, capture, RATE)),
    });
  }, 60_000);

  it('is a mono 32-bit float WAV at the measurement rate that decodes back to the stored IR exactly, naming its window and the arrival', () => {
    const impulse = sweepReport.analysis.frequencyResponse!.impulse!;
    const out = renderExport(sweepReport, null, 'wav-impulse-response');
    if (out.kind !== 'file' || typeof out.content === 'string') throw new Error('expected WAV bytes');
    const wav = decodeWav(out.content);
    expect(wav.format).toBe('float32');
    expect(wav.sampleRate).toBe(RATE);
    expect(wav.channels).toHaveLength(1);
    expect(wav.channels[0].length).toBe(impulse.length);
    expect(wav.channels[0]).toEqual(decodeFloat32Base64(impulse.samplesBase64));
    expect(wav.info?.INAM).toBe('Monitor (impulse response)');
    expect(wav.info?.ICMT).toMatch(/^Room window \(the whole IR, to \d+ ms after the arrival\); the arrival \(the measured latency\) is at 10\.000 ms, sample 480; sweep-deconvolution/);
    // The largest sample is the arrival's, 10 ms in.
    let peak = 0;
    wav.channels[0].forEach((v, i) => { if (Math.abs(v) > Math.abs(wav.channels[0][peak])) peak = i; });
    expect(Math.abs(peak - 480)).toBeLessThanOrEqual(2);
  });

  it('has its own default file name and REW-friendly description', () => {
    expect(exportFileName(sweepReport, 'wav-impulse-response')).toBe('latency-lab-2026-03-01-monitor-impulse-response.wav');
    expect(new Set(EXPORT_FORMATS.map((f) => exportFileName(sweepReport, f))).size).toBe(EXPORT_FORMATS.length);
    expect(EXPORT_FILES['wav-impulse-response']).toMatchObject({ extension: 'wav', mime: 'audio/wav', needsAudio: false });
  });

  it('says why when the report holds none', () => {
    expect(() => renderExport(report, null, 'wav-impulse-response')).toThrow(/no frequency response, so no impulse response: a click train needs at least 10 clicks .*; this one has 5\./);
    const fr = sweepReport.analysis.frequencyResponse!;
    const older = { ...sweepReport, analysis: { ...sweepReport.analysis, frequencyResponse: { ...fr, impulse: undefined } } } as Report;
    expect(() => renderExport(older, null, 'wav-impulse-response')).toThrow(/holds no impulse response/);
  });
});

describe('a click train\'s response (the averaged per-click deconvolution) exports like any other', () => {
  let clickReport: Report;
  beforeAll(() => {
    clickReport = clickRoomReport({ rt60S: 0.15, durationS: 20 }).report;
  }, 60_000);

  it('the IR WAV decodes back to the stored IR exactly, its arrival 10 ms in, named click-averaging; the response CSV holds every point', () => {
    const fr = clickReport.analysis.frequencyResponse;
    if (!fr?.impulse) throw new Error('no click response');
    expect(fr.impulse.method).toBe('click-averaging');
    const out = renderExport(clickReport, null, 'wav-impulse-response');
    if (out.kind !== 'file' || typeof out.content === 'string') throw new Error('expected WAV bytes');
    const wav = decodeWav(out.content);
    expect(wav.sampleRate).toBe(RATE);
    expect(wav.channels[0]).toEqual(decodeFloat32Base64(fr.impulse.samplesBase64));
    expect(wav.info?.ICMT).toMatch(/the arrival \(the measured latency\) is at 10\.000 ms, sample 480; click-averaging$/);
    let peak = 0;
    wav.channels[0].forEach((v, i) => { if (Math.abs(v) > Math.abs(wav.channels[0][peak])) peak = i; });
    expect(Math.abs(peak - 480)).toBeLessThanOrEqual(2);
    const csv = renderExport(clickReport, null, 'csv-frequency-response');
    if (csv.kind !== 'file' || typeof csv.content !== 'string') throw new Error('expected CSV text');
    expect(csv.content.split('\n').filter((l) => /^\d/.test(l))).toHaveLength(fr.points.length);
  });
});
