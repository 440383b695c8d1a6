/** The report of a measurement made in the app (validated by createReport). */
import type { AnalysisOutput } from '../../../shared/claims/judge';
import { resolveAnalyzeOptions } from '../../../shared/analysis/analyze-capture';
import type { CorrelationZoom } from '../../../shared/analysis/correlation-zoom';
import { createReport, type Report, type ReportGroup } from '../../../shared/report/report-schema';
import type { CaptureSettings } from '../../audio/devices';
import type { AnalyzeParams } from '../../worker/worker-contract';
import { type MeasureSetup, SIGNAL_LABELS } from './measure-setup';

export interface ReportParts {
  id: string;
  createdAt: Date;
  setup: MeasureSetup;
  input: { id: string; label: string };
  output: { id: string; label: string };
  /** The options the analysis ran with (the object sent to the worker): the report records them. */
  options: AnalyzeParams['options'];
  captureSettings: CaptureSettings | null;
  signal: Report['signal'];
  analysis: AnalysisOutput;
  /** The correlation around the median arrival (from the worker), stored in the report. */
  correlationZoom: CorrelationZoom | null;
  notes: string[];
  /** Title override (e.g. for a baseline). */
  title?: string;
  /** Measured against a timing reference (a loopback channel of the input): the report's mode is 'dual-channel'. */
  timingReference?: boolean;
  /** The microphone calibration file applied (options.micCalibration), as the settings name it. */
  micCalibrationFile?: string | null;
  /** Several outputs or speakers measured together (report-schema.ts: `analysis` is then the ordinary analysis of the whole click train). */
  group?: ReportGroup | null;
}

export function defaultTitle(parts: Pick<ReportParts, 'setup' | 'output' | 'createdAt' | 'title'>): string {
  if (parts.title) return parts.title;
  const description = parts.setup.setupDescription.trim();
  if (description) return description.slice(0, 200);
  const what = parts.setup.mode === 'long' ? `Long run (${parts.setup.longRunMinutes} min)` : SIGNAL_LABELS[parts.setup.signal];
  return `${what} via ${parts.output.label}`.slice(0, 200);
}

export function buildMeasurementReport(parts: ReportParts): Report {
  const device = (d: { id: string; label: string }) => ({ ...(d.id ? { id: d.id.slice(0, 500) } : {}), label: d.label.slice(0, 500) });
  const used = resolveAnalyzeOptions(parts.options);
  return createReport({
    id: parts.id,
    title: defaultTitle(parts),
    createdAt: parts.createdAt.toISOString(),
    source: 'app',
    settings: {
      mode: parts.timingReference ? 'dual-channel' : 'single',
      inputDevice: device(parts.input),
      outputDevice: device(parts.output),
      setupDescription: parts.setup.setupDescription.trim().slice(0, 500),
      claimId: used.claim?.id ?? null,
      claim: used.claim ?? null,
      baselineMs: used.baselineMs ?? null,
      videoLatencyMs: used.videoLatencyMs ?? 0,
      maxLatencyMs: used.maxLatencyMs,
      weighting: used.weighting,
      smoothing: used.smoothing,
      micCalibrationFile: parts.options.micCalibration && parts.micCalibrationFile ? parts.micCalibrationFile.slice(0, 500) : null,
      captureSettings: parts.captureSettings,
    },
    signal: parts.signal,
    analysis: parts.analysis,
    correlationZoom: parts.correlationZoom,
    group: parts.group ?? null,
    notes: parts.notes.join('\n').slice(0, 10000),
  });
}
