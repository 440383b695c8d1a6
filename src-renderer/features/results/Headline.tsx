/**
 * The top of the results: the headline figures (median latency ± spread, added latency,
 * confidence and the quality figures), or for a refused capture why there is no number and what
 * to do.
 */
import type { AnalysisOutput } from '../../../shared/claims/judge';
import { confidenceLabel, formatDb, formatMs, formatNumber, formatPercent } from '../../ui/format/format';

/**
 * The refusal: why there is no number, and what to do. The headline region (where the latency
 * would be) holds no figure at all; the analysis' own message, with the figures that led to the
 * refusal, follows it.
 */
export function RefusalPanel({ error, onMeasureAgain }: { error: NonNullable<AnalysisOutput['error']> | undefined; onMeasureAgain(): void }) {
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
        <dd>{error?.advice ?? 'Check the setup and measure again.'}</dd>
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

/** The headline: median latency ± spread, added latency, confidence and the quality figures. */
export function Headline({ analysis }: { analysis: AnalysisOutput }) {
  const latency = analysis.latency;
  if (!latency) return null;
  const added = analysis.added;
  const confidence = analysis.confidence ?? 0;
  const level = confidenceLabel(confidence);
  const ci = latency.medianCi95Ms;
  const drift = analysis.drift;
  // Show the drift to the precision its standard error supports (a good clock pair needs decimals).
  const ppmError = drift?.ppmStdError ?? null;
  const ppmDigits = ppmError === null || ppmError >= 0.1 ? 1 : ppmError >= 0.01 ? 2 : 3;
  return (
    <section className="panel headline" aria-labelledby="headline-heading" data-testid="headline">
      <h3 id="headline-heading" className="visually-hidden">
        Latency
      </h3>
      <div className="headline-main">
        <p className="headline-figure">
          <span className="headline-value">{formatNumber(latency.medianMs, 2)}</span>
          <span className="headline-unit">ms</span>
        </p>
        <p className="headline-caption">
          Median end-to-end latency
          <br />
          <span className="muted">
            ± {formatMs(latency.stdMs)} standard deviation
            {ci ? ` · 95 % CI of the median ${formatNumber(ci[0], 2)}–${formatMs(ci[1])}` : ' · too few events for a confidence interval of the median'}
          </span>
        </p>
        {added && (
          <p className="headline-added">
            <span className="headline-added-value">{formatMs(added.medianMs)}</span> added over the baseline of {formatMs(added.baselineMs)}
            {added.medianCi95Ms && (
              <span className="muted">
                {' '}
                (95 % CI {formatNumber(added.medianCi95Ms[0], 2)}–{formatMs(added.medianCi95Ms[1])})
              </span>
            )}
          </p>
        )}
      </div>
      <dl className="figure-grid">
        <Figure label="Confidence" value={formatPercent(confidence)} detail={level} tone={level === 'high' ? 'ok' : level === 'medium' ? 'warn' : 'bad'} />
        <Figure label="Events measured" value={`${latency.count} of ${latency.eventsTotal}`} detail={latency.lowConfidence > 0 ? `${latency.lowConfidence} low-confidence left out` : undefined} />
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
        <Figure label="SNR" value={analysis.snrDb === null || analysis.snrDb === undefined ? 'not measured' : formatDb(analysis.snrDb)} />
        <Figure
          label="Noise floor"
          value={analysis.noiseFloorDbfs === null || analysis.noiseFloorDbfs === undefined ? 'not measured' : formatDb(analysis.noiseFloorDbfs, 'dBFS')}
          detail={analysis.capturePeakDbfs === undefined ? undefined : `peak ${formatDb(analysis.capturePeakDbfs, 'dBFS')}`}
        />
        <Figure label="Polarity" value={analysis.polarityInverted ? 'inverted' : 'normal'} tone={analysis.polarityInverted ? 'warn' : undefined} />
      </dl>
    </section>
  );
}
