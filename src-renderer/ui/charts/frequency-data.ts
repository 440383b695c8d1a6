/**
 * Frequency-response data for display: curves at any smoothing (re-smoothed from the report's
 * 1/48-octave band spectra, microphone calibration carried over), normalisation, imported
 * reference curves and octave-band levels.
 */
import type { SmoothingFraction } from '../../../shared/analysis/frequency-response';
import type { MicCalibration } from '../../../shared/analysis/mic-calibration';
import { frequencyResponsePoints } from '../../../shared/report/report-csv';
import type { Report } from '../../../shared/report/report-schema';

export const OCTAVE_BANDS_HZ = [63, 125, 250, 500, 1000, 2000, 4000, 8000, 16000] as const;

export const SMOOTHING_OPTIONS: ReadonlyArray<{ value: SmoothingFraction; label: string }> = [
  // 1/48 octave is the bands themselves (smoothResponse treats 48 as 0): one option, not two that draw the same.
  { value: 0, label: 'None (1/48-octave bands)' },
  { value: 24, label: '1/24 octave' },
  { value: 12, label: '1/12 octave' },
  { value: 6, label: '1/6 octave' },
  { value: 3, label: '1/3 octave' },
  { value: 2, label: '1/2 octave' },
  { value: 1, label: '1/1 octave' },
];

export interface CurvePoint {
  hz: number;
  db: number;
}

/** Whether the report carries a frequency response. */
export const hasFrequencyResponse = (report: Report): boolean => report.analysis.status === 'ok' && !!report.analysis.frequencyResponse;

/** The Nyquist frequency of the measurement. */
export const nyquistOf = (report: Report): number => (report.analysis.stimulus?.sampleRate ?? report.signal.sampleRate) / 2;

/**
 * The report's response at `smoothing` as magnitude points (and coherence), normalised to its
 * 500 Hz–2 kHz level when asked and known. Null when the report has none.
 */
export function reportCurve(report: Report, smoothing: SmoothingFraction, normalised: boolean): { points: CurvePoint[]; coherence: { hz: number; coherence: number }[] } | null {
  const fr = report.analysis.frequencyResponse;
  if (!hasFrequencyResponse(report) || !fr) return null;
  const raw = frequencyResponsePoints(report, smoothing);
  const offset = normalised && fr.referenceLevelDb !== null ? fr.referenceLevelDb : 0;
  return {
    points: raw.map((p) => ({ hz: p.hz, db: p.db - offset })),
    coherence: raw.map((p) => ({ hz: p.hz, coherence: p.coherence })),
  };
}

/** Mean of the curve's dB over 500 Hz–2 kHz (points inside, or interpolated at 1 kHz); null if empty. */
export function curveReferenceLevel(points: readonly CurvePoint[]): number | null {
  const inside = points.filter((p) => p.hz >= 500 && p.hz <= 2000);
  if (inside.length > 0) return inside.reduce((s, p) => s + p.db, 0) / inside.length;
  return levelAt(points, 1000, Infinity);
}

/** An imported reference curve (a `freq dB [phase]` file) as points, normalised like the measurement when asked. */
export function importedCurve(calibration: MicCalibration, normalised: boolean): CurvePoint[] {
  const points = calibration.points.map((p) => ({ hz: p.hz, db: p.db }));
  if (!normalised) return points;
  const level = curveReferenceLevel(points) ?? 0;
  return points.map((p) => ({ hz: p.hz, db: p.db - level }));
}

/**
 * The curve's level at `hz`: linear interpolation in log-frequency between the neighbouring
 * points; null outside the curve or when the neighbours are more than `maxGapOctaves` apart.
 */
export function levelAt(points: readonly CurvePoint[], hz: number, maxGapOctaves = 1 / 6): number | null {
  if (points.length === 0 || hz < points[0].hz || hz > points[points.length - 1].hz) return null;
  let lo = 0;
  let hi = points.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (points[mid].hz <= hz) lo = mid;
    else hi = mid;
  }
  const a = points[lo];
  const b = points[hi];
  if (a.hz === hz) return a.db;
  if (b.hz === hz) return b.db;
  if (Math.log2(b.hz / a.hz) > maxGapOctaves) return null;
  const t = Math.log(hz / a.hz) / Math.log(b.hz / a.hz);
  return a.db + t * (b.db - a.db);
}

/**
 * Level of the report per octave band (63 Hz–16 kHz): the response smoothed to 1/1 octave, read
 * at each band centre; normalised to the 500 Hz–2 kHz level when asked. Null where the
 * measurement does not reach the band.
 */
export function octaveBandLevels(report: Report, normalised = true): Array<{ hz: number; db: number | null }> {
  const curve = reportCurve(report, 1, normalised);
  return OCTAVE_BANDS_HZ.map((hz) => ({ hz, db: curve ? levelAt(curve.points, hz) : null }));
}

/** Points per octave worth drawing at a smoothing: two per smoothing width, 12 to 48. */
export const pointsPerOctaveFor = (smoothing: SmoothingFraction): number => (smoothing === 0 ? 48 : Math.max(12, Math.min(48, 2 * smoothing)));
