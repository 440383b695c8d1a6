/**
 * The words for a report's values, shared by the app's screens and the HTML report so both say the
 * same thing: signal kinds, the statistic a claim is about, verdict outcomes and event states.
 */
import type { RefusalCode } from '../analysis/analysis-refusal';
import type { LatencyEventOutput } from '../analysis/analyze-capture';
import type { Polarity } from '../analysis/correlation-zoom';
import { type FrequencyResponseOutput, type ImpulseResponseOutput, NO_RESPONSE_WARNING } from '../analysis/response-output';
import type { Claim, ClaimStatistic } from '../claims/claims-catalogue';
import type { ClaimOutcome } from '../claims/verdict';
import type { Report } from './report-schema';

export const SIGNAL_LABELS: Record<Report['signal']['kind'], string> = {
  click: 'Click train',
  pink: 'Pink noise',
  sweep: 'Log sweep',
  music: 'Music',
  file: 'Audio file',
};

/**
 * How an impulse response was measured, as the start of a sentence ("Measured from … by …"), for
 * the app's IR note and the HTML report's caption.
 */
export function impulseMethodText(impulse: Pick<ImpulseResponseOutput, 'method' | 'periodsAveraged' | 'eventsAveraged'>): string {
  switch (impulse.method) {
    case 'sweep-deconvolution':
      return 'Measured from the whole capture by sweep deconvolution';
    case 'periodic-noise':
      return `Measured from the whole capture by cyclic deconvolution of periodic noise${impulse.periodsAveraged !== null ? ` (${impulse.periodsAveraged} periods averaged)` : ''}`;
    case 'noise-deconvolution':
      return 'Measured from the whole capture by noise deconvolution';
    case 'click-averaging': {
      const n = impulse.eventsAveraged;
      return `Measured from the click train's steady state by deconvolving each click, averaged over ${typeof n === 'number' ? `${n} click${n === 1 ? '' : 's'}` : 'its clicks'}`;
    }
  }
}

/**
 * Why a response has no decay times, when the reason is the measurement's and not the report's age:
 * a click train's room window that outlasts the shortest spacing of its clicks (each click's decay
 * runs into the next one). Null otherwise.
 */
export function decayAbsentNote(fr: Pick<FrequencyResponseOutput, 'decay' | 'impulse' | 'windows'>): string | null {
  const impulse = fr.impulse;
  if (fr.decay || impulse?.method !== 'click-averaging' || typeof impulse.shortestSpacingMs !== 'number') return null;
  const roomMs = fr.windows ? ` (${Math.round(fr.windows.room.endMs)} ms)` : '';
  return `No decay times: the room rings longer${roomMs} than the shortest spacing of the clicks averaged (${Math.round(impulse.shortestSpacingMs)} ms), so each click's decay runs into the next click. Measure decay times with pink noise or a sweep.`;
}

/**
 * The analysis' warning that says why it has no frequency response: NO_FREQUENCY_RESPONSE, or in a
 * report made before that code, the LOW_COHERENCE warning whose message starts "No frequency
 * response: ". Undefined when there is none.
 */
function noResponseWarning<W extends { code: string; message: string }>(warnings: readonly W[]): W | undefined {
  return warnings.find((w) => w.code === 'NO_FREQUENCY_RESPONSE') ?? warnings.find((w) => w.code === 'LOW_COHERENCE' && w.message.startsWith(NO_RESPONSE_WARNING));
}

/**
 * Why a report has no frequency response, as a phrase to follow "no frequency response: " (no final
 * stop): the refusal, the analysis' own warning that says why (noResponseWarning), or, for a report
 * without that warning, what the version that made it did (click trains got no response before it
 * was measured from their averaged clicks; noise and sweeps only when too short).
 */
export function missingResponseReason(analysis: Report['analysis']): string {
  if (analysis.status !== 'ok') return `the analysis refused the capture (${analysis.error?.code ?? 'no result'})`;
  const warning = noResponseWarning(analysis.warnings);
  if (warning) return (warning.message.startsWith(NO_RESPONSE_WARNING) ? warning.message.slice(NO_RESPONSE_WARNING.length) : warning.message).replace(/\.$/, '');
  return analysis.stimulus?.kind === 'click'
    ? 'a click train measured by a version of Latency Lab that gave click trains no response; analyse its capture again (latency-lab analyze) for one'
    : 'the stimulus was too short for one';
}

/** The words for a result's polarity (resultPolarity). */
export const POLARITY_LABELS: Record<Polarity, string> = {
  normal: 'normal',
  inverted: 'inverted',
  'not-determined': 'not determined',
};

/** What a polarity rests on, to go beside its label. */
export const POLARITY_DETAILS: Record<Polarity, string> = {
  normal: 'the impulse response is positive at the arrival',
  inverted: 'the impulse response is negative at the arrival',
  'not-determined': 'its sign does not hold; POLARITY_UNSTABLE says why',
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

export const OUTCOME_LABELS: Record<ClaimOutcome, string> = {
  better: 'Better than the claim',
  within: 'Within the claim',
  worse: 'Worse than the claim',
  inconclusive: 'Inconclusive: the path alternates',
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

/** A quoted table row split into its cells, each under its column's heading; `claimColumn` is the claim's cell. */
export interface QuotedTableRow {
  headers: string[];
  cells: string[];
  claimColumn: number;
}

const FIRST_COLUMN: Record<string, string> = { 'connection-method': 'Connection method', 'speaker-model': 'Speaker' };

const humanise = (key: string): string => key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().replace(/^./, (ch) => ch.toUpperCase());

/**
 * The claim's source quote as a table row, when it is one: a Markdown row (`| a | b |`), or a row
 * whose cells the article's text runs together ("…(Receiver Mode)All Echo models…"), split where
 * the claim's own name, its figure and its other columns (`details`) tile the quote exactly.
 * Null for a sentence, or when the cells cannot be told apart with certainty.
 */
export function quotedTableRow(claim: Pick<Claim, 'kind' | 'name' | 'claimText' | 'details' | 'source'>): QuotedTableRow | null {
  const quote = claim.source.quote.trim();
  const details = Object.entries(claim.details ?? {});
  if (details.length === 0 || !/\brow '/.test(claim.source.location)) return null;
  const known: Array<{ header: string; text: string }> = [
    { header: FIRST_COLUMN[claim.kind] ?? 'Row', text: claim.name },
    { header: /column '([^']+)'/.exec(claim.source.location)?.[1] ?? 'Claimed', text: claim.claimText },
    ...details.map(([key, text]) => ({ header: humanise(key), text })),
  ];
  let texts: string[];
  if (/^\|.*\|$/.test(quote)) {
    texts = quote.slice(1, -1).split('|').map((cell) => cell.trim());
  } else {
    // Tile the quote with the known cells, left to right; give up unless exactly one tiling is found.
    texts = [];
    let at = 0;
    const unused = new Set(known.map((_, i) => i));
    while (at < quote.length) {
      const fits = [...unused].filter((i) => known[i].text.length > 0 && quote.startsWith(known[i].text, at));
      if (fits.length !== 1) return null;
      texts.push(known[fits[0]].text);
      unused.delete(fits[0]);
      at += known[fits[0]].text.length;
    }
  }
  const used = new Set<number>();
  const headers: string[] = [];
  for (const text of texts) {
    const i = known.findIndex((k, j) => !used.has(j) && k.text === text);
    if (i < 0) return null;
    used.add(i);
    headers.push(known[i].header);
  }
  if (used.size !== known.length) return null;
  const claimColumn = texts.findIndex((text, i) => text === claim.claimText && headers[i] === known[1].header);
  return { headers, cells: texts, claimColumn };
}

/**
 * The analysis' refusal advice is written for files (the CLI: "the reference file", "latency-lab
 * generate --rate"). A run made in the app has no files to check: the app plays and records the
 * stimulus itself. These are the same advice in the app's terms, for the codes whose wording
 * differs; every other code keeps the analysis' own advice. The app's screens and the HTML report
 * of an app measurement both use it.
 */
export interface AdviceContext {
  /** The run measured against a timing reference (a loopback channel of the input). */
  timingReference: boolean;
}

export function appAdvice(code: RefusalCode | undefined, advice: string, context: AdviceContext): string {
  switch (code) {
    case 'NO_STIMULUS':
      return context.timingReference
        ? 'Check that the speaker being recorded is the output chosen in Setup, that it is not muted, and that the microphone is on the input channel that is not the loopback (swap the loopback channel in Setup if the cables are the other way round).'
        : 'Check that the speaker being recorded is the output chosen in Setup (the app played the test signal there), that its volume is up and not muted, and that the selected microphone can hear it.';
    case 'EMPTY_REFERENCE':
    case 'NO_EVENTS_IN_REFERENCE':
      return context.timingReference
        ? 'The loopback channel carried no test signal: check the cable from the output to the input channel chosen as the loopback in Setup, or choose the other channel.'
        : 'The test signal could not be prepared: choose the signal again and start another measurement.';
    case 'SAMPLE_RATE_MISMATCH':
      return 'Start the measurement again: the app records at the rate it plays.';
    case 'TOO_SHORT':
      return 'The recording stopped early (the audio device went away or stopped delivering audio): check the devices and measure again.';
    default:
      return advice;
  }
}
