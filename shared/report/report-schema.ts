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
 * 4 adds `group`: null for one output (every version-3 report migrates with null, unchanged in
 * meaning), or the results of several speakers measured together, with the options used:
 * - `kind: 'outputs'`, several outputs in one run: the outputs chosen (reference channel and
 *   device), the sync tolerance and its source, the per-output analysis and sync
 *   (analyzeMultiOutput) and the verdicts against the multi-room claims and the tolerance.
 * - `kind: 'speakers'`, one stream on N speakers: N, the tolerance, analyzeMultiSpeaker's result
 *   (speakers, or a refusal with what was found) and the verdicts.
 * - `kind: 'guided'`, one run next to each speaker: N, the tolerance, each run's arrivals and the
 *   combined result (combineGuidedRuns) and the verdicts.
 * For such a run `analysis` holds the ordinary one-output analysis of the capture against the whole
 * click train (for several outputs: every output's clicks, i.e. the sum of the reference's
 * channels; for a guided run: the run next to speaker 1): what a one-output measurement of this
 * setup reports, a path whose latency alternates between the speakers. The library and older
 * readers keep working on it; the per-output and per-speaker figures are in `group`.
 * 5: warnings may carry the codes NO_FREQUENCY_RESPONSE and NO_DECAY_TIMES (before, those messages
 * carried LOW_COHERENCE) and the analysis states its `polarity` ('normal', 'inverted' or
 * 'not-determined'), optional; a version-4 report migrates as it is (its polarity is read from its
 * warnings, and its LOW_COHERENCE "No frequency response: …" is still quoted as the reason). The
 * bump makes an older build refuse a new report as "newer than this Latency Lab understands"
 * instead of failing on a warning code it does not know.
 */
import { z } from 'zod';
import { addedLatencySchema, driftSchema, latencySchema, warningSchema } from './latency-schema';
import { frequencyResponseSchema, smoothingSchema } from './response-schema';
import { finite, nullableFinite } from './schema-primitives';
import type { AnalysisOutput } from '../claims/judge';
import { REFUSAL_CODES } from '../analysis/analysis-refusal';
import { ANALYSIS_WEIGHTINGS } from '../analysis/analyze-capture';
import { type CorrelationZoom, POLARITIES } from '../analysis/correlation-zoom';
import { claimSchema } from '../claims/claims-catalogue';
import { CLAIM_OUTCOMES } from '../claims/verdict';
import { STIMULUS_SIGNALS } from '../stimulus/stimulus';
import { SOFTWARE_VERSION } from '../primitives/version';
import { multiOutputSchema, multiSpeakerSchema, speakerArrivalSchema } from './multi-output-schema';
import { GUIDED_REFUSAL_REASONS, GUIDED_WARNING_CODES, type GuidedResult, type GuidedRun } from '../analysis/guided-speakers';
import { SYNC_TOLERANCE_SOURCES, TOLERANCE_OUTCOMES, type MultiRoomVerdicts } from '../claims/multi-room';

export const REPORT_SCHEMA_VERSION = 5;
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
  // Optional so that reports written before it still load (resultPolarity reads their warnings).
  polarity: z.enum(POLARITIES).optional(),
  frequencyResponse: frequencyResponseSchema.nullable(),
  lipSync: z.object({ videoLatencyMs: ms, basis: z.enum(['added', 'total']), verdicts: z.array(lipSyncVerdictSchema) }).optional(),
  verdict: z.object({ basis: z.enum(['added', 'total']), claim: claimVerdictSchema }).optional(),
  warnings: z.array(warningSchema),
  error: z.undefined().optional(),
}).superRefine((a, ctx) => {
  if (a.polarity !== undefined && (a.polarity === 'inverted') !== a.polarityInverted) {
    ctx.addIssue({ code: 'custom', path: ['polarity'], message: `polarity "${a.polarity}" contradicts polarityInverted ${a.polarityInverted}` });
  }
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
  polarity: absent,
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

const reportSchemaV3 = reportSchemaV2.extend({
  schemaVersion: z.literal(3),
});

const toleranceSchema = z.object({ toleranceMs: finite.positive().max(10000), source: z.enum(SYNC_TOLERANCE_SOURCES) });

const multiRoomVerdictsSchema = z.object({
  tolerance: z.object({
    toleranceMs: finite,
    source: z.enum(SYNC_TOLERANCE_SOURCES),
    outcome: z.enum(TOLERANCE_OUTCOMES),
    marginMs: finite,
    exceedsToleranceAtS: nullableFinite,
    reason: z.string().max(2000).optional(),
    summary: z.string().max(2000),
  }),
  claims: z.array(claimVerdictSchema).max(20),
});

const guidedSpeakerSchema = z.object({
  speaker: z.number().int().min(1).max(8),
  latencyMs: finite,
  levelDb: finite,
  driftPpm: finite,
  marginDb: nullableFinite,
});

const guidedResultSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('ok'),
    speakers: z.array(guidedSpeakerSchema).max(8),
    syncSpreadMs: finite,
    warnings: z.array(z.object({ code: z.enum(GUIDED_WARNING_CODES), message: z.string().max(2000) })).max(50),
  }),
  z.object({
    status: z.literal('refused'),
    reason: z.enum(GUIDED_REFUSAL_REASONS),
    speaker: z.number().int().min(1).max(8),
    message: z.string().max(2000),
    advice: z.string().max(2000),
    speakers: z.array(guidedSpeakerSchema).max(8),
  }),
]);

const guidedRunSchema = z.object({ nearSpeaker: z.number().int().min(1).max(8), arrivals: z.array(speakerArrivalSchema).max(8) });

/** Several speakers measured together (see the module comment); null for one output. */
export const groupSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('outputs'),
    outputs: z.array(z.object({ channel: z.number().int().min(1).max(8), device: deviceSchema.nullable() })).min(2).max(8),
    tolerance: toleranceSchema,
    result: multiOutputSchema,
    /** Null when fewer than two outputs could be measured in a way that gives a spread (no sync). */
    verdicts: multiRoomVerdictsSchema.nullable(),
  }),
  z.object({
    kind: z.literal('speakers'),
    speakers: z.number().int().min(2).max(8),
    tolerance: toleranceSchema,
    result: multiSpeakerSchema,
    verdicts: multiRoomVerdictsSchema.nullable(),
  }),
  z.object({
    kind: z.literal('guided'),
    speakers: z.number().int().min(2).max(8),
    tolerance: toleranceSchema,
    runs: z.array(guidedRunSchema).max(8),
    result: guidedResultSchema,
    verdicts: multiRoomVerdictsSchema.nullable(),
  }),
]);
export type ReportGroup = z.infer<typeof groupSchema>;

const reportSchemaV4 = reportSchemaV3.extend({
  schemaVersion: z.literal(4),
  group: groupSchema.nullable(),
});

export const reportSchema = reportSchemaV4.extend({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
});

export type Report = z.infer<typeof reportSchema>;

const zoomMatches: Equal<z.infer<typeof correlationZoomSchema>, CorrelationZoom> | 'schema differs from CorrelationZoom' = true;
void zoomMatches;
const guidedMatches: Equal<z.infer<typeof guidedResultSchema>, GuidedResult> | 'schema differs from GuidedResult' = true;
const guidedRunMatches: Equal<z.infer<typeof guidedRunSchema>, GuidedRun> | 'schema differs from GuidedRun' = true;
const verdictsMatch: Equal<z.infer<typeof multiRoomVerdictsSchema>, MultiRoomVerdicts> | 'schema differs from MultiRoomVerdicts' = true;
void guidedMatches;
void guidedRunMatches;
void verdictsMatch;

/** Each older version's schema and the step that brings a valid report of it to the next version. */
const MIGRATIONS: Record<number, { schema: z.ZodType; up: (report: Record<string, unknown>) => Record<string, unknown> }> = {
  1: { schema: reportSchemaV1, up: (report) => ({ ...report, schemaVersion: 2, correlationZoom: null }) },
  2: { schema: reportSchemaV2, up: (report) => ({ ...report, schemaVersion: 3 }) },
  3: { schema: reportSchemaV3, up: (report) => ({ ...report, schemaVersion: 4, group: null }) },
  4: { schema: reportSchemaV4, up: (report) => ({ ...report, schemaVersion: 5 }) },
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

/**
 * The JSON value of report text (of either kind), with a specific ReportError for text that is not
 * JSON: empty, a JSON error quoted safely, or the first bytes of a file that is not JSON at all.
 */
export function parseReportJson(text: string): unknown {
  // A byte-order mark (some editors write one) is not part of the JSON.
  const json = text.startsWith('\uFEFF') ? text.slice(1) : text;
  try {
    return JSON.parse(json);
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
}

/** Parses report text (JSON), with a specific error for text that is not JSON. */
export function parseReportText(text: string): Report {
  return parseReport(parseReportJson(text));
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
  /** Several speakers measured together; absent or null for one output. */
  group?: ReportGroup | null;
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
    group: input.group ?? null,
    notes: input.notes ?? '',
  };
  const result = reportSchema.safeParse(report);
  if (!result.success) throw new ReportError('internal error: the report built from this analysis is invalid', result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  return result.data;
}
