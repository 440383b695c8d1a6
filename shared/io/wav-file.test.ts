import { describe, it, expect } from 'vitest';
import { createRandom } from '../primitives/random';
import {
  decodeWav, decodeWavChannel, encodeWav, infoText, readWavLayout, wavFileBytes, wavFrameCount, WavError,
  type WavAudio, type WavErrorCode, type WavSampleFormat,
} from './wav-file';

// ---------------------------------------------------------------------------------------------
// Byte-level fixture builders

const le16 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff];
const le32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
const ascii = (s: string): number[] => Array.from(s, (ch) => ch.charCodeAt(0));

/** A chunk: id, size (declared, default the body length), body, pad byte when the body is odd. */
function chunk(id: string, body: number[], declaredSize = body.length): number[] {
  return [...ascii(id), ...le32(declaredSize), ...body, ...(body.length % 2 ? [0] : [])];
}

/** A RIFF/WAVE file around `chunks`, with a correct RIFF size unless `riffSize` is given. */
function riff(chunks: number[][], riffSize?: number): Uint8Array {
  const body = chunks.flat();
  return Uint8Array.from([...ascii('RIFF'), ...le32(riffSize ?? body.length + 4), ...ascii('WAVE'), ...body]);
}

interface FmtFields { tag?: number; channels?: number; rate?: number; bits?: number; blockAlign?: number }

function fmtBody({ tag = 1, channels = 1, rate = 48000, bits = 16, blockAlign }: FmtFields): number[] {
  const align = blockAlign ?? channels * Math.ceil(bits / 8);
  return [...le16(tag), ...le16(channels), ...le32(rate), ...le32(rate * align), ...le16(align), ...le16(bits)];
}

const GUID_SUFFIX = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

function extensibleFmtBody(fields: FmtFields & { subTag: number; validBits?: number; suffix?: number[] }): number[] {
  const { subTag, validBits = fields.bits ?? 16, suffix = GUID_SUFFIX } = fields;
  return [...fmtBody({ ...fields, tag: 0xfffe }), ...le16(22), ...le16(validBits), ...le32(0), ...le16(subTag), ...suffix];
}

const pcm16 = (...values: number[]): number[] => values.flatMap((v) => le16(v & 0xffff));
const float32Bytes = (...values: number[]): number[] => Array.from(new Uint8Array(Float32Array.from(values).buffer));
const float64Bytes = (...values: number[]): number[] => Array.from(new Uint8Array(Float64Array.from(values).buffer));

/** The WavError thrown by `fn` (fails the test if it throws anything else or nothing). */
function wavError(fn: () => unknown): WavError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(WavError);
    return error as WavError;
  }
  throw new Error('expected a WavError, nothing was thrown');
}

function expectWavError(fn: () => unknown, code: WavErrorCode, ...messageParts: (string | RegExp)[]): void {
  const error = wavError(fn);
  expect(error.code).toBe(code);
  for (const part of messageParts) expect(error.message).toMatch(part);
}

function randomAudio(seed: number, channels: number, frames: number): Float32Array[] {
  const random = createRandom(seed);
  return Array.from({ length: channels }, () => {
    const samples = Float32Array.from({ length: frames }, () => Math.max(-1, Math.min(1, 0.4 * random.gaussian())));
    samples[0] = 1; // full scale both ways and zero, to exercise clamping at the top value
    samples[1] = -1;
    samples[2] = 0;
    return samples;
  });
}

/** Byte offset of chunk `id` in a RIFF file (first match after the 12-byte header). */
function chunkOffset(bytes: Uint8Array, id: string): number {
  for (let pos = 12; pos + 8 <= bytes.length;) {
    if (String.fromCharCode(...bytes.subarray(pos, pos + 4)) === id) return pos;
    const size = new DataView(bytes.buffer, bytes.byteOffset).getUint32(pos + 4, true);
    pos += 8 + size + (size & 1);
  }
  return -1;
}

const ALL_FORMATS: WavSampleFormat[] = ['pcm8', 'pcm16', 'pcm24', 'pcm32', 'float32', 'float64'];
const PCM_BITS: Partial<Record<WavSampleFormat, number>> = { pcm8: 8, pcm16: 16, pcm24: 24, pcm32: 32 };

// ---------------------------------------------------------------------------------------------

describe('encodeWav / decodeWav round trip', () => {
  for (const format of ALL_FORMATS) {
    for (const channelCount of [1, 2, 6]) {
      it(`${format}, ${channelCount} channel(s)`, () => {
        const channels = randomAudio(format.length * 100 + channelCount, channelCount, 1001);
        const decoded = decodeWav(encodeWav({ sampleRate: 44100, channels }, { format }));
        expect(decoded.sampleRate).toBe(44100);
        expect(decoded.format).toBe(format);
        expect(decoded.info).toBeUndefined();
        expect(decoded.channels).toHaveLength(channelCount);
        const bits = PCM_BITS[format];
        decoded.channels.forEach((channel, c) => {
          expect(channel).toBeInstanceOf(Float32Array);
          expect(channel).toHaveLength(1001);
          if (bits === undefined) {
            expect(channel).toEqual(channels[c]);
          } else {
            const lsb = 2 ** (1 - bits);
            let worst = 0;
            for (let i = 0; i < channel.length; i++) worst = Math.max(worst, Math.abs(channel[i] - channels[c][i]));
            expect(worst).toBeLessThanOrEqual(lsb * 1.000001);
            expect(channel[1]).toBe(-1);
            expect(channel[2]).toBe(0);
          }
        });
      });
    }
  }

  it('defaults to float32 and keeps values outside [-1, 1] exactly', () => {
    const channel = Float32Array.from([3.5, -2.25, 1e-30, 0.1]);
    const decoded = decodeWav(encodeWav({ sampleRate: 96000, channels: [channel] }));
    expect(decoded.format).toBe('float32');
    expect(decoded.channels[0]).toEqual(channel);
  });

  it('writes and reads zero frames', () => {
    const decoded = decodeWav(encodeWav({ sampleRate: 8000, channels: [new Float32Array(0), new Float32Array(0)] }, { format: 'pcm16' }));
    expect(decoded.channels.map((c) => c.length)).toEqual([0, 0]);
  });

  it('pads an odd-length data chunk (8-bit mono, odd frame count)', () => {
    const bytes = encodeWav({ sampleRate: 8000, channels: [Float32Array.from([0, 0.5, -0.5])] }, { format: 'pcm8' });
    expect(bytes.length % 2).toBe(0);
    expect(decodeWav(bytes).channels[0]).toEqual(Float32Array.from([0, 0.5, -0.5]));
  });

  it('round-trips LIST/INFO text, including odd lengths and non-ASCII (as UTF-8)', () => {
    const info = { ISFT: 'Latency Lab 0.1', ICMT: 'odd', INAM: 'Küche — 5.1 → 🔊', IART: '' };
    const decoded = decodeWav(encodeWav({ sampleRate: 48000, channels: [new Float32Array(4)] }, { format: 'pcm16', info }));
    expect(decoded.info).toEqual(info);
    const lone = decodeWav(encodeWav({ sampleRate: 48000, channels: [new Float32Array(1)] }, { info: { ICMT: 'a\ud800b' } }));
    expect(lone.info).toEqual({ ICMT: 'a\ufffdb' });
  });
});

describe('encodeWav layout', () => {
  const view = (bytes: Uint8Array): DataView => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = (bytes: Uint8Array, at: number): string => String.fromCharCode(...bytes.subarray(at, at + 4));

  it('writes a canonical 44-byte PCM header for 16-bit stereo', () => {
    const bytes = encodeWav({ sampleRate: 48000, channels: [new Float32Array(10), new Float32Array(10)] }, { format: 'pcm16' });
    const v = view(bytes);
    expect(bytes.length).toBe(44 + 40);
    expect(text(bytes, 0)).toBe('RIFF');
    expect(v.getUint32(4, true)).toBe(bytes.length - 8);
    expect(text(bytes, 8) + text(bytes, 12)).toBe('WAVEfmt ');
    expect([v.getUint32(16, true), v.getUint16(20, true), v.getUint16(22, true), v.getUint32(24, true)]).toEqual([16, 1, 2, 48000]);
    expect([v.getUint32(28, true), v.getUint16(32, true), v.getUint16(34, true)]).toEqual([192000, 4, 16]);
    expect(text(bytes, 36)).toBe('data');
    expect(v.getUint32(40, true)).toBe(40);
  });

  it('writes float as format 3 with an 18-byte fmt chunk and a fact chunk', () => {
    const bytes = encodeWav({ sampleRate: 44100, channels: [new Float32Array(7)] });
    const v = view(bytes);
    expect([v.getUint32(16, true), v.getUint16(20, true), v.getUint16(34, true), v.getUint16(36, true)]).toEqual([18, 3, 32, 0]);
    const fact = chunkOffset(bytes, 'fact');
    expect(fact).toBeGreaterThan(0);
    expect([v.getUint32(fact + 4, true), v.getUint32(fact + 8, true)]).toEqual([4, 7]);
    expect(fact).toBeLessThan(chunkOffset(bytes, 'data'));
  });

  it.each([
    ['pcm24', 1, 1, 0x4],
    ['pcm32', 2, 1, 0x3],
    ['pcm16', 6, 1, 0],
    ['float64', 3, 3, 0],
  ] as const)('writes %s with %i channel(s) as WAVE_FORMAT_EXTENSIBLE', (format, channelCount, subTag, mask) => {
    const bytes = encodeWav({ sampleRate: 48000, channels: Array.from({ length: channelCount }, () => new Float32Array(2)) }, { format });
    const v = view(bytes);
    const bits = { pcm16: 16, pcm24: 24, pcm32: 32, float64: 64 }[format];
    expect([v.getUint32(16, true), v.getUint16(20, true), v.getUint16(36, true)]).toEqual([40, 0xfffe, 22]);
    expect([v.getUint16(38, true), v.getUint32(40, true), v.getUint16(44, true)]).toEqual([bits, mask, subTag]);
    expect(Array.from(bytes.subarray(46, 60))).toEqual(GUID_SUFFIX);
  });

  it('writes LIST/INFO between fmt and data, NUL-terminated and padded', () => {
    const bytes = encodeWav({ sampleRate: 48000, channels: [new Float32Array(1)] }, { format: 'pcm16', info: { ICMT: 'abc', ISFT: 'ab' } });
    const list = chunkOffset(bytes, 'LIST');
    expect(list).toBeGreaterThan(chunkOffset(bytes, 'fmt '));
    expect(list).toBeLessThan(chunkOffset(bytes, 'data'));
    expect(Array.from(bytes.subarray(list, list + 36))).toEqual([
      ...chunk('LIST', [...ascii('INFO'), ...chunk('ICMT', [...ascii('abc'), 0]), ...chunk('ISFT', [...ascii('ab'), 0])]),
    ]);
  });

  it('clamps and rounds PCM to nearest, with 32767 as the top 16-bit value', () => {
    const input = Float32Array.from([1, -1, 1.5, -7, 0.5, 1.4 / 32768, 1.6 / 32768, -1.6 / 32768]);
    const bytes = encodeWav({ sampleRate: 48000, channels: [input] }, { format: 'pcm16' });
    expect(Array.from(new Int16Array(bytes.slice(44).buffer))).toEqual([32767, -32768, 32767, -32768, 16384, 1, 2, -2]);
    const bytes8 = encodeWav({ sampleRate: 48000, channels: [Float32Array.from([1, -1, 0, 2, 0.5])] }, { format: 'pcm8' });
    expect(Array.from(bytes8.subarray(44, 49))).toEqual([255, 0, 128, 255, 192]);
    const bytes24 = encodeWav({ sampleRate: 48000, channels: [Float32Array.from([1, -1])] }, { format: 'pcm24' });
    expect(Array.from(bytes24.subarray(68, 74))).toEqual([0xff, 0xff, 0x7f, 0x00, 0x00, 0x80]);
    const bytes32 = encodeWav({ sampleRate: 48000, channels: [Float32Array.from([1, -1])] }, { format: 'pcm32' });
    expect(Array.from(new Int32Array(bytes32.slice(68).buffer))).toEqual([2147483647, -2147483648]);
  });

  it('rejects invalid input with specific codes', () => {
    const ok = new Float32Array(4);
    expectWavError(() => encodeWav({ sampleRate: 48000, channels: [] }), 'BAD_CHANNEL_COUNT', /0 channels/);
    expectWavError(() => encodeWav({ sampleRate: 48000, channels: Array.from({ length: 65 }, () => ok) }), 'BAD_CHANNEL_COUNT', /65/);
    expectWavError(() => encodeWav({ sampleRate: 44100.5, channels: [ok] }), 'BAD_SAMPLE_RATE', /44100\.5/);
    expectWavError(() => encodeWav({ sampleRate: 0, channels: [ok] }), 'BAD_SAMPLE_RATE', /0 Hz/);
    expectWavError(() => encodeWav({ sampleRate: 48000, channels: [ok, new Float32Array(3)] }), 'INVALID_SAMPLES', /Channel 1 has 3 samples but channel 0 has 4/);
    expectWavError(() => encodeWav({ sampleRate: 48000, channels: [ok, Float32Array.from([0, 0, NaN, 0])] }), 'INVALID_SAMPLES', /NaN at frame 2, channel 1/);
    expectWavError(() => encodeWav({ sampleRate: 48000, channels: [Float32Array.from([-Infinity])] }, { format: 'pcm16' }), 'INVALID_SAMPLES', /-Infinity/);
    expectWavError(() => encodeWav({ sampleRate: 48000, channels: [ok] }, { format: 'mp3' as WavSampleFormat }), 'UNSUPPORTED_FORMAT', /mp3/);
    expectWavError(() => encodeWav({ sampleRate: 48000, channels: [ok] }, { format: 'toString' as WavSampleFormat }), 'UNSUPPORTED_FORMAT', /toString/);
    expectWavError(() => encodeWav({ sampleRate: 48000, channels: [ok] }, { info: { COMMENT: 'x' } }), 'BAD_HEADER', /COMMENT/);
  });

  it('removes control characters from INFO text (a NUL in a title must not make the export fail)', () => {
    const ok = new Float32Array(4);
    const title = 'Soundbar\0 seat 2\u001b[2J\u001b]0;pwned\u0007\u009b, tab\there\nline 2';
    const decoded = decodeWav(encodeWav({ sampleRate: 48000, channels: [ok] }, { info: { INAM: title, ICMT: '\0' } }));
    expect(decoded.info?.INAM).toBe('Soundbar seat 2[2J]0;pwned, tab\there\nline 2');
    expect(decoded.info?.ICMT).toBe('');
    expect(infoText('a\u0000b\u007fc\u0085d')).toBe('abcd');
  });

  it('wavFileBytes is the size encodeWav writes, for every format, channel count and INFO', () => {
    for (const format of ALL_FORMATS) {
      for (const channels of [1, 2, 3]) {
        for (const info of [undefined, { ICMT: 'odd', ISFT: 'Latency Lab 0.1.0' }]) {
          const audio = { sampleRate: 48000, channels: randomAudio(channels, channels, 37) };
          expect(wavFileBytes(37, channels, format, info), `${format} ${channels}`).toBe(encodeWav(audio, { format, info }).length);
        }
      }
    }
  });
});

describe('decodeWav reading', () => {
  it('scales PCM to [-1, 1) and deinterleaves', () => {
    const stereo16 = riff([chunk('fmt ', fmtBody({ channels: 2 })), chunk('data', pcm16(0x8000, 0x4000, 0x7fff, -1, 0, 1))]);
    const decoded = decodeWav(stereo16);
    expect(decoded.format).toBe('pcm16');
    expect(decoded.channels).toEqual([Float32Array.from([-1, 32767 / 32768, 0]), Float32Array.from([0.5, -1 / 32768, 1 / 32768])]);

    const mono8 = riff([chunk('fmt ', fmtBody({ bits: 8 })), chunk('data', [0, 128, 255, 64])]);
    expect(decodeWav(mono8).channels[0]).toEqual(Float32Array.from([-1, 0, 127 / 128, -0.5]));

    const mono24 = riff([chunk('fmt ', fmtBody({ bits: 24 })), chunk('data', [0, 0, 0x80, 0, 0, 0x40, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])]);
    expect(decodeWav(mono24).channels[0]).toEqual(Float32Array.from([-1, 0.5, -1 / 8388608, 8388607 / 8388608]));

    const mono32 = riff([chunk('fmt ', fmtBody({ bits: 32 })), chunk('data', [...le32(0x80000000), ...le32(0x40000000), ...le32(0xffffffff)])]);
    expect(decodeWav(mono32).channels[0]).toEqual(Float32Array.from([-1, 0.5, -1 / 2147483648]));
  });

  it('reads float32 and float64 (plain format 3) exactly', () => {
    const f32 = riff([chunk('fmt ', [...fmtBody({ tag: 3, bits: 32, channels: 2 }), 0, 0]), chunk('data', float32Bytes(0.25, -3, 1e-7, 2))]);
    expect(decodeWav(f32).channels).toEqual([Float32Array.from([0.25, 1e-7]), Float32Array.from([-3, 2])]);
    const f64 = riff([chunk('fmt ', fmtBody({ tag: 3, bits: 64 })), chunk('data', float64Bytes(0.1, -0.5))]);
    const decoded = decodeWav(f64);
    expect(decoded.format).toBe('float64');
    expect(decoded.channels[0]).toEqual(Float32Array.from([0.1, -0.5]));
  });

  it('reads EXTENSIBLE 24-bit PCM with 20 valid bits (samples stay in the 24-bit container)', () => {
    const fmt = extensibleFmtBody({ channels: 2, bits: 24, validBits: 20, subTag: 1 });
    const decoded = decodeWav(riff([chunk('fmt ', fmt), chunk('data', [0x00, 0x00, 0x40, 0x00, 0x00, 0xc0, 0x10, 0x00, 0x00, 0, 0, 0])]));
    expect(decoded.format).toBe('pcm24');
    expect(decoded.validBits).toBe(20);
    expect(decoded.channels).toEqual([Float32Array.from([0.5, 16 / 8388608]), Float32Array.from([-0.5, 0])]);
  });

  it('reads EXTENSIBLE float32 and leaves validBits out when it equals the container', () => {
    const fmt = extensibleFmtBody({ channels: 1, bits: 32, subTag: 3 });
    const decoded = decodeWav(riff([chunk('fmt ', fmt), chunk('fact', le32(2)), chunk('data', float32Bytes(0.75, -0.125))]));
    expect(decoded.format).toBe('float32');
    expect(decoded).not.toHaveProperty('validBits');
    expect(decoded.channels[0]).toEqual(Float32Array.from([0.75, -0.125]));
  });

  it('skips unknown chunks, pads odd-sized ones, and accepts LIST before fmt', () => {
    const bytes = riff([
      chunk('LIST', [...ascii('INFO'), ...chunk('ICMT', [...ascii('hello'), 0]), ...chunk('ISFT', [...ascii('rec'), 0])]),
      chunk('bext', new Array(602).fill(7)),
      chunk('JUNK', [1, 2, 3]), // odd size: one pad byte follows
      chunk('fmt ', fmtBody({})),
      chunk('fact', le32(2)),
      chunk('cue ', le32(0)),
      chunk('data', pcm16(100, -100)),
      chunk('smpl', new Array(9).fill(0)),
      chunk('id3 ', [5]),
    ]);
    const decoded = decodeWav(bytes);
    expect(decoded.channels[0]).toEqual(Float32Array.from([100 / 32768, -100 / 32768]));
    expect(decoded.info).toEqual({ ICMT: 'hello', ISFT: 'rec' });
  });

  it('advances past zero-sized garbage chunks without hanging', () => {
    const garbage = Array.from({ length: 50 }, () => chunk('\0\x01\xff\0', []));
    const decoded = decodeWav(riff([...garbage, chunk('fmt ', fmtBody({})), ...garbage, chunk('data', pcm16(1))]));
    expect(decoded.channels[0]).toEqual(Float32Array.from([1 / 32768]));
  });

  it('reads INFO text that is Latin-1 rather than UTF-8, and merges several LIST chunks', () => {
    const bytes = riff([
      chunk('fmt ', fmtBody({})),
      chunk('LIST', [...ascii('INFO'), ...chunk('INAM', [0x4b, 0xfc, 0x63, 0x68, 0x65, 0])]),
      chunk('LIST', [...ascii('adtl'), ...chunk('labl', [0, 0, 0, 0, 0x41, 0])]),
      chunk('data', pcm16(0)),
      chunk('LIST', [...ascii('INFO'), ...chunk('ICMT', [...ascii('after'), 0, 0, 0])]),
    ]);
    expect(decodeWav(bytes).info).toEqual({ INAM: 'Küche', ICMT: 'after' });
  });

  it('ignores the RIFF size field', () => {
    const body = [chunk('fmt ', fmtBody({})), chunk('data', pcm16(5, 6))];
    for (const riffSize of [0, 4, 0xffffffff, 123456]) expect(decodeWav(riff(body, riffSize)).channels[0]).toHaveLength(2);
  });

  it('ignores a trailing partial frame', () => {
    const bytes = riff([chunk('fmt ', fmtBody({ channels: 2 })), chunk('data', [...pcm16(1, 2, 3, 4), 9, 9, 9])]);
    expect(decodeWav(bytes).channels).toEqual([Float32Array.from([1 / 32768, 3 / 32768]), Float32Array.from([2 / 32768, 4 / 32768])]);
  });

  it('returns empty channels for a data chunk with zero frames', () => {
    const decoded = decodeWav(riff([chunk('fmt ', fmtBody({ channels: 3 })), chunk('data', [])]));
    expect(decoded.channels.map((c) => c.length)).toEqual([0, 0, 0]);
    expect(wavFrameCount(decoded)).toBe(0);
  });

  it('reads to the end of the file when the last data chunk declares 0xFFFFFFFF (streaming writers)', () => {
    const bytes = riff([chunk('fmt ', fmtBody({})), chunk('data', pcm16(1, 2, 3), 0xffffffff)], 0xffffffff);
    expect(decodeWav(bytes).channels[0]).toEqual(Float32Array.from([1, 2, 3]).map((v) => v / 32768));
    const odd = riff([chunk('fmt ', fmtBody({})), [...ascii('data'), ...le32(0xffffffff), ...pcm16(7, 8), 1]]);
    expect(decodeWav(odd).channels[0]).toEqual(Float32Array.from([7 / 32768, 8 / 32768]));
  });

  it('reads to the end of the file when the last data chunk declares 0, but not when a chunk follows', () => {
    const streamed = riff([chunk('fmt ', fmtBody({})), chunk('data', pcm16(-3, 0x7fff), 0)]);
    expect(decodeWav(streamed).channels[0]).toEqual(Float32Array.from([-3 / 32768, 32767 / 32768]));
    const empty = riff([chunk('fmt ', fmtBody({})), chunk('data', []), chunk('LIST', [...ascii('INFO'), ...chunk('ICMT', [...ascii('x'), 0])])]);
    const decoded = decodeWav(empty);
    expect(decoded.channels[0]).toHaveLength(0);
    expect(decoded.info).toEqual({ ICMT: 'x' });
  });

  it('keeps the audio when a chunk after the data is cut short', () => {
    const bytes = riff([chunk('fmt ', fmtBody({})), chunk('data', pcm16(1, 2)), [...ascii('LIST'), ...le32(5000), ...ascii('INFO')]]);
    const decoded = decodeWav(bytes);
    expect(decoded.channels[0]).toHaveLength(2);
    expect(decoded.info).toBeUndefined();
  });

  it('respects byteOffset and byteLength of a view into a larger buffer (aligned or not)', () => {
    const file = encodeWav({ sampleRate: 48000, channels: randomAudio(7, 2, 300) }, { format: 'float64' });
    const expected = decodeWav(file);
    for (const offset of [1, 2, 3, 8]) {
      const big = new Uint8Array(offset + file.length + 64).fill(0xab);
      big.set(file, offset);
      const view = big.subarray(offset, offset + file.length);
      expect(decodeWav(view).channels).toEqual(expected.channels);
    }
    for (const format of ['pcm16', 'pcm32', 'float32'] as const) {
      const bytes = encodeWav({ sampleRate: 48000, channels: randomAudio(8, 3, 50) }, { format });
      const big = new Uint8Array(bytes.length + 5);
      big.set(bytes, 5);
      expect(decodeWav(big.subarray(5)).channels).toEqual(decodeWav(bytes).channels);
    }
  });

  it('works on a Uint8Array subclass whose slice() returns a view, as Node\'s Buffer does', () => {
    class BufferLike extends Uint8Array {
      override slice(start?: number, end?: number): Uint8Array<ArrayBuffer> {
        return this.subarray(start, end) as Uint8Array<ArrayBuffer>;
      }
    }
    for (const format of ['pcm16', 'float32', 'float64'] as const) {
      const file = encodeWav({ sampleRate: 48000, channels: randomAudio(9, 2, 100) }, { format });
      const pool = new Uint8Array(8192).fill(0x5a);
      pool.set(file, 1001);
      const view = new BufferLike(pool.buffer, 1001, file.length);
      expect(decodeWav(view).channels).toEqual(decodeWav(file).channels);
      expect(pool.subarray(1001, 1001 + file.length)).toEqual(file); // input untouched
    }
  });

  it('decodes 60 s of 48 kHz stereo float32 exactly (its speed is in the bench: npm run bench)', () => {
    const frames = 60 * 48000;
    const channels = [new Float32Array(frames), new Float32Array(frames)];
    const random = createRandom(60);
    for (const channel of channels) for (let i = 0; i < frames; i++) channel[i] = random.uniform(-1, 1);
    const decoded = decodeWav(encodeWav({ sampleRate: 48000, channels }));
    // Compared in a loop: toEqual on millions of elements is slow.
    for (const c of [0, 1]) {
      let mismatches = 0;
      for (let i = 0; i < frames; i++) if (decoded.channels[c][i] !== channels[c][i]) mismatches++;
      expect(decoded.channels[c]).toHaveLength(frames);
      expect(mismatches, `channel ${c}`).toBe(0);
    }
  });
});

describe('decodeWavChannel (one channel, the others never decoded)', () => {
  it('equals that channel of decodeWav for every format, aligned or not', () => {
    for (const format of ALL_FORMATS) {
      const file = encodeWav({ sampleRate: 44100, channels: randomAudio(3, 5, 101) }, { format, info: { ICMT: 'x' } });
      const full = decodeWav(file);
      // An odd offset into a larger buffer: the unaligned path.
      const pool = new Uint8Array(file.length + 3);
      pool.set(file, 3);
      for (const bytes of [file, pool.subarray(3)]) {
        for (let c = 0; c < 5; c++) {
          const one = decodeWavChannel(bytes, c);
          expect(one.samples, `${format} channel ${c}`).toEqual(full.channels[c]);
          expect(one).toMatchObject({ sampleRate: 44100, channelCount: 5, channel: c, format, info: { ICMT: 'x' } });
        }
      }
    }
  });

  it('decodes unaligned data of many blocks (64 KiB at a time) exactly as aligned data, for every format, mono and 3 channels', () => {
    for (const [format, channelCount] of ALL_FORMATS.flatMap((f) => [[f, 3], [f, 1]] as const)) {
      // 20 011 frames: several copy blocks of whole frames and a partial last one (mono float: one copy).
      const file = encodeWav({ sampleRate: 48000, channels: randomAudio(11, channelCount, 20_011) }, { format });
      // Placed so that the samples start at a multiple of 8 bytes (the typed view over the file),
      // and one byte later (the copied blocks).
      const offset = (8 - (readWavLayout(file).dataStart % 8)) % 8;
      const pool = new Uint8Array(file.length + 9);
      pool.set(file, offset);
      const expected = Array.from({ length: channelCount }, (_, c) => decodeWavChannel(pool.subarray(offset, offset + file.length), c).samples);
      pool.fill(0).set(file, offset + 1);
      for (let c = 0; c < channelCount; c++) {
        expect(decodeWavChannel(pool.subarray(offset + 1, offset + 1 + file.length), c).samples, `${format} channel ${c}`).toEqual(expected[c]);
      }
    }
  });

  it('with shareMemory, gives a mono float file at a 4-byte boundary as a view of its bytes, and copies everything else', () => {
    const mono = encodeWav({ sampleRate: 48000, channels: randomAudio(21, 1, 1000) }, { format: 'float32' });
    const start = readWavLayout(mono).dataStart;
    const expected = decodeWavChannel(mono, 0).samples;
    const offset = (4 - (start % 4)) % 4;
    const pool = new Uint8Array(mono.length + 4);
    pool.set(mono, offset);
    const aligned = pool.subarray(offset, offset + mono.length);
    const shared = decodeWavChannel(aligned, 0, { shareMemory: true }).samples;
    expect(shared).toEqual(expected);
    expect(shared.buffer).toBe(pool.buffer);
    expect(shared.byteOffset).toBe(offset + start);
    // A bad sample is still found in a shared view.
    new DataView(pool.buffer).setFloat32(offset + start + 4 * 500, Number.NaN, true);
    expect(() => decodeWavChannel(aligned, 0, { shareMemory: true })).toThrow(WavError);
    pool.fill(0).set(mono, offset + 1);
    const unaligned = decodeWavChannel(pool.subarray(offset + 1, offset + 1 + mono.length), 0, { shareMemory: true }).samples;
    expect(unaligned).toEqual(expected);
    expect(unaligned.buffer).not.toBe(pool.buffer);
    for (const [format, channelCount] of [['float32', 2], ['pcm16', 1]] as const) {
      const file = encodeWav({ sampleRate: 48000, channels: randomAudio(22, channelCount, 1000) }, { format });
      const copy = decodeWavChannel(file, 0, { shareMemory: true }).samples;
      expect(copy).toEqual(decodeWavChannel(file, 0).samples);
      expect(copy.buffer).not.toBe(file.buffer);
    }
  });

  it('checks only its own channel for invalid samples, and refuses a channel the file lacks', () => {
    const bytes = riff([chunk('fmt ', fmtBody({ tag: 3, channels: 2, bits: 32 })), chunk('data', float32Bytes(0.5, 0, 0.25, NaN))]);
    expect(decodeWavChannel(bytes, 0).samples).toEqual(Float32Array.from([0.5, 0.25]));
    expectWavError(() => decodeWavChannel(bytes, 1), 'INVALID_SAMPLES', /frame 1, channel 1 is NaN/);
    expectWavError(() => decodeWav(bytes), 'INVALID_SAMPLES', /frame 1, channel 1 is NaN/);
    expect(() => decodeWavChannel(bytes, 2)).toThrow(RangeError);
    expect(() => decodeWavChannel(bytes, -1)).toThrow(/2 channel\(s\)/);
  });

  it('readWavLayout gives the header without the samples', () => {
    const file = encodeWav({ sampleRate: 96000, channels: randomAudio(4, 3, 50) }, { format: 'pcm24' });
    expect(readWavLayout(file)).toMatchObject({ sampleRate: 96000, channelCount: 3, format: 'pcm24', frames: 50, blockAlign: 9 });
    expectWavError(() => readWavLayout(file, { maxFrames: 49 }), 'TOO_LARGE', /50 frames/);
  });
});

describe('decodeWav errors', () => {
  const fmt16 = chunk('fmt ', fmtBody({}));

  it('BAD_HEADER for two fmt chunks that disagree; an identical repeat is read', () => {
    const data = chunk('data', pcm16(1, 2, 3, 4));
    for (const other of [fmtBody({ channels: 2 }), fmtBody({ rate: 44100 }), fmtBody({ tag: 3, bits: 32 }), fmtBody({ bits: 8 })]) {
      for (const order of [[fmt16, chunk('fmt ', other), data], [fmt16, data, chunk('fmt ', other)]]) {
        expectWavError(() => decodeWav(riff(order)), 'BAD_HEADER', /two fmt chunks that disagree: at byte 12 1 channel\(s\) of pcm16 at 48000 Hz, at byte \d+ /);
        expectWavError(() => decodeWavChannel(riff(order), 0), 'BAD_HEADER', /two fmt chunks/);
      }
    }
    expect(decodeWav(riff([fmt16, fmt16, data])).channels[0]).toHaveLength(4);
  });

  it('EMPTY_FILE for zero bytes', () => {
    expectWavError(() => decodeWav(new Uint8Array(0)), 'EMPTY_FILE', /empty/);
  });

  it('NOT_WAV for short files and other data, naming common look-alikes', () => {
    expectWavError(() => decodeWav(Uint8Array.from(ascii('RIFF\x10\0\0\0'))), 'NOT_WAV', /only 8 bytes/);
    expectWavError(() => decodeWav(Uint8Array.from(ascii('hello, world, this is text'))), 'NOT_WAV', /68 65 6C 6C/);
    expectWavError(() => decodeWav(Uint8Array.from(ascii('RIFF\x04\0\0\0AVI LIST'))), 'NOT_WAV', /'AVI '/);
    expectWavError(() => decodeWav(Uint8Array.from(ascii('fLaC\0\0\0\x22\x10\0\x10\0'))), 'NOT_WAV', /FLAC/);
    expectWavError(() => decodeWav(Uint8Array.from(ascii('OggS\0\x02\0\0\0\0\0\0\0\0'))), 'NOT_WAV', /Ogg/);
    expectWavError(() => decodeWav(Uint8Array.from(ascii('ID3\x04\0\0\0\0\0\0\0\0'))), 'NOT_WAV', /MP3/);
    expectWavError(() => decodeWav(Uint8Array.from([0xff, 0xfb, 0x90, 0x64, 0, 0, 0, 0, 0, 0, 0, 0])), 'NOT_WAV', /MP3/);
    expectWavError(() => decodeWav(Uint8Array.from(ascii('FORM\0\0\0\x40AIFFCOMM'))), 'NOT_WAV', /AIFF/);
    expectWavError(() => decodeWav(Uint8Array.from(ascii('\0\0\0\x20ftypM4A \0\0\0\0'))), 'NOT_WAV', /MP4/);
  });

  it('UNSUPPORTED_FORMAT for big-endian RIFX and 64-bit RF64/BW64', () => {
    expectWavError(() => decodeWav(Uint8Array.from(ascii('RIFX\0\0\0\x24WAVEfmt '))), 'UNSUPPORTED_FORMAT', /RIFX/);
    expectWavError(() => decodeWav(Uint8Array.from(ascii('RF64\xff\xff\xff\xffWAVEds64'))), 'UNSUPPORTED_FORMAT', /RF64 is not supported/);
    expectWavError(() => decodeWav(Uint8Array.from(ascii('BW64\xff\xff\xff\xffWAVEds64'))), 'UNSUPPORTED_FORMAT', /RF64.*BW64/);
  });

  it.each([
    [6, /A-law WAV is not supported: convert it to PCM or float, e\.g\. `sox in\.wav -e floating-point out\.wav`/],
    [7, /mu-law/],
    [2, /Microsoft ADPCM/],
    [0x11, /IMA ADPCM/],
    [0x50, /MPEG/],
    [0x55, /MP3/],
    [0x1234, /0x1234/],
  ])('UNSUPPORTED_FORMAT for format tag %i', (tag, message) => {
    expectWavError(() => decodeWav(riff([chunk('fmt ', fmtBody({ tag, bits: 8 })), chunk('data', [0, 0])])), 'UNSUPPORTED_FORMAT', message);
  });

  it('UNSUPPORTED_FORMAT for EXTENSIBLE with a non-PCM/float or non-standard SubFormat GUID', () => {
    const alaw = extensibleFmtBody({ bits: 8, subTag: 6 });
    expectWavError(() => decodeWav(riff([chunk('fmt ', alaw), chunk('data', [0])])), 'UNSUPPORTED_FORMAT', /A-law/);
    const foreign = extensibleFmtBody({ bits: 16, subTag: 1, suffix: [...GUID_SUFFIX.slice(0, 13), 0x72] });
    expectWavError(() => decodeWav(riff([chunk('fmt ', foreign), chunk('data', [0, 0])])), 'UNSUPPORTED_FORMAT', /GUID.*0100000000001000800000aa00389b72/);
  });

  it.each([
    [1, 12, /12-bit PCM/],
    [1, 20, /20-bit PCM/],
    [1, 4, /4-bit PCM/],
    [1, 0, /0-bit PCM/],
    [3, 16, /16-bit float/],
    [3, 24, /24-bit float/],
  ])('UNSUPPORTED_BIT_DEPTH for tag %i at %i bits', (tag, bits, message) => {
    expectWavError(() => decodeWav(riff([chunk('fmt ', fmtBody({ tag, bits })), chunk('data', [0, 0, 0, 0])])), 'UNSUPPORTED_BIT_DEPTH', message);
  });

  it('BAD_HEADER for an inconsistent blockAlign, a short fmt chunk, a short EXTENSIBLE fmt, or data before fmt', () => {
    expectWavError(() => decodeWav(riff([chunk('fmt ', fmtBody({ channels: 2, blockAlign: 2 })), chunk('data', [0, 0])])), 'BAD_HEADER', /blockAlign is 2.*need 4/);
    expectWavError(() => decodeWav(riff([chunk('fmt ', fmtBody({}).slice(0, 14)), chunk('data', [0, 0])])), 'BAD_HEADER', /14 bytes.*at least 16/);
    expectWavError(() => decodeWav(riff([chunk('fmt ', [...fmtBody({ tag: 0xfffe }), 0, 0]), chunk('data', [0, 0])])), 'BAD_HEADER', /40 bytes.*18/);
    expectWavError(() => decodeWav(riff([chunk('data', [0, 0]), fmt16])), 'BAD_HEADER', /fmt chunk \(at byte 22\).*data chunk \(at byte 12\).*must precede the data/);
  });

  it('BAD_SAMPLE_RATE outside 1000..1000000 Hz', () => {
    for (const rate of [0, 999, 1_000_001, 0xffffffff]) {
      expectWavError(() => decodeWav(riff([chunk('fmt ', fmtBody({ rate })), chunk('data', [0, 0])])), 'BAD_SAMPLE_RATE', `${rate} Hz`);
    }
    for (const rate of [1000, 1_000_000]) expect(decodeWav(riff([chunk('fmt ', fmtBody({ rate })), chunk('data', [0, 0])])).sampleRate).toBe(rate);
  });

  it('BAD_CHANNEL_COUNT for 0 or more than 64 channels', () => {
    for (const channels of [0, 65, 0xffff]) {
      expectWavError(() => decodeWav(riff([chunk('fmt ', fmtBody({ channels, blockAlign: 2 })), chunk('data', [0, 0])])), 'BAD_CHANNEL_COUNT', `${channels} channels`);
    }
  });

  it('TRUNCATED when a chunk runs past the end of the file, with the declared and available sizes', () => {
    const cut = riff([fmt16, chunk('data', pcm16(...new Array(500).fill(1)))]).subarray(0, 144);
    expectWavError(() => decodeWav(cut), 'TRUNCATED', /'data' chunk at byte 36 declares 1000 bytes but only 100 remain/);
    expectWavError(() => decodeWav(riff([[...ascii('bext'), ...le32(602), 0, 0, 0]])), 'TRUNCATED', /'bext' chunk at byte 12 declares 602 bytes but only 3 remain/);
    expectWavError(() => decodeWav(riff([fmt16, [...ascii('dat')]])), 'TRUNCATED', /3 bytes into a chunk header at byte 36/);
    expectWavError(() => decodeWav(riff([[...ascii('fmt '), ...le32(16), 1, 0, 1, 0]])), 'TRUNCATED', /'fmt ' chunk.*16 bytes but only 4/);
  });

  it('NO_FORMAT_CHUNK and NO_DATA_CHUNK', () => {
    expectWavError(() => decodeWav(riff([])), 'NO_FORMAT_CHUNK', /no fmt chunk/);
    expectWavError(() => decodeWav(riff([chunk('JUNK', [0, 0, 0, 0])])), 'NO_FORMAT_CHUNK', /no fmt chunk/);
    expectWavError(() => decodeWav(riff([chunk('data', [0, 0])])), 'NO_FORMAT_CHUNK', /No fmt chunk precedes the data chunk at byte 12/);
    expectWavError(() => decodeWav(riff([fmt16])), 'NO_DATA_CHUNK', /no data chunk/);
    expectWavError(() => decodeWav(riff([fmt16, chunk('LIST', ascii('INFO'))])), 'NO_DATA_CHUNK', /no data chunk/);
  });

  it('INVALID_SAMPLES for NaN, infinite or out-of-float32-range samples, naming the first frame and channel', () => {
    const stereoFloat = (data: number[], bits = 32): Uint8Array =>
      riff([chunk('fmt ', fmtBody({ tag: 3, bits, channels: 2 })), chunk('data', data)]);
    expectWavError(() => decodeWav(stereoFloat(float32Bytes(0, 0, 0, 0, 0, 0, 0, NaN, Infinity, 0))), 'INVALID_SAMPLES', /frame 3, channel 1 is NaN/);
    expectWavError(() => decodeWav(stereoFloat(float32Bytes(0, 0, -Infinity, NaN))), 'INVALID_SAMPLES', /frame 1, channel 0 is -Infinity/);
    expectWavError(() => decodeWav(stereoFloat(float64Bytes(0, 1e300), 64)), 'INVALID_SAMPLES', /frame 0, channel 1 is 1e\+300, beyond the 32-bit float range/);
  });

  it('TOO_LARGE above maxFrames', () => {
    const bytes = encodeWav({ sampleRate: 48000, channels: [new Float32Array(48000)] });
    expectWavError(() => decodeWav(bytes, { maxFrames: 47999 }), 'TOO_LARGE', /48000 frames \(1\.0 s at 48000 Hz\).*47999/);
    expect(wavFrameCount(decodeWav(bytes, { maxFrames: 48000 }))).toBe(48000);
  });
});

describe('decodeWav mutation fuzz', () => {
  function expectWellFormed(audio: WavAudio): void {
    expect(Number.isInteger(audio.sampleRate) && audio.sampleRate >= 1000 && audio.sampleRate <= 1_000_000).toBe(true);
    expect(audio.channels.length >= 1 && audio.channels.length <= 64).toBe(true);
    const frames = wavFrameCount(audio);
    const pcm = audio.format.startsWith('pcm');
    for (const channel of audio.channels) {
      expect(channel).toBeInstanceOf(Float32Array);
      expect(channel.length).toBe(frames);
      for (const v of channel) {
        if (!Number.isFinite(v) || (pcm && Math.abs(v) > 1)) throw new Error(`bad sample ${v} in ${audio.format}`);
      }
    }
    for (const [key, value] of Object.entries(audio.info ?? {})) {
      expect(key).toHaveLength(4);
      expect(typeof value).toBe('string');
    }
  }

  it('returns well-formed audio or throws a WavError for thousands of damaged files (decodeWav and decodeWavChannel agree)', () => {
    const random = createRandom(20240611);
    const seeds = ALL_FORMATS.flatMap((format, f) => [1, 2, 3].map((channelCount) =>
      encodeWav({ sampleRate: 48000, channels: randomAudio(f * 10 + channelCount, channelCount, 40) }, { format, info: { ICMT: 'fuzz', ISFT: 'x' } })));
    const codes = new Map<string, number>();
    let decoded = 0;
    for (let iteration = 0; iteration < 4000; iteration++) {
      let bytes = Array.from(seeds[random.int(seeds.length)]);
      for (let m = 1 + random.int(4); m > 0; m--) {
        const at = random.int(bytes.length + 1);
        switch (random.int(6)) {
          case 0: bytes[at] ^= 1 << random.int(8); break;
          case 1: bytes[at] = random.int(256); break;
          case 2: bytes.splice(at, 0, ...Array.from({ length: 1 + random.int(9) }, () => random.int(256))); break;
          case 3: bytes.splice(at, 1 + random.int(16)); break;
          case 4: bytes = bytes.slice(0, at); break;
          default: { // overwrite a 32-bit field (often a chunk size) with an extreme value
            const value = [0, 1, 0xffffffff, 0x7fffffff, random.int(2 ** 32)][random.int(5)];
            bytes.splice(at, 4, ...le32(value));
          }
        }
      }
      const input = Uint8Array.from(bytes);
      try {
        const audio = decodeWav(input, { maxFrames: 1_000_000 });
        expectWellFormed(audio);
        const last = audio.channels.length - 1;
        expect(decodeWavChannel(input, last, { maxFrames: 1_000_000 }).samples).toEqual(audio.channels[last]);
        decoded++;
      } catch (error) {
        if (!(error instanceof WavError)) throw new Error(`iteration ${iteration}: ${String(error)}`);
        codes.set(error.code, (codes.get(error.code) ?? 0) + 1);
      }
    }
    expect(decoded).toBeGreaterThan(400);
    expect(codes.size).toBeGreaterThanOrEqual(6);
  });
});
