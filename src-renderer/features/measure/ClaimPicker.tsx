/** What to compare against: a catalogue claim (grouped), a custom profile, or nothing; with its source. */
import { useId } from 'react';
import { type Claim, type ClaimStatistic, claimsOfKind, formatExpectation } from '../../../shared/claims/claims-catalogue';

const STATISTIC_TEXT: Record<ClaimStatistic, string> = {
  median: 'compared with the median latency',
  mean: 'compared with the mean latency',
  max: 'compared with the highest latency of the run',
  min: 'compared with the lowest latency of the run',
  p95: 'compared with the 95th percentile',
  spread: 'compared with the spread (highest − lowest) over the run',
};

const GROUPS: Array<{ label: string; kind: 'connection-method' | 'speaker-model' | 'statement' }> = [
  { label: 'Connection methods', kind: 'connection-method' },
  { label: 'Speaker models', kind: 'speaker-model' },
  { label: 'Other stated figures', kind: 'statement' },
];

export interface ClaimPickerProps {
  claimId: string | null;
  customClaims: Claim[];
  claim: Claim | null;
  disabled?: boolean;
  onChange(claimId: string | null): void;
}

export function ClaimPicker({ claimId, customClaims, claim, disabled, onChange }: ClaimPickerProps) {
  const id = useId();
  return (
    <div className="claim-picker">
      <label htmlFor={id}>Compare with</label>
      <select id={id} value={claimId ?? ''} disabled={disabled} onChange={(e) => onChange(e.target.value || null)}>
        <option value="">Nothing (just measure)</option>
        {GROUPS.map((g) => (
          <optgroup key={g.kind} label={g.label}>
            {claimsOfKind(g.kind).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} — {formatExpectation(c.expectation)}
              </option>
            ))}
          </optgroup>
        ))}
        {customClaims.length > 0 && (
          <optgroup label="Your profiles">
            {customClaims.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} — {formatExpectation(c.expectation)}
              </option>
            ))}
          </optgroup>
        )}
      </select>
      {claimId && !claim && <p className="status-warn">The chosen profile no longer exists; choose another or compare with nothing.</p>}
      {claim && <ClaimDetails claim={claim} />}
    </div>
  );
}

export function ClaimDetails({ claim }: { claim: Claim }) {
  const { source } = claim;
  const custom = claim.kind === 'custom';
  return (
    <section className="claim-details" aria-label={`Claim: ${claim.name}`}>
      <p className="claim-expectation">
        <strong>Expectation:</strong> {formatExpectation(claim.expectation)}, {STATISTIC_TEXT[claim.expectation.statistic]}.
      </p>
      <p>
        <strong>Claim:</strong> “{claim.claimText}”
      </p>
      {custom ? (
        <p className="muted">Your own profile{claim.description ? `: ${claim.description}` : '.'}</p>
      ) : (
        <div className="claim-source">
          <p>
            <strong>Source:</strong> <cite>{source.article}</cite>
            {source.author ? ` by ${source.author}` : ''}
          </p>
          <p className="muted">
            File <span className="mono">{source.file}</span> · {source.location}
          </p>
          <blockquote>{source.quote}</blockquote>
        </div>
      )}
      {claim.notes && claim.notes.length > 0 && (
        <details>
          <summary>Notes on this claim ({claim.notes.length})</summary>
          <ul>
            {claim.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
