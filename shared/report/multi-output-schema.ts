/**
 * The JSON that `latency-lab analyze` prints for several outputs in one run
 * (shared/analysis/multi-output.ts) and for one signal on several speakers
 * (shared/analysis/multi-speaker.ts): each its own shape, apart from the one-output AnalysisOutput.
 * The compile-time checks at the end keep each schema exactly equal to its type.
 */
import { z } from 'zod';
import { REFUSAL_CODES, WARNING_CODES } from '../analysis/analysis-refusal';
import type { MultiOutputAnalysis } from '../analysis/multi-output';
import type { MultiSpeakerResult } from '../analysis/multi-speaker';
import { driftSchema, latencySchema } from './latency-schema';
import { finite, nullableFinite } from './schema-primitives';

const multiOutputWarningSchema = z.object({
  code: z.enum([...WARNING_CODES, 'OUTPUTS_OVERLAP', 'OUTPUT_REFUSED', 'OUT_OF_SYNC']),
  message: z.string().max(2000),
});

const outputResultSchema = z.object({
  channel: z.number().int().min(1),
  status: z.enum(['ok', 'refused']),
  error: z.object({ code: z.enum(REFUSAL_CODES), message: z.string().max(2000), advice: z.string().max(2000) }).optional(),
  latency: latencySchema.optional(),
  drift: driftSchema.nullable().optional(),
  levelDb: nullableFinite.optional(),
  offsetFromFirstMs: nullableFinite.optional(),
  confidence: z.number().min(0).max(1).optional(),
  overlappingEvents: z.number().int().min(0).optional(),
  warnings: z.array(multiOutputWarningSchema).max(200),
});

const syncSchema = z.object({
  toleranceMs: finite,
  firstChannel: z.number().int().min(1),
  pairs: z.array(z.object({
    channel: z.number().int().min(1),
    offsetStartMs: finite,
    offsetEndMs: finite,
    relativeDriftPpm: nullableFinite,
    relativeDriftMsPerMinute: nullableFinite,
  })).max(8),
  spreadStartMs: finite,
  spreadEndMs: finite,
  maxSpreadMs: finite,
  withinTolerance: z.boolean(),
  exceedsToleranceAtS: nullableFinite,
  runS: finite,
});

export const multiOutputSchema = z.object({
  status: z.enum(['ok', 'refused']),
  outputs: z.array(outputResultSchema).max(8),
  sync: syncSchema.nullable(),
  warnings: z.array(multiOutputWarningSchema).max(200),
});

export const speakerArrivalSchema = z.object({
  latencyMs: finite,
  levelDb: finite,
  driftPpm: finite,
  driftPpmStdError: nullableFinite,
  events: z.number().int().min(0),
  dropouts: z.number().int().min(0),
});

export const multiSpeakerSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ok'), speakers: z.array(speakerArrivalSchema).max(8), syncSpreadMs: finite, warnings: z.array(z.object({ code: z.string().max(100), message: z.string().max(2000) })).max(50) }),
  z.object({
    status: z.literal('refused'),
    reason: z.enum(['NOT_CLICKS', 'TOO_FEW_EVENTS', 'TOO_WEAK_OR_TOO_CLOSE', 'TOO_CLOSE', 'SAME_CLOCK', 'JUMP_OR_TAKEOVER']),
    message: z.string().max(2000),
    found: z.array(speakerArrivalSchema).max(8),
  }),
]);

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const outputsMatch: Equal<z.infer<typeof multiOutputSchema>, MultiOutputAnalysis> | 'schema differs from MultiOutputAnalysis' = true;
const speakersMatch: Equal<z.infer<typeof multiSpeakerSchema>, MultiSpeakerResult> | 'schema differs from MultiSpeakerResult' = true;
void outputsMatch;
void speakersMatch;
