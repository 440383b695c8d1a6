import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeCapture } from '../analysis/analyze-capture';
import { judgeAnalysis } from '../claims/judge';
import { decodeWav } from '../io/wav-file';
import { generateClickTrain } from '../stimulus/click-train';
import { addNoiseAtSnr, renderClickCapture, whiteBackground } from '../simulation/synthetic-path';
import { EXPORT_FORMATS } from './export-file';
import { type ExportAudio, renderExport } from './export-renderer';
import { renderReportHtml } from './html/report-html';
import { frequencyResponseCsv, latencyEventsCsv, ReportExportError } from './report-csv';
import { createReport, type Report } from './report-schema';

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

  it('what cannot be exported is a ReportExportError saying why: no audio, no response for clicks, empty audio', () => {
    expect(() => renderExport(report, null, 'wav-capture')).toThrow(ReportExportError);
    expect(() => renderExport(report, null, 'wav-stimulus')).toThrow(/no stored audio/);
    expect(() => renderExport(report, audio, 'csv-frequency-response')).toThrow(ReportExportError);
    expect(() => frequencyResponseCsv(report)).toThrow(ReportExportError);
    expect(() => renderExport(report, { ...audio, capture: new Float32Array(0) }, 'wav-capture')).toThrow(/capture of this measurement is empty/);
  });

  it('renders every format it knows', () => {
    for (const format of EXPORT_FORMATS) {
      if (format === 'csv-frequency-response') continue;
      expect(renderExport(report, audio, format).kind).toBe(format === 'pdf' ? 'print' : 'file');
    }
  });
});
