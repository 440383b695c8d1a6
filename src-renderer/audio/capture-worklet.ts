/**
 * The capture AudioWorklet processor. It runs in the AudioWorkletGlobalScope of the measurement's
 * AudioContext and posts the input (mono, or each of its channels) in chunks of `chunkFrames` frames, each tagged with the
 * context frame of its first sample (`currentFrame` at the start of the render quantum). Playback
 * is scheduled on the same context clock, so a chunk's tag says exactly which played frame it lines
 * up with (see capture-assembly.ts).
 *
 * Loaded with Vite's `?worker&url` import, which bundles this file (and the constants it imports)
 * into one script served from 'self' under the CSP, never a blob: script.
 */
import { CAPTURE_CHUNK_FRAMES, CAPTURE_PROCESSOR_NAME, type CaptureChunkMessage, type CaptureControlMessage, type CaptureProcessorOptions } from './capture-protocol';

// The AudioWorkletGlobalScope, which TypeScript's DOM library does not describe.
declare const currentFrame: number;
declare abstract class AudioWorkletProcessor {
  readonly port: MessagePort;
  constructor(options?: AudioWorkletNodeOptions);
  abstract process(inputs: Float32Array[][], outputs: Float32Array[][], parameters: Record<string, Float32Array>): boolean;
}
declare function registerProcessor(name: string, processorCtor: new (options: AudioWorkletNodeOptions) => AudioWorkletProcessor): void;

class CaptureProcessor extends AudioWorkletProcessor {
  private readonly chunkFrames: number;
  private readonly channelCount: number;
  private buffers: Float32Array[];
  private filled = 0;
  private chunkStart = -1;
  private stopped = false;

  constructor(options: AudioWorkletNodeOptions) {
    super(options);
    const opts = options.processorOptions as Partial<CaptureProcessorOptions> | undefined;
    this.chunkFrames = Math.max(128, Math.round(opts?.chunkFrames ?? CAPTURE_CHUNK_FRAMES));
    this.channelCount = Math.min(32, Math.max(1, Math.round(opts?.channels ?? 1)));
    this.buffers = this.newBuffers();
    this.port.onmessage = (event: MessageEvent<CaptureControlMessage>) => {
      if (event.data.type === 'stop') this.stopped = true;
    };
  }

  private newBuffers(): Float32Array[] {
    return Array.from({ length: this.channelCount }, () => new Float32Array(this.chunkFrames));
  }

  process(inputs: Float32Array[][]): boolean {
    if (this.stopped) return false;
    // With channelCount 1 / 'explicit' the input is already down-mixed to mono; with more channels
    // ('discrete') each is kept, a missing one is silence. An unconnected or ended source has no
    // channels: that is silence, and it is recorded as such.
    const input = inputs[0] ?? [];
    const frames = input[0]?.length ?? 128;
    let offset = 0;
    while (offset < frames) {
      if (this.filled === 0) this.chunkStart = currentFrame + offset;
      const n = Math.min(frames - offset, this.chunkFrames - this.filled);
      for (let c = 0; c < this.channelCount; c++) {
        const channel = input[c];
        if (channel) this.buffers[c].set(channel.subarray(offset, offset + n), this.filled);
        else this.buffers[c].fill(0, this.filled, this.filled + n);
      }
      this.filled += n;
      offset += n;
      if (this.filled === this.chunkFrames) {
        const message: CaptureChunkMessage = { type: 'chunk', startFrame: this.chunkStart, samples: this.buffers[0] };
        if (this.channelCount > 1) message.channels = this.buffers;
        this.port.postMessage(message, this.buffers.map((b) => b.buffer));
        this.buffers = this.newBuffers();
        this.filled = 0;
      }
    }
    return true;
  }
}

registerProcessor(CAPTURE_PROCESSOR_NAME, CaptureProcessor);
