/**
 * Published lip-sync (audio/video timing) tolerances, as limits on how far audio may lead or lag
 * the picture.
 *
 * Sign conventions:
 * - The documents write the offset as "sound relative to vision" with "+" meaning sound AHEAD of
 *   the picture (audio leads): ITU-R BT.1359-1 gives detectability as +45 ms / −125 ms and
 *   acceptability as +90 ms / −185 ms; EBU R37 gives +40 ms / −60 ms. ATSC IS-191 states its
 *   window in words (sound should never lead the picture by more than 15 ms nor lag it by more
 *   than 45 ms), i.e. +15 ms / −45 ms in the same convention.
 * - Latency Lab uses the opposite sign: A/V offset = audio latency − display video latency, so a
 *   POSITIVE offset means the audio LAGS the picture (arrives late), which is what a slow speaker
 *   chain produces. To avoid sign confusion the limits below are stored as two non-negative
 *   magnitudes, `maxLeadMs` and `maxLagMs`, and never as signed numbers.
 *
 * The windows are asymmetric because sound naturally arrives after light (about 3 ms per metre),
 * so viewers tolerate audio lag far better than audio lead.
 */

export interface LipSyncStandardReference {
  /** Document title, including its number. */
  title: string;
  /** Publisher. */
  publisher: string;
  year: number;
}

export interface LipSyncStandard {
  id: string;
  name: string;
  /** One line: what the limit means. */
  description: string;
  /** Largest tolerated audio LEAD (audio before picture), in ms, as a non-negative magnitude. */
  maxLeadMs: number;
  /** Largest tolerated audio LAG (audio after picture), in ms, as a non-negative magnitude. */
  maxLagMs: number;
  reference: LipSyncStandardReference;
}

const BT1359: LipSyncStandardReference = {
  title: 'Recommendation ITU-R BT.1359-1: Relative timing of sound and vision for broadcasting',
  publisher: 'International Telecommunication Union, Radiocommunication Sector (ITU-R)',
  year: 1998,
};

/** The standards, in the order the app lists them. Frozen: treat as read-only reference data. */
export const LIP_SYNC_STANDARDS: readonly LipSyncStandard[] = Object.freeze([
  {
    id: 'itu-r-bt1359-detectability',
    name: 'ITU-R BT.1359-1 (detectability)',
    description: 'Threshold at which viewers begin to detect the audio/video offset (BT.1359 writes +45 ms / −125 ms).',
    maxLeadMs: 45,
    maxLagMs: 125,
    reference: BT1359,
  },
  {
    id: 'itu-r-bt1359-acceptability',
    name: 'ITU-R BT.1359-1 (acceptability)',
    description: 'Threshold beyond which viewers find the audio/video offset unacceptable (BT.1359 writes +90 ms / −185 ms).',
    maxLeadMs: 90,
    maxLagMs: 185,
    reference: BT1359,
  },
  {
    id: 'ebu-r37',
    name: 'EBU R37',
    description: 'End-to-end tolerance for the relative timing of sound and vision at the output feeding transmitters (R37 writes +40 ms / −60 ms).',
    maxLeadMs: 40,
    maxLagMs: 60,
    reference: {
      title: 'EBU Technical Recommendation R37-2007: The relative timing of the sound and vision components of a television signal',
      publisher: 'European Broadcasting Union (EBU)',
      year: 2007,
    },
  },
  {
    id: 'atsc-is-191',
    name: 'ATSC IS-191',
    description: 'Broadcast-operations tolerance: sound should never lead the picture by more than 15 ms nor lag it by more than 45 ms.',
    maxLeadMs: 15,
    maxLagMs: 45,
    reference: {
      title: 'ATSC Implementation Subcommittee Finding IS-191: Relative Timing of Sound and Vision for Broadcast Operations',
      publisher: 'Advanced Television Systems Committee (ATSC)',
      year: 2003,
    },
  },
].map((standard) => Object.freeze({ ...standard, reference: Object.freeze({ ...standard.reference }) })));

/** The standard with this id, or undefined. */
export function findLipSyncStandard(id: string): LipSyncStandard | undefined {
  return LIP_SYNC_STANDARDS.find((standard) => standard.id === id);
}

/**
 * Converts Latency Lab's A/V offset (positive = audio lags) to the documents' convention
 * (positive = audio leads), e.g. for showing "−60 ms" next to an EBU R37 figure. Only negates.
 */
export function toDocumentOffsetMs(appOffsetMs: number): number {
  return appOffsetMs === 0 ? 0 : -appOffsetMs;
}
