/**
 * The top of the results: the headline figures (median latency ± spread, added latency,
 * start-up and modes, confidence and the quality figures), or for a refused capture why there is
 * no number and what to do.
 */
import { resultPolarity } from '../../../shared/analysis/correlation-zoom';
import type { AnalysisOutput } from '../../../shared/claims/judge';
import { appAdvice, baselineCaveatsOf, POLARITY_DETAILS, POLARITY_LABELS } from '../../../shared/report/labels';
import type { Report } from '../../../shared/report/report-schema';
import { confidenceLabel, formatDb, formatMs, formatNumber, formatPercent } from '../../ui/format/format';

/**
 * An added latency this far below zero means the baseline no longer fits; closer to zero it is the
 * two measurements' own spread (a wire measured twice differs by microseconds), not a changed path.
 */
const NEGATIVE_ADDED_TOLERANCE_MS = 0.05;

/**
 * The refusal: why there is no number, and what to do. The headline region (where the latency
 * would be) holds no figure at all; the analysis' own message, with the figures that led to the
 * refusal, follows it.
 */
export function RefusalPanel({ error, onMeasureAgain, report }: { error: NonNullable<AnalysisOutput['error']> | undefined; onMeasureAgain(): void; report?: Report }) {
  // A refusal of a run made in the app gets the advice in the app's terms (no reference files).
  const advice = error && report?.software.source === 'app' ? appAdvice(error.code, error.advice, { timingReference: report.settings.mode === 'dual-channel' }) : error?.advice;
  return (
    <section className="panel refusal" aria-labelledby="headline-heading">
      <div className="refusal-headline" data-testid="headline">
        <h3 id="headline-heading">No latency figure: the analysis refused this capture</h3>
        <p>
          Reason <code>{error?.code ?? 'UNKNOWN'}</code>. A wrong number would be worse than none, so this measurement reports no latency.
        </p>
      </div>
      <dl className="refusal-details">
        <dt>What was found</dt>
        <dd>{error?.message ?? 'The report does not say why the capture was refused.'}</dd>
        <dt>What to do</dt>
        <dd>{advice ?? 'Check the setup and measure again.'}</dd>
      </dl>
      <button type="button" className="primary" onClick={onMeasureAgain}>
        Measure again
      </button>
    </section>
  );
}

function Figure({ label, value, detail, tone }: { label: string; value: string; detail?: string; tone?: 'ok' | 'warn' | 'bad' }) {
  return (
    <div className="figure">
      <dt>{label}</dt>
      <dd>
        <span className={tone ? `status-${tone}` : undefined}>{value}</span>
        {detail && <span className="figure-detail muted"> {detail}</span>}
      </dd>
    </div>
  );
}

/** Basis-aware wording: what the headline latency is measured from. */
export type LatencyBasis = 'total' | 'added' | 'timing-reference';

export function basisOf(report: Report): LatencyBasis {
  if (report.settings.mode === 'dual-channel') return 'timing-reference';
  return report.analysis.added ? 'added' : 'total';
}

/**
 * The headline: the median latency ± spread (the added latency when a baseline or timing reference
 * applies, the total beside it), of the steady state when the path settled after a start-up (shown
 * separately), the modes of a path that alternates, confidence and the quality figures.
 */
export function Headline({ report, onRemeasureBaseline }: { report: Report; onRemeasureBaseline?(): void }) {
  const analysis = report.analysis;
  const latency = analysis.latency;
  if (!latency) return null;
  const basis = basisOf(report);
  const added = analysis.added;
  const shown = basis === 'added' && added ? added : latency;
  // Start-up and mode figures are totals: on the added basis they are shown less the baseline.
  const offsetMs = basis === 'added' && added ? added.baselineMs : 0;
  const confidence = analysis.confidence ?? 0;
  const level = confidenceLabel(confidence);
  const ci = shown.medianCi95Ms;
  const drift = analysis.drift;
  const startup = latency.startup ?? null;
  const steady = latency.steadyState;
  const modes = latency.modes ?? [];
  const caveats = basis === 'added' ? baselineCaveatsOf(report.notes) : [];
  // Show the drift to the precision its standard error supports (a good clock pair needs decimals).
  const ppmError = drift?.ppmStdError ?? null;
  const ppmDigits = ppmError === null || ppmError >= 0.1 ? 1 : ppmError >= 0.01 ? 2 : 3;
  // Confident events before the steady state (the statistics leave them out).
  const startupEvents = startup ? Math.max(0, latency.events.filter((e) => e.status === 'ok').length - latency.count) : 0;
  // An SNR is a figure only over a measured noise floor.
  const noiseFloor = analysis.noiseFloorDbfs ?? null;
  const noNoise = analysis.warnings.some((w) => w.code === 'NO_NOISE_FLOOR');
  // Not determined (the events disagree on a sign) is said as such, never as "normal".
  const polarity = resultPolarity(analysis);
  const what = basis === 'timing-reference' ? 'Median latency after the timing reference' : basis === 'added' ? 'Median added latency' : 'Median end-to-end latency';
  return (
    <section className="panel headline" aria-labelledby="headline-heading" data-testid="headline">
      <h3 id="headline-heading" className="visually-hidden">
        Latency
      </h3>
      <div className="headline-main">
        <p className="headline-figure">
          <span className="headline-value">{formatNumber(shown.medianMs, 2)}</span>
          <span className="headline-unit">ms</span>
        </p>
        <p className="headline-caption">
          {what}
          {startup && steady ? ` of the steady state, from ${formatNumber(steady.fromS, 1)} s (${steady.count} events)` : ''}
          <br />
          <span className="muted">
            ± {formatMs(shown.stdMs)} standard deviation
            {ci ? ` · 95 % CI of the median ${formatNumber(ci[0], 2)}–${formatMs(ci[1])}` : ' · too few events for a confidence interval of the median'}
          </span>
        </p>
        {basis === 'added' && added && (
          <p className="headline-added">
            Added over the baseline of {formatMs(added.baselineMs)}; <span className="headline-total">total end-to-end {formatMs(latency.medianMs)}</span>
          </p>
        )}
        {basis === 'timing-reference' && (
          <p className="headline-added muted">
            Measured from the loopback channel to the microphone: the computer&apos;s own delay cancels, so this is the latency added after the loopback point (the total is not measured).
          </p>
        )}
        {startup && (
          <p className="headline-startup status-warn" data-testid="startup">
            Start-up: the latency settled after {formatNumber(startup.untilS, 1)} s; until then its median was {formatMs(startup.medianMs - offsetMs)}, up to{' '}
            {formatMs(startup.maxMs - offsetMs)}. Those events are left out of the figures above (they are on the latency chart).
          </p>
        )}
        {modes.length >= 2 && (
          <div className="headline-modes status-warn" data-testid="modes">
            <p>
              <strong>The latency alternates between {modes.length} values</strong> (each event is one clean arrival at one of them):
            </p>
            <ul>
              {modes.map((m) => (
                <li key={m.medianMs}>
                  {formatMs(m.medianMs - offsetMs)}: {formatPercent(m.share)} of the events ({m.count})
                </li>
              ))}
            </ul>
            <p className="muted">A median of such a path is not a latency it ever has; judge the values and how often each occurs.</p>
          </div>
        )}
        {basis === 'added' && added && (added.medianMs < -NEGATIVE_ADDED_TOLERANCE_MS || (startup !== null && startup.medianMs - offsetMs < -NEGATIVE_ADDED_TOLERANCE_MS)) && (
          <p className="status-warn" data-testid="negative-added">
            A negative added latency: the baseline ({formatMs(added.baselineMs)}) is longer than {added.medianMs < -NEGATIVE_ADDED_TOLERANCE_MS ? 'this run' : 'the start-up'} took in total, so the computer&apos;s own delay
            has changed since the baseline was measured. Re-measure the baseline.
          </p>
        )}
        {caveats.length > 0 && (
          <div className="banner-inline banner-warning" role="alert">
            <p>
              <strong>The baseline may not apply to this measurement:</strong>
            </p>
            <ul className="caveat-list">
              {caveats.map((c) => (
                <li key={c}>{c}</li>
              ))}
            </ul>
            {onRemeasureBaseline && (
              <button type="button" className="secondary" onClick={onRemeasureBaseline}>
                Re-measure the baseline
              </button>
            )}
          </div>
        )}
      </div>
      <dl className="figure-grid">
        <Figure label="Confidence" value={formatPercent(confidence)} detail={level} tone={level === 'high' ? 'ok' : level === 'medium' ? 'warn' : 'bad'} />
        <Figure
          label="Events measured"
          value={`${latency.count} of ${latency.eventsTotal}`}
          detail={[startupEvents > 0 ? `${startupEvents} in the start-up` : '', latency.lowConfidence > 0 ? `${latency.lowConfidence} low-confidence left out` : ''].filter(Boolean).join(', ') || undefined}
        />
        <Figure
          label="Dropouts"
          value={String(latency.dropouts)}
          detail={latency.notCaptured > 0 ? `+ ${latency.notCaptured} after the capture ended` : undefined}
          tone={latency.dropouts > 0 ? 'warn' : undefined}
        />
        <Figure
          label="Clock drift"
          value={drift ? `${formatNumber(drift.ppm, ppmDigits)}${drift.ppmStdError === null ? '' : ` ± ${formatNumber(drift.ppmStdError, ppmDigits)}`} ppm` : 'not measured'}
          detail={drift ? undefined : 'needs 3 events over 1 s'}
        />
        <Figure label="Jitter" value={drift && drift.jitterMs !== null ? formatMs(drift.jitterMs, drift.jitterMs < 0.1 ? 3 : 2) : 'not measured'} detail={drift && drift.jitterMs !== null ? 'around the drift line' : undefined} />
        <Figure
          label="SNR"
          value={noiseFloor === null || analysis.snrDb === null || analysis.snrDb === undefined ? (noNoise ? 'no measurable noise' : 'not measured') : formatDb(analysis.snrDb)}
          detail={noiseFloor === null && noNoise ? 'no noise floor to compare with' : undefined}
        />
        <Figure
          label="Noise floor"
          value={noiseFloor === null ? (noNoise ? 'none measurable' : 'not measured') : formatDb(noiseFloor, 'dBFS')}
          detail={analysis.capturePeakDbfs === undefined ? undefined : `peak ${formatDb(analysis.capturePeakDbfs, 'dBFS')}`}
        />
        {polarity && (
          <Figure
            label="Polarity"
            value={POLARITY_LABELS[polarity]}
            detail={polarity === 'not-determined' ? POLARITY_DETAILS[polarity] : undefined}
            tone={polarity === 'normal' ? undefined : 'warn'}
          />
        )}
      </dl>
    </section>
  );
}
