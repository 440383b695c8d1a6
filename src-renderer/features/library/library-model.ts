/**
 * The library list's sorting and searching, and the differences between two measurements for
 * the compare view. Pure functions.
 */
import type { LatencyStatsOutput } from '../../../shared/analysis/analyze-capture';
import type { Report } from '../../../shared/report/report-schema';
import type { LibraryEntry } from '../../host/host-api';
import { octaveBandLevels } from '../../ui/charts/frequency-data';

export type SortKey = 'date' | 'title' | 'device' | 'claim' | 'result';
export type SortDirection = 'ascending' | 'descending';

export const SORT_LABELS: Record<SortKey, string> = {
  date: 'Date',
  title: 'Title',
  device: 'Devices',
  claim: 'Method / claim',
  result: 'Result',
};

/** The devices of an entry as shown: "output ← input". */
export function devicesText(entry: LibraryEntry): string {
  const parts = [entry.outputDevice, entry.inputDevice].filter((d): d is string => !!d);
  return parts.join(' ← ');
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

function compareText(a: string, b: string): number {
  // Empty values last in ascending order.
  if (a === '' && b !== '') return 1;
  if (b === '' && a !== '') return -1;
  return collator.compare(a, b);
}

function compareBy(key: SortKey, a: LibraryEntry, b: LibraryEntry): number {
  switch (key) {
    case 'date':
      return a.createdAt.localeCompare(b.createdAt);
    case 'title':
      return compareText(a.title, b.title);
    case 'device':
      return compareText(devicesText(a), devicesText(b));
    case 'claim':
      return compareText(a.claimName ?? '', b.claimName ?? '');
    case 'result': {
      // Refused measurements (no number) sort after every latency; an A/V measurement sorts by its offset.
      const x = a.medianMs ?? a.avOffsetMs ?? Infinity;
      const y = b.medianMs ?? b.avOffsetMs ?? Infinity;
      return x === y ? 0 : x < y ? -1 : 1;
    }
  }
}

/** A sorted copy; ties keep the newest first. */
export function sortEntries(entries: readonly LibraryEntry[], key: SortKey, direction: SortDirection): LibraryEntry[] {
  const sign = direction === 'ascending' ? 1 : -1;
  return [...entries].sort((a, b) => sign * compareBy(key, a, b) || b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
}

/** Entries matching every word of the query in the title, setup text, devices or claim (case-insensitive). */
export function searchEntries(entries: readonly LibraryEntry[], query: string): LibraryEntry[] {
  const words = query
    .toLocaleLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  if (words.length === 0) return [...entries];
  return entries.filter((e) => {
    const haystack = [e.title, e.setupDescription, e.inputDevice ?? '', e.outputDevice ?? '', e.claimName ?? '', e.claimId ?? ''].join('\n').toLocaleLowerCase();
    return words.every((w) => haystack.includes(w));
  });
}

export interface LatencyDifference {
  label: string;
  a: number | null;
  b: number | null;
  /** b − a; null when either is missing. */
  delta: number | null;
}

/** What a measurement's latency is measured from: the total round trip, or what is added after the computer. */
type Basis = 'total' | 'added' | 'timing-reference';

const basisOfReport = (r: Report): Basis => (r.settings.mode === 'dual-channel' ? 'timing-reference' : r.analysis.added ? 'added' : 'total');

/** The statistics of a report on a basis: the added latency (over a baseline, or after a timing reference), or the total. */
function statsOn(r: Report, basis: 'added' | 'total'): LatencyStatsOutput | undefined {
  if (r.analysis.status !== 'ok' || !r.analysis.latency) return undefined;
  const own = basisOfReport(r);
  if (basis === 'total') return own === 'timing-reference' ? undefined : r.analysis.latency;
  return own === 'added' ? r.analysis.added : own === 'timing-reference' ? r.analysis.latency : undefined;
}

export interface CompareBasis {
  /** Added latency when both have it (a baseline or a timing reference), else the total; null when there is no common basis. */
  basis: 'added' | 'total' | null;
  /** Why the comparison is on this basis, when it is not the obvious one. */
  note: string | null;
}

/**
 * The common basis of two measurements: the added latency when both have one (a baseline or a
 * timing reference each: the computer's own delay is out of both), the total when both have it,
 * otherwise none (a timing reference has no total, and a run without a baseline no added latency).
 */
export function compareBasis(a: Report, b: Report): CompareBasis {
  const [x, y] = [basisOfReport(a), basisOfReport(b)];
  if (x !== 'total' && y !== 'total') {
    return { basis: 'added', note: x !== y ? 'One was measured over a baseline, the other against a timing reference: both are the latency added after the computer.' : null };
  }
  if (x !== 'timing-reference' && y !== 'timing-reference') {
    return { basis: 'total', note: x !== y ? `${x === 'added' ? 'B' : 'A'} has no baseline, so both are compared on the total latency.` : null };
  }
  return { basis: null, note: `${x === 'timing-reference' ? 'A' : 'B'} was measured against a timing reference (no total) and ${x === 'timing-reference' ? 'B' : 'A'} without a baseline (no added latency): their latencies are not on a common basis.` };
}

/** Median, mean, 95th percentile and maximum of both on their common basis (compareBasis), and B − A. */
export function latencyDifferences(a: Report, b: Report, basis: 'added' | 'total' | null = compareBasis(a, b).basis): LatencyDifference[] {
  const la = basis ? statsOn(a, basis) : undefined;
  const lb = basis ? statsOn(b, basis) : undefined;
  const rows: Array<[string, 'medianMs' | 'meanMs' | 'p95Ms' | 'maxMs']> = [
    ['Median', 'medianMs'],
    ['Mean', 'meanMs'],
    ['95th percentile', 'p95Ms'],
    ['Maximum', 'maxMs'],
  ];
  return rows.map(([label, key]) => {
    const x = la ? la[key] : null;
    const y = lb ? lb[key] : null;
    return { label, a: x, b: y, delta: x !== null && y !== null ? y - x : null };
  });
}

/** When each settled (the start-up's end), for the compare view; null when stable from the start or unknown. */
export const settledAfterS = (r: Report): number | null => (r.analysis.status === 'ok' ? (r.analysis.latency?.startup?.untilS ?? null) : null);

export interface BandDifference {
  hz: number;
  a: number | null;
  b: number | null;
  delta: number | null;
}

/** Level per octave band 63 Hz–16 kHz of both (each normalised to its 500 Hz–2 kHz level), and B − A in dB. */
export function octaveBandDifferences(a: Report, b: Report): BandDifference[] {
  const la = octaveBandLevels(a, true);
  const lb = octaveBandLevels(b, true);
  return la.map((band, i) => {
    const x = band.db;
    const y = lb[i].db;
    return { hz: band.hz, a: x, b: y, delta: x !== null && y !== null ? y - x : null };
  });
}
