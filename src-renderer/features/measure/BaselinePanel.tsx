/**
 * Step 3: the computer's own round trip for this device pair, measured once on a wired path; with
 * where it was measured (devices, rate, audio session) and why it may not apply now. With a timing
 * reference no baseline is needed, and none is subtracted.
 */
import { useId } from 'react';
import type { StoredBaseline } from '../../host/host-api';

export interface BaselinePanelProps {
  inputLabel: string | null;
  outputLabel: string;
  baseline: StoredBaseline | null;
  /** Why the stored baseline may not subtract cleanly from a run made now (baselineCaveats); empty when it applies. */
  caveats: string[];
  useBaseline: boolean;
  /** A timing reference replaces the baseline. */
  timingReference: boolean;
  onUseBaselineChange(use: boolean): void;
  onMeasure(): void;
  onClear(): void;
  busy: boolean;
  canMeasure: boolean;
  /** The outcome of the last baseline run (a refusal or an error), shown until the next one. */
  message: { severity: 'ok' | 'warn' | 'bad'; text: string } | null;
}

function formatWhen(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function BaselinePanel(props: BaselinePanelProps) {
  const { baseline, caveats } = props;
  const useId_ = useId();
  if (props.timingReference) {
    return (
      <section className="panel baseline-panel" aria-labelledby="baseline-heading">
        <h3 id="baseline-heading">3. Baseline: not needed</h3>
        <p role="status">
          The timing reference (the loopback channel) takes the computer's own delay out of every run, so no baseline is subtracted. Results show the latency added after the
          loopback point.
        </p>
      </section>
    );
  }
  return (
    <section className="panel baseline-panel" aria-labelledby="baseline-heading">
      <h3 id="baseline-heading">3. Baseline (recommended)</h3>
      <p className="muted">
        Measure the computer's own round trip once per device pair on a wired path (e.g. headphone out cabled to line in); results then show the{' '}
        <em>added</em> latency of the speaker chain as well as the total.
      </p>
      <p className="muted">
        Devices: {props.inputLabel ?? 'no microphone'} → {props.outputLabel}
      </p>
      {baseline ? (
        <>
          <p role="status">
            Stored baseline: <strong>{baseline.baselineMs.toFixed(2)} ms</strong>, confidence {Math.round(baseline.confidence * 100)} %, measured {formatWhen(baseline.measuredAt)}
            {baseline.sampleRate !== undefined ? ` at ${baseline.sampleRate} Hz` : ''}
            {caveats.length === 0 ? ' in this audio session.' : '.'}
          </p>
          {caveats.length > 0 && (
            <div className="banner-inline banner-warning baseline-caveats" role="alert">
              <p>
                <strong>This baseline may not apply to the next run:</strong>
              </p>
              <ul>
                {caveats.map((c) => (
                  <li key={c}>{c}</li>
                ))}
              </ul>
              <p>Re-measure it now, in this session, for an exact added latency.</p>
              <button type="button" className="secondary" onClick={props.onMeasure} disabled={props.busy || !props.canMeasure}>
                Re-measure baseline now
              </button>
            </div>
          )}
          <label className="checkbox" htmlFor={useId_}>
            <input id={useId_} type="checkbox" checked={props.useBaseline} disabled={props.busy} onChange={(e) => props.onUseBaselineChange(e.target.checked)} />
            Subtract this baseline (results show total and added latency)
          </label>
        </>
      ) : (
        <p role="status">No baseline for these devices yet: results will show the total latency only.</p>
      )}
      <div className="button-row">
        {caveats.length === 0 || !baseline ? (
          <button type="button" className="secondary" onClick={props.onMeasure} disabled={props.busy || !props.canMeasure}>
            {baseline ? 'Re-measure baseline' : 'Measure baseline (10 s)'}
          </button>
        ) : null}
        {baseline && (
          <button type="button" className="secondary" onClick={props.onClear} disabled={props.busy}>
            Clear baseline
          </button>
        )}
      </div>
      {props.message && (
        <p className={`status-${props.message.severity}`} role={props.message.severity === 'ok' ? 'status' : 'alert'}>
          {props.message.text}
        </p>
      )}
    </section>
  );
}
