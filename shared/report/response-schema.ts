/** The frequency-response part of the analysis output in a report (see response-output.ts). */
import { z } from 'zod';
import { SMOOTHING_FRACTIONS } from '../analysis/frequency-response';
import { finite, nullableFinite } from './schema-primitives';

export const smoothingSchema = z.literal(SMOOTHING_FRACTIONS);

const pointSchema = z.object({
  hz: z.number().positive(),
  db: finite,
  phaseDeg: finite,
  coherence: z.number().min(0).max(1),
  lowQuality: z.boolean().optional(),
});
const bandSchema = z.object({ hz: z.number().positive(), bins: z.number().int().min(1), gxx: finite, gyy: finite, gxyRe: finite, gxyIm: finite });

/** The impulse response: float32 samples in base64, at most 131072 (IR_STORED_MAX), so about 700 kB. */
/**
 * 'click-averaging' (click trains' response) and its two fields came without a schemaVersion bump:
 * every report of versions 1–4 still validates and means what it did (click reports of those
 * versions have no `frequencyResponse`, so none holds the field this widens), and no migration
 * step has anything to change. A bump would also stop older builds opening every new report,
 * noise and sweep ones included, to spare them only the click ones they cannot read.
 */
export const RESPONSE_METHODS = ['sweep-deconvolution', 'periodic-noise', 'noise-deconvolution', 'click-averaging'] as const;

const impulseSchema = z.object({
  method: z.enum(RESPONSE_METHODS),
  sampleRate: z.number().positive(),
  periodsAveraged: z.number().int().min(1).nullable(),
  eventsAveraged: z.number().int().min(1).nullable().optional(),
  shortestSpacingMs: z.number().positive().nullable().optional(),
  startMs: finite,
  samplesBase64: z.string().max(4 * Math.ceil((131072 * 4) / 3)).regex(/^[A-Za-z0-9+/]*={0,2}$/),
  length: z.number().int().min(0).max(131072),
  peakIndex: z.number().int().min(0),
  etc: z.object({ startMs: finite, stepMs: z.number().positive(), db: z.array(finite).max(20000) }),
  step: z.object({ startMs: finite, stepMs: z.number().positive(), values: z.array(finite).max(20000) }),
  noiseFloorDb: finite,
  lowHz: z.number().positive(),
  highHz: z.number().positive(),
});

const fdwPointSchema = z.object({ hz: z.number().positive(), db: finite, phaseDeg: finite });

const windowsSchema = z.object({
  shown: z.literal('room'),
  room: z.object({ startMs: finite, endMs: finite }),
  speaker: z
    .object({
      startMs: finite,
      endMs: finite,
      firstReflectionMs: nullableFinite,
      lowestValidHz: z.number().positive(),
      points: z.array(pointSchema).max(5000),
      bands: z.array(bandSchema).max(5000),
    })
    .nullable(),
  frequencyDependent: z.object({ cycles: z.number().positive(), points: z.array(fdwPointSchema).max(5000) }),
});

const distortionPointSchema = z.object({ hz: z.number().positive(), h2Db: nullableFinite, h3Db: nullableFinite, thdPercent: z.number().min(0) });
const decayBandSchema = z.object({ hz: z.number().positive(), edtS: nullableFinite, t20S: nullableFinite, t30S: nullableFinite, dynamicRangeDb: finite });

export const frequencyResponseSchema = z.object({
  smoothing: smoothingSchema,
  fftSize: z.number().int().positive(),
  averages: z.number().int().min(1),
  referenceLevelDb: nullableFinite,
  medianCoherence: z.number().min(0).max(1).nullable(),
  micCalibration: z.object({ applied: z.literal(true), sensitivityDb: nullableFinite, serial: z.string().nullable() }).nullable(),
  points: z.array(pointSchema).max(5000),
  bands: z.array(bandSchema).max(5000),
  impulse: impulseSchema.nullable().optional(),
  windows: windowsSchema.nullable().optional(),
  distortion: z.array(distortionPointSchema).max(5000).nullable().optional(),
  decay: z.array(decayBandSchema).max(20).nullable().optional(),
});
