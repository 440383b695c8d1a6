/**
 * The level check: a live input meter on the page's shared audio session (use-audio-session.ts, so
 * the level check, the baseline and the measurement share one clock and one output stream), the
 * noise floor over 3 s of quiet, and a short test burst of the chosen stimulus at the chosen level,
 * analysed like a measurement for its SNR and peak. Stopping the level check stops the meter; the
 * session stays open for the next run.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RefusalCode } from '../../../shared/analysis/analysis-refusal';
import { amplitudeToDb, peakAbs } from '../../../shared/primitives/signal-level';
import type { DeviceOption } from '../../audio/devices';
import type { TaggedChunk } from '../../audio/capture-assembly';
import { LevelMeter, type MeterReading, NoiseFloorMeter } from '../../audio/level-meter';
import { type AudioSession, isCancellation } from '../../audio/measurement-session';
import type { AnalysisClient } from '../../worker/worker-client';
import { type MeasureSetup, microphoneChannel } from './measure-setup';
import { type MusicSource, runMeasurement } from './run-measurement';
import type { SharedAudioSession } from './use-audio-session';

export const NOISE_FLOOR_S = 3;

export interface BurstResult {
  /** The burst's SNR, or null when no noise floor could be measured in it (no measurable noise). */
  snrDb: number | null;
  /** The noise floor the analysis measured where the burst was not, dBFS; null when none was measurable. */
  noiseFloorDbfs: number | null;
  peakDbfs: number;
  refusal: { code: RefusalCode; message: string; advice: string } | null;
}

export interface LevelCheckState {
  status: 'off' | 'starting' | 'on';
  reading: MeterReading | null;
  noiseFloorDbfs: number | null;
  /** 0..1 while the noise floor is being measured, else null. */
  noiseProgress: number | null;
  burst: BurstResult | null;
  burstRunning: boolean;
  captureWarnings: string[];
  error: string | null;
}

export interface LevelCheckInputs {
  input: DeviceOption | null;
  output: DeviceOption | null;
  setup: MeasureSetup;
  music: MusicSource | null;
  client: AnalysisClient;
  audio: SharedAudioSession;
}

const INITIAL: LevelCheckState = {
  status: 'off', reading: null, noiseFloorDbfs: null, noiseProgress: null, burst: null, burstRunning: false, captureWarnings: [], error: null,
};

/** The microphone's samples of a chunk: its channel when a timing reference is recorded beside it. */
function micSamples(chunk: TaggedChunk, setup: MeasureSetup): Float32Array {
  if (!setup.timingReference || !chunk.channels) return chunk.samples;
  return chunk.channels[microphoneChannel(setup.referenceChannel) - 1] ?? chunk.samples;
}

export function useLevelCheck(inputs: LevelCheckInputs) {
  const [state, setState] = useState<LevelCheckState>(INITIAL);
  const session = useRef<AudioSession | null>(null);
  const meter = useRef<LevelMeter | null>(null);
  const cleanup = useRef<Array<() => void>>([]);
  const burstAbort = useRef<AbortController | null>(null);
  const latest = useRef(inputs);
  useEffect(() => {
    latest.current = inputs;
  });

  const stop = useCallback(async () => {
    burstAbort.current?.abort();
    burstAbort.current = null;
    for (const fn of cleanup.current) fn();
    cleanup.current = [];
    session.current = null;
    meter.current = null;
    setState((prev) => ({ ...prev, status: 'off', reading: null, noiseProgress: null, burstRunning: false }));
  }, []);

  useEffect(() => () => void stop(), [stop]);

  const start = useCallback(async () => {
    if (session.current) return;
    setState((prev) => ({ ...prev, status: 'starting', error: null }));
    try {
      const s = await latest.current.audio.acquire();
      session.current = s;
      const m = new LevelMeter(s.sampleRate);
      meter.current = m;
      // With a timing reference the meter shows the microphone, not the loopback.
      cleanup.current.push(s.onChunk((chunk) => m.push(micSamples(chunk, latest.current.setup))));
      // Other devices, or a run that was cancelled or failed, closed the session: the meter stops.
      cleanup.current.push(latest.current.audio.onRelease(() => void stop()));
      cleanup.current.push(s.onFailure((message) => {
        void stop().then(() => setState((prev) => ({ ...prev, error: message })));
      }));
      const timer = window.setInterval(() => setState((prev) => ({ ...prev, reading: m.reading() })), 100);
      cleanup.current.push(() => window.clearInterval(timer));
      setState((prev) => ({ ...prev, status: 'on', captureWarnings: s.captureCheck.warnings }));
    } catch (error) {
      setState((prev) => ({ ...prev, status: 'off', error: error instanceof Error ? error.message : String(error) }));
    }
  }, [stop]);

  const resetClip = useCallback(() => {
    meter.current?.resetClip();
    if (meter.current) {
      const reading = meter.current.reading();
      setState((prev) => ({ ...prev, reading }));
    }
  }, []);

  const measureNoiseFloor = useCallback(() => {
    const s = session.current;
    if (!s) return;
    const floor = new NoiseFloorMeter(s.sampleRate, NOISE_FLOOR_S);
    setState((prev) => ({ ...prev, noiseProgress: 0, noiseFloorDbfs: null }));
    const unsubscribe = s.onChunk((chunk) => {
      const done = floor.push(micSamples(chunk, latest.current.setup));
      setState((prev) => ({ ...prev, noiseProgress: done ? null : floor.progress, noiseFloorDbfs: done ? floor.rmsDbfs() : prev.noiseFloorDbfs }));
      if (done) unsubscribe();
    });
    cleanup.current.push(unsubscribe);
  }, []);

  const playBurst = useCallback(async () => {
    const s = session.current;
    const { input, output, setup, music, client } = latest.current;
    if (!s || !input || !output) return;
    const abort = new AbortController();
    burstAbort.current = abort;
    setState((prev) => ({ ...prev, burstRunning: true, burst: null, error: null }));
    try {
      const burstSetup: MeasureSetup = setup.mode === 'long' ? { ...setup, mode: 'single', signal: 'click' } : setup;
      const result = await runMeasurement({
        purpose: 'burst', setup: burstSetup, input, output, claim: null, baselineMs: null, music, client, signal: abort.signal, session: s,
      });
      const { analysis } = result.measurement.report;
      const capture = result.measurement.audio?.capture;
      const peakDbfs = analysis.capturePeakDbfs ?? amplitudeToDb(capture ? peakAbs(capture) : 0);
      setState((prev) => ({
        ...prev,
        burstRunning: false,
        burst: {
          // An SNR is only a figure when the noise floor under it was measured.
          snrDb: analysis.noiseFloorDbfs == null ? null : (analysis.snrDb ?? null),
          noiseFloorDbfs: analysis.noiseFloorDbfs ?? null,
          peakDbfs,
          refusal: analysis.error ?? null,
        },
      }));
    } catch (error) {
      // The level check stays on (the stimulus or the music file failed); a failed session is handled by onFailure above.
      setState((prev) => ({ ...prev, burstRunning: false, error: isCancellation(error) ? prev.error : error instanceof Error ? error.message : String(error) }));
    } finally {
      if (burstAbort.current === abort) burstAbort.current = null;
    }
  }, []);

  return { state, start, stop, resetClip, measureNoiseFloor, playBurst };
}
