/**
 * The IPC contract between the desktop app's renderer and its main process: every channel's name,
 * the zod schema of its request and of its response, the menu event, the typed error, and the
 * shape of the preload bridge (`window.latencyLab`). Pure: zod and types only, no Electron, so the
 * main process, the preload, the renderer and the tests all read the same definitions.
 *
 * Every request is validated in the main process before any handler runs (unknown keys, wrong
 * types, oversized strings and audio, ids that are not library ids are refused as INVALID_REQUEST),
 * and every response is validated before it is sent. Failures travel as data
 * (`{ ok: false, error: { code, message } }`), never as thrown errors, so the renderer gets the
 * code and the exact message.
 */
import { z } from 'zod';
import { claimSchema, MAX_CLAIM_MS } from '../claims/claims-catalogue';
import { TOLERANCE_OUTCOMES } from '../claims/multi-room';
import { avReportSchema, parseStoredReport, type StoredReport } from '../report/av-report';
import { EXPORT_FORMATS } from '../report/export-file';
import { ReportError, reportSchema } from '../report/report-schema';

// ------------------------------------------------------------------------------------------------
// Channels

/** The invoke channels (renderer → main, one response each). Nothing else is handled. */
export const IPC_CHANNELS = {
  libraryList: 'library:list',
  librarySave: 'library:save',
  libraryOpen: 'library:open',
  libraryRename: 'library:rename',
  libraryRemove: 'library:remove',
  libraryImport: 'library:import',
  exportMeasurement: 'export:measurement',
  settingsLoad: 'settings:load',
  settingsSave: 'settings:save',
} as const;

export type IpcChannel = (typeof IPC_CHANNELS)[keyof typeof IPC_CHANNELS];

/** The one event channel (main → renderer): application menu commands. */
export const MENU_COMMAND_CHANNEL = 'menu:command';

// ------------------------------------------------------------------------------------------------
// Limits

/**
 * The display's video latency (for the lip-sync A/V offset) a user can enter, in ms: a display
 * cannot show a picture before it receives it, and none takes 2 s. The settings page, the setup
 * form, the browser host and the IPC contract all read this.
 */
export const VIDEO_LATENCY_MS = { min: 0, max: 2000 } as const;

export const IPC_LIMITS = {
  /** A report as JSON (the library's report.json, an imported file, a browser import). */
  reportJsonBytes: 50 * 1024 * 1024,
  titleChars: 200,
  /** Audio: at most 30 minutes, and at most 30 minutes' worth at 96 kHz in frames. */
  audioSeconds: 30 * 60,
  audioFrames: 30 * 60 * 96_000,
  minSampleRate: 8000,
  maxSampleRate: 384_000,
  customClaims: 200,
  baselines: 500,
} as const;

/** Library ids: the report id's pattern, so an id can never name a path outside its folder. */
export const LIBRARY_ID_PATTERN = /^[A-Za-z0-9_-]{6,64}$/;

// ------------------------------------------------------------------------------------------------
// Errors

export const IPC_ERROR_CODES = [
  /** The request does not match the contract (types, limits, unknown keys, unknown channel). */
  'INVALID_REQUEST',
  /** The request did not come from the app's own page. */
  'FORBIDDEN',
  /** No such measurement. */
  'NOT_FOUND',
  /** The target exists and is not overwritten. */
  'EXISTS',
  /** A file the user chose (or a stored one) is not a valid report or WAV file; the message says why. */
  'INVALID_FILE',
  /** Over a size limit. */
  'TOO_LARGE',
  /** The measurement cannot be exported in that form (no audio for a WAV, no frequency response for its CSV). */
  'NOT_EXPORTABLE',
  /** Reading or writing failed (disk full, permissions, no trash available, ...). */
  'IO',
  /** The user cancelled. */
  'CANCELLED',
  /** A bug. */
  'INTERNAL',
] as const;

export type IpcErrorCode = (typeof IPC_ERROR_CODES)[number];

export const ipcErrorSchema = z.strictObject({ code: z.enum(IPC_ERROR_CODES), message: z.string().max(4000) });
export type IpcErrorData = z.infer<typeof ipcErrorSchema>;

/** What every invoke resolves to. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcErrorData };

// ------------------------------------------------------------------------------------------------
// Building blocks

/** No control characters (NUL, newlines, escapes, ...). */
const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;

export const libraryIdSchema = z
  .string()
  .max(64)
  .regex(LIBRARY_ID_PATTERN, { error: 'id must be 6-64 letters, digits, - or _' });

export const titleSchema = z
  .string()
  .max(IPC_LIMITS.titleChars, { error: `title must be at most ${IPC_LIMITS.titleChars} characters` })
  .regex(NO_CONTROL_CHARACTERS, { error: 'title must not contain control characters' })
  .refine((title) => title.trim().length > 0, { error: 'title must not be empty' });

/**
 * A report crossing IPC, an audio report or an A/V report: validated (and an audio report migrated)
 * by parseStoredReport (the same rules as a file), and refused when its JSON would exceed the size
 * limit.
 */
export const reportPayloadSchema = z.custom<StoredReport>().transform((value, ctx): StoredReport => {
  let report: StoredReport;
  try {
    report = parseStoredReport(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: error instanceof ReportError ? error.message : String(error) });
    return z.NEVER;
  }
  const length = JSON.stringify(report).length;
  if (length > IPC_LIMITS.reportJsonBytes) {
    ctx.addIssue({ code: 'custom', message: `the report is ${length} bytes as JSON, over the ${IPC_LIMITS.reportJsonBytes}-byte limit` });
    return z.NEVER;
  }
  return report;
});

/** Mono float32 samples: a Float32Array (structured clone keeps the type), 1 to audioFrames long, all finite. */
export const samplesSchema = z
  .custom<Float32Array>((value) => value instanceof Float32Array, { error: 'samples must be a Float32Array' })
  .superRefine((samples, ctx) => {
    if (samples.length < 1 || samples.length > IPC_LIMITS.audioFrames) {
      ctx.addIssue({ code: 'custom', message: `samples must hold 1 to ${IPC_LIMITS.audioFrames} frames, got ${samples.length}` });
      return;
    }
    for (let i = 0; i < samples.length; i++) {
      if (!Number.isFinite(samples[i])) {
        ctx.addIssue({ code: 'custom', message: `sample ${i} is ${samples[i]}, not a finite number` });
        return;
      }
    }
  });

export const measurementAudioSchema = z
  .strictObject({
    sampleRate: z.number().int().min(IPC_LIMITS.minSampleRate).max(IPC_LIMITS.maxSampleRate),
    reference: samplesSchema,
    capture: samplesSchema,
  })
  .superRefine((audio, ctx) => {
    for (const key of ['reference', 'capture'] as const) {
      const seconds = audio[key].length / audio.sampleRate;
      if (seconds > IPC_LIMITS.audioSeconds) {
        ctx.addIssue({ code: 'custom', path: [key], message: `${key} is ${seconds.toFixed(0)} s long, over the ${IPC_LIMITS.audioSeconds} s limit` });
      }
    }
  });

export type MeasurementAudioData = z.infer<typeof measurementAudioSchema>;

export const exportFormatSchema = z.enum(EXPORT_FORMATS);
export type ExportFormatData = z.infer<typeof exportFormatSchema>;

export const menuCommandSchema = z.enum(['new-measurement', 'open-report', 'export', 'library', 'settings']);
export type MenuCommandData = z.infer<typeof menuCommandSchema>;

const nullableFiniteSchema = z.number().refine(Number.isFinite).nullable();

export const libraryEntrySchema = z.strictObject({
  id: libraryIdSchema,
  title: z.string().max(IPC_LIMITS.titleChars),
  createdAt: z.string().max(64),
  status: z.enum(['ok', 'refused']),
  medianMs: nullableFiniteSchema,
  addedMedianMs: nullableFiniteSchema,
  confidence: nullableFiniteSchema,
  signalKind: reportSchema.shape.signal.shape.kind,
  inputDevice: z.string().max(500).nullable(),
  outputDevice: z.string().max(500).nullable(),
  setupDescription: z.string().max(500),
  claimId: z.string().max(200).nullable(),
  claimName: z.string().nullable(),
  hasAudio: z.boolean(),
  timingReference: z.boolean(),
  startupUntilS: nullableFiniteSchema,
  modes: z.number().int().min(0),
  kind: z.enum(['latency', 'av']),
  avOffsetMs: nullableFiniteSchema,
  avUncertaintyMs: nullableFiniteSchema,
  group: z.strictObject({
    kind: z.enum(['outputs', 'speakers', 'guided']),
    count: z.number().int().min(0).max(8),
    spreadMs: nullableFiniteSchema,
    toleranceMs: z.number().refine(Number.isFinite),
    sync: z.enum(TOLERANCE_OUTCOMES).nullable(),
  }).nullable(),
});
export type LibraryEntryData = z.infer<typeof libraryEntrySchema>;

/** A library folder that could not be read: listed with the reason instead of failing the list. */
export const unreadableEntrySchema = z.strictObject({ folder: z.string().max(300), reason: z.string().max(4000) });
export type UnreadableEntryData = z.infer<typeof unreadableEntrySchema>;

export const libraryListSchema = z.strictObject({
  entries: z.array(libraryEntrySchema),
  unreadable: z.array(unreadableEntrySchema),
});
export type LibraryListData = z.infer<typeof libraryListSchema>;

/** A stored measurement: an audio report with its audio (when kept), or an A/V report (which keeps none). */
export const openedMeasurementSchema = z.union([
  z.strictObject({ report: reportSchema, audio: measurementAudioSchema.nullable() }),
  z.strictObject({ report: avReportSchema, audio: z.null() }),
]);
export type OpenedMeasurementData = z.infer<typeof openedMeasurementSchema>;

export const exportResultSchema = z.strictObject({ saved: z.boolean(), location: z.string().max(4096).nullable() });
export type ExportResultData = z.infer<typeof exportResultSchema>;

export const storedBaselineSchema = z.strictObject({
  inputDeviceLabel: z.string().max(500),
  outputDeviceLabel: z.string().max(500),
  baselineMs: z.number().refine(Number.isFinite).refine((ms) => Math.abs(ms) <= MAX_CLAIM_MS),
  confidence: z.number().min(0).max(1),
  measuredAt: z.iso.datetime({ offset: true }),
  // Where the baseline was measured (optional: baselines stored before these were recorded still load).
  inputDeviceId: z.string().max(500).optional(),
  outputDeviceId: z.string().max(500).optional(),
  sampleRate: z.number().int().positive().max(768000).optional(),
  /** The audio session (one AudioContext and output stream) it was measured in. */
  audioSessionId: z.string().max(100).optional(),
});

/** The A/V offset a camera records (its sound against its picture), measured once per camera. */
export const cameraOffsetSchema = z.strictObject({
  /** The user's name for the camera (e.g. "iPhone 13, slow motion 240"), unique in the settings. */
  name: z.string().min(1).max(200).regex(NO_CONTROL_CHARACTERS, { error: 'camera name must not contain control characters' }),
  /** Positive: the camera records its sound late. */
  offsetMs: z.number().finite().min(-1000).max(1000),
  /** Half-width (about 95 %) of the calibration's own uncertainty. */
  uncertaintyMs: z.number().finite().min(0).max(1000),
  measuredAt: z.iso.datetime({ offset: true }),
  /** How it was calibrated, in words (the display and its known offset, the frame rate). */
  method: z.string().max(500),
  /** The frame rate the calibration was filmed at (it holds for that mode), when known. */
  videoFps: z.number().finite().positive().max(2000).nullable(),
});
export type CameraOffsetData = z.infer<typeof cameraOffsetSchema>;

export const appSettingsSchema = z.strictObject({
  videoLatencyMs: z.number().min(VIDEO_LATENCY_MS.min).max(VIDEO_LATENCY_MS.max, { error: `videoLatencyMs must be ${VIDEO_LATENCY_MS.min} to ${VIDEO_LATENCY_MS.max} ms` }),
  customClaims: z.array(claimSchema).max(IPC_LIMITS.customClaims),
  baselines: z.array(storedBaselineSchema).max(IPC_LIMITS.baselines),
  /** Microphone calibration files (UMIK-1 / REW style, parsed by parseMicCalibration), keyed by input device label. */
  micCalibrations: z
    .record(
      z.string().min(1).max(500),
      z.strictObject({
        fileName: z.string().max(500),
        importedAt: z.string().max(40),
        calibration: z.strictObject({
          points: z.array(z.strictObject({ hz: z.number().positive().finite(), db: z.number().finite(), phaseDeg: z.number().finite().nullable() })).min(2).max(20000),
          sensitivityDb: z.number().finite().nullable(),
          serial: z.string().max(200).nullable(),
        }),
      }),
    )
    .refine((m) => Object.keys(m).length <= 100, { error: 'at most 100 microphone calibrations' })
    .optional(),
  /** Camera A/V offsets for the A/V page, one per camera name (optional: settings from before A/V load as they are). */
  cameraOffsets: z
    .array(cameraOffsetSchema)
    .max(100, { error: 'at most 100 camera offsets' })
    .refine((list) => new Set(list.map((c) => c.name)).size === list.length, { error: 'camera names must be unique' })
    .optional(),
});
export type AppSettingsData = z.infer<typeof appSettingsSchema>;
export type StoredBaselineData = z.infer<typeof storedBaselineSchema>;

export const DEFAULT_APP_SETTINGS: AppSettingsData = { videoLatencyMs: 0, customClaims: [], baselines: [] };

const emptyRequestSchema = z.strictObject({});

// ------------------------------------------------------------------------------------------------
// The contract

export const IPC_CONTRACT = {
  [IPC_CHANNELS.libraryList]: { request: emptyRequestSchema, response: libraryListSchema },
  [IPC_CHANNELS.librarySave]: {
    request: z
      .strictObject({ report: reportPayloadSchema, audio: measurementAudioSchema.nullable() })
      .refine((r) => !(r.report.kind === 'latency-lab-av-report' && r.audio !== null), { error: 'an A/V measurement keeps no audio', path: ['audio'] }),
    response: libraryEntrySchema,
  },
  [IPC_CHANNELS.libraryOpen]: { request: z.strictObject({ id: libraryIdSchema }), response: openedMeasurementSchema },
  [IPC_CHANNELS.libraryRename]: { request: z.strictObject({ id: libraryIdSchema, title: titleSchema }), response: libraryEntrySchema },
  [IPC_CHANNELS.libraryRemove]: { request: z.strictObject({ id: libraryIdSchema }), response: z.null() },
  [IPC_CHANNELS.libraryImport]: { request: emptyRequestSchema, response: libraryEntrySchema.nullable() },
  [IPC_CHANNELS.exportMeasurement]: {
    request: z.strictObject({ report: reportPayloadSchema, audio: measurementAudioSchema.nullable(), format: exportFormatSchema }),
    response: exportResultSchema,
  },
  [IPC_CHANNELS.settingsLoad]: { request: emptyRequestSchema, response: appSettingsSchema },
  [IPC_CHANNELS.settingsSave]: { request: z.strictObject({ settings: appSettingsSchema }), response: z.null() },
} as const satisfies Record<IpcChannel, { request: z.ZodType; response: z.ZodType }>;

/** What the renderer sends on a channel. */
export type IpcRequest<C extends IpcChannel> = z.input<(typeof IPC_CONTRACT)[C]['request']>;
/** What a handler receives on a channel, after validation. */
export type IpcValidRequest<C extends IpcChannel> = z.output<(typeof IPC_CONTRACT)[C]['request']>;
/** What a channel answers with. */
export type IpcResponse<C extends IpcChannel> = z.output<(typeof IPC_CONTRACT)[C]['response']>;

export function isIpcChannel(value: unknown): value is IpcChannel {
  return typeof value === 'string' && Object.hasOwn(IPC_CONTRACT, value);
}

// ------------------------------------------------------------------------------------------------
// The preload bridge: `window.latencyLab` (named methods only; each resolves to an IpcResult)

export interface LatencyLabBridge {
  library: {
    list(): Promise<IpcResult<IpcResponse<'library:list'>>>;
    save(report: StoredReport, audio: MeasurementAudioData | null): Promise<IpcResult<IpcResponse<'library:save'>>>;
    open(id: string): Promise<IpcResult<IpcResponse<'library:open'>>>;
    rename(id: string, title: string): Promise<IpcResult<IpcResponse<'library:rename'>>>;
    remove(id: string): Promise<IpcResult<IpcResponse<'library:remove'>>>;
    importReport(): Promise<IpcResult<IpcResponse<'library:import'>>>;
  };
  exportMeasurement(report: StoredReport, audio: MeasurementAudioData | null, format: ExportFormatData): Promise<IpcResult<IpcResponse<'export:measurement'>>>;
  settings: {
    load(): Promise<IpcResult<IpcResponse<'settings:load'>>>;
    save(settings: AppSettingsData): Promise<IpcResult<IpcResponse<'settings:save'>>>;
  };
  /**
   * Subscribes to application menu commands; returns the unsubscribe function. The value is passed
   * on as received: the renderer validates it with menuCommandSchema.
   */
  onMenuCommand(handler: (command: unknown) => void): () => void;
}

/** The global the preload defines. */
export const BRIDGE_GLOBAL = 'latencyLab';
