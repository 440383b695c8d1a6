/**
 * The claims catalogue: every latency figure the two source articles state (shared/claims/seeds/), kept as a
 * *claim by that article* with its verbatim text and provenance, plus the user's own custom profiles.
 * Measurements are checked against a claim's expectation in shared/claims/verdict.ts.
 *
 * The data lives in claims-catalogue.json and is validated with the zod schema below when loaded.
 */
import { z } from 'zod';
import catalogue from './claims-catalogue.json';

/** Which statistic of a latency run a claim is about. `spread` = max − min over the run (for "variance" claims). */
export type ClaimStatistic = 'median' | 'mean' | 'max' | 'min' | 'p95' | 'spread';

/** What a claim says the latency (or its spread) should be, in milliseconds. */
export type ClaimExpectation =
  /** "45–112 ms": measured value between minMs and maxMs (inclusive). */
  | { type: 'range'; minMs: number; maxMs: number; statistic: ClaimStatistic }
  /** "Max Latency 182", "<50 ms", "sub-30ms": measured value at most maxMs (inclusive). */
  | { type: 'up-to'; maxMs: number; statistic: ClaimStatistic }
  /** "the lowest was 38ms": nothing measured is expected to beat minMs. */
  | { type: 'at-least'; minMs: number; statistic: ClaimStatistic }
  /** "averaged 22ms", "~45ms": measured value equal to valueMs within a tolerance. */
  | { type: 'point'; valueMs: number; statistic: ClaimStatistic };

export type ClaimKind = 'connection-method' | 'speaker-model' | 'statement' | 'custom';

export interface ClaimSource {
  /** Seed file name (e.g. "000_6a1f898b8c604652.txt"), or "user" for a custom profile. */
  file: string;
  /** Title of the article (the profile's name for a custom profile). */
  article: string;
  author?: string;
  /** Which table, row and column, or which section and sentence. */
  location: string;
  /** The exact table row or sentence, as it appears in the file. */
  quote: string;
}

export interface Claim {
  /** Stable kebab-case id, e.g. "speaker-jbl-flip-6"; custom profiles are "custom-<slug>". */
  id: string;
  kind: ClaimKind;
  name: string;
  /** Custom profiles only: the user's description. */
  description?: string;
  expectation: ClaimExpectation;
  /** The claim's verbatim text: the table cell or the sentence. */
  claimText: string;
  source: ClaimSource;
  /** The table row's other columns (Echo model support, codecs, pairing success rate…). */
  details?: Record<string, string>;
  /** Contradictions, unverifiable parts, internal inconsistencies, and why this statistic was chosen. */
  notes?: string[];
}

export interface CatalogueSourceArticle {
  file: string;
  title: string;
  author?: string;
  /** One line: what the article claims overall. */
  stance: string;
}

export interface CatalogueContradiction {
  id: string;
  topic: string;
  summary: string;
  statements: { file: string; quote: string }[];
}

/** A figure an article states that no single latency run can check (relative or multi-device figures). */
export interface UncheckedFigure {
  id: string;
  claimText: string;
  source: { file: string; location: string; quote: string };
  reason: string;
}

export interface ClaimsCatalogue {
  catalogueVersion: string;
  description: string;
  sources: CatalogueSourceArticle[];
  contradictions: CatalogueContradiction[];
  uncheckedFigures: UncheckedFigure[];
  claims: Claim[];
}

/** Largest latency a claim or custom profile may state (one minute). */
export const MAX_CLAIM_MS = 60_000;

const KEBAB_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const claimStatisticSchema = z.enum(['median', 'mean', 'max', 'min', 'p95', 'spread']);

const msSchema = z.number().min(0).max(MAX_CLAIM_MS);

export const claimExpectationSchema = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('range'), minMs: msSchema, maxMs: msSchema, statistic: claimStatisticSchema }),
    z.strictObject({ type: z.literal('up-to'), maxMs: msSchema, statistic: claimStatisticSchema }),
    z.strictObject({ type: z.literal('at-least'), minMs: msSchema, statistic: claimStatisticSchema }),
    z.strictObject({ type: z.literal('point'), valueMs: msSchema, statistic: claimStatisticSchema }),
  ])
  .superRefine((e, ctx) => {
    if (e.type === 'range' && e.maxMs < e.minMs) {
      ctx.addIssue({ code: 'custom', path: ['maxMs'], message: `maximum (${e.maxMs} ms) is below minimum (${e.minMs} ms)` });
    }
  });

const claimSourceSchema = z.strictObject({
  file: z.string().min(1),
  article: z.string().min(1),
  author: z.string().min(1).optional(),
  location: z.string().min(1),
  quote: z.string().min(1),
});

export const claimSchema = z.strictObject({
  id: z.string().regex(KEBAB_ID, { error: 'id must be kebab-case (a-z, 0-9, single hyphens)' }),
  kind: z.enum(['connection-method', 'speaker-model', 'statement', 'custom']),
  name: z.string().min(1),
  description: z.string().optional(),
  expectation: claimExpectationSchema,
  claimText: z.string().min(1),
  source: claimSourceSchema,
  details: z.record(z.string(), z.string()).optional(),
  notes: z.array(z.string().min(1)).optional(),
});

export const claimsCatalogueSchema = z
  .strictObject({
    catalogueVersion: z.string().regex(/^\d+\.\d+\.\d+$/, { error: 'catalogueVersion must look like 1.2.3' }),
    description: z.string().min(1),
    sources: z
      .array(
        z.strictObject({
          file: z.string().min(1),
          title: z.string().min(1),
          author: z.string().min(1).optional(),
          stance: z.string().min(1),
        }),
      )
      .min(1),
    contradictions: z.array(
      z.strictObject({
        id: z.string().regex(KEBAB_ID),
        topic: z.string().min(1),
        summary: z.string().min(1),
        statements: z.array(z.strictObject({ file: z.string().min(1), quote: z.string().min(1) })).min(2),
      }),
    ),
    uncheckedFigures: z.array(
      z.strictObject({
        id: z.string().regex(KEBAB_ID),
        claimText: z.string().min(1),
        source: z.strictObject({ file: z.string().min(1), location: z.string().min(1), quote: z.string().min(1) }),
        reason: z.string().min(1),
      }),
    ),
    claims: z.array(claimSchema).min(1),
  })
  .superRefine((data, ctx) => {
    const fail = (path: (string | number)[], message: string): void => {
      ctx.addIssue({ code: 'custom', path, message });
    };
    const sourcesByFile = new Map(data.sources.map((s) => [s.file, s]));
    const seen = new Set<string>();
    data.claims.forEach((claim, i) => {
      if (seen.has(claim.id)) fail(['claims', i, 'id'], `duplicate claim id '${claim.id}'`);
      seen.add(claim.id);
      if (claim.kind === 'custom') fail(['claims', i, 'kind'], `catalogue claim '${claim.id}' cannot be a custom profile`);
      const article = sourcesByFile.get(claim.source.file);
      if (!article) {
        fail(['claims', i, 'source', 'file'], `claim '${claim.id}' cites unknown source file '${claim.source.file}'`);
      } else {
        if (claim.source.article !== article.title) {
          fail(['claims', i, 'source', 'article'], `claim '${claim.id}' names a different article title than sources[] for ${article.file}`);
        }
        if (claim.source.author !== article.author) {
          fail(['claims', i, 'source', 'author'], `claim '${claim.id}' names a different author than sources[] for ${article.file}`);
        }
      }
      if (!claim.source.quote.includes(claim.claimText)) {
        fail(['claims', i, 'claimText'], `claimText of '${claim.id}' does not occur in its quote`);
      }
    });
    const otherIds = [...data.contradictions.map((c) => c.id), ...data.uncheckedFigures.map((u) => u.id)];
    otherIds.forEach((id) => {
      if (seen.has(id)) fail(['contradictions'], `id '${id}' is used twice`);
      seen.add(id);
    });
    const checkFile = (file: string, path: (string | number)[]): void => {
      if (!sourcesByFile.has(file)) fail(path, `unknown source file '${file}'`);
    };
    data.contradictions.forEach((c, i) => c.statements.forEach((s, j) => checkFile(s.file, ['contradictions', i, 'statements', j, 'file'])));
    data.uncheckedFigures.forEach((u, i) => checkFile(u.source.file, ['uncheckedFigures', i, 'source', 'file']));
  });

/** One line per issue: "claims.3.expectation.maxMs: maximum (30 ms) is below minimum (45 ms)". */
function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message));
}

/** Parses `data` as a claims catalogue; throws an Error listing every problem when it is not one. */
export function parseClaimsCatalogue(data: unknown): ClaimsCatalogue {
  const result = claimsCatalogueSchema.safeParse(data);
  if (!result.success) throw new Error(`Invalid claims catalogue:\n${formatIssues(result.error).join('\n')}`);
  return result.data;
}

let loaded: ClaimsCatalogue | undefined;

/** The bundled catalogue (claims-catalogue.json), validated on first use. */
export function loadClaimsCatalogue(): ClaimsCatalogue {
  loaded ??= parseClaimsCatalogue(catalogue);
  return loaded;
}

/** The catalogue claim with this id, or undefined. */
export function findClaim(id: string): Claim | undefined {
  return loadClaimsCatalogue().claims.find((claim) => claim.id === id);
}

/** Catalogue claims of one kind, in catalogue order. */
export function claimsOfKind(kind: Exclude<ClaimKind, 'custom'>): Claim[] {
  return loadClaimsCatalogue().claims.filter((claim) => claim.kind === kind);
}

/** A claimed figure as text: whole numbers without decimals, otherwise rounded to 0.1 ms. */
export function formatClaimMs(ms: number): string {
  const rounded = Math.round(ms * 10) / 10;
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
}

/** The expectation in words: "45–112 ms", "up to 143 ms", "at least 38 ms", "22 ms". */
export function formatExpectation(expectation: ClaimExpectation): string {
  switch (expectation.type) {
    case 'range':
      return `${formatClaimMs(expectation.minMs)}–${formatClaimMs(expectation.maxMs)} ms`;
    case 'up-to':
      return `up to ${formatClaimMs(expectation.maxMs)} ms`;
    case 'at-least':
      return `at least ${formatClaimMs(expectation.minMs)} ms`;
    case 'point':
      return `${formatClaimMs(expectation.valueMs)} ms`;
  }
}

// ---------------------------------------------------------------------------------------------
// Custom profiles: the user's own expectation for a setup, validated with specific messages.
// ---------------------------------------------------------------------------------------------

const NAME_MAX = 80;
const DESCRIPTION_MAX = 500;
const SLUG_MAX = 48;

function customMs(label: 'minimum' | 'maximum') {
  return z
    .number({ error: `${label} must be a finite number of milliseconds` })
    .min(0, { error: (issue) => `${label} must not be negative (got ${String(issue.input)} ms)` })
    .max(MAX_CLAIM_MS, { error: (issue) => `${label} must be at most ${MAX_CLAIM_MS} ms (got ${String(issue.input)} ms)` });
}

const customStatisticSchema = z.enum(claimStatisticSchema.options, {
  error: `statistic must be one of ${claimStatisticSchema.options.join(', ')}`,
});

const customCommon = {
  name: z
    .string({ error: 'name must be text' })
    .trim()
    .min(1, { error: 'name must not be empty' })
    .max(NAME_MAX, { error: (issue) => `name must be at most ${NAME_MAX} characters (got ${String((issue.input as string).length)})` }),
  description: z
    .string({ error: 'description must be text' })
    .trim()
    .max(DESCRIPTION_MAX, {
      error: (issue) => `description must be at most ${DESCRIPTION_MAX} characters (got ${String((issue.input as string).length)})`,
    })
    .optional(),
  statistic: customStatisticSchema.default('median'),
};

/**
 * Input for a custom profile: a name (1–80 characters after trimming), an optional description
 * (≤ 500), and either a range `{ type: 'range', minMs, maxMs }` or `{ type: 'up-to', maxMs }`, in
 * milliseconds (finite, 0 ≤ min ≤ max ≤ 60000), with the statistic it applies to (default median).
 */
export const customClaimSchema = z
  .discriminatedUnion(
    'type',
    [
      z.object({ type: z.literal('range'), ...customCommon, minMs: customMs('minimum'), maxMs: customMs('maximum') }),
      z.object({ type: z.literal('up-to'), ...customCommon, maxMs: customMs('maximum') }),
    ],
    { error: "type must be 'range' or 'up-to'" },
  )
  .superRefine((v, ctx) => {
    if (v.type === 'range' && v.maxMs < v.minMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxMs'],
        message: `maximum (${formatClaimMs(v.maxMs)} ms) is below minimum (${formatClaimMs(v.minMs)} ms)`,
      });
    }
  });

export type CustomClaimInput = z.input<typeof customClaimSchema>;

export type CreateCustomClaimResult = { ok: true; claim: Claim } | { ok: false; errors: string[] };

/** djb2 over UTF-16 code units, base 36: a short stable tag for names with no ASCII letters. */
function shortHash(text: string): string {
  let h = 5381;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 33) + text.charCodeAt(i)) >>> 0;
  return h.toString(36);
}

/** "Living-room Sonos (Wi-Fi)" → "living-room-sonos-wi-fi"; accents are dropped, other scripts hashed. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, SLUG_MAX)
    .replace(/^-+|-+$/g, '');
  return slug.length > 0 ? slug : `profile-${shortHash(name)}`;
}

/** Validates a user's profile and turns it into a claim of kind 'custom' with id `custom-<slug>`. */
export function createCustomClaim(input: unknown): CreateCustomClaimResult {
  const parsed = customClaimSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((issue) => issue.message) };
  const v = parsed.data;
  const expectation: ClaimExpectation =
    v.type === 'range'
      ? { type: 'range', minMs: v.minMs, maxMs: v.maxMs, statistic: v.statistic }
      : { type: 'up-to', maxMs: v.maxMs, statistic: v.statistic };
  const claimText = formatExpectation(expectation);
  const description = v.description !== undefined && v.description.length > 0 ? v.description : undefined;
  const claim: Claim = {
    id: `custom-${slugify(v.name)}`,
    kind: 'custom',
    name: v.name,
    ...(description !== undefined ? { description } : {}),
    expectation,
    claimText,
    source: {
      file: 'user',
      article: v.name,
      location: 'custom profile',
      quote: description ?? `${v.name}: ${claimText} (${v.statistic})`,
    },
  };
  return { ok: true, claim: claimSchema.parse(claim) };
}
