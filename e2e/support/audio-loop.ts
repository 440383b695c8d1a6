/**
 * The in-browser audio loop for end-to-end tests, installed with page.addInitScript before the app
 * loads. It routes the page's own output back into its input INSIDE the Web Audio graph:
 *
 *   anything connected to context.destination ──► GainNode ─► DelayNode (a whole number of frames)
 *        ─► IIRFilterNode (known coefficients) ─► GainNode (0 for a silent loop) ──► "microphone"
 *
 * - AudioNode.prototype.connect is patched so every connection to `context.destination` is also
 *   connected to the loop's input (the app's playback is tapped, its audible output unchanged);
 * - AudioContext.prototype.createMediaStreamSource returns the loop's output node instead of a node
 *   fed from the stream, so the "microphone" is the played signal, delayed and filtered, with no
 *   MediaStream round trip and no extra buffering: the app must measure exactly the delay plus the
 *   filter's own delay;
 * - getUserMedia resolves to a MediaStreamAudioDestinationNode's stream (whose track reports the
 *   processors off), enumerateDevices lists a loopback microphone and speaker, setSinkId accepts
 *   them;
 * - worker replies that carry an analysis output are recorded (window.__latencyLab.replies), and
 *   long tasks are collected with a PerformanceObserver (window.__latencyLab.longTasks).
 *
 * The function is serialised into the page: it must not refer to anything outside itself.
 */

export interface LoopConfig {
  delayFrames: number;
  /** IIR coefficients per sample rate (feed-forward b, feedback a with a[0] = 1). */
  filters: Record<string, { b: number[]; a: number[] }>;
  /** Output silence instead of the delayed, filtered signal. */
  silent: boolean;
  /** getUserMedia rejects with a DOMException of this name (e.g. 'NotAllowedError'). */
  microphoneError?: string;
  /** Run every AudioContext at this rate instead of the device default. */
  sampleRate?: number;
  /**
   * A two-channel "input" for the timing reference: the played signal delayed by
   * `loopbackDelayFrames` (an electrical loopback, no filter) on input channel `channel`, the
   * delayed, filtered loop on the other. The latency relative to the loopback is then
   * (delayFrames − loopbackDelayFrames) frames plus the filter's delay.
   */
  timingReference?: { channel: 1 | 2; loopbackDelayFrames: number };
}

export interface LoopReply {
  at: number;
  output: unknown;
}

export interface LoopProbe {
  config: LoopConfig;
  replies: LoopReply[];
  longTasks: Array<{ startTime: number; duration: number }>;
  /** Contexts the loop was built in (the app's measurement contexts). */
  contexts: AudioContext[];
  /** Microphone tracks handed out, and whether each was stopped. */
  tracks: Array<{ stopped: boolean }>;
  sampleRates: number[];
}

export function installAudioLoop(config: LoopConfig): void {
  const probe: LoopProbe = { config, replies: [], longTasks: [], contexts: [], tracks: [], sampleRates: [] };
  (window as unknown as { __latencyLab: LoopProbe }).__latencyLab = probe;

  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) probe.longTasks.push({ startTime: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // Long-task timing unavailable: the test reports it.
  }

  const OriginalWorker = window.Worker;
  window.Worker = class extends OriginalWorker {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      this.addEventListener('message', (event: MessageEvent) => {
        const data = event.data as { ok?: boolean; result?: { output?: unknown } } | null;
        if (data && data.ok && data.result && data.result.output) probe.replies.push({ at: performance.now(), output: data.result.output });
      });
    }
  };

  const originalConnect = AudioNode.prototype.connect as (this: AudioNode, destination: AudioNode | AudioParam, output?: number, input?: number) => AudioNode | undefined;
  const loops = new WeakMap<BaseAudioContext, { input: GainNode; output: AudioNode }>();
  const loopFor = (ctx: BaseAudioContext) => {
    let loop = loops.get(ctx);
    if (loop) return loop;
    const coefficients = config.filters[String(ctx.sampleRate)];
    if (!coefficients) throw new Error(`audio loop: no filter coefficients for ${ctx.sampleRate} Hz`);
    const input = ctx.createGain();
    const delay = ctx.createDelay(1);
    delay.delayTime.value = config.delayFrames / ctx.sampleRate;
    const filter = ctx.createIIRFilter(coefficients.b, coefficients.a);
    const output = ctx.createGain();
    output.gain.value = config.silent ? 0 : 1;
    originalConnect.call(input, delay);
    originalConnect.call(delay, filter);
    originalConnect.call(filter, output);
    let microphone: AudioNode = output;
    const reference = config.timingReference;
    if (reference) {
      const loopback = ctx.createDelay(1);
      loopback.delayTime.value = reference.loopbackDelayFrames / ctx.sampleRate;
      const merger = ctx.createChannelMerger(2);
      originalConnect.call(input, loopback);
      originalConnect.call(loopback, merger, 0, reference.channel - 1);
      originalConnect.call(output, merger, 0, reference.channel === 1 ? 1 : 0);
      microphone = merger;
    }
    loop = { input, output: microphone };
    loops.set(ctx, loop);
    probe.contexts.push(ctx as AudioContext);
    probe.sampleRates.push(ctx.sampleRate);
    return loop;
  };

  AudioNode.prototype.connect = function (this: AudioNode, destination: AudioNode | AudioParam, output?: number, input?: number) {
    const result = originalConnect.call(this, destination, output, input);
    if (destination instanceof AudioDestinationNode && destination === this.context.destination) {
      originalConnect.call(this, loopFor(this.context).input, output);
    }
    return result;
  } as typeof AudioNode.prototype.connect;

  AudioContext.prototype.createMediaStreamSource = function (this: AudioContext) {
    return loopFor(this).output as unknown as MediaStreamAudioSourceNode;
  };

  const sinkIds = new Set(['', 'default', 'loop-speaker']);
  (AudioContext.prototype as unknown as { setSinkId(id: string): Promise<void> }).setSinkId = async (id: string) => {
    if (!sinkIds.has(id)) throw new DOMException(`no output device "${id}"`, 'NotFoundError');
  };

  const devices = [
    { deviceId: 'loop-mic', kind: 'audioinput', label: 'Loopback microphone (test)', groupId: 'loop' },
    { deviceId: 'default', kind: 'audiooutput', label: 'Default', groupId: 'loop' },
    { deviceId: 'loop-speaker', kind: 'audiooutput', label: 'Loopback speaker (test)', groupId: 'loop' },
  ];
  if (config.sampleRate) {
    const rate = config.sampleRate;
    const NativeAudioContext = window.AudioContext;
    window.AudioContext = class extends NativeAudioContext {
      constructor(options: AudioContextOptions = {}) {
        super({ ...options, sampleRate: rate });
      }
    };
  }

  const media = navigator.mediaDevices;
  media.enumerateDevices = async () => devices.map((d) => ({ ...d, toJSON: () => d })) as unknown as MediaDeviceInfo[];
  media.getUserMedia = async (constraints?: MediaStreamConstraints) => {
    if (!constraints?.audio) throw new DOMException('only audio is simulated', 'NotFoundError');
    if (config.microphoneError) throw new DOMException('simulated', config.microphoneError);
    const helper = new AudioContext();
    const destination = helper.createMediaStreamDestination();
    const stream = destination.stream;
    const track = stream.getAudioTracks()[0];
    const record = { stopped: false };
    probe.tracks.push(record);
    const rate = helper.sampleRate;
    Object.defineProperty(track, 'label', { value: 'Loopback microphone (test)' });
    const channelCount = config.timingReference ? 2 : 1;
    track.getSettings = () => ({ deviceId: 'loop-mic', groupId: 'loop', echoCancellation: false, noiseSuppression: false, autoGainControl: false, channelCount, sampleRate: rate });
    const stop = track.stop.bind(track);
    track.stop = () => {
      record.stopped = true;
      stop();
      void helper.close();
    };
    return stream;
  };
}
