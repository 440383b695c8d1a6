/**
 * One measurement from start to report: open the audio session (or use the page's shared one),
 * prepare the stimulus (generated in the worker, or the user's music with its beat grid), play and
 * record on one clock, release the microphone if the session is this run's own, analyse in the
 * worker (buffers transferred both ways), build the report.
 * Long runs also analyse ~10 s segments while recording, for the live chart.
 * Everything stops at once when `signal` aborts; nothing is saved here.
 */
import type { LatencyEventOutput } from '../../../shared/analysis/analyze-capture';
import type { AnalyzeParams } from '../../worker/worker-contract';
import type { Claim } from '../../../shared/claims/claims-catalogue';
import type { Report } from '../../../shared/report/report-schema';
import { resolveStimulusSpec, type StimulusSpec } from '../../../shared/stimulus/stimulus';
import type { StimulusEvent } from '../../../shared/analysis/stimulus-layout';
import type { OpenMeasurement } from '../../navigation/open-measurement';
import { type BeatCrossCheck, beatCrossCheck, beatEvents, type BeatGrid } from '../../audio/beat-events';
import type { DeviceOption } from '../../audio/devices';
import { liveStats, type LiveStats, planSegments, segmentReadyFrames, shiftEvents } from '../../audio/long-run';
import { AudioSession, isCancellation, MeasurementCancelledError, type RecordProgress } from '../../audio/measurement-session';
import { decodeMusic, detectBeatGrid, MUSIC_LEAD_IN_S, musicReference } from '../../audio/music-file';
import type { CaptureAssembler } from '../../audio/capture-assembly';
import type { AnalysisClient } from '../../worker/worker-client';
import type { AppSettings } from '../../host/host-api';
import { buildMeasurementReport } from './build-report';
import type { SharedAudioSession } from './use-audio-session';
import { MAX_LATENCY_MS, type MeasureSetup, microphoneChannel, SWEEP_REPEAT_S } from './measure-setup';
import { BASELINE_CAVEAT_NOTE } from '../../../shared/report/labels';

/** A timing reference is used for measurements and level-check bursts; a baseline run measures the computer itself. */
export const usesTimingReference = (req: Pick<RunRequest, 'purpose' | 'setup'>): boolean => req.setup.timingReference && req.purpose !== 'baseline';

/**
 * With a timing reference the loopback is delayed by the computer's output, so the microphone can
 * be earlier than it relative to the played stimulus; as the CLI's dual-channel mode, latencies down
 * to −500 ms are searched.
 */
export const timingReferenceMinLatencyMs = (maxLatencyMs: number): number => -Math.min(500, maxLatencyMs);

export type RunPurpose = 'measurement' | 'baseline' | 'burst';
export type RunStage = 'opening' | 'preparing' | 'recording' | 'analysing';

export interface MusicSource {
  fileName: string;
  bytes: ArrayBuffer;
}

export interface RunRequest {
  purpose: RunPurpose;
  setup: MeasureSetup;
  input: DeviceOption;
  output: DeviceOption;
  claim: Claim | null;
  baselineMs: number | null;
  music: MusicSource | null;
  client: AnalysisClient;
  signal: AbortSignal;
  /** Why the baseline subtracted may not apply exactly (baselineCaveats in measure-setup.ts): kept in the report's notes. */
  baselineCaveats?: string[];
  /** Reuse an open session (the level check's) instead of opening one; it is left open. */
  session?: AudioSession;
  /**
   * Or the measure page's shared session (use-audio-session.ts): left open after a run, so the next
   * run plays through the same output stream on the same clock; released when the run is cancelled
   * or fails.
   */
  sharedSession?: SharedAudioSession;
  onStage?(stage: RunStage): void;
  onProgress?(progress: RecordProgress): void;
  onCaptureWarnings?(warnings: string[]): void;
  /** The settings' microphone calibrations (per input device label): the input's is applied to the response. */
  micCalibrations?: AppSettings['micCalibrations'];
  /** Long runs: the events analysed so far and their statistics. */
  onLive?(events: LatencyEventOutput[], stats: LiveStats): void;
  /** A live long-run segment could not be analysed (the final analysis still covers the whole capture). */
  onLiveError?(message: string): void;
}

export interface RunResult {
  measurement: OpenMeasurement;
  /** Music mode: the beat grid's coarse latency next to the measured one. */
  beatCheck: BeatCrossCheck | null;
  beatGrid: BeatGrid | null;
  captureWarnings: string[];
  missingFrames: number;
  /** The audio session the run went through (a baseline records it). */
  session: { id: string; sampleRate: number };
}

/** Recorded after the stimulus: the longest latency searched plus a margin. */
export const tailFramesFor = (sampleRate: number): number => Math.round((MAX_LATENCY_MS / 1000 + 0.25) * sampleRate);

/** A burst for the level check: 3 s of the chosen signal. */
export const BURST_S = 3;

interface PreparedStimulus {
  reference: Float32Array;
  signal: Report['signal'];
  events?: StimulusEvent[];
  beatGrid?: BeatGrid;
  notes: string[];
}

function tile(samples: Float32Array, times: number): Float32Array {
  const out = new Float32Array(samples.length * times);
  for (let i = 0; i < times; i++) out.set(samples, i * samples.length);
  return out;
}

async function generate(client: AnalysisClient, spec: StimulusSpec): Promise<Float32Array> {
  return (await client.call('generateStimulus', spec)).samples;
}

async function prepareStimulus(req: RunRequest, sampleRate: number): Promise<PreparedStimulus> {
  const { setup, client } = req;
  const signalOf = (spec: StimulusSpec, durationS = spec.durationS): Report['signal'] => ({
    kind: spec.signal, sampleRate, durationS, levelDbfs: spec.levelDbfs, seed: spec.seed, referenceFile: null, captureFile: null,
  });
  const make = (input: Partial<StimulusSpec> & Pick<StimulusSpec, 'signal'>): StimulusSpec => {
    try {
      return resolveStimulusSpec({ seed: 1, sampleRate, ...input });
    } catch (error) {
      throw new Error(`The signal settings are not valid: ${(error as Error).message}.`);
    }
  };
  if (req.purpose === 'baseline') {
    const spec = make({ signal: 'click', durationS: 10, levelDbfs: setup.signal === 'click' ? setup.levelDbfs : -6 });
    return { reference: await generate(client, spec), signal: signalOf(spec), notes: ['Baseline: the computer\'s own round trip on a wired or reference path.'] };
  }
  if (setup.mode === 'long' && req.purpose === 'measurement') {
    const spec = make({ signal: 'click', durationS: Math.round(setup.longRunMinutes * 60), levelDbfs: setup.levelDbfs });
    return { reference: await generate(client, spec), signal: signalOf(spec), notes: [`Long run: ${setup.longRunMinutes} min of click train, analysed live in ~10 s segments.`] };
  }
  const burst = req.purpose === 'burst';
  switch (setup.signal) {
    case 'click':
    case 'pink': {
      const spec = make({ signal: setup.signal, durationS: burst ? BURST_S : setup.durationS, levelDbfs: setup.levelDbfs });
      return { reference: await generate(client, spec), signal: signalOf(spec), notes: [] };
    }
    case 'sweep': {
      const spec = make({ signal: 'sweep', durationS: SWEEP_REPEAT_S, levelDbfs: setup.levelDbfs });
      const count = burst ? 1 : setup.sweeps;
      const reference = tile(await generate(client, spec), count);
      return {
        reference,
        signal: signalOf(spec, reference.length / sampleRate),
        notes: count > 1 ? [`${count} sweeps of ${SWEEP_REPEAT_S} s each (the same sweep repeated; \`latency-lab generate --signal sweep --duration ${SWEEP_REPEAT_S}\` writes one).`] : [],
      };
    }
    case 'music': {
      if (!req.music) throw new Error('Choose a music file first.');
      const decoded = await decodeMusic(req.music.bytes, sampleRate, req.music.fileName);
      const music = burst ? decoded.samples.subarray(0, Math.min(decoded.samples.length, Math.round(BURST_S * sampleRate))) : decoded.samples;
      const reference = musicReference(music, sampleRate, setup.levelDbfs);
      const signal: Report['signal'] = {
        kind: 'music', sampleRate, durationS: reference.length / sampleRate, levelDbfs: setup.levelDbfs, seed: null, referenceFile: req.music.fileName, captureFile: null,
      };
      if (burst) return { reference, signal, notes: [] };
      const beatGrid = await detectBeatGrid(reference, sampleRate);
      const lead = Math.round(MUSIC_LEAD_IN_S * sampleRate);
      const events = beatEvents(beatGrid, { sampleRate, lengthFrames: reference.length, activeStartFrame: lead, activeEndFrame: lead + music.length });
      if (events.length < 3) throw new Error(`Only ${events.length} beats were found in "${req.music.fileName}"; use a longer track with a steady beat.`);
      return {
        reference,
        signal,
        events,
        beatGrid,
        notes: [`Music: "${req.music.fileName}" (${decoded.channels} channel${decoded.channels === 1 ? '' : 's'} mixed to mono, ${(music.length / sampleRate).toFixed(1)} s used), ${beatGrid.bpm.toFixed(1)} BPM, first beat at ${beatGrid.offsetS.toFixed(3)} s, ${events.length} beats measured (−50…+200 ms around each).`],
      };
    }
  }
}

export async function runMeasurement(req: RunRequest): Promise<RunResult> {
  const { signal, client } = req;
  const onAbort = () => client.cancel();
  signal.addEventListener('abort', onAbort);
  const ownSession = !req.session && !req.sharedSession;
  let session: AudioSession | null = req.session ?? null;
  try {
    req.onStage?.('opening');
    session ??= req.sharedSession
      ? await req.sharedSession.acquire(signal)
      : await AudioSession.open({ inputDeviceId: req.input.deviceId || null, outputDeviceId: req.output.deviceId, ...(req.setup.timingReference ? { channels: 2 } : {}) }, signal);
    const dual = usesTimingReference(req);
    if (dual && session.channels < 2) throw new Error('The timing reference needs a two-channel input, but the audio session records one channel. Start again.');
    const refIndex = req.setup.referenceChannel - 1;
    const micIndex = microphoneChannel(req.setup.referenceChannel) - 1;
    const sampleRate = session.sampleRate;
    const sessionInfo = { id: session.id, sampleRate };
    const captureWarnings = session.captureCheck.warnings;
    const { captureSettings } = session.captureCheck;
    const inputLabel = req.input.label || session.inputLabel || 'Default microphone';
    req.onCaptureWarnings?.(captureWarnings);

    req.onStage?.('preparing');
    const prepared = await prepareStimulus(req, sampleRate);
    if (signal.aborted) throw new MeasurementCancelledError();
    const { reference } = prepared;
    const tailFrames = tailFramesFor(sampleRate);

    const live = req.purpose === 'measurement' && req.setup.mode === 'long' && req.onLive ? startLiveAnalysis(req, reference, sampleRate, tailFrames, dual ? { refIndex, micIndex } : null) : null;
    req.onStage?.('recording');
    const recording = await session.playAndRecord(reference, {
      tailFrames,
      signal,
      onStart: (assemblers) => live?.attach(assemblers),
      onProgress: (progress) => {
        req.onProgress?.(progress);
        live?.poll();
      },
    });
    live?.stop();
    if (ownSession) {
      await session.close();
      session = null;
    }

    req.onStage?.('analysing');
    const notes = [...prepared.notes];
    if (dual) {
      notes.push(`Timing reference: input channel ${req.setup.referenceChannel} carries an electrical loopback of the output and channel ${micIndex + 1} the microphone; the latency is the microphone's relative to the loopback, so the computer's own delay cancels and no baseline is used.`);
    }
    const micCapture = dual ? recording.channels[micIndex] : recording.capture;
    const { missingFrames, gaps } = micCapture;
    if (missingFrames > 0) {
      notes.push(`${missingFrames} capture frames (${((missingFrames / sampleRate) * 1000).toFixed(1)} ms in ${gaps.length} gap${gaps.length === 1 ? '' : 's'}) never arrived from the audio thread and were left silent; events there count as dropouts.`);
    }
    for (const w of captureWarnings) notes.push(`Capture: ${w}`);
    for (const e of live?.errors ?? []) notes.push(`Live preview: ${e}`);
    const baselineMs = req.baselineMs !== null && req.purpose === 'measurement' && !dual ? req.baselineMs : null;
    if (baselineMs !== null) for (const caveat of req.baselineCaveats ?? []) notes.push(`${BASELINE_CAVEAT_NOTE}${caveat}`);
    const options: AnalyzeParams['options'] = {
      maxLatencyMs: MAX_LATENCY_MS,
      ...(dual ? { minLatencyMs: timingReferenceMinLatencyMs(MAX_LATENCY_MS) } : {}),
      weighting: 'phat',
      smoothing: 12,
      videoLatencyMs: req.setup.videoLatencyMs,
      ...(baselineMs !== null ? { baselineMs } : {}),
      ...(req.claim && req.purpose === 'measurement' ? { claim: req.claim } : {}),
      ...(prepared.events ? { events: prepared.events, kind: 'noise' as const } : {}),
      ...(req.micCalibrations && Object.hasOwn(req.micCalibrations, inputLabel) ? { micCalibration: req.micCalibrations[inputLabel].calibration } : {}),
    };
    performance.mark('latency-lab:analysis-start');
    // With a timing reference the loopback channel is the reference: what the output really played, when.
    const analysed = await client.call('analyze', { reference: dual ? recording.channels[refIndex].samples : reference, capture: micCapture.samples, sampleRate, options });
    performance.mark('latency-lab:analysis-end');
    if (signal.aborted) throw new MeasurementCancelledError();

    let beatCheck: BeatCrossCheck | null = null;
    const latency = analysed.output.latency;
    if (prepared.beatGrid && analysed.output.status === 'ok' && latency) {
      try {
        const captureGrid = await detectBeatGrid(analysed.capture, sampleRate);
        beatCheck = beatCrossCheck(prepared.beatGrid, captureGrid, latency.medianMs);
        notes.push(`Beat cross-check: the capture's beat grid (${captureGrid.bpm.toFixed(1)} BPM) is ${beatCheck.coarseLatencyMs.toFixed(1)} ms after the track's; measured ${latency.medianMs.toFixed(2)} ms; ${beatCheck.agrees ? 'they agree' : `they DISAGREE by ${Math.abs(beatCheck.differenceMs).toFixed(1)} ms: the latency may have locked onto a repeated bar — check the correlation peak`}.`);
      } catch (error) {
        notes.push(`Beat cross-check: not possible (${(error as Error).message}).`);
      }
      if (signal.aborted) throw new MeasurementCancelledError();
    }

    const report = buildMeasurementReport({
      id: crypto.randomUUID(),
      createdAt: new Date(),
      setup: req.setup,
      input: { id: req.input.deviceId, label: inputLabel },
      output: { id: req.output.deviceId, label: req.output.label },
      options,
      captureSettings,
      signal: prepared.signal,
      analysis: analysed.output,
      correlationZoom: analysed.zoom,
      notes,
      ...(req.purpose === 'baseline' ? { title: `Baseline: ${inputLabel} → ${req.output.label}` } : {}),
      ...(dual ? { timingReference: true } : {}),
      ...(options.micCalibration && req.micCalibrations ? { micCalibrationFile: req.micCalibrations[inputLabel].fileName } : {}),
    });
    return {
      measurement: { report, audio: { sampleRate, reference: analysed.reference, capture: analysed.capture }, savedId: null },
      beatCheck,
      beatGrid: prepared.beatGrid ?? null,
      captureWarnings,
      missingFrames,
      session: sessionInfo,
    };
  } catch (error) {
    // A run that got the shared session and then failed or was cancelled closes it (one cancelled
    // while the session was still opening: use-audio-session closes it unless another run wants it).
    if (req.sharedSession && session) await req.sharedSession.release();
    if (signal.aborted || isCancellation(error)) throw new MeasurementCancelledError();
    throw error;
  } finally {
    signal.removeEventListener('abort', onAbort);
    if (ownSession && session) await session.close();
  }
}

interface LiveAnalysis {
  /** What went wrong in the live preview, for the report's notes. */
  readonly errors: readonly string[];
  attach(assemblers: CaptureAssembler[]): void;
  poll(): void;
  stop(): void;
}

/**
 * The live preview of a long run: ~10 s segments analysed as they arrive. With a timing reference
 * (`dual`) each segment's microphone is analysed against the same stretch of the loopback channel.
 */
function startLiveAnalysis(req: RunRequest, reference: Float32Array, sampleRate: number, tailFrames: number, dual: { refIndex: number; micIndex: number } | null): LiveAnalysis {
  const segments = planSegments(reference, sampleRate, 10);
  const events: LatencyEventOutput[] = [];
  const liveErrors: string[] = [];
  let assemblers: CaptureAssembler[] | null = null;
  let next = 0;
  let inFlight = false;
  let stopped = false;
  const analyseNext = () => {
    if (!assemblers || inFlight || stopped || next >= segments.length) return;
    const segment = segments[next];
    const mic = assemblers[dual ? dual.micIndex : 0];
    const loop = dual ? assemblers[dual.refIndex] : null;
    const ready = segmentReadyFrames(segment, tailFrames, mic.lengthFrames);
    if (mic.contiguousFrames < ready || (loop && loop.contiguousFrames < ready)) return;
    inFlight = true;
    next++;
    const ref = (loop ? loop.view() : reference).slice(segment.startFrame, segment.endFrame);
    const cap = mic.view().slice(segment.startFrame, Math.min(mic.lengthFrames, segment.endFrame + tailFrames));
    const options = { maxLatencyMs: MAX_LATENCY_MS, weighting: 'phat' as const, ...(dual ? { minLatencyMs: timingReferenceMinLatencyMs(MAX_LATENCY_MS) } : {}) };
    req.client
      .call('analyze', { reference: ref, capture: cap, sampleRate, options })
      .then((result) => {
        if (stopped) return;
        const out = result.output;
        if (out.status === 'ok' && out.latency) events.push(...shiftEvents(out.latency.events, segment, sampleRate));
        else {
          // A refused segment (silence, nothing of the stimulus): every click in it is a dropout.
          for (const e of result.events) {
            events.push({ timeS: (segment.startFrame + e.anchorFrame) / sampleRate, latencyMs: null, confidence: 0, status: 'dropout', peakToNoiseDb: null });
          }
        }
        req.onLive?.(events.slice(), liveStats(events));
      })
      .catch((error: unknown) => {
        if (stopped) return;
        const message = `The live analysis of ${(segment.startFrame / sampleRate).toFixed(0)}–${(segment.endFrame / sampleRate).toFixed(0)} s failed (${error instanceof Error ? error.message : String(error)}); its clicks are missing from the live chart. The final result analyses the whole capture again.`;
        liveErrors.push(message);
        req.onLiveError?.(message);
      })
      .finally(() => {
        inFlight = false;
        analyseNext();
      });
  };
  return {
    errors: liveErrors,
    attach(a) {
      assemblers = a;
    },
    poll: analyseNext,
    stop() {
      stopped = true;
    },
  };
}
