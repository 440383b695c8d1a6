import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import rawCatalogue from './claims-catalogue.json';
import {
  type Claim,
  claimsCatalogueSchema,
  claimsOfKind,
  createCustomClaim,
  findClaim,
  formatExpectation,
  loadClaimsCatalogue,
  parseClaimsCatalogue,
  slugify,
} from './claims-catalogue';

/** Seed text by file name, from the verbatim copies committed in shared/claims/seeds/. */
const seeds = new Map(
  (['000_6a1f898b8c604652.txt', '002_f3d4c556ca5cd35a.txt', 'README.md'] as const).map((file) => [
    file as string,
    readFileSync(new URL(`./seeds/${file}`, import.meta.url), 'utf8'),
  ]),
);

function seed(file: string): string {
  const text = seeds.get(file);
  if (text === undefined) throw new Error(`no seed file ${file}`);
  return text;
}

const catalogue = loadClaimsCatalogue();

describe('claims-catalogue.json', () => {
  it('parses with the schema', () => {
    expect(claimsCatalogueSchema.safeParse(rawCatalogue).success).toBe(true);
    expect(catalogue.catalogueVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(catalogue.sources.map((s) => s.file)).toEqual(['000_6a1f898b8c604652.txt', '002_f3d4c556ca5cd35a.txt']);
    expect(loadClaimsCatalogue()).toBe(catalogue);
  });

  it('holds exactly the 4 connection methods of the 000 table, with their ranges', () => {
    const methods = claimsOfKind('connection-method').map((c) => [c.name, c.expectation]);
    expect(methods).toEqual([
      ['Alexa App Bluetooth Pairing (Receiver Mode)', { type: 'range', minMs: 45, maxMs: 112, statistic: 'median' }],
      ['Developer Mode Bluetooth Transmit', { type: 'range', minMs: 28, maxMs: 34, statistic: 'median' }],
      ['3.5mm Aux + Bluetooth Transmitter', { type: 'range', minMs: 38, maxMs: 76, statistic: 'median' }],
      ['Matter-over-Thread Streaming', { type: 'range', minMs: 18, maxMs: 24, statistic: 'median' }],
    ]);
    for (const claim of claimsOfKind('connection-method')) {
      expect(claim.source.file).toBe('000_6a1f898b8c604652.txt');
      expect(Object.keys(claim.details ?? {}).sort()).toEqual(['audioQualityLimitation', 'echoModelSupport', 'multiRoomCompatible', 'setupDifficulty']);
    }
  });

  it('holds exactly the 5 speaker models of the 002 table, with their max latencies', () => {
    const speakers = claimsOfKind('speaker-model').map((c) => [c.name, c.expectation]);
    expect(speakers).toEqual([
      ['Anker Soundcore Motion+ (v2)', { type: 'up-to', maxMs: 182, statistic: 'max' }],
      ['JBL Flip 6', { type: 'up-to', maxMs: 156, statistic: 'max' }],
      ['Bose SoundLink Flex', { type: 'up-to', maxMs: 143, statistic: 'max' }],
      ['Sonos Roam SL', { type: 'up-to', maxMs: 210, statistic: 'max' }],
      ['B&O Beosound A9 (Gen 5)', { type: 'up-to', maxMs: 290, statistic: 'max' }],
    ]);
    for (const claim of claimsOfKind('speaker-model')) {
      expect(claim.source.file).toBe('002_f3d4c556ca5cd35a.txt');
      expect(claim.claimText).toBe(String(claim.expectation.type === 'up-to' ? claim.expectation.maxMs : NaN));
      expect(Object.keys(claim.details ?? {}).sort()).toEqual(['pairingSuccessRate', 'recommendedUseCase', 'supportedCodecs']);
    }
  });

  it('holds the other checkable figures with the expected expectations', () => {
    const expected: Record<string, Claim['expectation']> = {
      'statement-thx-lip-sync-under-50': { type: 'up-to', maxMs: 50, statistic: 'p95' },
      'statement-switch-above-50': { type: 'up-to', maxMs: 50, statistic: 'median' },
      'statement-multi-room-bluetooth-variance': { type: 'range', minMs: 120, maxMs: 200, statistic: 'spread' },
      'statement-dual-link-divergence-12': { type: 'up-to', maxMs: 12, statistic: 'spread' },
      'statement-matter-average': { type: 'point', valueMs: 22, statistic: 'mean' },
      'statement-aux-lowest-38': { type: 'at-least', minMs: 38, statistic: 'median' },
      'statement-aux-highest-112': { type: 'up-to', maxMs: 112, statistic: 'median' },
      'statement-receiver-method-adds-45': { type: 'point', valueMs: 45, statistic: 'median' },
      'statement-developer-mode-sub-30': { type: 'up-to', maxMs: 30, statistic: 'median' },
    };
    expect(claimsOfKind('statement').map((c) => c.id).sort()).toEqual(Object.keys(expected).sort());
    for (const [id, expectation] of Object.entries(expected)) expect(findClaim(id)?.expectation).toEqual(expectation);
  });

  it('has unique kebab-case ids across claims, contradictions and unchecked figures', () => {
    const ids = [
      ...catalogue.claims.map((c) => c.id),
      ...catalogue.contradictions.map((c) => c.id),
      ...catalogue.uncheckedFigures.map((u) => u.id),
    ];
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    expect(catalogue.claims.length).toBe(18);
  });

  it('keeps notes on every claim, and names the chosen statistic in them', () => {
    for (const claim of catalogue.claims) {
      expect(claim.notes?.length ?? 0, claim.id).toBeGreaterThan(0);
      expect(claim.notes?.join(' '), claim.id).toContain(`Statistic '${claim.expectation.statistic}'`);
    }
  });

  it('finds claims by id', () => {
    expect(findClaim('speaker-jbl-flip-6')?.name).toBe('JBL Flip 6');
    expect(findClaim('method-alexa-app-bluetooth-receiver')?.kind).toBe('connection-method');
    expect(findClaim('no-such-claim')).toBeUndefined();
  });

  it('formats expectations', () => {
    expect(formatExpectation({ type: 'range', minMs: 45, maxMs: 112, statistic: 'median' })).toBe('45–112 ms');
    expect(formatExpectation({ type: 'up-to', maxMs: 143, statistic: 'max' })).toBe('up to 143 ms');
    expect(formatExpectation({ type: 'at-least', minMs: 38, statistic: 'median' })).toBe('at least 38 ms');
    expect(formatExpectation({ type: 'point', valueMs: 22.25, statistic: 'mean' })).toBe('22.3 ms');
  });
});

describe('provenance against the seed articles (copies in shared/claims/seeds/)', () => {
  it('every source title and author occurs in its article', () => {
    for (const source of catalogue.sources) {
      const text = seed(source.file);
      expect(text.includes(source.title), source.file).toBe(true);
      if (source.author !== undefined) expect(text.includes(`By ${source.author}`), source.file).toBe(true);
    }
  });

  it('every claim quote occurs verbatim in its seed file, and contains its claimText', () => {
    for (const claim of catalogue.claims) {
      expect(seed(claim.source.file).includes(claim.source.quote), `${claim.id}: quote not found`).toBe(true);
      expect(claim.source.quote.includes(claim.claimText), `${claim.id}: claimText not in quote`).toBe(true);
    }
  });

  it('table rows are whole lines of the seed file and hold every detail cell', () => {
    for (const claim of [...claimsOfKind('connection-method'), ...claimsOfKind('speaker-model')]) {
      const lines = seed(claim.source.file).split('\n');
      expect(lines, claim.id).toContain(claim.source.quote);
      expect(claim.source.quote.startsWith(claim.kind === 'speaker-model' ? `| ${claim.name} |` : claim.name), claim.id).toBe(true);
      for (const cell of Object.values(claim.details ?? {})) expect(claim.source.quote, claim.id).toContain(cell);
    }
  });

  it('the table ranges read from the seeds match the catalogue', () => {
    // Re-derive the numbers from the article text, independently of the hard-coded expectations above.
    for (const claim of claimsOfKind('connection-method')) {
      const match = /(\d+)–(\d+) ms/.exec(claim.source.quote);
      expect(match, claim.id).not.toBeNull();
      expect(claim.expectation).toMatchObject({ minMs: Number(match?.[1]), maxMs: Number(match?.[2]) });
    }
    for (const claim of claimsOfKind('speaker-model')) {
      const cells = claim.source.quote.split('|').map((cell) => cell.trim());
      expect(claim.expectation).toMatchObject({ maxMs: Number(cells[2]) });
    }
  });

  it('contradiction and unchecked-figure quotes occur verbatim', () => {
    for (const contradiction of catalogue.contradictions) {
      expect(new Set(contradiction.statements.map((s) => s.file)).size, contradiction.id).toBeGreaterThan(1);
      for (const s of contradiction.statements) expect(seed(s.file).includes(s.quote), `${contradiction.id}: ${s.quote}`).toBe(true);
    }
    for (const figure of catalogue.uncheckedFigures) {
      expect(seed(figure.source.file).includes(figure.source.quote), figure.id).toBe(true);
      expect(figure.source.quote.includes(figure.claimText), figure.id).toBe(true);
    }
  });

  it('records the Bluetooth-role contradiction between the two articles', () => {
    const role = catalogue.contradictions.find((c) => c.id === 'echo-bluetooth-role');
    expect(role?.statements.map((s) => s.file)).toEqual(expect.arrayContaining(['000_6a1f898b8c604652.txt', '002_f3d4c556ca5cd35a.txt']));
  });
});

describe('claimsCatalogueSchema rejects inconsistent data', () => {
  const clone = (): typeof rawCatalogue => JSON.parse(JSON.stringify(rawCatalogue)) as typeof rawCatalogue;

  it('duplicate ids', () => {
    const data = clone();
    data.claims[1]!.id = data.claims[0]!.id;
    expect(() => parseClaimsCatalogue(data)).toThrow(/duplicate claim id 'method-alexa-app-bluetooth-receiver'/);
  });

  it('a range with max below min', () => {
    const data = clone();
    Object.assign(data.claims[0]!.expectation, { minMs: 120, maxMs: 45 });
    expect(() => parseClaimsCatalogue(data)).toThrow('claims.0.expectation.maxMs: maximum (45 ms) is below minimum (120 ms)');
  });

  it('unknown source files, mismatched titles and claimText outside the quote', () => {
    const data = clone();
    data.claims[0]!.source.file = '999.txt';
    data.claims[5]!.source.article = 'Another title';
    data.claims[6]!.claimText = 'not in the quote';
    const result = claimsCatalogueSchema.safeParse(data);
    expect(result.success).toBe(false);
    const messages = result.error?.issues.map((i) => i.message) ?? [];
    expect(messages).toContain("claim 'method-alexa-app-bluetooth-receiver' cites unknown source file '999.txt'");
    expect(messages.some((m) => m.includes('different article title'))).toBe(true);
    expect(messages.some((m) => m.includes('does not occur in its quote'))).toBe(true);
  });

  it('custom kinds, unknown statistics and non-kebab ids', () => {
    const data = clone();
    (data.claims[0] as { kind: string }).kind = 'custom';
    (data.claims[1]!.expectation as { statistic: string }).statistic = 'average';
    data.claims[2]!.id = 'Not Kebab';
    const paths = claimsCatalogueSchema.safeParse(data).error?.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['claims.1.expectation.statistic', 'claims.2.id']));
    const data2 = clone();
    (data2.claims[0] as { kind: string }).kind = 'custom';
    expect(() => parseClaimsCatalogue(data2)).toThrow(/cannot be a custom profile/);
  });
});

describe('createCustomClaim', () => {
  it('creates a range profile', () => {
    const result = createCustomClaim({
      type: 'range',
      name: '  Living-room Sonos (Wi-Fi)  ',
      description: ' Measured by the installer in 2024. ',
      minMs: 45,
      maxMs: 112.5,
      statistic: 'p95',
    });
    expect(result).toEqual({
      ok: true,
      claim: {
        id: 'custom-living-room-sonos-wi-fi',
        kind: 'custom',
        name: 'Living-room Sonos (Wi-Fi)',
        description: 'Measured by the installer in 2024.',
        expectation: { type: 'range', minMs: 45, maxMs: 112.5, statistic: 'p95' },
        claimText: '45–112.5 ms',
        source: {
          file: 'user',
          article: 'Living-room Sonos (Wi-Fi)',
          location: 'custom profile',
          quote: 'Measured by the installer in 2024.',
        },
      },
    });
  });

  it('creates an up-to profile, defaulting the statistic to median', () => {
    const result = createCustomClaim({ type: 'up-to', name: 'Kitchen', maxMs: 80 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.claim.id).toBe('custom-kitchen');
    expect(result.claim.expectation).toEqual({ type: 'up-to', maxMs: 80, statistic: 'median' });
    expect(result.claim.claimText).toBe('up to 80 ms');
    expect(result.claim.source).toEqual({ file: 'user', article: 'Kitchen', location: 'custom profile', quote: 'Kitchen: up to 80 ms (median)' });
    expect(result.claim.description).toBeUndefined();
  });

  it('accepts the boundary values 0, equal min and max, and 60000, and names of 1 and 80 characters', () => {
    expect(createCustomClaim({ type: 'range', name: 'x', minMs: 0, maxMs: 0 }).ok).toBe(true);
    expect(createCustomClaim({ type: 'range', name: 'x', minMs: 60000, maxMs: 60000 }).ok).toBe(true);
    expect(createCustomClaim({ type: 'up-to', name: 'n'.repeat(80), maxMs: 60000, description: 'd'.repeat(500) }).ok).toBe(true);
  });

  const errorsOf = (input: unknown): string[] => {
    const result = createCustomClaim(input);
    expect(result.ok).toBe(false);
    return result.ok ? [] : result.errors;
  };

  it('says which bound is wrong when max is below min', () => {
    expect(errorsOf({ type: 'range', name: 'Bad', minMs: 45, maxMs: 30 })).toEqual(['maximum (30 ms) is below minimum (45 ms)']);
    expect(errorsOf({ type: 'range', name: 'Bad', minMs: 45.25, maxMs: 30.5 })).toEqual(['maximum (30.5 ms) is below minimum (45.3 ms)']);
  });

  it('rejects empty, blank and over-long names, and over-long descriptions', () => {
    expect(errorsOf({ type: 'up-to', name: '', maxMs: 10 })).toEqual(['name must not be empty']);
    expect(errorsOf({ type: 'up-to', name: '   ', maxMs: 10 })).toEqual(['name must not be empty']);
    expect(errorsOf({ type: 'up-to', name: 'n'.repeat(81), maxMs: 10 })).toEqual(['name must be at most 80 characters (got 81)']);
    expect(errorsOf({ type: 'up-to', name: 42, maxMs: 10 })).toEqual(['name must be text']);
    expect(errorsOf({ type: 'up-to', name: 'ok', maxMs: 10, description: 'd'.repeat(501) })).toEqual([
      'description must be at most 500 characters (got 501)',
    ]);
  });

  it('rejects negative, too large and non-finite milliseconds', () => {
    expect(errorsOf({ type: 'range', name: 'a', minMs: -1, maxMs: 10 })).toEqual(['minimum must not be negative (got -1 ms)']);
    expect(errorsOf({ type: 'up-to', name: 'a', maxMs: 60001 })).toEqual(['maximum must be at most 60000 ms (got 60001 ms)']);
    expect(errorsOf({ type: 'up-to', name: 'a', maxMs: Number.POSITIVE_INFINITY })).toEqual(['maximum must be a finite number of milliseconds']);
    expect(errorsOf({ type: 'up-to', name: 'a', maxMs: Number.NaN })).toEqual(['maximum must be a finite number of milliseconds']);
    expect(errorsOf({ type: 'up-to', name: 'a', maxMs: '50' })).toEqual(['maximum must be a finite number of milliseconds']);
    expect(errorsOf({ type: 'range', name: 'a', maxMs: 50 })).toEqual(['minimum must be a finite number of milliseconds']);
  });

  it('rejects unknown types and statistics, and reports several problems at once', () => {
    expect(errorsOf({ type: 'between', name: 'a', maxMs: 50 })).toEqual(["type must be 'range' or 'up-to'"]);
    expect(errorsOf({ name: 'a', maxMs: 50 })).toEqual(["type must be 'range' or 'up-to'"]);
    expect(errorsOf({ type: 'up-to', name: 'a', maxMs: 50, statistic: 'average' })).toEqual([
      'statistic must be one of median, mean, max, min, p95, spread',
    ]);
    expect(errorsOf({ type: 'range', name: '', minMs: -5, maxMs: 70000 })).toEqual([
      'name must not be empty',
      'minimum must not be negative (got -5 ms)',
      'maximum must be at most 60000 ms (got 70000 ms)',
    ]);
    expect(errorsOf(null)).toHaveLength(1);
    expect(errorsOf('up to 50 ms')).toHaveLength(1);
  });

  it('slugs names to stable kebab-case ids', () => {
    expect(slugify('Café Bose — “Studio” #2')).toBe('cafe-bose-studio-2');
    expect(slugify('x'.repeat(100))).toHaveLength(48);
    expect(slugify('ab-'.repeat(30))).not.toMatch(/-$/);
    const cjk = slugify('客厅音箱');
    expect(cjk).toMatch(/^profile-[a-z0-9]+$/);
    expect(slugify('客厅音箱')).toBe(cjk);
    expect(slugify('卧室音箱')).not.toBe(cjk);
    const result = createCustomClaim({ type: 'up-to', name: '客厅音箱', maxMs: 100 });
    expect(result.ok && result.claim.id).toBe(`custom-${cjk}`);
  });
});
