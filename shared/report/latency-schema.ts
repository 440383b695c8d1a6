/** The latency part of the analysis output in a report (see analyze-capture.ts for what each field means). */
import { z } from 'zod';
import { WARNING_CODES } from '../analysis/analysis-refusal';
import { finite, nullableFinite } from './schema-primitives';

const ms = finite;

export const warningSchema = z.object({
  code: z.enum(WARNING_CODES),
  message: z.string().max(2000),
});

const statsSchema = z.object({
  medianMs: ms, meanMs: ms, stdMs: ms, minMs: ms, maxMs: ms, p95Ms: ms,
  medianCi95Ms: z.tuple([ms, ms]).nullable(),
  count: z.number().int().min(1),
});

const eventSchema = z.object({
  timeS: finite,
  latencyMs: nullableFinite,
  confidence: z.number().min(0).max(1),
  status: z.enum(['ok', 'low-confidence', 'dropout', 'not-captured']),
  peakToNoiseDb: nullableFinite,
});

const segmentSchema = z.object({ fromS: finite, toS: finite, medianMs: ms, count: z.number().int().min(1) });

export const latencySchema = statsSchema.extend({
  // Optional so that reports written before them still load; every new analysis fills them.
  steadyState: z.object({ medianMs: ms, fromS: finite, count: z.number().int().min(1) }).optional(),
  startup: z.object({ untilS: finite, medianMs: ms, maxMs: ms }).nullable().optional(),
  segments: z.array(segmentSchema).max(200000).optional(),
  modes: z.array(z.object({ medianMs: ms, share: z.number().min(0).max(1), count: z.number().int().min(1) })).max(100).optional(),
  eventsTotal: z.number().int().min(0),
  dropouts: z.number().int().min(0),
  lowConfidence: z.number().int().min(0),
  notCaptured: z.number().int().min(0),
  events: z.array(eventSchema).max(200000),
});

export const addedLatencySchema = statsSchema.extend({ baselineMs: ms });

export const driftSchema = z.object({ ppm: finite, ppmStdError: nullableFinite, jitterMs: nullableFinite });
