/**
 * One AudioContext that plays the stimulus and records the microphone on the same clock.
 *
 * Capture: microphone → MediaStreamAudioSourceNode → the capture AudioWorklet (capture-worklet.ts),
 * which posts chunks (mono, or one per channel for a timing reference) tagged with the context frame of their first sample. Playback: the
 * stimulus in an AudioBufferSourceNode started at a context time t0 on a render-quantum boundary a
 * little in the future (frame F0 = t0·sampleRate). The capture is assembled from frame F0 on, so
 * capture sample 0 is the moment playback of reference sample 0 started, as the analysis requires;
 * everything between (output buffering, the speaker, the air, the microphone, input buffering) is
 * the measured latency.
 *
 * Cancel (an AbortSignal) stops playback at once; close() releases the microphone and the context.
 */
import captureWorkletUrl from './capture-worklet.ts?worker&url';
import { alignedStartFrame, type AssembledCapture, CaptureAssembler, frameToTime, type TaggedChunk } from './capture-assembly';
import { CAPTURE_CHUNK_FRAMES, CAPTURE_PROCESSOR_NAME, type CaptureChunkMessage, type CaptureControlMessage, type CaptureProcessorOptions } from './capture-protocol';
import { alignedContextTime, channelsProblem, type ExtraOutput, stampOf } from './group-playback';
import { AudioSetupError, captureConstraints, type CaptureCheck, checkCaptureSettings, DEFAULT_OUTPUT, describeMediaError, sinkSelectionSupported } from './devices';

export class MeasurementCancelledError extends Error {
  constructor() {
    super('The measurement was cancelled.');
    this.name = 'MeasurementCancelledError';
  }
}

export const isCancellation = (error: unknown): boolean =>
  error instanceof MeasurementCancelledError || (error instanceof Error && error.name === 'WorkerCancelledError');

export interface SessionOptions {
  /** Null: the system default input. */
  inputDeviceId: string | null;
  /** Null or 'default': the system default output. */
  outputDeviceId: string | null;
  /**
   * Input channels recorded: 1 (mixed to mono; the default) or 2 and more, kept apart, for a timing
   * reference: an electrical loopback of the output on one channel, the microphone on another.
   */
  channels?: number;
}

export interface RecordProgress {
  /** 0..1 of the recording. */
  fraction: number;
  remainingS: number;
}

export interface RecordOptions {
  /** Frames recorded after the stimulus ends (the longest latency searched plus a margin). */
  tailFrames: number;
  signal?: AbortSignal;
  onProgress?: (progress: RecordProgress) => void;
  /** Called once playback is scheduled, with the assemblers (one per channel) that fill while recording. */
  onStart?: (assemblers: CaptureAssembler[]) => void;
  /**
   * Several outputs (group-playback.ts): 'channels' plays every track of the reference on its own
   * discrete channel of this session's output; or further output devices, each playing one track
   * from its own context, started at the same moment as this one's (the first track plays here).
   */
  group?: { kind: 'channels' } | { kind: 'devices'; extra: Array<{ output: ExtraOutput; track: number }> };
}

export interface Recording {
  /** The first (or only) channel. */
  capture: AssembledCapture;
  /** Every channel recorded (`channels[0]` is `capture`). */
  channels: AssembledCapture[];
  /** Context frame at which reference sample 0 was played (F0). */
  startFrame: number;
}

/** How far ahead of the context's current time playback is scheduled. */
const START_LEAD_S = 0.2;
/** Copy large stimuli into the AudioBuffer in slices, yielding between them. */
const COPY_SLICE_FRAMES = 1 << 19;

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new MeasurementCancelledError();
}

let sessionCounter = 0;

/** A new id for an audio session: unique within this page and, with the time, across runs of the app. */
function newSessionId(): string {
  sessionCounter += 1;
  const random = typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function' ? crypto.randomUUID().slice(0, 8) : Math.random().toString(36).slice(2, 10);
  return `${Date.now().toString(36)}-${random}-${sessionCounter}`;
}

export class AudioSession {
  /**
   * Identifies this session (one AudioContext, one output stream): a baseline records it, so a
   * later measurement can tell whether it runs through the same stream.
   */
  readonly id = newSessionId();
  readonly context: AudioContext;
  readonly sampleRate: number;
  /** Input channels recorded (see SessionOptions.channels). */
  readonly channels: number;
  readonly stream: MediaStream;
  readonly track: MediaStreamTrack;
  readonly captureCheck: CaptureCheck;
  private readonly source: AudioNode;
  private readonly recorder: AudioWorkletNode;
  private readonly chunkListeners = new Set<(chunk: TaggedChunk) => void>();
  private readonly failureListeners = new Set<(message: string) => void>();
  private closed = false;

  private constructor(context: AudioContext, stream: MediaStream, source: AudioNode, recorder: AudioWorkletNode, channels: number) {
    this.context = context;
    this.sampleRate = context.sampleRate;
    this.channels = channels;
    this.stream = stream;
    this.track = stream.getAudioTracks()[0];
    this.source = source;
    this.recorder = recorder;
    this.captureCheck = checkCaptureSettings(this.track.getSettings(), context.sampleRate, channels);
    recorder.port.onmessage = (event: MessageEvent<CaptureChunkMessage>) => {
      if (event.data.type !== 'chunk') return;
      const chunk: TaggedChunk = { startFrame: event.data.startFrame, samples: event.data.samples, ...(event.data.channels ? { channels: event.data.channels } : {}) };
      for (const listener of this.chunkListeners) listener(chunk);
    };
    this.track.addEventListener('ended', () => this.fail('The microphone stopped delivering audio: it was disconnected, or another application or the system took it over.'));
    context.addEventListener('statechange', () => {
      if (!this.closed && context.state === 'closed') this.fail('The audio system closed the audio context (the output device may have been disconnected).');
    });
  }

  /** Opens the context, the output, the microphone (processing off) and the capture worklet. */
  static async open(options: SessionOptions, signal?: AbortSignal): Promise<AudioSession> {
    throwIfAborted(signal);
    const channels = Math.max(1, Math.round(options.channels ?? 1));
    let context: AudioContext;
    try {
      context = new AudioContext({ latencyHint: 'interactive' });
    } catch (error) {
      throw new AudioSetupError(`The audio system could not be started (${error instanceof Error ? error.message : String(error)}). Check that an output device is available and not in exclusive use.`);
    }
    let stream: MediaStream | null = null;
    try {
      const outputId = options.outputDeviceId;
      if (outputId && outputId !== DEFAULT_OUTPUT.deviceId) {
        if (!sinkSelectionSupported()) {
          throw new AudioSetupError('This browser cannot send audio to a chosen output (AudioContext.setSinkId is not supported). Choose "System default output" and select the speaker in the system\'s sound settings.');
        }
        try {
          await (context as AudioContext & { setSinkId(id: string): Promise<void> }).setSinkId(outputId);
        } catch (error) {
          const name = error instanceof Error ? error.name : '';
          throw new AudioSetupError(name === 'NotFoundError'
            ? 'The selected output device is no longer available (it was disconnected). Choose an output again.'
            : `The selected output device could not be used: ${describeMediaError(error)}`);
        }
      }
      throwIfAborted(signal);
      if (!navigator.mediaDevices?.getUserMedia) throw new AudioSetupError('This browser gives no access to microphones.');
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: captureConstraints(options.inputDeviceId, context.sampleRate, channels) });
      } catch (error) {
        throw new AudioSetupError(describeMediaError(error));
      }
      throwIfAborted(signal);
      if (stream.getAudioTracks().length === 0) throw new AudioSetupError('The microphone delivered no audio track.');
      try {
        await context.audioWorklet.addModule(captureWorkletUrl);
      } catch (error) {
        throw new AudioSetupError(`The capture processor could not be loaded (${error instanceof Error ? error.message : String(error)}).`);
      }
      throwIfAborted(signal);
      const source = context.createMediaStreamSource(stream);
      const processorOptions: CaptureProcessorOptions = { chunkFrames: CAPTURE_CHUNK_FRAMES, channels };
      // No outputs: the node is pulled by the graph on its own and feeds nothing back. Mono is
      // mixed down ('speakers'); channels for a timing reference are kept apart ('discrete').
      const recorder = new AudioWorkletNode(context, CAPTURE_PROCESSOR_NAME, {
        numberOfInputs: 1,
        numberOfOutputs: 0,
        channelCount: channels,
        channelCountMode: 'explicit',
        channelInterpretation: channels > 1 ? 'discrete' : 'speakers',
        processorOptions,
      });
      source.connect(recorder);
      await context.resume();
      throwIfAborted(signal);
      if (context.state !== 'running') throw new AudioSetupError(`The audio context did not start (state "${context.state}"). Click Start again; if it persists, check the output device.`);
      return new AudioSession(context, stream, source, recorder, channels);
    } catch (error) {
      for (const track of stream?.getTracks() ?? []) track.stop();
      void context.close().catch(() => undefined);
      throw error;
    }
  }

  get inputLabel(): string {
    return this.track.label;
  }

  onChunk(listener: (chunk: TaggedChunk) => void): () => void {
    this.chunkListeners.add(listener);
    return () => this.chunkListeners.delete(listener);
  }

  /** Called when the microphone or the context goes away mid-session. */
  onFailure(listener: (message: string) => void): () => void {
    this.failureListeners.add(listener);
    return () => this.failureListeners.delete(listener);
  }

  private fail(message: string): void {
    if (this.closed) return;
    // A copy: a listener may close the session, which clears the set.
    for (const listener of [...this.failureListeners]) listener(message);
  }

  /**
   * Plays `reference` from a render-quantum-aligned frame F0 and records from F0 for the
   * reference's length plus `tailFrames`. Resolves with the capture (missing frames stay silent
   * and are listed as gaps); rejects on cancel or when the audio stops.
   */
  async playAndRecord(referenceInput: Float32Array | Float32Array[], options: RecordOptions): Promise<Recording> {
    const { signal } = options;
    throwIfAborted(signal);
    if (this.closed) throw new AudioSetupError('The audio session is closed.');
    const ctx = this.context;
    const rate = this.sampleRate;
    const tracks = Array.isArray(referenceInput) ? referenceInput : [referenceInput];
    if (tracks.length === 0 || tracks.some((t) => t.length !== tracks[0].length)) throw new RangeError('the reference tracks must be one or more of equal length');
    const group = options.group;
    const reference = tracks[0];
    const here = group?.kind === 'channels' ? tracks : [reference];
    const fill = async (buffer: AudioBuffer, channel: number, samples: Float32Array): Promise<void> => {
      for (let i = 0; i < samples.length; i += COPY_SLICE_FRAMES) {
        buffer.copyToChannel(samples.subarray(i, Math.min(samples.length, i + COPY_SLICE_FRAMES)) as Float32Array<ArrayBuffer>, channel, i);
        if (samples.length > COPY_SLICE_FRAMES) await nextTask();
        throwIfAborted(signal);
      }
    };
    const buffer = ctx.createBuffer(here.length, Math.max(1, reference.length), rate);
    for (let c = 0; c < here.length; c++) await fill(buffer, c, here[c]);
    const destination = ctx.destination;
    const restore = { channelCount: destination.channelCount, channelInterpretation: destination.channelInterpretation };
    if (group?.kind === 'channels') {
      const problem = channelsProblem(destination.maxChannelCount, tracks.length);
      if (problem) throw new AudioSetupError(problem);
      destination.channelCount = tracks.length;
      destination.channelInterpretation = 'discrete';
    }
    const player = ctx.createBufferSource();
    player.buffer = buffer;
    player.connect(destination);
    const extraPlayers: AudioBufferSourceNode[] = [];
    if (group?.kind === 'devices') {
      for (const { output, track } of group.extra) {
        if (output.context.sampleRate !== rate) throw new AudioSetupError(`"${output.label}" runs at ${output.context.sampleRate} Hz, the session at ${rate} Hz.`);
        const b = output.context.createBuffer(1, Math.max(1, reference.length), rate);
        await fill(b, 0, tracks[track]);
        const p = output.context.createBufferSource();
        p.buffer = b;
        p.connect(output.context.destination);
        extraPlayers.push(p);
      }
    }
    const startFrame = alignedStartFrame(ctx.currentTime, rate, START_LEAD_S);
    const lengthFrames = reference.length + options.tailFrames;
    const assemblers = Array.from({ length: this.channels }, () => new CaptureAssembler(startFrame, lengthFrames));
    const endFrame = startFrame + lengthFrames;
    const recording = (): Recording => {
      const channels = assemblers.map((a) => a.result());
      return { capture: channels[0], channels, startFrame };
    };

    return new Promise<Recording>((resolve, reject) => {
      let settled = false;
      let lastTime = ctx.currentTime;
      let stalledSince = performance.now();
      const finish = (outcome: { recording: Recording } | { error: Error }) => {
        if (settled) return;
        settled = true;
        window.clearInterval(timer);
        unsubscribeChunks();
        unsubscribeFailure();
        signal?.removeEventListener('abort', onAbort);
        for (const p of [player, ...extraPlayers]) {
          try {
            p.stop();
          } catch {
            // Already stopped, or never started.
          }
          p.disconnect();
        }
        destination.channelCount = restore.channelCount;
        destination.channelInterpretation = restore.channelInterpretation;
        if ('recording' in outcome) resolve(outcome.recording);
        else reject(outcome.error);
      };
      const onAbort = () => finish({ error: new MeasurementCancelledError() });
      signal?.addEventListener('abort', onAbort);
      const unsubscribeChunks = this.onChunk((chunk) => {
        assemblers.forEach((assembler, c) => {
          const samples = c === 0 ? chunk.samples : chunk.channels?.[c];
          if (samples) assembler.push({ startFrame: chunk.startFrame, samples });
        });
        if (assemblers.every((a) => a.complete)) finish({ recording: recording() });
      });
      const unsubscribeFailure = this.onFailure((message) => finish({ error: new AudioSetupError(message) }));
      const timer = window.setInterval(() => {
        const nowFrame = ctx.currentTime * rate;
        const fraction = Math.min(1, Math.max(0, (nowFrame - startFrame) / lengthFrames));
        options.onProgress?.({ fraction, remainingS: Math.max(0, (endFrame - nowFrame) / rate) });
        if (ctx.currentTime !== lastTime) {
          lastTime = ctx.currentTime;
          stalledSince = performance.now();
        } else if (performance.now() - stalledSince > 3000) {
          finish({ error: new AudioSetupError(`Audio stopped: the context's clock has not moved for 3 s (state "${ctx.state}"). The output device may have been disconnected or taken by another application.`) });
        }
        // The audio thread is well past the end but chunks are missing: finish with the gaps listed.
        if (nowFrame > endFrame + rate) finish({ recording: recording() });
      }, 100);
      const startTime = frameToTime(startFrame, rate);
      if (group?.kind === 'devices') {
        const main = stampOf(ctx);
        group.extra.forEach(({ output }, k) => extraPlayers[k].start(Math.max(output.context.currentTime, alignedContextTime(startTime, main, stampOf(output.context)))));
      }
      player.start(startTime);
      options.onStart?.(assemblers);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.chunkListeners.clear();
    this.failureListeners.clear();
    const stop: CaptureControlMessage = { type: 'stop' };
    this.recorder.port.postMessage(stop);
    this.recorder.port.onmessage = null;
    this.source.disconnect();
    this.recorder.disconnect();
    for (const track of this.stream.getTracks()) track.stop();
    await this.context.close().catch(() => undefined);
  }
}
