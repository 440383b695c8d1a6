/**
 * Decoding a camera recording in the page: mediabunny reads the container (MP4, MOV, WebM, MKV)
 * and hands its packets straight to WebCodecs' VideoDecoder and AudioDecoder (Chromium decodes
 * H.264, VP8, VP9, AV1, AAC and Opus; Debian's Chromium has no HEVC decoder). Only what the analysis
 * needs is kept: each frame's luma plane, reduced to the analysis' grid as it arrives
 * (LumaGridBuilder: 48 × 27 numbers for a 1080p frame), and the first audio channel.
 *
 * The codecs are passed in (`CodecHost`), so the same code runs on the page's WebCodecs and, in
 * the unit tests, on @napi-rs/webcodecs in Node. Progress is reported as packets are fed; an
 * AbortSignal stops the decode at the next packet (the decoders are closed and the file released).
 */
import { ALL_FORMATS, BlobSource, EncodedPacketSink, Input, type InputAudioTrack, type InputVideoTrack } from 'mediabunny';
import type { AvAudioTrack } from '../../../shared/av/av-analysis';
import { LumaGridBuilder, type LumaGridVideo } from '../../../shared/av/luma-grid';

/** The WebCodecs classes the decode uses (the page's globals, or a Node implementation in tests). */
export interface CodecHost {
  VideoDecoder: { new (init: VideoDecoderInit): VideoDecoder; isConfigSupported(config: VideoDecoderConfig): Promise<VideoDecoderSupport> };
  EncodedVideoChunk: { new (init: EncodedVideoChunkInit): EncodedVideoChunk };
  AudioDecoder: { new (init: AudioDecoderInit): AudioDecoder; isConfigSupported(config: AudioDecoderConfig): Promise<AudioDecoderSupport> };
  EncodedAudioChunk: { new (init: EncodedAudioChunkInit): EncodedAudioChunk };
}

/** The page's own WebCodecs, or null where there are none. */
export function pageCodecs(): CodecHost | null {
  const g = globalThis as unknown as Partial<CodecHost>;
  if (!g.VideoDecoder || !g.EncodedVideoChunk || !g.AudioDecoder || !g.EncodedAudioChunk) return null;
  return { VideoDecoder: g.VideoDecoder, EncodedVideoChunk: g.EncodedVideoChunk, AudioDecoder: g.AudioDecoder, EncodedAudioChunk: g.EncodedAudioChunk };
}

/** The recording cannot be decoded here: the codec (named in the message) is not supported, or decoding it failed. */
export class UnsupportedCodecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedCodecError';
  }
}

/** Not a container mediabunny reads, or a damaged one. */
export class UnreadableRecordingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableRecordingError';
  }
}

export interface DecodedRecording {
  /** Null when the file has no video track. */
  video: LumaGridVideo | null;
  audio: AvAudioTrack | null;
  /** Resolution of the video track's timestamps, seconds. */
  timestampResolutionS: number;
  /** The video codec string (e.g. avc1.64001f), or null without video. */
  codec: string | null;
}

export interface DecodeProgress {
  /** 0–1 of the video track's duration. */
  fraction: number;
  framesDecoded: number;
}

export const abortError = (): DOMException => new DOMException('The decoding was cancelled.', 'AbortError');

/** 8-bit luma plane formats whose plane 0 is Y. */
const YUV8 = new Set(['I420', 'I420A', 'I422', 'I422A', 'I444', 'I444A', 'NV12']);
/** 10/12-bit: plane 0 is Y as 16-bit little-endian samples. */
const YUV_HIGH = /^I4(20|22|44)A?P(10|12)$/;

interface LumaPlane {
  luma: Uint8Array;
  stride: number;
  offset: number;
  width: number;
  height: number;
}

/**
 * Frame → its luma plane (the visible rectangle). YUV frames give their Y plane as it is; RGB frames
 * (a hardware decoder's output) are converted to BT.601 luma. `scratch` is reused between frames.
 */
export async function frameLuma(frame: VideoFrame, scratch: { buffer: Uint8Array }): Promise<LumaPlane> {
  const width = frame.visibleRect?.width ?? frame.codedWidth;
  const height = frame.visibleRect?.height ?? frame.codedHeight;
  const format = frame.format ?? '';
  const grow = (size: number): Uint8Array => {
    if (scratch.buffer.length < size) scratch.buffer = new Uint8Array(size);
    return scratch.buffer;
  };
  if (YUV8.has(format)) {
    const buffer = grow(frame.allocationSize());
    const layout = await frame.copyTo(buffer);
    return { luma: buffer, stride: layout[0].stride, offset: layout[0].offset, width, height };
  }
  const high = YUV_HIGH.exec(format);
  if (high) {
    const buffer = grow(frame.allocationSize());
    const layout = await frame.copyTo(buffer);
    const shift = Number(high[2]) - 8;
    const out = new Uint8Array(width * height);
    const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    for (let y = 0; y < height; y++) {
      const row = layout[0].offset + y * layout[0].stride;
      for (let x = 0; x < width; x++) out[y * width + x] = Math.min(255, view.getUint16(row + 2 * x, true) >> shift);
    }
    return { luma: out, stride: width, offset: 0, width, height };
  }
  // RGB(A/X) or an opaque (GPU) frame: ask for RGBA and take BT.601 luma.
  const options = { format: 'RGBA' } as VideoFrameCopyToOptions;
  const buffer = grow(frame.allocationSize(options));
  const layout = await frame.copyTo(buffer, options);
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = layout[0].offset + y * layout[0].stride;
    for (let x = 0; x < width; x++) {
      const p = row + 4 * x;
      out[y * width + x] = (77 * buffer[p] + 150 * buffer[p + 1] + 29 * buffer[p + 2]) >> 8;
    }
  }
  return { luma: out, stride: width, offset: 0, width, height };
}

/** Decodes a recording to the analysis' luma grid and mono audio. */
export async function decodeRecording(file: Blob, codecs: CodecHost, onProgress?: (p: DecodeProgress) => void, signal?: AbortSignal): Promise<DecodedRecording> {
  if (signal?.aborted) throw abortError();
  const input = new Input({ source: new BlobSource(file), formats: ALL_FORMATS });
  try {
    let videoTrack: InputVideoTrack | null;
    try {
      videoTrack = await input.getPrimaryVideoTrack();
    } catch (error) {
      throw new UnreadableRecordingError(`the file is not a video Latency Lab can read (MP4, MOV, WebM or MKV): ${(error as Error).message}`);
    }
    if (!videoTrack) return { video: null, audio: await decodeAudio(input, codecs, signal), timestampResolutionS: 0, codec: null };
    const config = await videoTrack.getDecoderConfig();
    const codecName = config?.codec ?? videoTrack.codec ?? 'unknown';
    if (!config) throw new UnsupportedCodecError(`its video codec (${codecName}) cannot be decoded here`);
    const support = await codecs.VideoDecoder.isConfigSupported(config);
    if (!support.supported) throw new UnsupportedCodecError(`its video codec (${describeCodec(codecName)}) cannot be decoded here`);
    const video = await decodeVideo(videoTrack, config, codecs, onProgress, signal);
    const audio = await decodeAudio(input, codecs, signal);
    return { video, audio, timestampResolutionS: 1 / videoTrack.timeResolution, codec: codecName };
  } finally {
    input.dispose();
  }
}

/** "hvc1.1.6.L120.90" → "HEVC (hvc1.1.6.L120.90)". */
export function describeCodec(codec: string): string {
  const family = /^(hev1|hvc1)/.test(codec) ? 'HEVC / H.265' : /^avc[13]/.test(codec) ? 'H.264' : /^vp09/.test(codec) ? 'VP9' : /^vp8/.test(codec) ? 'VP8' : /^av01/.test(codec) ? 'AV1' : null;
  return family ? `${family}, ${codec}` : codec;
}

async function decodeVideo(track: InputVideoTrack, config: VideoDecoderConfig, codecs: CodecHost, onProgress?: (p: DecodeProgress) => void, signal?: AbortSignal): Promise<LumaGridVideo> {
  const duration = await track.computeDuration();
  let builder: LumaGridBuilder | null = null;
  let failure: Error | null = null;
  let pending: Promise<void> = Promise.resolve();
  let decoded = 0;
  /** Frames out of the decoder and not yet reduced and closed (each holds a picture's memory). */
  let inFlight = 0;
  const scratch = { buffer: new Uint8Array(0) };
  const decoder = new codecs.VideoDecoder({
    output: (frame) => {
      inFlight++;
      // copyTo is asynchronous: frames are reduced one after another, in the order they came.
      pending = pending.then(async () => {
        try {
          if (failure || signal?.aborted) return;
          const plane = await frameLuma(frame, scratch);
          builder ??= new LumaGridBuilder(plane.width, plane.height);
          if (plane.width !== builder.width || plane.height !== builder.height) throw new Error(`the frame size changed from ${builder.width} × ${builder.height} to ${plane.width} × ${plane.height}`);
          builder.addLumaPlane(plane.luma, plane.stride, frame.timestamp / 1e6, plane.offset);
          decoded++;
        } catch (error) {
          failure ??= error as Error;
        } finally {
          frame.close();
          inFlight--;
        }
      });
    },
    error: (error) => {
      failure ??= error;
    },
  });
  try {
    decoder.configure({ ...config, hardwareAcceleration: 'prefer-software' });
    let lastReport = -Infinity;
    for await (const packet of new EncodedPacketSink(track).packets()) {
      if (signal?.aborted) throw abortError();
      if (failure) break;
      decoder.decode(new codecs.EncodedVideoChunk({ type: packet.type, timestamp: Math.round(packet.timestamp * 1e6), duration: Math.round(packet.duration * 1e6), data: packet.data }));
      // Back-pressure: let the decoder and the luma reduction catch up, so that neither the
      // decoder's queue nor the decoded pictures waiting for their reduction pile up.
      while ((decoder.decodeQueueSize > 8 || inFlight > 8) && !failure) await new Promise((resolve) => setTimeout(resolve, 1));
      if (onProgress && packet.timestamp - lastReport >= 0.25) {
        lastReport = packet.timestamp;
        onProgress({ fraction: duration > 0 ? Math.min(1, Math.max(0, packet.timestamp / duration)) : 0, framesDecoded: decoded });
      }
    }
    if (signal?.aborted) throw abortError();
    if (!failure) await decoder.flush();
    await pending;
    if (signal?.aborted) throw abortError();
  } catch (error) {
    if (signal?.aborted) throw abortError();
    if ((error as Error).name === 'AbortError') throw error;
    failure ??= error as Error;
  } finally {
    if (decoder.state !== 'closed') decoder.close();
  }
  if (failure) throw new UnsupportedCodecError(`decoding its ${describeCodec(config.codec)} video failed: ${(failure as Error).message}`);
  onProgress?.({ fraction: 1, framesDecoded: decoded });
  const built = builder as LumaGridBuilder | null;
  if (!built) throw new UnsupportedCodecError(`its ${describeCodec(config.codec)} video decoded to no frames`);
  return built.build(null);
}

async function decodeAudio(input: Input, codecs: CodecHost, signal?: AbortSignal): Promise<AvAudioTrack | null> {
  const track: InputAudioTrack | null = await input.getPrimaryAudioTrack();
  if (!track) return null;
  const given = await track.getDecoderConfig();
  if (!given) throw new UnsupportedCodecError(`its audio codec (${track.codec ?? 'unknown'}) cannot be decoded here`);
  const config = withoutTrimmedPreSkip(given, await track.getFirstTimestamp());
  const support = await codecs.AudioDecoder.isConfigSupported(config);
  if (!support.supported) throw new UnsupportedCodecError(`its audio codec (${config.codec}) cannot be decoded here`);
  const { decoder, chunks, failure } = collectingAudioDecoder(codecs.AudioDecoder);
  let firstPacketS: number | null = null;
  try {
    decoder.configure(config);
    for await (const packet of new EncodedPacketSink(track).packets()) {
      if (signal?.aborted) throw abortError();
      firstPacketS ??= packet.timestamp;
      decoder.decode(new codecs.EncodedAudioChunk({ type: packet.type, timestamp: Math.round(packet.timestamp * 1e6), duration: Math.round(packet.duration * 1e6), data: packet.data }));
    }
    await decoder.flush();
  } finally {
    if (decoder.state !== 'closed') decoder.close();
  }
  const failed = failure();
  if (failed) throw new UnsupportedCodecError(`decoding its ${config.codec} audio failed: ${failed.message}`);
  return assembleAudio(chunks, firstPacketS);
}

/**
 * An AudioDecoder whose output (the first channel, as float) is collected into `chunks`, each
 * frame closed once copied; `failure()` is the first error of the decoder or of a copy, if any.
 */
export function collectingAudioDecoder(AudioDecoderClass: { new (init: AudioDecoderInit): AudioDecoder }): {
  decoder: AudioDecoder;
  chunks: Array<{ timestampS: number; samples: Float32Array; sampleRate: number }>;
  failure: () => Error | null;
} {
  const chunks: Array<{ timestampS: number; samples: Float32Array; sampleRate: number }> = [];
  let failed: Error | null = null;
  const decoder = new AudioDecoderClass({
    output: (data) => {
      try {
        const samples = new Float32Array(data.numberOfFrames);
        data.copyTo(samples, { planeIndex: 0, format: 'f32-planar' });
        chunks.push({ timestampS: data.timestamp / 1e6, samples, sampleRate: data.sampleRate });
      } catch (error) {
        failed ??= error as Error;
      } finally {
        data.close();
      }
    },
    error: (error) => {
      failed ??= error;
    },
  });
  return { decoder, chunks, failure: () => failed };
}

/**
 * An Opus track's decoder config with the part of its PreSkip (the encoder's lookahead, in its
 * identification header) that the container's timeline already trims taken out. An MP4 records the
 * pre-skip twice, as the dOps PreSkip and as the edit list that starts the track before time 0
 * (FFmpeg and this app's pattern export write both; players apply it once). Chromium's decoder drops
 * the PreSkip samples from its output, and the first output is placed at the first packet's time
 * (assembleAudio), so both together put the sound the pre-skip early (6.5 ms for libopus). A track
 * that starts at 0 (WebM) keeps its PreSkip for the decoder to drop.
 */
export function withoutTrimmedPreSkip(config: AudioDecoderConfig, firstTimestampS: number): AudioDecoderConfig {
  if (config.codec !== 'opus' || !config.description || !(firstTimestampS < 0)) return config;
  const source = config.description;
  const bytes = ArrayBuffer.isView(source) ? new Uint8Array(source.buffer, source.byteOffset, source.byteLength) : new Uint8Array(source);
  if (bytes.length < 19 || String.fromCharCode(...bytes.subarray(0, 8)) !== 'OpusHead') return config;
  const head = bytes.slice();
  const view = new DataView(head.buffer);
  const trimmedFrames = Math.round(-firstTimestampS * 48000);
  view.setUint16(10, Math.max(0, view.getUint16(10, true) - trimmedFrames), true);
  return { ...config, description: head };
}

/**
 * Decoded audio chunks (any order) → one mono track, each chunk placed at its timestamp. Decoders
 * differ in the timestamps they give a stream that starts before time 0 (AAC's priming, which the
 * MP4's edit list puts at −1024 samples): Chromium's starts its outputs at 0, shifting the sound a
 * frame late; FFmpeg's keeps the packets' times. So the first output is put where the first packet
 * is (`firstPacketS`, on the container's timeline), and the rest keep their spacing.
 */
export function assembleAudio(chunks: Array<{ timestampS: number; samples: Float32Array; sampleRate: number }>, firstPacketS: number | null = null): AvAudioTrack | null {
  if (chunks.length === 0) return null;
  const sorted = [...chunks].sort((a, b) => a.timestampS - b.timestampS);
  const sampleRate = sorted[0].sampleRate;
  if (sorted.some((c) => c.sampleRate !== sampleRate)) throw new UnsupportedCodecError('its audio changes sample rate midway');
  const startS = firstPacketS ?? sorted[0].timestampS;
  const biasS = sorted[0].timestampS - startS;
  for (let i = 0; i < sorted.length; i++) sorted[i] = { ...sorted[i], timestampS: sorted[i].timestampS - biasS };
  const at = (c: { timestampS: number }): number => Math.round((c.timestampS - startS) * sampleRate);
  const last = sorted[sorted.length - 1];
  const length = at(last) + last.samples.length;
  const samples = new Float32Array(length);
  for (const chunk of sorted) samples.set(chunk.samples.subarray(0, Math.max(0, length - at(chunk))), at(chunk));
  return { samples, sampleRate, startS };
}
