/**
 * A path's response measured RELATIVE to another measurement of the same chain (the real OS path
 * with and without a filter sink): per 1/48-octave band, |H1| of the filtered run minus |H1| of the
 * direct run, in dB, so the direct path's own response (output and input buffering, resampling,
 * format conversion) cancels. The error against the expected filter is averaged per octave band
 * (125 Hz–8 kHz), as octaveBandErrors in expected.ts does for the in-browser loop.
 */
import type { SpectrumBand } from '../../shared/analysis/frequency-response';
import type { OctaveBandError } from './expected';

export const OCTAVE_CENTRES_HZ = [125, 250, 500, 1000, 2000, 4000, 8000];

const h1Db = (b: Pick<SpectrumBand, 'gxx' | 'gxyRe' | 'gxyIm'>): number => 10 * Math.log10((b.gxyRe ** 2 + b.gxyIm ** 2) / b.gxx ** 2);

export interface RelativeBand {
  hz: number;
  relativeDb: number;
  expectedDb: number;
}

/** The bands both runs hold (same centre frequency), with the filtered run's gain over the direct run's. */
export function relativeBands(filtered: SpectrumBand[], direct: SpectrumBand[], expectedDb: (hz: number) => number): RelativeBand[] {
  const byHz = new Map(direct.filter((b) => b.gxx > 0).map((b) => [b.hz.toFixed(6), b]));
  const out: RelativeBand[] = [];
  for (const b of filtered) {
    const d = byHz.get(b.hz.toFixed(6));
    if (!d || !(b.gxx > 0)) continue;
    out.push({ hz: b.hz, relativeDb: h1Db(b) - h1Db(d), expectedDb: expectedDb(b.hz) });
  }
  return out;
}

export function relativeOctaveBandErrors(bands: RelativeBand[], centres = OCTAVE_CENTRES_HZ): OctaveBandError[] {
  return centres.map((centreHz) => {
    const inside = bands.filter((b) => b.hz >= centreHz / Math.SQRT2 && b.hz < centreHz * Math.SQRT2);
    const errors = inside.map((b) => b.relativeDb - b.expectedDb);
    return {
      centreHz,
      meanErrorDb: errors.reduce((s, e) => s + e, 0) / Math.max(1, errors.length),
      maxAbsErrorDb: Math.max(0, ...errors.map(Math.abs)),
      bands: errors.length,
    };
  });
}
