import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CAPTURE_PROCESSOR_NAME, type CaptureChunkMessage } from './capture-protocol';

/** A minimal AudioWorkletGlobalScope: the processor class, registerProcessor and currentFrame. */
interface FakeProcessor {
  port: { posted: CaptureChunkMessage[]; onmessage: ((e: MessageEvent) => void) | null; postMessage(m: CaptureChunkMessage): void };
  process(inputs: Float32Array[][]): boolean;
}
let registered: { name: string; ctor: new (options: unknown) => FakeProcessor } | null = null;
const scope = { currentFrame: 0 };

beforeAll(async () => {
  class AudioWorkletProcessor {
    port = {
      posted: [] as CaptureChunkMessage[],
      onmessage: null as ((e: MessageEvent) => void) | null,
      postMessage(m: CaptureChunkMessage) {
        this.posted.push(m);
      },
    };
  }
  vi.stubGlobal('AudioWorkletProcessor', AudioWorkletProcessor);
  vi.stubGlobal('registerProcessor', (name: string, ctor: new (options: unknown) => FakeProcessor) => (registered = { name, ctor }));
  Object.defineProperty(globalThis, 'currentFrame', { get: () => scope.currentFrame, configurable: true });
  await import('./capture-worklet');
});

afterAll(() => {
  vi.unstubAllGlobals();
  delete (globalThis as { currentFrame?: number }).currentFrame;
});

/** Runs render quanta of 128 frames whose input sample at context frame f is f (or no input). */
function render(p: FakeProcessor, fromFrame: number, quanta: number, connected = true) {
  for (let q = 0; q < quanta; q++) {
    scope.currentFrame = fromFrame + q * 128;
    const input = connected ? [[Float32Array.from({ length: 128 }, (_, i) => scope.currentFrame + i)]] : [[]];
    expect(p.process(input)).toBe(true);
  }
}

describe('capture worklet processor', () => {
  it('registers under the name the session uses', () => {
    expect(registered?.name).toBe(CAPTURE_PROCESSOR_NAME);
  });

  it('posts chunks tagged with the context frame of their first sample', () => {
    const p = new registered!.ctor({ processorOptions: { chunkFrames: 384 } });
    render(p, 1280, 7);
    const posted = p.port.posted;
    expect(posted.map((m) => m.startFrame)).toEqual([1280, 1664]);
    for (const m of posted) {
      expect(m.type).toBe('chunk');
      expect(m.samples.length).toBe(384);
      m.samples.forEach((v, i) => expect(v).toBe(m.startFrame + i));
    }
    // The 7th quantum is buffered until its chunk is full.
    render(p, 1280 + 7 * 128, 2);
    expect(p.port.posted.map((m) => m.startFrame)).toEqual([1280, 1664, 2048]);
    expect(p.port.posted[2].samples[0]).toBe(2048);
  });

  it('records silence when the input has no channels, and stops on request', () => {
    const p = new registered!.ctor({ processorOptions: { chunkFrames: 256 } });
    render(p, 0, 2, false);
    expect(p.port.posted[0].samples.every((v) => v === 0)).toBe(true);
    p.port.onmessage?.({ data: { type: 'stop' } } as MessageEvent);
    expect(p.process([[new Float32Array(128)]])).toBe(false);
  });

  it('chunks are at least one render quantum, 1024 frames by default', () => {
    const p = new registered!.ctor({});
    render(p, 0, 8);
    expect(p.port.posted).toHaveLength(1);
    expect(p.port.posted[0].samples.length).toBe(1024);
    const tiny = new registered!.ctor({ processorOptions: { chunkFrames: 1 } });
    render(tiny, 0, 1);
    expect(tiny.port.posted[0].samples.length).toBe(128);
  });

  it('with two channels keeps them apart: channels[0] is samples, a missing second channel is silence', () => {
    const p = new registered!.ctor({ processorOptions: { chunkFrames: 256, channels: 2 } });
    for (let q = 0; q < 2; q++) {
      scope.currentFrame = q * 128;
      const left = Float32Array.from({ length: 128 }, (_, i) => scope.currentFrame + i);
      const right = Float32Array.from({ length: 128 }, (_, i) => -(scope.currentFrame + i));
      p.process([[left, right]]);
    }
    const [m] = p.port.posted;
    expect(m.channels).toHaveLength(2);
    expect(m.channels?.[0]).toBe(m.samples);
    expect(m.samples[200]).toBe(200);
    expect(m.channels?.[1][200]).toBe(-200);
    scope.currentFrame = 256;
    p.process([[new Float32Array(128).fill(0.5)]]);
    p.process([[new Float32Array(128).fill(0.5)]]);
    expect(p.port.posted[1].channels?.[1].every((v) => v === 0)).toBe(true);
    // Mono (the default) posts no channels list.
    const mono = new registered!.ctor({ processorOptions: { chunkFrames: 128 } });
    render(mono, 0, 1);
    expect(mono.port.posted[0].channels).toBeUndefined();
  });
});
