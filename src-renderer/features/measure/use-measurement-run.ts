/** Runs a measurement or a baseline, with its stage, progress, live long-run data and cancel. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { LatencyEventOutput } from '../../../shared/analysis/analyze-capture';
import type { LiveStats } from '../../audio/long-run';
import { isCancellation, type RecordProgress } from '../../audio/measurement-session';
import { type RunPurpose, type RunRequest, type RunResult, type RunStage, runMeasurement } from './run-measurement';

export interface RunState {
  status: 'idle' | 'running';
  purpose: RunPurpose | null;
  stage: RunStage | null;
  progress: RecordProgress | null;
  liveEvents: LatencyEventOutput[];
  liveStats: LiveStats | null;
  captureWarnings: string[];
  /** Failures of the live long-run preview (the final analysis is unaffected). */
  liveErrors: string[];
  error: string | null;
}

const IDLE: RunState = { status: 'idle', purpose: null, stage: null, progress: null, liveEvents: [], liveStats: null, captureWarnings: [], liveErrors: [], error: null };

export type RunInput = Omit<RunRequest, 'signal' | 'onStage' | 'onProgress' | 'onCaptureWarnings' | 'onLive' | 'onLiveError' | 'session'>;

export function useMeasurementRun() {
  const [state, setState] = useState<RunState>(IDLE);
  const abort = useRef<AbortController | null>(null);

  useEffect(() => () => abort.current?.abort(), []);

  /** Resolves with the result, or null when cancelled or failed (the error is in the state). */
  const start = useCallback(async (input: RunInput): Promise<RunResult | null> => {
    if (abort.current) return null;
    const controller = new AbortController();
    abort.current = controller;
    const alive = () => abort.current === controller;
    setState({ ...IDLE, status: 'running', purpose: input.purpose, stage: 'opening' });
    try {
      const result = await runMeasurement({
        ...input,
        signal: controller.signal,
        onStage: (stage) => alive() && setState((prev) => ({ ...prev, stage, progress: stage === 'recording' ? { fraction: 0, remainingS: Number.NaN } : prev.progress })),
        onProgress: (progress) => alive() && setState((prev) => ({ ...prev, progress })),
        onCaptureWarnings: (captureWarnings) => alive() && setState((prev) => ({ ...prev, captureWarnings })),
        onLive: (liveEvents, liveStats) => alive() && setState((prev) => ({ ...prev, liveEvents, liveStats })),
        onLiveError: (message) => alive() && setState((prev) => ({ ...prev, liveErrors: [...prev.liveErrors, message] })),
      });
      if (!alive()) return null;
      abort.current = null;
      setState((prev) => ({ ...IDLE, captureWarnings: prev.captureWarnings }));
      return result;
    } catch (error) {
      if (abort.current === controller) abort.current = null;
      const cancelled = controller.signal.aborted || isCancellation(error);
      setState((prev) => ({ ...IDLE, captureWarnings: prev.captureWarnings, error: cancelled ? null : error instanceof Error ? error.message : String(error) }));
      return null;
    }
  }, []);

  const cancel = useCallback(() => {
    const controller = abort.current;
    abort.current = null;
    controller?.abort();
    setState((prev) => ({ ...IDLE, captureWarnings: prev.captureWarnings }));
  }, []);

  const dismissError = useCallback(() => setState((prev) => ({ ...prev, error: null })), []);

  return { state, start, cancel, dismissError };
}
