/** A running measurement: what it is doing, a progress bar with time left, and Cancel. */
import { useEffect, useRef } from 'react';
import type { RecordProgress } from '../../audio/measurement-session';
import type { RunPurpose, RunStage } from './run-measurement';

const STAGE_TEXT: Record<RunStage, string> = {
  opening: 'Opening the microphone and the output…',
  preparing: 'Preparing the test signal…',
  recording: 'Playing and recording',
  analysing: 'Analysing…',
};

export interface MeasureProgressProps {
  purpose: RunPurpose;
  stage: RunStage;
  progress: RecordProgress | null;
  onCancel(): void;
}

function formatRemaining(s: number): string {
  if (!Number.isFinite(s)) return '';
  const whole = Math.ceil(s);
  return whole >= 60 ? `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s left` : `${whole} s left`;
}

export function MeasureProgress({ purpose, stage, progress, onCancel }: MeasureProgressProps) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    cancelRef.current?.focus();
  }, []);
  const what = purpose === 'baseline' ? 'Baseline' : 'Measurement';
  const recording = stage === 'recording' && progress;
  return (
    <section className="panel measure-progress" aria-labelledby="progress-heading">
      <h3 id="progress-heading">{what} running</h3>
      <p role="status" aria-live="polite">
        {STAGE_TEXT[stage]}
        {recording ? ` — ${formatRemaining(progress.remainingS)}` : ''}
      </p>
      {recording ? (
        <progress className="progress" max={1} value={progress.fraction} aria-label={`${what} progress`} />
      ) : (
        <progress className="progress" aria-label={`${what} progress`} />
      )}
      {stage === 'recording' && <p className="muted">Keep the room quiet and do not move the microphone.</p>}
      <button ref={cancelRef} type="button" className="secondary" onClick={onCancel}>
        Cancel
      </button>
    </section>
  );
}
