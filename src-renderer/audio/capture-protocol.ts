/** What the capture worklet (capture-worklet.ts) and the main thread (measurement-session.ts) exchange. */

export const CAPTURE_PROCESSOR_NAME = 'latency-lab-capture';

/** Frames per posted chunk: 8 render quanta, about 21 ms at 48 kHz. */
export const CAPTURE_CHUNK_FRAMES = 1024;

/**
 * Posted by the processor: `samples[0]` was the input at context frame `startFrame`. `samples` is
 * the mono input, or with two or more channels the first; `channels` then holds every channel
 * (`channels[0]` is `samples`).
 */
export interface CaptureChunkMessage {
  type: 'chunk';
  startFrame: number;
  samples: Float32Array;
  channels?: Float32Array[];
}

/** Sent to the processor: stop posting and let the node be collected. */
export interface CaptureControlMessage {
  type: 'stop';
}

export interface CaptureProcessorOptions {
  chunkFrames: number;
  /** Channels recorded: 1 (the input mixed to mono, the default) or more, each kept apart. */
  channels?: number;
}
