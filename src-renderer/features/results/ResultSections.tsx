/**
 * The text and tables of the results screen: the headline figures (or the refusal), the
 * statistics, the verdict against the claim with its provenance, the lip-sync standards, the
 * warnings and the measurement's settings.
 */
import type { LatencyStatsOutput } from '../../../shared/analysis/analyze-capture';
import type { AnalysisOutput } from '../../../shared/claims/judge';
import { type Claim, findClaim, formatExpectation, loadClaimsCatalogue } from '../../../shared/claims/claims-catalogue';
import { LIP_SYNC_STANDARDS } from '../../../shared/claims/lip-sync-standards';
import type { Report } from '../../../shared/report/report-schema';
import { OUTCOME_LABELS, signalLabel, statisticLabel } from '../../../shared/report/labels';
import { confidenceLabel, formatDateTime, formatDb, formatMs, formatNumber, formatPercent, formatSignedMs } from '../../ui/format/format';

type Verdict = NonNullable<AnalysisOutput['verdict']>;

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

const STAT_ROWS: Array<{ label: string; value: (s: LatencyStatsOutput) => string }> = [
  { label: 'Median', value: (s) => formatMs(s.medianMs) },
  { label: 'Mean', value: (s) => formatMs(s.meanMs) },
  { label: 'Standard deviation', value: (s) => formatMs(s.stdMs) },
  { label: 'Minimum', value: (s) => formatMs(s.minMs) },
  { label: 'Maximum', value: (s) => formatMs(s.maxMs) },
  { label: '95th percentile', value: (s) => formatMs(s.p95Ms) },
  { label: '95 % CI of the median', value: (s) => (s.medianCi95Ms ? `${formatNumber(s.medianCi95Ms[0], 2)}–${formatMs(s.medianCi95Ms[1])}` : 'needs 6 events') },
  { label: 'Events used', value: (s) => String(s.count) },
];

export function StatisticsTable({ analysis }: { analysis: AnalysisOutput }) {
  const latency = analysis.latency;
  if (!latency) return null;
  const added = analysis.added;
  return (
    <section className="panel" aria-labelledby="stats-heading">
      <h3 id="stats-heading">Statistics of the confident events</h3>
      <table className="stats-table">
        <thead>
          <tr>
            <th scope="col">Statistic</th>
            <th scope="col" className="num">
              Measured
            </th>
            {added && (
              <th scope="col" className="num">
                Added over baseline
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {STAT_ROWS.map((row) => (
            <tr key={row.label}>
              <th scope="row">{row.label}</th>
              <td className="num">{row.value(latency)}</td>
              {added && <td className="num">{row.value(added)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

const OUTCOME_TONE = { better: 'ok', within: 'ok', worse: 'bad' } as const;

/** The claim compared against: the report's snapshot, or the catalogue entry with that id. */
function claimOf(report: Report, verdict: Verdict): Claim | undefined {
  const snapshot = report.settings.claim;
  if (snapshot && snapshot.id === verdict.claim.claimId) return snapshot;
  return findClaim(verdict.claim.claimId);
}

export function ClaimVerdictPanel({ report }: { report: Report }) {
  const verdict = report.analysis.verdict;
  if (!verdict) {
    return (
      <section className="panel" aria-labelledby="verdict-heading">
        <h3 id="verdict-heading">Against a documented claim</h3>
        <p className="muted">No claim was chosen for this measurement. Choose a connection method, a speaker model or your own profile on the Measure page to compare with what is documented.</p>
      </section>
    );
  }
  const v = verdict.claim;
  const claim = claimOf(report, verdict);
  const article = claim && claim.source.file !== 'user' ? loadClaimsCatalogue().sources.find((s) => s.file === claim.source.file) : undefined;
  return (
    <section className="panel" aria-labelledby="verdict-heading">
      <h3 id="verdict-heading">Against the claim: {v.claimName}</h3>
      <p className={`verdict-outcome status-${OUTCOME_TONE[v.outcome]}`}>
        <strong>{OUTCOME_LABELS[v.outcome]}</strong>
      </p>
      <p>{v.summary}</p>
      <table className="kv-table">
        <tbody>
          <tr>
            <th scope="row">Claim</th>
            <td>{v.claimName}</td>
          </tr>
          <tr>
            <th scope="row">Expectation</th>
            <td>
              {formatExpectation(v.expectation)} ({statisticLabel(v.statistic)})
            </td>
          </tr>
          <tr>
            <th scope="row">Measured</th>
            <td>
              {formatMs(v.measuredMs)} ({statisticLabel(v.statistic)}, {verdict.basis === 'added' ? 'added over the baseline' : 'total latency'})
            </td>
          </tr>
          <tr>
            <th scope="row">Margin</th>
            <td>
              {formatSignedMs(v.marginMs)} <span className="muted">(positive = on the good side)</span>
              {v.toleranceMs !== undefined && <span className="muted"> · tolerance ±{formatMs(v.toleranceMs)}</span>}
            </td>
          </tr>
        </tbody>
      </table>
      {claim && (
        <div className="claim-source">
          <h4>Source</h4>
          {claim.source.file === 'user' ? (
            <p>Your own profile “{claim.name}”{claim.description ? `: ${claim.description}` : ''}.</p>
          ) : (
            <>
              <p>
                <cite>{claim.source.article}</cite>
                {claim.source.author ? ` by ${claim.source.author}` : ''} <span className="muted">(file {claim.source.file})</span>
              </p>
              <p className="muted">{claim.source.location}</p>
              <p>
                Claimed: <q>{claim.claimText}</q>
              </p>
              <blockquote className="claim-quote">{claim.source.quote}</blockquote>
              {article && <p className="muted">The article’s stance: {article.stance}</p>}
              <p className="muted">A figure from a consumer article is a claim by that article, not a measured fact.</p>
            </>
          )}
          {claim.notes && claim.notes.length > 0 && (
            <details>
              <summary>Notes on this claim ({claim.notes.length})</summary>
              <ul>
                {claim.notes.map((note) => (
                  <li key={note}>{note}</li>
                ))}
              </ul>
            </details>
          )}
        </div>
      )}
    </section>
  );
}

export function LipSyncPanel({ analysis, currentVideoLatencyMs }: { analysis: AnalysisOutput; currentVideoLatencyMs?: number }) {
  const lip = analysis.lipSync;
  if (!lip) return null;
  const changed = currentVideoLatencyMs !== undefined && Math.abs(currentVideoLatencyMs - lip.videoLatencyMs) > 1e-9;
  return (
    <section className="panel" aria-labelledby="lipsync-heading">
      <h3 id="lipsync-heading">Lip sync</h3>
      <p className="muted">
        A/V offset = {lip.basis === 'added' ? 'added' : 'total'} audio latency − the display’s video latency ({formatMs(lip.videoLatencyMs, 0)}); positive means the sound lags the
        picture.
      </p>
      {changed && (
        <p className="status-warn">
          Your settings now give the display’s video latency as {formatMs(currentVideoLatencyMs, 0)}; this measurement was checked with {formatMs(lip.videoLatencyMs, 0)}. Measure
          again to check with the new value.
        </p>
      )}
      <table className="lipsync-table">
        <thead>
          <tr>
            <th scope="col">Standard</th>
            <th scope="col">Window, lead / lag</th>
            <th scope="col" className="num">
              Offset
            </th>
            <th scope="col">Result</th>
            <th scope="col" className="num">
              Margin
            </th>
          </tr>
        </thead>
        <tbody>
          {lip.verdicts.map((v) => {
            const standard = LIP_SYNC_STANDARDS.find((s) => s.id === v.standardId);
            return (
              <tr key={v.standardId}>
                <th scope="row" title={standard?.description}>
                  {v.standardName}
                </th>
                <td className="nowrap">{standard ? `${formatNumber(standard.maxLeadMs, 0)} / ${formatMs(standard.maxLagMs, 0)}` : `${v.limit} ≤ ${formatMs(v.limitMs, 0)}`}</td>
                <td className="num">{formatSignedMs(v.offsetMs, 1)}</td>
                <td>
                  <span className={v.pass ? 'status-ok' : 'status-bad'}>{v.pass ? 'Pass' : 'Fail'}</span>
                </td>
                <td className="num" title={`to the ${v.limit} limit`}>
                  {formatSignedMs(v.marginMs, 1)} <span className="muted">({v.limit})</span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

export function WarningsPanel({ warnings }: { warnings: AnalysisOutput['warnings'] }) {
  if (warnings.length === 0) return null;
  return (
    <section className="panel warnings" aria-labelledby="warnings-heading">
      <h3 id="warnings-heading">
        {warnings.length} warning{warnings.length === 1 ? '' : 's'}
      </h3>
      <ul>
        {warnings.map((w, i) => (
          <li key={`${w.code}-${i}`}>
            <code>{w.code}</code> {w.message}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function MeasurementDetails({ report }: { report: Report }) {
  const s = report.settings;
  const rows: Array<[string, string]> = [
    ['Measured', formatDateTime(report.createdAt)],
    ['Setup', s.setupDescription || '—'],
    ['Output', s.outputDevice?.label || '—'],
    ['Input', s.inputDevice?.label || '—'],
    ['Mode', s.mode === 'dual-channel' ? 'Dual channel (loopback reference)' : 'Single channel'],
    ['Signal', `${signalLabel(report.signal.kind)}, ${formatNumber(report.signal.durationS, 1)} s at ${report.signal.sampleRate} Hz`],
    ['Baseline', s.baselineMs === null ? 'none' : formatMs(s.baselineMs)],
    ['Video latency', formatMs(s.videoLatencyMs, 0)],
    ['Search range', `up to ${formatMs(s.maxLatencyMs, 0)}`],
    ['Weighting', s.weighting === 'phat' ? 'GCC-PHAT' : 'none'],
    ['Microphone calibration', s.micCalibrationFile ?? 'none'],
    ['Software', `${report.software.name} ${report.software.version} (${report.software.source})`],
    ['Report id', report.id],
  ];
  const capture = s.captureSettings;
  if (capture) {
    const flag = (v: boolean | null) => (v === null ? 'unknown' : v ? 'on' : 'off');
    rows.push(['Browser processing', `echo cancellation ${flag(capture.echoCancellation)}, noise suppression ${flag(capture.noiseSuppression)}, auto gain ${flag(capture.autoGainControl)}`]);
  }
  return (
    <section className="panel" aria-labelledby="details-heading">
      <h3 id="details-heading">Measurement</h3>
      <table className="kv-table">
        <tbody>
          {rows.map(([k, v]) => (
            <tr key={k}>
              <th scope="row">{k}</th>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.notes && (
        <>
          <h4>Notes</h4>
          <p className="notes">{report.notes}</p>
        </>
      )}
    </section>
  );
}
