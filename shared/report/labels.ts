/**
 * The words for a report's values, shared by the app's screens and the HTML report so both say the
 * same thing: signal kinds, the statistic a claim is about, verdict outcomes and event states.
 */
import type { LatencyEventOutput } from '../analysis/analyze-capture';
import type { ClaimStatistic } from '../claims/claims-catalogue';
import type { Report } from './report-schema';

export const SIGNAL_LABELS: Record<Report['signal']['kind'], string> = {
  click: 'Click train',
  pink: 'Pink noise',
  sweep: 'Log sweep',
  music: 'Music',
  file: 'Audio file',
};

/** The label of a signal kind; an unknown kind as it is. */
export const signalLabel = (kind: string): string => (Object.hasOwn(SIGNAL_LABELS, kind) ? SIGNAL_LABELS[kind as Report['signal']['kind']] : kind);

export const STATISTIC_LABELS: Record<ClaimStatistic, string> = {
  median: 'median',
  mean: 'mean',
  max: 'maximum',
  min: 'minimum',
  p95: '95th percentile',
  spread: 'spread (max − min)',
};

/** The label of a claim statistic; an unknown one as it is. */
export const statisticLabel = (statistic: string): string => (Object.hasOwn(STATISTIC_LABELS, statistic) ? STATISTIC_LABELS[statistic as ClaimStatistic] : statistic);

/** The stimulus kind the analysis found in the reference. */
export const STIMULUS_LABELS: Record<NonNullable<Report['analysis']['stimulus']>['kind'], string> = {
  click: 'click train',
  noise: 'noise',
  sweep: 'sweep',
};

export const OUTCOME_LABELS: Record<'better' | 'within' | 'worse', string> = {
  better: 'Better than the claim',
  within: 'Within the claim',
  worse: 'Worse than the claim',
};

export const EVENT_STATUS_LABELS: Record<LatencyEventOutput['status'], string> = {
  ok: 'ok',
  'low-confidence': 'unclear',
  dropout: 'dropout',
  'not-captured': 'not captured',
};

/**
 * A line of a report's notes that says why its baseline may not subtract cleanly (measured in
 * another audio session or with other devices); the app writes them, the results and the HTML
 * report show them beside the added latency.
 */
export const BASELINE_CAVEAT_NOTE = 'Baseline caveat: ';

/** The baseline caveats in a report's notes, without their prefix. */
export const baselineCaveatsOf = (notes: string): string[] =>
  notes.split('\n').filter((line) => line.startsWith(BASELINE_CAVEAT_NOTE)).map((line) => line.slice(BASELINE_CAVEAT_NOTE.length));

/** What the computer's own delay was taken out with: the report's basis for "added" latency. */
export const referenceBasisLabel = (mode: Report['settings']['mode']): string => (mode === 'dual-channel' ? 'timing reference' : 'baseline');
