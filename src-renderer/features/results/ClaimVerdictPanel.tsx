/** The verdict against the claim chosen for the measurement, with the claim's source. */
import type { AnalysisOutput } from '../../../shared/claims/judge';
import { type Claim, findClaim, formatExpectation, loadClaimsCatalogue } from '../../../shared/claims/claims-catalogue';
import { OUTCOME_LABELS, quotedTableRow, statisticLabel } from '../../../shared/report/labels';
import type { Report } from '../../../shared/report/report-schema';
import { formatMs, formatSignedMs } from '../../ui/format/format';

type Verdict = NonNullable<AnalysisOutput['verdict']>;

const OUTCOME_TONE = { better: 'ok', within: 'ok', worse: 'bad', inconclusive: 'warn' } as const;

/** The claim compared against: the report's snapshot, or the catalogue entry with that id. */
function claimOf(report: Report, verdict: Verdict): Claim | undefined {
  const snapshot = report.settings.claim;
  if (snapshot && snapshot.id === verdict.claim.claimId) return snapshot;
  return findClaim(verdict.claim.claimId);
}

export function ClaimVerdictPanel({ report }: { report: Report }) {
  // Typed as the judge produces it (outcomes include 'inconclusive').
  const verdict: Verdict | undefined = report.analysis.verdict;
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
      {v.outcome === 'inconclusive' && (
        <p className="status-warn" data-testid="inconclusive-reason">
          No single figure stands for this path: {report.analysis.latency?.modes && report.analysis.latency.modes.length >= 2 ? 'the modes are listed at the top of the results; ' : ''}compare the
          claim with each of them.
        </p>
      )}
      <p className="verdict-basis">
        Compared: the measured <strong>{statisticLabel(v.statistic)}</strong> of the{' '}
        {verdict.basis === 'added' ? (report.settings.mode === 'dual-channel' ? 'latency after the timing reference' : 'latency added over the baseline') : 'total latency'}, because the claim
        states {v.statistic === 'median' ? 'a typical latency' : v.statistic === 'spread' ? 'a spread' : `a ${statisticLabel(v.statistic)}`}.
      </p>
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
              {formatMs(v.measuredMs)} ({statisticLabel(v.statistic)}, {verdict.basis === 'added' ? (report.settings.mode === 'dual-channel' ? 'after the timing reference' : 'added over the baseline') : 'total latency'})
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
              <QuotedRow claim={claim} />
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

/** The claim's source row as a table (the claim's cell marked), or the quoted sentence. */
function QuotedRow({ claim }: { claim: Claim }) {
  const row = quotedTableRow(claim);
  if (!row) return <blockquote className="claim-quote">{claim.source.quote}</blockquote>;
  return (
    <div className="table-scroll">
      <table className="claim-row-table">
        <caption className="muted">The table row, as the article gives it</caption>
        <thead>
          <tr>
            {row.headers.map((h, i) => (
              <th key={`${h}-${i}`} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            {row.cells.map((cell, i) => (
              <td key={`${cell}-${i}`} className={i === row.claimColumn ? 'claim-cell' : undefined}>
                {i === row.claimColumn ? <mark>{cell}</mark> : cell}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </div>
  );
}
