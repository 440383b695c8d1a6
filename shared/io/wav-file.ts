/**
 * WAV files (RIFF/WAVE, little-endian) to and from Float32Array channels.
 *
 * Pure: works on the file's bytes (a Uint8Array, possibly a view into a larger buffer) so the CLI,
 * the Web Worker and the main process share it. Reads PCM 8/16/24/32-bit and IEEE float 32/64-bit,
 * plain or WAVE_FORMAT_EXTENSIBLE, with any chunk order and unknown chunks skipped. Every problem
 * with a file is a WavError whose `code` says what is wrong and whose message says what to do.
 */
import { firstNonFiniteIndex } from '../primitives/signal-level';

/** How samples are stored in the file. PCM is signed except 8-bit, which is unsigned (offset 128). */
export type WavSampleFormat = 'pcm8' | 'pcm16' | 'pcm24' | 'pcm32' | 'float32' | 'float64';

/** Decoded audio, one Float32Array per channel. */
export interface WavAudio {
  /** Hz, integer. */
  sampleRate: number;
  /** One array per channel, all the same length; PCM samples are in [-1, 1] (in [-1, 1) except 32-bit PCM, whose top value rounds to 1 in float32). */
  channels: Float32Array[];
  /** What the file stored. */
  format: WavSampleFormat;
  /** Present when the file had a LIST/INFO chunk: four-letter id -> text (e.g. ISFT, ICMT). */
  info?: Record<string, string>;
  /** Present when an EXTENSIBLE header declared fewer valid bits than the container (information only). */
  validBits?: number;
}

export type WavErrorCode =
  | 'EMPTY_FILE' | 'NOT_WAV' | 'TRUNCATED' | 'BAD_HEADER' | 'NO_FORMAT_CHUNK' | 'NO_DATA_CHUNK'
  | 'UNSUPPORTED_FORMAT' | 'UNSUPPORTED_BIT_DEPTH' | 'BAD_SAMPLE_RATE' | 'BAD_CHANNEL_COUNT'
  | 'INVALID_SAMPLES' | 'TOO_LARGE';

/** Any problem reading or writing a WAV file. The message says what is wrong and, where useful, what to do. */
export class WavError extends Error {
  readonly code: WavErrorCode;
  constructor(code: WavErrorCode, message: string) {
    super(message);
    this.name = 'WavError';
    this.code = code;
  }
}

export interface DecodeWavOptions {
  /** Refuse files with more frames than this ('TOO_LARGE'), before allocating anything. */
  maxFrames?: number;
  /**
   * decodeWavChannel of a mono float32 file whose samples start at a 4-byte boundary in memory:
   * the samples as a view of `bytes` itself, not a copy (a minute at 48 kHz is 11 MB of memory not
   * touched). The caller must not change `bytes` afterwards. Every other file is decoded as usual.
   */
  shareMemory?: boolean;
}

export interface EncodeWavOptions {
  /** Sample format to write; default 'float32'. */
  format?: WavSampleFormat;
  /** LIST/INFO entries: four-character ASCII id -> text (written as UTF-8, NUL-terminated, control characters removed: see infoText). */
  info?: Record<string, string>;
}

export const WAV_MIN_SAMPLE_RATE = 1000;
export const WAV_MAX_SAMPLE_RATE = 1_000_000;
export const WAV_MAX_CHANNELS = 64;

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_IEEE_FLOAT = 3;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** Bytes 2..15 of every KSDATAFORMAT_SUBTYPE_* GUID; bytes 0..1 hold the format tag. */
const GUID_SUFFIX = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];
const MAX_RIFF_SIZE = 0xffffffff;

const BYTES_PER_SAMPLE: Record<WavSampleFormat, number> = {
  pcm8: 1, pcm16: 2, pcm24: 3, pcm32: 4, float32: 4, float64: 8,
};

const CONVERT_HINT = 'convert it to PCM or float, e.g. `sox in.wav -e floating-point out.wav`';

/** Names of the compressed WAV codecs people actually meet, for the 'UNSUPPORTED_FORMAT' message. */
const CODEC_NAMES: Record<number, string> = {
  0x0002: 'Microsoft ADPCM', 0x0006: 'A-law', 0x0007: 'mu-law', 0x0011: 'IMA ADPCM', 0x0031: 'GSM 6.10',
  0x0050: 'MPEG', 0x0055: 'MP3', 0x0161: 'Windows Media Audio', 0x00ff: 'AAC', 0x1610: 'AAC', 0x2000: 'AC-3',
};

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Number of frames (samples per channel) in `audio`. */
export function wavFrameCount(audio: { channels: Float32Array[] }): number {
  return audio.channels.length > 0 ? audio.channels[0].length : 0;
}

// ---------------------------------------------------------------------------------------------
// Decoding

interface FormatChunk {
  format: WavSampleFormat;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  validBits?: number;
}

/** Where the samples of a WAV file are and how they are stored, read from its header without decoding them. */
export interface WavLayout {
  /** Hz, integer. */
  sampleRate: number;
  channelCount: number;
  format: WavSampleFormat;
  /** Frames (samples per channel) in the data chunk; a trailing partial frame is not counted. */
  frames: number;
  /** Byte offset of the first sample in the file. */
  dataStart: number;
  /** Bytes per frame. */
  blockAlign: number;
  info?: Record<string, string>;
  validBits?: number;
}

/** One channel of a WAV file, decoded on its own (decodeWavChannel). */
export interface WavChannel {
  sampleRate: number;
  /** Channels in the file (only `channel` was decoded). */
  channelCount: number;
  /** The decoded channel, 0-based. */
  channel: number;
  samples: Float32Array;
  format: WavSampleFormat;
  info?: Record<string, string>;
  validBits?: number;
}

/**
 * Decodes a WAV file. Throws WavError for anything it cannot read; never anything else.
 * A `data` chunk of size 0 or 0xFFFFFFFF that is the last chunk (streaming writers) runs to the end
 * of the file; a trailing partial frame is ignored; a zero-frame file decodes to empty channels.
 */
export function decodeWav(bytes: Uint8Array, options: DecodeWavOptions = {}): WavAudio {
  const layout = readWavLayout(bytes, options);
  const channels = Array.from({ length: layout.channelCount }, (_, c) => readChannel(bytes, layout, c));
  checkFinite(bytes, layout, channels, 0);
  const audio: WavAudio = { sampleRate: layout.sampleRate, channels, format: layout.format };
  if (layout.info) audio.info = layout.info;
  if (layout.validBits !== undefined) audio.validBits = layout.validBits;
  return audio;
}

/**
 * Decodes one channel (0-based) of a WAV file, without turning the others into floats: a 64-channel
 * capture needs the memory of one channel, not 64. Same checks and errors as decodeWav, except that
 * only this channel is checked for NaN or infinite samples. A channel the file does not have is a
 * RangeError (a caller's mistake, not a damaged file).
 */
export function decodeWavChannel(bytes: Uint8Array, channel: number, options: DecodeWavOptions = {}): WavChannel {
  const layout = readWavLayout(bytes, options);
  if (!Number.isInteger(channel) || channel < 0 || channel >= layout.channelCount) {
    throw new RangeError(`channel ${channel} does not exist: the file has ${layout.channelCount} channel(s), numbered from 0`);
  }
  const samples = options.shareMemory ? sharedMonoFloat(bytes, layout) ?? readChannel(bytes, layout, channel) : readChannel(bytes, layout, channel);
  checkFinite(bytes, layout, [samples], channel);
  const out: WavChannel = { sampleRate: layout.sampleRate, channelCount: layout.channelCount, channel, samples, format: layout.format };
  if (layout.info) out.info = layout.info;
  if (layout.validBits !== undefined) out.validBits = layout.validBits;
  return out;
}

/**
 * Reads a WAV file's header: format, channel count, rate, where the data is. Throws WavError for
 * anything decodeWav would refuse before reading samples (including 'TOO_LARGE' for `maxFrames`).
 * Two fmt chunks that disagree are refused ('BAD_HEADER'): which one applies is not knowable.
 */
export function readWavLayout(bytes: Uint8Array, options: DecodeWavOptions = {}): WavLayout {
  const length = bytes.byteLength;
  if (length === 0) throw new WavError('EMPTY_FILE', 'The file is empty (0 bytes): record or export it again.');
  checkMagic(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, length);

  let fmt: FormatChunk | undefined;
  let fmtAt = -1;
  let data: { start: number; byteLength: number } | undefined;
  let dataBeforeFormatAt = -1;
  let info: Record<string, string> | undefined;
  let pos = 12;
  while (pos + 8 <= length) {
    const id = ascii(bytes, pos, 4);
    const size = view.getUint32(pos + 4, true);
    const body = pos + 8;
    const available = length - body;
    if (id === 'data' && fmt && !data) {
      const byteLength = dataChunkLength(bytes, view, pos, size);
      data = { start: body, byteLength };
      if (byteLength !== size) break; // streaming convention: the data runs to the end of the file
    } else if (size > available) {
      if (data || dataBeforeFormatAt >= 0) break; // nothing we need can follow: stop the walk
      throw truncated(id, pos, size, available);
    } else if (id === 'fmt ' && !fmt) {
      if (dataBeforeFormatAt >= 0) {
        throw new WavError('BAD_HEADER', `The fmt chunk (at byte ${pos}) comes after the data chunk (at byte ${dataBeforeFormatAt}): ` +
          'the format chunk must precede the data. Re-export the file with a standard WAV writer.');
      }
      fmt = parseFormatChunk(bytes, view, body, size);
      fmtAt = pos;
    } else if (id === 'fmt ' && fmt) {
      const other = parseFormatChunk(bytes, view, body, size);
      if (other.format !== fmt.format || other.channels !== fmt.channels || other.sampleRate !== fmt.sampleRate || other.blockAlign !== fmt.blockAlign) {
        throw new WavError('BAD_HEADER', `The file has two fmt chunks that disagree: at byte ${fmtAt} ${describeFormat(fmt)}, ` +
          `at byte ${pos} ${describeFormat(other)}. Which one the samples follow cannot be known: re-export the file with a standard WAV writer.`);
      }
    } else if (id === 'data' && !fmt) {
      dataBeforeFormatAt = pos;
    } else if (id === 'LIST' && size >= 4 && ascii(bytes, body, 4) === 'INFO') {
      info = readInfo(bytes, view, body + 4, body + size, info ?? {});
    }
    pos = body + size + (size & 1);
  }

  if (!data && pos < length && pos + 8 > length) {
    throw new WavError('TRUNCATED', `The file ends ${length - pos} bytes into a chunk header at byte ${pos}, ` +
      'before any audio data: it is truncated. Re-export or re-record it.');
  }
  if (!fmt) {
    throw new WavError('NO_FORMAT_CHUNK', dataBeforeFormatAt >= 0
      ? `No fmt chunk precedes the data chunk at byte ${dataBeforeFormatAt}: the format chunk must precede the data, so the samples cannot be interpreted.`
      : 'The WAV file has no fmt chunk, so its sample format is unknown. Re-export it with a standard WAV writer.');
  }
  if (!data) throw new WavError('NO_DATA_CHUNK', 'The WAV file has a fmt chunk but no data chunk: it holds no audio.');

  const frames = Math.floor(data.byteLength / fmt.blockAlign);
  const maxFrames = options.maxFrames;
  if (maxFrames !== undefined && frames > maxFrames) {
    const format = fmt;
    const seconds = (n: number): string => `${(n / format.sampleRate).toFixed(1)} s`;
    throw new WavError('TOO_LARGE', `The file holds ${frames} frames (${seconds(frames)} at ${fmt.sampleRate} Hz), ` +
      `more than the limit of ${maxFrames} frames (${seconds(maxFrames)}): trim it to the part you need.`);
  }
  const layout: WavLayout = { sampleRate: fmt.sampleRate, channelCount: fmt.channels, format: fmt.format, frames, dataStart: data.start, blockAlign: fmt.blockAlign };
  if (info) layout.info = info;
  if (fmt.validBits !== undefined) layout.validBits = fmt.validBits;
  return layout;
}

function describeFormat(f: FormatChunk): string {
  return `${f.channels} channel(s) of ${f.format} at ${f.sampleRate} Hz`;
}

/**
 * The size in bytes of the file encodeWav writes for `frames` frames of `channels` channels in
 * `format` with `info`: lets a caller check a size limit before generating the audio.
 */
export function wavFileBytes(frames: number, channels: number, format: WavSampleFormat = 'float32', info?: Record<string, string>): number {
  const width = BYTES_PER_SAMPLE[format];
  const isFloat = format === 'float32' || format === 'float64';
  const extensible = channels > 2 || (!isFloat && width > 2);
  const fmtSize = extensible ? 40 : isFloat ? 18 : 16;
  const listBytes = info ? (encodeInfo(info)?.length ?? 0) : 0;
  const dataBytes = frames * channels * width;
  return 12 + 8 + fmtSize + (isFloat ? 12 : 0) + listBytes + 8 + dataBytes + (dataBytes & 1);
}

/** Rejects anything that is not RIFF/WAVE, naming common look-alikes. */
function checkMagic(bytes: Uint8Array): void {
  const length = bytes.byteLength;
  const magic = ascii(bytes, 0, 4);
  if (length >= 12 && magic === 'RIFF' && ascii(bytes, 8, 4) === 'WAVE') return;
  if (magic === 'RIFX') {
    throw new WavError('UNSUPPORTED_FORMAT', 'Big-endian WAV (RIFX) is not supported: convert it to a standard little-endian WAV, e.g. `sox in.wav -L out.wav`.');
  }
  if (magic === 'RF64' || magic === 'BW64') {
    throw new WavError('UNSUPPORTED_FORMAT', `RF64 is not supported (this is a 64-bit ${magic} WAV): ` +
      'export a standard WAV under 4 GiB instead, trimming the recording if needed.');
  }
  const lookalike = identifyLookalike(bytes);
  if (lookalike) {
    throw new WavError('NOT_WAV', `This looks like ${lookalike}, not a WAV file: convert it first, e.g. \`sox in.ext -e floating-point out.wav\`.`);
  }
  if (magic === 'RIFF' && length >= 12) {
    throw new WavError('NOT_WAV', `This is a RIFF file of type ${quoteId(ascii(bytes, 8, 4))}, not WAVE audio.`);
  }
  if (length < 12) {
    throw new WavError('NOT_WAV', `The file is only ${length} bytes long: a WAV file starts with a 12-byte RIFF/WAVE header.`);
  }
  const hex = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ');
  throw new WavError('NOT_WAV', `Not a WAV file: it does not start with a RIFF/WAVE header (first bytes: ${hex}).`);
}

function identifyLookalike(bytes: Uint8Array): string | undefined {
  const magic = ascii(bytes, 0, 4);
  if (magic === 'fLaC') return 'a FLAC file';
  if (magic === 'OggS') return 'an Ogg file (Vorbis, Opus or FLAC)';
  if (magic === 'FORM') return ascii(bytes, 8, 3) === 'AIF' ? 'an AIFF file' : 'an IFF file';
  if (magic === 'caff') return 'a Core Audio (CAF) file';
  if (ascii(bytes, 4, 4) === 'ftyp') return 'an MP4/M4A file';
  if (ascii(bytes, 0, 3) === 'ID3') return 'an MP3 file (it starts with an ID3 tag)';
  if (bytes.byteLength >= 2 && bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0) return 'an MP3 or AAC file (MPEG frame sync)';
  return undefined;
}

/** Length of the `data` chunk at `pos`, applying the streaming-writer convention. */
function dataChunkLength(bytes: Uint8Array, view: DataView, pos: number, size: number): number {
  const available = bytes.byteLength - (pos + 8);
  if (size <= available) {
    // Size 0 followed by something that is not a chunk: a writer that never patched the size.
    return size === 0 && available > 0 && !looksLikeChunk(bytes, view, pos + 8) ? available : size;
  }
  if (size === MAX_RIFF_SIZE) return available;
  throw truncated('data', pos, size, available);
}

function looksLikeChunk(bytes: Uint8Array, view: DataView, pos: number): boolean {
  if (pos + 8 > bytes.byteLength) return false;
  for (let i = pos; i < pos + 4; i++) if (bytes[i] < 0x20 || bytes[i] > 0x7e) return false;
  return view.getUint32(pos + 4, true) <= bytes.byteLength - pos - 8;
}

function truncated(id: string, pos: number, size: number, available: number): WavError {
  return new WavError('TRUNCATED', `The ${quoteId(id)} chunk at byte ${pos} declares ${size} bytes but only ${available} remain: ` +
    'the file is truncated (an interrupted copy or recording?). Re-export or re-record it.');
}

function parseFormatChunk(bytes: Uint8Array, view: DataView, body: number, size: number): FormatChunk {
  if (size < 16) {
    throw new WavError('BAD_HEADER', `The fmt chunk is ${size} bytes; it must be at least 16. The header is damaged: re-export the file.`);
  }
  let tag = view.getUint16(body, true);
  const channels = view.getUint16(body + 2, true);
  const sampleRate = view.getUint32(body + 4, true);
  const blockAlign = view.getUint16(body + 12, true);
  const bits = view.getUint16(body + 14, true);
  let validBits: number | undefined;
  if (tag === WAVE_FORMAT_EXTENSIBLE) {
    if (size < 40) {
      throw new WavError('BAD_HEADER', `A WAVE_FORMAT_EXTENSIBLE fmt chunk must be 40 bytes, this one is ${size}: the header is damaged.`);
    }
    const valid = view.getUint16(body + 18, true);
    if (valid > 0 && valid < bits) validBits = valid;
    if (!GUID_SUFFIX.every((b, i) => bytes[body + 26 + i] === b)) {
      const guid = Array.from(bytes.subarray(body + 24, body + 40), (b) => b.toString(16).padStart(2, '0')).join('');
      throw new WavError('UNSUPPORTED_FORMAT', `WAVE_FORMAT_EXTENSIBLE with SubFormat GUID bytes ${guid} is not supported: ${CONVERT_HINT}.`);
    }
    tag = view.getUint16(body + 24, true);
  }
  const format = sampleFormat(tag, bits);
  if (channels === 0 || channels > WAV_MAX_CHANNELS) {
    throw new WavError('BAD_CHANNEL_COUNT', `The file declares ${channels} channels; Latency Lab reads 1 to ${WAV_MAX_CHANNELS}.`);
  }
  if (sampleRate < WAV_MIN_SAMPLE_RATE || sampleRate > WAV_MAX_SAMPLE_RATE) {
    throw new WavError('BAD_SAMPLE_RATE', `The file declares a sample rate of ${sampleRate} Hz; ` +
      `it must be between ${WAV_MIN_SAMPLE_RATE} and ${WAV_MAX_SAMPLE_RATE} Hz. The header is probably damaged.`);
  }
  const bytesPerSample = BYTES_PER_SAMPLE[format];
  if (blockAlign !== channels * bytesPerSample) {
    throw new WavError('BAD_HEADER', `The fmt chunk's blockAlign is ${blockAlign} bytes, but ${channels} channel(s) of ` +
      `${bits}-bit samples need ${channels * bytesPerSample}: the header is inconsistent. Re-export the file.`);
  }
  return { format, channels, sampleRate, blockAlign, validBits };
}

function sampleFormat(tag: number, bits: number): WavSampleFormat {
  if (tag === WAVE_FORMAT_PCM) {
    if (bits === 8 || bits === 16 || bits === 24 || bits === 32) return `pcm${bits}`;
    throw new WavError('UNSUPPORTED_BIT_DEPTH', `${bits}-bit PCM WAV is not supported (only 8, 16, 24 or 32 bits): ` +
      'convert it, e.g. `sox in.wav -b 24 out.wav`.');
  }
  if (tag === WAVE_FORMAT_IEEE_FLOAT) {
    if (bits === 32 || bits === 64) return `float${bits}`;
    throw new WavError('UNSUPPORTED_BIT_DEPTH', `${bits}-bit float WAV is not supported (only 32 or 64 bits): ` +
      'convert it, e.g. `sox in.wav -e floating-point -b 32 out.wav`.');
  }
  const name = CODEC_NAMES[tag] ?? `Format 0x${tag.toString(16).padStart(4, '0').toUpperCase()}`;
  throw new WavError('UNSUPPORTED_FORMAT', `${name} WAV is not supported: ${CONVERT_HINT}.`);
}

/** Reads LIST/INFO sub-chunks in [start, end) into `into`. A damaged entry ends the list quietly. */
function readInfo(bytes: Uint8Array, view: DataView, start: number, end: number, into: Record<string, string>): Record<string, string> {
  let pos = start;
  while (pos + 8 <= end) {
    const id = ascii(bytes, pos, 4);
    const size = view.getUint32(pos + 4, true);
    if (size > end - pos - 8) break;
    if (/^[\x20-\x7e]{4}$/.test(id)) into[id] = decodeText(bytes, pos + 8, pos + 8 + size);
    pos += 8 + size + (size & 1);
  }
  return into;
}

/** The samples of a mono float32 file as a view of `bytes`, when they lie at a 4-byte boundary; else null. */
function sharedMonoFloat(bytes: Uint8Array, layout: WavLayout): Float32Array | null {
  const absolute = bytes.byteOffset + layout.dataStart;
  if (!LITTLE_ENDIAN_HOST || layout.format !== 'float32' || layout.channelCount !== 1 || absolute % 4 !== 0) return null;
  return new Float32Array(bytes.buffer, absolute, layout.frames);
}

/** Channel `channel` of the data as floats, scaling PCM to [-1, 1). Reads only that channel's bytes. */
function readChannel(bytes: Uint8Array, layout: WavLayout, channel: number): Float32Array {
  const { format, frames, blockAlign, dataStart } = layout;
  const width = BYTES_PER_SAMPLE[format];
  const dst = new Float32Array(frames);
  const first = dataStart + channel * width;
  if (format === 'pcm8') {
    for (let i = 0, p = first; i < frames; i++, p += blockAlign) dst[i] = (bytes[p] - 128) / 128;
    return dst;
  }
  if (format === 'pcm24') {
    for (let i = 0, p = first; i < frames; i++, p += blockAlign) dst[i] = (bytes[p] | (bytes[p + 1] << 8) | ((bytes[p + 2] << 24) >> 8)) / 8388608;
    return dst;
  }
  const absolute = bytes.byteOffset + dataStart;
  const stride = layout.channelCount;
  if (LITTLE_ENDIAN_HOST && absolute % width === 0) {
    // Aligned: a typed view over the data itself, no copy.
    const count = frames * stride;
    const src = format === 'pcm16' ? new Int16Array(bytes.buffer, absolute, count)
      : format === 'pcm32' ? new Int32Array(bytes.buffer, absolute, count)
        : format === 'float32' ? new Float32Array(bytes.buffer, absolute, count)
          : new Float64Array(bytes.buffer, absolute, count);
    // Mono float: the samples as they are (one copy of the block, not a loop).
    if (format === 'float32' && stride === 1) {
      dst.set(src as Float32Array);
      return dst;
    }
    const scale = format === 'pcm16' ? 1 / 32768 : format === 'pcm32' ? 1 / 2147483648 : 1;
    for (let i = 0, p = channel; i < frames; i++, p += stride) dst[i] = src[p] * scale;
    return dst;
  }
  if (LITTLE_ENDIAN_HOST && format === 'float32' && stride === 1) {
    // Mono float, unaligned (our own float WAVs' data starts at byte 58): the bytes copied into the result as they are.
    new Uint8Array(dst.buffer).set(bytes.subarray(dataStart, dataStart + frames * 4));
    return dst;
  }
  if (LITTLE_ENDIAN_HOST) {
    // Unaligned (a file whose data starts at an odd byte, e.g. after a LIST chunk): copied in
    // blocks of frames to an aligned buffer and read through a typed view as above, several
    // times faster than a DataView read per sample.
    const framesPerBlock = Math.max(1, Math.floor(UNALIGNED_BLOCK_BYTES / blockAlign));
    const block = new ArrayBuffer(framesPerBlock * blockAlign);
    const blockBytes = new Uint8Array(block);
    const count = framesPerBlock * stride;
    const src = format === 'pcm16' ? new Int16Array(block, 0, count)
      : format === 'pcm32' ? new Int32Array(block, 0, count)
        : format === 'float32' ? new Float32Array(block, 0, count)
          : new Float64Array(block, 0, count);
    const scale = format === 'pcm16' ? 1 / 32768 : format === 'pcm32' ? 1 / 2147483648 : 1;
    for (let from = 0; from < frames; from += framesPerBlock) {
      const n = Math.min(framesPerBlock, frames - from);
      blockBytes.set(bytes.subarray(dataStart + from * blockAlign, dataStart + (from + n) * blockAlign));
      for (let i = 0, p = channel; i < n; i++, p += stride) dst[from + i] = src[p] * scale;
    }
    return dst;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0, p = first; i < frames; i++, p += blockAlign) dst[i] = sampleAt(view, p, format);
  return dst;
}

/** Bytes of unaligned sample data copied at a time to an aligned buffer (see readChannel). */
const UNALIGNED_BLOCK_BYTES = 64 * 1024;

/** The sample at byte `p` as a number (PCM scaled to [-1, 1); float as stored, before float32 rounding). */
function sampleAt(view: DataView, p: number, format: WavSampleFormat): number {
  switch (format) {
    case 'pcm8': return (view.getUint8(p) - 128) / 128;
    case 'pcm16': return view.getInt16(p, true) / 32768;
    case 'pcm24': return ((view.getUint8(p) | (view.getUint8(p + 1) << 8) | (view.getInt8(p + 2) << 16))) / 8388608;
    case 'pcm32': return view.getInt32(p, true) / 2147483648;
    case 'float32': return view.getFloat32(p, true);
    case 'float64': return view.getFloat64(p, true);
  }
}

/** Reverses the byte order of each `width`-byte sample in place (only used on big-endian hosts). */
function swapBytes(bytes: Uint8Array, width: number): void {
  for (let p = 0; p + width <= bytes.length; p += width) {
    for (let a = p, b = p + width - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
}

/** The first frame (then channel) whose sample is NaN or infinite, or undefined when all are finite. */
function firstNonFinite(channels: ArrayLike<number>[]): { frame: number; channel: number } | undefined {
  let found: { frame: number; channel: number } | undefined;
  channels.forEach((samples, channel) => {
    const frame = firstNonFiniteIndex(samples, found ? found.frame : samples.length);
    if (frame >= 0) found = { frame, channel };
  });
  return found;
}

/**
 * Throws 'INVALID_SAMPLES' if a decoded float sample is NaN, infinite or was beyond the float32 range.
 * `decoded` holds consecutive channels of the file starting at `firstChannel`.
 */
function checkFinite(bytes: Uint8Array, layout: WavLayout, decoded: Float32Array[], firstChannel: number): void {
  if (layout.format !== 'float32' && layout.format !== 'float64') return;
  const bad = firstNonFinite(decoded);
  if (!bad) return;
  const channel = firstChannel + bad.channel;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const value = sampleAt(view, layout.dataStart + bad.frame * layout.blockAlign + channel * BYTES_PER_SAMPLE[layout.format], layout.format);
  const what = Number.isFinite(value) ? `${value}, beyond the 32-bit float range` : `${value}`;
  throw new WavError('INVALID_SAMPLES', `Sample at frame ${bad.frame}, channel ${channel} is ${what}: ` +
    'the float data is corrupt. Re-export the recording.');
}

// ---------------------------------------------------------------------------------------------
// Encoding

/**
 * Encodes audio as a canonical WAV file (default 32-bit float). PCM is clamped to [-1, 1] and rounded
 * to nearest; float32 is exact. More than 2 channels, or PCM above 16 bits, is written as
 * WAVE_FORMAT_EXTENSIBLE (channel mask: front centre for mono, front left/right for stereo, else 0).
 */
export function encodeWav(audio: { sampleRate: number; channels: Float32Array[] }, options: EncodeWavOptions = {}): Uint8Array {
  const format = options.format ?? 'float32';
  if (!Object.hasOwn(BYTES_PER_SAMPLE, format)) {
    throw new WavError('UNSUPPORTED_FORMAT', `Unknown sample format ${JSON.stringify(format)}: use ${Object.keys(BYTES_PER_SAMPLE).join(', ')}.`);
  }
  const width = BYTES_PER_SAMPLE[format];
  validateAudio(audio);
  const n = audio.channels.length;
  const frames = wavFrameCount(audio);
  const isFloat = format === 'float32' || format === 'float64';
  const extensible = n > 2 || (!isFloat && width > 2);
  const fmtSize = extensible ? 40 : isFloat ? 18 : 16;
  const list = options.info ? encodeInfo(options.info) : undefined;
  const dataBytes = frames * n * width;
  const total = 12 + 8 + fmtSize + (isFloat ? 12 : 0) + (list?.length ?? 0) + 8 + dataBytes + (dataBytes & 1);
  if (total - 8 > MAX_RIFF_SIZE) {
    throw new WavError('TOO_LARGE', `${frames} frames of ${n} channel(s) need ${dataBytes} bytes, more than a WAV file can hold (4 GiB): split the recording.`);
  }

  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let pos = 0;
  const chunkHeader = (id: string, size: number): void => {
    writeId(out, pos, id);
    view.setUint32(pos + 4, size, true);
    pos += 8;
  };
  chunkHeader('RIFF', total - 8);
  writeId(out, pos, 'WAVE');
  pos += 4;
  chunkHeader('fmt ', fmtSize);
  const tag = isFloat ? WAVE_FORMAT_IEEE_FLOAT : WAVE_FORMAT_PCM;
  view.setUint16(pos, extensible ? WAVE_FORMAT_EXTENSIBLE : tag, true);
  view.setUint16(pos + 2, n, true);
  view.setUint32(pos + 4, audio.sampleRate, true);
  view.setUint32(pos + 8, audio.sampleRate * n * width, true);
  view.setUint16(pos + 12, n * width, true);
  view.setUint16(pos + 14, width * 8, true);
  if (fmtSize > 16) view.setUint16(pos + 16, fmtSize - 18, true); // cbSize
  if (extensible) {
    view.setUint16(pos + 18, width * 8, true); // wValidBitsPerSample
    view.setUint32(pos + 20, n === 1 ? 0x4 : n === 2 ? 0x3 : 0, true); // dwChannelMask
    view.setUint16(pos + 24, tag, true);
    out.set(GUID_SUFFIX, pos + 26);
  }
  pos += fmtSize;
  if (isFloat) {
    chunkHeader('fact', 4);
    view.setUint32(pos, frames, true);
    pos += 4;
  }
  if (list) {
    out.set(list, pos);
    pos += list.length;
  }
  chunkHeader('data', dataBytes);
  writeSamples(out, pos, format, audio.channels);
  return out;
}

function validateAudio(audio: { sampleRate: number; channels: Float32Array[] }): void {
  const { sampleRate, channels } = audio;
  if (channels.length === 0 || channels.length > WAV_MAX_CHANNELS) {
    throw new WavError('BAD_CHANNEL_COUNT', `Cannot write ${channels.length} channels: a WAV file needs 1 to ${WAV_MAX_CHANNELS}.`);
  }
  if (!Number.isInteger(sampleRate) || sampleRate < WAV_MIN_SAMPLE_RATE || sampleRate > WAV_MAX_SAMPLE_RATE) {
    throw new WavError('BAD_SAMPLE_RATE', `Cannot write a sample rate of ${sampleRate} Hz: it must be an integer from ${WAV_MIN_SAMPLE_RATE} to ${WAV_MAX_SAMPLE_RATE}.`);
  }
  const frames = channels[0].length;
  channels.forEach((channel, c) => {
    if (channel.length !== frames) {
      throw new WavError('INVALID_SAMPLES', `Channel ${c} has ${channel.length} samples but channel 0 has ${frames}: all channels must be the same length.`);
    }
  });
  const bad = firstNonFinite(channels);
  if (bad) {
    throw new WavError('INVALID_SAMPLES', `Cannot write sample ${channels[bad.channel][bad.frame]} at frame ${bad.frame}, ` +
      `channel ${bad.channel}: samples must be finite.`);
  }
}

/** Interleaves `channels` into `out` from byte `start`, quantizing PCM. */
function writeSamples(out: Uint8Array, start: number, format: WavSampleFormat, channels: Float32Array[]): void {
  const n = channels.length;
  const frames = wavFrameCount({ channels });
  if (format === 'pcm8' || format === 'pcm24') {
    const width = BYTES_PER_SAMPLE[format];
    channels.forEach((src, c) => {
      for (let i = 0, p = start + c * width; i < frames; i++, p += n * width) {
        if (width === 1) {
          out[p] = quantize(src[i], 128) + 128;
        } else {
          const q = quantize(src[i], 8388608);
          out[p] = q;
          out[p + 1] = q >> 8;
          out[p + 2] = q >> 16;
        }
      }
    });
    return;
  }
  // Interleave into a host-order typed array, then copy its bytes (swapped on a big-endian host).
  const count = frames * n;
  const dst = format === 'pcm16' ? new Int16Array(count)
    : format === 'pcm32' ? new Int32Array(count)
      : format === 'float32' ? new Float32Array(count)
        : new Float64Array(count);
  const scale = format === 'pcm16' ? 32768 : format === 'pcm32' ? 2147483648 : 0;
  channels.forEach((src, c) => {
    if (scale === 0) for (let i = 0, p = c; i < frames; i++, p += n) dst[p] = src[i];
    else for (let i = 0, p = c; i < frames; i++, p += n) dst[p] = quantize(src[i], scale);
  });
  const bytes = new Uint8Array(dst.buffer);
  if (!LITTLE_ENDIAN_HOST) swapBytes(bytes, BYTES_PER_SAMPLE[format]);
  out.set(bytes, start);
}

/** Rounds x·scale to the nearest integer in [-scale, scale - 1] (so +1.0 becomes the top value). */
const quantize = (x: number, scale: number): number => Math.max(-scale, Math.min(scale - 1, Math.round(x * scale)));

/**
 * INFO text as written: control characters (C0 but tab, line feed and carriage return; DEL; C1) are
 * removed. A NUL would end the text early in every reader, and the others turn into terminal
 * escapes when a tool prints the comment; a title typed or pasted with one must not make the export fail.
 */
export function infoText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '');
}

/** The whole LIST/INFO chunk, or undefined when there are no entries. */
function encodeInfo(info: Record<string, string>): Uint8Array | undefined {
  const entries = Object.entries(info).map(([id, text]) => {
    if (!/^[\x20-\x7e]{4}$/.test(id)) {
      throw new WavError('BAD_HEADER', `INFO id ${JSON.stringify(id)} must be exactly four printable ASCII characters (e.g. ICMT).`);
    }
    const body = encodeUtf8(infoText(String(text)));
    return { id, body };
  });
  if (entries.length === 0) return undefined;
  const padded = (size: number): number => size + (size & 1);
  const size = 4 + entries.reduce((sum, e) => sum + 8 + padded(e.body.length + 1), 0);
  const out = new Uint8Array(8 + size);
  const view = new DataView(out.buffer);
  writeId(out, 0, 'LIST');
  view.setUint32(4, size, true);
  writeId(out, 8, 'INFO');
  let pos = 12;
  for (const { id, body } of entries) {
    writeId(out, pos, id);
    view.setUint32(pos + 4, body.length + 1, true); // includes the NUL terminator, not the pad byte
    out.set(body, pos + 8);
    pos += 8 + padded(body.length + 1);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Text helpers (no TextDecoder in shared/)

/** `count` bytes from `pos` as Latin-1 characters; shorter when the file ends first. */
function ascii(bytes: Uint8Array, pos: number, count: number): string {
  let s = '';
  for (let i = pos; i < Math.min(pos + count, bytes.byteLength); i++) s += String.fromCharCode(bytes[i]);
  return s;
}

function writeId(out: Uint8Array, pos: number, id: string): void {
  for (let i = 0; i < 4; i++) out[pos + i] = id.charCodeAt(i);
}

/** A chunk id for a message: quoted, with unprintable bytes as \xNN. */
function quoteId(id: string): string {
  return `'${id.replace(/[^\x20-\x7e]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`)}'`;
}

/** INFO text up to the first NUL: UTF-8 when it is valid UTF-8, else Latin-1. */
function decodeText(bytes: Uint8Array, start: number, end: number): string {
  let stop = start;
  while (stop < end && bytes[stop] !== 0) stop++;
  let escaped = ''; // decodeURIComponent is a strict UTF-8 decoder available everywhere
  for (let i = start; i < stop; i++) escaped += (bytes[i] < 16 ? '%0' : '%') + bytes[i].toString(16);
  try {
    return decodeURIComponent(escaped);
  } catch {
    return ascii(bytes, start, stop - start);
  }
}

/** UTF-8 bytes of `text`, with lone surrogates replaced by U+FFFD. */
function encodeUtf8(text: string): Uint8Array {
  const wellFormed = Array.from(text, (ch) => (ch.length === 1 && ch >= '\ud800' && ch <= '\udfff' ? '\ufffd' : ch)).join('');
  const escaped = encodeURIComponent(wellFormed);
  const out: number[] = [];
  for (let i = 0; i < escaped.length; i++) {
    if (escaped[i] === '%') {
      out.push(parseInt(escaped.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      out.push(escaped.charCodeAt(i));
    }
  }
  return Uint8Array.from(out);
}
