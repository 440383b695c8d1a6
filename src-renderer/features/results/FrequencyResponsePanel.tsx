/**
 * The frequency response with its controls: smoothing (re-smoothed from the band spectra at once,
 * no worker needed), normalised or absolute magnitude, coherence, and an overlay — a saved
 * measurement from the library or an imported reference curve (`freq dB [phase]` text, as REW
 * and microphone calibration files) — plus the level per octave band as a table.
 */
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { SmoothingFraction } from '../../../shared/analysis/frequency-response';
import { type MicCalibration, parseMicCalibration } from '../../../shared/analysis/mic-calibration';
import { impulseMethodText } from '../../../shared/report/labels';
import type { Report } from '../../../shared/report/report-schema';
import type { LibraryEntry } from '../../host/host-api';
import { useHost } from '../../host/host-context';
import { formatHz } from '../../../shared/report/chart-math';
import { type FrequencyCurve, FrequencyResponseChart } from '../../ui/charts/FrequencyResponseChart';
import { type CurvePoint, importedCurve, levelAt, nyquistOf, OCTAVE_BANDS_HZ, reportCurve, SMOOTHING_OPTIONS, pointsPerOctaveFor } from '../../ui/charts/frequency-data';
import { formatNumber } from '../../ui/format/format';
import { SmoothingSelect } from '../../ui/charts/SmoothingSelect';

type Overlay = { kind: 'report'; id: string; report: Report } | { kind: 'curve'; name: string; calibration: MicCalibration };

const MAX_CURVE_BYTES = 10 * 1024 * 1024;

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export function FrequencyResponsePanel({ report, libraryId }: { report: Report; libraryId: string | null }) {
  const host = useHost();
  const ids = useId();
  const fr = report.analysis.frequencyResponse;
  const [smoothing, setSmoothing] = useState<SmoothingFraction>(fr?.smoothing ?? 12);
  const canNormalise = fr?.referenceLevelDb !== null && fr?.referenceLevelDb !== undefined;
  const [normalised, setNormalised] = useState(canNormalise);
  const [showCoherence, setShowCoherence] = useState(true);
  const [overlay, setOverlay] = useState<Overlay | null>(null);
  const [overlayError, setOverlayError] = useState<string | null>(null);
  const [candidates, setCandidates] = useState<LibraryEntry[] | null>(null);
  const [candidatesError, setCandidatesError] = useState<string | null>(null);
  const [loadingOverlay, setLoadingOverlay] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let alive = true;
    host.library.list().then(
      (entries) => {
        if (!alive) return;
        const seen = new Set<string>();
        // Each saved measurement once (by id), never the one shown; any signal (click trains have a
        // response too; one saved without it says so when chosen).
        const withResponse = entries.filter((e) => e.status === 'ok' && e.id !== libraryId && e.id !== report.id && !seen.has(e.id) && seen.add(e.id));
        setCandidates(withResponse.sort((a, b) => b.createdAt.localeCompare(a.createdAt)));
      },
      (error: unknown) => alive && setCandidatesError(`Saved measurements could not be listed: ${errorText(error)}`),
    );
    return () => {
      alive = false;
    };
  }, [host, libraryId, report.id]);

  const primary = useMemo(() => {
    try {
      return { curve: reportCurve(report, smoothing, normalised && canNormalise), error: null };
    } catch (error) {
      return { curve: null, error: errorText(error) };
    }
  }, [report, smoothing, normalised, canNormalise]);

  const overlayPoints = useMemo((): { points: CurvePoint[] | null; error: string | null } => {
    if (!overlay) return { points: null, error: null };
    if (overlay.kind === 'curve') return { points: importedCurve(overlay.calibration, normalised && canNormalise), error: null };
    try {
      return { points: reportCurve(overlay.report, smoothing, normalised && canNormalise)?.points ?? null, error: null };
    } catch (error) {
      return { points: null, error: errorText(error) };
    }
  }, [overlay, smoothing, normalised, canNormalise]);

  /** Octave-band levels: both measurements smoothed to 1/1 octave; an imported curve as it is. */
  const bandRows = useMemo(() => {
    const norm = normalised && canNormalise;
    let own: CurvePoint[] | null = null;
    let other: CurvePoint[] | null = null;
    try {
      own = reportCurve(report, 1, norm)?.points ?? null;
      if (overlay?.kind === 'report') other = reportCurve(overlay.report, 1, norm)?.points ?? null;
    } catch {
      // The chart above reports the error.
    }
    if (overlay?.kind === 'curve') other = importedCurve(overlay.calibration, norm);
    return OCTAVE_BANDS_HZ.map((hz) => ({ hz, db: own ? levelAt(own, hz) : null, overlayDb: other ? levelAt(other, hz, 1) : null }));
  }, [report, overlay, normalised, canNormalise]);

  const curves = useMemo((): FrequencyCurve[] => {
    const list: FrequencyCurve[] = [];
    if (primary.curve) list.push({ id: 'primary', label: report.title || 'This measurement', points: primary.curve.points, role: 'primary' });
    if (overlay && overlayPoints.points) {
      const label = overlay.kind === 'report' ? overlay.report.title || 'Saved measurement' : `${overlay.name} (reference curve)`;
      list.push({ id: 'overlay', label, points: overlayPoints.points, role: 'overlay' });
    }
    return list;
  }, [primary, overlay, overlayPoints, report.title]);

  if (!fr) return null;

  const pickSaved = async (id: string) => {
    setOverlayError(null);
    if (id === '') {
      setOverlay(null);
      return;
    }
    setLoadingOverlay(true);
    try {
      const opened = await host.library.open(id);
      if (!opened.report.analysis.frequencyResponse) setOverlayError(`"${opened.report.title}" has no frequency response to overlay.`);
      else setOverlay({ kind: 'report', id, report: opened.report });
    } catch (error) {
      setOverlayError(`The saved measurement could not be opened: ${errorText(error)}`);
    } finally {
      setLoadingOverlay(false);
    }
  };

  const importCurve = async (file: File | undefined) => {
    setOverlayError(null);
    if (!file) return;
    try {
      if (file.size > MAX_CURVE_BYTES) throw new Error('the file is larger than 10 MB; it is not a response curve');
      const calibration = parseMicCalibration(await file.text());
      setOverlay({ kind: 'curve', name: file.name, calibration });
    } catch (error) {
      setOverlayError(`"${file.name}" is not a usable curve: ${errorText(error)}.`);
    } finally {
      if (fileInput.current) fileInput.current.value = '';
    }
  };

  const magnitudeLabel = normalised && canNormalise ? 'Level (dB re 500 Hz–2 kHz)' : 'Path gain (dB)';
  const savedValue = overlay?.kind === 'report' ? overlay.id : '';
  const overlayLabel = curves.find((c) => c.role === 'overlay')?.label;

  const controls = (
    <div className="chart-controls">
      <SmoothingSelect value={smoothing} onChange={setSmoothing} />
      <fieldset>
        <legend>Magnitude</legend>
        <label className="inline-option">
          <input type="radio" name={`${ids}-magnitude`} checked={normalised && canNormalise} disabled={!canNormalise} onChange={() => setNormalised(true)} />
          Normalised (0 dB = mean 500 Hz–2 kHz)
        </label>
        <label className="inline-option">
          <input type="radio" name={`${ids}-magnitude`} checked={!(normalised && canNormalise)} onChange={() => setNormalised(false)} />
          Absolute path gain
        </label>
      </fieldset>
      <label className="inline-option">
        <input type="checkbox" checked={showCoherence} onChange={(e) => setShowCoherence(e.target.checked)} />
        Coherence
      </label>
      <div>
        <label htmlFor={`${ids}-overlay`}>Overlay a saved measurement</label>
        <select id={`${ids}-overlay`} value={savedValue} disabled={loadingOverlay || candidates === null} onChange={(e) => void pickSaved(e.target.value)} aria-describedby={candidatesError ? `${ids}-candidates-error` : undefined}>
          <option value="">{candidates === null && !candidatesError ? 'Loading…' : 'None'}</option>
          {candidates?.map((c) => (
            <option key={c.id} value={c.id}>
              {overlayOptionLabel(c, candidates)}
            </option>
          ))}
        </select>
      </div>
      <div>
        <input
          ref={fileInput}
          id={`${ids}-curve`}
          type="file"
          accept=".txt,.frd,.csv,.cal,text/plain,text/csv"
          className="visually-hidden"
          tabIndex={-1}
          aria-label="Reference curve file"
          onChange={(e) => void importCurve(e.target.files?.[0])}
        />
        <button type="button" className="secondary" onClick={() => fileInput.current?.click()}>
          Import reference curve…
        </button>
      </div>
      {overlay && (
        <button
          type="button"
          className="secondary"
          onClick={() => {
            setOverlay(null);
            setOverlayError(null);
          }}
        >
          Remove overlay
        </button>
      )}
    </div>
  );

  return (
    <section className="panel" aria-labelledby={`${ids}-heading`}>
      <h3 id={`${ids}-heading`}>Frequency response{report.analysis.frequencyResponse?.impulse ? ' (room window)' : ''}</h3>
      {controls}
      {candidatesError && (
        <p id={`${ids}-candidates-error`} className="status-warn">
          {candidatesError}
        </p>
      )}
      {(overlayError ?? overlayPoints.error) && (
        <p className="status-bad" role="alert">
          {overlayError ?? `The overlay cannot be shown: ${overlayPoints.error}`}
        </p>
      )}
      {primary.error ? (
        <p className="status-bad" role="alert">
          The frequency response cannot be shown at this smoothing: {primary.error}
        </p>
      ) : (
        <FrequencyResponseChart
          curves={curves}
          coherence={showCoherence ? primary.curve?.coherence ?? null : null}
          maxHz={nyquistOf(report)}
          magnitudeLabel={magnitudeLabel}
          pointsPerOctave={pointsPerOctaveFor(smoothing)}
          title={`Frequency response, ${SMOOTHING_OPTIONS.find((o) => o.value === (smoothing === 48 ? 0 : smoothing))?.label.toLowerCase() ?? ''} smoothing`}
        />
      )}
      <p className="chart-note muted">
        {fr.impulse ? `${impulseMethodText(fr.impulse)}; the room window of its impulse response` : `H1 estimate from ${fr.averages} averages of ${fr.fftSize}-point FFTs`}; median coherence{' '}
        {fr.medianCoherence === null ? 'not available' : formatNumber(fr.medianCoherence, 2)}.
        {fr.micCalibration ? ' Microphone calibration applied.' : ' No microphone calibration.'}
        {report.analysis.latency?.startup && report.analysis.latency.steadyState
          ? ` Measured over the steady state, from ${formatNumber(report.analysis.latency.steadyState.fromS, 1)} s: the start-up, while the latency still changed, is left out.`
          : ''}
        {canNormalise && fr.referenceLevelDb !== null ? ` Mean path gain over 500 Hz–2 kHz: ${formatNumber(fr.referenceLevelDb, 1)} dB.` : ''}
        {overlay?.kind === 'curve' ? ' The reference curve is drawn as in its file (shifted to its own 500 Hz–2 kHz mean when normalised).' : ''}
      </p>
      <details className="octave-table">
        <summary>Level per octave band (1/1-octave smoothing)</summary>
        <table>
          <caption className="visually-hidden">Level per octave band, {magnitudeLabel}</caption>
          <thead>
            <tr>
              <th scope="col">Band</th>
              <th scope="col">{report.title || 'This measurement'} (dB)</th>
              {overlayLabel && <th scope="col">{overlayLabel} (dB)</th>}
            </tr>
          </thead>
          <tbody>
            {bandRows.map((row) => (
              <tr key={row.hz}>
                <th scope="row">{formatHz(row.hz)} Hz</th>
                <td className="num">{row.db === null ? '—' : formatNumber(row.db, 1)}</td>
                {overlayLabel && <td className="num">{row.overlayDb === null ? '—' : formatNumber(row.overlayDb, 1)}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}

/**
 * A saved measurement in the overlay list: its title with the date and time it was measured (to the
 * second when two of the same title fall in the same minute), so entries of the same title differ.
 */
function overlayOptionLabel(entry: LibraryEntry, all: readonly LibraryEntry[]): string {
  const title = entry.title || entry.id;
  const date = new Date(entry.createdAt);
  if (Number.isNaN(date.getTime())) return `${title} (${entry.createdAt})`;
  const minute = (d: Date) => d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  const clash = all.some((o) => o.id !== entry.id && (o.title || o.id) === title && minute(new Date(o.createdAt)) === minute(date));
  return `${title} (${clash ? date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' }) : minute(date)})`;
}
