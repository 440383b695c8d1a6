/**
 * The A/V pattern as a video file, made in the page: the frames (a uniform grey at the pattern's
 * level in the middle of each frame, patternFrameLevel) and the clicks (renderPatternAudio) are
 * encoded with WebCodecs — H.264 High profile video; AAC-LC sound where the encoder exists
 * (Chromium on macOS and Windows), otherwise Opus (Debian's Chromium has no AAC encoder) — and
 * muxed into an MP4 by mediabunny.
 *
 * The frames stream to the muxer as they are encoded (back-pressure on encodeQueueSize: one
 * picture buffer, a few frames in the encoder); only the file grows in memory (a 60 s pattern is
 * about 1 MB: the frames are flat). The sound is encoded first (small: 1 MB a minute), so that its
 * encoder delay (AAC priming, Opus lookahead) is known before anything is muxed: the start of the
 * encoded sound is decoded once, without any trimming, and the first click found in it by
 * cross-correlation with the click itself. The packets are then shifted back by that delay, which
 * the MP4 records as an edit list (and, for Opus, also as the PreSkip of its dOps box, the
 * identification header), so the click plays exactly under its flash.
 */
import { BufferTarget, EncodedAudioPacketSource, EncodedPacket, EncodedVideoPacketSource, Mp4OutputFormat, Output } from 'mediabunny';
import { describePattern, FIRST_EVENT_S, MAX_PATTERN_S, patternClickShape, patternEventTimes, patternFrameLevel, renderPatternAudio } from '../../../shared/av/av-pattern';
import { abortError, collectingAudioDecoder } from './decode-recording';

/** The WebCodecs classes the export uses (the page's globals, or a Node implementation in tests). */
export interface EncoderHost {
  VideoEncoder: { new (init: VideoEncoderInit): VideoEncoder; isConfigSupported(config: VideoEncoderConfig): Promise<VideoEncoderSupport> };
  VideoFrame: { new (data: AllowSharedBufferSource, init: VideoFrameBufferInit): VideoFrame };
  AudioEncoder: { new (init: AudioEncoderInit): AudioEncoder; isConfigSupported(config: AudioEncoderConfig): Promise<AudioEncoderSupport> };
  AudioData: { new (init: AudioDataInit): AudioData };
  AudioDecoder: { new (init: AudioDecoderInit): AudioDecoder };
  EncodedAudioChunk: { new (init: EncodedAudioChunkInit): EncodedAudioChunk };
}

/** The page's own WebCodecs encoders, or null where there are none. */
export function pageEncoders(): EncoderHost | null {
  const g = globalThis as unknown as Partial<EncoderHost>;
  if (!g.VideoEncoder || !g.VideoFrame || !g.AudioEncoder || !g.AudioData || !g.AudioDecoder || !g.EncodedAudioChunk) return null;
  return { VideoEncoder: g.VideoEncoder, VideoFrame: g.VideoFrame, AudioEncoder: g.AudioEncoder, AudioData: g.AudioData, AudioDecoder: g.AudioDecoder, EncodedAudioChunk: g.EncodedAudioChunk };
}

export type PatternAudioCodec = 'aac' | 'opus';

/** The shortest and longest pattern the export makes (the CLI's av-pattern limits). */
export const PATTERN_EXPORT_LIMITS_S = { min: 5, max: MAX_PATTERN_S } as const;

export interface PatternExportOptions {
  durationS: number;
  /** Default 1920 × 1080 at 60 fps. */
  width?: number;
  height?: number;
  fps?: number;
  /** Force a sound codec (tests); default AAC where the encoder has it, else Opus. */
  audioCodec?: PatternAudioCodec;
  /** H.264 bit rate, default 4 Mbit/s (the CLI's). */
  videoBitrate?: number;
}

export interface PatternExportProgress {
  /** 0–1. */
  fraction: number;
  framesEncoded: number;
  frameCount: number;
}

export interface PatternExport {
  bytes: Uint8Array<ArrayBuffer>;
  videoCodec: string;
  audioCodec: PatternAudioCodec;
  /** The sound encoder's delay found and recorded in the file (edit list, Opus PreSkip), in samples at sampleRate. */
  audioDelayFrames: number;
  sampleRate: number;
  width: number;
  height: number;
  fps: number;
  frameCount: number;
  durationS: number;
  description: string;
}

export class PatternExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PatternExportError';
  }
}

const SAMPLE_RATE = 48000;
const AUDIO_BITRATE = 128_000;
const AAC_CODEC = 'mp4a.40.2';

/** Which sound codec the export will use: AAC-LC where the encoder has it (what TVs play), else Opus. */
export async function choosePatternAudioCodec(host: EncoderHost): Promise<PatternAudioCodec | null> {
  const supported = async (codec: string): Promise<boolean> => {
    try {
      return (await host.AudioEncoder.isConfigSupported({ codec, sampleRate: SAMPLE_RATE, numberOfChannels: 1, bitrate: AUDIO_BITRATE })).supported === true;
    } catch {
      return false;
    }
  };
  if (await supported(AAC_CODEC)) return 'aac';
  if (await supported('opus')) return 'opus';
  return null;
}

/** H.264 High profile at the level the picture size and rate need (4.2 for 1080p60, 3.1 up to 720p30). */
export function avcCodecString(width: number, height: number, fps: number): string {
  const macroblocksPerS = Math.ceil(width / 16) * Math.ceil(height / 16) * fps;
  const level = macroblocksPerS <= 108_000 ? '1f' : macroblocksPerS <= 245_760 ? '28' : macroblocksPerS <= 522_240 ? '2a' : '33';
  return `avc1.6400${level}`;
}

function checkOptions(o: PatternExportOptions): Required<Omit<PatternExportOptions, 'audioCodec'>> {
  const width = o.width ?? 1920;
  const height = o.height ?? 1080;
  const fps = o.fps ?? 60;
  const { min, max } = PATTERN_EXPORT_LIMITS_S;
  if (!Number.isFinite(o.durationS) || o.durationS < min || o.durationS > max) throw new PatternExportError(`the pattern's length must be ${min}–${max} s, not ${o.durationS}`);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 64 || height < 64 || width > 3840 || height > 2160 || width % 2 || height % 2) {
    throw new PatternExportError(`the picture must be an even number of pixels from 64 × 64 to 3840 × 2160, not ${width} × ${height}`);
  }
  if (!Number.isInteger(fps) || fps < 24 || fps > 120) throw new PatternExportError(`the frame rate must be a whole number of 24–120 fps, not ${fps}`);
  return { durationS: o.durationS, width, height, fps, videoBitrate: o.videoBitrate ?? 4_000_000 };
}

/** Makes the pattern's MP4. `signal` cancels (rejects with an AbortError); nothing is kept then. */
export async function exportPatternMp4(host: EncoderHost, options: PatternExportOptions, onProgress?: (p: PatternExportProgress) => void, signal?: AbortSignal): Promise<PatternExport> {
  const { durationS, width, height, fps, videoBitrate } = checkOptions(options);
  if (signal?.aborted) throw abortError();
  const audioCodec = options.audioCodec ?? (await choosePatternAudioCodec(host));
  if (!audioCodec) throw new PatternExportError('this browser engine encodes neither AAC nor Opus sound (WebCodecs AudioEncoder)');
  const videoCodec = avcCodecString(width, height, fps);
  const videoConfig: VideoEncoderConfig = { codec: videoCodec, width, height, bitrate: videoBitrate, framerate: fps, avc: { format: 'avc' }, latencyMode: 'quality' };
  const support = await host.VideoEncoder.isConfigSupported(videoConfig);
  if (!support.supported) throw new PatternExportError(`this browser engine cannot encode H.264 High profile video at ${width} × ${height}, ${fps} fps (${videoCodec})`);

  const times = patternEventTimes(durationS);
  const frameCount = Math.round(durationS * fps);
  const lengthFrames = Math.round(durationS * SAMPLE_RATE);
  const encodedAudio = await encodeAudio(host, audioCodec, times, lengthFrames, signal);
  const start = renderPatternAudio(times, SAMPLE_RATE, Math.min(lengthFrames, Math.round((FIRST_EVENT_S + 0.5) * SAMPLE_RATE)));
  const delayFrames = await measureEncoderDelay(host, encodedAudio, start, signal);

  const target = new BufferTarget();
  const output = new Output({ format: new Mp4OutputFormat({ fastStart: 'in-memory' }), target });
  const videoSource = new EncodedVideoPacketSource('avc');
  const audioSource = new EncodedAudioPacketSource(audioCodec);
  output.addVideoTrack(videoSource, { frameRate: fps });
  output.addAudioTrack(audioSource);
  let finished = false;
  try {
    await output.start();
    // The sound first: its packets shifted back by the encoder's delay (the edit list trims it).
    const delayS = delayFrames / SAMPLE_RATE;
    let meta = encodedAudio.meta;
    if (audioCodec === 'opus') meta = { decoderConfig: { codec: 'opus', sampleRate: SAMPLE_RATE, numberOfChannels: 1, description: opusHead(delayFrames, SAMPLE_RATE) } };
    for (let i = 0; i < encodedAudio.packets.length; i++) {
      const p = encodedAudio.packets[i];
      await audioSource.add(new EncodedPacket(p.data, 'key', p.timestampS - delayS, p.durationS), i === 0 ? meta : undefined);
    }
    audioSource.close();
    await encodeVideo(host, videoConfig, videoSource, { times, fps, width, height, frameCount }, (framesEncoded) => onProgress?.({ fraction: framesEncoded / frameCount, framesEncoded, frameCount }), signal);
    await output.finalize();
    finished = true;
  } finally {
    if (!finished && output.state !== 'finalized' && output.state !== 'canceled') await output.cancel();
  }
  const buffer = target.buffer;
  if (!buffer) throw new PatternExportError('the MP4 was not written');
  onProgress?.({ fraction: 1, framesEncoded: frameCount, frameCount });
  return { bytes: new Uint8Array(buffer), videoCodec, audioCodec, audioDelayFrames: delayFrames, sampleRate: SAMPLE_RATE, width, height, fps, frameCount, durationS, description: describePattern(durationS, fps) };
}

interface AudioPacket {
  data: Uint8Array;
  timestampS: number;
  durationS: number;
}

interface EncodedAudio {
  packets: AudioPacket[];
  meta: EncodedAudioChunkMetadata | undefined;
}

/** Encodes the pattern's sound, rendered a block at a time (10 min as one array would be 115 MB). */
async function encodeAudio(host: EncoderHost, codec: PatternAudioCodec, times: readonly number[], lengthFrames: number, signal?: AbortSignal): Promise<EncodedAudio> {
  const packets: AudioPacket[] = [];
  let meta: EncodedAudioChunkMetadata | undefined;
  let failure: Error | null = null;
  const encoder = new host.AudioEncoder({
    output: (chunk, metadata) => {
      const data = new Uint8Array(chunk.byteLength);
      chunk.copyTo(data);
      if (metadata?.decoderConfig && !meta) meta = metadata;
      packets.push({ data, timestampS: chunk.timestamp / 1e6, durationS: (chunk.duration ?? 0) / 1e6 });
    },
    error: (error) => {
      failure ??= error;
    },
  });
  try {
    encoder.configure({ codec: codec === 'aac' ? AAC_CODEC : 'opus', sampleRate: SAMPLE_RATE, numberOfChannels: 1, bitrate: AUDIO_BITRATE });
    const block = 4800;
    for (let start = 0; start < lengthFrames; start += block) {
      if (signal?.aborted) throw abortError();
      if (failure) break;
      const data = renderPatternAudio(times, SAMPLE_RATE, Math.min(block, lengthFrames - start), start / SAMPLE_RATE) as Float32Array<ArrayBuffer>;
      const frame = new host.AudioData({ format: 'f32-planar', sampleRate: SAMPLE_RATE, numberOfFrames: data.length, numberOfChannels: 1, timestamp: Math.round((start / SAMPLE_RATE) * 1e6), data });
      encoder.encode(frame);
      frame.close();
      while (encoder.encodeQueueSize > 8 && !failure) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    if (!failure) await encoder.flush();
  } finally {
    if (encoder.state !== 'closed') encoder.close();
  }
  if (failure) throw new PatternExportError(`encoding the ${codec === 'aac' ? 'AAC' : 'Opus'} sound failed: ${(failure as Error).message}`);
  if (packets.length === 0) throw new PatternExportError(`the ${codec === 'aac' ? 'AAC' : 'Opus'} encoder gave no sound`);
  packets.sort((a, b) => a.timestampS - b.timestampS);
  return { packets, meta };
}

/**
 * The sound encoder's delay in samples: the start of the encoded sound (to 0.5 s after the first
 * click) is decoded with no trimming (no Opus header, so no PreSkip applied; AAC has none), and the
 * first click is found by cross-correlation with the click as rendered, to a whole sample.
 */
export async function measureEncoderDelay(host: EncoderHost, encoded: EncodedAudio, reference: Float32Array, signal?: AbortSignal): Promise<number> {
  const untilS = FIRST_EVENT_S + 0.5;
  const { decoder, chunks: decodedChunks, failure } = collectingAudioDecoder(host.AudioDecoder);
  const config: AudioDecoderConfig = encoded.meta?.decoderConfig?.codec.startsWith('mp4a')
    ? { codec: encoded.meta.decoderConfig.codec, sampleRate: SAMPLE_RATE, numberOfChannels: 1, description: encoded.meta.decoderConfig.description }
    : { codec: encoded.meta?.decoderConfig?.codec ?? 'opus', sampleRate: SAMPLE_RATE, numberOfChannels: 1 };
  try {
    decoder.configure(config);
    for (const p of encoded.packets) {
      if (signal?.aborted) throw abortError();
      if (p.timestampS > untilS) break;
      decoder.decode(new host.EncodedAudioChunk({ type: 'key', timestamp: Math.round(p.timestampS * 1e6), duration: Math.round(p.durationS * 1e6), data: p.data }));
    }
    await decoder.flush();
  } finally {
    if (decoder.state !== 'closed') decoder.close();
  }
  const failed = failure();
  if (failed) throw new PatternExportError(`checking the encoded sound's timing failed: ${failed.message}`);
  // The decoded samples in the order they came out, from the first: the decoder's own timestamps
  // are not trusted (some restart them at 0 after dropping what they consider priming).
  decodedChunks.sort((a, b) => a.timestampS - b.timestampS);
  const total = decodedChunks.reduce((n, c) => n + c.samples.length, 0);
  const decoded = new Float32Array(total);
  let at = 0;
  for (const c of decodedChunks) {
    decoded.set(c.samples, at);
    at += c.samples.length;
  }
  return clickDelayFrames(decoded, reference);
}

/**
 * Where the first click of `reference` (at FIRST_EVENT_S) lies in `decoded`, relative to where it
 * lies in `reference`, in whole samples (0–100 ms searched). Refuses when the click is not there.
 */
export function clickDelayFrames(decoded: Float32Array, reference: Float32Array): number {
  const shape = patternClickShape(SAMPLE_RATE);
  const halfFrames = Math.ceil((shape.lengthS * SAMPLE_RATE) / 2) + 16;
  const centre = Math.round(FIRST_EVENT_S * SAMPLE_RATE);
  const from = centre - halfFrames;
  const template = reference.subarray(from, centre + halfFrames);
  const maxLag = Math.round(0.1 * SAMPLE_RATE);
  let bestLag = -1;
  let best = -Infinity;
  let energy = 0;
  for (const v of template) energy += v * v;
  for (let lag = 0; lag <= maxLag; lag++) {
    if (from + lag + template.length > decoded.length) break;
    let sum = 0;
    for (let i = 0; i < template.length; i++) sum += template[i] * decoded[from + lag + i];
    if (sum > best) {
      best = sum;
      bestLag = lag;
    }
  }
  if (bestLag < 0 || !(best > 0.5 * energy)) throw new PatternExportError('the encoded sound does not hold the first click where it was put (its encoder delays it more than 100 ms or distorts it)');
  return bestLag;
}

/** The Opus identification header (RFC 7845 §5.1) of a mono stream with `preSkip` samples at 48 kHz. */
export function opusHead(preSkip: number, inputSampleRate: number): Uint8Array<ArrayBuffer> {
  const head = new Uint8Array(19);
  head.set([0x4f, 0x70, 0x75, 0x73, 0x48, 0x65, 0x61, 0x64]); // 'OpusHead'
  const view = new DataView(head.buffer);
  view.setUint8(8, 1); // version
  view.setUint8(9, 1); // channels
  view.setUint16(10, preSkip, true);
  view.setUint32(12, inputSampleRate, true);
  view.setInt16(16, 0, true); // output gain
  view.setUint8(18, 0); // mapping family 0 (mono or stereo)
  return head;
}

interface VideoPlan {
  times: readonly number[];
  fps: number;
  width: number;
  height: number;
  frameCount: number;
}

async function encodeVideo(host: EncoderHost, config: VideoEncoderConfig, source: EncodedVideoPacketSource, plan: VideoPlan, onFrames: (n: number) => void, signal?: AbortSignal): Promise<void> {
  const { times, fps, width, height, frameCount } = plan;
  let failure: Error | null = null;
  let chain: Promise<void> = Promise.resolve();
  let encoded = 0;
  const encoder = new host.VideoEncoder({
    output: (chunk, meta) => {
      const data = new Uint8Array(chunk.byteLength);
      chunk.copyTo(data);
      const packet = new EncodedPacket(data, chunk.type, chunk.timestamp / 1e6, (chunk.duration ?? 1e6 / fps) / 1e6);
      encoded++;
      chain = chain.then(() => source.add(packet, meta)).catch((error: Error) => void (failure ??= error));
    },
    error: (error) => {
      failure ??= error;
    },
  });
  const ySize = width * height;
  const cSize = (width / 2) * (height / 2);
  const i420 = new Uint8Array(ySize + 2 * cSize);
  i420.fill(128, ySize);
  const luma = i420.subarray(0, ySize);
  let lastCode = -1;
  let lastReport = -Infinity;
  try {
    encoder.configure(config);
    const keyEvery = 2 * fps;
    for (let i = 0; i < frameCount; i++) {
      if (signal?.aborted) throw abortError();
      if (failure) break;
      const code = Math.round(255 * patternFrameLevel(times, i, fps));
      if (code !== lastCode) {
        luma.fill(code);
        lastCode = code;
      }
      const frame = new host.VideoFrame(i420, { format: 'I420', codedWidth: width, codedHeight: height, timestamp: Math.round((i / fps) * 1e6), duration: Math.round(1e6 / fps) });
      try {
        encoder.encode(frame, { keyFrame: i % keyEvery === 0 });
      } finally {
        frame.close();
      }
      // Back-pressure: a few frames in the encoder at most; the wait also lets the page run.
      while (encoder.encodeQueueSize > 4 && !failure && !signal?.aborted) await new Promise((resolve) => setTimeout(resolve, 1));
      if (i - lastReport >= fps / 4) {
        lastReport = i;
        onFrames(encoded);
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    }
    if (signal?.aborted) throw abortError();
    if (!failure) await encoder.flush();
    await chain;
  } finally {
    if (encoder.state !== 'closed') encoder.close();
  }
  if (failure) throw new PatternExportError(`encoding the H.264 video failed: ${(failure as Error).message}`);
  if (encoded !== frameCount) throw new PatternExportError(`the H.264 encoder gave ${encoded} frames for ${frameCount}`);
  onFrames(encoded);
}
