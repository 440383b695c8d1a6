/**
 * Two saved measurements side by side: latency over time and frequency response overlaid (plus up
 * to MAX_EXTRA_CURVES imported curves, `freq dB [phase]` files such as REW exports or a maker's
 * published response), and a table of differences (B − A) in latency and in level per octave band.
 */
import { useId, useMemo, useRef, useState } from 'react';
import { type MicCalibration, parseMicCalibration } from '../../../shared/analysis/mic-calibration';
import { OverlayResponseChart } from '../../ui/charts/OverlayResponseChart';
import type { SmoothingFraction } from '../../../shared/analysis/frequency-response';
import { missingResponseReason } from '../../../shared/report/labels';
import type { Report } from '../../../shared/report/report-schema';
import { formatHz } from '../../../shared/report/chart-math';
import type { FrequencyCurve } from '../../ui/charts/FrequencyResponseChart';
import { hasFrequencyResponse, importedCurve, nyquistOf, reportCurve } from '../../ui/charts/frequency-data';
import { formatDateTime, formatMs, formatNumber, formatSignedMs } from '../../ui/format/format';
import { SmoothingSelect } from '../../ui/charts/SmoothingSelect';
import { CompareLatencyChart } from './CompareLatencyChart';
import { type BandDifference, compareBasis, latencyDifferences, octaveBandDifferences, settledAfterS } from './library-model';
import { errorText } from './library-text';

/** Imported curves shown besides A and B. */
export const MAX_EXTRA_CURVES = 4;
const MAX_CURVE_BYTES = 10 * 1024 * 1024;

const signedDb = (value: number): string => `${value > 0.05 ? '+' : ''}${formatNumber(value, 1)} dB`;

export function ComparePanel({ a, b, onClose }: { a: Report; b: Report; onClose(): void }) {
  const ids = useId();
  const [smoothing, setSmoothing] = useState<SmoothingFraction>(6);
  const [extra, setExtra] = useState<Array<{ id: string; name: string; calibration: MicCalibration }>>([]);
  const [extraError, setExtraError] = useState<string | null>(null);
  const curveInput = useRef<HTMLInputElement>(null);
  const addCurve = async (file: File | undefined) => {
    setExtraError(null);
    if (!file) return;
    try {
      if (file.size > MAX_CURVE_BYTES) throw new Error('the file is larger than 10 MB; it is not a response curve');
      const calibration = parseMicCalibration(await file.text());
      setExtra((old) => [...old, { id: `${file.name}-${old.length}-${Date.now()}`, name: file.name, calibration }].slice(0, MAX_EXTRA_CURVES));
    } catch (error) {
      setExtraError(`"${file.name}" is not a usable curve: ${errorText(error)}.`);
    } finally {
      if (curveInput.current) curveInput.current.value = '';
    }
  };
  const labelA = a.title || 'Untitled';
  const labelB = b.title || 'Untitled';
  const basis = useMemo(() => compareBasis(a, b), [a, b]);
  const latency = useMemo(() => latencyDifferences(a, b, basis.basis), [a, b, basis]);
  const settled = [settledAfterS(a), settledAfterS(b)];
  const modes = [a, b].map((r) => (r.analysis.status === 'ok' ? (r.analysis.latency?.modes ?? []) : []));
  const bothFr = hasFrequencyResponse(a) && hasFrequencyResponse(b);

  const fr = useMemo((): { curves: FrequencyCurve[]; bands: BandDifference[]; error: string | null } => {
    if (!bothFr) return { curves: [], bands: [], error: null };
    try {
      const ca = reportCurve(a, smoothing, true);
      const cb = reportCurve(b, smoothing, true);
      const curves: FrequencyCurve[] = [];
      if (ca) curves.push({ id: 'a', label: `A: ${labelA}`, points: ca.points, role: 'primary' });
      if (cb) curves.push({ id: 'b', label: `B: ${labelB}`, points: cb.points, role: 'overlay' });
      return { curves, bands: octaveBandDifferences(a, b), error: null };
    } catch (error) {
      return { curves: [], bands: [], error: errorText(error) };
    }
  }, [a, b, bothFr, smoothing, labelA, labelB]);

  const latencyA = a.analysis.status === 'ok' ? a.analysis.latency : undefined;
  const latencyB = b.analysis.status === 'ok' ? b.analysis.latency : undefined;

  return (
    <section className="panel compare-panel" aria-labelledby={`${ids}-heading`}>
      <div className="panel-header">
        <h3 id={`${ids}-heading`} tabIndex={-1}>
          Comparing A and B
        </h3>
        <button type="button" className="secondary" onClick={onClose}>
          Close comparison
        </button>
      </div>
      <ul className="compare-legend">
        <li>
          <strong>A</strong> {labelA} <span className="muted">({formatDateTime(a.createdAt)})</span>
        </li>
        <li>
          <strong>B</strong> {labelB} <span className="muted">({formatDateTime(b.createdAt)})</span>
        </li>
      </ul>

      <div className="compare-grid">
        <div>
          <table className="compare-table">
            <caption>
              {basis.basis === 'added' ? 'Added latency' : basis.basis === 'total' ? 'Latency (total)' : 'Latency'}
              {settled.some((t) => t !== null) ? ' of the steady state' : ''}, B − A
            </caption>
            <thead>
              <tr>
                <th scope="col">Statistic</th>
                <th scope="col" className="num">
                  A
                </th>
                <th scope="col" className="num">
                  B
                </th>
                <th scope="col" className="num">
                  Δ (B − A)
                </th>
              </tr>
            </thead>
            <tbody>
              {latency.map((row) => (
                <tr key={row.label}>
                  <th scope="row">{row.label}</th>
                  <td className="num">{row.a === null ? (a.analysis.status === 'ok' ? '—' : 'refused') : formatMs(row.a)}</td>
                  <td className="num">{row.b === null ? (b.analysis.status === 'ok' ? '—' : 'refused') : formatMs(row.b)}</td>
                  <td className="num">{row.delta === null ? '—' : formatSignedMs(row.delta)}</td>
                </tr>
              ))}
              {settled.some((t) => t !== null) && (
                <tr>
                  <th scope="row">Start-up, settled after</th>
                  <td className="num">{settled[0] === null ? 'none' : `${formatNumber(settled[0], 1)} s`}</td>
                  <td className="num">{settled[1] === null ? 'none' : `${formatNumber(settled[1], 1)} s`}</td>
                  <td className="num">—</td>
                </tr>
              )}
            </tbody>
          </table>
          {basis.note && (
            <p className={basis.basis === null ? 'status-warn' : 'muted'} data-testid="compare-basis">
              {basis.note}
            </p>
          )}
          {modes.some((m) => m.length >= 2) && (
            <p className="status-warn">
              {modes
                .map((m, i) => (m.length >= 2 ? `${i === 0 ? 'A' : 'B'} alternates between ${m.map((x) => `${formatNumber(x.medianMs, 1)} ms (${Math.round(x.share * 100)} %)`).join(' and ')}` : null))
                .filter(Boolean)
                .join('; ')}
              : its median is no latency it ever has.
            </p>
          )}
        </div>
        <div>
          {bothFr && !fr.error ? (
            <table className="compare-table">
              <caption>Level per octave band (each normalised to its 500 Hz–2 kHz mean), B − A</caption>
              <thead>
                <tr>
                  <th scope="col">Band</th>
                  <th scope="col" className="num">
                    A
                  </th>
                  <th scope="col" className="num">
                    B
                  </th>
                  <th scope="col" className="num">
                    Δ dB
                  </th>
                </tr>
              </thead>
              <tbody>
                {fr.bands.map((row) => (
                  <tr key={row.hz}>
                    <th scope="row">{formatHz(row.hz)} Hz</th>
                    <td className="num">{row.a === null ? '—' : signedDb(row.a)}</td>
                    <td className="num">{row.b === null ? '—' : signedDb(row.b)}</td>
                    <td className="num">{row.delta === null ? '—' : signedDb(row.delta)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">
              {fr.error
                ? `The frequency responses cannot be compared: ${fr.error}`
                : `No frequency-response comparison: both measurements need one. ${[a, b]
                  .map((r, i) => (hasFrequencyResponse(r) ? null : `${i === 0 ? 'A' : 'B'} has none: ${missingResponseReason(r.analysis)}.`))
                  .filter((t) => t !== null)
                  .join(' ')}`}
            </p>
          )}
        </div>
      </div>

      {latencyA && latencyB ? (
        <CompareLatencyChart a={{ label: labelA, events: latencyA.events, medianMs: latencyA.medianMs }} b={{ label: labelB, events: latencyB.events, medianMs: latencyB.medianMs }} />
      ) : (
        <p className="muted">No latency chart: {latencyA ? 'B' : 'A'} was refused by the analysis, so it has no events.</p>
      )}

      {bothFr && !fr.error && (
        <div className="compare-fr">
          <div className="chart-controls">
            <SmoothingSelect value={smoothing} onChange={setSmoothing} />
          </div>
          <div className="chart-controls">
            <label htmlFor={`${ids}-curve`}>Overlay a curve file (freq dB [phase])</label>
            <input id={`${ids}-curve`} ref={curveInput} type="file" accept=".txt,.csv,.frd,.cal,text/plain" disabled={extra.length >= MAX_EXTRA_CURVES} onChange={(e) => void addCurve(e.target.files?.[0])} />
            {extra.map((c, i) => (
              <button key={c.id} type="button" className="secondary small" onClick={() => setExtra((old) => old.filter((x) => x.id !== c.id))} aria-label={`Remove overlay ${String.fromCharCode(67 + i)}: ${c.name}`}>
                Remove {String.fromCharCode(67 + i)}
              </button>
            ))}
          </div>
          {extraError && (
            <p className="field-error" role="alert">
              {extraError}
            </p>
          )}
          <OverlayResponseChart
            curves={[...fr.curves, ...extra.map((c, i) => ({ id: c.id, label: `${String.fromCharCode(67 + i)}: ${c.name}`, points: importedCurve(c.calibration, true) }))]}
            maxHz={Math.min(nyquistOf(a), nyquistOf(b))}
            magnitudeLabel="Level (dB re 500 Hz–2 kHz)"
          />
        </div>
      )}
    </section>
  );
}
