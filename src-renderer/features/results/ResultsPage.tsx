/**
 * Results of one measurement: the headline latency with its spread and confidence (or the
 * refusal and what to do), the verdict against the claim with its source, the lip-sync
 * standards, warnings, the charts, the statistics, saving to the library and export.
 */
import { useEffect, useRef, useState } from 'react';
import type { OpenMeasurement } from '../../navigation/open-measurement';
import type { AppSettings, LibraryEntry } from '../../host/host-api';
import { useHost } from '../../host/host-context';
import { CorrelationPeakChart } from '../../ui/charts/CorrelationPeakChart';
import { ExportPanel } from './ExportPanel';
import { FrequencyResponsePanel } from './FrequencyResponsePanel';
import { ImpulseResponseSection } from './ImpulseResponseSection';
import { missingResponseReason, signalLabel } from '../../../shared/report/labels';
import { resultPolarity } from '../../../shared/analysis/correlation-zoom';
import { formatDateTime } from '../../ui/format/format';
import { LatencyHistogramChart } from '../../ui/charts/LatencyHistogramChart';
import { LatencyOverTimeChart } from '../../ui/charts/LatencyOverTimeChart';
import { lastHandledRequest, markRequestHandled } from '../../navigation/request-memory';
import { ClaimVerdictPanel } from './ClaimVerdictPanel';
import { GroupResults } from './GroupResults';
import { Headline, RefusalPanel } from './Headline';
import { LipSyncPanel } from './LipSyncPanel';
import { MeasurementDetails, StatisticsTable, WarningsPanel } from './ResultSections';
import { useStagedReveal } from '../../ui/hooks/use-staged-reveal';
import './results.css';

export interface ResultsPageProps {
  measurement: OpenMeasurement | null;
  settings: AppSettings;
  exportRequest: number;
  onMeasurementChange(m: OpenMeasurement): void;
  onSaved(entry: LibraryEntry): void;
  onNewMeasurement(): void;
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Where a chart will appear, at its height, so the page does not jump when it does. */
function ChartPending({ height }: { height: number }) {
  return <div className="chart-pending" style={{ height }} aria-hidden="true" />;
}

export function ResultsPage(props: ResultsPageProps) {
  const { measurement, settings, exportRequest, onMeasurementChange, onSaved, onNewMeasurement } = props;
  const host = useHost();
  const [exportOpen, setExportOpen] = useState(false);
  // A menu "Export" request not yet acted on opens the panel (also when it arrives before this page mounts).
  const [handledRequest, setHandledRequest] = useState(() => lastHandledRequest('export'));
  if (exportRequest > handledRequest) {
    setHandledRequest(exportRequest);
    setExportOpen(true);
  }
  useEffect(() => markRequestHandled('export', handledRequest), [handledRequest]);

  const exportHeading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (exportOpen) exportHeading.current?.focus();
  }, [exportOpen]);

  const [saving, setSaving] = useState(false);
  const [saveMessage, setSaveMessage] = useState<{ ok: boolean; text: string } | null>(null);
  // The text first; then the charts, one per task (over time, histogram, correlation, frequency response).
  const stage = useStagedReveal(4, measurement?.report);

  if (!measurement) {
    return (
      <div className="results-page">
        <h2>Results</h2>
        <section className="panel empty-state">
          <h3>No measurement open</h3>
          <p>Results appear here after a measurement, or when you open one from the Library.</p>
          {exportOpen && <p className="status-warn">There is nothing to export yet: measure first, or open a saved measurement.</p>}
          <button type="button" className="primary" onClick={onNewMeasurement}>
            New measurement
          </button>
        </section>
      </div>
    );
  }

  const { report, audio, savedId } = measurement;
  const zoom = report.correlationZoom;
  const analysis = report.analysis;
  const ok = analysis.status === 'ok' && !!analysis.latency;
  const events = analysis.latency?.events ?? [];

  const save = async () => {
    setSaving(true);
    setSaveMessage(null);
    try {
      const entry = await host.library.save(report, audio);
      const next: OpenMeasurement = entry.id === report.id ? { ...measurement, savedId: entry.id } : { ...measurement, report: { ...report, id: entry.id }, savedId: entry.id };
      onMeasurementChange(next);
      onSaved(entry);
      setSaveMessage({ ok: true, text: `Saved to the library${audio ? ' with its audio' : ''}.` });
    } catch (error) {
      setSaveMessage({ ok: false, text: `The measurement could not be saved: ${errorText(error)}` });
    } finally {
      setSaving(false);
    }
  };

  const devices = [report.settings.outputDevice?.label, report.settings.inputDevice?.label].filter(Boolean);

  return (
    <div className="results-page">
      <header className="results-header">
        <div className="results-title">
          <h2>{report.title || 'Untitled measurement'}</h2>
          <p className="muted">
            {formatDateTime(report.createdAt)} · {signalLabel(report.signal.kind)}
            {devices.length > 0 ? ` · ${devices.join(' → ')}` : ''}
            {report.settings.setupDescription ? ` · ${report.settings.setupDescription}` : ''}
          </p>
        </div>
        <div className="results-actions">
          <button type="button" className="primary" onClick={() => void save()} disabled={savedId !== null || saving}>
            {savedId !== null ? 'Saved in library' : saving ? 'Saving…' : 'Save to library'}
          </button>
          <button type="button" className="secondary" aria-expanded={exportOpen} aria-controls="export-panel" onClick={() => setExportOpen((open) => !open)}>
            Export…
          </button>
          <button type="button" className="secondary" onClick={onNewMeasurement}>
            New measurement
          </button>
        </div>
      </header>
      {saveMessage && (
        <p className={`results-message ${saveMessage.ok ? 'status-ok' : 'status-bad'}`} role={saveMessage.ok ? 'status' : 'alert'}>
          {saveMessage.text}
        </p>
      )}
      {exportOpen && <ExportPanel measurement={measurement} onClose={() => setExportOpen(false)} headingRef={exportHeading} />}

      {report.group && <GroupResults report={report} group={report.group} />}
      {report.group && (
        <h3 className="group-ordinary-heading">
          The whole click train as one path <span className="muted">(the ordinary one-output analysis: its latency alternates between the {report.group.kind === 'outputs' ? 'outputs' : 'speakers'})</span>
        </h3>
      )}
      {ok ? <Headline report={report} onRemeasureBaseline={onNewMeasurement} /> : <RefusalPanel error={analysis.error} onMeasureAgain={onNewMeasurement} report={report} />}
      <WarningsPanel warnings={analysis.warnings} />

      {ok && (
        <>
          <div className="results-columns">
            <ClaimVerdictPanel report={report} />
            <LipSyncPanel analysis={analysis} currentVideoLatencyMs={settings.videoLatencyMs} timingReference={report.settings.mode === 'dual-channel'} />
          </div>
          <section className="panel" aria-label="Latency charts">
            {stage > 0 ? <LatencyOverTimeChart events={events} medianMs={analysis.latency?.medianMs} startupUntilS={analysis.latency?.startup?.untilS ?? null} /> : <ChartPending height={318} />}
            <div className="results-chart-row">
              {stage > 1 ? <LatencyHistogramChart events={events} medianMs={analysis.latency?.medianMs} /> : <ChartPending height={278} />}
              {zoom ? (
                stage > 2 ? (
                  <CorrelationPeakChart zoom={zoom} weighting={report.settings.weighting} latencyMs={events[zoom.eventIndex]?.latencyMs ?? analysis.latency?.medianMs} polarity={resultPolarity(analysis)} />
                ) : (
                  <ChartPending height={278} />
                )
              ) : (
                <div className="chart-placeholder muted">
                  <p className="chart-title">Correlation peak</p>
                  <p>This report has no correlation data: it was made or exported by a version of Latency Lab that did not store the correlation around the median arrival.</p>
                </div>
              )}
            </div>
          </section>
          {analysis.frequencyResponse ? (
            stage > 3 ? (
              <FrequencyResponsePanel report={report} libraryId={savedId} />
            ) : (
              <section className="panel">
                <ChartPending height={460} />
              </section>
            )
          ) : (
            <section className="panel">
              <h3>Frequency response</h3>
              <p className="muted">
                {`No frequency response: ${missingResponseReason(analysis)}.`}
              </p>
            </section>
          )}
          {stage > 3 && <ImpulseResponseSection report={report} />}
          <div className="results-columns">
            <StatisticsTable analysis={analysis} mode={report.settings.mode} />
            <MeasurementDetails report={report} />
          </div>
        </>
      )}
      {!ok && (
        <div className="results-details-single">
          <MeasurementDetails report={report} />
        </div>
      )}
    </div>
  );
}
