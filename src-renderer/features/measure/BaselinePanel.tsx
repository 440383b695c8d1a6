/** Step 3: the computer's own round trip for this device pair, measured once on a wired path. */
import { useId } from 'react';
import type { StoredBaseline } from '../../host/host-api';

export interface BaselinePanelProps {
  inputLabel: string | null;
  outputLabel: string;
  baseline: StoredBaseline | null;
  useBaseline: boolean;
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
  const { baseline } = props;
  const useId_ = useId();
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
            Stored baseline: <strong>{baseline.baselineMs.toFixed(2)} ms</strong>, confidence {Math.round(baseline.confidence * 100)} %, measured {formatWhen(baseline.measuredAt)}.
          </p>
          <label className="checkbox" htmlFor={useId_}>
            <input id={useId_} type="checkbox" checked={props.useBaseline} disabled={props.busy} onChange={(e) => props.onUseBaselineChange(e.target.checked)} />
            Subtract this baseline (results show total and added latency)
          </label>
        </>
      ) : (
        <p role="status">No baseline for these devices yet: results will show the total latency only.</p>
      )}
      <div className="button-row">
        <button type="button" className="secondary" onClick={props.onMeasure} disabled={props.busy || !props.canMeasure}>
          {baseline ? 'Re-measure baseline' : 'Measure baseline (10 s)'}
        </button>
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
