/**
 * Video files for the A/V commands, in Node: mediabunny reads and writes the containers (MP4, MOV,
 * WebM), @napi-rs/webcodecs (FFmpeg inside) decodes and encodes (H.264, HEVC, VP9, AV1 video;
 * AAC, Opus audio). mediabunny's packets go straight to the native decoders (its own sample sinks
 * are not used), and only the luma plane of each decoded frame is read, reduced to the analysis'
 * grid as it arrives.
 *
 * @napi-rs/webcodecs is a native module: it is loaded when an A/V command runs, so the other
 * commands work where it is not installed.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Input } from 'mediabunny';
import { LumaGridBuilder, type LumaGridVideo } from '../../shared/av/luma-grid';
import type { AvAudioTrack } from '../../shared/av/av-analysis';
import { CliError } from './cli-io';
import type * as NativeCodecs from '@napi-rs/webcodecs';

/** mediabunny, loaded when an A/V command runs (the other commands start without evaluating its 2 MB). */
const loadMediabunny = () => import('mediabunny');

type Native = typeof NativeCodecs;

/** The version of @napi-rs/webcodecs the A/V commands are built and tested with (package.json pins it). */
export const WEBCODECS_VERSION = '1.3.1';

let native: Native | null = null;
async function loadNative(): Promise<Native> {
  if (native) return native;
  try {
    native = await import('@napi-rs/webcodecs');
    return native;
  } catch (error) {
    // The installable CLI (npm pack of src-main/cli) does not hold this native package (66 MB of
    // FFmpeg per platform): say exactly what to install, and where.
    throw new CliError(`the A/V commands need the video codecs, the native package @napi-rs/webcodecs, which could not be loaded (${(error as Error).message.split('\n')[0]}); install it where latency-lab is installed: npm install --global @napi-rs/webcodecs@${WEBCODECS_VERSION} (with the same --prefix as latency-lab, if you gave one), or npm install @napi-rs/webcodecs@${WEBCODECS_VERSION} in the project that has latency-lab`);
  }
}

export class UnsupportedCodecError extends Error {}

/** Decoded frames allowed to wait for their luma to be read before more packets are sent. */
const MAX_QUEUED_FRAMES = 8;

/**
 * A closed VideoFrame's picture is freed only when its JavaScript wrapper is collected, and V8 does
 * not count that memory, so it seldom collects: decoding 10 s of 1080p at 240 fps grew the process
 * to 3.3 GB (0.5 GB with a young-generation collection every 64 frames, which also costs less CPU
 * than letting the heap grow). The collector is taken through the documented V8 flag.
 */
const COLLECT_EVERY_FRAMES = 64;
let youngCollector: ((options: { type: 'minor' }) => void) | null | undefined;
function collectFrameWrappers(): void {
  if (youngCollector === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      youngCollector = runInNewContext('gc') as (options: { type: 'minor' }) => void;
    } catch {
      youngCollector = null;
    }
  }
  youngCollector?.({ type: 'minor' });
}

export interface DecodedRecording {
  video: LumaGridVideo;
  audio: AvAudioTrack | null;
  /** Timestamp resolution of the video track, seconds. */
  timestampResolutionS: number;
  codec: string;
}

export interface DecodeProgress {
  /** 0–1. */
  fraction: number;
  framesDecoded: number;
}

/** Decodes a recording to the luma grid and mono audio. `signal` cancels (rejects with an AbortError). */
export async function decodeRecording(path: string, onProgress?: (p: DecodeProgress) => void, signal?: AbortSignal): Promise<DecodedRecording> {
  const codecs = await loadNative();
  const { ALL_FORMATS, EncodedPacketSink, FilePathSource, Input } = await loadMediabunny();
  const input = new Input({ source: new FilePathSource(path), formats: ALL_FORMATS });
  try {
    let videoTrack;
    try {
      videoTrack = await input.getPrimaryVideoTrack();
    } catch (error) {
      throw new CliError(`${path} is not a video file mediabunny can read (MP4, MOV, WebM, MKV): ${(error as Error).message}`);
    }
    if (!videoTrack) return { video: emptyVideo(), audio: null, timestampResolutionS: 0, codec: 'none' };
    const config = await videoTrack.getDecoderConfig();
    const codec = videoTrack.codec ?? 'unknown';
    if (!config) throw new UnsupportedCodecError(`the video codec (${codec}) cannot be decoded here`);
    const support = await codecs.VideoDecoder.isConfigSupported(config as never);
    if (!support.supported) throw new UnsupportedCodecError(`the video codec ${config.codec} cannot be decoded here`);
    const duration = await videoTrack.computeDuration();
    const builder = new LumaGridBuilder(videoTrack.codedWidth, videoTrack.codedHeight);
    // The audio is decoded alongside the video (its decoder runs on its own threads).
    const audioPromise = decodeAudio(input, codecs, signal);
    audioPromise.catch(() => undefined);
    const lumaReader = new LumaReader();
    const packetTimesS: number[] = [];
    const frameLabelsS: number[] = [];
    let failure: Error | null = null;
    let pending = Promise.resolve();
    let decoded = 0;
    // Decoded frames not yet read: each holds a whole picture (3 MB at 1080p), so the packets wait
    // while more than a few are queued (a 60 s 240 fps recording once held 18 GB of them).
    let queuedFrames = 0;
    const decoder = new codecs.VideoDecoder({
      output: (frame) => {
        queuedFrames++;
        // copyTo is asynchronous; keep frames in order (one copy at a time, into one buffer).
        pending = pending.then(async () => {
          try {
            if (failure || signal?.aborted) return;
            if (frame.codedWidth !== builder.width || frame.codedHeight !== builder.height) throw new Error(`frame size changed from ${builder.width} × ${builder.height} to ${frame.codedWidth} × ${frame.codedHeight}`);
            // Frames come out in presentation order; their times are settled at the end (see presentationTimes).
            frameLabelsS.push(frame.timestamp / 1e6);
            await lumaReader.read(frame, builder, decoded);
            decoded++;
            if (decoded % COLLECT_EVERY_FRAMES === 0) collectFrameWrappers();
          } catch (error) {
            failure ??= error as Error;
          } finally {
            frame.close();
            queuedFrames--;
          }
        });
      },
      error: (error) => {
        failure ??= error as Error;
      },
    });
    decoder.configure({ ...(config as object), hardwareAcceleration: 'prefer-software' } as never);
    const sink = new EncodedPacketSink(videoTrack);
    let lastReport = 0;
    try {
      for await (const packet of sink.packets()) {
        if (signal?.aborted) throw abortError();
        if (failure) break;
        packetTimesS.push(packet.timestamp);
        decoder.decode(new codecs.EncodedVideoChunk({ type: packet.type, timestamp: Math.round(packet.timestamp * 1e6), duration: Math.round(packet.duration * 1e6), data: packet.data }));
        // Back-pressure: let the decoder drain.
        while (decoder.decodeQueueSize > 16 || queuedFrames > MAX_QUEUED_FRAMES) await new Promise((resolve) => setTimeout(resolve, 1));
        if (onProgress && packet.timestamp - lastReport >= 0.5) {
          lastReport = packet.timestamp;
          onProgress({ fraction: duration > 0 ? Math.min(1, packet.timestamp / duration) : 0, framesDecoded: decoded });
        }
      }
      await decoder.flush();
      await pending;
    } finally {
      if (decoder.state !== 'closed') decoder.close();
    }
    if (signal?.aborted) throw abortError();
    if (failure) {
      const message = (failure as Error).message;
      throw new UnsupportedCodecError(`decoding the ${config.codec} video failed: ${message}`);
    }
    const audio = await audioPromise;
    onProgress?.({ fraction: 1, framesDecoded: decoded });
    const video = builder.build(null);
    return { video: { ...video, timestampsS: presentationTimes(frameLabelsS, packetTimesS, config.codec) }, audio, timestampResolutionS: 1 / videoTrack.timeResolution, codec: config.codec };
  } finally {
    input.dispose();
  }
}

/**
 * The presentation time of each decoded frame, in output order. A decoder gives frames in
 * presentation order, but @napi-rs/webcodecs 1.3.1 labels them with the chunks' timestamps in the
 * order the chunks went in (decode order), which differs from presentation order wherever the
 * stream has B-frames (HEVC from x265, many phones): the labels then run backwards now and then.
 * Each frame once decoded, the k-th frame out is the k-th earliest packet; labels that only ever
 * increase are used as they are. A reordered stream with frames missing cannot be timed.
 */
export function presentationTimes(labelsS: readonly number[], packetTimesS: readonly number[], codec: string): Float64Array {
  if (labelsS.every((t, i) => i === 0 || t > labelsS[i - 1])) return Float64Array.from(labelsS);
  if (labelsS.length !== packetTimesS.length) {
    throw new UnsupportedCodecError(`the ${codec} decoder returned ${labelsS.length} frames for ${packetTimesS.length} packets of a stream with reordered frames, so the frames' times cannot be told; convert the recording to H.264 without B-frames (e.g. ffmpeg -i in.mov -c:v libx264 -bf 0 -c:a copy out.mp4)`);
  }
  return Float64Array.from(packetTimesS).sort();
}

/** Bits per luma sample of the decoder's planar YUV formats (the Y plane comes first in each). */
const LUMA_BITS: Record<string, number> = {
  I420: 8, I420A: 8, I422: 8, I422A: 8, I444: 8, I444A: 8, NV12: 8, NV21: 8,
  I420P10: 10, I420AP10: 10, I422P10: 10, I422AP10: 10, I444P10: 10, I444AP10: 10,
  I420P12: 12, I422P12: 12, I444P12: 12,
};

/**
 * Reads a decoded frame's luma plane into the grid. Planar YUV frames are copied in their own
 * format (no conversion) into one reused buffer, only the Y plane at full size: the other planes
 * are laid over each other in a small tail of it. Frames of other formats (RGB) are converted to
 * I420 first.
 */
class LumaReader {
  private buffer = new Uint8Array(0);

  /** Adds the frame's luma to the grid as frame number `index` (its time is settled later). */
  async read(frame: NativeCodecs.VideoFrame, builder: LumaGridBuilder, index: number): Promise<void> {
    const width = frame.codedWidth;
    const height = frame.codedHeight;
    const format = frame.format ?? '';
    const bits = LUMA_BITS[format];
    if (bits === undefined) {
      const size = frame.allocationSize({ format: 'I420' } as never);
      const layout = await frame.copyTo(this.take(size), { format: 'I420' } as never);
      builder.addLumaPlane(this.buffer, layout[0].stride, index, layout[0].offset);
      return;
    }
    const bytesPerSample = bits > 8 ? 2 : 1;
    const lumaStride = width * bytesPerSample;
    const lumaBytes = lumaStride * height;
    // The chroma (and alpha) planes are all laid at lumaBytes, over each other: the tail holds the
    // largest of them (NV12's interleaved plane is as wide as the luma and half as high; I420's
    // planes half as wide and half as high; I422's half as wide; I444's and alpha planes full).
    const planes = frame.numberOfPlanes;
    const halfWidthStride = Math.ceil(width / 2) * bytesPerSample;
    const chromaStride = format.startsWith('NV') ? 2 * halfWidthStride : format.startsWith('I444') ? lumaStride : halfWidthStride;
    const chromaRows = format.startsWith('NV') || format.startsWith('I420') ? Math.ceil(height / 2) : height;
    const layout = [{ offset: 0, stride: lumaStride }];
    for (let p = 1; p < planes; p++) layout.push({ offset: lumaBytes, stride: format.includes('A') && p === 3 ? lumaStride : chromaStride });
    const tailBytes = planes === 4 ? lumaBytes : chromaStride * chromaRows;
    const size = lumaBytes + tailBytes;
    await frame.copyTo(this.take(size), { layout } as never);
    if (bytesPerSample === 1) builder.addLumaPlane(this.buffer, width, index);
    else builder.addLumaPlane(new Uint16Array(this.buffer.buffer, 0, width * height), width, index, 0, 255 / ((1 << bits) - 1));
  }

  private take(size: number): Uint8Array {
    if (this.buffer.length < size) this.buffer = new Uint8Array(size);
    return this.buffer;
  }
}

function emptyVideo(): LumaGridVideo {
  return { width: 2, height: 2, gridWidth: 1, gridHeight: 1, frameCount: 0, cells: new Float32Array(0), timestampsS: null, nominalFps: null };
}

const abortError = (): Error => Object.assign(new Error('cancelled'), { name: 'AbortError' });

async function decodeAudio(input: Input, codecs: Native, signal?: AbortSignal): Promise<AvAudioTrack | null> {
  const track = await input.getPrimaryAudioTrack();
  if (!track) return null;
  const config = await track.getDecoderConfig();
  if (!config) return null;
  const chunks: Array<{ timestampS: number; samples: Float32Array; sampleRate: number }> = [];
  let failure: Error | null = null;
  const decoder = new codecs.AudioDecoder({
    output: (data) => {
      try {
        const frames = data.numberOfFrames;
        const samples = new Float32Array(frames);
        data.copyTo(samples, { planeIndex: 0, format: 'f32-planar' } as never);
        chunks.push({ timestampS: data.timestamp / 1e6, samples, sampleRate: data.sampleRate });
      } catch (error) {
        failure ??= error as Error;
      } finally {
        data.close();
      }
    },
    error: (error) => {
      failure ??= error as Error;
    },
  });
  decoder.configure(config as never);
  const { EncodedPacketSink } = await loadMediabunny();
  for await (const packet of new EncodedPacketSink(track).packets()) {
    if (signal?.aborted) throw abortError();
    decoder.decode(new codecs.EncodedAudioChunk({ type: packet.type, timestamp: Math.round(packet.timestamp * 1e6), duration: Math.round(packet.duration * 1e6), data: packet.data }));
  }
  await decoder.flush();
  decoder.close();
  if (failure) throw new UnsupportedCodecError(`decoding the ${config.codec} audio failed: ${(failure as Error).message}`);
  if (chunks.length === 0) return null;
  chunks.sort((a, b) => a.timestampS - b.timestampS);
  const sampleRate = chunks[0].sampleRate;
  const startS = chunks[0].timestampS;
  const last = chunks[chunks.length - 1];
  const length = Math.round((last.timestampS - startS) * sampleRate) + last.samples.length;
  const samples = new Float32Array(length);
  for (const chunk of chunks) samples.set(chunk.samples.subarray(0, Math.max(0, length - Math.round((chunk.timestampS - startS) * sampleRate))), Math.round((chunk.timestampS - startS) * sampleRate));
  return { samples, sampleRate, startS };
}

export interface EncodeSource {
  width: number;
  height: number;
  fps: number;
  frameCount: number;
  /** Presentation time of frame i, seconds (default i / fps). */
  timestampS?: (i: number) => number;
  /** Writes frame i's luma (width × height bytes). */
  renderLuma: (i: number, luma: Uint8Array) => void;
  /** Mono audio and its rate. */
  audio: Float32Array;
  sampleRate: number;
  /** H.264 bit rate. Default 8 Mbit/s. */
  bitrate?: number;
}

const AAC_PRIMING_FRAMES = 1024;

/** Writes an MP4 with H.264 video (High profile) and AAC-LC audio. */
export async function writeMp4(path: string, source: EncodeSource, onProgress?: (fraction: number) => void): Promise<void> {
  const codecs = await loadNative();
  const { EncodedAudioPacketSource, EncodedPacket, EncodedVideoPacketSource, FilePathTarget, Mp4OutputFormat, Output } = await loadMediabunny();
  const { width, height, fps, frameCount } = source;
  const output = new Output({ format: new Mp4OutputFormat({ fastStart: 'in-memory' }), target: new FilePathTarget(path) });
  const videoSource = new EncodedVideoPacketSource('avc');
  const audioSource = new EncodedAudioPacketSource('aac');
  // A frame rate makes mediabunny's timescale a multiple of it; explicit timestamps keep theirs.
  output.addVideoTrack(videoSource, source.timestampS ? {} : { frameRate: fps });
  output.addAudioTrack(audioSource);
  await output.start();
  let failure: Error | null = null;
  let chain = Promise.resolve();
  const videoEncoder = new codecs.VideoEncoder({
    output: (chunk, meta) => {
      const data = new Uint8Array(chunk.byteLength);
      chunk.copyTo(data);
      const packet = new EncodedPacket(data, chunk.type as 'key' | 'delta', chunk.timestamp / 1e6, (chunk.duration ?? 1e6 / fps) / 1e6);
      chain = chain.then(() => videoSource.add(packet, meta as never)).catch((error) => void (failure ??= error));
    },
    error: (error) => void (failure ??= error as Error),
  });
  const level = width * height > 1280 * 720 || fps > 60 ? '2a' : '1f';
  videoEncoder.configure({ codec: `avc1.6400${level}`, width, height, bitrate: source.bitrate ?? 8_000_000, framerate: fps, hardwareAcceleration: 'prefer-software', avc: { format: 'avc' } } as never);
  const ySize = width * height;
  const cSize = (width >> 1) * (height >> 1);
  const i420 = new Uint8Array(ySize + 2 * cSize);
  i420.fill(128, ySize);
  const luma = i420.subarray(0, ySize);
  for (let i = 0; i < frameCount; i++) {
    source.renderLuma(i, luma);
    const timestamp = Math.round((source.timestampS ? source.timestampS(i) : i / fps) * 1e6);
    const frame = new codecs.VideoFrame(i420, { format: 'I420', codedWidth: width, codedHeight: height, timestamp, duration: Math.round(1e6 / fps) } as never);
    videoEncoder.encode(frame, { keyFrame: i % (2 * Math.round(fps)) === 0 } as never);
    frame.close();
    while (videoEncoder.encodeQueueSize > 8) await new Promise((resolve) => setTimeout(resolve, 1));
    if (failure) throw failure;
    onProgress?.((0.9 * (i + 1)) / frameCount);
  }
  await videoEncoder.flush();
  videoEncoder.close();
  await chain;
  // Audio: AAC-LC, mono, in blocks of 1024.
  let audioChain = Promise.resolve();
  const audioEncoder = new codecs.AudioEncoder({
    output: (chunk, meta) => {
      const data = new Uint8Array(chunk.byteLength);
      chunk.copyTo(data);
      // FFmpeg's AAC encoder starts with 1024 samples of priming: the packets are shifted back by
      // it (the first one to a negative time), which the MP4 records as an edit list, so players
      // (and our decoder) start the sound where it was given.
      const packet = new EncodedPacket(data, 'key', chunk.timestamp / 1e6 - AAC_PRIMING_FRAMES / source.sampleRate, (chunk.duration ?? 0) / 1e6);
      audioChain = audioChain.then(() => audioSource.add(packet, meta as never)).catch((error) => void (failure ??= error));
    },
    error: (error) => void (failure ??= error as Error),
  });
  audioEncoder.configure({ codec: 'mp4a.40.2', sampleRate: source.sampleRate, numberOfChannels: 1, bitrate: 128000 } as never);
  const block = 1024;
  for (let start = 0; start < source.audio.length; start += block) {
    const data = source.audio.slice(start, Math.min(source.audio.length, start + block));
    const audioData = new codecs.AudioData({ format: 'f32-planar', sampleRate: source.sampleRate, numberOfFrames: data.length, numberOfChannels: 1, timestamp: Math.round((start / source.sampleRate) * 1e6), data } as never);
    audioEncoder.encode(audioData);
    audioData.close();
  }
  await audioEncoder.flush();
  audioEncoder.close();
  await audioChain;
  if (failure) throw failure;
  await output.finalize();
  onProgress?.(1);
}
