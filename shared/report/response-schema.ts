/** The frequency-response part of the analysis output in a report (see response-output.ts). */
import { z } from 'zod';
import { SMOOTHING_FRACTIONS } from '../analysis/frequency-response';
import { finite, nullableFinite } from './schema-primitives';

export const smoothingSchema = z.literal(SMOOTHING_FRACTIONS);

const pointSchema = z.object({ hz: z.number().positive(), db: finite, phaseDeg: finite, coherence: z.number().min(0).max(1) });
const bandSchema = z.object({ hz: z.number().positive(), bins: z.number().int().min(1), gxx: finite, gyy: finite, gxyRe: finite, gxyIm: finite });

export const frequencyResponseSchema = z.object({
  smoothing: smoothingSchema,
  fftSize: z.number().int().positive(),
  averages: z.number().int().min(1),
  referenceLevelDb: nullableFinite,
  medianCoherence: z.number().min(0).max(1).nullable(),
  micCalibration: z.object({ applied: z.literal(true), sensitivityDb: nullableFinite, serial: z.string().nullable() }).nullable(),
  points: z.array(pointSchema).max(5000),
  bands: z.array(bandSchema).max(5000),
});
