/**
 * The A/V report: a lip-sync measurement from a camera recording of the A/V pattern, as the app
 * saves it to the library and exports it, and as `latency-lab av-analyze --report R` writes it.
 * A kind of its own (`latency-lab-av-report`, versioned on its own) beside the audio report
 * (`latency-lab-report`): the two share the library, the exports and `latency-lab report`, which
 * tell them apart by `kind` (parseStoredReport).
 *
 * The zod schema is the definition and the type is derived from it. A report is validated whenever
 * it is read: unknown top-level keys, a result without its figures, a refusal with figures, more
 * events than a recording can hold, oversized text and non-finite numbers are refused with the
 * path of what is wrong.
 */
import { z } from 'zod';
import { avAnalysisOutputSchema, type AvAnalysisOutput } from '../av/av-schema';
import { parseReport, parseReportJson, type Report, REPORT_KIND, ReportError } from './report-schema';

export const AV_REPORT_KIND = 'latency-lab-av-report';
export const AV_REPORT_SCHEMA_VERSION = 1;
/** The kind `av-analyze --report` wrote before this report existed (never in a release). */
const OLD_AV_RESULT_KIND = 'latency-lab-av-result';
/** A 10-minute pattern at 1 event per 0.8 s has 750 events; this leaves room and stops absurd files. */
export const MAX_AV_EVENTS = 5000;
/** Longest text a report field holds (messages, notes). */
const MAX_TEXT_CHARS = 20_000;

const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;
const finite = z.number().finite();

const shortText = (max: number) => z.string().max(max).regex(NO_CONTROL_CHARACTERS, { error: 'must not contain control characters' });

export const avReportSettingsSchema = z.strictObject({
  /** Where the recording came from: a file the user chose, the app's webcam recorder, or the CLI. */
  source: z.enum(['file', 'webcam', 'cli']),
  /** The recording's file name (no folder), or null for a webcam recording. */
  videoFile: shortText(500).nullable(),
  /** The video codec as the container names it (e.g. avc1.64001f), when known. */
  codec: shortText(100).nullable(),
  /** What the user says they measured, e.g. "Living-room TV → soundbar over HDMI ARC". */
  setupDescription: shortText(500),
  distanceM: finite.min(0).max(1000),
  /** The camera's own A/V offset subtracted (null: uncalibrated). */
  cameraOffsetMs: finite.min(-1000).max(1000).nullable(),
  cameraOffsetUncertaintyMs: finite.min(0).max(1000),
  /** The camera the offset was calibrated for (as stored in the settings), when one was used. */
  cameraName: shortText(200).nullable(),
  patternFps: finite.min(1).max(1000),
});
export type AvReportSettings = z.infer<typeof avReportSettingsSchema>;

/** The analysis as stored: a result with its figures, or a refusal with its reason, never both. */
const storedAvAnalysisSchema = avAnalysisOutputSchema.superRefine((output, ctx) => {
  if (output.status === 'ok') {
    if (!output.av) ctx.addIssue({ code: 'custom', path: ['av'], message: 'a result (status "ok") must hold its figures' });
    if (output.error) ctx.addIssue({ code: 'custom', path: ['error'], message: 'a result (status "ok") has no error' });
  } else {
    if (!output.error) ctx.addIssue({ code: 'custom', path: ['error'], message: 'a refusal must say why (error)' });
    if (output.av) ctx.addIssue({ code: 'custom', path: ['av'], message: 'a refusal holds no figures' });
  }
  if (output.av && output.av.events.length > MAX_AV_EVENTS) {
    ctx.addIssue({ code: 'custom', path: ['av', 'events'], message: `at most ${MAX_AV_EVENTS} events, got ${output.av.events.length}` });
  }
  const texts = [output.error?.message, output.error?.advice, ...output.warnings.map((w) => w.message), ...(output.lipSync?.verdicts.map((v) => v.summary) ?? [])];
  if (texts.some((t) => t !== undefined && t.length > MAX_TEXT_CHARS)) ctx.addIssue({ code: 'custom', message: `a message is longer than ${MAX_TEXT_CHARS} characters` });
  if (output.warnings.length > 100) ctx.addIssue({ code: 'custom', path: ['warnings'], message: 'at most 100 warnings' });
});

export const avReportSchema = z.strictObject({
  schemaVersion: z.literal(AV_REPORT_SCHEMA_VERSION),
  kind: z.literal(AV_REPORT_KIND),
  id: z.string().regex(/^[A-Za-z0-9_-]{6,64}$/, { error: 'id must be 6-64 letters, digits, - or _' }),
  title: z.string().max(200),
  createdAt: z.iso.datetime({ offset: true }),
  software: z.strictObject({ name: z.literal('latency-lab'), version: shortText(50), source: z.enum(['cli', 'app']) }),
  settings: avReportSettingsSchema,
  analysis: storedAvAnalysisSchema,
  notes: z.string().max(MAX_TEXT_CHARS),
});
export type AvReport = z.infer<typeof avReportSchema>;

/** Anything the library stores and the exports render: an audio report or an A/V report. */
export type StoredReport = Report | AvReport;

export const isAvReport = (report: StoredReport): report is AvReport => report.kind === AV_REPORT_KIND;

function invalid(error: z.ZodError): ReportError {
  return new ReportError('the A/V report is invalid', error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
}

/** Validates an A/V report from parsed JSON; ReportError says what is wrong. */
export function parseAvReport(data: unknown): AvReport {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new ReportError('not a Latency Lab A/V report: the file is not a JSON object');
  const record = data as Record<string, unknown>;
  if (record.kind === OLD_AV_RESULT_KIND) {
    throw new ReportError(`an A/V result in the format of an earlier development build ("${OLD_AV_RESULT_KIND}"): run latency-lab av-analyze --report again to write it as a "${AV_REPORT_KIND}"`);
  }
  if (record.kind !== AV_REPORT_KIND) throw new ReportError(`not a Latency Lab A/V report: "kind" is ${JSON.stringify(record.kind ?? null)}, expected "${AV_REPORT_KIND}"`);
  const version = record.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) throw new ReportError(`the A/V report has no valid schemaVersion (found ${JSON.stringify(version ?? null)})`);
  if (version > AV_REPORT_SCHEMA_VERSION) {
    throw new ReportError(`the A/V report has schemaVersion ${version}, newer than this Latency Lab understands (${AV_REPORT_SCHEMA_VERSION}): update Latency Lab to open it`);
  }
  const result = avReportSchema.safeParse(data);
  if (!result.success) throw invalid(result.error);
  return result.data;
}

/** Validates either kind of report, told apart by `kind`. */
export function parseStoredReport(data: unknown): StoredReport {
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
    const kind = (data as Record<string, unknown>).kind;
    if (kind === AV_REPORT_KIND || kind === OLD_AV_RESULT_KIND) return parseAvReport(data);
    if (kind !== REPORT_KIND) {
      throw new ReportError(`not a Latency Lab report: "kind" is ${JSON.stringify(kind ?? null)}, expected "${REPORT_KIND}" or "${AV_REPORT_KIND}"`);
    }
  }
  return parseReport(data);
}

/** Parses report text (JSON) of either kind, with a specific error for text that is not JSON. */
export function parseStoredReportText(text: string): StoredReport {
  return parseStoredReport(parseReportJson(text));
}

export interface AvReportInput {
  id: string;
  title: string;
  createdAt?: Date;
  softwareVersion: string;
  source: 'cli' | 'app';
  settings: AvReportSettings;
  analysis: AvAnalysisOutput;
  notes?: string;
}

/** Builds a validated A/V report; a title is made from the offset when none is given. */
export function createAvReport(input: AvReportInput): AvReport {
  const report = {
    schemaVersion: AV_REPORT_SCHEMA_VERSION,
    kind: AV_REPORT_KIND,
    id: input.id,
    title: input.title.trim() === '' ? defaultAvTitle(input.analysis) : input.title.trim().slice(0, 200),
    createdAt: (input.createdAt ?? new Date()).toISOString(),
    software: { name: 'latency-lab', version: input.softwareVersion, source: input.source },
    settings: input.settings,
    analysis: input.analysis,
    notes: input.notes ?? '',
  };
  const result = avReportSchema.safeParse(report);
  if (!result.success) throw new ReportError('internal error: the A/V report built from this analysis is invalid', result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  return result.data;
}

/** "A/V offset +42.1 ± 1.3 ms" or "A/V recording refused (NO_CLICKS)". */
export function defaultAvTitle(analysis: AvAnalysisOutput): string {
  if (analysis.status === 'ok' && analysis.av) return `A/V offset ${formatOffset(analysis.av.offsetMs)} ± ${analysis.av.uncertaintyMs.toFixed(1)} ms`;
  return `A/V recording refused (${analysis.error?.code ?? 'no reason'})`;
}

/** "+42.1 ms" / "−3.0 ms" (the minus sign is U+2212, as in the app). */
export function formatOffset(offsetMs: number): string {
  const text = Math.abs(offsetMs).toFixed(1);
  return `${offsetMs > 0 && text !== '0.0' ? '+' : offsetMs < 0 && text !== '0.0' ? '−' : ''}${text} ms`;
}
