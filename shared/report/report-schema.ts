/**
 * The report: one measurement as a versioned JSON document (settings, signal, results, verdicts,
 * software version and time), validated with zod whenever it is loaded. `parseReport` accepts every
 * schemaVersion this build knows and migrates older ones to the current one; anything else is
 * refused with the path and reason of each problem.
 *
 * Versions: 1, the first. 2 adds `correlationZoom` (the correlation around the median arrival, so a
 * reopened measurement still shows its peak chart); a version-1 report migrates with null there.
 * 3: the headline latency statistics describe the steady state, with the start-up, segments and
 * modes beside them; a claim verdict may be 'inconclusive' (an alternating path); the frequency
 * response carries the impulse response, its windows, decay times and distortion. Every new field
 * is optional, so a version-2 report migrates as it is (it was measured without them).
 */
import { z } from 'zod';
import { addedLatencySchema, driftSchema, latencySchema, warningSchema } from './latency-schema';
import { frequencyResponseSchema, smoothingSchema } from './response-schema';
import { finite, nullableFinite } from './schema-primitives';
import type { AnalysisOutput } from '../claims/judge';
import { REFUSAL_CODES } from '../analysis/analysis-refusal';
import { ANALYSIS_WEIGHTINGS } from '../analysis/analyze-capture';
import type { CorrelationZoom } from '../analysis/correlation-zoom';
import { claimSchema } from '../claims/claims-catalogue';
import { CLAIM_OUTCOMES } from '../claims/verdict';
import { STIMULUS_SIGNALS } from '../stimulus/stimulus';
import { SOFTWARE_VERSION } from '../primitives/version';

export const REPORT_SCHEMA_VERSION = 3;
export const REPORT_KIND = 'latency-lab-report';

const ms = finite;

const claimVerdictSchema = z.object({
  claimId: z.string(),
  claimName: z.string(),
  statistic: z.enum(['median', 'mean', 'max', 'min', 'p95', 'spread']),
  measuredMs: ms,
  outcome: z.enum(CLAIM_OUTCOMES),
  expectation: claimSchema.shape.expectation,
  marginMs: ms,
  toleranceMs: ms.optional(),
  reason: z.string().optional(),
  summary: z.string(),
});

const lipSyncVerdictSchema = z.object({
  standardId: z.string(),
  standardName: z.string(),
  offsetMs: ms,
  pass: z.boolean(),
  limit: z.enum(['lead', 'lag']),
  limitMs: ms,
  marginMs: ms,
  inconclusive: z.string().optional(),
  summary: z.string(),
});

const analysisOkSchema = z.object({
  status: z.literal('ok'),
  stimulus: z.object({ kind: z.enum(['click', 'noise', 'sweep']), sampleRate: z.number().int().positive(), events: z.number().int().min(0), durationS: finite }),
  latency: latencySchema,
  added: addedLatencySchema.optional(),
  confidence: z.number().min(0).max(1),
  drift: driftSchema.nullable(),
  snrDb: nullableFinite,
  capturePeakDbfs: finite,
  noiseFloorDbfs: nullableFinite,
  polarityInverted: z.boolean(),
  frequencyResponse: frequencyResponseSchema.nullable(),
  lipSync: z.object({ videoLatencyMs: ms, basis: z.enum(['added', 'total']), verdicts: z.array(lipSyncVerdictSchema) }).optional(),
  verdict: z.object({ basis: z.enum(['added', 'total']), claim: claimVerdictSchema }).optional(),
  warnings: z.array(warningSchema),
  error: z.undefined().optional(),
});

/** Nothing measured: the fields of a result must be absent. */
const absent = z.undefined().optional();

const analysisRefusedSchema = z.object({
  status: z.literal('refused'),
  error: z.object({
    code: z.enum(REFUSAL_CODES),
    message: z.string(),
    advice: z.string(),
  }),
  warnings: z.array(warningSchema),
  stimulus: absent,
  latency: absent,
  added: absent,
  confidence: absent,
  drift: absent,
  snrDb: absent,
  capturePeakDbfs: absent,
  noiseFloorDbfs: absent,
  polarityInverted: absent,
  frequencyResponse: absent,
  lipSync: absent,
  verdict: absent,
});

/** The analysis output: a result (`status: 'ok'`) or a refusal, told apart by `status`. */
export const analysisOutputSchema = z.discriminatedUnion('status', [analysisOkSchema, analysisRefusedSchema]);

const deviceSchema = z.object({ id: z.string().max(500).optional(), label: z.string().max(500) });

const reportSchemaV1 = z.object({
  schemaVersion: z.literal(1),
  kind: z.literal(REPORT_KIND),
  id: z.string().regex(/^[A-Za-z0-9_-]{6,64}$/, { error: 'id must be 6-64 letters, digits, - or _' }),
  title: z.string().max(200),
  createdAt: z.iso.datetime({ offset: true }),
  software: z.object({ name: z.literal('latency-lab'), version: z.string().max(50), source: z.enum(['cli', 'app']) }),
  settings: z.object({
    mode: z.enum(['single', 'dual-channel']),
    inputDevice: deviceSchema.nullable(),
    outputDevice: deviceSchema.nullable(),
    /** What the user says they measured, e.g. "JBL Flip 6 over Bluetooth from an Echo Studio". */
    setupDescription: z.string().max(500),
    claimId: z.string().max(200).nullable(),
    /** A snapshot of the claim compared against, so custom profiles survive in the report. */
    claim: claimSchema.nullable(),
    baselineMs: nullableFinite,
    videoLatencyMs: ms,
    maxLatencyMs: ms,
    weighting: z.enum(ANALYSIS_WEIGHTINGS),
    smoothing: smoothingSchema,
    micCalibrationFile: z.string().max(500).nullable(),
    /** What the browser reported for the capture track (the app), or null (the CLI). */
    captureSettings: z.object({
      echoCancellation: z.boolean().nullable(),
      noiseSuppression: z.boolean().nullable(),
      autoGainControl: z.boolean().nullable(),
      sampleRate: z.number().nullable(),
      channelCount: z.number().nullable(),
    }).nullable(),
  }),
  signal: z.object({
    kind: z.enum([...STIMULUS_SIGNALS, 'music', 'file']),
    sampleRate: z.number().int().positive(),
    durationS: finite,
    levelDbfs: nullableFinite,
    seed: z.number().int().nullable(),
    /** File names of the reference and capture, when they came from files. */
    referenceFile: z.string().max(500).nullable(),
    captureFile: z.string().max(500).nullable(),
  }),
  analysis: analysisOutputSchema,
  notes: z.string().max(10000),
});

const correlationZoomSchema = z.object({
  eventIndex: z.number().int().min(0),
  lagMs: z.array(finite).max(20000),
  value: z.array(z.number().min(-1).max(1)).max(20000),
}).refine((zoom) => zoom.lagMs.length === zoom.value.length, { error: 'lagMs and value must have the same length' });

const reportSchemaV2 = reportSchemaV1.extend({
  schemaVersion: z.literal(2),
  correlationZoom: correlationZoomSchema.nullable(),
});

export const reportSchema = reportSchemaV2.extend({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
});

export type Report = z.infer<typeof reportSchema>;

const zoomMatches: Equal<z.infer<typeof correlationZoomSchema>, CorrelationZoom> | 'schema differs from CorrelationZoom' = true;
void zoomMatches;

/** Each older version's schema and the step that brings a valid report of it to the next version. */
const MIGRATIONS: Record<number, { schema: z.ZodType; up: (report: Record<string, unknown>) => Record<string, unknown> }> = {
  1: { schema: reportSchemaV1, up: (report) => ({ ...report, schemaVersion: 2, correlationZoom: null }) },
  2: { schema: reportSchemaV2, up: (report) => ({ ...report, schemaVersion: 3 }) },
};

// The schema must describe exactly what analyzeCapture produces: these fail to compile otherwise.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const analysisMatches: Equal<z.infer<typeof analysisOutputSchema>, AnalysisOutput> | 'schema differs from AnalysisOutput' = true;
void analysisMatches;

export class ReportError extends Error {
  readonly issues: string[];
  constructor(message: string, issues: string[] = []) {
    super(issues.length > 0 ? `${message}: ${issues.slice(0, 5).join('; ')}${issues.length > 5 ? ` (+${issues.length - 5} more)` : ''}` : message);
    this.name = 'ReportError';
    this.issues = issues;
  }
}

/**
 * Validates (and migrates) a report from parsed JSON. Throws ReportError saying what is wrong:
 * not an object, not a Latency Lab report, a schemaVersion from a newer build, or the path and
 * reason of each invalid field.
 */
export function parseReport(data: unknown): Report {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new ReportError('not a Latency Lab report: the file is not a JSON object');
  const record = data as Record<string, unknown>;
  if (record.kind !== REPORT_KIND) throw new ReportError(`not a Latency Lab report: "kind" is ${JSON.stringify(record.kind ?? null)}, expected "${REPORT_KIND}"`);
  const version = record.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) throw new ReportError(`the report has no valid schemaVersion (found ${JSON.stringify(version ?? null)})`);
  if (version > REPORT_SCHEMA_VERSION) throw new ReportError(`the report has schemaVersion ${version}, newer than this Latency Lab understands (${REPORT_SCHEMA_VERSION}): update Latency Lab to open it`);
  let current = data as Record<string, unknown>;
  for (let v = version; v < REPORT_SCHEMA_VERSION; v++) {
    const step = MIGRATIONS[v];
    const old = step.schema.safeParse(current);
    if (!old.success) throw invalid(old.error, ` (schemaVersion ${v})`);
    current = step.up(old.data as Record<string, unknown>);
  }
  const result = reportSchema.safeParse(current);
  if (!result.success) throw invalid(result.error);
  return result.data;
}

function invalid(error: z.ZodError, version = ''): ReportError {
  return new ReportError(`the report is invalid${version}`, error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
}

/** Parses report text (JSON), with a specific error for text that is not JSON. */
export function parseReportText(text: string): Report {
  // A byte-order mark (some editors write one) is not part of the JSON.
  const json = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    const start = json.trimStart();
    const why =
      start === ''
        ? 'it is empty'
        : /^[[{]/.test(start)
          ? printable((error as Error).message)
          : `it starts with the bytes ${Array.from(start.slice(0, 8), (c) => c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()).join(' ')}`;
    throw new ReportError(`not a Latency Lab report: the file is not valid JSON (${why})`);
  }
  return parseReport(data);
}

/** A message that quotes the file, made safe to show: no control characters or replacement marks, at most 200 characters. */
function printable(message: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = message.replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, '?');
  return clean.length > 200 ? `${clean.slice(0, 199)}…` : clean;
}

export interface ReportInput {
  id: string;
  title: string;
  createdAt: string;
  source: 'cli' | 'app';
  settings: Report['settings'];
  signal: Report['signal'];
  analysis: AnalysisOutput;
  /** The correlation around the median arrival (shared/analysis/correlation-zoom.ts), when computed. */
  correlationZoom?: CorrelationZoom | null;
  notes?: string;
}

/** Assembles a report and validates it, so nothing invalid is ever written. */
export function createReport(input: ReportInput): Report {
  const report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    kind: REPORT_KIND,
    id: input.id,
    title: input.title,
    createdAt: input.createdAt,
    software: { name: 'latency-lab', version: SOFTWARE_VERSION, source: input.source },
    settings: input.settings,
    signal: input.signal,
    analysis: input.analysis,
    correlationZoom: input.correlationZoom ?? null,
    notes: input.notes ?? '',
  };
  const result = reportSchema.safeParse(report);
  if (!result.success) throw new ReportError('internal error: the report built from this analysis is invalid', result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  return result.data;
}
