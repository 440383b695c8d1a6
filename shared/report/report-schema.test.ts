import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeCapture } from '../analysis/analyze-capture';
import { createCustomClaim, findClaim, type Claim } from '../claims/claims-catalogue';
import { generateClickTrain } from '../stimulus/click-train';
import { parseMicCalibration } from '../analysis/mic-calibration';
import { generatePinkNoise } from '../stimulus/pink-noise';
import {
  createReport,
  parseReport,
  parseReportText,
  REPORT_KIND,
  REPORT_SCHEMA_VERSION,
  ReportError,
  type Report,
  type ReportInput,
} from './report-schema';
import { addNoiseAtSnr, delaySignal, renderClickCapture, whiteBackground } from '../simulation/synthetic-path';
import { SOFTWARE_VERSION } from '../primitives/version';
import { type AnalysisOutput, judgeAnalysis, resultOf } from '../claims/judge';
import { resultPolarity } from '../analysis/correlation-zoom';
import { missingResponseReason } from './labels';

const RATE = 48000;
const DELAY_MS = 37.125;

function claim(id: string): Claim {
  const c = findClaim(id);
  if (!c) throw new Error(`no claim ${id}`);
  return c;
}

function settings(overrides: Partial<Report['settings']> = {}): Report['settings'] {
  return {
    mode: 'single', inputDevice: null, outputDevice: null, setupDescription: 'JBL Flip 6 over Bluetooth', claimId: null, claim: null,
    baselineMs: null, videoLatencyMs: 0, maxLatencyMs: 2000, weighting: 'phat', smoothing: 12, micCalibrationFile: null, captureSettings: null,
    ...overrides,
  };
}

function signal(overrides: Partial<Report['signal']> = {}): Report['signal'] {
  return { kind: 'click', sampleRate: RATE, durationS: 3, levelDbfs: -6, seed: 1, referenceFile: 'ref.wav', captureFile: 'cap.wav', ...overrides };
}

function input(analysis: AnalysisOutput, overrides: Partial<ReportInput> = {}): ReportInput {
  return { id: 'report-0001', title: 'Flip 6 in the living room', createdAt: '2026-03-01T12:34:56.789Z', source: 'cli', settings: settings(), signal: signal(), analysis, ...overrides };
}

/** A deep copy to mutate. */
const copy = (report: Report): Record<string, unknown> => JSON.parse(JSON.stringify(report)) as Record<string, unknown>;

/** Runs `parse`, expects a ReportError and returns it. */
function reportError(parse: () => unknown): ReportError {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(ReportError);
    return error as ReportError;
  }
  throw new Error('expected a ReportError, but the report was accepted');
}

let clickAnalysis: AnalysisOutput;
let pinkAnalysis: AnalysisOutput;
let refusedAnalysis: AnalysisOutput;
let clickReport: Report;

beforeAll(() => {
  // A 3 s click train through a known fractional delay, at 30 dB SNR.
  const train = generateClickTrain({ sampleRate: RATE, durationS: 3, seed: 1 });
  const delayFrames = (DELAY_MS / 1000) * RATE;
  const length = train.samples.length + Math.round(0.2 * RATE);
  const clean = renderClickCapture({ shape: train.shape, clickFrames: train.clickFrames, lengthFrames: length, delayFrames }).capture;
  const capture = addNoiseAtSnr(clean, whiteBackground(length, 21), 30);
  clickAnalysis = judgeAnalysis(analyzeCapture(train.samples, capture, RATE, { baselineMs: 12.5 }), { claim: claim('speaker-jbl-flip-6'), videoLatencyMs: 20 });
  // Pink noise for a frequency response, with a microphone calibration applied.
  const pink = generatePinkNoise({ sampleRate: RATE, durationS: 3, seed: 2 }).samples;
  const pinkCapture = delaySignal(pink, delayFrames, pink.length + Math.round(0.2 * RATE));
  const micCalibration = parseMicCalibration('"Sens Factor =-1.5dB, SERNO: 7001234"\n20 0.5\n1000 0\n20000 -1.0\n');
  const custom = createCustomClaim({ type: 'range', name: 'My soundbar', minMs: 30, maxMs: 45 });
  if (!custom.ok) throw new Error(custom.errors.join('; '));
  pinkAnalysis = judgeAnalysis(analyzeCapture(pink, pinkCapture, RATE, { micCalibration, smoothing: 6 }), { claim: custom.claim });
  refusedAnalysis = analyzeCapture(train.samples, new Float32Array(length), RATE);
  clickReport = createReport(input(clickAnalysis, { settings: settings({ claimId: 'speaker-jbl-flip-6', claim: claim('speaker-jbl-flip-6'), baselineMs: 12.5, videoLatencyMs: 20 }) }));
});

describe('createReport', () => {
  it('the analyses used below are real results (ok, with the parts a report must hold)', () => {
    expect(clickAnalysis.status).toBe('ok');
    expect(Math.abs((clickAnalysis.latency?.medianMs ?? NaN) - DELAY_MS)).toBeLessThan(0.005);
    expect(clickAnalysis.added?.baselineMs).toBe(12.5);
    expect(clickAnalysis.verdict?.claim.claimId).toBe('speaker-jbl-flip-6');
    expect(pinkAnalysis.status).toBe('ok');
    expect(pinkAnalysis.frequencyResponse?.points.length).toBeGreaterThan(50);
    expect(pinkAnalysis.frequencyResponse?.micCalibration).toEqual({ applied: true, sensitivityDb: -1.5, serial: '7001234' });
    expect(refusedAnalysis).toMatchObject({ status: 'refused', error: { code: 'SILENT_CAPTURE' } });
  });

  it('builds a valid report from a click analysis with baseline, claim and video latency', () => {
    expect(clickReport).toMatchObject({
      schemaVersion: REPORT_SCHEMA_VERSION,
      kind: REPORT_KIND,
      id: 'report-0001',
      software: { name: 'latency-lab', version: SOFTWARE_VERSION, source: 'cli' },
      notes: '',
    });
    expect(clickReport.analysis).toEqual(clickAnalysis);
    expect(parseReport(clickReport)).toEqual(clickReport);
  });

  it('builds a valid report from a pink-noise analysis with a frequency response, a mic calibration and a custom claim', () => {
    const custom = pinkAnalysis.verdict?.claim;
    expect(custom?.claimId).toBe('custom-my-soundbar');
    const report = createReport(input(pinkAnalysis, {
      source: 'app',
      notes: 'Measured twice; second run kept.',
      settings: settings({ smoothing: 6, micCalibrationFile: 'umik-1 7001234.txt', inputDevice: { id: 'default', label: 'UMIK-1' }, outputDevice: { label: 'Flip 6' } }),
      signal: signal({ kind: 'pink', levelDbfs: -20, seed: 2 }),
    }));
    expect(report.software.source).toBe('app');
    expect(report.analysis.frequencyResponse?.bands.length).toBeGreaterThan(100);
    expect(report.notes).toBe('Measured twice; second run kept.');
  });

  it('a refused analysis also makes a valid report', () => {
    const report = createReport(input(refusedAnalysis, { signal: signal({ kind: 'file', levelDbfs: null, seed: null }) }));
    expect(report.analysis.status).toBe('refused');
    expect(report.analysis.error?.advice.length).toBeGreaterThan(20);
    expect(parseReportText(JSON.stringify(report))).toEqual(report);
  });

  it('refuses to build an invalid report (nothing invalid is ever written), naming the field', () => {
    const broken: AnalysisOutput = { ...resultOf(clickAnalysis), latency: { ...resultOf(clickAnalysis).latency, medianMs: NaN } };
    const error = reportError(() => createReport(input(broken)));
    expect(error.message).toMatch(/^internal error: the report built from this analysis is invalid: analysis\.latency\.medianMs: /);
    expect(error.issues).toEqual([expect.stringMatching(/^analysis\.latency\.medianMs: .*(finite|NaN)/)]);
    expect(reportError(() => createReport(input(clickAnalysis, { title: 't'.repeat(201) }))).message).toMatch(/title: /);
    expect(reportError(() => createReport(input(clickAnalysis, { id: 'a/b' }))).message).toMatch(/id: id must be 6-64 letters, digits, - or _/);
  });
});

describe('parseReport / parseReportText: round trip', () => {
  it('JSON.stringify → parseReportText gives the same report, also pretty-printed', () => {
    expect(parseReportText(JSON.stringify(clickReport))).toEqual(clickReport);
    expect(parseReportText(`${JSON.stringify(clickReport, null, 2)}\n`)).toEqual(clickReport);
  });

  it('accepts a createdAt with a time zone offset', () => {
    const data = copy(clickReport);
    data.createdAt = '2026-03-01T13:34:56+01:00';
    expect(parseReport(data).createdAt).toBe('2026-03-01T13:34:56+01:00');
  });
});

describe('the analysis is a tagged union: a result or a refusal, never a mix', () => {
  it('a result must hold its latency; a refusal must hold its reason and no result', () => {
    const refusedReport = createReport(input(refusedAnalysis));
    const noLatency = copy(clickReport) as { analysis: Record<string, unknown> };
    delete noLatency.analysis.latency;
    expect(reportError(() => parseReport(noLatency)).message).toMatch(/analysis\.latency/);
    const refusedWithLatency = copy(refusedReport) as { analysis: Record<string, unknown> };
    refusedWithLatency.analysis.latency = resultOf(clickReport.analysis).latency;
    expect(reportError(() => parseReport(refusedWithLatency)).message).toMatch(/analysis\.latency/);
    const refusedWithoutReason = copy(refusedReport) as { analysis: Record<string, unknown> };
    delete refusedWithoutReason.analysis.error;
    expect(reportError(() => parseReport(refusedWithoutReason)).message).toMatch(/analysis\.error/);
  });

  it('narrowing on status gives the result its fields', () => {
    const result = resultOf(clickReport.analysis);
    expect(result.latency.count).toBeGreaterThan(0);
    expect(() => resultOf(refusedAnalysis)).toThrow(/the analysis refused: SILENT_CAPTURE/);
  });
});

describe('parseReport / parseReportText: specific errors', () => {
  it('text that is not JSON', () => {
    for (const text of ['', '{"schemaVersion": 1', 'latency 123 ms', '<html></html>']) {
      const error = reportError(() => parseReportText(text));
      expect(error.message).toMatch(/^not a Latency Lab report: the file is not valid JSON \(.+\)$/);
    }
  });

  it('a byte-order mark is accepted; binary and broken JSON are described without raw bytes', () => {
    expect(parseReportText(`\uFEFF${JSON.stringify(clickReport)}`)).toEqual(clickReport);
    const binary = reportError(() => parseReportText('\u0089PNG\r\n\u001a\n\u0000\u0000'));
    expect(binary.message).toBe('not a Latency Lab report: the file is not valid JSON (it starts with the bytes 89 50 4E 47 0D 0A 1A 0A)');
    const broken = reportError(() => parseReportText(`{"title": "\u0000\u0001${'x'.repeat(500)}`));
    expect([...broken.message].some((c) => c.charCodeAt(0) < 0x20 || c === '\ufffd')).toBe(false);
    expect(broken.message.length).toBeLessThan(300);
  });

  it('JSON that is not an object: array, null, string, number', () => {
    for (const data of [[], [clickReport], null, 'report', 42]) {
      expect(reportError(() => parseReport(data)).message).toBe('not a Latency Lab report: the file is not a JSON object');
    }
    expect(reportError(() => parseReportText('[1, 2]')).message).toBe('not a Latency Lab report: the file is not a JSON object');
  });

  it('the wrong kind, or none', () => {
    const wrong = { ...copy(clickReport), kind: 'rew-measurement' };
    expect(reportError(() => parseReport(wrong)).message).toBe('not a Latency Lab report: "kind" is "rew-measurement", expected "latency-lab-report"');
    const none = copy(clickReport);
    delete none.kind;
    expect(reportError(() => parseReport(none)).message).toBe('not a Latency Lab report: "kind" is null, expected "latency-lab-report"');
  });

  it('a missing or malformed schemaVersion', () => {
    const missing = copy(clickReport);
    delete missing.schemaVersion;
    expect(reportError(() => parseReport(missing)).message).toBe('the report has no valid schemaVersion (found null)');
    for (const [version, shown] of [['1', '"1"'], [0, '0'], [1.5, '1.5'], [-3, '-3']] as const) {
      expect(reportError(() => parseReport({ ...copy(clickReport), schemaVersion: version })).message).toBe(`the report has no valid schemaVersion (found ${shown})`);
    }
  });

  it('a schemaVersion newer than this build says to update', () => {
    const error = reportError(() => parseReport({ ...copy(clickReport), schemaVersion: REPORT_SCHEMA_VERSION + 1 }));
    expect(error.message).toBe(`the report has schemaVersion ${REPORT_SCHEMA_VERSION + 1}, newer than this Latency Lab understands (${REPORT_SCHEMA_VERSION}): update Latency Lab to open it`);
  });

  it('an invalid nested field is named by its dotted path', () => {
    const data = copy(clickReport) as { analysis: { latency: { events: Array<Record<string, unknown>> } } };
    data.analysis.latency.events[3].confidence = 1.5;
    const error = reportError(() => parseReport(data));
    expect(error.message).toMatch(/^the report is invalid: analysis\.latency\.events\.3\.confidence: /);
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatch(/^analysis\.latency\.events\.3\.confidence: .*1/);

    const settingsBad = copy(clickReport) as { settings: Record<string, unknown> };
    settingsBad.settings.weighting = 'scot';
    expect(reportError(() => parseReport(settingsBad)).issues).toEqual([expect.stringMatching(/^settings\.weighting: /)]);

    const claimBad = copy(clickReport) as { settings: { claim: { expectation: Record<string, unknown> } } };
    claimBad.settings.claim.expectation.statistic = 'mode';
    expect(reportError(() => parseReport(claimBad)).issues).toEqual([expect.stringMatching(/^settings\.claim\.expectation\.statistic: /)]);
  });

  it('NaN or Infinity, which JSON.stringify turns into null, are refused where a number is required', () => {
    const report = structuredClone(clickReport);
    (report.analysis.latency as NonNullable<Report['analysis']['latency']>).medianMs = NaN;
    (report.analysis.drift as NonNullable<Report['analysis']['drift']>).ppm = Infinity;
    const text = JSON.stringify(report);
    expect(text).toContain('"medianMs":null');
    const error = reportError(() => parseReportText(text));
    expect(error.issues).toHaveLength(2);
    expect(error.issues).toEqual(expect.arrayContaining([
      expect.stringMatching(/^analysis\.latency\.medianMs: .*(number|null)/),
      expect.stringMatching(/^analysis\.drift\.ppm: .*(number|null)/),
    ]));
    // Where null is allowed (an event without a latency) it stays accepted.
    const ok = copy(clickReport) as { analysis: { latency: { events: Array<Record<string, unknown>> } } };
    ok.analysis.latency.events[0].latencyMs = null;
    expect(parseReport(ok).analysis.latency?.events[0].latencyMs).toBeNull();
  });

  it('arrays beyond the limits are refused without listing every element', () => {
    const data = copy(clickReport) as { analysis: { latency: { events: unknown[] } } };
    const event = data.analysis.latency.events[0];
    data.analysis.latency.events = Array.from({ length: 200001 }, () => event);
    const error = reportError(() => parseReport(data));
    expect(error.issues).toEqual([expect.stringMatching(/^analysis\.latency\.events: .*200000/)]);
  });

  it('many problems: every one in issues, the first five in the message', () => {
    const data = copy(clickReport) as Record<string, Record<string, unknown>> & { id: unknown; title: unknown };
    data.id = 'x';
    data.title = 7;
    data.settings.mode = 'triple';
    data.settings.smoothing = 5;
    data.signal.sampleRate = 44100.5;
    data.signal.kind = 'sine';
    data.analysis.status = 'maybe';
    const error = reportError(() => parseReport(data));
    expect(error.issues).toHaveLength(7);
    expect(error.message).toMatch(/\(\+2 more\)$/);
    expect(error.issues.map((i) => i.split(':')[0]).sort()).toEqual(['analysis.status', 'id', 'settings.mode', 'settings.smoothing', 'signal.kind', 'signal.sampleRate', 'title']);
  });

  it('a missing top-level section is named', () => {
    const data = copy(clickReport);
    delete data.analysis;
    expect(reportError(() => parseReport(data)).issues).toEqual([expect.stringMatching(/^analysis: /)]);
  });
});

describe('parseReport: migration of older schema versions', () => {
  /** A report as version 1 wrote it: no correlationZoom. */
  const asVersion1 = (report: Report): Record<string, unknown> => {
    const old = copy(report);
    delete old.correlationZoom;
    old.schemaVersion = 1;
    return old;
  };

  it('a version-1 report opens as the current version, its data unchanged and correlationZoom null', () => {
    const migrated = parseReport(asVersion1(clickReport));
    expect(migrated.schemaVersion).toBe(REPORT_SCHEMA_VERSION);
    expect(migrated.correlationZoom).toBeNull();
    expect(migrated.analysis).toEqual(clickReport.analysis);
    expect(migrated.settings).toEqual(clickReport.settings);
    expect(migrated.id).toBe(clickReport.id);
  });

  it('a version-2 report opens as the current version with its data unchanged', () => {
    const old = copy(clickReport);
    old.schemaVersion = 2;
    const migrated = parseReport(old);
    expect(migrated.schemaVersion).toBe(REPORT_SCHEMA_VERSION);
    expect(migrated.analysis).toEqual(clickReport.analysis);
    expect(migrated.correlationZoom).toEqual(clickReport.correlationZoom);
  });

  it('an invalid version-1 report is refused with the version and the field', () => {
    const broken = asVersion1(clickReport);
    (broken.settings as Record<string, unknown>).videoLatencyMs = 'twenty';
    expect(() => parseReport(broken)).toThrow(/the report is invalid \(schemaVersion 1\): settings\.videoLatencyMs/);
  });

  it('a version-1 report may not carry version-2 fields it could not have had', () => {
    const current = copy(clickReport);
    current.schemaVersion = 1;
    // zod objects strip unknown keys, so the migrated report gets null, not the smuggled value.
    expect(parseReport(current).correlationZoom).toBeNull();
  });

  it('the current version requires correlationZoom (null or a valid zoom)', () => {
    const missing = copy(clickReport);
    delete missing.correlationZoom;
    expect(() => parseReport(missing)).toThrow(/correlationZoom/);
    const uneven = copy(clickReport);
    uneven.correlationZoom = { eventIndex: 0, lagMs: [1, 2], value: [1] };
    expect(() => parseReport(uneven)).toThrow(/same length/);
  });
});

describe('polarity and warning codes added after reports were saved', () => {
  /** The click report as the build before `polarity` and NO_FREQUENCY_RESPONSE saved it. */
  const savedBefore = (report: Report, warnings: Array<{ code: string; message: string }>): Record<string, unknown> => {
    const old = copy(report) as { schemaVersion: number; analysis: Record<string, unknown> };
    old.schemaVersion = 4;
    delete old.analysis.polarity;
    old.analysis.warnings = warnings;
    return old;
  };

  it('a new result states its polarity, and the report keeps it', () => {
    expect(resultOf(clickAnalysis)).toMatchObject({ polarity: 'normal', polarityInverted: false });
    expect(parseReportText(JSON.stringify(clickReport)).analysis.polarity).toBe('normal');
    // The 3 s train is too short for a response: the warning says so with its own code.
    expect(clickReport.analysis.frequencyResponse).toBeNull();
    expect(clickReport.analysis.warnings.map((w) => w.code)).toEqual(['NO_FREQUENCY_RESPONSE']);
  });

  it('a report saved before them, with LOW_COHERENCE on "No frequency response" and no polarity, loads unchanged and reads as before', () => {
    const message = clickReport.analysis.warnings[0].message;
    expect(message).toMatch(/^No frequency response: a click train needs at least 10 clicks/);
    const old = savedBefore(clickReport, [{ code: 'LOW_COHERENCE', message }]);
    const loaded = parseReport(old);
    expect(loaded.schemaVersion).toBe(REPORT_SCHEMA_VERSION);
    expect(loaded.analysis).toEqual(old.analysis);
    expect('polarity' in loaded.analysis).toBe(false);
    expect(resultPolarity(loaded.analysis)).toBe('normal');
    expect(missingResponseReason(loaded.analysis)).toBe(missingResponseReason(clickReport.analysis));
    expect(`No frequency response: ${missingResponseReason(loaded.analysis)}.`).toBe(message);
  });

  it('a report saved before them whose polarity was unstable reads as not determined, not as normal', () => {
    const loaded = parseReport(savedBefore(clickReport, [{ code: 'POLARITY_UNSTABLE', message: 'The events disagree on the sign.' }]));
    expect(loaded.analysis.polarityInverted).toBe(false);
    expect(resultPolarity(loaded.analysis)).toBe('not-determined');
  });

  it('a report saved before them with LOW_COHERENCE on "No decay times" loads unchanged', () => {
    const warnings = [{ code: 'LOW_COHERENCE', message: 'No decay times: the room rings for 2900 ms (the room window), longer than the shortest spacing of the clicks averaged (400 ms), so each click\'s decay overlaps the next click. Measure decay times with pink noise or a sweep.' }];
    expect(parseReport(savedBefore(clickReport, warnings)).analysis.warnings).toEqual(warnings);
  });

  it('a polarity that contradicts polarityInverted, an unknown one, or one on a refusal is refused, naming the field', () => {
    const contradicting = copy(clickReport) as { analysis: Record<string, unknown> };
    contradicting.analysis.polarity = 'inverted';
    expect(reportError(() => parseReport(contradicting)).issues).toEqual(['analysis.polarity: polarity "inverted" contradicts polarityInverted false']);
    const undetermined = copy(clickReport) as { analysis: Record<string, unknown> };
    undetermined.analysis.polarity = 'not-determined';
    expect(resultPolarity(parseReport(undetermined).analysis)).toBe('not-determined');
    undetermined.analysis.polarityInverted = true;
    expect(reportError(() => parseReport(undetermined)).issues).toEqual(['analysis.polarity: polarity "not-determined" contradicts polarityInverted true']);
    const unknown = copy(clickReport) as { analysis: Record<string, unknown> };
    unknown.analysis.polarity = 'reversed';
    expect(reportError(() => parseReport(unknown)).message).toMatch(/analysis\.polarity: /);
    const refused = copy(createReport(input(refusedAnalysis))) as { analysis: Record<string, unknown> };
    refused.analysis.polarity = 'normal';
    expect(reportError(() => parseReport(refused)).message).toMatch(/analysis\.polarity/);
  });
});
