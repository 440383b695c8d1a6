import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeCapture } from '../analysis/analyze-capture';
import { judgeAnalysis } from '../claims/judge';
import { generateClickTrain } from '../stimulus/click-train';
import { type FrequencyPoint, SMOOTHING_FRACTIONS, smoothResponse } from '../analysis/frequency-response';
import { applyMicCalibration, parseMicCalibration } from '../analysis/mic-calibration';
import { generatePinkNoise } from '../stimulus/pink-noise';
import { csvField, frequencyResponseCsv, frequencyResponsePoints, LATENCY_EVENTS_CSV_HEADER, latencyEventsCsv, ReportExportError } from './report-csv';
import { createReport, parseReport, type Report, type ReportInput } from './report-schema';
import { applyIir, highPass, peaking } from '../simulation/iir-filter';
import { addNoiseAtSnr, delaySignal, renderClickCapture, whiteBackground } from '../simulation/synthetic-path';

const RATE = 48000;
const DELAY_FRAMES = 0.0375 * RATE;
const CALIBRATION = parseMicCalibration('"Sens Factor =-1.5dB, SERNO: 7001234"\n20 2.5 10\n200 0.5 0\n1000 0\n8000 1.2 -5\n20000 -3.0 -20\n');

function input(analysis: ReportInput['analysis'], overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    id: 'report-csv-0001', title: 'Soundbar, seat 2', createdAt: '2026-03-01T12:34:56.789Z', source: 'cli',
    settings: {
      mode: 'single', inputDevice: null, outputDevice: null, setupDescription: 'Soundbar over HDMI ARC', claimId: null, claim: null, baselineMs: null,
      videoLatencyMs: 0, maxLatencyMs: 2000, weighting: 'phat', smoothing: 12, micCalibrationFile: null, captureSettings: null,
    },
    signal: { kind: 'pink', sampleRate: RATE, durationS: 3, levelDbfs: -20, seed: 2, referenceFile: 'ref.wav', captureFile: 'cap.wav' },
    analysis, ...overrides,
  };
}

interface Row {
  fields: number[];
}

/** Parses REW-style text: `*` lines are comments, every other line is numbers separated by commas. */
function parseFrequencyCsv(text: string): { comments: string[]; rows: Row[] } {
  expect(text.endsWith('\n')).toBe(true);
  const comments: string[] = [];
  const rows: Row[] = [];
  for (const line of text.slice(0, -1).split('\n')) {
    if (line.startsWith('*')) {
      expect(rows, 'comments come first').toHaveLength(0);
      comments.push(line);
      continue;
    }
    // Plain decimals only: no exponent, NaN or Infinity, '.' as the decimal separator.
    expect(line).toMatch(/^-?\d+\.\d+(?:,-?\d+\.\d+)*$/);
    rows.push({ fields: line.split(',').map(Number) });
  }
  return { comments, rows };
}

const wrapDeg = (d: number): number => ((((d + 180) % 360) + 360) % 360) - 180;

function expectRowsMatch(rows: Row[], points: FrequencyPoint[], coherence: boolean): void {
  expect(rows).toHaveLength(points.length);
  rows.forEach((row, i) => {
    const p = points[i];
    expect(row.fields).toHaveLength(coherence ? 4 : 3);
    expect(Math.abs(row.fields[0] - p.hz)).toBeLessThanOrEqual(1e-6);
    expect(Math.abs(row.fields[1] - p.db)).toBeLessThanOrEqual(1e-6);
    expect(Math.abs(wrapDeg(row.fields[2] - p.phaseDeg))).toBeLessThanOrEqual(1e-6);
    if (coherence) expect(Math.abs(row.fields[3] - p.coherence)).toBeLessThanOrEqual(1e-6);
  });
}

let pinkReport: Report;
let calibratedReport: Report;
let clickReport: Report;
let refusedReport: Report;

beforeAll(() => {
  // Pink noise through a delay and a filter with a shape, so smoothing changes the points.
  const pink = generatePinkNoise({ sampleRate: RATE, durationS: 3, seed: 2 }).samples;
  const length = pink.length + Math.round(0.2 * RATE);
  const filtered = applyIir([highPass(120, RATE), peaking(3000, RATE, 6, 4)], delaySignal(pink, DELAY_FRAMES, length));
  const capture = addNoiseAtSnr(filtered, whiteBackground(length, 9), 30);
  const analysis = judgeAnalysis(analyzeCapture(pink, capture, RATE, {}));
  expect(analysis.status).toBe('ok');
  pinkReport = createReport(input(analysis, { notes: 'First line of notes\nsecond line, with a comma\n\n1000,99,0 looks like data' }));
  const calibrated = judgeAnalysis(analyzeCapture(pink, capture, RATE, { micCalibration: CALIBRATION, smoothing: 6 }));
  calibratedReport = createReport(input(calibrated, { settings: { ...pinkReport.settings, smoothing: 6, micCalibrationFile: 'umik-1 7001234.txt' } }));

  const train = generateClickTrain({ sampleRate: RATE, durationS: 4, seed: 1 });
  const clickLength = train.samples.length + Math.round(0.3 * RATE);
  const clean = renderClickCapture({ shape: train.shape, clickFrames: train.clickFrames, lengthFrames: clickLength, delayFrames: DELAY_FRAMES, dropouts: new Set([1, 4]) }).capture;
  const clickAnalysis = judgeAnalysis(analyzeCapture(train.samples, addNoiseAtSnr(clean, whiteBackground(clickLength, 10), 30), RATE));
  expect(clickAnalysis.status).toBe('ok');
  clickReport = createReport(input(clickAnalysis, { signal: { ...pinkReport.signal, kind: 'click' } }));
  refusedReport = createReport(input(analyzeCapture(train.samples, new Float32Array(clickLength), RATE)));
});

describe('frequencyResponseCsv', () => {
  it('writes the stored points as frequency, dB, phase after a * comment header (REW import form)', () => {
    const fr = pinkReport.analysis.frequencyResponse;
    if (!fr) throw new Error('no response');
    const { comments, rows } = parseFrequencyCsv(frequencyResponseCsv(pinkReport));
    expectRowsMatch(rows, fr.points, false);
    const header = comments.join('\n');
    expect(header).toContain('* Title: Soundbar, seat 2');
    expect(header).toContain('* Measured: 2026-03-01T12:34:56.789Z');
    expect(header).toContain(`latency-lab ${pinkReport.software.version}`);
    expect(header).toContain('* Smoothing: 1/12 octave');
    // The window the points show: the room window (the whole IR up to where it sinks into its noise).
    expect(header).toMatch(/^\* Window: Room window \(the whole IR, to \d+ ms after the arrival\)$/m);
    expect(header).toContain('* Setup: Soundbar over HDMI ARC');
    expect(header).toContain('* Note: First line of notes');
    expect(header).toContain('* Note: 1000,99,0 looks like data');
    expect(comments[comments.length - 1]).toBe('* Freq(Hz),Magnitude(dB),Phase(degrees)');
    for (let i = 1; i < rows.length; i++) expect(rows[i].fields[0]).toBeGreaterThan(rows[i - 1].fields[0]);
  });

  it('re-smooths from the band spectra to any smoothing', () => {
    const fr = pinkReport.analysis.frequencyResponse;
    if (!fr) throw new Error('no response');
    for (const smoothing of SMOOTHING_FRACTIONS) {
      const text = frequencyResponseCsv(pinkReport, smoothing);
      const { comments, rows } = parseFrequencyCsv(text);
      expectRowsMatch(rows, smoothResponse(fr, smoothing), false);
      expect(comments.join('\n')).toContain(smoothing === 0 ? '* Smoothing: none' : `* Smoothing: 1/${smoothing} octave`);
    }
    // The smoothing changes the data (the filter has a resonance), so the comparison above means something.
    expect(frequencyResponseCsv(pinkReport, 1)).not.toBe(frequencyResponseCsv(pinkReport, 48));
  });

  it('carries a microphone calibration over when re-smoothing', () => {
    const fr = calibratedReport.analysis.frequencyResponse;
    if (!fr) throw new Error('no response');
    expect(fr.micCalibration).not.toBeNull();
    // Stored smoothing: the stored (calibrated) points.
    expectRowsMatch(parseFrequencyCsv(frequencyResponseCsv(calibratedReport)).rows, fr.points, false);
    expectRowsMatch(parseFrequencyCsv(frequencyResponseCsv(calibratedReport, 6)).rows, fr.points, false);
    // Another smoothing: the same calibration applied to the re-smoothed response.
    // (Where the stored points end, so does the correction: a finer smoothing's points beyond them are left out.)
    const stored = new Set(fr.points.map((p) => p.hz.toPrecision(9)));
    for (const smoothing of [0, 3, 24] as const) {
      const expected = applyMicCalibration(smoothResponse(fr, smoothing), CALIBRATION).filter((p) => stored.has(p.hz.toPrecision(9)));
      expect(expected.length).toBeGreaterThan(100);
      expectRowsMatch(parseFrequencyCsv(frequencyResponseCsv(calibratedReport, smoothing)).rows, expected, false);
      expect(frequencyResponsePoints(calibratedReport, smoothing)).toHaveLength(expected.length);
    }
    expect(frequencyResponseCsv(calibratedReport, 3)).toContain('* Microphone calibration: applied (umik-1 7001234.txt)');
  });

  it('re-smooths a calibrated report made before responses stopped at the smoothing\'s reach (a point more at each end)', () => {
    const fr = calibratedReport.analysis.frequencyResponse;
    if (!fr) throw new Error('no response');
    const first = fr.bands[0];
    const last = fr.bands[fr.bands.length - 1];
    const older = structuredClone(calibratedReport);
    const ofOlder = older.analysis.frequencyResponse as NonNullable<typeof fr>;
    ofOlder.points = [{ ...fr.points[0], hz: first.hz, db: -99 }, ...fr.points, { ...fr.points[fr.points.length - 1], hz: last.hz, db: -99 }];
    for (const smoothing of [0, 3] as const) expect(frequencyResponsePoints(older, smoothing)).toEqual(frequencyResponsePoints(calibratedReport, smoothing));
  });

  it('the coherence variant has a fourth column', () => {
    const fr = pinkReport.analysis.frequencyResponse;
    if (!fr) throw new Error('no response');
    const { comments, rows } = parseFrequencyCsv(frequencyResponseCsv(pinkReport, undefined, { includeCoherence: true }));
    expectRowsMatch(rows, fr.points, true);
    expect(comments[comments.length - 1]).toBe('* Freq(Hz),Magnitude(dB),Phase(degrees),Coherence');
    expectRowsMatch(parseFrequencyCsv(frequencyResponseCsv(pinkReport, 3, { includeCoherence: true })).rows, smoothResponse(fr, 3), true);
    expectRowsMatch(parseFrequencyCsv(frequencyResponseCsv(pinkReport, 3, { includeCoherence: false })).rows, smoothResponse(fr, 3), false);
  });

  it('keeps user text inside comment lines, whatever it holds', () => {
    const report = parseReport({ ...JSON.parse(JSON.stringify(pinkReport)), title: 'Line one\n20,0,0\r\n* not a comment\rend', notes: '500,1,1\n\n  \n-3.5,2' });
    const { comments, rows } = parseFrequencyCsv(frequencyResponseCsv(report));
    expect(rows).toHaveLength(pinkReport.analysis.frequencyResponse?.points.length ?? -1);
    expect(comments).toContain('* Title: Line one 20,0,0 * not a comment end');
    expect(comments).toContain('* Note: 500,1,1');
    expect(comments).toContain('* Note: -3.5,2');
  });

  it('throws a ReportExportError when the report has no frequency response', () => {
    expect(() => frequencyResponseCsv(clickReport)).toThrow(ReportExportError);
    // A 4 s train with two dropouts: too few clicks for a response, and the analysis' warning says so.
    expect(() => frequencyResponseCsv(clickReport)).toThrow(/no frequency response: a click train needs at least 10 clicks with a measured latency in the steady state for a response \(with fewer, the neighbouring clicks stand in the impulse response within 20 dB of the arrival\); this one has \d\. Use a longer run/);
    // A click report from a version that gave click trains no response (no such warning).
    const older = { ...clickReport, analysis: { ...clickReport.analysis, warnings: [] } } as Report;
    expect(() => frequencyResponseCsv(older)).toThrow(/no frequency response: a click train measured by a version of Latency Lab that gave click trains no response/);
    expect(() => frequencyResponseCsv(refusedReport, 6)).toThrow(/no frequency response: the analysis refused the capture \(SILENT_CAPTURE\)/);
  });
});

describe('latencyEventsCsv', () => {
  it('one row per event under the header, empty fields for nulls', () => {
    const l = clickReport.analysis.latency;
    if (!l) throw new Error('no latency');
    expect(l.dropouts).toBe(2);
    const text = latencyEventsCsv(clickReport);
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    expect(lines[0]).toBe(LATENCY_EVENTS_CSV_HEADER);
    expect(lines[0]).toBe('time_s,latency_ms,confidence,status,peak_to_noise_db');
    expect(lines).toHaveLength(l.events.length + 1);
    expect(text).not.toContain('*');
    expect(text).not.toMatch(/NaN|Infinity|null|undefined|e[+-]?\d/i);
    lines.slice(1).forEach((line, i) => {
      const e = l.events[i];
      const [time, latency, confidence, status, peak] = line.split(',');
      expect(line.split(',')).toHaveLength(5);
      expect(Math.abs(Number(time) - e.timeS)).toBeLessThanOrEqual(5.01e-7);
      if (e.latencyMs === null) expect(latency).toBe('');
      else {
        expect(latency).toMatch(/^-?\d+\.\d{4}$/);
        expect(Math.abs(Number(latency) - e.latencyMs)).toBeLessThanOrEqual(5.01e-5);
      }
      expect(Math.abs(Number(confidence) - e.confidence)).toBeLessThanOrEqual(5.01e-5);
      expect(status).toBe(e.status);
      if (e.peakToNoiseDb === null) expect(peak).toBe('');
      else expect(Math.abs(Number(peak) - e.peakToNoiseDb)).toBeLessThanOrEqual(5.01e-3);
    });
    expect(lines.filter((line) => line.includes(',dropout,'))).toHaveLength(2);
  });

  it('null latency and peak-to-noise give empty fields', () => {
    const report = JSON.parse(JSON.stringify(clickReport)) as Report;
    const events = (report.analysis.latency as NonNullable<Report['analysis']['latency']>).events;
    events[0] = { timeS: events[0].timeS, latencyMs: null, confidence: 0, status: 'not-captured', peakToNoiseDb: null };
    const line = latencyEventsCsv(parseReport(report)).split('\n')[1];
    expect(line).toBe(`${events[0].timeS.toFixed(6)},,0.0000,not-captured,`);
  });

  it('throws a ReportExportError for a refused analysis', () => {
    expect(() => latencyEventsCsv(refusedReport)).toThrow(ReportExportError);
    expect(() => latencyEventsCsv(refusedReport)).toThrow(/no latency events: the analysis refused the capture \(SILENT_CAPTURE\)/);
  });
});

/** The cells a spreadsheet makes of `text` (RFC 4180: quoted fields, doubled quotes) with `separator`. */
function spreadsheetCells(text: string, separator: string): string[] {
  const cells: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    let cell = '';
    let quoted = false;
    let atStart = true;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') {
          cell += '"';
          i++;
        } else if (ch === '"') quoted = false;
        else cell += ch;
      } else if (ch === '"' && atStart) {
        quoted = true;
        atStart = false;
      } else if (ch === separator) {
        cells.push(cell);
        cell = '';
        atStart = true;
      } else {
        cell += ch;
        atStart = false;
      }
    }
    cells.push(cell);
  }
  return cells;
}

/** A cell a spreadsheet would run as a formula: starts (after spaces) with = + - @ and is not a number. */
const isFormula = (cell: string): boolean => /^[=+\-@\t\r]/.test(cell.trimStart()) && !/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(cell.trim());

describe('CSV formula injection', () => {
  const HOSTILE = "a,=1+1,=cmd|' /C calc'!A0,@SUM(1+1);+2;-x\t=HYPERLINK(\"http://x\"),\"=2+2\", -3.5,\t@A1";

  it('csvField neutralises formula starts that are not numbers and quotes separators', () => {
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('+SUM(A1)')).toBe("'+SUM(A1)");
    expect(csvField('-x')).toBe("'-x");
    expect(csvField('@SUM(1)')).toBe("'@SUM(1)");
    expect(csvField('\t=1')).toBe('"\'\t=1"');
    expect(csvField('\r=1')).toBe('"\'\r=1"');
    expect(csvField("=cmd|' /C calc'!A0,x")).toBe("\"'=cmd|' /C calc'!A0,x\"");
    expect(csvField('say "hi"; ok')).toBe('"say ""hi""; ok"');
    for (const number of ['-12.5', '+3', '-0.000100', '1e-3', '42', '']) expect(csvField(number)).toBe(number);
    expect(csvField('ok')).toBe('ok');
  });

  it('no cell of either CSV runs as a formula, whatever the title, setup and notes hold (split at , ; or tab)', () => {
    const base = JSON.parse(JSON.stringify(pinkReport)) as Report;
    const hostile = parseReport({ ...base, title: HOSTILE, notes: `${HOSTILE}\n@cmd,=1`, settings: { ...base.settings, setupDescription: HOSTILE } });
    const fr = frequencyResponseCsv(hostile);
    const frCoherence = frequencyResponseCsv(hostile, 3, { includeCoherence: true });
    const clicks = JSON.parse(JSON.stringify(clickReport)) as Report;
    const events = latencyEventsCsv(parseReport({ ...clicks, title: HOSTILE, notes: HOSTILE }));
    for (const text of [fr, frCoherence, events]) {
      for (const separator of [',', ';', '\t']) {
        const bad = spreadsheetCells(text, separator).filter(isFormula);
        expect(bad, `separator ${JSON.stringify(separator)}`).toEqual([]);
      }
    }
    // The text is still there, marked as text, and the REW form is kept: comment lines start with *.
    expect(fr).toContain("* Setup: a,'=1+1,'=cmd|' /C calc'!A0,'@SUM(1+1);+2;'-x\t'=HYPERLINK(\"http://x\"),'\"=2+2\", -3.5,\t'@A1");
    const { rows } = parseFrequencyCsv(fr);
    expect(rows).toHaveLength(pinkReport.analysis.frequencyResponse?.points.length ?? -1);
    // Negative numbers are numbers: the data rows are unchanged.
    expect(fr.split('\n').filter((l) => /^\d/.test(l)).some((l) => l.includes(',-'))).toBe(true);
  });
});
