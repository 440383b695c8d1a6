import { describe, expect, it } from 'vitest';
import { findClaim, loadClaimsCatalogue } from '../claims/claims-catalogue';
import type { AnalysisOk } from '../claims/judge';
import { minimalAnalysis } from './analysis-test-support';
import { BASELINE_CAVEAT_NOTE, baselineCaveatsOf, missingResponseReason, quotedTableRow } from './labels';

describe('quotedTableRow', () => {
  it('splits a row whose cells the article runs together, each under its column', () => {
    const row = quotedTableRow(findClaim('method-alexa-app-bluetooth-receiver')!);
    expect(row).not.toBeNull();
    expect(row?.cells).toEqual([
      'Alexa App Bluetooth Pairing (Receiver Mode)',
      'All Echo models (2017–2024)',
      '45–112 ms',
      'SBC-only (unless source device forces AAC/aptX)',
      'No — Echo becomes standalone output',
      '★☆☆☆☆ (Easy)',
    ]);
    expect(row?.headers[0]).toBe('Connection method');
    expect(row?.headers[2]).toBe('Max Latency');
    expect(row?.headers[1]).toBe('Echo model support');
    expect(row?.claimColumn).toBe(2);
  });

  it('splits a Markdown row', () => {
    const row = quotedTableRow(findClaim('speaker-jbl-flip-6')!);
    expect(row?.cells).toEqual(['JBL Flip 6', '156', 'SBC, AAC', '98.7%', 'Outdoor/patio listening']);
    expect(row?.headers).toEqual(['Speaker', 'Max Latency (ms)', 'Supported codecs', 'Pairing success rate', 'Recommended use case']);
    expect(row?.claimColumn).toBe(1);
  });

  it('every table claim of the catalogue is a row; a sentence is not', () => {
    for (const claim of loadClaimsCatalogue().claims) {
      const row = quotedTableRow(claim);
      if (claim.kind === 'statement') expect(row, claim.id).toBeNull();
      else {
        expect(row, claim.id).not.toBeNull();
        expect(row?.cells.join(''), claim.id).toBe(claim.source.quote.replace(/\s*\|\s*/g, ''));
      }
    }
  });

  it('a quote the known cells do not tile exactly is not turned into a table', () => {
    const claim = findClaim('method-alexa-app-bluetooth-receiver')!;
    expect(quotedTableRow({ ...claim, source: { ...claim.source, quote: `${claim.source.quote} extra` } })).toBeNull();
  });
});

it('baseline caveats are read back from the notes', () => {
  expect(baselineCaveatsOf(`first\n${BASELINE_CAVEAT_NOTE}It was measured in another audio session.\nlast`)).toEqual(['It was measured in another audio session.']);
  expect(baselineCaveatsOf('')).toEqual([]);
});

describe('missingResponseReason', () => {
  /** A minimal noise result without a response; `warnings` as given. */
  const result = (warnings: AnalysisOk['warnings']): AnalysisOk => minimalAnalysis({ warnings });
  const noBand = 'No frequency response: the capture holds no part of the stimulus\' band.';

  it('quotes the NO_FREQUENCY_RESPONSE warning, or in a report saved before that code, the LOW_COHERENCE one that starts "No frequency response: "', () => {
    expect(missingResponseReason(result([{ code: 'NO_FREQUENCY_RESPONSE', message: noBand }]))).toBe('the capture holds no part of the stimulus\' band');
    expect(missingResponseReason(result([{ code: 'LOW_COHERENCE', message: noBand }]))).toBe('the capture holds no part of the stimulus\' band');
  });

  it('never quotes another warning as the reason, a LOW_COHERENCE about a measured response included', () => {
    const coherence = { code: 'LOW_COHERENCE' as const, message: 'Median response quality (coherence) over 100 Hz–10 kHz is 0.42: the response is noisy.' };
    expect(missingResponseReason(result([coherence]))).toBe('the stimulus was too short for one');
    expect(missingResponseReason(result([coherence, { code: 'NO_FREQUENCY_RESPONSE', message: noBand }]))).toBe('the capture holds no part of the stimulus\' band');
  });
});
